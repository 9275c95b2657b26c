"""A private Docker daemon and local stand-ins for the base images, for
tests/test_container.py.

The machines this runs on reach Debian's packages and PyPI, not Docker Hub or
ghcr.io. So the daemon is Debian's `docker.io` (its client has BuildKit built
in), started with its own data, exec root and socket under a temp folder, with
no bridge, no iptables rules and no network of its own: builds and containers
use the host's network (`--network host`). The base images the Dockerfile names
are built here under those exact names:

- python:3.11-slim from `debootstrap --variant=minbase bookworm` with Debian's
  python3 (bookworm's CPython is 3.11), `/usr/local/bin/python` as in the
  official image, and the host's CA certificates, so that uv in the build
  reaches PyPI as the host does (behind an intercepting proxy too);
- ghcr.io/astral-sh/uv:X.Y as a from-scratch image of the `uv` and `uvx`
  binaries of uv's PyPI wheel.

What this proves is the Dockerfile's own steps; the upstream base images are
not these stand-ins (see the template's README, "This repository").
"""

import io
import json
import os
import platform
import shutil
import signal
import subprocess
import tarfile
import time
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

DOCKER = "/usr/bin/docker"  # Debian's; a docker on PATH may lack BuildKit
DOCKERD = "/usr/sbin/dockerd"
DEBIAN_MIRROR = "http://deb.debian.org/debian"
# The Python a bookworm stand-in provides.
STAND_IN_PYTHON = "3.11"
# Stand-ins are kept here between runs: building the Python one downloads
# Debian packages for a minute or two.
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / (
    "fastapi-template-container-stand-ins"
)
HOST_CA_DIR = Path("/usr/local/share/ca-certificates")
PYPI_UV = "https://pypi.org/pypi/uv/json"


def missing_tools() -> list[str]:
    """What this machine lacks to run the container test, as packages."""
    needed = {DOCKERD: "docker.io", DOCKER: "docker.io", "debootstrap": "debootstrap"}
    return sorted(
        {package for tool, package in needed.items() if shutil.which(tool) is None}
    )


class Docker:
    def __init__(self, socket: Path) -> None:
        self.host = f"unix://{socket}"

    def run(self, *args: str, timeout: float = 900, stderr: bool = False) -> str:
        """The command's output (with its stderr too if asked); fails on an
        exit code other than 0."""
        done = subprocess.run(
            [DOCKER, "-H", self.host, *args],
            capture_output=True,
            timeout=timeout,
            env={**os.environ, "DOCKER_BUILDKIT": "1"},
        )
        output = (done.stdout + done.stderr).decode(errors="replace")
        if done.returncode != 0:
            raise AssertionError(f"docker {' '.join(args)} failed:\n{output[-5000:]}")
        return output if stderr else done.stdout.decode(errors="replace")

    def has_image(self, name: str) -> bool:
        return bool(self.run("images", "-q", name).strip())


