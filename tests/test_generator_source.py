"""The resource generator writes what `items/` holds: one source, two copies.

`scripts/resource/*.tmpl` are what `scripts/add_resource.py` writes for a new
resource; rendered with items' own names they must equal the items files the
template ships, so a pattern changed in one is changed in the other. Neither
is Jinja, so the template's files are compared as they are.
"""

import importlib.util
import sys
from types import ModuleType

import pytest

from support import REPO_ROOT

TEMPLATE = REPO_ROOT / "template"
ITEMS = TEMPLATE / "src" / "{{package_name}}" / "items"
# What the generator writes from each template, and items' file of it.
PAIRS = {
    **{f"{layer}.py.tmpl": ITEMS / f"{layer}.py" for layer in (
        "models", "schemas", "repository", "service", "router"
    )},
    "test.py.tmpl": TEMPLATE / "tests" / "api" / "v1" / "test_items_contract.py",
}  # fmt: skip


def generator() -> ModuleType:
    path = TEMPLATE / "scripts" / "add_resource.py"
    spec = importlib.util.spec_from_file_location("add_resource", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("add_resource", module)
    spec.loader.exec_module(module)
    return module


def test_every_template_of_the_generator_is_compared() -> None:
    templates = {path.name for path in (TEMPLATE / "scripts" / "resource").iterdir()}
    assert templates == set(PAIRS)
    assert set(generator().LAYERS) == {name.split(".")[0] for name in PAIRS} - {"test"}


@pytest.mark.parametrize("template", PAIRS)
def test_the_generator_writes_for_items_what_items_holds(template: str) -> None:
    add_resource = generator()
    written = add_resource._render(template, add_resource.names_for("items", None))
    assert written == PAIRS[template].read_text()
