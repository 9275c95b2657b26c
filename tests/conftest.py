from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from support import (
    Project,
    drop_created_databases,
    find_python,
    render,
    snapshot_template,
)

# tests/seed/ holds the seed guide's tests, vendored unchanged. They run inside a
# render (test_seed_suite_passes_unchanged), with its app and fixtures, never here.
collect_ignore_glob = ["seed/*"]

# The rendered variants tested end to end, by name: what their user answered.
VARIANTS: dict[str, dict[str, Any]] = {
    "default": {"project_name": "Demo Service"},
    "inventory": {
        "project_name": "Inventory API",
        "project_slug": "inventory-api",
        "package_name": "inventory",
        "python_version": "3.12",
        "database_name": "inventory_db",
    },
    "newest": {
        "project_name": "Ledger",
        "package_name": "ledger_svc",
        "python_version": "3.13",
        "auth": "sessions",
    },
}


@pytest.fixture(scope="session", autouse=True)
def no_database_left_behind() -> Iterator[None]:
    """The databases a session's tests made on the shared server go with it."""
    yield
    drop_created_databases()


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The template as it is in the working tree now, committed in a scratch repo."""
    return snapshot_template(tmp_path_factory.mktemp("template"))


def synced_project(
    variant: str, template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Project:
    path = tmp_path_factory.mktemp(variant) / "project"
    answers = render(template, path, VARIANTS[variant])
    project = Project(path, answers, find_python(answers["python_version"]))
    project.run("uv sync")
    return project


# One fixture per variant, so that each is rendered and synced once per session
# however the tests that use it are ordered.
@pytest.fixture(scope="session")
def default_project(
    template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Project:
    return synced_project("default", template, tmp_path_factory)


@pytest.fixture(scope="session")
def inventory_project(
    template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Project:
    return synced_project("inventory", template, tmp_path_factory)


@pytest.fixture(scope="session")
def newest_project(template: Path, tmp_path_factory: pytest.TempPathFactory) -> Project:
    return synced_project("newest", template, tmp_path_factory)


@pytest.fixture(scope="session", params=list(VARIANTS))
def project(request: pytest.FixtureRequest) -> Project:
    return request.getfixturevalue(f"{request.param}_project")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Under `-n N --dist loadgroup` (see pyproject.toml), all tests of a variant
    # go to one worker, which then renders and syncs that variant once.
    for item in items:
        callspec = getattr(item, "callspec", None)
        variant = callspec.params.get("project") if callspec else None
        variant = variant or next(
            (v for v in VARIANTS if f"{v}_project" in item.fixturenames), None
        )
        if variant:
            item.add_marker(pytest.mark.xdist_group(variant))
