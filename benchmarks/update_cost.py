"""How long `copier update` takes on a project its team has changed.

    uv run python benchmarks/update_cost.py [N]   (N updates, default 5)

Each round: the template's working tree tagged 1.0.0 and, with the fixture
improvements of tests/test_update.py, 1.1.0; a render of 1.0.0 with the team's
changes; then the timed `copier update` to 1.1.0.
"""

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from scenarios import make_user_changes, release_fixture_improvements
from support import commit_all, git, render, snapshot_template, update


def one_update(work: Path) -> float:
    history = snapshot_template(work / "history")
    git(history, "tag", "1.0.0")
    release_fixture_improvements(history, "1.1.0")
    project = work / "project"
    answers = render(history, project, {"project_name": "Bench"}, vcs_ref="1.0.0")
    commit_all(project, "rendered")
    make_user_changes(project, answers["package_name"])
    started = time.perf_counter()
    update(project)
    return time.perf_counter() - started


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    seconds = []
    for _ in range(rounds):
        with tempfile.TemporaryDirectory() as work:
            seconds.append(one_update(Path(work)))
    print(
        f"copier update, {rounds} rounds: median {statistics.median(seconds):.2f} s,"
        f" min {min(seconds):.2f} s, max {max(seconds):.2f} s"
    )


if __name__ == "__main__":
    main()
