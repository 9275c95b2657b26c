"""Helpers for the template's tests: snapshot, render, run commands in a render."""

import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import copier
import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
POSTGRES_SERVER = "postgres@127.0.0.1:5432"
# The uv running these tests (`uv run` sets UV): a `uv` found on PATH may be a
# pyenv shim, which fails inside a render whose .python-version pyenv lacks.
UV = os.environ.get("UV") or "uv"

# Commits made by the tests must not depend on the machine's git config.
GIT_ENV = {
    "GIT_AUTHOR_NAME": "template tests",
    "GIT_AUTHOR_EMAIL": "template-tests@example.invalid",
    "GIT_COMMITTER_NAME": "template tests",
    "GIT_COMMITTER_EMAIL": "template-tests@example.invalid",
}


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", *args],
        cwd=cwd,
        env={**os.environ, **GIT_ENV},
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def commit_all(repo: Path, message: str) -> None:
    if not (repo / ".git").exists():
        git(repo, "init", "-q")
    git(repo, "add", "-A")
    # --allow-empty: a snapshot of a clean checkout into its own clone (the
    # update across the move, in CI) changes nothing, and is still a commit.
    git(repo, "commit", "-q", "--no-verify", "--allow-empty", "-m", message)


def snapshot_template(dst: Path) -> Path:
    """Commit the repo's working tree, uncommitted edits included, in a new repo.

    Copier renders commits. With vcs_ref="HEAD" on a dirty local repo it does
    take the working tree, but by making a new commit for every render: each
    render then records another `_commit`, which `copier update` cannot find
    later. One snapshot per session gives all renders one commit, kept.
    """
    listed = git(
        REPO_ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard"
    )
    for name in filter(None, listed.split("\0")):
        source = REPO_ROOT / name
        if os.path.lexists(source):  # not a tracked file deleted since
            (dst / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dst / name, follow_symlinks=False)
    commit_all(dst, "snapshot of the working tree")
    return dst


def render(
    template: Path, dst: Path, answers: dict[str, Any], vcs_ref: str = "HEAD"
) -> dict[str, Any]:
    """Render as a user who gave these answers and took every other default;
    return all the answers, defaults included."""
    worker = copier.run_copy(
        src_path=str(template),
        dst_path=dst,
        data=answers,
        defaults=True,
        unsafe=False,
        vcs_ref=vcs_ref,
        quiet=True,
        settings=copier.Settings(),  # not the developer's own Copier settings
    )
    return dict(worker.answers.combined)


def update(
    project: Path, data: dict[str, Any] | None = None, vcs_ref: str | None = None
) -> None:
    """`copier update` as its user runs it: by default to the newest tag."""
    copier.run_update(
        dst_path=project,
        data=data or {},
        defaults=True,
        overwrite=True,
        unsafe=False,
        vcs_ref=vcs_ref,
        quiet=True,
        settings=copier.Settings(),
    )


