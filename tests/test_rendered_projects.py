"""Each variant, rendered and synced once, passes what its user would run in it.

The checks run once per variant (checks.py: `checked`); each test here reads
one of their outcomes.
"""

import pytest

from checks import (
    DATABASE_SETUPS,
    SEED,
    SUITE,
    Checked,
    database_setup,
    databases_named,
    seed_case_ids,
)
from conftest import SUITE_DATABASES
from support import Project

# The database setups the checks' suite runs leave out, run here on default.
OTHER_DATABASE_SETUPS = [
    setup for setup in DATABASE_SETUPS if setup not in SUITE_DATABASES.values()
]


def test_uv_sync_installs_the_package_on_the_chosen_python(project: Project) -> None:
    # The `project` fixture ran `uv sync`; had it failed, its output shows here.
    package = project.answers["package_name"]
    version = project.answers["python_version"]
    code = f"import sys, {package}; print('%d.%d' % sys.version_info[:2])"
    assert project.run(["uv", "run", "python", "-c", code]).strip() == version


def test_ruff_check(checked: Checked) -> None:
    checked.ruff.expect()


def test_ruff_format_check(checked: Checked) -> None:
    checked.ruff_format.expect()


def test_mypy(checked: Checked) -> None:
    assert "Success: no issues found" in checked.mypy.expect()


def test_the_suite_passes_with_coverage_in_random_order_on_two_workers(
    checked: Checked,
) -> None:
    output = checked.suite.expect(0, detail=checked.first_failure)
    assert "Required test coverage of" in output  # --cov enforces fail_under
    assert "Using --randomly-seed=" in output
    assert "created: 2/2 workers" in output
    assert checked.cases, "no test case was reported"
    assert set(checked.cases.values()) <= {"passed", "skipped"}


def test_seed_suite_passes_unchanged(checked: Checked) -> None:
    # With auth=sessions the template's `client` is signed in, so the seed's
    # requests are too.
    expected = seed_case_ids()
    # Every test of the seed's files is among them, none lost to the reading.
    assert len(expected) == sum(
        path.read_text().count("def test_") for path in SEED.glob("*.py")
    )
    outcomes = {case: checked.cases.get(case, "not run") for case in expected}
    assert outcomes == dict.fromkeys(expected, "passed")


def test_pytest_stops_with_one_line_when_no_database_can_be_had(
    default_project: Project,
) -> None:
    # Nothing listens on port 1: the run must stop at once, saying what it tried.
    url = "postgresql+asyncpg://postgres@127.0.0.1:1/nowhere"
    env = {**default_project.env(), "TEST_DATABASE_URL": url}
    output = default_project.run(
        "uv run pytest -q -p no:cacheprovider -p no:randomly", env=env, expect_exit=3
    )
    lines = [line for line in output.splitlines() if "No test database" in line]
    assert len(lines) == 1, output
    assert "127.0.0.1:1/nowhere" in lines[0]
    assert "TEST_DATABASE_URL" in lines[0]
    assert "Traceback" not in output


def test_the_databases_a_run_makes_are_its_own_and_dropped(
    inventory_checked: Checked,
) -> None:
    # The suite ran on two workers with DATABASE_URL exported: it made
    # `<its database>_test`, and a copy per xdist worker, all named for this run.
    checked, name = inventory_checked, inventory_checked.database
    assert name is not None
    assert name.endswith("_app_test")
    assert f"{SUITE} " in checked.suite.command
    assert {f"{name}_gw0", f"{name}_gw1"} <= checked.databases_after_suite
    checked.project.drop_databases(name)
    assert databases_named(checked.project, name) == frozenset()


@pytest.mark.parametrize("setup", OTHER_DATABASE_SETUPS)
def test_the_suite_passes_with_the_other_database_setups(
    default_checked: Checked, setup: str
) -> None:
    project = default_checked.project
    with database_setup(project, setup, setup) as (env, name):
        outcome = project.outcome(SUITE, env=env)
        made = databases_named(project, name) if name else frozenset()
    outcome.expect(0)
    assert name is not None
    assert {f"{name}_gw0", f"{name}_gw1"} <= made


def test_each_database_setup_is_run_once() -> None:
    assert sorted([*SUITE_DATABASES.values(), *OTHER_DATABASE_SETUPS]) == sorted(
        DATABASE_SETUPS
    )
