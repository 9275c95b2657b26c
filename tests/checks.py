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
    # The TEST_DATABASE_URL database the suite ran on (None: nothing was
    # configured), and the databases of that name's prefix once it had run.
    database: str | None
    databases_after_suite: frozenset[str]


def check(project: Project, database: str | None, work: Path) -> Checked:
    """The full check of `project`; `database` is how its suite gets one:
    None (nothing configured: the embedded server) or "test_database_url"."""
    ruff = project.outcome("uv run ruff check")
    ruff_format = project.outcome("uv run ruff format --check")
    mypy = project.outcome("uv run mypy")

    env, name = project.env(), None
    if database == "test_database_url":
        env = project.env_with_fresh_database("suite")
        name = env["TEST_DATABASE_URL"].rsplit("/", 1)[1]
    elif database is not None:
        raise ValueError(f"unknown database setup {database!r}")
    report = work / "suite.xml"
    seeds = [project.path / destination for destination in SEED_DESTINATIONS.values()]
    for source, destination in zip(SEED_DESTINATIONS, seeds, strict=True):
        shutil.copy(SEED / source, destination)
    try:
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
