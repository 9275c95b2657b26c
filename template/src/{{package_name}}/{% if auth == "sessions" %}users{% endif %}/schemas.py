import uuid
from datetime import datetime
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    StringConstraints,
)

from ..core.text import check_storable
from .models import EMAIL_MAX_LENGTH

PASSWORD_MIN_LENGTH = 12
PASSWORD_MAX_LENGTH = 128

# Only the shape is checked (one @, a dot in the domain, no white space or
# NUL); whether the address takes mail is for a confirmation email to find out.
Email = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True,
        max_length=EMAIL_MAX_LENGTH,
        pattern=r"^[^@\s\x00]+@[^@\s\x00]+\.[^@\s\x00]+$",
    ),
    AfterValidator(check_storable),
]


def encodable(password: SecretStr) -> SecretStr:
    # Hashed as UTF-8, which has no encoding for a lone surrogate.
    check_storable(password.get_secret_value().replace("\x00", ""))
    return password


# The policy for new passwords: length only (NIST SP 800-63B), with an upper
# bound so that hashing stays cheap. SecretStr keeps it out of reprs and logs.
NewPassword = Annotated[
    SecretStr,
    Field(min_length=PASSWORD_MIN_LENGTH, max_length=PASSWORD_MAX_LENGTH),
    AfterValidator(encodable),
]


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: Email
    password: NewPassword


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    email: str
    is_active: bool
    created_at: datetime
    updated_at: datetime
