"""`copier update` from one template version to the next, as its users run it.

The versions are tagged in a scratch copy of the template, not taken from this
repository's tags, which a shallow CI clone may lack.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import VARIANTS
from scenarios import (
    NEW_FIXTURE_MODULE,
    NEW_FIXTURE_TEST_ID,
    USER_TEST_ID,
    make_user_changes,
    release_fixture_improvements,
    release_retiring,
    replace_once,
)
from support import (
    Project,
    commit_all,
    files_of,
    find_python,
    git,
    merge_problems,
    render,
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
    readme = (updated.path / "README.md").read_text()
    assert "naming its requests after\nthe test in X-Request-ID" in readme


def test_update_records_the_new_version(updated: UpdatedProject) -> None:
    answers = yaml.safe_load((updated.path / ".copier-answers.yml").read_text())
    assert answers["_commit"] == NEW


def test_updated_project_passes_its_tests_and_checks(
    updated: UpdatedProject,
) -> None:
    python = find_python(updated.answers["python_version"])
    project = Project(updated.path, updated.answers, python)
    project.run("uv sync")
    output = project.run(
        ["uv", "run", "pytest", "-q", "-rA", "-p", "no:randomly"],
        env=project.env_with_fresh_database("update"),
    )
    # The team's test, the template's new one, and the migration tests, which
    # now cover the team's table too.
    assert f"PASSED {USER_TEST_ID}" in output
    assert f"PASSED {NEW_FIXTURE_TEST_ID}" in output
    assert "PASSED tests/test_migrations.py" in output
    project.run("uv run ruff check")
    project.run("uv run ruff format --check")
    project.run("uv run mypy")


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
        """    _serve_sessions_from(app, session_factory, reads)
    transport = ASGITransport(app=app, raise_app_exceptions=False)
    async with AsyncClient(transport=transport, base_url="http://test") as http:""",
        """    _serve_sessions_from(app, session_factory, reads)
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
