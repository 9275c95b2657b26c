"""Concurrent sign-ins, failures, sign-outs and registrations, each request on
its own committing connection: the database decides, and counts exactly."""

import asyncio
from collections import Counter
from collections.abc import Awaitable

import pytest
from fastapi import FastAPI
from httpx import AsyncClient, Response

from tests.auth.helpers import LOGOUT, ME, USERS, bearer, login, register
from tests.fixtures.auth import TEST_PASSWORD

RACERS = 8
pytestmark = pytest.mark.committing


async def statuses(*requests: Awaitable[Response]) -> Counter[int]:
    responses = await asyncio.gather(*requests)
    return Counter(response.status_code for response in responses)


async def test_concurrent_sign_ins_each_get_their_own_session(
    committing_client: AsyncClient,
) -> None:
    await register(committing_client, "ada@example.com")
    responses = await asyncio.gather(
        *(login(committing_client, "ada@example.com") for _ in range(RACERS))
    )
    assert [r.status_code for r in responses] == [200] * RACERS
    tokens = {r.json()["access_token"] for r in responses}
    assert len(tokens) == RACERS
    for token in tokens:
        me = await committing_client.get(
            ME, headers={"Authorization": f"Bearer {token}"}
        )
        assert me.status_code == 200


async def test_concurrent_failures_are_counted_exactly(
    app: FastAPI, committing_client: AsyncClient
) -> None:
    limit = app.state.settings.login_max_failures_per_email
    guesses = (
        login(committing_client, "ada@example.com", f"guess {n}")
        for n in range(limit + RACERS)
    )
    assert await statuses(*guesses) == {401: limit, 429: RACERS}


async def test_concurrent_sign_outs_of_one_session_end_it_once(
    committing_client: AsyncClient,
) -> None:
    await register(committing_client, "ada@example.com")
    headers = await bearer(committing_client, "ada@example.com")
    outcome = await statuses(
        *(committing_client.post(LOGOUT, headers=headers) for _ in range(RACERS))
    )
    assert set(outcome) <= {204, 401}
    assert outcome[204] >= 1
    assert (await committing_client.get(ME, headers=headers)).status_code == 401


async def test_one_of_concurrent_registrations_of_an_email_wins(
    committing_client: AsyncClient,
) -> None:
    body = {"email": "grace@example.com", "password": TEST_PASSWORD}
    outcome = await statuses(
        *(committing_client.post(USERS, json=body) for _ in range(RACERS))
    )
    assert outcome == {201: 1, 409: RACERS - 1}
