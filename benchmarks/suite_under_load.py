"""Is a rendered suite steady on a loaded machine? Run it N times and count.

    uv run python benchmarks/suite_under_load.py [--rounds 20] [--variant default]
        [--load newest] [--workers 2] [--database shared|embedded]

Renders the template's working tree for two answer sets (conftest.VARIANTS):
the one measured (--variant) and the one whose suite is the load (--load).
While the load's suite runs in a loop on the same cores, the measured suite
runs --rounds times with `-n --workers` in random order and with coverage,
each on a fresh database of the shared PostgreSQL (`--database shared`) or
with nothing configured, so on embedded servers of its own (`--database
embedded`). It
prints each round's outcome and, at the end, every test that failed in any
round with how many times; the exit code is 1 if any round failed.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from checks import cases_of
from conftest import VARIANTS
from support import (
    UV,
    Outcome,
    Project,
    drop_created_databases,
    find_python,
    render,
    run_command,
    snapshot_template,
)


def ended(outcome: Outcome) -> str:
    if outcome.exit_code is None:
        return f"timed out after {outcome.timeout:.0f} s"
    return f"exit {outcome.exit_code}"


def synced(template: Path, work: Path, variant: str) -> Project:
    answers = render(template, work / variant, VARIANTS[variant])
    project = Project(work / variant, answers, find_python(answers["python_version"]))
    project.run("uv sync")
    return project


def suite_command(workers: int, report: Path) -> list[str]:
    # As the template's check runs it (checks.SUITE), coverage included:
    # tracing slows every test, which is when timing-bound tests give way.
    return [
        UV, "run", "pytest", "-q", "-p", "no:cacheprovider", "-p", "randomly",
        "-n", str(workers), "--cov", f"--junitxml={report}",
    ]  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--variant", choices=VARIANTS, default="default")
    parser.add_argument("--load", choices=VARIANTS, default="newest")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database", choices=["shared", "embedded"], default="shared")
    options = parser.parse_args()

    failures: Counter[str] = Counter()
    failed_rounds = 0
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        template = snapshot_template(work / "template")
        measured = synced(template, work, options.variant)
        load = (
            measured
            if options.load == options.variant
            else synced(template, work, options.load)
        )
        load_env = load.env_with_fresh_database("load")
        load_log = (work / "load.log").open("w")
        # The load: the other suite, again and again, until the rounds are done.
        loop = "while true; do " + " ".join(suite_command(2, work / "load.xml"))
        loop += "; done"
        loader = subprocess.Popen(
            ["bash", "-c", loop],
            cwd=load.path,
            env=load_env,
            stdout=load_log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            for number in range(1, options.rounds + 1):
                if options.database == "shared":
                    env = measured.env_with_fresh_database(f"round{number}")
                else:
                    env = measured.env()
                report = work / f"round{number}.xml"
                started = time.monotonic()
                done = run_command(
                    measured.path, suite_command(options.workers, report), env
                )
                seconds = time.monotonic() - started
                cases = cases_of(report) if report.exists() else {}
                failed = [c for c, end in cases.items() if end in {"failed", "error"}]
                failures.update(failed)
                ok = done.exit_code == 0
                failed_rounds += not ok
                print(
                    f"round {number}: {ended(done)}, {len(cases)} tests, "
                    f"{len(failed)} failed, {seconds:.0f} s",
                    flush=True,
                )
                if not ok and not failed:
                    print(done.output[-3000:])
                if options.database == "shared":
                    # This round's only: the load's database is in use.
                    database = env["TEST_DATABASE_URL"].rsplit("/", 1)[1]
                    measured.drop_databases(database)
        finally:
            os.killpg(loader.pid, 9)
            loader.wait()
            load_log.close()
            drop_created_databases()
    passed = options.rounds - failed_rounds
    print(
        f"\n{options.variant} ({options.database} database) under the load of "
        f"{options.load}'s suite, -n {options.workers}: "
        f"{passed} of {options.rounds} rounds passed"
    )
    for case, times in failures.most_common():
        print(f"  {times}x {case}")
    return 0 if failed_rounds == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
