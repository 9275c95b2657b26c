"""The items API as the suite the project started from tests it.

The seed's six classes and `test_with_factory`, kept test for test (only their
annotations are parameterised, for mypy --strict). The rest of the contract is
tested in test_items_contract.py (the kit in tests/contract.py), and items'
own rules in tests/items/.
"""

from collections.abc import Callable
from typing import Any

from httpx import AsyncClient


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
