"""The rendered README's add-a-resource command, as a user runs it: two
resources (one with an underscore) in three answer sets (one with sign-in),
then the project's own suite, linters and `alembic check`."""

import re
import shutil
from pathlib import Path

from support import Project

PYTEST = "uv run pytest -q -p no:cacheprovider"


def add_resources_then_check(project: Project, copy_to: Path) -> None:
    copy: Path = shutil.copytree(
        project.path, copy_to, ignore=shutil.ignore_patterns(".venv", ".data")
    )

    def run(command: str) -> str:
        return project.run(command, cwd=copy)

    for name in ("tags", "order_lines"):
        output = run(f"uv run python scripts/add_resource.py {name}")
        assert f"wrote tests/api/v1/test_{name}.py" in output
    package = copy / "src" / project.answers["package_name"]
    assert {"tags", "order_lines"} <= {p.name for p in package.iterdir()}
    assert "Running upgrade" in run("uv run alembic upgrade heads")
    assert "No new upgrade operations detected" in run("uv run alembic check")
    router = (package / "order_lines" / "router.py").read_text()
    assert 'prefix="/order-lines"' in router
    # The kit's whole contract is declared for each new resource, and passes.
    collected = run(f"{PYTEST} --collect-only tests/api/v1")
    for contract in ("TestTagsContract", "TestOrderLinesContract"):
        assert collected.count(f"::{contract}::") >= 15, collected
    env = project.env_with_fresh_database("resources")
    output = project.run(f"{PYTEST} -p no:randomly", env=env, cwd=copy)
    assert re.search(r"\b\d+ passed\b", output), output
    for check in ("ruff check", "ruff format --check", "mypy"):
        run(f"uv run {check}")


def test_add_resource_in_the_default_render(
    default_project: Project, tmp_path: Path
) -> None:
    add_resources_then_check(default_project, tmp_path / "project")


def test_add_resource_in_another_answer_set(
    inventory_project: Project, tmp_path: Path
) -> None:
    add_resources_then_check(inventory_project, tmp_path / "project")


def test_add_resource_with_sessions_puts_it_behind_sign_in(
    newest_project: Project, tmp_path: Path
) -> None:
    # The project's suite walks its whole OpenAPI document and expects a 401
    # from every route but sign-in and registration: the new ones included.
    add_resources_then_check(newest_project, tmp_path / "project")
