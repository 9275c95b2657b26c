"""Every error response has one shape: problem+json with the project's code."""

import asyncio

import pytest
from fastapi import FastAPI
from httpx import AsyncClient

from tests.fixtures.faults import uvicorn_server

PROBLEM_KEYS = {
    "type",
    "title",
    "status",
    "detail",
    "instance",
    "error_code",
    "request_id",
}


async def test_a_not_found_error_is_problem_json(client: AsyncClient) -> None:
    url = "/api/v1/items/00000000-0000-7000-8000-000000000000"
    response = await client.get(url)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body.keys() >= PROBLEM_KEYS
    assert body["type"] == "about:blank"
    assert body["title"] == "Not Found"
    assert body["status"] == 404
    assert body["instance"] == url
    assert body["request_id"] == response.headers["x-request-id"]


async def test_a_validation_error_lists_each_field(client: AsyncClient) -> None:
    response = await client.post("/api/v1/items", json={"name": "", "extra": 1})
    body = response.json()
    assert response.headers["content-type"] == "application/problem+json"
    assert body["error_code"] == "VALIDATION_ERROR"
    assert {tuple(error["loc"]) for error in body["errors"]} == {
        ("body", "name"),
        ("body", "extra"),
    }
    assert all({"loc", "msg", "type"} == error.keys() for error in body["errors"])


async def test_an_unknown_route_is_not_found(client: AsyncClient) -> None:
    response = await client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json()["error_code"] == "NOT_FOUND"


async def test_a_wrong_method_is_method_not_allowed(client: AsyncClient) -> None:
    response = await client.put("/api/v1/items", json={})
    assert response.status_code == 405
    assert response.json()["error_code"] == "METHOD_NOT_ALLOWED"
    assert "POST" in response.headers["allow"]


async def test_an_unexpected_error_is_500_without_internals(
    app: FastAPI, client: AsyncClient
) -> None:
    async def explode() -> None:
        raise RuntimeError("secret internals: SELECT * FROM users")

    app.add_api_route("/explode", explode)
    response = await client.get("/explode", headers={"X-Request-ID": "trace-500"})
    assert response.status_code == 500
    body = response.json()
    assert body["error_code"] == "INTERNAL_ERROR"
    assert body["request_id"] == "trace-500"
    assert response.headers["x-request-id"] == "trace-500"
    assert "secret" not in response.text
    assert "Traceback" not in response.text


@pytest.mark.usefixtures("unreachable_database")
async def test_an_unreachable_database_is_503(client: AsyncClient) -> None:
    response = await client.get("/api/v1/items")
    assert response.status_code == 503
    body = response.json()
    assert body["error_code"] == "SERVICE_UNAVAILABLE"
    assert "127.0.0.1" not in response.text


async def test_a_sane_request_id_is_echoed(client: AsyncClient) -> None:
    response = await client.get("/api/v1/items", headers={"X-Request-ID": "abc-123"})
    assert response.headers["x-request-id"] == "abc-123"


@pytest.mark.parametrize("sent", ["", "x" * 129, "bad id", "new\u00e9line"])
async def test_an_insane_request_id_is_replaced(client: AsyncClient, sent: str) -> None:
    headers = [(b"X-Request-ID", sent.encode())]
    response = await client.get("/api/v1/items", headers=headers)
    generated = response.headers["x-request-id"]
    assert generated != sent
    assert len(generated) == 32


async def test_every_response_gets_a_fresh_request_id(client: AsyncClient) -> None:
    first = await client.get("/api/v1/items")
    second = await client.get("/api/v1/items")
    assert first.headers["x-request-id"] != second.headers["x-request-id"]


async def test_an_unexpected_error_keeps_the_connection_and_logs_once(
    app: FastAPI, caplog: pytest.LogCaptureFixture
) -> None:
    async def explode() -> None:
        raise RuntimeError("boom")

    app.add_api_route("/explode", explode)
    request = b"GET /explode HTTP/1.1\r\nHost: test\r\n\r\n"
    follow_up = b"GET /healthz HTTP/1.1\r\nHost: test\r\n\r\n"
    async with uvicorn_server(app) as url:
        host, port = url.removeprefix("http://").split(":")
        # Two requests on one kept-alive connection, as a client pool sends them.
        reader, writer = await asyncio.open_connection(host, int(port))
        writer.write(request)
        first = await read_response(reader)
        writer.write(follow_up)
        second = await read_response(reader)
        writer.close()
    assert first.startswith(b"HTTP/1.1 500 ")
    assert b"connection: close" not in first.lower()
    assert second.startswith(b"HTTP/1.1 200 ")
    tracebacks = [r for r in caplog.records if r.exc_info]
    assert len(tracebacks) == 1


async def read_response(reader: asyncio.StreamReader) -> bytes:
    """One HTTP/1.1 response with a Content-Length body (raises if the server
    hung up instead)."""
    async with asyncio.timeout(10):
        head = await reader.readuntil(b"\r\n\r\n")
        length = next(
            int(line.split(b":")[1])
            for line in head.lower().split(b"\r\n")
            if line.startswith(b"content-length:")
        )
        return head + await reader.readexactly(length)
