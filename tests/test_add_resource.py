"""The rendered README's add-a-resource command, as a user runs it: two
resources (one with an underscore) in three answer sets (one with sign-in),
then what the new resources change: their tests, the tests that read every
route or table, ruff on the files written, mypy and `alembic check`.

Each works on a copy of a variant whose full check has run (checks.py), so
that the rest of the suite is known to pass and mypy's cache is warm.
"""

import re
import shutil
from pathlib import Path

from checks import Checked
from support import commit_all, git

# Tests that read the whole app, and so every resource added: the migrations
# against the models, every route served and documented, and (auth=sessions)
# every route behind sign-in.
WHOLE_APP_TESTS = [
    "tests/test_migrations.py",
    "tests/core/test_openapi.py",
    "tests/core/test_routing.py",
]
SIGN_IN_WALK = "tests/auth/test_sessions.py"


def add_resources_then_check(checked: Checked, copy_to: Path) -> None:
    checked.suite.expect(0, detail=checked.first_failure)  # the rest passes
    project = checked.project
    copy: Path = shutil.copytree(
        project.path, copy_to, ignore=shutil.ignore_patterns(".venv", ".data")
    )
    commit_all(copy, "rendered")  # what the command writes is then a diff

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

    git(copy, "add", "-A")
    touched = git(copy, "diff", "--cached", "--name-only", "HEAD").split()
    new_tests = [
        name for name in touched if re.fullmatch(r"tests/.*/test_\w+\.py", name)
    ]
    assert new_tests == [
        "tests/api/v1/test_order_lines.py",
        "tests/api/v1/test_tags.py",
    ]
    tests = [*new_tests, *WHOLE_APP_TESTS]
    if project.answers["auth"] == "sessions":
        tests.append(SIGN_IN_WALK)
    env = project.env_with_fresh_database("resources")
    output = project.run(
        ["uv", "run", "pytest", "-q", "-rA", "-p", "no:cacheprovider", *tests],
        env=env,
        cwd=copy,
    )
    # The kit's whole contract is declared for each new resource, and passes.
    for contract in ("TestTagsContract", "TestOrderLinesContract"):
        assert output.count(f"::{contract}::") >= 15, output
    assert "FAILED" not in output
    python = [name for name in touched if name.endswith(".py")]
    run("uv run ruff check " + " ".join(python))
    run("uv run ruff format --check " + " ".join(python))
    run("uv run mypy")


def test_add_resource_in_the_default_render(
    default_checked: Checked, tmp_path: Path
) -> None:
    add_resources_then_check(default_checked, tmp_path / "project")


def test_add_resource_in_another_answer_set(
    inventory_checked: Checked, tmp_path: Path
) -> None:
    add_resources_then_check(inventory_checked, tmp_path / "project")


def test_add_resource_with_sessions_puts_it_behind_sign_in(
    newest_checked: Checked, tmp_path: Path
) -> None:
    # The sign-in walk covers the whole OpenAPI document and expects a 401
    # from every route but sign-in and registration: the new ones included.
    add_resources_then_check(newest_checked, tmp_path / "project")
