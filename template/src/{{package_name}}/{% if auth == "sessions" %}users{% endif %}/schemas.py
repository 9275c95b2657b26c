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

from ..core.text import WHITESPACE, check_storable
from .models import EMAIL_MAX_LENGTH

PASSWORD_MIN_LENGTH = 12
PASSWORD_MAX_LENGTH = 128

# Only the shape is checked: one @, a dot after it, no white space or NUL
# inside. Surrounding white space is trimmed, as the pattern allows it.
# Whether the address takes mail is for a confirmation email to find out.
_PART = f"[^@\\x00{WHITESPACE}]+"
EMAIL_PATTERN = f"^[{WHITESPACE}]*{_PART}@{_PART}\\.{_PART}[{WHITESPACE}]*$"


def _trimmed_email(value: str) -> str:
    return check_storable(value).strip()


Email = Annotated[
    str,
    StringConstraints(max_length=EMAIL_MAX_LENGTH, pattern=EMAIL_PATTERN),
    AfterValidator(_trimmed_email),
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
