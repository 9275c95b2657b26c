"""HTTP throughput and list latency of a fresh render of the template.

    uv run python benchmarks/http/run.py [--duration 10] [--rounds 3]
        [--list-rows 1000000] [--vcs-ref REF] [--baseline-ref REF]
        [--skip-throughput] [--skip-lists] [--only GET|POST|PATCH]
        [--server postgresql://postgres@127.0.0.1:5432]

Needs wrk (`apt-get install wrk`) and a PostgreSQL server on which the --server
user may create databases: bench_http_reads and bench_http_lists are dropped,
created, and dropped again at the end. Takes about 7 minutes with the defaults,
3.5 with --duration 5 --rounds 2.

What it measures

Throughput (requests/s, wrk -t2 -c32) of GET, POST and PATCH by id and of the
default list page, on a table of 10,000 items, for three apps that serve it:

- render: the rendered service as deployed (`fastapi run`, ENVIRONMENT=production,
  every other setting at its default, access log included), telemetry off;
- render+otel (GET by id only): the same with OpenTelemetry on, every trace
  kept (OTEL_TRACES_SAMPLER=always_on), sending all three signals by OTLP/HTTP
  to collector.py, a stand-in collector that accepts and discards;
- ceiling (ceiling.py): the same endpoints, the same SQL and JSON in a bare ASGI
  app on an asyncpg pool, under the same uvicorn: what this machine allows;
- minimal (minimal_orm.py, GET by id only): the FastAPI + SQLAlchemy ORM +
  Pydantic app a tutorial would write;
- before (with --baseline-ref REF): the template as it was at REF, rendered and
  served as the render is, on the same database: a change's before and after.

Each app runs its own process with 5 database connections; one app is under
load at a time, and the order changes every round.

List latency (p50 and p99 in ms, one connection, so nothing queues) of the
render's list on a table of --list-rows items: deep pages, other orders,
filters, and the `next` links, beside the ceiling's default page.

How to read it

"/ ceiling" is the median, over rounds, of an app's requests/s over the
ceiling's in the same round: the share of what the machine allows that the app
keeps. It pairs runs of one round, a minute apart, because on a shared machine
the ceiling's own figure can halve from one round to the next. The render's
distance to minimal is what the template's machinery (middleware, error
handling, access log, services) costs beyond the usual stack. wrk, the apps and
PostgreSQL share the same cores, so anything else running skews the figures:
compare apps within one run, not req/s across runs or machines. A figure marked
(!) had non-2xx responses or socket errors and measures failures, not service.
In the latency table, total and total_is show whether the page counted every
matching row.

Results are printed as Markdown, and written to <tmpdir>/results.md (the temp
folder also keeps the render, without its virtualenv, and the servers' logs)
and last-results.md here.
"""

import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import FrameType
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
READS_DATABASE = "bench_http_reads"
LISTS_DATABASE = "bench_http_lists"
READS_ROWS = 10_000
APPS = ("ceiling", "render", "render+otel", "minimal", "before")
WARM_UP_SECONDS = 2
LATENCY_SECONDS = 5
READY_TIMEOUT_SECONDS = 120


@dataclass(frozen=True)
class Endpoint:
    title: str
    # A wrk script, or None to request `path` as is.
    script: str | None
    path: str
    apps: tuple[str, ...]


SERVED = ("ceiling", "render", "before")
ENDPOINTS = (
    Endpoint("GET /api/v1/items/{id}", "get.lua", "/", APPS),
    Endpoint("POST /api/v1/items", "post.lua", "/", SERVED),
    Endpoint("PATCH /api/v1/items/{id}", "patch.lua", "/", SERVED),
    Endpoint("GET /api/v1/items", None, "/api/v1/items", SERVED),
)

