"""Hostile and odd input: a client's mistake is a 4xx problem, never a 500.

Each case names the request and what the answer must say; values the database
cannot take (U+0000, an overflowing OFFSET, a pattern ending in the escape
character) are refused before they reach it.
"""

from typing import Any

import pytest
from httpx import AsyncClient, Response

ITEMS = "/api/v1/items"
ITEM = "/api/v1/items/00000000-0000-7000-8000-000000000000"
MAX_PAGE = 10_000_000


def assert_problem(response: Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["error_code"] == code
    return body


def refused_fields(response: Response) -> set[str]:
    body = assert_problem(response, 422, "VALIDATION_ERROR")
    return {".".join(map(str, error["loc"])) for error in body["errors"]}


BAD_QUERIES = [
    # Text PostgreSQL cannot store.
    ("name=a\x00b", "query.name"),
    ("name__ne=\x00", "query.name__ne"),
    ("name__like=a\x00", "query.name__like"),
    ("name__ilike=\x00%", "query.name__ilike"),
    ("name__in=a,\x00", "query.name__in"),
    ("description__gt=\x00", "query.description__gt"),
    # An OFFSET past bigint, or past the documented bound.
    ("page=9223372036854775808", "query.page"),
    (f"page={10**100}", "query.page"),
    (f"page={MAX_PAGE + 1}", "query.page"),
    ("page=0", "query.page"),
    ("size=101", "query.size"),
    # A SQL pattern that ends in the escape character.
    ("name__like=%\\", "query.name__like"),
    ("name__ilike=a_\\\\\\", "query.name__ilike"),
    # Timestamps must be ISO 8601 with an offset, not Unix time or naive.
    ("created_at__gt=1", "query.created_at__gt"),
    ("created_at__gt=2024-01-01T00:00:00", "query.created_at__gt"),
    ("updated_at__in=2024-01-01T00:00:00Z,yesterday", "query.updated_at__in"),
    # A parameter is given once; an empty list or element is no list.
    ("page=1&page=2", "query.page"),
    ("order_by=name&order_by=-name", "query.order_by"),
    ("name=a&name=b", "query.name"),
    ("name__in=", "query.name__in"),
    ("name__in=a,,b", "query.name__in"),
    # What order_by accepts is listed; an empty one is none of it.
    ("order_by=", "query.order_by"),
    ("order_by=description", "query.order_by"),
    ("created_at__like=2024", "query.created_at__like"),
    ("name__regex=a", "query.name__regex"),
    ("deleted=maybe", "query.deleted"),
    ("name__isnull=perhaps", "query.name__isnull"),
]


@pytest.mark.parametrize(("query", "field"), BAD_QUERIES)
async def test_a_bad_list_query_is_422_naming_it(
    client: AsyncClient, query: str, field: str
) -> None:
    response = await client.get(f"{ITEMS}?{_encoded(query)}")
    assert refused_fields(response) == {field}


def _encoded(query: str) -> str:
    return query.replace("\x00", "%00").replace("\\", "%5C").replace(" ", "%20")


BAD_BODIES = [
    ("POST", ITEMS, {"name": "a\x00b"}, "body.name"),
    ("POST", ITEMS, {"name": "ok", "description": "\x00"}, "body.description"),
    ("POST", ITEMS, {"name": "\t\n\u3000"}, "body.name"),
    ("POST", ITEMS, {"name": " " + "x" * 256}, "body.name"),
    ("POST", ITEMS, {"name": "ok", "description": "x" * 2001}, "body.description"),
    ("PATCH", ITEM, {"name": None}, "body.name"),
    ("PATCH", ITEM, {"name": "\x00"}, "body.name"),
    ("PATCH", ITEM, {"description": "a\x00"}, "body.description"),
]


@pytest.mark.parametrize(("method", "url", "body", "field"), BAD_BODIES)
async def test_a_bad_body_is_422_naming_the_field(
    client: AsyncClient, method: str, url: str, body: dict[str, Any], field: str
) -> None:
    response = await client.request(method, url, json=body)
    assert refused_fields(response) == {field}


UNREADABLE_BODIES = [
    b'{"name": "\xff\xfe"}',  # not UTF-8
    b'{"name": "\\ud800"}',  # a lone surrogate, which UTF-8 cannot encode
    b'{"name": ',  # cut short
    b"[" * 100_000,  # nested past the parser's depth
]


@pytest.mark.parametrize("content", UNREADABLE_BODIES)
@pytest.mark.parametrize("method", ["POST", "PATCH"])
async def test_an_unreadable_body_is_422(
    client: AsyncClient, method: str, content: bytes
) -> None:
    url = ITEMS if method == "POST" else ITEM
    headers = {"Content-Type": "application/json"}
    response = await client.request(method, url, content=content, headers=headers)
    fields = refused_fields(response)
    assert fields in ({"body"}, {"body.name"})
    assert "body" in response.json()["detail"]


async def test_a_malformed_json_body_says_where(client: AsyncClient) -> None:
    headers = {"Content-Type": "application/json"}
    response = await client.post(ITEMS, content=b'{"name": x}', headers=headers)
    body = assert_problem(response, 422, "VALIDATION_ERROR")
    assert body["errors"] == [
        {
            "loc": ["body"],
            "msg": "The body is not valid JSON (Expecting value at character 9)",
            "type": "json_invalid",
        }
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # Instants past year 1 or 9999 in UTC: PostgreSQL orders every stored
        # timestamp between them.
        ("created_at__gt=0001-01-01T00:00:00%2B14:00", ["a", "b"]),
        ("created_at__gte=0001-01-01T00:00:00%2B23:59", ["a", "b"]),
        ("created_at__lt=9999-12-31T23:59:59-14:00", ["a", "b"]),
        ("created_at__gt=9999-12-31T23:59:59-14:00", []),
        ("created_at__lte=0001-01-01T00:00:00%2B14:00", []),
        ("updated_at__in=0001-01-01T00:00:00%2B14:00,9999-12-31T23:59:59-14:00", []),
        # A pattern ending in an escaped backslash is fine.
        ("name__like=%25\\\\", []),
        # A backslash without a wildcard is plain text to find.
        ("name__like=\\", []),
        (f"page={MAX_PAGE}", []),
    ],
)
async def test_edge_values_are_answered(
    client: AsyncClient, query: str, expected: list[str]
) -> None:
    for name in ("a", "b"):
        assert (await client.post(ITEMS, json={"name": name})).status_code == 201
    response = await client.get(f"{ITEMS}?{_encoded(query)}&order_by=name")
    assert response.status_code == 200, response.text
    assert [item["name"] for item in response.json()["items"]] == expected


