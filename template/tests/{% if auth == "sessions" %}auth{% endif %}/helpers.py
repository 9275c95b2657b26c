"""Requests the auth tests make again and again."""

import json
import threading
from collections.abc import Callable
from typing import Any

from httpx import AsyncClient, Response

from tests.fixtures.auth import TEST_PASSWORD

LOGIN = "/api/v1/auth/login"
LOGOUT = "/api/v1/auth/logout"
USERS = "/api/v1/users"
ME = "/api/v1/users/me"
PASSWORD = "/api/v1/users/me/password"
JSON = {"Content-Type": "application/json"}


async def register(
    http: AsyncClient, email: str, password: str = TEST_PASSWORD
) -> dict[str, Any]:
    response = await http.post(USERS, json={"email": email, "password": password})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def login(
    http: AsyncClient, email: str, password: str = TEST_PASSWORD
) -> Response:
    return await http.post(LOGIN, json={"email": email, "password": password})


async def bearer(
    http: AsyncClient, email: str, password: str = TEST_PASSWORD
) -> dict[str, str]:
    response = await login(http, email, password)
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def post_json(http: AsyncClient, path: str, body: object) -> Response:
    """Posts `body` as JSON with every non-ASCII character escaped, as a client
    may send a lone surrogate (httpx's own encoding would refuse it)."""
    content = json.dumps(body)
    return await http.post(path, content=content, headers=JSON)


def without_request_specifics(body: dict[str, Any]) -> dict[str, Any]:
    """A problem body without what differs per request (its id and path)."""
    return {k: v for k, v in body.items() if k not in {"request_id", "instance"}}


class Gate:
    """Holds hashing threads until opened, and tells when one is waiting."""

    def __init__(self) -> None:
        self.waiting = threading.Event()
        self.opened = threading.Event()

    def hold(self, work: Callable[..., Any]) -> Callable[..., Any]:
        def held(*args: Any) -> Any:
            self.waiting.set()
            self.opened.wait(30)
            return work(*args)

        return held


class HeldHasher:
    def __init__(self, hasher: Any, gate: Gate) -> None:
        self.hash = gate.hold(hasher.hash)
        self.verify = gate.hold(hasher.verify)
        self.check_needs_rehash = hasher.check_needs_rehash