def files_of(root: Path) -> dict[str, bytes]:
    """Every file under `root` but git's own, by relative path."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in root.rglob("*")
        if path.is_file() and ".git" not in path.relative_to(root).parts
    }


_CONFLICT_MARKER = re.compile(rb"^(<<<<<<<|>>>>>>>)( |$)", re.MULTILINE)


def merge_problems(project: Path) -> list[str]:
    """What a `copier update` left unresolved in `project`. Copier exits 0 even
    when it leaves conflicts, so they have to be looked for."""
    unmerged = git(project, "diff", "--name-only", "--diff-filter=U").split()
    # Not ignored files only: a synced project's .venv is large and no business
    # of the update. *.rej matters even when ignored.
    listed = git(
        project, "ls-files", "-z", "--cached", "--others", "--exclude-standard"
    )
    names = sorted(set(filter(None, listed.split("\0"))))
    rejects = [
        path.relative_to(project).as_posix()
        for path in project.rglob("*.rej")
        if ".venv" not in path.relative_to(project).parts
    ]
    markers = [
        name
        for name in names
        if (project / name).is_file()
        and _CONFLICT_MARKER.search((project / name).read_bytes())
    ]
    return (
        [f"unmerged: {name}" for name in unmerged]
        + [f"rejected hunks: {name}" for name in rejects]
        + [f"conflict markers: {name}" for name in markers]
    )


class _CopierYamlLoader(yaml.SafeLoader):
    """Reads copier.yml, its `!include` fragments left out."""


_CopierYamlLoader.add_constructor("!include", lambda loader, node: None)


def default_answer(question: str) -> Any:
    """The default copier.yml gives `question` (a plain value, not Jinja)."""
    text = (REPO_ROOT / "copier.yml").read_text()
    for document in yaml.load_all(text, Loader=_CopierYamlLoader):
        if isinstance(document, dict) and question in document:
            return document[question]["default"]
    raise KeyError(question)


def find_python(version: str) -> str:
    """Path of an interpreter of `version` ("3.12"), to give uv as UV_PYTHON."""
    found = subprocess.run(
        [UV, "python", "find", "--system", version], capture_output=True, text=True
    )
    if found.returncode == 0:
        return found.stdout.strip()
    # uv gives up on pyenv's shim of a version that is installed but not
    # activated; the interpreter itself works.
    if pyenv := shutil.which("pyenv"):
        root = Path(subprocess.check_output([pyenv, "root"], text=True).strip())
        pattern = re.compile(rf"{re.escape(version)}\.(\d+)")
        patches = {
            int(match[1]): path
            for path in root.glob(f"versions/{version}.*/bin/python{version}")
            if (match := pattern.fullmatch(path.parent.parent.name))
        }
        if patches:
            return str(patches[max(patches)])
    pytest.fail(
        f"no Python {version} found; install it with `uv python install {version}`",
        pytrace=False,
    )


def inner_env(python: str, test_database_url: str | None = None) -> dict[str, str]:
    """The environment of a user of the render, without this test run's own."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name
        not in {"VIRTUAL_ENV", "UV_PROJECT_ENVIRONMENT", "PYTHONPATH"}
        | {"TEST_DATABASE_URL", "DATABASE_URL"}
        # COPIER_*: the developer's Copier settings. PYTEST_*: this run's
        # (xdist's worker id, PYTEST_ADDOPTS), which the inner pytest would obey.
        and not name.startswith(("COPIER_", "PYTEST_"))
    }
    if sys.prefix != sys.base_prefix:  # this run's venv, first on PATH
        venv_bin = str(Path(sys.prefix) / "bin")
        env["PATH"] = os.pathsep.join(
            entry for entry in env["PATH"].split(os.pathsep) if entry != venv_bin
        )
    env["UV_PYTHON"] = python
    if test_database_url:
        env["TEST_DATABASE_URL"] = test_database_url
    return env


@dataclass(frozen=True)
class Outcome:
    """How a command run in a render ended, and what it printed."""

    command: str
    cwd: Path
    exit_code: int | None  # None: it timed out and was killed
    output: str
    timeout: float
    seconds: float  # how long it ran

    def report(self) -> str:
        """The command, how it ended, and the tail of its output."""
        ended = (
            f"timed out after {self.timeout:.0f} s"
            if self.exit_code is None
            else f"exited {self.exit_code} after {self.seconds:.0f} s"
        )
        tail = "\n".join(self.output.splitlines()[-150:])
        return f"`{self.command}` {ended} in {self.cwd}:\n{tail}"

    def expect(self, exit_code: int = 0, detail: str = "") -> str:
        """The output; fails the test, showing the tail (and `detail`, what
        the tail may have cut), on another ending."""
        if self.exit_code != exit_code:
            report = self.report()
            if detail:
                report += f"\n\nThe first failure in full:\n{detail}"
            pytest.fail(report, pytrace=False)
        return self.output


