"""The query parameters of a list request: how each is read and documented."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import AwareDatetime, TypeAdapter

from .query import TEXT_ONLY_OPERATORS, Operator
from .values import LikeValue, ListedText, Text, Timestamp

_BOOLEAN: TypeAdapter[bool] = TypeAdapter(bool)


@dataclass(frozen=True)
class Parameter:
    """One query parameter of a list request: how it is read and documented."""

    name: str
    read: Callable[[str], Any]
    schema: dict[str, Any]
    description: str
    # The filter it sets, if any.
    field_filter: tuple[str, Operator] | None = None
    # A list (`in`): the parameter may be repeated, each value read by `read`
    # into a tuple and the tuples joined, so `a&a` and `a,a` say the same.
    repeatable: bool = False

    def read_all(self, raws: Sequence[str]) -> Any:
        """The value of the parameter given `raws` (each time it was given)."""
        if self.repeatable:
            return tuple(value for raw in raws for value in self.read(raw))
        return self.read(raws[0])

    def openapi(self) -> dict[str, Any]:
        parameter = {
            "name": self.name,
            "in": "query",
            "required": False,
            "description": self.description,
            "schema": self.schema,
        }
        return parameter


def adapted(adapter: TypeAdapter[Any]) -> tuple[Callable[[str], Any], dict[str, Any]]:
    return adapter.validate_strings, adapter.json_schema()


def value_type(kind: Any) -> Any:
    if kind is str:
        return Text
    if kind in (datetime, AwareDatetime):
        return Timestamp
    return kind


@dataclass(frozen=True)
class FilterField:
    name: str
    kind: Any

    def operators(self) -> list[Operator]:
        if self.kind is str:
            return list(Operator)
        return [
            operator for operator in Operator if operator not in TEXT_ONLY_OPERATORS
        ]

    def parameters(self) -> list[Parameter]:
        # eq goes by the bare field name too.
        named = [(self.name, Operator.EQ)]
        named += [
            (f"{self.name}__{operator}", operator) for operator in self.operators()
        ]
        return [self.parameter(name, operator) for name, operator in named]

    def parameter(self, name: str, operator: Operator) -> Parameter:
        field_filter = (self.name, operator)
        value = TypeAdapter(value_type(self.kind))
        match operator:
            case Operator.ISNULL:
                text = f"true: {self.name} is null; false: it is not"
                return Parameter(name, *adapted(_BOOLEAN), text, field_filter)
            case Operator.LIKE | Operator.ILIKE:
                letters = (
                    "ignoring case" if operator is Operator.ILIKE else "matching case"
                )
                text = (
                    f"{self.name} contains this text, {letters}; with % or _ it is "
                    "a SQL LIKE pattern (escape character \\)"
                )
                like = TypeAdapter(LikeValue)
                return Parameter(name, *adapted(like), text, field_filter)
            case Operator.IN:
                element = TypeAdapter(ListedText) if self.kind is str else value
                schema = {
                    "type": "array",
                    "items": element.json_schema(),
                    "minItems": 1,
                }
                text = (
                    f"{self.name} is one of these values: repeat the parameter "
                    f"({name}=a&{name}=b), or separate values with commas "
                    f"({name}=a,b)"
                )
                read = _comma_separated(element)
                return Parameter(
                    name, read, schema, text, field_filter, repeatable=True
                )
            case _:
                text = f"{self.name} {_COMPARISONS[operator]} this value"
                return Parameter(name, *adapted(value), text, field_filter)


_COMPARISONS = {
    Operator.EQ: "equals",
    Operator.NE: "differs from (null counts as different)",
    Operator.GT: "is greater than",
    Operator.GTE: "is at least",
    Operator.LT: "is less than",
    Operator.LTE: "is at most",
}


def _comma_separated(element: TypeAdapter[Any]) -> Callable[[str], tuple[Any, ...]]:
    def read(raw: str) -> tuple[Any, ...]:
        return tuple(element.validate_strings(part) for part in raw.split(","))

    return read
