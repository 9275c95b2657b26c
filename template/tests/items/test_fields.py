"""Items' own fields over the API: the optional description, and the words
of a 404. The contract every resource shares is tests/contract.py's."""

from typing import Any

from httpx import AsyncClient

ITEMS = "/api/v1/items"


async def create(client: AsyncClient, **fields: Any) -> dict[str, Any]:
    response = await client.post(ITEMS, json=fields)
    assert response.status_code == 201, response.text
    item: dict[str, Any] = response.json()
    return item


async def test_a_description_left_out_is_null(client: AsyncClient) -> None:
    assert (await create(client, name="Widget"))["description"] is None


async def test_the_longest_description_is_taken(client: AsyncClient) -> None:
    # One character more is refused: test_items_hostile.py.
    item = await create(client, name="Widget", description="y" * 2000)
    assert item["description"] == "y" * 2000


async def test_a_description_can_be_cleared(
    client: AsyncClient, created_item: dict[str, Any]
) -> None:
    url = f"{ITEMS}/{created_item['id']}"
    response = await client.patch(url, json={"description": None})
    assert response.status_code == 200, response.text
    assert response.json()["description"] is None


async def test_a_null_description_is_found_by_isnull_and_differs_from_any(
    client: AsyncClient,
) -> None:
    await create(client, name="Red apple", description="sweet")
    await create(client, name="green_apple", description="sour")
    await create(client, name="Pear")
    for query, expected in (
        ({"description__isnull": "true"}, ["Pear"]),
        ({"description__isnull": "false"}, ["Red apple", "green_apple"]),
        ({"description__ne": "sweet"}, ["green_apple", "Pear"]),
    ):
        response = await client.get(ITEMS, params={**query, "order_by": "created_at"})
        assert response.status_code == 200, response.text
        body = response.json()
        assert [item["name"] for item in body["items"]] == expected, query
        assert body["total"] == len(expected)


async def test_a_deleted_item_is_not_found_by_its_id(
    client: AsyncClient, created_item: dict[str, Any]
) -> None:
    url = f"{ITEMS}/{created_item['id']}"
    await client.delete(url)
    response = await client.get(url)
    assert response.status_code == 404
    assert response.json()["detail"] == f"Item {created_item['id']} not found"
