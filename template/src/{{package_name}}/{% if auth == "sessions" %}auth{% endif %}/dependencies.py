from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from ..core.config import Settings
from ..core.database import DbSession
from .exceptions import UnauthenticatedError
from .passwords import Passwords
from .repository import SessionRepository, SignedIn
from .service import AuthService
from .tokens import token_hash

# Documents the scheme in OpenAPI; a missing or malformed header is our 401,
# not FastAPI's 403.
bearer = HTTPBearer(
    auto_error=False, description="The access_token of POST /api/v1/auth/login"
)
BearerCredentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


def settings_of(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def passwords_of(request: Request) -> Passwords:
    passwords: Passwords = request.app.state.passwords
    return passwords


def client_address(request: Request) -> str:
    # Behind a proxy, this is the proxy's address unless the server trusts its
    # X-Forwarded-For (uvicorn: --forwarded-allow-ips).
    return request.client.host if request.client else "unknown"


async def require_session(
    request: Request, credentials: BearerCredentials, session: DbSession
) -> SignedIn:
    """The request's live session, checked in one round trip on the request's
    own database session; 401 otherwise."""
    if credentials is None:
        raise UnauthenticatedError()
    idle_timeout = settings_of(request).session_idle_timeout
    signed_in = await SessionRepository(session).live(
        token_hash(credentials.credentials), idle_timeout
    )
    if signed_in is None:
        raise UnauthenticatedError()
    return signed_in


async def get_auth_service(request: Request, session: DbSession) -> AuthService:
    return AuthService(session, passwords_of(request), settings_of(request))


CurrentSession = Annotated[SignedIn, Depends(require_session)]
Auth = Annotated[AuthService, Depends(get_auth_service)]
ClientAddress = Annotated[str, Depends(client_address)]
