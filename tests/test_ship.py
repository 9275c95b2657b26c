"""What ships with a render: CI workflow, container image, compose, pre-commit.

No Docker engine here: the Dockerfile and compose.yaml are checked by reading
them, the workflows by actionlint, pre-commit by running it.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import VARIANTS
from support import REPO_ROOT, commit_all, git, render

BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def rendered(template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("shipped") / "project"
    render(template, path, VARIANTS["default"])
    return path


def test_every_workflow_passes_actionlint(rendered: Path) -> None:
    workflows = [
        *sorted((REPO_ROOT / ".github/workflows").glob("*.yml")),
        *sorted((rendered / ".github/workflows").glob("*.yml")),
    ]
    assert len(workflows) == 2, workflows
    lint = subprocess.run(
        [BIN / "actionlint", *workflows],
        capture_output=True,
        text=True,
        check=False,
    )
    assert lint.returncode == 0, lint.stdout + lint.stderr


def test_rendered_ci_runs_the_checks_against_a_postgresql_service(
    rendered: Path,
) -> None:
    workflow = yaml.safe_load((rendered / ".github/workflows/ci.yml").read_text())
    [job] = workflow["jobs"].values()
    assert job["services"]["postgres"]["image"].startswith("postgres:")
    assert job["env"]["DATABASE_URL"].startswith("postgresql+asyncpg://")
    runs = [step["run"].split("#")[0].strip() for step in job["steps"] if "run" in step]
    for command in (
        "uv sync --locked",
        "uv run ruff check",
        "uv run ruff format --check",
        "uv run mypy",
        "uv run alembic upgrade heads",
        "uv run pytest --cov",
    ):
        assert command in runs
    assert runs.index("uv run alembic upgrade heads") < runs.index(
        "uv run pytest --cov"
    )


def dockerfile_stages(dockerfile: str) -> list[list[tuple[str, str]]]:
    """The instructions of each stage, as (INSTRUCTION, arguments)."""
    joined = dockerfile.replace("\\\n", " ")
    stages: list[list[tuple[str, str]]] = []
    for line in joined.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        instruction, _, arguments = line.partition(" ")
        if instruction.upper() == "FROM":
            stages.append([])
        stages[-1].append((instruction.upper(), arguments.strip()))
    return stages


def test_the_image_runs_fastapi_as_an_unprivileged_user(rendered: Path) -> None:
    stages = dockerfile_stages((rendered / "Dockerfile").read_text())
    assert len(stages) >= 2, "a build stage and a slim run stage"
    build, run = stages[0], stages[-1]
    assert any("uv sync --locked --no-dev" in args for op, args in build if op == "RUN")
    users = [args for op, args in run if op == "USER"]
    assert users, "the run stage sets no USER: it would run as root"
    assert users[-1].split(":")[0] not in {"root", "0"}
    [command] = [json.loads(args) for op, args in run if op == "CMD"]
    # No --port: `fastapi run` then listens on PORT, which the image sets.
    assert command == ["fastapi", "run"]
    ops = [op for op, _ in run]
    assert ops.index("USER") < ops.index("CMD")


def test_compose_migrates_before_the_service_starts(rendered: Path) -> None:
    services = yaml.safe_load((rendered / "compose.yaml").read_text())["services"]
    assert services["db"]["image"].startswith("postgres:")
    migrate, app = services["migrate"], services["app"]
    assert migrate["command"] == ["alembic", "upgrade", "heads"]
    assert migrate["depends_on"]["db"]["condition"] == "service_healthy"
    assert app["depends_on"]["migrate"]["condition"] == (
        "service_completed_successfully"
    )
    assert app["environment"]["DATABASE_URL"] == migrate["environment"]["DATABASE_URL"]
    # One build: migrate runs the image app builds, and never pulls it.
    assert "build" in app
    assert "build" not in migrate
    assert migrate["image"] == app["image"]
    assert migrate["pull_policy"] == "never"


def test_the_build_context_leaves_local_state_out(rendered: Path) -> None:
    ignored = (rendered / ".dockerignore").read_text().split()
    assert {".venv", ".data", ".env", ".git"} <= set(ignored)


def pre_commit(
    project: Path, hook: str, home: Path
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [BIN / "pre-commit", "run", hook, "--all-files"],
        cwd=project,
        env={**os.environ, "PRE_COMMIT_HOME": str(home)},
        capture_output=True,
        text=True,
        check=False,
    )


def test_pre_commit_refuses_conflict_markers_and_rejected_hunks(
    template: Path, tmp_path: Path
) -> None:
    project = tmp_path / "project"
    render(template, project, VARIANTS["default"])
    commit_all(project, "rendered")
    home = tmp_path / "pre-commit-home"
    for hook in ("no-conflict-markers", "no-rejected-hunks"):
        clean = pre_commit(project, hook, home)
        assert clean.returncode == 0, clean.stdout + clean.stderr

    conflicted = project / "README.md"
    conflicted.write_text(
        conflicted.read_text()
        + "<<<<<<< before updating\nours\n=======\ntheirs\n>>>>>>> after updating\n"
    )
    (project / "pyproject.toml.rej").write_text("@@ a hunk Git could not apply\n")
    git(project, "add", "-A")
    markers = pre_commit(project, "no-conflict-markers", home)
    assert markers.returncode == 1
    assert "README.md" in markers.stdout
    rejects = pre_commit(project, "no-rejected-hunks", home)
    assert rejects.returncode == 1
    assert "pyproject.toml.rej" in rejects.stdout


def check_dependabot(config: Path) -> subprocess.CompletedProcess[str]:
    command = [BIN / "check-jsonschema", "--builtin-schema", "vendor.dependabot"]
    return subprocess.run(
        [*command, config], capture_output=True, text=True, check=False
    )


def test_dependabot_updates_python_actions_and_images_by_its_schema(
    rendered: Path, tmp_path: Path
) -> None:
    config = rendered / ".github/dependabot.yml"
    checked = check_dependabot(config)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    updates = yaml.safe_load(config.read_text())["updates"]
    ecosystems = {update["package-ecosystem"] for update in updates}
    assert ecosystems == {"uv", "github-actions", "docker"}
    # The schema check can fail: an unknown ecosystem is refused.
    broken = tmp_path / "dependabot.yml"
    broken.write_text(config.read_text().replace("github-actions", "gh-actions"))
    assert check_dependabot(broken).returncode != 0
