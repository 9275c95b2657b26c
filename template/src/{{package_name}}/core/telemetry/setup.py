"""The providers of traces, metrics and logs, built from the `OTEL_*`
environment variables (exporters.py), and how the app and its engine use them.
With no variable set there are none, and nothing is instrumented.
"""

import os
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

from fastapi.telemetry import TelemetryConfig
from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor
from opentelemetry.instrumentation.utils import suppress_instrumentation

# The logs signal's SDK is published under `_logs`, its documented import path
# while the signal is in development upstream.
from opentelemetry.sdk._logs import LoggerProvider
from opentelemetry.sdk._logs.export import BatchLogRecordProcessor
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import MetricReader, PeriodicExportingMetricReader
from opentelemetry.sdk.resources import SERVICE_NAME, OTELResourceDetector, Resource
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.types import ASGIApp, Receive, Scope, Send

from ..http.access_log import PROBE_PATHS
from .exporters import log_exporters, metric_exporters, span_exporters


@dataclass(frozen=True)
class Telemetry:
    """The providers of the signals that are exported; None for the others."""

    tracer_provider: TracerProvider | None = None
    meter_provider: MeterProvider | None = None
    logger_provider: LoggerProvider | None = None

    @classmethod
    def from_environment(cls, default_service_name: str) -> "Telemetry":
        if os.environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
            return cls()
        resource = _resource(default_service_name)
        tracer_provider = meter_provider = logger_provider = None
        if traces := span_exporters():
            tracer_provider = TracerProvider(resource=resource)
            for exporter in traces:
                processor: SpanProcessor = BatchSpanProcessor(exporter)
                tracer_provider.add_span_processor(processor)
        if metrics := metric_exporters():
            readers: list[MetricReader] = [
                PeriodicExportingMetricReader(exporter) for exporter in metrics
            ]
            meter_provider = MeterProvider(resource=resource, metric_readers=readers)
        if logs := log_exporters():
            logger_provider = LoggerProvider(resource=resource)
            for log_exporter in logs:
                logger_provider.add_log_record_processor(
                    BatchLogRecordProcessor(log_exporter)
                )
        return cls(tracer_provider, meter_provider, logger_provider)

    @property
    def enabled(self) -> bool:
        return any(
            provider is not None
            for provider in (
                self.tracer_provider,
                self.meter_provider,
                self.logger_provider,
            )
        )

    def fastapi_config(self) -> TelemetryConfig:
        """FastAPI's own instrumentation, on these providers: a server span per
        request named by its route, HTTP metrics, and failures as log records.
        FastAPI turns itself off when there are none."""
        return {
            "tracer_provider": self.tracer_provider,
            "meter_provider": self.meter_provider,
            "logger_provider": self.logger_provider,
            "tracing": self.tracer_provider is not None,
            "metrics": self.meter_provider is not None,
            "logs": self.logger_provider is not None,
            # Exporters come from here, not from FastAPI's reading of the
            # environment, so that each signal is exported once.
            "auto_configure": False,
            "exclude": _is_probe,
        }

    def instrument(self, engine: AsyncEngine) -> Callable[[], None]:
        """A span per SQL statement, its text without the values bound to it,
        and the pool's connections in use; returns what undoes it."""
        if self.tracer_provider is None and self.meter_provider is None:
            return _nothing
        instrumentor = SQLAlchemyInstrumentor()
        instrumentor.instrument(
            engine=engine.sync_engine,
            tracer_provider=self.tracer_provider,
            meter_provider=self.meter_provider,
            # It declares SQLAlchemy < 2.1 while it runs on 2.1's events
            # unchanged; tests/core/test_telemetry.py proves its spans.
            skip_dep_check=True,
        )

        def uninstrument() -> None:
            instrumentor.uninstrument()

        return uninstrument

    def shutdown(self) -> None:
        """Send what is buffered, then stop the exporters."""
        for provider in (self.tracer_provider, self.meter_provider):
            if provider is not None:
                provider.shutdown()
        if self.logger_provider is not None:
            self.logger_provider.shutdown()


def _is_probe(scope: MutableMapping[str, Any]) -> bool:
    # Probes run every few seconds per replica, and would bury the traces.
    return scope.get("path") in PROBE_PATHS


class UntracedProbesMiddleware:
    """Leaves the probes' SQL out of traces too: FastAPI's `exclude` skips
    their server spans, and the statements would otherwise start traces of
    their own. Added only when telemetry is on."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not _is_probe(scope):
            await self.app(scope, receive, send)
            return
        with suppress_instrumentation():
            await self.app(scope, receive, send)


def _nothing() -> None:
    pass


def _resource(default_service_name: str) -> Resource:
    # OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES win over the default.
    default = Resource.create({SERVICE_NAME: default_service_name})
    return default.merge(OTELResourceDetector().detect())
