"""Loki's protobuf push as Promtail/Alloy send it: a logproto.PushRequest built with the `protobuf` package
from proto/loki/push.proto (compiled with protoc at test time), snappy block-compressed with cramjam."""
import importlib.util
import pathlib
import subprocess
import time

import cramjam
import pytest
import requests

ROOT = pathlib.Path(__file__).resolve().parents[2]
CATEGORIZE = {"X-Loki-Response-Encoding-Flags": "categorize-labels"}


@pytest.fixture(scope="module")
def push_pb2(tmp_path_factory):
    out = tmp_path_factory.mktemp("logproto")
    subprocess.run(["protoc", f"--proto_path={ROOT / 'proto'}", f"--python_out={out}", "loki/push.proto"], check=True)
    spec = importlib.util.spec_from_file_location("logproto_push_pb2", out / "loki" / "push_pb2.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def query_range(base, query, headers=None, limit=100):
    now = time.time_ns()
    response = requests.get(
        base + "/loki/api/v1/query_range",
        params={"query": query, "start": now - 3600 * 10**9, "end": now + 10**9, "limit": limit, "direction": "forward"},
        headers=headers or {},
        timeout=10,
    )
    assert response.status_code == 200, response.text
    return response.json()["data"]["result"]


def push(base, body, content_type="application/x-protobuf"):
    return requests.post(base + "/loki/api/v1/push", data=body,
                         headers={"Content-Type": content_type, "User-Agent": "promtail/3.0.0"}, timeout=10)


def entry(push_pb2, stream, ns, line, metadata=()):
    e = stream.entries.add()
    e.timestamp.seconds, e.timestamp.nanos = divmod(ns, 10**9)
    e.line = line
    for name, value in metadata:
        pair = e.structuredMetadata.add()
        pair.name, pair.value = name, value
    return e


def test_snappy_protobuf_push_comes_back(server, push_pb2):
    base_ns = time.time_ns() - 60 * 10**9
    request = push_pb2.PushRequest()
    api = request.streams.add()
    api.labels = '{app="promtail-test", env="dev"}'
    entry(push_pb2, api, base_ns, '{"level":"info","msg":"GET /api/wines 200","requestId":"req-pb-1"}')
    entry(push_pb2, api, base_ns + 1, "café 🍷 quoted \"line\"\twith tab",
          metadata=[("trace_id", "0af7651916cd43dd"), ("user", "u1")])
    errors = request.streams.add()
    errors.labels = '{app="promtail-test", env="dev", level="error"}'
    entry(push_pb2, errors, base_ns + 2, "database timeout")

    response = push(server, cramjam.snappy.compress_raw(request.SerializeToString()).read())
    assert response.status_code == 204, response.text

    result = query_range(server, '{app="promtail-test"}', headers=CATEGORIZE)
    by_line = {value[1]: (stream["stream"], int(value[0]), value[2]) for stream in result for value in stream["values"]}
    assert set(by_line) == {
        '{"level":"info","msg":"GET /api/wines 200","requestId":"req-pb-1"}',
        "café 🍷 quoted \"line\"\twith tab",
        "database timeout",
    }
    labels, ts, extra = by_line["café 🍷 quoted \"line\"\twith tab"]
    # Loki 3 adds service_name (from app) and detected_level (no level in this line: unknown).
    assert labels == {"app": "promtail-test", "env": "dev", "service_name": "promtail-test"}
    assert ts == base_ns + 1
    assert extra.get("structuredMetadata") == {"trace_id": "0af7651916cd43dd", "user": "u1", "detected_level": "unknown"}
    assert by_line["database timeout"][0] == {"app": "promtail-test", "env": "dev", "level": "error", "service_name": "promtail-test"}

    filtered = query_range(server, '{app="promtail-test"} | trace_id="0af7651916cd43dd"')
    assert [value[1] for stream in filtered for value in stream["values"]] == ["café 🍷 quoted \"line\"\twith tab"]


def test_undecodable_protobuf_is_400_and_stores_nothing(server, push_pb2):
    request = push_pb2.PushRequest()
    stream = request.streams.add()
    stream.labels = '{app="pb-broken"}'
    entry(push_pb2, stream, time.time_ns(), "x" * 300)
    raw = request.SerializeToString()

    corrupt = cramjam.snappy.compress_raw(raw).read()[:40]
    response = push(server, corrupt)
    assert response.status_code == 400
    assert "snappy" in response.text

    truncated = cramjam.snappy.compress_raw(raw[: len(raw) // 2]).read()
    response = push(server, truncated)
    assert response.status_code == 400
    assert "truncated" in response.text

    # Not snappy at all (e.g. a client that forgot to compress).
    response = push(server, raw, content_type="application/octet-stream")
    assert response.status_code == 400

    assert query_range(server, '{app="pb-broken"}') == []


def test_bad_labels_refuse_only_their_stream(server, push_pb2):
    request = push_pb2.PushRequest()
    good = request.streams.add()
    good.labels = '{app="pb-mixed"}'
    entry(push_pb2, good, time.time_ns(), "kept")
    bad = request.streams.add()
    bad.labels = '{app="pb-mixed"'
    entry(push_pb2, bad, time.time_ns(), "dropped")

    response = push(server, cramjam.snappy.compress_raw(request.SerializeToString()).read())
    assert response.status_code == 400
    assert "Error parsing labels" in response.text
    result = query_range(server, '{app="pb-mixed"}')
    assert [value[1] for stream in result for value in stream["values"]] == ["kept"]
