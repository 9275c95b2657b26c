"""The items API, against the contract in the template's spec.

The first classes are the suite the project started from, kept test for test
(only their annotations are parameterised, for mypy --strict).
"""

import asyncio
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from httpx import AsyncClient, Response


class TestCreateItem:
    """Tests for POST /api/v1/items"""

    async def test_create_item_success(
        self,
        client: AsyncClient,
        sample_item_data: dict[str, Any],
    ) -> None:
        """Test successful item creation."""
        response = await client.post("/api/v1/items", json=sample_item_data)
        assert response.status_code == 201
        data = response.json()
        assert data["name"] == sample_item_data["name"]
        assert data["description"] == sample_item_data["description"]
        assert "id" in data
        assert "created_at" in data
        assert "updated_at" in data

    async def test_create_item_duplicate_name(
        self,
        client: AsyncClient,
        created_item: dict[str, Any],
        sample_item_data: dict[str, Any],
    ) -> None:
        """Test that creating item with duplicate name fails."""
        response = await client.post("/api/v1/items", json=sample_item_data)
        assert response.status_code == 409
        data = response.json()
        assert data["error_code"] == "CONFLICT"

    async def test_create_item_missing_name(
        self,
        client: AsyncClient,
    ) -> None:
        """Test that name is required."""
        response = await client.post("/api/v1/items", json={"description": "test"})
        assert response.status_code == 422
        data = response.json()
        assert data["error_code"] == "VALIDATION_ERROR"

    async def test_create_item_empty_name(
        self,
        client: AsyncClient,
    ) -> None:
        """Test that empty name is rejected."""
        response = await client.post("/api/v1/items", json={"name": ""})
        assert response.status_code == 422


class TestGetItem:
    """Tests for GET /api/v1/items/{id}"""

    async def test_get_item_success(
        self,
        client: AsyncClient,
        created_item: dict[str, Any],
    ) -> None:
        """Test successful item retrieval."""
        item_id = created_item["id"]
        response = await client.get(f"/api/v1/items/{item_id}")
        assert response.status_code == 200
        data = response.json()
        assert data["id"] == item_id
        assert data["name"] == created_item["name"]

    async def test_get_item_not_found(
        self,
        client: AsyncClient,
    ) -> None:
        """Test 404 for non-existent item."""
        fake_id = "00000000-0000-0000-0000-000000000000"
        response = await client.get(f"/api/v1/items/{fake_id}")
        assert response.status_code == 404
        data = response.json()
        assert data["error_code"] == "NOT_FOUND"

    async def test_get_item_invalid_uuid(
        self,
        client: AsyncClient,
    ) -> None:
        """Test 422 for invalid UUID format."""
        response = await client.get("/api/v1/items/not-a-uuid")
        assert response.status_code == 422


class TestListItems:
    """Tests for GET /api/v1/items"""

    async def test_list_items_empty(
        self,
        client: AsyncClient,
    ) -> None:
        """Test listing items when empty."""
        response = await client.get("/api/v1/items")
        assert response.status_code == 200
        data = response.json()
        assert data["items"] == []
        assert data["total"] == 0

    async def test_list_items_with_data(
        self,
        client: AsyncClient,
        created_item: dict[str, Any],
    ) -> None:
        """Test listing items with data."""
        response = await client.get("/api/v1/items")
        assert response.status_code == 200
        data = response.json()
        assert len(data["items"]) >= 1
        assert data["total"] >= 1

    async def test_list_items_pagination(
        self,
        client: AsyncClient,
        created_item: dict[str, Any],
    ) -> None:
        """Test pagination parameters."""
        response = await client.get("/api/v1/items?page=1&size=10")
        assert response.status_code == 200
        data = response.json()
        assert "page" in data
        assert "size" in data
        assert data["page"] == 1
        assert data["size"] == 10

    async def test_list_items_filter_by_name(
        self,
        client: AsyncClient,
        created_item: dict[str, Any],
    ) -> None:
        """Test filtering by name."""
        name = created_item["name"]
        response = await client.get(f"/api/v1/items?name={name}")
        assert response.status_code == 200
        data = response.json()
        assert all(item["name"] == name for item in data["items"])

    async def test_list_items_filter_ilike(
        self,
        client: AsyncClient,
        created_item: dict[str, Any],
    ) -> None:
        """Test case-insensitive filtering."""
        response = await client.get("/api/v1/items?name__ilike=test")
        assert response.status_code == 200
        data = response.json()
        assert all("test" in item["name"].lower() for item in data["items"])


