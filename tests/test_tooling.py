"""The template repository's own code meets the bar its renders are held to."""

import subprocess
import sys

import pytest

from support import REPO_ROOT


@pytest.mark.parametrize("arguments", [["check"], ["format", "--check"]])
def test_ruff_passes_on_the_template_tooling(arguments: list[str]) -> None:
    ruff = subprocess.run(
        [sys.executable, "-m", "ruff", *arguments],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert ruff.returncode == 0, ruff.stdout + ruff.stderr
