"""The one full check of an answer set, run once per session.

`check` runs in a synced render what its user and their CI would: `ruff
check`, `ruff format --check`, `mypy --strict`, then the whole suite with
coverage, in random order, on two workers, with the seed suite beside the
rendered tests. Each is run once and its outcome kept; the tests of
test_rendered_projects.py each assert one part of it, so a failure names the
check that failed and shows its output.
"""

import ast
import shutil
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from support import POSTGRES_SERVER, Outcome, Project

SEED = Path(__file__).parent / "seed"
# Where the seed's files go in a render for the suite run, and back out after.
SEED_DESTINATIONS = {
    "test_items.py": "tests/api/v1/test_seed_items.py",
    "test_factory.py": "tests/api/v1/test_seed_factory.py",
}
# junit_logging: a failing case's report keeps its captured logs and output
# (the embedded server's, say), which the run's own output truncates.
SUITE = "uv run pytest -p no:cacheprovider -p randomly -n 2 --cov -o junit_logging=all"

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


@dataclass(frozen=True)
class Checked:
    """A render and the outcomes of its one full check."""

    project: Project
    ruff: Outcome
    ruff_format: Outcome
    mypy: Outcome
    suite: Outcome
    # Every test case of the suite run, by id (`tests/a/test_b.py::TestC::d`),
    # with how it ended: passed, failed, error or skipped.
    cases: dict[str, str]
    # What the report says of the first case that failed or errored, its
    # captured logs and output included ("" when none did).
    first_failure: str
    # The database the suite's tests got, before the per-worker suffix (None:
    # an embedded server), and the databases of that prefix once it had run.
    database: str | None
    databases_after_suite: frozenset[str]


# How a user gives the suite its database, as the rendered docs/tests.md documents
# them: nothing (an embedded server), TEST_DATABASE_URL, DATABASE_URL
# exported or in .env (the tests then use `<its database>_test`), or both
# (TEST_DATABASE_URL exported wins over DATABASE_URL in .env).
DATABASE_SETUPS = (
    "nothing",
    "test_database_url",
    "database_url_exported",
    "database_url_in_env_file",
    "both",
)


def check(project: Project, setup: str, work: Path) -> Checked:
    """The full check of `project`, its suite given a database by `setup`
    (one of DATABASE_SETUPS)."""
    ruff = project.outcome("uv run ruff check")
    ruff_format = project.outcome("uv run ruff format --check")
    mypy = project.outcome("uv run mypy")

    report = work / "suite.xml"
    seeds = [project.path / destination for destination in SEED_DESTINATIONS.values()]
    for source, destination in zip(SEED_DESTINATIONS, seeds, strict=True):
        shutil.copy(SEED / source, destination)
    try:
        with database_setup(project, setup, "suite") as (env, name):
            suite = project.outcome(f"{SUITE} --junitxml={report}", env=env)
    finally:
        for seed in seeds:
            seed.unlink()
    cases = cases_of(report) if report.exists() else {}
    first_failure = first_failure_in(report) if report.exists() else ""
    after = databases_named(project, name) if name else frozenset()
    return Checked(
        project, ruff, ruff_format, mypy, suite, cases, first_failure, name, after
    )


@contextmanager
def database_setup(
    project: Project, setup: str, purpose: str
) -> Iterator[tuple[dict[str, str], str | None]]:
    """The environment (and .env file) that gives a suite run its database by
    `setup`, and the name of the database its tests get (None: embedded)."""
    if setup not in DATABASE_SETUPS:
        raise ValueError(f"unknown database setup {setup!r}: not in {DATABASE_SETUPS}")
    if setup == "nothing":
        yield project.env(), None
        return
    env = project.env_with_fresh_database(purpose)
    test_database_url = env.pop("TEST_DATABASE_URL")
    name = test_database_url.rsplit("/", 1)[1]
    if setup in ("test_database_url", "both"):
        env["TEST_DATABASE_URL"] = test_database_url
    else:  # the tests take DATABASE_URL's server, database `<name>_test`
        name = f"{name}_app_test"
    # The service's own database, created as a user's would have been.
    database_url = f"{test_database_url}_app"
    if setup != "test_database_url":
        project.create_database(database_url)
    if setup == "database_url_exported":
        env["DATABASE_URL"] = database_url
    env_file = project.path / ".env"
    if setup in ("database_url_in_env_file", "both"):
        env_file.write_text(f"DATABASE_URL={database_url}\n")
    try:
        yield env, name
    finally:
        env_file.unlink(missing_ok=True)


def cases_of(junit_report: Path) -> dict[str, str]:
    """Each test case of a JUnit XML report by pytest id, with its outcome."""
    cases = {}
    for case in ElementTree.parse(junit_report).iter("testcase"):
        *modules, last = case.attrib["classname"].split(".")
        # classname is the module's dotted path, then the class if any.
        if last.startswith("Test"):
            path, parts = "/".join(modules) + ".py", [last, case.attrib["name"]]
        else:
            path, parts = "/".join([*modules, last]) + ".py", [case.attrib["name"]]
        ended = [child.tag for child in case if child.tag in _ENDINGS]
        cases["::".join([path, *parts])] = ended[0] if ended else "passed"
    return cases


_ENDINGS = {"failure": "failed", "error": "error", "skipped": "skipped"}


def first_failure_in(junit_report: Path, limit: int = 6000) -> str:
    """The first failed or errored case of a JUnit XML report: its name, the
    failure's message and traceback, then its captured output and logs, each
    cut to its last `limit` characters."""
    for case in ElementTree.parse(junit_report).iter("testcase"):
        failures = [child for child in case if child.tag in ("failure", "error")]
        if not failures:
            continue
        parts = [f"{case.attrib['classname']}::{case.attrib['name']}"]
        for child in failures + [
            child for child in case if child.tag in ("system-out", "system-err")
        ]:
            text = (child.attrib.get("message", "") + "\n" + (child.text or "")).strip()
            parts.append(f"--- {child.tag}\n{text[-limit:]}")
        return "\n".join(parts)
    return ""


def seed_case_ids() -> list[str]:
    """The ids the seed's tests get in a render's suite run, read from the
    seed files themselves: every test function, in or out of a class."""
    ids = []
    for source, destination in SEED_DESTINATIONS.items():
        tree = ast.parse((SEED / source).read_text())
        for node in tree.body:
            if isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
                ids += [
                    f"{destination}::{node.name}::{method.name}"
                    for method in node.body
                    if isinstance(method, ast.AsyncFunctionDef | ast.FunctionDef)
                    and method.name.startswith("test_")
                ]
            elif isinstance(
                node, ast.AsyncFunctionDef | ast.FunctionDef
            ) and node.name.startswith("test_"):
                ids.append(f"{destination}::{node.name}")
    return ids


def databases_named(project: Project, prefix: str) -> frozenset[str]:
    """The databases on the shared server whose names start with `prefix`."""
    server = f"postgresql://{POSTGRES_SERVER}/postgres"
    listed = project.run(["uv", "run", "python", "-c", LIST_DATABASES, server, prefix])
    return frozenset(listed.split())
