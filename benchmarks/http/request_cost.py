"""What one GET /items/{id} costs a render, in instructions, and what each part
of the app and each FastAPI mechanism adds to it.

    uv run python benchmarks/http/request_cost.py [--vcs-ref REF]
        [--baseline-ref REF] [--server postgresql://postgres@127.0.0.1:5432]

Needs valgrind (`apt-get install valgrind`). Renders the template, migrates and
seeds bench_request_cost (dropped, created, dropped again), then runs
request_probe.py under callgrind: each variant serves requests in process, one
at a time, twice with different counts, and the difference over the count is
its cost per request in the render's Python and C code, without the server
(uvicorn adds about the same to every app). Takes about 10 minutes.

Instructions are not seconds, but they repeat to about 0.1% however busy the
machine is, where run.py's requests/s vary by several percent between rounds;
here a change of 1% is a change. For the ratio to the ceiling, run run.py.

Variants: `render`, as served; `render without X`, the same app without its
access log (LOG_LEVEL=WARNING) or GZip; `render with telemetry on`, the same
with OpenTelemetry on (every trace kept, all signals sent by OTLP/HTTP to
collector.py, a stand-in collector); `floor`, a FastAPI app with only the
items GET route, as the render has it, on the render's code; `floor with X`,
the floor plus one FastAPI mechanism the render uses or avoids: the reader
injected as a dependency, five routes tried before it, its router included in
one more router. With --baseline-ref, `before` is the render at REF. --only
counts the variants of these labels alone.

Writes last-request-cost.md here.
"""

import argparse
import contextlib
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from run import (
    HERE,
    child_env,
    database_url,
    free_port,
    get,
    log,
    pg,
    prepare,
    render_template,
)

DATABASE = "bench_request_cost"
ROWS = 1_000
WARM_UP = 50
# The two runs of a variant serve WARM_UP + FEW and WARM_UP + MANY requests.
FEW, MANY = 50, 250


@dataclass(frozen=True)
class Variant:
    label: str
    probe: str
    env: tuple[tuple[str, str], ...] = ()
    baseline: bool = False


