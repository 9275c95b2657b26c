from starlette.datastructures import Headers
from starlette.middleware.gzip import GZipMiddleware, GZipResponder, IdentityResponder
from starlette.types import Message, Receive, Scope, Send


class GZipLargeResponsesMiddleware(GZipMiddleware):
    """Starlette's GZip, without its cost on responses too small to compress.

    Starlette's sets up a responder for every request, reading the request's
    and the response's headers, only to send a body under `minimum_size` as it
    came, on every small response a read sends. This sends such a
    body, whole in one message, straight on, and gives every other response to
    Starlette's responder, as Starlette would have.
    """

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        responder: IdentityResponder | None = None

        async def send_compressing_large(message: Message) -> None:
            nonlocal start, responder
            if responder is not None:
                await responder.send_with_compression(message)
            elif message["type"] == "http.response.start":
                start = message
            elif start is None:
                await send(message)
            elif self._is_small_and_whole(message):
                await send(start)
                await send(message)
            else:
                responder = self._responder(scope, send)
                await responder.send_with_compression(start)
                await responder.send_with_compression(message)

        await self.app(scope, receive, send_compressing_large)

    def _is_small_and_whole(self, message: Message) -> bool:
        return (
            message["type"] == "http.response.body"
            and not message.get("more_body", False)
            and len(message.get("body", b"")) < self.minimum_size
        )

    def _responder(self, scope: Scope, send: Send) -> IdentityResponder:
        responder: IdentityResponder
        if "gzip" in Headers(scope=scope).get("Accept-Encoding", ""):
            responder = GZipResponder(
                self.app,
                self.minimum_size,
                compresslevel=self.compresslevel,
                thread_minimum_size=self.thread_minimum_size,
                exclude_content_types=self.exclude_content_types,
            )
        else:
            responder = IdentityResponder(
                self.app,
                self.minimum_size,
                exclude_content_types=self.exclude_content_types,
            )
        responder.send = send
        return responder
