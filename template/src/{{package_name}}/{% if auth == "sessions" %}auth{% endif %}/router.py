from fastapi import APIRouter, Response, status

from ..core.http.errors import problem_responses
from .dependencies import Auth, ClientAddress, CurrentSession
from .schemas import Credentials, SessionToken

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])


@router.post(
    "/login",
    response_model=SessionToken,
    responses=problem_responses(401, 422, 429, 503),
)
async def login(
    credentials: Credentials, auth: Auth, address: ClientAddress
) -> SessionToken:
    return await auth.sign_in(credentials, address)


@router.post(
    "/logout",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=problem_responses(401, 503),
)
async def logout(signed_in: CurrentSession, auth: Auth) -> None:
    await auth.sign_out(signed_in)