class TestUpdateItem:
    """Tests for PATCH /api/v1/items/{id}"""

    async def test_update_item_success(
        self,
        client: AsyncClient,
        created_item: dict[str, Any],
    ) -> None:
        """Test successful item update."""
        item_id = created_item["id"]
        update_data = {"name": "Updated Name"}
        response = await client.patch(f"/api/v1/items/{item_id}", json=update_data)
        assert response.status_code == 200
        data = response.json()
        assert data["name"] == "Updated Name"
        assert data["description"] == created_item["description"]  # Unchanged

    async def test_update_item_partial(
        self,
        client: AsyncClient,
        created_item: dict[str, Any],
    ) -> None:
        """Test partial update (only description)."""
        item_id = created_item["id"]
        update_data = {"description": "New description"}
        response = await client.patch(f"/api/v1/items/{item_id}", json=update_data)
        assert response.status_code == 200
        data = response.json()
        assert data["name"] == created_item["name"]  # Unchanged
        assert data["description"] == "New description"

    async def test_update_item_not_found(
        self,
        client: AsyncClient,
    ) -> None:
        """Test update non-existent item."""
        fake_id = "00000000-0000-0000-0000-000000000000"
        response = await client.patch(f"/api/v1/items/{fake_id}", json={"name": "test"})
        assert response.status_code == 404


class TestDeleteItem:
    """Tests for DELETE /api/v1/items/{id}"""

    async def test_delete_item_success(
        self,
        client: AsyncClient,
        created_item: dict[str, Any],
    ) -> None:
        """Test successful item deletion (soft delete)."""
        item_id = created_item["id"]
        response = await client.delete(f"/api/v1/items/{item_id}")
        assert response.status_code == 204

        # Verify item is no longer accessible
        get_response = await client.get(f"/api/v1/items/{item_id}")
        assert get_response.status_code == 404

    async def test_delete_item_not_found(
        self,
        client: AsyncClient,
    ) -> None:
        """Test delete non-existent item."""
        fake_id = "00000000-0000-0000-0000-000000000000"
        response = await client.delete(f"/api/v1/items/{fake_id}")
        assert response.status_code == 404


class TestRestoreItem:
    """Tests for POST /api/v1/items/{id}/restore"""

    async def test_restore_item_success(
        self,
        client: AsyncClient,
        created_item: dict[str, Any],
    ) -> None:
        """Test restoring a soft-deleted item."""
        item_id = created_item["id"]

        # Delete the item
        await client.delete(f"/api/v1/items/{item_id}")

        # Restore the item
        response = await client.post(f"/api/v1/items/{item_id}/restore")
        assert response.status_code == 200
        data = response.json()
        assert data["id"] == item_id

        # Verify item is accessible again
        get_response = await client.get(f"/api/v1/items/{item_id}")
        assert get_response.status_code == 200


async def test_with_factory(
    client: AsyncClient, item_factory: Callable[..., dict[str, Any]]
) -> None:
    """Test using factory fixture."""
    item1 = await client.post("/api/v1/items", json=item_factory())
    item2 = await client.post("/api/v1/items", json=item_factory())
    assert item1.json()["name"] != item2.json()["name"]


# The contract beyond the seed suite.

ITEMS = "/api/v1/items"
MISSING_ID = "00000000-0000-7000-8000-000000000000"


