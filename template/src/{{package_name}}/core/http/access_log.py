import logging
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

logger = logging.getLogger(__name__)

# An orchestrator probes these every few seconds, forever: a probe that
# succeeds is logged at DEBUG, so that the requests are not drowned; one that
# fails stays at INFO.
PROBE_PATHS = frozenset({"/healthz", "/readyz"})


class AccessLogMiddleware:
    """Logs one line per request: method, path, status, duration, request id."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        # An exception that escapes here becomes a 500 further out.
        status = 500

        async def send_and_note_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_note_status)
        finally:
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            probe = scope["path"] in PROBE_PATHS and status < 400
            _log(logging.DEBUG if probe else logging.INFO, scope, status, duration_ms)


def _log(level: int, scope: Scope, status: int, duration_ms: float) -> None:
    if not logger.isEnabledFor(level):
        return
    method, path = scope["method"], scope["path"]
    # makeRecord and handle, which is what logger.log() ends in, without its
    # walk up the stack for the caller's file and line: that walk cost a third
    # of the line, and every access line has the same caller.
    record = logger.makeRecord(
        logger.name,
        level,
        __file__,
        0,
        "%s %s %d %.1fms",
        (method, path, status, duration_ms),
        None,
        extra={
            "method": method,
            "path": path,
            "status": status,
            "duration_ms": duration_ms,
            "request_id": scope.get("state", {}).get("request_id"),
        },
    )
    logger.handle(record)