@contextmanager
def private_daemon(root: Path) -> Iterator[Docker]:
    """dockerd with everything of its own under `root`, stopped at the end."""
    data, exec_root = root / "data", root / "exec"
    socket, pidfile, log = (
        root / "docker.sock",
        root / "docker.pid",
        root / "dockerd.log",
    )
    for folder in (data, exec_root):
        folder.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as output:
        process = subprocess.Popen(
            [
                DOCKERD,
                f"--data-root={data}",
                f"--exec-root={exec_root}",
                f"--pidfile={pidfile}",
                f"--host=unix://{socket}",
                "--bridge=none",
                "--iptables=false",
                "--ip6tables=false",
                "--ip-masq=false",
                "--storage-driver=overlay2",
            ],
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    docker = Docker(socket)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise AssertionError(f"dockerd exited:\n{log.read_text()[-3000:]}")
            try:
                docker.run("version", timeout=10)
                break
            except (AssertionError, subprocess.TimeoutExpired):
                if time.monotonic() > deadline:
                    raise AssertionError(
                        f"dockerd did not answer in 60 s:\n{log.read_text()[-3000:]}"
                    ) from None
                time.sleep(0.5)
        yield docker
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        # dockerd leaves bind mounts behind (its network namespace's): the
        # folder cannot be deleted while they are there.
        _unmount_under(root)


def _unmount_under(root: Path) -> None:
    mounts = Path("/proc/mounts").read_text().splitlines()
    points = [line.split()[1] for line in mounts]
    for point in sorted(points, key=len, reverse=True):
        if Path(point).is_relative_to(root):
            subprocess.run(["umount", "-l", point], capture_output=True, check=False)


def load_stand_ins(docker: Docker, uv_version: str, work: Path) -> None:
    """Tags python:3.11-slim and ghcr.io/astral-sh/uv:<uv_version> in `docker`."""
    python_image = f"python:{STAND_IN_PYTHON}-slim"
    if not docker.has_image(python_image):
        rootfs = _python_rootfs()
        docker.run(
            "import",
            *_image_config(),
            str(rootfs),
            python_image,
        )
    uv_image = f"ghcr.io/astral-sh/uv:{uv_version}"
    if not docker.has_image(uv_image):
        context = work / "uv-image"
        _uv_binaries(uv_version, context)
        (context / "Dockerfile").write_text("FROM scratch\nCOPY uv uvx /\n")
        docker.run("build", "--network=host", "-t", uv_image, str(context))


def _image_config() -> list[str]:
    # As the official image sets them, and the host's CA bundle for uv.
    changes = [
        "ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin",
        "ENV LANG=C.UTF-8",
        "ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt",
        'CMD ["python3"]',
    ]
    return [part for change in changes for part in ("--change", change)]


def _python_rootfs() -> Path:
    """A tarball of a minimal bookworm with python3, cached between runs."""
    CACHE.mkdir(parents=True, exist_ok=True)
    tarball = CACHE / f"python-{STAND_IN_PYTHON}-slim-bookworm.tar"
    if tarball.exists():
        return tarball
    root = CACHE / "rootfs"
    shutil.rmtree(root, ignore_errors=True)
    _run(
        [
            "debootstrap",
            "--variant=minbase",
            "--include=python3,python3-venv,python-is-python3,ca-certificates",
            "bookworm",
            str(root),
            DEBIAN_MIRROR,
        ],
        timeout=900,
    )
    (root / "usr/local/bin/python").symlink_to("/usr/bin/python3")
    (root / "usr/local/bin/python3").symlink_to("/usr/bin/python3")
    if HOST_CA_DIR.is_dir():
        shutil.copytree(
            HOST_CA_DIR, root / "usr/local/share/ca-certificates", dirs_exist_ok=True
        )
        _run(["chroot", str(root), "update-ca-certificates"], timeout=120)
    shutil.rmtree(root / "var/cache/apt/archives", ignore_errors=True)
    partial = tarball.with_suffix(".partial")
    with tarfile.open(partial, "w") as archive:
        archive.add(root, arcname=".")
    partial.rename(tarball)
    shutil.rmtree(root, ignore_errors=True)
    return tarball


def _uv_binaries(version: str, into: Path) -> None:
    """uv and uvx from the newest uv `version`.* wheel on PyPI for this machine."""
    into.mkdir(parents=True, exist_ok=True)
    with urllib.request.urlopen(PYPI_UV, timeout=60) as page:
        releases = json.load(page)["releases"]
    newest = max(
        (v for v in releases if v.startswith(f"{version}.") and releases[v]),
        key=lambda v: tuple(int(part) for part in v.split(".")),
    )
    machine = platform.machine()
    [wheel] = [
        file
        for file in releases[newest]
        if file["filename"].endswith(".whl")
        and "manylinux" in file["filename"]
        and file["filename"].endswith(f"{machine}.whl")
    ]
    # A mirror may answer with addresses relative to the page.
    url = urllib.parse.urljoin(PYPI_UV, wheel["url"])
    with urllib.request.urlopen(url, timeout=300) as download:
        data = download.read()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for member in archive.namelist():
            name = Path(member).name
            if "/scripts/" in member and name in {"uv", "uvx"}:
                (into / name).write_bytes(archive.read(member))
                (into / name).chmod(0o755)
    assert {"uv", "uvx"} <= {path.name for path in into.iterdir()}, wheel["filename"]


def _run(command: Sequence[str], timeout: float) -> None:
    done = subprocess.run(command, capture_output=True, timeout=timeout)
    if done.returncode != 0:
        output = (done.stdout + done.stderr).decode(errors="replace")
        raise AssertionError(f"{' '.join(command)} failed:\n{output[-5000:]}")