# The second-to-last page at the default size of 20, and its link to the last.
DEEP = "{deep}"
LIST_REQUESTS = (
    "/api/v1/items",
    "/api/v1/items?size=100",
    "/api/v1/items?page=2000",
    f"/api/v1/items?page={DEEP}",
    "/api/v1/items?order_by=name&page=3",
    "/api/v1/items?name__ilike=item-99999",
    "/api/v1/items?name__like=99999",
    "/api/v1/items?description__ilike=item%2099999",
    "/api/v1/items?total=exact",
)
# Pages reached by following `next` from these, with a label for each.
LINKED_FROM = (
    ("/api/v1/items", "page 2 by the link from page 1"),
    (f"/api/v1/items?page={DEEP}", "the last page by its link"),
    ("/api/v1/items?order_by=name", "page 2 by name, by its link"),
)


@dataclass(frozen=True)
class WrkResult:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    non_2xx: int
    socket_errors: str | None

    @property
    def failed(self) -> bool:
        return self.non_2xx > 0 or self.socket_errors is not None

    def problems(self) -> str:
        found = [f"{self.non_2xx:,} non-2xx responses"] if self.non_2xx else []
        if self.socket_errors is not None:
            found.append(f"socket errors: {self.socket_errors}")
        return "; ".join(found)


@dataclass
class Server:
    name: str
    url: str
    process: "subprocess.Popen[bytes]"
    log: Path


def main() -> None:
    args = parse_arguments()
    if shutil.which("wrk") is None:
        sys.exit(
            "wrk is not installed: `apt-get install wrk` (Debian, Ubuntu), "
            "`brew install wrk` (macOS), or build it from github.com/wg/wrk."
        )
    signal.signal(signal.SIGINT, _stop_on_signal)
    signal.signal(signal.SIGTERM, _stop_on_signal)
    started = time.monotonic()
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    work = Path(tempfile.mkdtemp(prefix="bench-http-"))
    log(f"working in {work}")
    with contextlib.ExitStack() as cleanup:
        render, source = render_template(args.vcs_ref, work / "render")
        args.baseline = None
        if args.baseline_ref:
            args.baseline, baseline = render_template(
                args.baseline_ref, work / "before"
            )
            source += f"; before: {baseline}"
            cleanup.callback(shutil.rmtree, args.baseline / ".venv", True)
        databases = [READS_DATABASE] if not args.skip_throughput else []
        databases += [LISTS_DATABASE] if not args.skip_lists else []
        # The rest of the temp folder (the render, logs, results) stays.
        cleanup.callback(shutil.rmtree, render / ".venv", ignore_errors=True)
        if databases:
            cleanup.callback(pg, render, "drop", args.server, *databases)
            pg(render, "recreate", args.server, *databases)
        report = header(source, load)
        if not args.skip_throughput:
            with contextlib.ExitStack() as servers:
                report += throughput(args, render, work, servers)
        if not args.skip_lists:
            with contextlib.ExitStack() as servers:
                report += list_latency(args, render, work, servers)
        report += log_summary(work)
    minutes, seconds = divmod(round(time.monotonic() - started), 60)
    report += ["", f"Total run time: {minutes} min {seconds} s."]
    text = "\n".join(report) + "\n"
    print("\n" + text)
    (work / "results.md").write_text(text)
    shutil.copyfile(work / "results.md", HERE / "last-results.md")
    log(f"written to {work / 'results.md'} and {HERE / 'last-results.md'}")


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n")[0] if __doc__ else None
    )
    parser.add_argument(
        "--vcs-ref", help="render this git ref (default: the working tree)"
    )
    parser.add_argument(
        "--baseline-ref", help="also serve the template at this git ref, as before"
    )
    parser.add_argument(
        "--server",
        default="postgresql://postgres@127.0.0.1:5432",
        help="PostgreSQL server, as a user who may create databases",
    )
    parser.add_argument("--duration", type=int, default=10, help="seconds per run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--list-rows", type=int, default=1_000_000)
    parser.add_argument("--skip-throughput", action="store_true")
    parser.add_argument("--skip-lists", action="store_true")
    parser.add_argument(
        "--only",
        metavar="METHOD",
        choices=sorted({endpoint.title.split()[0] for endpoint in ENDPOINTS}),
        help="measure only this method's throughput (GET: by id and the list)",
    )
    return parser.parse_args()


