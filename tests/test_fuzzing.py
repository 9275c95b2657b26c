"""Schemathesis against the default render, served as its users serve it.

Every check, over the coverage, fuzzing and stateful phases, bounded in time:
the OpenAPI document and the service must agree on every generated request,
and no request may be answered with a 5xx. `use_after_free` is left out: a
deleted item is restored by design (POST /items/{id}/restore).
"""

import shutil
import sys
from pathlib import Path

from serving import serve
from support import Project, run_ok

# Seconds Schemathesis may spend generating and sending requests.
BUDGET = 100


def test_schemathesis_finds_no_failure(
    default_project: Project, tmp_path: Path
) -> None:
    env = default_project.env()  # nothing configured: the embedded database
    env["EMBEDDED_DATABASE_DIR"] = str(tmp_path / "postgres")
    env["SCHEMATHESIS_HOOKS"] = "schemathesis_hooks"
    env["PYTHONPATH"] = str(Path(__file__).parent)
    st = shutil.which("st", path=str(Path(sys.executable).parent))
    assert st, "schemathesis is a dev dependency of the template: run `uv sync`"
    with serve(default_project, env, tmp_path / "service.log") as base:
        output = run_ok(
            tmp_path,
            [
                st,
                "run",
                f"{base}/openapi.json",
                "--checks=all",
                "--exclude-checks=use_after_free",
                "--phases=coverage,fuzzing,stateful",
                f"--max-time={BUDGET}",
                "--workers=2",
                "--no-color",
            ],
            env=env,
            timeout=BUDGET + 120,
        )
    print(output[-2000:])  # the summary, for the run's log (pytest -s)
    assert "No issues found" in output
    assert "Traceback" not in (tmp_path / "service.log").read_text()
