"""OTLP/HTTP logs: the OpenTelemetry Python SDK's OTLPLogExporter (http/protobuf) and raw OTLP/JSON posts,
read back through the Loki query API with Loki's default OTLP mapping."""
import json
import logging
import time

import pytest
import requests
from google.rpc import status_pb2
from opentelemetry.exporter.otlp.proto.http import Compression
from opentelemetry.exporter.otlp.proto.http._log_exporter import OTLPLogExporter
from opentelemetry.proto.collector.logs.v1.logs_service_pb2 import ExportLogsServiceResponse
from opentelemetry.sdk._logs import LoggerProvider, LoggingHandler
from opentelemetry.sdk._logs.export import SimpleLogRecordProcessor
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider

CATEGORIZE = {"X-Loki-Response-Encoding-Flags": "categorize-labels"}
# The SDK's logging bridge still works; its move to opentelemetry-instrumentation-logging is not our concern.
pytestmark = pytest.mark.filterwarnings("ignore:.*LoggingHandler.*:DeprecationWarning")


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


def test_opentelemetry_sdk_logs_arrive_with_loki_mapping(server):
    resource = Resource.create({"service.name": "sommos-backend", "deployment.environment": "yacht",
                                "host.name": "galley-1"})
    provider = LoggerProvider(resource=resource)
    provider.add_log_record_processor(SimpleLogRecordProcessor(OTLPLogExporter(endpoint=server + "/otlp/v1/logs")))
    handler = LoggingHandler(level=logging.INFO, logger_provider=provider)
    logger = logging.getLogger("sommos.otlp")
    logger.setLevel(logging.INFO)
    logger.propagate = False
    logger.addHandler(handler)
    tracer = TracerProvider(resource=resource).get_tracer("sommos.tracer")
    try:
        logger.info("request completed", extra={"requestId": "req-otlp-1", "statusCode": 200})
        with tracer.start_as_current_span("pairing") as span:
            trace_id = format(span.get_span_context().trace_id, "032x")
            span_id = format(span.get_span_context().span_id, "016x")
            trace_flags = int(span.get_span_context().trace_flags)
            logger.error("pairing service timeout", extra={"requestId": "req-otlp-2"})
        assert provider.force_flush()
    finally:
        logger.removeHandler(handler)
        provider.shutdown()

    result = query_range(server, '{service_name="sommos-backend"}', headers=CATEGORIZE)
    values = [(stream["stream"], value) for stream in result for value in stream["values"]]
    assert [value[1] for _, value in values] == ["request completed", "pairing service timeout"]
    for labels, _ in values:
        # The SDK adds service.instance.id, which Loki also indexes by default.
        assert labels["service_instance_id"]
        assert {k: v for k, v in labels.items() if k != "service_instance_id"} == {
            "service_name": "sommos-backend", "deployment_environment": "yacht"}

    info = values[0][1][2]["structuredMetadata"]
    assert info["requestId"] == "req-otlp-1"
    assert info["statusCode"] == "200"
    assert info["severity_number"] == "9"
    assert info["severity_text"] == "INFO"
    assert info["scope_name"] == "sommos.otlp"
    assert info["host_name"] == "galley-1"
    assert info["telemetry_sdk_language"] == "python"
    assert "trace_id" not in info
    assert int(info["observed_timestamp"]) > 0

    error = values[1][1][2]["structuredMetadata"]
    assert error["severity_number"] == "17"
    assert error["severity_text"] == "ERROR"
    assert error["trace_id"] == trace_id
    assert error["span_id"] == span_id
    assert error["flags"] == str(trace_flags)  # sampled, plus "random" in newer SDKs

    by_request = query_range(server, '{service_name="sommos-backend"} | requestId="req-otlp-2"')
    assert [value[1] for stream in by_request for value in stream["values"]] == ["pairing service timeout"]


def test_gzip_exporter(server):
    provider = LoggerProvider(resource=Resource.create({"service.name": "sommos-gzip"}))
    exporter = OTLPLogExporter(endpoint=server + "/otlp/v1/logs", compression=Compression.Gzip)
    provider.add_log_record_processor(SimpleLogRecordProcessor(exporter))
    logger = logging.getLogger("sommos.gzip")
    logger.propagate = False
    handler = LoggingHandler(level=logging.INFO, logger_provider=provider)
    logger.addHandler(handler)
    try:
        logger.warning("cellar temperature high: %d°C", 19)
        assert provider.force_flush()
    finally:
        logger.removeHandler(handler)
        provider.shutdown()
    result = query_range(server, '{service_name="sommos-gzip"}', headers=CATEGORIZE)
    values = [value for stream in result for value in stream["values"]]
    assert [value[1] for value in values] == ["cellar temperature high: 19°C"]
    assert values[0][2]["structuredMetadata"]["severity_text"] == "WARN"


