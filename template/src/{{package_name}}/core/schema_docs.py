"""What the OpenAPI document says of fields whose validators say it better
than JSON Schema can: the document must still describe exactly what passes."""

from dataclasses import dataclass
from typing import Any

from pydantic import GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema


@dataclass(frozen=True)
class DocumentedPattern:
    """Publishes `regex` as the JSON Schema `pattern` of a field whose
    validators enforce the same rule with clearer messages."""

    regex: str

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        json_schema["pattern"] = self.regex
        return json_schema


def without_null(schema: dict[str, Any]) -> None:
    """`json_schema_extra` of a field that may be omitted but never null: its
    type says `X | None` (None is what omitted reads as), a validator refuses
    null, and the schema shows X alone."""
    variants = schema.pop("anyOf")
    [kept] = [variant for variant in variants if variant != {"type": "null"}]
    schema.update(kept)