def _stop_on_signal(number: int, frame: FrameType | None) -> None:
    # Once only: `uv run` passes a Ctrl-C on, so it may come twice, and the
    # second must not cut short the cleanup that the first starts. A plain
    # `kill` cleans up the same way.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    log("stopping: ending the servers, dropping the databases")
    raise KeyboardInterrupt


def log(message: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {message}", flush=True)


def child_env(**extra: str) -> dict[str, str]:
    # `uv run` set VIRTUAL_ENV to this repository's venv; uv would warn in the
    # render that it is not the render's. This shell's OTEL_* would turn on
    # telemetry in apps measured with it off.
    env = {
        key: value
        for key, value in os.environ.items()
        if key != "VIRTUAL_ENV" and not key.startswith("OTEL_")
    }
    return env | extra


def run(command: Sequence[str | Path], cwd: Path | None = None, **env: str) -> str:
    """Runs a command to completion; its output is shown only if it fails."""
    done = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=child_env(**env),
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        print(done.stdout + done.stderr, file=sys.stderr)
        raise RuntimeError(f"failed ({done.returncode}): {' '.join(map(str, command))}")
    return done.stdout


def render_python(render: Path) -> list[str | Path]:
    return ["uv", "run", "--project", render, "--no-sync", "python"]


def pg(render: Path, *arguments: str) -> None:
    run([*render_python(render), HERE / "pg.py", *arguments])


def database_url(server: str, name: str, driver: str = "postgresql") -> str:
    return urlsplit(server)._replace(scheme=driver, path=f"/{name}").geturl()


def render_template(
    vcs_ref: str | None, render: Path, *answers: str
) -> tuple[Path, str]:
    """The render's folder, and which state of the template it shows; answers
    beyond the defaults as NAME=VALUE."""
    git = ["git", "-C", REPO]
    if vcs_ref:
        # By commit id: copier takes `--vcs-ref HEAD` of a dirty repository to
        # mean its working tree, not the last commit.
        commit = run([*git, "rev-parse", "--verify", f"{vcs_ref}^{{commit}}"])
        ref = ["--vcs-ref", commit.strip()]
        source = f"`{vcs_ref}` ({commit[:7]})"
    else:
        head = run([*git, "rev-parse", "--short", "HEAD"]).strip()
        paths = ["template", "copier.yml", "copier"]
        dirty = run([*git, "status", "--porcelain", "--", *paths]).strip()
        source = f"the working tree on {head}" + (
            " with uncommitted changes" if dirty else ""
        )
        ref = []
    log(f"rendering {source} into {render}")
    run(
        [
            *("uv", "run", "copier", "copy", "--quiet", "--defaults", "--trust"),
            *ref,
            *("-d", "project_name=Bench Service"),
            *(part for answer in answers for part in ("-d", answer)),
            *(REPO, render),
        ]
    )
    log("installing the render's dependencies (uv sync --no-dev)")
    run(["uv", "sync", "--no-dev"], cwd=render)
    return render, source


def prepare(args: argparse.Namespace, render: Path, name: str, rows: int) -> None:
    log(f"{name}: migrating, seeding {rows:,} items")
    # --no-sync: a plain `uv run` would install the dev group too.
    run(
        ["uv", "run", "--no-sync", "alembic", "upgrade", "heads"],
        cwd=render,
        DATABASE_URL=database_url(args.server, name, "postgresql+asyncpg"),
    )
    url = database_url(args.server, name)
    seeded = run([*render_python(render), HERE / "seed.py", url, str(rows)])
    log(f"{name}: {seeded.strip()}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def start(
    name: str,
    command: Sequence[str | Path],
    cwd: Path,
    database: str,
    work: Path,
    servers: contextlib.ExitStack,
    **env: str,
) -> Server:
    port = free_port()
    log_path = work / f"{name}-{database}.log"
    with log_path.open("wb") as output:
        process = subprocess.Popen(
            [str(part) for part in command] + ["--port", str(port)],
            cwd=cwd,
            env=child_env(**env),
            stdout=output,
            stderr=subprocess.STDOUT,
            # Its own process group, out of reach of the terminal's Ctrl-C:
            # `stop` ends uv and the server it started together, after wrk.
            start_new_session=True,
        )
    server = Server(name, f"http://127.0.0.1:{port}", process, log_path)
    servers.callback(stop, server)
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = log_path.read_text(errors="replace")[-3000:]
            raise RuntimeError(f"{name} exited ({process.returncode}):\n{tail}")
        if get(server.url + "/healthz")[0] == 200:
            log(f"{name} serves {database} on port {port}")
            return server
        time.sleep(0.2)
    raise RuntimeError(f"{name} not ready after {READY_TIMEOUT_SECONDS} s")


def stop(server: Server) -> None:
    for sent in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.process.pid, sent)
        try:
            server.process.wait(timeout=10)
            return
        except subprocess.TimeoutExpired:
            continue