def names(response: Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [item["name"] for item in response.json()["items"]]


async def create(client: AsyncClient, **fields: Any) -> dict[str, Any]:
    response = await client.post(ITEMS, json=fields)
    assert response.status_code == 201, response.text
    item: dict[str, Any] = response.json()
    return item


class TestCreateContract:
    async def test_returns_a_uuid7_id_and_utc_timestamps(
        self, client: AsyncClient
    ) -> None:
        item = await create(client, name="Widget")
        assert uuid.UUID(item["id"]).version == 7
        created = datetime.fromisoformat(item["created_at"])
        assert created.utcoffset() == timedelta(0)
        assert item["created_at"] == item["updated_at"]
        assert item["description"] is None

    async def test_trims_the_name(self, client: AsyncClient) -> None:
        item = await create(client, name="  Widget  ")
        assert item["name"] == "Widget"

    @pytest.mark.parametrize(
        "payload",
        [
            pytest.param({"name": "   "}, id="blank name"),
            pytest.param({"name": "x" * 256}, id="name too long"),
            pytest.param({"name": "ok", "description": "x" * 2001}, id="long text"),
            pytest.param({"name": 5}, id="name not a string"),
            pytest.param({"name": "ok", "colour": "red"}, id="unknown field"),
        ],
    )
    async def test_rejects_invalid_payloads(
        self, client: AsyncClient, payload: dict[str, Any]
    ) -> None:
        response = await client.post(ITEMS, json=payload)
        assert response.status_code == 422
        assert response.json()["error_code"] == "VALIDATION_ERROR"

    async def test_accepts_the_longest_name_and_description(
        self, client: AsyncClient
    ) -> None:
        await create(client, name="x" * 255, description="y" * 2000)

    async def test_a_deleted_items_name_can_be_reused(
        self, client: AsyncClient, created_item: dict[str, Any]
    ) -> None:
        await client.delete(f"{ITEMS}/{created_item['id']}")
        reused = await create(client, name=created_item["name"])
        assert reused["id"] != created_item["id"]


class TestGetContract:
    async def test_a_deleted_item_is_not_found(
        self, client: AsyncClient, created_item: dict[str, Any]
    ) -> None:
        await client.delete(f"{ITEMS}/{created_item['id']}")
        response = await client.get(f"{ITEMS}/{created_item['id']}")
        assert response.status_code == 404
        assert response.json()["detail"] == f"Item {created_item['id']} not found"


class TestListContract:
    async def test_default_order_is_newest_first(
        self, client: AsyncClient, multiple_items: list[dict[str, Any]]
    ) -> None:
        response = await client.get(ITEMS)
        assert names(response) == [item["name"] for item in reversed(multiple_items)]

    async def test_pages_are_stable_and_complete(
        self, client: AsyncClient, multiple_items: list[dict[str, Any]]
    ) -> None:
        pages = [
            (await client.get(ITEMS, params={"size": 2, "page": n})) for n in (1, 2, 3)
        ]
        bodies = [page.json() for page in pages]
        assert [len(body["items"]) for body in bodies] == [2, 2, 1]
        assert {body["total"] for body in bodies} == {5}
        assert {body["pages"] for body in bodies} == {3}
        seen = [item["id"] for body in bodies for item in body["items"]]
        assert sorted(seen) == sorted(item["id"] for item in multiple_items)

    async def test_a_page_past_the_end_is_empty(
        self, client: AsyncClient, multiple_items: list[dict[str, Any]]
    ) -> None:
        response = await client.get(ITEMS, params={"page": 9, "size": 2})
        assert response.status_code == 200
        assert response.json() == {
            "items": [],
            "total": 5,
            "total_is": "exact",
            "page": 9,
            "size": 2,
            "pages": 3,
            "next": None,
        }

    @pytest.mark.parametrize(
        "params",
        [{"page": 0}, {"size": 0}, {"size": 101}, {"page": "one"}],
        ids=["page 0", "size 0", "size 101", "page not a number"],
    )
    async def test_out_of_range_paging_is_rejected_not_clamped(
        self, client: AsyncClient, params: dict[str, Any]
    ) -> None:
        response = await client.get(ITEMS, params=params)
        assert response.status_code == 422
        assert response.json()["error_code"] == "VALIDATION_ERROR"

    @pytest.mark.parametrize(
        ("order_by", "expected"),
        [
            ("name", ["a", "b", "c"]),
            ("-name", ["c", "b", "a"]),
            ("created_at", ["b", "c", "a"]),
            ("-created_at", ["a", "c", "b"]),
        ],
    )
    async def test_order_by(
        self, client: AsyncClient, order_by: str, expected: list[str]
    ) -> None:
        for name in ("b", "c", "a"):
            await create(client, name=name)
        response = await client.get(ITEMS, params={"order_by": order_by})
        assert names(response) == expected

    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ({"name": "Red apple"}, ["Red apple"]),
            ({"name__eq": "Red apple"}, ["Red apple"]),
            ({"name__ne": "Red apple"}, ["green_apple", "Pear"]),
            ({"name__in": "Pear,Red apple,Plum"}, ["Red apple", "Pear"]),
            ({"name__like": "apple"}, ["Red apple", "green_apple"]),
            ({"name__like": "Red%"}, ["Red apple"]),
            ({"name__like": "green_apple"}, ["green_apple"]),
            ({"name__like": "APPLE"}, []),
            ({"name__ilike": "APPLE"}, ["Red apple", "green_apple"]),
            ({"name__ilike": "p%"}, ["Pear"]),
            ({"description__isnull": "true"}, ["Pear"]),
            ({"description__isnull": "false"}, ["Red apple", "green_apple"]),
            ({"description__ne": "sweet"}, ["green_apple", "Pear"]),
            ({"name": "x' OR '1'='1"}, []),
        ],
    )
    async def test_filters(
        self, client: AsyncClient, query: dict[str, str], expected: list[str]
    ) -> None:
        await create(client, name="Red apple", description="sweet")
        await create(client, name="green_apple", description="sour")
        await create(client, name="Pear")
        response = await client.get(ITEMS, params={**query, "order_by": "created_at"})
        assert names(response) == expected
        assert response.json()["total"] == len(expected)

    async def test_time_range_filters(
        self, client: AsyncClient, multiple_items: list[dict[str, Any]]
    ) -> None:
        middle = multiple_items[2]["created_at"]
        order = {"order_by": "created_at"}
        expected = [item["name"] for item in multiple_items]
        gte = await client.get(ITEMS, params={"created_at__gte": middle, **order})
        gt = await client.get(ITEMS, params={"created_at__gt": middle, **order})
        lte = await client.get(ITEMS, params={"created_at__lte": middle, **order})
        lt = await client.get(ITEMS, params={"created_at__lt": middle, **order})
        assert names(gte) == expected[2:]
        assert names(gt) == expected[3:]
        assert names(lte) == expected[:3]
        assert names(lt) == expected[:2]

    @pytest.mark.parametrize(
        ("query", "parameter"),
        [
            ({"nmae": "typo"}, "nmae"),
            ({"name__startswith": "a"}, "name__startswith"),
            ({"deleted_at": "2024-01-01T00:00:00Z"}, "deleted_at"),
            ({"created_at__gt": "yesterday"}, "created_at__gt"),
            ({"created_at__gt": "2024-01-01T00:00:00"}, "created_at__gt"),
            ({"created_at__like": "2024"}, "created_at__like"),
            ({"description__isnull": "maybe"}, "description__isnull"),
            ({"order_by": "deleted_at"}, "order_by"),
            ({"deleted": "sometimes"}, "deleted"),
        ],
    )
    async def test_unknown_or_bad_parameters_are_rejected_by_name(
        self, client: AsyncClient, query: dict[str, str], parameter: str
    ) -> None:
        response = await client.get(ITEMS, params=query)
        assert response.status_code == 422
        body = response.json()
        assert body["error_code"] == "VALIDATION_ERROR"
        assert ["query", parameter] in [error["loc"] for error in body["errors"]]

    async def test_a_repeated_filter_is_rejected(self, client: AsyncClient) -> None:
        response = await client.get(f"{ITEMS}?name=a&name=b")
        assert response.status_code == 422
        assert response.json()["errors"][0]["loc"] == ["query", "name"]

    async def test_deleted_filter(
        self, client: AsyncClient, multiple_items: list[dict[str, Any]]
    ) -> None:
        deleted = multiple_items[0]
        await client.delete(f"{ITEMS}/{deleted['id']}")
        live = await client.get(ITEMS, params={"deleted": "exclude"})
        everything = await client.get(ITEMS, params={"deleted": "include"})
        only = await client.get(ITEMS, params={"deleted": "only"})
        assert deleted["name"] not in names(live)
        assert len(names(live)) == 4
        assert len(names(everything)) == 5
        assert names(only) == [deleted["name"]]


