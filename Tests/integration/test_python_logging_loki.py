"""The PyPI client `python-logging-loki` pushes through Python's logging; the lines come back."""
import logging
import time

import logging_loki
import requests


def query_range(base, query, limit=100, direction="forward"):
    now = time.time_ns()
    response = requests.get(
        base + "/loki/api/v1/query_range",
        params={"query": query, "start": now - 3600 * 10**9, "end": now + 10**9, "limit": limit, "direction": direction},
        timeout=10,
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "success"
    assert body["data"]["resultType"] == "streams"
    return body["data"]["result"]


def test_python_logging_loki_lines_come_back(server):
    handler = logging_loki.LokiHandler(
        url=server + "/loki/api/v1/push", tags={"app": "pyclient", "service": "backend"}, version="1"
    )
    logger = logging.getLogger("sommos-test")
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    try:
        for i in range(25):
            logger.info("request %d completed requestId=req-py-%d", i, i)
        logger.error("database timeout", extra={"tags": {"component": "db"}})
    finally:
        logger.removeHandler(handler)

    result = query_range(server, '{app="pyclient"}', limit=100)
    # Streams come in label order, as Loki sorts them; the lines of all streams in time order:
    lines = [value[1] for value in sorted((value for stream in result for value in stream["values"]), key=lambda v: int(v[0]))]
    assert len(lines) == 26
    assert lines[0] == "request 0 completed requestId=req-py-0"
    assert "database timeout" in lines
    labels = [stream["stream"] for stream in result]
    assert all(label["app"] == "pyclient" and label["logger"] == "sommos-test" for label in labels)
    assert {label["severity"] for label in labels} == {"info", "error"}
    assert any(label.get("component") == "db" for label in labels)

    errors = query_range(server, '{app="pyclient", severity="error"} |= "timeout"')
    assert [value[1] for stream in errors for value in stream["values"]] == ["database timeout"]

    newest = query_range(server, '{app="pyclient"} != "timeout"', limit=3, direction="backward")
    newest_lines = [value[1] for stream in newest for value in stream["values"]]
    assert newest_lines == [f"request {i} completed requestId=req-py-{i}" for i in (24, 23, 22)]
