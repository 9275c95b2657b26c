"""Items against the resource contract of the template's test-kit
(tests/contract.py): CRUD, 404/409/422, soft delete, restore, pagination, order
and filters. Add tests of your own rules below."""

from typing import Any

from tests.contract import ResourceContract


class TestItemsContract(ResourceContract):
    path = "/api/v1/items"

    def payload(self, number: int) -> dict[str, Any]:
        return {"name": f"Item {number}", "description": f"About {number}"}
