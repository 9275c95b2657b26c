from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import unexpected_error_response


class UnexpectedErrorMiddleware:
    """Answers an exception that no handler took with an ordinary 500.

    Starlette's outermost ServerErrorMiddleware would send a 500 too, but then
    re-raises, so the server logs the traceback a second time and drops the
    client's kept-alive connection. This one logs once and keeps it open.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        response_started = False

        async def send_noting_start(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, receive, send_noting_start)
        except Exception as exc:
            if response_started:
                raise  # Too late for a clean answer: the server must cut it off.
            response = unexpected_error_response(Request(scope), exc)
            await response(scope, receive, send)
