"""Text rules shared by request bodies and query strings.

PostgreSQL's text types cannot hold U+0000, and UTF-8 cannot encode a lone
surrogate: such text is the client's mistake (422), never a 500. Each rule
here is also published as a JSON Schema `pattern`, so the OpenAPI document says
what is accepted; tests/core/test_text.py holds the code and the patterns to
the same answers.
"""

# What str.strip() removes: every character for which str.isspace() is true.
WHITESPACE = (
    r"\t\n\x0b\x0c\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
)

# Any text without U+0000.
STORABLE_TEXT_PATTERN = r"^[^\x00]*$"


def check_storable(value: str) -> str:
    """Refuse text PostgreSQL cannot store."""
    if "\x00" in value:
        raise ValueError("must not contain the NUL character (U+0000)")
    if any("\ud800" <= char <= "\udfff" for char in value):
        raise ValueError("must not contain a lone surrogate (U+D800 to U+DFFF)")
    return value


def trimmed_text_pattern(max_length: int) -> str:
    """Text of 1 to `max_length` characters once surrounding white space is
    trimmed, without U+0000: white space, a first and a last character that
    are not, and at most `max_length - 2` characters between them."""
    space = f"[{WHITESPACE}]*"
    edge = rf"[^\x00{WHITESPACE}]"
    middle = r"[^\x00]{0," + str(max_length - 2) + "}"
    return f"^{space}{edge}(?:{middle}{edge})?{space}$"


def check_trimmed(value: str, max_length: int) -> str:
    """Trim surrounding white space; refuse what is then empty or too long."""
    value = check_storable(value).strip()
    if not value:
        raise ValueError("must hold more than white space")
    if len(value) > max_length:
        raise ValueError(f"must be at most {max_length} characters once trimmed")
    return value
