"""Where a page starts: the sort order and the keyset cursor, written and read."""

import base64
import binascii
import json
import uuid
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import Field, TypeAdapter
from pydantic_core import to_jsonable_python


@dataclass(frozen=True)
class Ordering:
    field: str
    descending: bool

    @property
    def key(self) -> str:
        return f"-{self.field}" if self.descending else self.field


DEFAULT_ORDERING = Ordering("created_at", descending=True)


@dataclass(frozen=True)
class Cursor:
    """Where a page starts: after the row with this sort value and id (keyset
    pagination, as fast on page 50,000 as on page 1)."""

    page: int
    ordering: Ordering
    value: Any
    id: uuid.UUID

    def encode(self) -> str:
        fields = [self.page, self.ordering.key, to_jsonable_python(self.value)]
        raw = json.dumps([*fields, str(self.id)], separators=(",", ":"))
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


_CURSOR_FIELDS: TypeAdapter[tuple[int, str, Any, uuid.UUID]] = TypeAdapter(
    tuple[Annotated[int, Field(ge=1)], str, Any, uuid.UUID]
)


NOT_A_CURSOR = "not a cursor this service gave; follow a page's links"


def read_cursor(raw: str) -> tuple[int, str, Any, uuid.UUID]:
    """A cursor's fields; their sense is checked against the request later."""
    try:
        decoded = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4))
        return _CURSOR_FIELDS.validate_json(decoded)
    except (binascii.Error, ValueError):
        raise ValueError(NOT_A_CURSOR) from None