def run_command(
    cwd: Path, command: list[str], env: dict[str, str], timeout: float = 600
) -> Outcome:
    """Run `command`, its stderr merged into its stdout, killed past `timeout`."""
    # In a session of its own, so that a timeout kills the whole tree
    # (uv, pytest, its workers, an embedded PostgreSQL).
    started = time.monotonic()
    process = subprocess.Popen(
        command,
        cwd=cwd,
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        output, _ = process.communicate(timeout=timeout)
        exit_code: int | None = process.returncode
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        output, _ = process.communicate()
        exit_code = None
    seconds = time.monotonic() - started
    return Outcome(shlex.join(command), cwd, exit_code, output, timeout, seconds)


def run_ok(
    cwd: Path,
    command: list[str],
    env: dict[str, str],
    timeout: float = 600,
    expect_exit: int = 0,
) -> str:
    """Run `command`; unless it exits with `expect_exit`, fail the test with the
    tail of its output."""
    return run_command(cwd, command, env, timeout).expect(expect_exit)


# Names this run's databases on the shared server, so that two runs on one
# server never meet in a database.
RUN_ID = uuid.uuid4().hex[:8]
# (project, database) for each database this run handed out: dropped at the
# end of the session (drop_created_databases, called from conftest.py).
_CREATED_DATABASES: list[tuple["Project", str]] = []

# Run in a render, which has asyncpg: creates the database of a URL.
_CREATE_DATABASE = r"""
import asyncio, sys, asyncpg
from sqlalchemy.engine import make_url

url = make_url(sys.argv[1])
async def main():
    server = await asyncpg.connect(
        host=url.host, port=url.port, user=url.username, database="postgres"
    )
    await server.execute(f'CREATE DATABASE "{url.database}"')
    await server.close()
asyncio.run(main())
"""

# Run in a render, which has asyncpg: drops a test database and those named
# after it: its copies per xdist worker (`<name>_gw0`, ...), for migration
# tests (`<name>_scratch`), and a DATABASE_URL setup's (`<name>_app_test`).
DROP_DATABASES = r"""
import asyncio, sys, asyncpg

async def drop(server_url, name):
    connection = await asyncpg.connect(server_url)
    databases = await connection.fetch(
        r"SELECT datname FROM pg_database"
        r" WHERE datname = $1 OR datname LIKE $1 || '\_%'",
        name,
    )
    for (database,) in databases:
        await connection.execute(f'DROP DATABASE "{database}" WITH (FORCE)')
    await connection.close()

asyncio.run(drop(*sys.argv[1:]))
"""


@dataclass(frozen=True)
class Project:
    """A rendered and `uv sync`ed variant, and how its user runs things in it."""

    path: Path
    answers: dict[str, Any]
    python: str

    def env(self) -> dict[str, str]:
        """The user's environment, with no database configured."""
        return inner_env(self.python)

    def env_with_fresh_database(self, purpose: str) -> dict[str, str]:
        """The user's environment, TEST_DATABASE_URL set to a database of this
        run and variant's own for `purpose`, dropped when the session ends."""
        name = f"tpl_{RUN_ID}_{self.answers['package_name']}_{purpose}"
        self.drop_databases(name)  # left by an earlier test of this session
        _CREATED_DATABASES.append((self, name))
        return inner_env(self.python, f"postgresql+asyncpg://{POSTGRES_SERVER}/{name}")

    def create_database(self, url: str) -> None:
        """Creates the database of `url` (as env_with_fresh_database names it)
        on its server, for what runs without the project's test fixtures."""
        self.run(["uv", "run", "python", "-c", _CREATE_DATABASE, url])

    def drop_databases(self, name: str) -> None:
        """Drop `name` and the copies a test run makes of it."""
        server = f"postgresql://{POSTGRES_SERVER}/postgres"
        self.run(["uv", "run", "python", "-c", DROP_DATABASES, server, name])

    def run(
        self,
        command: str | list[str],
        env: dict[str, str] | None = None,
        cwd: Path | None = None,
        expect_exit: int = 0,
    ) -> str:
        """Run `command` (a string is split like a shell would) in the render;
        fail the test unless it exits with `expect_exit`."""
        return self.outcome(command, env, cwd).expect(expect_exit)

    def outcome(
        self,
        command: str | list[str],
        env: dict[str, str] | None = None,
        cwd: Path | None = None,
    ) -> Outcome:
        """Run `command` in the render, and return how it ended."""
        argv = shlex.split(command) if isinstance(command, str) else command
        if argv[0] == "uv":
            argv = [UV, *argv[1:]]
        return run_command(cwd or self.path, argv, env or self.env())


def drop_created_databases() -> None:
    """Drop every database this process handed out with env_with_fresh_database."""
    while _CREATED_DATABASES:
        project, name = _CREATED_DATABASES.pop()
        project.drop_databases(name)
