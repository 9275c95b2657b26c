"""Items against the resource contract of the template's test-kit."""

from typing import Any

from tests.contract import ResourceContract


class TestItemsContract(ResourceContract):
    path = "/api/v1/items"

    def payload(self, number: int) -> dict[str, Any]:
        return {"name": f"Item {number}", "description": f"Description {number}"}