VARIANTS = (
    Variant("render", "render"),
    Variant("render without its access log", "render", (("LOG_LEVEL", "WARNING"),)),
    Variant("render without GZip", "render-gzip"),
    Variant("floor", "floor"),
    Variant("floor with one dependency level more", "floor+dependency-level"),
    Variant("floor with 5 routes tried before", "floor+5-routes-before"),
    Variant("floor with its router nested once more", "floor+nested-router"),
)
BEFORE = Variant("before", "render", baseline=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--vcs-ref", help="render this git ref (default: working tree)")
    parser.add_argument("--baseline-ref", help="also count the render at this ref")
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432")
    parser.add_argument(
        "--only",
        help="comma-separated labels of the variants to count (default: all)",
    )
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is not installed: `apt-get install valgrind` (Debian)")
    work = Path(tempfile.mkdtemp(prefix="bench-cost-"))
    log(f"working in {work}")
    with contextlib.ExitStack() as cleanup:
        render, source = render_template(args.vcs_ref, work / "render")
        cleanup.callback(shutil.rmtree, render / ".venv", ignore_errors=True)
        collector = start_collector(render, cleanup)
        variants = [*VARIANTS, telemetry_on(collector)]
        baseline = None
        if args.baseline_ref:
            baseline, before = render_template(args.baseline_ref, work / "before")
            cleanup.callback(shutil.rmtree, baseline / ".venv", ignore_errors=True)
            source += f"; before: {before}"
            variants.append(BEFORE)
        if args.only:
            wanted = {label.strip() for label in args.only.split(",")}
            unknown = wanted - {variant.label for variant in variants}
            if unknown:
                sys.exit(f"--only: no variant labelled {', '.join(sorted(unknown))}")
            variants = [variant for variant in variants if variant.label in wanted]
        cleanup.callback(pg, render, "drop", args.server, DATABASE)
        pg(render, "recreate", args.server, DATABASE)
        prepare(args, render, DATABASE, ROWS)
        ids = work / "ids.txt"
        pg(render, "ids", database_url(args.server, DATABASE), str(ids))
        url = database_url(args.server, DATABASE, "postgresql+asyncpg")
        folders = {False: render, True: baseline or render}
        runs = [(variant, count) for variant in variants for count in (FEW, MANY)]
        # Instruction counts do not depend on what else runs: both cores work.
        with ThreadPoolExecutor(max_workers=2) as pool:
            totals = list(
                pool.map(
                    lambda run: count(
                        folders[run[0].baseline], work, run[0], run[1], ids, url
                    ),
                    runs,
                )
            )
    per_request = {
        variant.label: (totals[2 * number + 1] - totals[2 * number]) / (MANY - FEW)
        for number, variant in enumerate(variants)
    }
    text = report(source, per_request)
    print("\n" + text)
    (HERE / "last-request-cost.md").write_text(text)
    log(f"written to {HERE / 'last-request-cost.md'}")


def start_collector(render: Path, cleanup: contextlib.ExitStack) -> str:
    """collector.py on a free port, for the variant with telemetry on; its URL."""
    port = free_port()
    python = render / ".venv" / "bin" / "python"
    process = subprocess.Popen(
        [python, HERE / "collector.py", "--port", str(port)], env=child_env()
    )
    cleanup.callback(process.wait)
    cleanup.callback(process.terminate)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while get(f"{url}/healthz")[0] != 200:
        if time.monotonic() > deadline or process.poll() is not None:
            raise RuntimeError("collector.py did not start")
        time.sleep(0.1)
    return url


def telemetry_on(collector: str) -> Variant:
    # Every trace kept, all three signals sent: the most telemetry can cost.
    env = (
        ("OTEL_EXPORTER_OTLP_ENDPOINT", collector),
        ("OTEL_TRACES_SAMPLER", "always_on"),
    )
    return Variant("render with telemetry on", "render", env)


def count(
    render: Path, work: Path, variant: Variant, requests: int, ids: Path, url: str
) -> int:
    name = re.sub(r"\W+", "-", f"{variant.label}-{requests}")
    output = work / f"callgrind.{name}.out"
    log(f"counting {variant.label}, {WARM_UP} + {requests} requests")
    command = [
        "valgrind",
        "--tool=callgrind",
        f"--callgrind-out-file={output}",
        f"--log-file={work / f'valgrind.{name}.log'}",
        # The venv's interpreter by path: it finds the venv from its own path.
        render / ".venv" / "bin" / "python",
        HERE / "request_probe.py",
        variant.probe,
        str(WARM_UP),
        str(requests),
        ids,
    ]
    env = child_env(
        DATABASE_URL=url,
        ENVIRONMENT="production",
        # The same dict layouts in every run: hash randomisation would move
        # the counts by more than the smallest costs measured.
        PYTHONHASHSEED="0",
        **dict(variant.env),
    )
    done = subprocess.run(
        [str(part) for part in command],
        cwd=render,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    if done.returncode != 0:
        failure = f"{variant.label} failed ({done.returncode})"
        raise RuntimeError(f"{failure}:\n{done.stderr}")
    found = re.search(r"^(?:summary|totals): (\d+)", output.read_text(), re.MULTILINE)
    if found is None:
        raise RuntimeError(f"no instruction total in {output}")
    return int(found.group(1))


def report(source: str, per_request: dict[str, float]) -> str:
    render = per_request["render"]
    floor = per_request.get("floor", 0.0)
    lines = [
        "# Instructions per GET /items/{id}, in process",
        "",
        f"Template: {source}. Counted by callgrind: {WARM_UP} requests to warm up,",
        f"then the difference between {FEW} and {MANY} requests, one at a time.",
        "What a part costs is the render's instructions less those without it,",
        "or the floor's with a mechanism less the floor's.",
        "",
        "| app | instructions per request | vs render | the part costs |",
        "|---|---:|---:|---:|",
    ]
    for label, value in per_request.items():
        cost = part_cost(label, value, render, floor)
        shown = f"{cost:,.0f} ({cost / render:.0%} of render)" if cost else ""
        lines.append(f"| {label} | {value:,.0f} | {value / render:.2f}x | {shown} |")
    return "\n".join(lines) + "\n"


def part_cost(label: str, value: float, render: float, floor: float) -> float | None:
    if label.startswith("render without"):
        return render - value
    if label.startswith("render with "):
        return value - render
    if label.startswith("floor with"):
        return value - floor
    return None


if __name__ == "__main__":
    main()
