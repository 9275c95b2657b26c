# The seed guide's `test_with_factory` (its indentation restored), with the import
# it needs; the fixtures `client` and `item_factory` come from the rendered project.
from httpx import AsyncClient


async def test_with_factory(client: AsyncClient, item_factory):
    """Test using factory fixture."""
    item1 = await client.post("/api/v1/items", json=item_factory())
    item2 = await client.post("/api/v1/items", json=item_factory())
    assert item1.json()["name"] != item2.json()["name"]
