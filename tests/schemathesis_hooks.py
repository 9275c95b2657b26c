"""Schemathesis hooks for tests/test_fuzzing.py (SCHEMATHESIS_HOOKS).

A list's `cursor` is valid only as a page's `next` link gives it, with the
order it was made for and without `page`, which no schema can express. Cases
meant to be valid go without an invented one; the rendered tests cover
cursors, good and bad, and invalid cases keep theirs.

With auth=sessions, valid cases get values that reach the logic behind the
checks: a registration gets an email of its own (the generator repeats values,
and each repeat would only meet the 409 for a taken address); a sign-in, the
fuzzing user's credentials, and a password change, its password as both the
current and the new one. Random credentials would only ever meet the 401 or
403 that the rendered tests already cover.
"""

import uuid
from typing import Any

import schemathesis
from schemathesis import GenerationMode

# The user tests/test_fuzzing.py signs up and fuzzes as.
FUZZ_EMAIL = "fuzzer@example.com"
FUZZ_PASSWORD = "a fuzzing passphrase"


@schemathesis.hook
def before_call(
    context: schemathesis.HookContext, case: schemathesis.Case, kwargs: dict[str, Any]
) -> None:
    positive = case.meta is None or case.meta.generation.mode is GenerationMode.POSITIVE
    if positive and case.query:
        case.query.pop("cursor", None)
    if positive and isinstance(case.body, dict):
        _reach_the_logic(case.operation.path, case.body)


def _reach_the_logic(path: str, body: dict[str, Any]) -> None:
    if path == "/api/v1/users" and "email" in body:
        body["email"] = f"fuzz-{uuid.uuid4().hex}@example.com"
    elif path == "/api/v1/auth/login":
        body.update(email=FUZZ_EMAIL, password=FUZZ_PASSWORD)
    elif path == "/api/v1/users/me/password":
        body.update(current_password=FUZZ_PASSWORD, new_password=FUZZ_PASSWORD)