def start_apps(
    render: Path,
    names: Sequence[str],
    url: str,
    database: str,
    work: Path,
    servers: contextlib.ExitStack,
    baseline: Path | None = None,
) -> dict[str, Server]:
    # As `fastapi run` serves the render: uvicorn (with uvloop and httptools,
    # which the render installs), one worker.
    in_render = ["uv", "run", "--project", render, "--no-sync"]
    folders = {"render": render, "render+otel": render}
    folders |= {"before": baseline} if baseline else {}
    collector = None
    if "render+otel" in names:
        python = [*in_render, "python", HERE / "collector.py"]
        collector = start("collector", python, REPO, database, work, servers)
    uvicorn = ["uvicorn", "--app-dir", HERE, "--no-access-log"]
    commands: dict[str, list[str | Path]] = {
        "render": ["uv", "run", "--no-sync", "fastapi", "run"],
        "render+otel": ["uv", "run", "--no-sync", "fastapi", "run"],
        "before": ["uv", "run", "--no-sync", "fastapi", "run"],
        "ceiling": [*in_render, "--with", "orjson", *uvicorn, "ceiling:app"],
        "minimal": [*in_render, *uvicorn, "minimal_orm:app"],
    }
    envs = {
        "render": {"DATABASE_URL": url, "ENVIRONMENT": "production"},
        "render+otel": {
            "DATABASE_URL": url,
            "ENVIRONMENT": "production",
            "OTEL_EXPORTER_OTLP_ENDPOINT": collector.url if collector else "",
            "OTEL_TRACES_SAMPLER": "always_on",
        },
        "before": {"DATABASE_URL": url, "ENVIRONMENT": "production"},
        "ceiling": {"DATABASE_URL": url},
        "minimal": {"DATABASE_URL": url},
    }
    return {
        name: start(
            name,
            commands[name],
            folders.get(name, REPO),
            database,
            work,
            servers,
            **envs[name],
        )
        for name in names
    }


