"""`copier update` from one template version to the next, as its users run it.

The versions are tagged in a scratch copy of the template, not taken from this
repository's tags, which a shallow CI clone may lack.
"""

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import VARIANTS
from scenarios import (
    BEFORE_THE_MOVE,
    NEW_FIXTURE_MODULE,
    NEW_FIXTURE_TEST,
    NEW_FIXTURE_TEST_ID,
    TAGS_ROUTER_IMPORT,
    TAGS_ROUTER_LISTED,
    USER_README_SECTION,
    USER_TEST_ID,
    make_user_changes,
    release_fixture_improvements,
    release_retiring,
    replace_once,
)
from support import (
    REPO_ROOT,
    Project,
    commit_all,
    files_of,
    find_python,
    git,
    merge_problems,
    render,
    run_command,
    snapshot_template,
    update,
)

# Everything here shares the template history and the updated project: under
# xdist they run on one worker, which builds them once.
pytestmark = pytest.mark.xdist_group("update")

OLD, NEW = "1.0.0", "1.1.0"
ANSWERS = VARIANTS["default"]


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The template at OLD, and at NEW with improved fixtures."""
    repo = snapshot_template(tmp_path_factory.mktemp("history"))
    git(repo, "tag", OLD)
    release_fixture_improvements(repo, NEW)
    return repo


@dataclass(frozen=True)
class UpdatedProject:
    path: Path
    answers: dict[str, Any]
    kept: dict[str, list[str]]  # the texts of the user's that must survive


@pytest.fixture(scope="module")
def updated(history: Path, tmp_path_factory: pytest.TempPathFactory) -> UpdatedProject:
    """A project rendered at OLD, changed by its team, updated to the newest tag."""
    path = tmp_path_factory.mktemp("updated") / "project"
    answers = render(history, path, ANSWERS, vcs_ref=OLD)
    commit_all(path, "rendered")
    kept = make_user_changes(path, answers["package_name"])
    update(path)
    return UpdatedProject(path, answers, kept)


def test_update_leaves_no_conflicts(updated: UpdatedProject) -> None:
    assert merge_problems(updated.path) == []


def test_update_keeps_every_user_change(updated: UpdatedProject) -> None:
    lost = [
        f"{name}: {text!r}"
        for name, texts in updated.kept.items()
        for text in texts
        if text not in (updated.path / name).read_text()
    ]
    assert lost == []


def test_update_brings_the_new_fixtures(updated: UpdatedProject, history: Path) -> None:
    new_module = history / "template" / NEW_FIXTURE_MODULE
    assert (updated.path / NEW_FIXTURE_MODULE).read_text() == new_module.read_text()
    fixtures = (updated.path / "tests/fixtures/__init__.py").read_text()
    assert '"tests.fixtures.requests"' in fixtures
    database = (updated.path / "tests/fixtures/database.py").read_text()
    assert "request_ids: Iterator[str]," in database
    tests_doc = (updated.path / "docs/tests.md").read_text()
    assert "naming its requests after\nthe test in X-Request-ID" in tests_doc


def test_update_records_the_new_version(updated: UpdatedProject) -> None:
    answers = yaml.safe_load((updated.path / ".copier-answers.yml").read_text())
    assert answers["_commit"] == NEW


def touched_python_files(project: Path) -> list[str]:
    """The Python files the team or the update changed since the render."""
    rendered = git(project, "rev-list", "--max-parents=0", "HEAD").strip()
    changed = git(project, "diff", "--name-only", rendered).split()
    new = git(project, "ls-files", "--others", "--exclude-standard").split()
    return sorted(name for name in {*changed, *new} if name.endswith(".py"))


def run_what_changed(project: Project, tests: list[str], purpose: str) -> str:
    """The tests of what changed, then ruff on the files touched and mypy on
    the whole project (which checks their importers too)."""
    project.run("uv sync")
    output = project.run(
        ["uv", "run", "pytest", "-q", "-rA", "-p", "no:randomly", *tests],
        env=project.env_with_fresh_database(purpose),
    )
    assert "FAILED" not in output
    touched = touched_python_files(project.path)
    project.run(["uv", "run", "ruff", "check", *touched])
    project.run(["uv", "run", "ruff", "format", "--check", *touched])
    project.run("uv run mypy")
    return output


def test_updated_project_passes_its_tests_and_checks(
    updated: UpdatedProject,
) -> None:
    python = find_python(updated.answers["python_version"])
    project = Project(updated.path, updated.answers, python)
    # The team's tests, the template's new fixture and its test, and the
    # migration tests, which now cover the team's table too.
    output = run_what_changed(
        project,
        ["tests/tags", NEW_FIXTURE_TEST, "tests/test_migrations.py"],
        "update",
    )
    assert f"PASSED {USER_TEST_ID}" in output
    assert f"PASSED {NEW_FIXTURE_TEST_ID}" in output
    assert "PASSED tests/test_migrations.py" in output


def test_second_update_to_the_same_version_changes_nothing(
    updated: UpdatedProject,
) -> None:
    commit_all(updated.path, "updated to the template's newest version")
    before = git(updated.path, "rev-parse", "HEAD")
    update(updated.path)
    assert git(updated.path, "status", "--porcelain") == ""
    assert git(updated.path, "rev-parse", "HEAD") == before


def test_update_of_an_unchanged_project_equals_a_fresh_render(
    history: Path, tmp_path: Path
) -> None:
    updated = tmp_path / "updated"
    render(history, updated, ANSWERS, vcs_ref=OLD)
    commit_all(updated, "rendered")
    update(updated)
    fresh = tmp_path / "fresh"
    render(history, fresh, ANSWERS, vcs_ref=NEW)
    assert files_of(updated) == files_of(fresh)


def test_editing_the_lines_a_release_changes_is_reported_as_a_conflict(
    history: Path, tmp_path: Path
) -> None:
    # The kind of edit the README warns of: a template-owned fixture changed
    # by hand where the next release changes it too.
    render(history, tmp_path, ANSWERS, vcs_ref=OLD)
    commit_all(tmp_path, "rendered")
    replace_once(
        tmp_path / "tests/fixtures/database.py",
        """    _serve_sessions_from(app, session_factory)
    transport = ASGITransport(app=app, raise_app_exceptions=False)
    async with AsyncClient(transport=transport, base_url="http://test") as http:""",
        """    _serve_sessions_from(app, session_factory)
    transport = ASGITransport(app=app, raise_app_exceptions=False)
    async with AsyncClient(transport=transport, base_url="http://app") as http:""",
    )
    commit_all(tmp_path, "our own base URL")
    update(tmp_path)
    assert merge_problems(tmp_path) == [
        "unmerged: tests/fixtures/database.py",
        "conflict markers: tests/fixtures/database.py",
    ]


def test_a_retired_file_the_user_edited_is_kept(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    retired = "tests/core/test_ids.py"
    repo = snapshot_template(tmp_path_factory.mktemp("retiring"))
    git(repo, "tag", OLD)
    release_retiring(repo, NEW, retired)
    project = tmp_path_factory.mktemp("retired") / "project"
    render(repo, project, ANSWERS, vcs_ref=OLD)
    commit_all(project, "rendered")
    own_test = "\n\ndef test_our_own_case() -> None:\n    assert True\n"
    with (project / retired).open("a") as module:
        module.write(own_test)
    commit_all(project, "a test of our own")
    edited = (project / retired).read_text()
    update(project)
    assert merge_problems(project) == []
    assert (project / retired).read_text() == edited


@pytest.fixture(scope="module")
def switched_to_sessions(
    history: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Project, str]:
    """A project rendered at OLD with auth=none, changed by its team (their
    own resource and migration), its database migrated, then updated to the
    newest tag with `--data auth=sessions`. Returns it, and its database's URL
    in the test environment."""
    path = tmp_path_factory.mktemp("sessions") / "project"
    answers = render(history, path, {**ANSWERS, "auth": "none"}, vcs_ref=OLD)
    commit_all(path, "rendered")
    make_user_changes(path, answers["package_name"])
    project = Project(path, answers, find_python(answers["python_version"]))
    project.run("uv sync")
    env = project.env_with_fresh_database("switch")
    # The team's database, migrated before the update: theirs and the
    # template's migrations both applied.
    database_env = env | {"DATABASE_URL": env["TEST_DATABASE_URL"]}
    project.create_database(env["TEST_DATABASE_URL"])
    project.run("uv run alembic upgrade heads", env=database_env)
    commit_all(path, "uv.lock")
    update(path, data={"auth": "sessions"})
    answers = yaml.safe_load((path / ".copier-answers.yml").read_text())
    return Project(path, answers, project.python), env["TEST_DATABASE_URL"]


def test_switching_to_sessions_merges_cleanly_and_keeps_the_teams_work(
    switched_to_sessions: tuple[Project, str],
) -> None:
    project, _ = switched_to_sessions
    assert merge_problems(project.path) == []
    assert project.answers["auth"] == "sessions"
    assert project.answers["_commit"] == NEW
    package = project.path / "src" / project.answers["package_name"]
    for domain in ("auth", "users"):
        assert (package / domain / "service.py").exists()
    api = (package / "api.py").read_text()
    assert TAGS_ROUTER_IMPORT in api
    assert TAGS_ROUTER_LISTED in api
    assert "dependencies=[Depends(require_session)]" in api
    models = (package / "models.py").read_text()
    assert "from .tags.models import Tag\n" in models
    assert "from .auth.models import User as User\n" in models


def test_switching_to_sessions_migrates_the_teams_database_cleanly(
    switched_to_sessions: tuple[Project, str],
) -> None:
    project, url = switched_to_sessions
    project.run("uv sync")
    env = project.env() | {"DATABASE_URL": url}
    upgraded = project.run("uv run alembic upgrade heads", env=env)
    assert "Running upgrade template_0002 -> template_0003" in upgraded
    heads = project.run("uv run alembic heads", env=env)
    assert "template_0003 (head)" in heads
    assert "0002 (head)" in heads  # the team's line, beside the template's
    assert "No new upgrade operations detected" in project.run(
        "uv run alembic check", env=env
    )


def test_switching_to_sessions_passes_the_projects_tests_and_checks(
    switched_to_sessions: tuple[Project, str],
) -> None:
    project, _ = switched_to_sessions
    # Sign-in's own tests; the team's, now signed in; the API's, whose client
    # is now signed in; and the migrations, the team's line beside sign-in's.
    output = run_what_changed(
        project,
        ["tests/auth", "tests/tags", "tests/api", "tests/test_migrations.py"],
        "switched",
    )
    # The walk of the whole API finds the team's tags routes behind sign-in too.
    assert f"PASSED {USER_TEST_ID}" in output
    assert "PASSED tests/auth/test_sessions.py::test_every_route_but" in output
    assert "PASSED tests/test_migrations.py" in output


# The main of the day core/ became packages, api.py lost RouterGroup and the
# README moved to docs/: the last commit before that layout (issue 24).
BEFORE_THE_MOVE_COMMIT = "3104f78"
CONFLICT = re.compile(
    r"^<<<<<<< [^\n]*\n.*?^=======\n(.*?)^>>>>>>> [^\n]*\n", re.S | re.M
)


def keep_the_new_side(project: Path, name: str) -> None:
    """Resolve each conflict in `name` to what the update brought, as the
    CHANGELOG says to where it announces one."""
    path = project / name
    path.write_text(CONFLICT.sub(lambda match: match[1], path.read_text()))
    git(project, "add", name)


def after_the_move(text: str) -> str:
    for new, old in BEFORE_THE_MOVE.items():
        text = text.replace(old, new)
    return text


def changelog_command(after: str) -> str:
    """The first bash block of CHANGELOG.md that follows `after`."""
    text = (REPO_ROOT / "CHANGELOG.md").read_text()
    found = re.search(re.escape(after) + r".*?```bash\n(.*?)```", text, re.S)
    assert found, f"CHANGELOG.md: no bash block after {after!r}"
    return found[1]


def test_a_project_from_before_the_move_updates_to_the_new_layout(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    # The template's history, with the working tree as its newest commit.
    repo = tmp_path_factory.mktemp("moved") / "template"
    git(tmp_path_factory.getbasetemp(), "clone", "-q", str(REPO_ROOT), str(repo))
    git(repo, "rm", "-rq", ".")
    snapshot_template(repo)
    project = tmp_path_factory.mktemp("before-the-move") / "project"
    answers = render(repo, project, ANSWERS, vcs_ref=BEFORE_THE_MOVE_COMMIT)
    commit_all(project, "rendered")
    package = answers["package_name"]
    kept = make_user_changes(project, package, before_the_move=True)
    old_core = {path.name for path in (project / "src" / package / "core").iterdir()}
    update(project, vcs_ref="HEAD")

    # The two conflicts CHANGELOG.md announces, resolved as it says: the new
    # README with the team's section moved to its end, and the new api.py
    # with the team's router in `routers`.
    assert merge_problems(project) == [
        "unmerged: README.md",
        f"unmerged: src/{package}/api.py",
        "conflict markers: README.md",
        f"conflict markers: src/{package}/api.py",
    ]
    keep_the_new_side(project, "README.md")
    readme = project / "README.md"
    readme.write_text(f"{readme.read_text()}\n{USER_README_SECTION}")
    keep_the_new_side(project, f"src/{package}/api.py")
    replace_once(
        project / "src" / package / "api.py",
        "routers: list[APIRouter] = [items_router]",
        TAGS_ROUTER_LISTED,
    )
    kept[f"src/{package}/api.py"] = [TAGS_ROUTER_IMPORT, TAGS_ROUTER_LISTED]
    # The team's imports of moved modules, rewritten by the CHANGELOG's command.
    command = changelog_command("rewrites them")
    run_command(project, ["bash", "-c", command], os.environ.copy()).expect(0)
    assert merge_problems(project) == []

    lost = [
        f"{name}: {text!r}"
        for name, texts in kept.items()
        for text in texts
        if after_the_move(text) not in (project / name).read_text()
    ]
    assert lost == []
    assert (project / "src" / package / "tags" / "models.py").read_text().count(
        "from ..core.crud.models import Entity"
    ) == 1
    # The template's old modules are gone, its new packages in their place.
    core = {path.name for path in (project / "src" / package / "core").iterdir()}
    assert {"reads.py", "routing.py", "database.py", "errors.py"} <= old_core
    assert core.isdisjoint({"reads.py", "routing.py", "errors.py", "models.py"})
    assert {"crud", "database", "http", "listing", "exceptions.py"} <= core

    python = find_python(answers["python_version"])
    moved = Project(project, answers, python)
    moved.run("uv sync")
    output = moved.run(
        ["uv", "run", "pytest", "-q", "-p", "no:randomly", "-n", "2"],
        env=moved.env_with_fresh_database("moved"),
    )
    assert " passed" in output
    assert "failed" not in output
    assert USER_TEST_ID.split("::")[1] in moved.run(
        ["uv", "run", "pytest", "-q", "-rA", USER_TEST_ID],
        env=moved.env_with_fresh_database("moved_tags"),
    )
