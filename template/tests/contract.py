"""The resource contract as a test-kit, owned by the template.

Every resource built like items (an `Entity` with a name unique among live
rows, served by `BaseRepository`, `Listing` and a router like items') follows
the same contract: CRUD, UUIDv7 ids and UTC timestamps, 404/409/422, soft
delete and restore, pagination, order and filters. Declare a resource to the
kit and it gets the whole contract as tests:

    class TestTagsContract(ResourceContract):
        path = "/api/v1/tags"

        def payload(self, number: int) -> dict[str, Any]:
            return {"name": f"Tag {number}"}

`copier update` improves this kit; declare your resources in files of yours.
"""

import asyncio
import uuid
from datetime import datetime, timedelta
from typing import Any, ClassVar

from httpx import AsyncClient, Response

MISSING_ID = "00000000-0000-7000-8000-000000000000"
PROBLEM = "application/problem+json"


def problem(response: Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert body["error_code"] == code
    return body


class ResourceContract:
    """Subclass as `Test...Contract`, set `path`, and define `payload`."""

    path: ClassVar[str]
    # The field unique among live rows, and a text field it may be filtered by.
    unique_field: ClassVar[str] = "name"
    # The longest value it takes, once surrounding white space is trimmed.
    unique_max_length: ClassVar[int] = 255
    sort_fields: ClassVar[tuple[str, ...]] = ("name", "created_at", "updated_at")

    def payload(self, number: int) -> dict[str, Any]:
        """A valid create body; each `number` gives another unique value (and
        one without a comma, so that `__in` lists can hold it)."""
        raise NotImplementedError

    # Helpers

    async def create(self, client: AsyncClient, number: int) -> dict[str, Any]:
        response = await client.post(self.path, json=self.payload(number))
        assert response.status_code == 201, response.text
        created: dict[str, Any] = response.json()
        return created

    async def create_with(
        self, client: AsyncClient, number: int, value: Any
    ) -> dict[str, Any]:
        """Create `payload(number)` with `value` as its unique field's."""
        body = {**self.payload(number), self.unique_field: value}
        response = await client.post(self.path, json=body)
        assert response.status_code == 201, response.text
        created: dict[str, Any] = response.json()
        return created

    def url(self, resource_id: str) -> str:
        return f"{self.path}/{resource_id}"

    async def listed(self, client: AsyncClient, **params: Any) -> dict[str, Any]:
        response = await client.get(self.path, params=params)
        assert response.status_code == 200, response.text
        page: dict[str, Any] = response.json()
        return page

    def unique(self, row: dict[str, Any]) -> Any:
        return row[self.unique_field]

    async def followed(self, client: AsyncClient, **params: Any) -> list[Any]:
        """Every page from the first, following each page's `next` link."""
        pages = [await self.listed(client, **params)]
        while (link := pages[-1]["next"]) is not None:
            response = await client.get(link)
            assert response.status_code == 200, response.text
            pages.append(response.json())
        return pages

    # Create

    async def test_create_returns_the_row_with_its_keys(
        self, client: AsyncClient
    ) -> None:
        created = await self.create(client, 1)
        for field, value in self.payload(1).items():
            assert created[field] == value
        uuid.UUID(created["id"])
        assert created["created_at"] == created["updated_at"]
        assert created["deleted_at"] is None

    async def test_create_gives_a_uuid7_id_and_utc_timestamps(
        self, client: AsyncClient
    ) -> None:
        created = await self.create(client, 1)
        assert uuid.UUID(created["id"]).version == 7
        for field in ("created_at", "updated_at"):
            assert datetime.fromisoformat(created[field]).utcoffset() == timedelta(0)

    async def test_create_trims_the_unique_value(self, client: AsyncClient) -> None:
        value = self.unique(self.payload(1))
        created = await self.create_with(client, 1, f"  {value}  ")
        assert self.unique(created) == value

    async def test_create_takes_the_longest_unique_value(
        self, client: AsyncClient
    ) -> None:
        longest = "x" * self.unique_max_length
        assert self.unique(await self.create_with(client, 1, longest)) == longest

    async def test_create_with_a_live_unique_value_is_409(
        self, client: AsyncClient
    ) -> None:
        await self.create(client, 1)
        response = await client.post(self.path, json=self.payload(1))
        problem(response, 409, "CONFLICT")

    async def test_a_blank_too_long_or_non_text_unique_value_is_422(
        self, client: AsyncClient
    ) -> None:
        url = self.url((await self.create(client, 1))["id"])
        too_long = "x" * (self.unique_max_length + 1)
        for value in ("", "   ", too_long, 5):
            created = {**self.payload(2), self.unique_field: value}
            response = await client.post(self.path, json=created)
            problem(response, 422, "VALIDATION_ERROR")
            patched = await client.patch(url, json={self.unique_field: value})
            problem(patched, 422, "VALIDATION_ERROR")

    async def test_create_refuses_unknown_and_missing_fields(
        self, client: AsyncClient
    ) -> None:
        extra = {**self.payload(1), "no_such_field": 1}
        problem(await client.post(self.path, json=extra), 422, "VALIDATION_ERROR")
        missing = {k: v for k, v in self.payload(1).items() if k != self.unique_field}
        problem(await client.post(self.path, json=missing), 422, "VALIDATION_ERROR")

    # Read

    async def test_get_returns_the_row(self, client: AsyncClient) -> None:
        created = await self.create(client, 1)
        response = await client.get(self.url(created["id"]))
        assert response.status_code == 200
        assert response.json() == created

    async def test_get_of_an_absent_row_is_404_and_of_a_bad_id_422(
        self, client: AsyncClient
    ) -> None:
        problem(await client.get(self.url(MISSING_ID)), 404, "NOT_FOUND")
        problem(await client.get(self.url("not-a-uuid")), 422, "VALIDATION_ERROR")

    # Update

    async def test_patch_changes_the_field_and_moves_updated_at(
        self, client: AsyncClient
    ) -> None:
        created = await self.create(client, 1)
        await asyncio.sleep(0.001)
        new_value = self.unique(self.payload(2))
        response = await client.patch(
            self.url(created["id"]), json={self.unique_field: new_value}
        )
        assert response.status_code == 200, response.text
        updated = response.json()
        assert self.unique(updated) == new_value
        assert updated["created_at"] == created["created_at"]
        assert updated["updated_at"] > created["updated_at"]

    async def test_patch_errors(self, client: AsyncClient) -> None:
        first = await self.create(client, 1)
        await self.create(client, 2)
        url = self.url(first["id"])
        taken = {self.unique_field: self.unique(self.payload(2))}
        problem(await client.patch(url, json=taken), 409, "CONFLICT")
        nulled = {self.unique_field: None}
        problem(await client.patch(url, json=nulled), 422, "VALIDATION_ERROR")
        unknown = {"no_such_field": 1}
        problem(await client.patch(url, json=unknown), 422, "VALIDATION_ERROR")
        absent = self.url(MISSING_ID)
        problem(await client.patch(absent, json={}), 404, "NOT_FOUND")

    async def test_patch_keeping_its_own_unique_value_is_no_conflict(
        self, client: AsyncClient
    ) -> None:
        created = await self.create(client, 1)
        same = {self.unique_field: self.unique(created)}
        response = await client.patch(self.url(created["id"]), json=same)
        assert response.status_code == 200, response.text
        assert self.unique(response.json()) == self.unique(created)

    async def test_every_patch_moves_updated_at_an_empty_one_too(
        self, client: AsyncClient
    ) -> None:
        created = await self.create(client, 1)
        stamps = [datetime.fromisoformat(created["updated_at"])]
        for body in ({self.unique_field: self.unique(self.payload(2))}, {}):
            await asyncio.sleep(0.001)
            response = await client.patch(self.url(created["id"]), json=body)
            assert response.status_code == 200, response.text
            assert response.json()["created_at"] == created["created_at"]
            stamps.append(datetime.fromisoformat(response.json()["updated_at"]))
        assert stamps[0] < stamps[1] < stamps[2]

    async def test_patch_of_a_deleted_row_is_404(self, client: AsyncClient) -> None:
        created = await self.create(client, 1)
        url = self.url(created["id"])
        await client.delete(url)
        renamed = {self.unique_field: self.unique(self.payload(2))}
        problem(await client.patch(url, json=renamed), 404, "NOT_FOUND")

    # Soft delete and restore

    async def test_delete_hides_the_row_and_frees_its_unique_value(
        self, client: AsyncClient
    ) -> None:
        created = await self.create(client, 1)
        url = self.url(created["id"])
        deleted = await client.delete(url)
        assert deleted.status_code == 204
        assert deleted.content == b""
        body = problem(await client.get(url), 404, "NOT_FOUND")
        assert created["id"] in body["detail"]
        problem(await client.delete(url), 404, "NOT_FOUND")
        assert (await self.listed(client))["total"] == 0
        await self.create(client, 1)  # the value may be reused

    async def test_restore_revives_a_deleted_row(self, client: AsyncClient) -> None:
        created = await self.create(client, 1)
        url = self.url(created["id"])
        await client.delete(url)
        restored = await client.post(f"{url}/restore")
        assert restored.status_code == 200, restored.text
        assert restored.json()["deleted_at"] is None
        assert (await client.get(url)).status_code == 200

    async def test_restore_errors(self, client: AsyncClient) -> None:
        created = await self.create(client, 1)
        url = self.url(created["id"])
        problem(await client.post(f"{url}/restore"), 409, "CONFLICT")  # live
        await client.delete(url)
        await self.create(client, 1)  # its value is taken again
        body = problem(await client.post(f"{url}/restore"), 409, "CONFLICT")
        assert str(self.unique(created)) in body["detail"]
        missing = f"{self.url(MISSING_ID)}/restore"
        problem(await client.post(missing), 404, "NOT_FOUND")

    # Lists

    async def test_pages_hold_every_row_once(self, client: AsyncClient) -> None:
        ids = {(await self.create(client, n))["id"] for n in range(5)}
        first = await self.listed(client, size=2)
        assert (first["total"], first["pages"], first["size"]) == (5, 3, 2)
        seen = []
        for page in (1, 2, 3):
            listed = await self.listed(client, size=2, page=page)
            seen += [row["id"] for row in listed["items"]]
        assert sorted(seen) == sorted(ids)
        assert await self.listed(client, page=9, size=2) == {
            "items": [],
            "total": 5,
            "total_is": "exact",
            "page": 9,
            "size": 2,
            "pages": 3,
            "next": None,
        }

    async def test_next_links_reach_every_row_once_in_every_order(
        self, client: AsyncClient
    ) -> None:
        rows = [await self.create(client, n) for n in range(7)]
        await client.delete(self.url(rows[3]["id"]))
        for order in (*self.sort_fields, *(f"-{f}" for f in self.sort_fields)):
            for deleted in ("exclude", "include"):
                params = {"order_by": order, "deleted": deleted}
                whole = (await self.listed(client, size=100, **params))["items"]
                pages = await self.followed(client, size=2, **params)
                followed = [row["id"] for page in pages for row in page["items"]]
                assert followed == [row["id"] for row in whole], params
                assert [page["page"] for page in pages] == [1, 2, 3, 4][: len(pages)]
                assert len(pages) == (len(whole) + 1) // 2
                assert {page["total"] for page in pages} == {len(whole)}
                assert {page["total_is"] for page in pages} == {"exact"}

    async def test_a_link_keeps_the_filters_and_size(self, client: AsyncClient) -> None:
        rows = [await self.create(client, n) for n in range(5)]
        excluded = self.unique(rows[2])
        params = {f"{self.unique_field}__ne": excluded, "size": 1}
        pages = await self.followed(client, **params)
        assert len(pages) == 4
        assert all(page["size"] == 1 for page in pages)
        assert excluded not in [self.unique(page["items"][0]) for page in pages]

    async def test_a_page_number_leads_on_by_links_too(
        self, client: AsyncClient
    ) -> None:
        created = [(await self.create(client, n))["id"] for n in range(5)]
        second = await self.listed(client, page=2, size=2)
        assert second["next"] is not None
        third = (await client.get(second["next"])).json()
        assert (third["page"], third["next"]) == (3, None)
        assert [row["id"] for row in third["items"]] == created[:1]

    async def test_a_cursor_it_did_not_give_is_422(self, client: AsyncClient) -> None:
        for n in range(3):
            await self.create(client, n)
        link = (await self.listed(client, size=1))["next"]
        cursor = link.rpartition("cursor=")[2]
        for params in (
            {"cursor": "not-a-cursor"},
            {"cursor": "e30"},  # {} in base64
            {"cursor": cursor, "page": 2},
            {"cursor": cursor, "order_by": "created_at"},
            {"cursor": cursor, "order_by": self.sort_fields[0]},
        ):
            response = await client.get(self.path, params=params)
            problem(response, 422, "VALIDATION_ERROR")

    async def test_bad_paging_is_422(self, client: AsyncClient) -> None:
        for params in ({"size": 0}, {"size": 101}, {"page": 0}, {"page": "x"}):
            response = await client.get(self.path, params=params)
            problem(response, 422, "VALIDATION_ERROR")

    async def test_default_order_is_newest_first(self, client: AsyncClient) -> None:
        created = [(await self.create(client, n))["id"] for n in range(3)]
        listed = [row["id"] for row in (await self.listed(client))["items"]]
        assert listed == created[::-1]

    async def test_every_sort_field_orders_both_ways(self, client: AsyncClient) -> None:
        created = [(await self.create(client, n))["id"] for n in range(3)]
        for field in self.sort_fields:
            ascending = await self.listed(client, order_by=field)
            descending = await self.listed(client, order_by=f"-{field}")
            up = [row["id"] for row in ascending["items"]]
            assert up == [row["id"] for row in descending["items"]][::-1]
        oldest_first = await self.listed(client, order_by="created_at")
        assert [row["id"] for row in oldest_first["items"]] == created

    async def test_order_by_the_unique_field_sorts_by_its_value(
        self, client: AsyncClient
    ) -> None:
        for number, value in enumerate(("b", "c", "a")):
            await self.create_with(client, number, value)
        field = self.unique_field
        for order_by, expected in (
            (field, ["a", "b", "c"]),
            (f"-{field}", ["c", "b", "a"]),
            ("created_at", ["b", "c", "a"]),
            ("-created_at", ["a", "c", "b"]),
        ):
            listed = await self.listed(client, order_by=order_by)
            assert [self.unique(row) for row in listed["items"]] == expected, order_by

    async def test_filters_by_the_unique_field(self, client: AsyncClient) -> None:
        rows = [await self.create(client, n) for n in range(3)]
        value = self.unique(rows[1])
        exact = await self.listed(client, **{self.unique_field: value})
        assert [row["id"] for row in exact["items"]] == [rows[1]["id"]]
        others = await self.listed(client, **{f"{self.unique_field}__ne": value})
        assert others["total"] == 2
        anyof = ",".join(str(self.unique(row)) for row in rows[:2])
        chosen = await self.listed(client, **{f"{self.unique_field}__in": anyof})
        assert chosen["total"] == 2
        # FastAPI's convention for a list, as generated clients send one: the
        # parameter repeated; and both ways at once.
        values = [str(self.unique(row)) for row in rows]
        in_list = f"{self.unique_field}__in"
        repeated = await self.listed(client, **{in_list: values[:2]})
        assert repeated["items"] == chosen["items"]
        both = await self.listed(client, **{in_list: [anyof, values[2]]})
        assert both["total"] == 3

    async def test_text_filters_on_the_unique_field(self, client: AsyncClient) -> None:
        for number, value in enumerate(("Red apple", "green_apple", "Pear")):
            await self.create_with(client, number, value)
        field = self.unique_field
        for operator, value, expected in (
            ("eq", "Red apple", ["Red apple"]),
            ("in", "Pear,Red apple,Plum", ["Red apple", "Pear"]),
            # Without % or _ a value is a substring; with them, a SQL pattern.
            ("like", "apple", ["Red apple", "green_apple"]),
            ("like", "Red%", ["Red apple"]),
            ("like", "green_apple", ["green_apple"]),
            ("like", "APPLE", []),
            ("ilike", "APPLE", ["Red apple", "green_apple"]),
            ("ilike", "p%", ["Pear"]),
            ("eq", "x' OR '1'='1", []),
        ):
            params = {f"{field}__{operator}": value, "order_by": "created_at"}
            listed = await self.listed(client, **params)
            assert [self.unique(row) for row in listed["items"]] == expected, params
            assert listed["total"] == len(expected)

    async def test_time_range_filters(self, client: AsyncClient) -> None:
        rows = [await self.create(client, n) for n in range(5)]
        middle = rows[2]["created_at"]
        for operator, expected in (
            ("gte", rows[2:]),
            ("gt", rows[3:]),
            ("lte", rows[:3]),
            ("lt", rows[:2]),
        ):
            params = {f"created_at__{operator}": middle, "order_by": "created_at"}
            listed = await self.listed(client, **params)
            assert [row["id"] for row in listed["items"]] == [
                row["id"] for row in expected
            ], params

    async def test_unknown_parameters_are_422_naming_them(
        self, client: AsyncClient
    ) -> None:
        for name in ("no_such_field", f"{self.unique_field}__no_such_operator"):
            response = await client.get(self.path, params={name: "x"})
            body = problem(response, 422, "VALIDATION_ERROR")
            assert [error["loc"] for error in body["errors"]] == [["query", name]]

    async def test_bad_values_and_fields_not_listed_are_422_naming_them(
        self, client: AsyncClient
    ) -> None:
        field = self.unique_field
        for query in (
            "deleted_at=2024-01-01T00:00:00Z",  # not a filter field
            "created_at__gt=yesterday",
            "created_at__gt=2024-01-01T00:00:00",  # no UTC offset
            "created_at__like=2024",  # a text operator
            f"{field}__isnull=maybe",
            "order_by=deleted_at",  # not a sort field
            "deleted=sometimes",
            f"{field}=a&{field}=b",  # given twice
        ):
            response = await client.get(f"{self.path}?{query}")
            body = problem(response, 422, "VALIDATION_ERROR")
            locs = [error["loc"] for error in body["errors"]]
            assert locs == [["query", query.partition("=")[0]]], query

    async def test_deleted_rows_are_listed_only_when_asked(
        self, client: AsyncClient
    ) -> None:
        live = await self.create(client, 1)
        gone = await self.create(client, 2)
        await client.delete(self.url(gone["id"]))
        assert [r["id"] for r in (await self.listed(client))["items"]] == [live["id"]]
        excluded = (await self.listed(client, deleted="exclude"))["items"]
        assert [r["id"] for r in excluded] == [live["id"]]
        only = (await self.listed(client, deleted="only"))["items"]
        assert [r["id"] for r in only] == [gone["id"]]
        assert only[0]["deleted_at"] is not None
        assert (await self.listed(client, deleted="include"))["total"] == 2