class TestUpdateContract:
    async def test_updated_at_moves_forward_and_created_at_stays(
        self, client: AsyncClient, created_item: dict[str, Any]
    ) -> None:
        url = f"{ITEMS}/{created_item['id']}"
        first = (await client.patch(url, json={"description": "one"})).json()
        second = (await client.patch(url, json={})).json()
        assert first["created_at"] == second["created_at"] == created_item["created_at"]
        created = datetime.fromisoformat(created_item["updated_at"])
        assert created < datetime.fromisoformat(first["updated_at"])
        assert datetime.fromisoformat(first["updated_at"]) < datetime.fromisoformat(
            second["updated_at"]
        )

    async def test_description_can_be_cleared(
        self, client: AsyncClient, created_item: dict[str, Any]
    ) -> None:
        url = f"{ITEMS}/{created_item['id']}"
        response = await client.patch(url, json={"description": None})
        assert response.status_code == 200
        assert response.json()["description"] is None

    async def test_keeping_its_own_name_is_no_conflict(
        self, client: AsyncClient, created_item: dict[str, Any]
    ) -> None:
        url = f"{ITEMS}/{created_item['id']}"
        response = await client.patch(url, json={"name": created_item["name"]})
        assert response.status_code == 200

    async def test_taking_another_items_name_conflicts(
        self, client: AsyncClient, multiple_items: list[dict[str, Any]]
    ) -> None:
        first, second = multiple_items[:2]
        url = f"{ITEMS}/{first['id']}"
        response = await client.patch(url, json={"name": second["name"]})
        assert response.status_code == 409
        assert response.json()["error_code"] == "CONFLICT"

    @pytest.mark.parametrize(
        "payload",
        [{"name": None}, {"name": ""}, {"colour": "red"}],
        ids=["null name", "empty name", "unknown field"],
    )
    async def test_rejects_invalid_payloads(
        self,
        client: AsyncClient,
        created_item: dict[str, Any],
        payload: dict[str, Any],
    ) -> None:
        response = await client.patch(f"{ITEMS}/{created_item['id']}", json=payload)
        assert response.status_code == 422
        assert response.json()["error_code"] == "VALIDATION_ERROR"

    async def test_a_deleted_item_cannot_be_updated(
        self, client: AsyncClient, created_item: dict[str, Any]
    ) -> None:
        url = f"{ITEMS}/{created_item['id']}"
        await client.delete(url)
        response = await client.patch(url, json={"name": "Back"})
        assert response.status_code == 404


