"""Which exporter each signal sends to, as the standard variables say.

A signal is exported when `OTEL_<SIGNAL>_EXPORTER` names an exporter (`otlp`,
`console`; `none` turns it off), or, if that is unset, when an OTLP endpoint is
set (`OTEL_EXPORTER_OTLP_ENDPOINT` or `OTEL_EXPORTER_OTLP_<SIGNAL>_ENDPOINT`).
OTLP goes over HTTP/protobuf unless `OTEL_EXPORTER_OTLP_[<SIGNAL>_]PROTOCOL` is
`grpc`. The exporters read their endpoints, headers and timeouts themselves
(docs/telemetry.md).
"""

import os

# The logs signal's SDK is published under `_logs`, its documented import path
# while the signal is in development upstream.
from opentelemetry.sdk._logs.export import ConsoleLogRecordExporter, LogRecordExporter
from opentelemetry.sdk.metrics.export import ConsoleMetricExporter, MetricExporter
from opentelemetry.sdk.trace.export import ConsoleSpanExporter, SpanExporter

PROTOCOLS = ("http/protobuf", "grpc")


class TelemetryConfigError(ValueError):
    """An `OTEL_*` variable asks for what this service cannot do."""


def span_exporters() -> list[SpanExporter]:
    return [_span_exporter(name) for name in exporter_names("traces")]


def metric_exporters() -> list[MetricExporter]:
    return [_metric_exporter(name) for name in exporter_names("metrics")]


def log_exporters() -> list[LogRecordExporter]:
    return [_log_exporter(name) for name in exporter_names("logs")]


def exporter_names(signal: str) -> list[str]:
    """What OTEL_<SIGNAL>_EXPORTER names, or otlp if only an endpoint is set."""
    variable = f"OTEL_{signal.upper()}_EXPORTER"
    if configured := _variable(variable):
        names = [name.strip().lower() for name in configured.split(",")]
        return [name for name in names if name and name != "none"]
    endpoint = f"OTEL_EXPORTER_OTLP_{signal.upper()}_ENDPOINT"
    if _variable(endpoint) or _variable("OTEL_EXPORTER_OTLP_ENDPOINT"):
        return ["otlp"]
    return []


def _protocol(signal: str) -> str:
    protocol = (
        _variable(f"OTEL_EXPORTER_OTLP_{signal.upper()}_PROTOCOL")
        or _variable("OTEL_EXPORTER_OTLP_PROTOCOL")
        or "http/protobuf"
    )
    if protocol not in PROTOCOLS:
        raise TelemetryConfigError(
            f"OTLP protocol {protocol!r} for {signal} is not supported: "
            f"use one of {', '.join(PROTOCOLS)}"
        )
    return protocol


def _unknown_exporter(signal: str, name: str) -> TelemetryConfigError:
    return TelemetryConfigError(
        f"OTEL_{signal.upper()}_EXPORTER={name!r} is not supported: "
        "use otlp, console or none"
    )


# The exporters are imported when asked for: gRPC's takes a moment to load,
# and a service that exports nothing should not pay it at every start.


def _span_exporter(name: str) -> SpanExporter:
    if name == "console":
        return ConsoleSpanExporter()
    if name != "otlp":
        raise _unknown_exporter("traces", name)
    if _protocol("traces") == "grpc":
        from opentelemetry.exporter.otlp.proto.grpc import trace_exporter as grpc

        return grpc.OTLPSpanExporter()
    from opentelemetry.exporter.otlp.proto.http import trace_exporter as http

    return http.OTLPSpanExporter()


def _metric_exporter(name: str) -> MetricExporter:
    if name == "console":
        return ConsoleMetricExporter()
    if name != "otlp":
        raise _unknown_exporter("metrics", name)
    if _protocol("metrics") == "grpc":
        from opentelemetry.exporter.otlp.proto.grpc import metric_exporter as grpc

        return grpc.OTLPMetricExporter()
    from opentelemetry.exporter.otlp.proto.http import metric_exporter as http

    return http.OTLPMetricExporter()


def _log_exporter(name: str) -> LogRecordExporter:
    if name == "console":
        return ConsoleLogRecordExporter()
    if name != "otlp":
        raise _unknown_exporter("logs", name)
    if _protocol("logs") == "grpc":
        from opentelemetry.exporter.otlp.proto.grpc import _log_exporter as grpc

        return grpc.OTLPLogExporter()
    from opentelemetry.exporter.otlp.proto.http import _log_exporter as http

    return http.OTLPLogExporter()


def _variable(name: str) -> str:
    return os.environ.get(name, "").strip()
