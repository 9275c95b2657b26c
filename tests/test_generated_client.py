"""A client generated from a served render's OpenAPI document, as a team that
consumes the service would make one (openapi-python-client), drives every
items operation: the document's operation ids, parameters and bodies are
what a generator needs, and what it sends (a list filter as repeated keys,
say) is what the service takes."""

import importlib
import json
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from serving import call, serve
from support import Project, run_ok

OPERATIONS = {
    "create_item", "get_item", "list_items", "update_item", "delete_item",
    "restore_item",
}  # fmt: skip


@pytest.fixture(scope="module")
def generated(
    default_project: Project, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[ModuleType, str]]:
    """The generated client package, and the base URL of the served render."""
    tmp_path = tmp_path_factory.mktemp("generated-client")
    env = default_project.env()  # nothing configured: the embedded database
    env["EMBEDDED_DATABASE_DIR"] = str(tmp_path / "postgres")
    with serve(default_project, env, tmp_path / "service.log") as base:
        document = tmp_path / "openapi.json"
        document.write_text(json.dumps(call(f"{base}/openapi.json").body))
        generator = shutil.which(
            "openapi-python-client", path=str(Path(sys.executable).parent)
        )
        assert generator, "openapi-python-client is a dev dependency: run `uv sync`"
        package = tmp_path / "service_client"
        run_ok(
            tmp_path,
            [generator, "generate", "--path", str(document),
             "--output-path", str(package), "--meta", "none"],
            env={"PATH": str(Path(sys.executable).parent)},
        )  # fmt: skip
        sys.path.insert(0, str(tmp_path))
        try:
            yield importlib.import_module("service_client"), base
        finally:
            sys.path.remove(str(tmp_path))
            for name in [m for m in sys.modules if m.startswith("service_client")]:
                del sys.modules[name]


def module(client: ModuleType, name: str) -> Any:
    return importlib.import_module(f"{client.__name__}.{name}")


def test_every_items_operation_is_generated_under_its_name(
    generated: tuple[ModuleType, str],
) -> None:
    client, _ = generated
    items = Path(client.__file__).parent / "api" / "items"
    assert {path.stem for path in items.glob("*.py")} - {"__init__"} == OPERATIONS


def test_a_generated_client_drives_every_items_operation(
    generated: tuple[ModuleType, str],
) -> None:
    package, base = generated
    models = module(package, "models")
    api = {name: module(package, f"api.items.{name}") for name in OPERATIONS}
    client = package.Client(base_url=base, raise_on_unexpected_status=True)

    names = ["client apple", "client pear", "client plum"]
    created = [
        api["create_item"].sync(client=client, body=models.ItemCreate(name=name))
        for name in names
    ]
    assert [item.name for item in created] == names
    apple, pear, plum = created

    fetched = api["get_item"].sync(client=client, item_id=apple.id)
    assert (fetched.id, fetched.name) == (apple.id, "client apple")

    # A list filter as generated clients send one: the parameter repeated.
    chosen = api["list_items"].sync(
        client=client,
        name_in=["client apple", "client plum"],
        order_by=models.ListItemsOrderBy.NAME,
    )
    assert [item.name for item in chosen.items] == ["client apple", "client plum"]
    assert chosen.total == 2
    since = api["list_items"].sync(
        client=client, created_at_gte=pear.created_at, name_ilike="CLIENT"
    )
    assert {item.id for item in since.items} == {pear.id, plum.id}

    updated = api["update_item"].sync(
        client=client, item_id=pear.id, body=models.ItemUpdate(description="ripe")
    )
    assert updated.description == "ripe"
    assert updated.updated_at > pear.updated_at

    deleted = api["delete_item"].sync_detailed(client=client, item_id=plum.id)
    assert deleted.status_code == 204
    missing = api["get_item"].sync_detailed(client=client, item_id=plum.id)
    assert missing.status_code == 404
    assert missing.parsed.error_code == "NOT_FOUND"

    restored = api["restore_item"].sync(client=client, item_id=plum.id)
    assert (restored.id, restored.deleted_at) == (plum.id, None)
