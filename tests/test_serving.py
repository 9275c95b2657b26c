"""The default render served with `fastapi run`, as its users serve it."""

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from serving import OwnPostgres, call, serve
from support import Project

ITEMS = "/api/v1/items"


@pytest.fixture
def embedded_data(default_project: Project) -> Iterator[Path]:
    """The render's embedded-database folder, absent before the test and after."""
    data = default_project.path / ".data"
    shutil.rmtree(data, ignore_errors=True)
    yield data
    shutil.rmtree(data, ignore_errors=True)


def test_with_no_database_configured_it_serves_and_keeps_data_across_restarts(
    default_project: Project, embedded_data: Path, tmp_path: Path
) -> None:
    env = default_project.env()  # no DATABASE_URL, no .env
    with serve(default_project, env, tmp_path / "first.log") as base:
        assert call(f"{base}/healthz").body == {"status": "ok"}
        assert call(f"{base}/readyz").body == {"status": "ok"}
        created = call(f"{base}{ITEMS}", "POST", {"name": "survives restarts"})
        assert created.status == 201, created.body
    pgdata = embedded_data / "postgres"
    assert (pgdata / "PG_VERSION").exists()
    # The server stopped with the service.
    assert not (pgdata / "postmaster.pid").exists()

    with serve(default_project, env, tmp_path / "second.log") as base:
        read = call(f"{base}{ITEMS}/{created.body['id']}")
        assert read.status == 200, read.body
        assert read.body["name"] == "survives restarts"


def test_it_answers_503_while_its_database_is_down_then_recovers(
    default_project: Project, tmp_path: Path
) -> None:
    postgres = OwnPostgres(default_project, tmp_path / "pgdata")
    database_url = postgres.start()
    embedded_dir = tmp_path / "embedded"
    env = default_project.env() | {
        "ENVIRONMENT": "production",
        "DATABASE_URL": database_url,
        "EMBEDDED_DATABASE_DIR": str(embedded_dir),
    }
    try:
        default_project.run("uv run alembic upgrade heads", env=env)
        with serve(default_project, env, tmp_path / "service.log") as base:
            created = call(f"{base}{ITEMS}", "POST", {"name": "outlives an outage"})
            assert created.status == 201, created.body
            item_url = f"{base}{ITEMS}/{created.body['id']}"

            postgres.stop()
            for url in (item_url, f"{base}/readyz"):
                down = call(url)
                assert down.status == 503, down.body
                assert down.headers["content-type"] == "application/problem+json"
                assert down.body["error_code"] == "SERVICE_UNAVAILABLE"
                assert down.body["request_id"] == down.headers["x-request-id"]
            assert call(f"{base}/healthz").status == 200

            assert postgres.start() == database_url
            assert call(f"{base}/readyz").status == 200
            back = call(item_url)
            assert back.status == 200, back.body
            assert back.body["name"] == "outlives an outage"

            # A restart between two requests: the pool's connections are all
            # dead, yet the next request must not be the one to find out.
            postgres.stop()
            postgres.start()
            assert call(item_url).status == 200
    finally:
        postgres.stop()
    # With DATABASE_URL set, no embedded server was started.
    assert not embedded_dir.exists()
