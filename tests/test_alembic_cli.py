"""The Alembic commands the rendered README gives, run as a user runs them."""

import shutil
from pathlib import Path

import pytest

from support import POSTGRES_SERVER, RUN_ID, Project

MESSAGE = (
    "add a colour to items, with an index, so that lists can be filtered by it "
    "and the message is longer than a line"
)
COLUMN = """\
    colour_of_the_item_in_a_deliberately_long_column_name: Mapped[str | None] = (
        mapped_column(String(40), index=True)
    )
"""


@pytest.fixture
def project_copy(default_project: Project, tmp_path: Path) -> Path:
    """A copy of the default render with nothing configured and no .data yet."""
    copy: Path = shutil.copytree(
        default_project.path,
        tmp_path / "project",
        ignore=shutil.ignore_patterns(".venv", ".data"),
    )
    return copy


def test_with_nothing_configured_alembic_works_on_the_embedded_database(
    default_project: Project, project_copy: Path
) -> None:
    def alembic(*args: str) -> str:
        return default_project.run(["uv", "run", "alembic", *args], cwd=project_copy)

    assert "Running upgrade  -> 0001" in alembic("upgrade", "head")
    models = project_copy / "src" / default_project.answers["package_name"]
    with (models / "items" / "models.py").open("a") as model:
        model.write(COLUMN)
    generated = alembic("revision", "--autogenerate", "-m", MESSAGE)
    assert "Running post write hook 'ruff_format'" in generated
    [revision] = (project_copy / "migrations/versions").glob("2*_*.py")
    # The generated revision passes the project's own checks as written.
    for check in ("ruff check", "ruff format --check", "mypy"):
        default_project.run(f"uv run {check}", cwd=project_copy)
    assert "Running upgrade template_0002 ->" in alembic("upgrade", "head")
    assert "No new upgrade operations detected" in alembic("check")
    history = alembic("history")
    assert "(head), add a colour to items" in history
    assert "Running downgrade" in alembic("downgrade", "-1")
    assert "template_0002" in alembic("current")
    assert revision.exists()
    # The embedded server stopped with the last command that used it.
    assert not (project_copy / ".data/postgres/postmaster.pid").exists()


def test_a_missing_database_is_named_in_one_line(
    default_project: Project, project_copy: Path
) -> None:
    env = default_project.env()
    missing = f"tpl_{RUN_ID}_never_created"
    env["DATABASE_URL"] = f"postgresql+asyncpg://{POSTGRES_SERVER}/{missing}"
    output = default_project.run(
        ["uv", "run", "alembic", "upgrade", "head"],
        env=env,
        cwd=project_copy,
        expect_exit=255,  # alembic's own exit code for a failed command
    )
    assert f"FAILED: the database '{missing}' does not exist" in output
    assert "Traceback" not in output
