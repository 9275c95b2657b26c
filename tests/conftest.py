import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from checks import Checked, check
from support import (
    Project,
    drop_created_databases,
    find_python,
    render,
    snapshot_template,
)

# tests/seed/ holds the seed guide's tests, vendored unchanged. They run inside a
# render (checks.py), with its app and fixtures, never here.
collect_ignore_glob = ["seed/*"]

# The rendered answer sets tested end to end, by name: what their user answered.
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
# How each answer set's one full suite run gets its database (checks.py,
# DATABASE_SETUPS): nothing configured, so an embedded PostgreSQL, as on a
# user's first day; DATABASE_URL exported; TEST_DATABASE_URL exported beside
# DATABASE_URL in .env. The other two setups run default's suite again
# (test_rendered_projects.py, OTHER_DATABASE_SETUPS).
SUITE_DATABASES: dict[str, str] = {
    "default": "nothing",
    "inventory": "database_url_exported",
    "newest": "both",
}
# Tests that belong to no answer set: the template's own (answers, renders,
# updates, tooling). ANSWER_SETS selects among these names and VARIANTS'.
TEMPLATE_SET = "template"


def pytest_configure(config: pytest.Config) -> None:
    # This session's temporary folders (the renders, their .venv, the embedded
    # servers' data) go in a root of their own, not in pytest's shared one
    # (/tmp/pytest-of-<user>): every pytest session that starts, the renders'
    # own suites among them, makes that root private to its user again, and
    # run as root the embedded PostgreSQL servers run as a user of their own,
    # which would lose their binaries mid-run. Workers get theirs from here.
    if config.option.basetemp is None and not hasattr(config, "workerinput"):
        config.option.basetemp = tempfile.mkdtemp(prefix="template-tests-")
        config.stash[_OWN_BASETEMP] = Path(config.option.basetemp)


_OWN_BASETEMP = pytest.StashKey[Path]()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    own = session.config.stash.get(_OWN_BASETEMP, None)
    if own is None:
        return
    if exitstatus == 0:
        shutil.rmtree(own, ignore_errors=True)
    else:  # kept for a post-mortem: renders, logs, reports
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(f"this run's renders and logs are kept in {own}")


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


# One fixture per variant, so that each is rendered and synced once per
# session (per xdist worker) however the tests that use it are ordered.
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


# The one full check of each variant (checks.py). Every test that reads one is
# sent to the same xdist worker (pytest_collection_modifyitems), which runs it
# once.
def checked_project(
    variant: str,
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
) -> Checked:
    # The one check of this session. xdist's workers each have a basetemp in
    # the session's, which pytest empties when the session starts.
    session_temp = tmp_path_factory.getbasetemp()
    if "PYTEST_XDIST_WORKER" in os.environ:
        session_temp = session_temp.parent
    claim = session_temp / f"{variant}-checked"
    try:
        claim.touch(exist_ok=False)
    except FileExistsError:
        pytest.fail(
            f"{variant}'s full check ran on a second worker: the xdist_group "
            "marks (pytest_collection_modifyitems) no longer reach xdist's "
            "--dist=loadgroup; see the pytest pin in pyproject.toml"
        )
    project: Project = request.getfixturevalue(f"{variant}_project")
    work = tmp_path_factory.mktemp(f"{variant}-check")
    return check(project, SUITE_DATABASES[variant], work)


@pytest.fixture(scope="session")
def default_checked(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Checked:
    return checked_project("default", request, tmp_path_factory)


@pytest.fixture(scope="session")
def inventory_checked(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Checked:
    return checked_project("inventory", request, tmp_path_factory)


@pytest.fixture(scope="session")
def newest_checked(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Checked:
    return checked_project("newest", request, tmp_path_factory)


@pytest.fixture(scope="session", params=list(VARIANTS))
def checked(request: pytest.FixtureRequest) -> Checked:
    return request.getfixturevalue(f"{request.param}_checked")


def answer_set_of(item: pytest.Item) -> str:
    """The variant a test is about (by its parameter or the fixture it uses),
    or TEMPLATE_SET."""
    callspec = getattr(item, "callspec", None)
    params = callspec.params if callspec else {}
    for name in ("checked", "project", "variant"):
        if params.get(name) in VARIANTS:
            return str(params[name])
    for variant in VARIANTS:
        if {f"{variant}_checked", f"{variant}_project"} & set(item.fixturenames):
            return variant
    return TEMPLATE_SET


# tryfirst: xdist's worker reads the xdist_group marks in its own hook, which
# would otherwise run before this one adds them.
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(
    config: pytest.Config, items: list[pytest.Item]
) -> None:
    # ANSWER_SETS=default,template runs those sets' tests only: the template's
    # CI runs one job per set.
    chosen = os.environ.get("ANSWER_SETS")
    if chosen:
        names = {name.strip() for name in chosen.split(",")}
        unknown = names - {*VARIANTS, TEMPLATE_SET}
        if unknown:
            raise pytest.UsageError(
                f"ANSWER_SETS names {sorted(unknown)}; the sets are "
                f"{[*VARIANTS, TEMPLATE_SET]}"
            )
        deselected = [item for item in items if answer_set_of(item) not in names]
        if deselected:
            config.hook.pytest_deselected(items=deselected)
            items[:] = [item for item in items if item not in deselected]
    # Under `-n N --dist loadgroup` (pyproject.toml), the tests that read a
    # variant's full check go to one worker, which then runs it once. Tests
    # that only need a synced render go anywhere: a render is seconds.
    for item in items:
        fixtures = set(item.fixturenames)
        if "checked" in fixtures or any(f"{v}_checked" in fixtures for v in VARIANTS):
            item.add_marker(pytest.mark.xdist_group(answer_set_of(item)))