def otlp_json(records, service="otlp-json"):
    return {"resourceLogs": [{
        "resource": {"attributes": [{"key": "service.name", "value": {"stringValue": service}}]},
        "scopeLogs": [{"scope": {"name": "raw.json"}, "logRecords": records}],
    }]}


def test_otlp_json_with_hex_ids_and_partial_success(server):
    now = time.time_ns()
    records = [
        {"timeUnixNano": str(now - 2000), "severityNumber": 17, "severityText": "ERROR",
         "body": {"stringValue": "payment failed"},
         "attributes": [{"key": "http.status", "value": {"intValue": "502"}}],
         "traceId": "5b8efff798038103d269b633813fc60c", "spanId": "eee19b7ec3c1b174", "flags": 1},
        {"timeUnixNano": str(now - 1000), "body": {"kvlistValue": {"values": [
            {"key": "b", "value": {"intValue": "2"}}, {"key": "a", "value": {"stringValue": "<x>"}}]}}},
    ]
    response = requests.post(server + "/otlp/v1/logs", data=json.dumps(otlp_json(records)),
                             headers={"Content-Type": "application/json"}, timeout=10)
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"] == "application/json"
    assert response.json() == {}

    result = query_range(server, '{service_name="otlp-json"}', headers=CATEGORIZE)
    values = [value for stream in result for value in stream["values"]]
    assert [value[1] for value in values] == ["payment failed", '{"a":"\\u003cx\\u003e","b":2}']
    metadata = values[0][2]["structuredMetadata"]
    assert metadata["trace_id"] == "5b8efff798038103d269b633813fc60c"
    assert metadata["span_id"] == "eee19b7ec3c1b174"
    assert metadata["http_status"] == "502"

    # One record over the line-size limit (256 KiB by default): the other is stored, the response says so.
    mixed = [{"timeUnixNano": str(now), "body": {"stringValue": "small"}},
             {"timeUnixNano": str(now), "body": {"stringValue": "y" * 300_000}}]
    response = requests.post(server + "/otlp/v1/logs", data=json.dumps(otlp_json(mixed, service="otlp-partial")),
                             headers={"Content-Type": "application/json"}, timeout=10)
    assert response.status_code == 200, response.text
    partial = response.json()["partialSuccess"]
    assert partial["rejectedLogRecords"] == "1"
    assert "Max entry size" in partial["errorMessage"]
    stored = query_range(server, '{service_name="otlp-partial"}')
    assert [value[1] for stream in stored for value in stream["values"]] == ["small"]


def test_otlp_errors_are_google_rpc_status(server):
    response = requests.post(server + "/otlp/v1/logs", data=b"{}",
                             headers={"Content-Type": "text/plain"}, timeout=10)
    assert response.status_code == 400
    assert response.headers["Content-Type"] == "application/x-protobuf"
    status = status_pb2.Status.FromString(response.content)
    assert status.message == "content type: text/plain is not supported"

    response = requests.post(server + "/otlp/v1/logs", data=b"\x0a\x05\x0a\x03",
                             headers={"Content-Type": "application/x-protobuf"}, timeout=10)
    assert response.status_code == 400
    assert "truncated" in status_pb2.Status.FromString(response.content).message

    response = requests.post(server + "/otlp/v1/logs", data=b'{"resourceLogs":[',
                             headers={"Content-Type": "application/json"}, timeout=10)
    assert response.status_code == 400
    assert response.json()["message"].startswith("invalid JSON OTLP logs request")

    response = requests.post(server + "/otlp/v1/logs", data=b"",
                             headers={"Content-Type": "application/x-protobuf", "Content-Encoding": "zstd"}, timeout=10)
    assert response.status_code == 400
    assert status_pb2.Status.FromString(response.content).message == 'Content-Encoding "zstd" not supported'

    empty = requests.post(server + "/otlp/v1/logs", data=b"", headers={"Content-Type": "application/x-protobuf"}, timeout=10)
    assert empty.status_code == 200
    assert ExportLogsServiceResponse.FromString(empty.content) == ExportLogsServiceResponse()
