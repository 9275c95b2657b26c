from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, SecretStr

from ..users.schemas import PASSWORD_MAX_LENGTH, Email, NewPassword, encodable

# Any password is checked at sign-in (the policy may have changed since it was
# set), up to the policy's bound: hashing a megabyte costs the server, not you.
GivenPassword = Annotated[
    SecretStr,
    Field(min_length=1, max_length=PASSWORD_MAX_LENGTH),
    AfterValidator(encodable),
]


class Credentials(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: Email
    password: GivenPassword


class SessionToken(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_at: datetime


class PasswordChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    current_password: GivenPassword
    new_password: NewPassword
