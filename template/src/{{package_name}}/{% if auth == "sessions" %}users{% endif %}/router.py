from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response, status

from ..auth.dependencies import Auth, ClientAddress, CurrentSession, passwords_of
from ..auth.schemas import PasswordChange
from ..core.database import DbSession
from ..core.http.errors import problem_responses
from .models import User
from .schemas import UserCreate, UserRead
from .service import UserService

router = APIRouter(prefix="/api/v1/users", tags=["users"])


async def get_user_service(request: Request, session: DbSession) -> UserService:
    return UserService(session, passwords_of(request))


Users = Annotated[UserService, Depends(get_user_service)]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=UserRead,
    responses=problem_responses(409, 422, 503),
)
async def register(payload: UserCreate, users: Users) -> User:
    return await users.register(payload)


@router.get("/me", response_model=UserRead, responses=problem_responses(401, 503))
async def me(signed_in: CurrentSession) -> UserRead:
    return UserRead(
        id=signed_in.user_id,
        email=signed_in.email,
        is_active=signed_in.is_active,
        created_at=signed_in.created_at,
        updated_at=signed_in.updated_at,
    )


@router.post(
    "/me/password",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=problem_responses(401, 403, 422, 429, 503),
)
async def change_password(
    change: PasswordChange,
    signed_in: CurrentSession,
    auth: Auth,
    address: ClientAddress,
) -> None:
    await auth.change_password(signed_in, change, address)