async def test_a_body_past_the_limit_is_413_unread(client: AsyncClient) -> None:
    limit = 1024 * 1024  # MAX_BODY_SIZE's default
    sent = 0

    async def body() -> Any:
        nonlocal sent
        chunk = b" " * 65536
        for _ in range(100 * 1024 * 1024 // len(chunk)):  # 100 MiB, if read
            sent += len(chunk)
            yield chunk

    headers = {"Content-Type": "application/json"}
    response = await client.post(ITEMS, content=body(), headers=headers)
    assert_problem(response, 413, "PAYLOAD_TOO_LARGE")
    assert sent <= 2 * limit


async def test_a_declared_length_past_the_limit_is_413(client: AsyncClient) -> None:
    content = b'{"name": "' + b"x" * (1024 * 1024) + b'"}'
    response = await client.post(ITEMS, content=content)
    assert_problem(response, 413, "PAYLOAD_TOO_LARGE")


async def test_a_trailing_slash_is_not_redirected_to_a_forged_host(
    client: AsyncClient,
) -> None:
    response = await client.get(f"{ITEMS}/", headers={"Host": "evil.example"})
    assert_problem(response, 404, "NOT_FOUND")
    assert "location" not in response.headers


@pytest.mark.parametrize(
    ("method", "url", "allowed"),
    [
        ("PUT", ITEMS, "GET, POST"),
        ("POST", ITEM, "GET, PATCH, DELETE"),
        ("GET", f"{ITEM}/restore", "POST"),
        ("POST", "/healthz", "GET"),
    ],
)
async def test_405_lists_every_allowed_method(
    client: AsyncClient, method: str, url: str, allowed: str
) -> None:
    response = await client.request(method, url)
    assert_problem(response, 405, "METHOD_NOT_ALLOWED")
    assert response.headers["allow"] == allowed


async def test_deleted_items_show_when_they_were_deleted(
    client: AsyncClient,
) -> None:
    live = (await client.post(ITEMS, json={"name": "live"})).json()
    gone = (await client.post(ITEMS, json={"name": "gone"})).json()
    assert live["deleted_at"] is None
    assert (await client.delete(f"{ITEMS}/{gone['id']}")).status_code == 204
    listed = (await client.get(ITEMS, params={"deleted": "include"})).json()
    deleted_at = {item["name"]: item["deleted_at"] for item in listed["items"]}
    assert deleted_at["live"] is None
    assert deleted_at["gone"] is not None