class TestDeleteAndRestoreContract:
    async def test_deleting_twice_is_not_found(
        self, client: AsyncClient, created_item: dict[str, Any]
    ) -> None:
        url = f"{ITEMS}/{created_item['id']}"
        first = await client.delete(url)
        assert first.status_code == 204
        assert first.content == b""
        response = await client.delete(url)
        assert response.status_code == 404

    async def test_restoring_an_unknown_id_is_not_found(
        self, client: AsyncClient
    ) -> None:
        response = await client.post(f"{ITEMS}/{MISSING_ID}/restore")
        assert response.status_code == 404
        assert response.json()["error_code"] == "NOT_FOUND"

    async def test_restoring_a_live_item_conflicts(
        self, client: AsyncClient, created_item: dict[str, Any]
    ) -> None:
        response = await client.post(f"{ITEMS}/{created_item['id']}/restore")
        assert response.status_code == 409
        assert response.json()["error_code"] == "CONFLICT"

    async def test_restoring_when_the_name_is_taken_again_conflicts(
        self, client: AsyncClient, created_item: dict[str, Any]
    ) -> None:
        await client.delete(f"{ITEMS}/{created_item['id']}")
        await create(client, name=created_item["name"])
        response = await client.post(f"{ITEMS}/{created_item['id']}/restore")
        assert response.status_code == 409
        assert created_item["name"] in response.json()["detail"]


@pytest.mark.committing
async def test_concurrent_creates_of_one_name_give_one_201_and_409s(
    committing_client: AsyncClient,
) -> None:
    payload = {"name": "Contended"}
    responses = await asyncio.gather(
        *(committing_client.post(ITEMS, json=payload) for _ in range(8))
    )
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [201] + [409] * 7
    listed = await committing_client.get(ITEMS, params={"name": "Contended"})
    assert listed.json()["total"] == 1
