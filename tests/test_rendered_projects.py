"""Each variant, rendered and synced once, passes what its user would run in it."""

import re
import shutil
from pathlib import Path

from support import POSTGRES_SERVER, RUN_ID, Project, drop_created_databases

SEED = Path(__file__).parent / "seed"
PYTEST = "uv run pytest -q -p no:cacheprovider"


def test_uv_sync_installs_the_package_on_the_chosen_python(project: Project) -> None:
    # The `project` fixture ran `uv sync`; had it failed, its output shows here.
    package = project.answers["package_name"]
    version = project.answers["python_version"]
    code = f"import sys, {package}; print('%d.%d' % sys.version_info[:2])"
    assert project.run(["uv", "run", "python", "-c", code]).strip() == version


def test_pytest_with_test_database_url_and_coverage(project: Project) -> None:
    # --cov enforces the render's fail_under.
    output = project.run(
        f"{PYTEST} --cov", env=project.env_with_fresh_database("tests")
    )
    assert "Required test coverage" in output, output


def test_pytest_stops_with_one_line_when_no_database_can_be_had(
    default_project: Project,
) -> None:
    # Nothing listens on port 1: the run must stop at once, saying what it tried.
    url = "postgresql+asyncpg://postgres@127.0.0.1:1/nowhere"
    env = {**default_project.env(), "TEST_DATABASE_URL": url}
    output = default_project.run(f"{PYTEST} -p no:randomly", env=env, expect_exit=3)
    lines = [line for line in output.splitlines() if "No test database" in line]
    assert len(lines) == 1, output
    assert "127.0.0.1:1/nowhere" in lines[0]
    assert "TEST_DATABASE_URL" in lines[0]
    assert "Traceback" not in output


def test_pytest_with_no_database_configured(project: Project) -> None:
    # Neither TEST_DATABASE_URL nor DATABASE_URL: it starts an embedded PostgreSQL.
    project.run(PYTEST)


def test_pytest_in_random_order_on_two_workers(default_project: Project) -> None:
    env = default_project.env_with_fresh_database("random")
    default_project.run(f"{PYTEST} -p randomly -n 2", env=env)


def test_ruff_check(project: Project) -> None:
    project.run("uv run ruff check")


def test_ruff_format_check(project: Project) -> None:
    project.run("uv run ruff format --check")


def test_mypy(project: Project) -> None:
    project.run("uv run mypy")


def test_seed_suite_passes_unchanged(default_project: Project, tmp_path: Path) -> None:
    run_seed_suite(default_project, tmp_path)


def test_seed_suite_passes_unchanged_with_sessions(
    newest_project: Project, tmp_path: Path
) -> None:
    # The template's `client` is signed in, so the seed's requests are too.
    assert newest_project.answers["auth"] == "sessions"
    run_seed_suite(newest_project, tmp_path)


def run_seed_suite(project: Project, tmp_path: Path) -> None:
    # In a copy of the render, so that no other test sees the seed files; the
    # copy gets its own .venv from `uv run` (a venv cannot be moved).
    copy = shutil.copytree(
        project.path,
        tmp_path / "project",
        ignore=shutil.ignore_patterns(".venv", ".data"),
    )
    shutil.copy(SEED / "test_items.py", copy / "tests/api/v1/test_seed_items.py")
    shutil.copy(SEED / "test_factory.py", copy / "tests/api/v1/test_seed_factory.py")
    output = project.run(
        f"{PYTEST} tests/api/v1/test_seed_items.py tests/api/v1/test_seed_factory.py",
        env=project.env_with_fresh_database("seed"),
        cwd=copy,
    )
    # Every seed test ran and passed: none skipped, deselected or lost.
    seed_tests = sum(path.read_text().count("def test_") for path in SEED.glob("*.py"))
    assert re.search(rf"\b{seed_tests} passed\b", output), output


LIST_DATABASES = r"""
import asyncio, sys, asyncpg

async def main(server_url, prefix):
    connection = await asyncpg.connect(server_url)
    for (name,) in await connection.fetch(
        "SELECT datname FROM pg_database WHERE starts_with(datname, $1)", prefix
    ):
        print(name)
    await connection.close()

asyncio.run(main(*sys.argv[1:]))
"""


def test_the_databases_a_run_makes_are_its_own_and_dropped(
    default_project: Project,
) -> None:
    def databases_of_this_run() -> set[str]:
        server = f"postgresql://{POSTGRES_SERVER}/postgres"
        listed = default_project.run(
            ["uv", "run", "python", "-c", LIST_DATABASES, server, f"tpl_{RUN_ID}_"]
        )
        return set(listed.split())

    env = default_project.env_with_fresh_database("probe")
    name = env["TEST_DATABASE_URL"].rsplit("/", 1)[1]
    assert name.startswith(f"tpl_{RUN_ID}_")
    # The rendered suite creates it, and a copy per xdist worker.
    default_project.run(f"{PYTEST} -n 2 tests/test_migrations.py", env=env)
    assert {f"{name}_gw0", f"{name}_gw1"} & databases_of_this_run()
    drop_created_databases()
    assert databases_of_this_run() == set()
