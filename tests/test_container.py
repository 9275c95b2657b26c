"""The rendered Dockerfile, built unchanged and run as compose runs it.

A private Docker daemon and local stand-ins for the base images (see
tests/container.py): the migration as compose's `migrate` service runs it,
then the service on a port other than the default, serving /healthz, /readyz
and an item created and read back, as a user without privileges, with Docker's
own HEALTHCHECK reporting healthy. The build reaches PyPI as the host does,
and the container reaches the host's PostgreSQL over the host's network.
"""

import json
import os
import re
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import VARIANTS
from container import STAND_IN_PYTHON, Docker, load_stand_ins, missing_tools
from container import private_daemon as start_private_daemon
from serving import call, free_port
from support import Project, default_answer


@pytest.fixture(scope="module")
def docker() -> Iterator[Docker]:
    missing = missing_tools()
    if missing:
        message = f"needs {', '.join(missing)}: apt-get install {' '.join(missing)}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    # Short: the daemon's sockets live under it, and a socket path has a limit.
    with (
        tempfile.TemporaryDirectory(prefix="dk-", dir="/tmp") as root,
        start_private_daemon(Path(root)) as daemon,
    ):
        yield daemon


@pytest.mark.parametrize("variant", VARIANTS)
def test_the_image_builds_migrates_and_serves_unprivileged_and_healthy(
    variant: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    python = VARIANTS[variant].get("python_version", default_answer("python_version"))
    if python != STAND_IN_PYTHON:
        pytest.skip(
            f"python:{python}-slim has no local stand-in: Debian bookworm's "
            f"CPython is {STAND_IN_PYTHON}; the Dockerfile is built for the "
            f"{STAND_IN_PYTHON} answer sets"
        )
    project: Project = request.getfixturevalue(f"{variant}_project")
    docker: Docker = request.getfixturevalue("docker")
    dockerfile = (project.path / "Dockerfile").read_text()
    uv_version = re.search(r"ghcr\.io/astral-sh/uv:([\d.]+)", dockerfile)
    assert uv_version, "the Dockerfile takes uv from its image"
    load_stand_ins(docker, uv_version[1], tmp_path)

    image = f"{project.answers['project_slug']}:test"
    # As a user builds it: the render as it is, its uv.lock included.
    docker.run("build", "--network=host", "-t", image, str(project.path))

    env = project.env_with_fresh_database("container")
    database_url = env["TEST_DATABASE_URL"]
    project.create_database(database_url)
    migrate = compose_service(project, "migrate")
    output = docker.run(
        "run",
        "--rm",
        "--network=host",
        f"--env=DATABASE_URL={database_url}",
        image,
        *migrate["command"],
        stderr=True,
    )
    assert "Running upgrade" in output, output

    port = free_port()
    container = docker.run(
        "run",
        "--detach",
        "--network=host",
        f"--env=DATABASE_URL={database_url}",
        f"--env=PORT={port}",
        # The Dockerfile's own probe, checked every second rather than 30.
        "--health-interval=1s",
        image,
    ).strip()
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(docker, container, f"{base}/healthz")
        assert call(f"{base}/readyz").status == 200
        created = call(f"{base}/api/v1/items", "POST", {"name": "from a container"})
        assert created.status == 201, created.body
        read = call(f"{base}/api/v1/items/{created.body['id']}")
        assert read.status == 200
        assert read.body["name"] == "from a container"
        uid = docker.run("exec", container, "id", "-u").strip()
        assert uid != "0", "the service runs as root"
        assert health(docker, container, within=30) == "healthy"
    finally:
        logs = docker.run("logs", container, stderr=True)
        docker.run("rm", "--force", container)
    # Healthy probes every second, yet not one access-log line for them.
    assert "/healthz" not in logs, logs[-2000:]


def compose_service(project: Project, name: str) -> dict[str, Any]:
    compose = yaml.safe_load((project.path / "compose.yaml").read_text())
    service: dict[str, Any] = compose["services"][name]
    return service


def wait_until_up(docker: Docker, container: str, url: str) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        state = json.loads(docker.run("inspect", container))[0]["State"]
        if not state["Running"]:
            logs = docker.run("logs", container, stderr=True)
            pytest.fail(f"the container exited {state['ExitCode']}:\n{logs[-3000:]}")
        try:
            if call(url).status == 200:
                return
        except (OSError, urllib.error.URLError):
            pass
        time.sleep(0.5)
    logs = docker.run("logs", container, stderr=True)
    pytest.fail(f"not up in 120 s:\n{logs[-3000:]}")


def health(docker: Docker, container: str, within: float) -> str:
    """The container's health once it is no longer `starting`."""
    deadline = time.monotonic() + within
    while True:
        status: str = json.loads(docker.run("inspect", container))[0]["State"][
            "Health"
        ]["Status"]
        if status != "starting" or time.monotonic() > deadline:
            return status
        time.sleep(0.5)
