"""Schemathesis hooks for tests/test_fuzzing.py (SCHEMATHESIS_HOOKS).

A list's `cursor` is valid only as a page's `next` link gives it, with the
order it was made for and without `page`, which no schema can express. Cases
meant to be valid go without an invented one; the rendered tests cover
cursors, good and bad, and invalid cases keep theirs.
"""

from typing import Any

import schemathesis
from schemathesis import GenerationMode


@schemathesis.hook
def before_call(
    context: schemathesis.HookContext, case: schemathesis.Case, kwargs: dict[str, Any]
) -> None:
    positive = case.meta is None or case.meta.generation.mode is GenerationMode.POSITIVE
    if positive and case.query:
        case.query.pop("cursor", None)
