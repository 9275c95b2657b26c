import uuid
from datetime import datetime
from functools import partial
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
)

from ..core.schema_docs import DocumentedPattern, without_null
from ..core.text import (
    STORABLE_TEXT_PATTERN,
    check_storable,
    check_trimmed,
    trimmed_text_pattern,
)
from .models import DESCRIPTION_MAX_LENGTH, NAME_MAX_LENGTH

# 1 to 255 characters once surrounding white space is trimmed.
ItemName = Annotated[
    str,
    AfterValidator(partial(check_trimmed, max_length=NAME_MAX_LENGTH)),
    DocumentedPattern(trimmed_text_pattern(NAME_MAX_LENGTH)),
]
ItemDescription = Annotated[
    str,
    StringConstraints(max_length=DESCRIPTION_MAX_LENGTH),
    AfterValidator(check_storable),
    DocumentedPattern(STORABLE_TEXT_PATTERN),
]

# Query-string filters: field -> type of its values.
ITEM_FILTER_FIELDS = {
    "name": str,
    "description": str,
    "created_at": datetime,
    "updated_at": datetime,
}
ITEM_SORT_FIELDS = ("name", "created_at", "updated_at")


class ItemCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: ItemName
    description: ItemDescription | None = None


class ItemUpdate(BaseModel):
    """A partial update: only the fields sent are changed."""

    model_config = ConfigDict(extra="forbid")

    name: ItemName | None = Field(default=None, json_schema_extra=without_null)
    description: ItemDescription | None = None

    @field_validator("name", mode="before")
    @classmethod
    def _name_not_null(cls, value: object) -> object:
        # Omitting the name keeps it; sending null would erase a required field.
        if value is None:
            raise ValueError("name may be omitted but not null")
        return value


class ItemRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    description: str | None
    created_at: datetime
    updated_at: datetime
    # Null while the row is live; set on rows listed with deleted=include|only.
    deleted_at: datetime | None
