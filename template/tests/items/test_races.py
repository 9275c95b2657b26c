"""Concurrent writes of one item, each request on its own committing
connection: the database decides, and exactly one wins."""

import asyncio
from collections import Counter
from collections.abc import Awaitable
from datetime import datetime

import pytest
from httpx import AsyncClient, Response

ITEMS = "/api/v1/items"
RACERS = 8
ROUNDS = 5

pytestmark = pytest.mark.committing


async def create(http: AsyncClient, name: str) -> str:
    response = await http.post(ITEMS, json={"name": name})
    assert response.status_code == 201, response.text
    item_id: str = response.json()["id"]
    return item_id


async def statuses(*requests: Awaitable[Response]) -> Counter[int]:
    responses = await asyncio.gather(*requests)
    return Counter(response.status_code for response in responses)


@pytest.mark.parametrize("round_", range(ROUNDS))
async def test_one_of_concurrent_creates_of_one_name_wins(
    committing_client: AsyncClient, round_: int
) -> None:
    name = f"created {round_}"
    creates = (
        committing_client.post(ITEMS, json={"name": name}) for _ in range(RACERS)
    )
    assert await statuses(*creates) == {201: 1, 409: RACERS - 1}
    listed = await committing_client.get(ITEMS, params={"name": name})
    assert listed.json()["total"] == 1


@pytest.mark.parametrize("round_", range(ROUNDS))
async def test_one_of_concurrent_deletes_wins(
    committing_client: AsyncClient, round_: int
) -> None:
    item_id = await create(committing_client, f"deleted {round_}")
    url = f"{ITEMS}/{item_id}"
    outcome = await statuses(*(committing_client.delete(url) for _ in range(RACERS)))
    assert outcome == {204: 1, 404: RACERS - 1}


@pytest.mark.parametrize("round_", range(ROUNDS))
async def test_one_of_concurrent_restores_wins(
    committing_client: AsyncClient, round_: int
) -> None:
    item_id = await create(committing_client, f"restored {round_}")
    url = f"{ITEMS}/{item_id}"
    assert (await committing_client.delete(url)).status_code == 204
    restores = (committing_client.post(f"{url}/restore") for _ in range(RACERS))
    assert await statuses(*restores) == {200: 1, 409: RACERS - 1}


@pytest.mark.parametrize("round_", range(ROUNDS))
async def test_one_of_concurrent_renames_to_one_name_wins(
    committing_client: AsyncClient, round_: int
) -> None:
    ids = [await create(committing_client, f"r{round_}-{n}") for n in range(RACERS)]
    renames = (
        committing_client.patch(f"{ITEMS}/{item_id}", json={"name": f"won {round_}"})
        for item_id in ids
    )
    assert await statuses(*renames) == {200: 1, 409: RACERS - 1}


@pytest.mark.parametrize("round_", range(ROUNDS))
async def test_no_update_lands_on_an_item_deleted_under_it(
    committing_client: AsyncClient, round_: int
) -> None:
    item_id = await create(committing_client, f"contested {round_}")
    url = f"{ITEMS}/{item_id}"
    edits = [
        committing_client.patch(url, json={"description": f"edit {n}"})
        for n in range(RACERS - 1)
    ]
    delete, *updates = await asyncio.gather(committing_client.delete(url), *edits)
    assert delete.status_code == 204
    assert {update.status_code for update in updates} <= {200, 404}
    # Each update answered 200 committed before the delete: the deleted row
    # holds one of theirs, and no update came after it.
    listed = await committing_client.get(ITEMS, params={"deleted": "only"})
    [deleted] = listed.json()["items"]
    answered = [u.json() for u in updates if u.status_code == 200]
    assert deleted["description"] in ([u["description"] for u in answered] or [None])
    deleted_at = datetime.fromisoformat(deleted["deleted_at"])
    assert all(datetime.fromisoformat(u["updated_at"]) <= deleted_at for u in answered)