def wrk(
    url: str,
    *,
    threads: int,
    connections: int,
    seconds: int,
    script: str | None = None,
    **env: str,
) -> WrkResult:
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s"]
    # Deep list pages at a million rows may pass wrk's 2 s default, which it
    # would count as a socket error rather than a latency.
    command += ["--latency", "--timeout", "30s"]
    if script is not None:
        command += ["-s", str(HERE / script)]
    output = run([*command, url], **env)

    def number(pattern: str) -> float | None:
        found = re.search(pattern, output, re.MULTILINE)
        return None if found is None else float(found.group(1).replace(",", ""))

    def milliseconds(percentile: int) -> float:
        found = re.search(rf"^\s*{percentile}%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.M)
        if found is None:
            return float("nan")
        scale = {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000}[found.group(2)]
        return float(found.group(1)) * scale

    errors = re.search(r"Socket errors: (.*)", output)
    return WrkResult(
        requests_per_second=number(r"^Requests/sec:\s+([\d.]+)") or 0.0,
        p50_ms=milliseconds(50),
        p99_ms=milliseconds(99),
        non_2xx=int(number(r"Non-2xx or 3xx responses: (\d+)") or 0),
        socket_errors=None if errors is None else errors.group(1).strip(),
    )


def throughput(
    args: argparse.Namespace, render: Path, work: Path, servers: contextlib.ExitStack
) -> list[str]:
    prepare(args, render, READS_DATABASE, READS_ROWS)
    ids = work / "ids.txt"
    pg(render, "ids", database_url(args.server, READS_DATABASE), str(ids))
    url = database_url(args.server, READS_DATABASE, "postgresql+asyncpg")
    names = [name for name in APPS if name != "before" or args.baseline]
    apps = start_apps(render, names, url, READS_DATABASE, work, servers, args.baseline)
    report = [
        "## Throughput (requests/s)",
        "",
        f"wrk -t2 -c32 -d{args.duration}s after a {WARM_UP_SECONDS} s warm-up, "
        f"{args.rounds} rounds; {READS_ROWS:,} items to start with (POST adds more).",
    ]
    for endpoint in ENDPOINTS:
        if args.only and not endpoint.title.startswith(f"{args.only} "):
            continue
        served = [name for name in endpoint.apps if name in apps]
        results: dict[str, list[WrkResult]] = {name: [] for name in served}
        for round_index in range(args.rounds):
            shift = round_index % len(APPS)
            order = [a for a in APPS[shift:] + APPS[:shift] if a in served]
            for name in order:
                server = apps[name]
                load(server, endpoint, ids, round_index + 1, 0)
                result = load(server, endpoint, ids, round_index + 1, args.duration)
                results[name].append(result)
        report += ["", *throughput_table(endpoint, results, args.rounds)]
    return report


def load(
    server: Server, endpoint: Endpoint, ids: Path, round_number: int, seconds: int
) -> WrkResult:
    """One wrk run at -t2 -c32; no seconds: a warm-up."""
    stage = "run" if seconds else "warm-up"
    result = wrk(
        server.url + endpoint.path,
        threads=2,
        connections=32,
        seconds=seconds or WARM_UP_SECONDS,
        script=endpoint.script,
        BENCH_IDS=str(ids),
        # Names that POST creates are unique across all runs.
        BENCH_RUN_ID=f"{server.name}-{round_number}-{stage}",
    )
    what = f"{endpoint.title}, {server.name}, round {round_number} ({stage})"
    if result.failed:
        log(f"!!! FAILED {what}: {result.problems()}")
    elif seconds:
        log(f"{what}: {result.requests_per_second:,.0f} req/s")
    return result


def throughput_table(
    endpoint: Endpoint, results: dict[str, list[WrkResult]], rounds: int
) -> list[str]:
    def median(name: str) -> float:
        return statistics.median(r.requests_per_second for r in results[name])

    def cell(value: float, failed: bool) -> str:
        return f"{value:,.0f}" + (" (!)" if failed else "")

    rounds_header = " | ".join(f"round {n + 1}" for n in range(rounds))
    lines = [
        f"### {endpoint.title}",
        "",
        f"| app | {rounds_header} | median | / ceiling |",
        "|---|" + "--:|" * (rounds + 2),
    ]
    for name in results:
        runs = results[name]
        cells = [cell(r.requests_per_second, r.failed) for r in runs]
        ratio = paired_ratio(runs, results["ceiling"])
        any_failed = any(r.failed for r in runs)
        lines.append(
            f"| {name} | {' | '.join(cells)} | {cell(median(name), any_failed)}"
            f" | {ratio:.2f} |"
        )
    return lines


def paired_ratio(runs: list[WrkResult], ceiling_runs: list[WrkResult]) -> float:
    """The median, over rounds, of an app's req/s over the ceiling's in the
    same round: the two ran a minute apart, where a round's machine can be
    twice as fast as the next one's."""
    ratios = [
        run.requests_per_second / ceiling.requests_per_second
        for run, ceiling in zip(runs, ceiling_runs, strict=True)
        if ceiling.requests_per_second
    ]
    return statistics.median(ratios) if ratios else 0.0


def get(url: str) -> tuple[int, dict[str, object]]:
    """The status and JSON object of one GET; status 0 if nothing answered."""
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            status, body = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read()
    except OSError:
        return 0, {}
    try:
        data = json.loads(body)
    except ValueError:
        data = None
    return status, data if isinstance(data, dict) else {}


def list_latency(
    args: argparse.Namespace, render: Path, work: Path, servers: contextlib.ExitStack
) -> list[str]:
    rows = args.list_rows
    prepare(args, render, LISTS_DATABASE, rows)
    url = database_url(args.server, LISTS_DATABASE, "postgresql+asyncpg")
    apps = start_apps(render, ("render", "ceiling"), url, LISTS_DATABASE, work, servers)
    base = apps["render"].url
    deep = str(max(1, rows // 20 - 1))
    requests: list[tuple[str, str, str | None]] = [
        ("render", f"`{path.replace(DEEP, deep)}`", path.replace(DEEP, deep))
        for path in LIST_REQUESTS
    ]
    for origin, label in LINKED_FROM:
        link = get(base + origin.replace(DEEP, deep))[1].get("next")
        requests.append(("render", label, link if isinstance(link, str) else None))
    requests.append(("ceiling", "ceiling: `/api/v1/items`", "/api/v1/items"))
    report = [
        "",
        f"## List latency at {rows:,} items (render, then the ceiling's default page)",
        "",
        f"wrk -t1 -c1 -d{LATENCY_SECONDS}s after a 1 s warm-up.",
        "",
        "| request | p50 ms | p99 ms | total | total_is |",
        "|---|--:|--:|--:|---|",
    ]
    for name, label, path in requests:
        if path is None:
            log(f"{label}: n/a (no next link)")
            report.append(f"| {label} | n/a (no next link) | | | |")
            continue
        target = apps[name].url + path
        status, page = get(target)
        total, total_is = page.get("total", "-"), page.get("total_is", "-")
        total = f"{total:,}" if isinstance(total, int) else total
        if status != 200:
            log(f"!!! FAILED {label}: HTTP {status} {page}")
            report.append(f"| {label} | (!) HTTP {status} | | | |")
            continue
        wrk(target, threads=1, connections=1, seconds=1)
        result = wrk(target, threads=1, connections=1, seconds=LATENCY_SECONDS)
        mark = " (!)" if result.failed else ""
        if result.failed:
            log(f"!!! FAILED {label}: {result.problems()}")
        log(f"{label}: p50 {result.p50_ms:.1f} ms, p99 {result.p99_ms:.1f} ms")
        report.append(
            f"| {label} | {result.p50_ms:.1f}{mark} | {result.p99_ms:.1f}{mark}"
            f" | {total} | {total_is} |"
        )
    return report


def header(source: str, load: str) -> list[str]:
    return [
        f"# HTTP benchmark, {datetime.now():%Y-%m-%d %H:%M}",
        "",
        f"Template: {source}. Machine: {os.cpu_count()} cores, load average "
        f"before the run {load} (anything else running skews the figures).",
        "",
    ]


def log_summary(work: Path) -> list[str]:
    """Warnings and errors the servers logged: a slow figure may be a failing one."""
    lines = ["", "## Server logs", ""]
    for path in sorted(work.glob("*.log")):
        counts = {"WARNING": 0, "ERROR": 0}
        first: str | None = None
        with path.open(errors="replace") as log_file:
            for line in log_file:
                level = _level(line)
                if level in counts:
                    counts[level] += 1
                    first = first or line.strip()[:300]
        summary = ", ".join(f"{n:,} {level.lower()}s" for level, n in counts.items())
        lines.append(
            f"- {path.name}: {summary}" + (f"; first: `{first}`" if first else "")
        )
    return lines


def _level(line: str) -> str | None:
    # The render logs JSON lines in production; uvicorn and fastapi-cli text.
    with contextlib.suppress(ValueError):
        entry = json.loads(line)
        if isinstance(entry, dict):
            level = entry.get("level")
            return "ERROR" if level == "CRITICAL" else str(level)
    found = re.match(r"\W*(WARNING|ERROR|CRITICAL)\b", line)
    if found is None:
        return None
    return "WARNING" if found.group(1) == "WARNING" else "ERROR"


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(130)
