"""The probes an orchestrator calls: is the process up, is the database there."""

import pytest
from httpx import AsyncClient


async def test_healthz_answers_without_the_database(client: AsyncClient) -> None:
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_readyz_answers_when_the_database_does(client: AsyncClient) -> None:
    response = await client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.usefixtures("unreachable_database")
async def test_readyz_is_503_problem_json_when_the_database_is_not(
    client: AsyncClient,
) -> None:
    response = await client.get("/readyz")
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["error_code"] == "SERVICE_UNAVAILABLE"


@pytest.mark.usefixtures("unreachable_database")
async def test_healthz_stays_up_when_the_database_is_not(client: AsyncClient) -> None:
    assert (await client.get("/healthz")).status_code == 200
