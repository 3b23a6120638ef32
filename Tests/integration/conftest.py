"""Starts the real `logcellar serve` binary on a free loopback port with a temporary data dir."""
import os
import pathlib
import socket
import subprocess
import tempfile
import time

import pytest
import requests

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _binary() -> pathlib.Path:
    for candidate in (os.environ.get("LOGCELLAR_BIN"), ROOT / ".build/debug/logcellar", ROOT / ".build/release/logcellar"):
        if candidate and pathlib.Path(candidate).exists():
            return pathlib.Path(candidate)
    raise RuntimeError("build logcellar first (swift build)")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture()
def server():
    port = _free_port()
    with tempfile.TemporaryDirectory() as data_dir:
        # The server logs a JSON line per request to stderr; a file never fills up like an unread pipe.
        log = open(os.path.join(data_dir, "server.log"), "wb")
        process = subprocess.Popen(
            [str(_binary()), "serve", "--listen", f"127.0.0.1:{port}", "--data-dir", data_dir],
            stdout=subprocess.DEVNULL,
            stderr=log,
            cwd=data_dir,  # not the repository, whose ./parsers `serve` would load by default
        )
        base = f"http://127.0.0.1:{port}"
        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                if requests.get(base + "/ready", timeout=1).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if process.poll() is not None:
                raise RuntimeError("server exited: " + open(log.name).read())
            time.sleep(0.05)
        else:
            process.kill()
            raise RuntimeError("server did not become ready")
        try:
            yield base
        finally:
            process.terminate()
            process.wait(timeout=20)
            log.close()
