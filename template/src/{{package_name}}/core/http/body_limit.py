from http import HTTPStatus

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import problem_response


class BodySizeLimitMiddleware:
    """Refuses a request body past `max_size` bytes with 413, unread.

    A declared Content-Length past the limit is answered before the route runs;
    a body sent without one is counted as it arrives and cut off at the limit.
    (FastAPI's own `max_body_size` answers the first case in plain text from
    outside every middleware: no problem shape, no request id.)
    """

    def __init__(self, app: ASGIApp, max_size: int) -> None:
        self.app = app
        self.max_size = max_size

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if _declared_length(scope) > self.max_size:
            response = problem_response(
                Request(scope), HTTPStatus.REQUEST_ENTITY_TOO_LARGE, self._detail
            )
            await response(scope, receive, send)
            return
        received = 0

        async def receive_within_limit() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_size:
                    # An HTTPException: FastAPI passes it on from a body read.
                    raise HTTPException(
                        HTTPStatus.REQUEST_ENTITY_TOO_LARGE, self._detail
                    )
            return message

        await self.app(scope, receive_within_limit, send)

    @property
    def _detail(self) -> str:
        return f"The request body is larger than {self.max_size} bytes"


def _declared_length(scope: Scope) -> int:
    try:
        return int(Headers(scope=scope).get("content-length", "0"))
    except ValueError:
        return 0
