import uuid
from datetime import datetime
from typing import Annotated

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    StringConstraints,
    field_validator,
)

from .models import DESCRIPTION_MAX_LENGTH, NAME_MAX_LENGTH

ItemName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=NAME_MAX_LENGTH),
]
ItemDescription = Annotated[str, StringConstraints(max_length=DESCRIPTION_MAX_LENGTH)]

# Query-string filters: field -> type of its values.
ITEM_FILTER_FIELDS = {
    "name": str,
    "description": str,
    "created_at": AwareDatetime,
    "updated_at": AwareDatetime,
}
ITEM_SORT_FIELDS = ("name", "created_at", "updated_at")


class ItemCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: ItemName
    description: ItemDescription | None = None


class ItemUpdate(BaseModel):
    """A partial update: only the fields sent are changed."""

    model_config = ConfigDict(extra="forbid")

    name: ItemName | None = None
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
