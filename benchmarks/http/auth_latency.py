"""Latency of sign-in and of a signed-in read, at one connection.

    uv run python benchmarks/http/auth_latency.py [--duration 10] [--rounds 3]
        [--server postgresql://postgres@127.0.0.1:5432]

Renders the template twice from the working tree, with `auth=sessions` and with
`auth=none`, serves both as deployed (`fastapi run`, ENVIRONMENT=production,
every other setting at its default, Argon2id at its default cost included) on
one database of 10,000 items (bench_http_auth: dropped, created and dropped
again), and drives them in turn with `wrk -t1 -c1`, so nothing queues:

- POST /api/v1/auth/login with a registered user's credentials (sessions);
- GET /api/v1/items/{id}, signed in (sessions) and not (none): the difference
  is the session check's round trip and work.

Prints p50 and p99 in ms per round, and writes last-auth-results.md here.
"""

import argparse
import contextlib
import json
import shutil
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from run import (
    HERE,
    Server,
    WrkResult,
    database_url,
    log,
    pg,
    prepare,
    render_template,
    start,
    wrk,
)

DATABASE = "bench_http_auth"
EMAIL = "bench@example.com"
PASSWORD = "a benchmark passphrase"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: `apt-get install wrk` (Debian, Ubuntu)")
    work = Path(tempfile.mkdtemp(prefix="bench-auth-"))
    with contextlib.ExitStack() as cleanup:
        sessions, _ = render_template(None, work / "sessions", "auth=sessions")
        plain, _ = render_template(None, work / "none")
        for render in (sessions, plain):
            cleanup.callback(shutil.rmtree, render / ".venv", True)
        cleanup.callback(pg, sessions, "drop", args.server, DATABASE)
        pg(sessions, "recreate", args.server, DATABASE)
        # The sessions render's migrations include the other's.
        prepare(args, sessions, DATABASE, 10_000)
        ids = work / "ids.txt"
        pg(sessions, "ids", database_url(args.server, DATABASE), str(ids))
        url = database_url(args.server, DATABASE, "postgresql+asyncpg")
        env = {"DATABASE_URL": url, "ENVIRONMENT": "production"}
        command = ["uv", "run", "--no-sync", "fastapi", "run"]
        servers = {
            name: start(name, command, render, DATABASE, work, cleanup, **env)
            for name, render in (("sessions", sessions), ("none", plain))
        }
        token = sign_up(servers["sessions"])
        runs = {
            "POST /auth/login (sessions)": (servers["sessions"], "/", "login.lua", ""),
            "GET /items/{id}, signed in (sessions)": (
                servers["sessions"],
                "/",
                "get.lua",
                token,
            ),
            "GET /items/{id} (none)": (servers["none"], "/", "get.lua", ""),
        }
        results: dict[str, list[WrkResult]] = {title: [] for title in runs}
        for round_number in range(1, args.rounds + 1):
            for title, (server, path, script, bearer) in runs.items():
                for seconds in (2, args.duration):  # a warm-up, then the run
                    result = wrk(
                        server.url + path,
                        threads=1,
                        connections=1,
                        seconds=seconds,
                        script=script,
                        BENCH_IDS=str(ids),
                        BENCH_TOKEN=bearer,
                        BENCH_EMAIL=EMAIL,
                        BENCH_PASSWORD=PASSWORD,
                    )
                if result.failed:
                    sys.exit(f"{title} failed: {result.problems()}")
                log(f"{title}, round {round_number}: p50 {result.p50_ms:.2f} ms")
                results[title].append(result)
    report = table(results, args)
    print("\n" + report)
    (HERE / "last-auth-results.md").write_text(report)


def sign_up(server: Server) -> str:
    credentials = json.dumps({"email": EMAIL, "password": PASSWORD}).encode()
    for path in ("/api/v1/users", "/api/v1/auth/login"):
        request = urllib.request.Request(
            server.url + path,
            data=credentials,
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            body = json.loads(response.read())
    token: str = body["access_token"]
    return token


def table(results: dict[str, list[WrkResult]], args: argparse.Namespace) -> str:
    lines = [
        f"# Sign-in latency ({time.strftime('%Y-%m-%d %H:%M')})",
        "",
        f"wrk -t1 -c1 -d{args.duration}s after a 2 s warm-up, {args.rounds} rounds,"
        " apps in turn; ms.",
        "",
        "| request | p50 (median of rounds) | p99 (median of rounds) | req/s |",
        "|---|--:|--:|--:|",
    ]
    for title, runs in results.items():
        p50 = statistics.median(r.p50_ms for r in runs)
        p99 = statistics.median(r.p99_ms for r in runs)
        rps = statistics.median(r.requests_per_second for r in runs)
        lines.append(f"| {title} | {p50:.2f} | {p99:.2f} | {rps:,.0f} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
