"""The changes that `copier update` has to merge, on both sides.

`release_fixture_improvements` is a next version of the template as its
developers would cut it: an existing template-owned fixture changes, a new
fixture module comes with a test that uses it, and the README documents it.
`make_user_changes` is months of a team's work on a rendered project: their own
fixtures, tests, resource, migration, README text, settings.
"""

from pathlib import Path

from support import commit_all, git

# The next version's new fixture module: `client` names its requests after the
# test, so that a failing test's requests are easy to find in the service's log.
NEW_FIXTURE_MODULE = "tests/fixtures/requests.py"
NEW_FIXTURE_TEST = "tests/core/test_client_fixture.py"
NEW_FIXTURE_TEST_ID = f"{NEW_FIXTURE_TEST}::test_client_names_requests_after_the_test"

_REQUESTS_FIXTURES = '''\
"""Request ids, owned by the template like the rest of fixtures/."""

import re
from collections.abc import Iterator
from itertools import count

import pytest


@pytest.fixture
def request_ids(request: pytest.FixtureRequest) -> Iterator[str]:
    """The X-Request-IDs `client` sends: the test's name, then 1, 2, ..."""
    name = re.sub(r"[^A-Za-z0-9._:-]", "-", request.node.name)[:100]
    return (f"{name}.{number}" for number in count(1))
'''

_CLIENT_FIXTURE_TEST = """\
from httpx import AsyncClient


async def test_client_names_requests_after_the_test(client: AsyncClient) -> None:
    first = await client.get("/api/v1/items")
    second = await client.get("/api/v1/items")
    name = "test_client_names_requests_after_the_test"
    assert first.headers["X-Request-ID"] == f"{name}.1"
    assert second.headers["X-Request-ID"] == f"{name}.2"
"""


def replace_once(path: Path, old: str, new: str) -> None:
    """Edit `path`, failing loudly if `old` is not in it exactly once: a change
    of the template that these scenarios no longer fit."""
    text = path.read_text()
    assert text.count(old) == 1, f"{path}: expected one {old!r}"
    path.write_text(text.replace(old, new))


def release(repo: Path, version: str, message: str) -> None:
    commit_all(repo, message)
    git(repo, "tag", version)


def release_fixture_improvements(repo: Path, version: str) -> None:
    fixtures = repo / "template/tests/fixtures"
    (fixtures / "requests.py").write_text(_REQUESTS_FIXTURES)
    replace_once(
        fixtures / "__init__.py.jinja",
        '    "tests.fixtures.items",\n',
        '    "tests.fixtures.items",\n    "tests.fixtures.requests",\n',
    )
    database = fixtures / "database.py.jinja"
    replace_once(
        database,
        "import pytest\n",
        "import httpx\nimport pytest\n",
    )
    replace_once(
        database,
        """async def client(
    app: FastAPI,
    session_factory: async_sessionmaker[AsyncSession],
) -> AsyncIterator[AsyncClient]:""",
        """async def client(
    app: FastAPI,
    session_factory: async_sessionmaker[AsyncSession],
    request_ids: Iterator[str],
) -> AsyncIterator[AsyncClient]:""",
    )
    replace_once(
        database,
        """    For concurrency, use `committing_client`.
    \"\"\"
    _serve_sessions_from(app, session_factory)
    transport = ASGITransport(app=app, raise_app_exceptions=False)
    async with AsyncClient(transport=transport, base_url="http://test") as http:""",
        """    For concurrency, use `committing_client`.
    \"\"\"
    _serve_sessions_from(app, session_factory)

    async def name_request(http_request: httpx.Request) -> None:
        http_request.headers.setdefault("X-Request-ID", next(request_ids))

    transport = ASGITransport(app=app, raise_app_exceptions=False)
    async with AsyncClient(
        transport=transport,
        base_url="http://test",
        event_hooks={"request": [name_request]},
    ) as http:""",
    )
    (repo / "template" / NEW_FIXTURE_TEST).write_text(_CLIENT_FIXTURE_TEST)
    replace_once(
        repo / "template/docs/tests.md.jinja",
        "Fixtures: `client` (HTTP client on the app),",
        "Fixtures: `client` (HTTP client on the app, naming its requests after\n"
        "the test in X-Request-ID),",
    )
    release(repo, version, "client names its requests after the test")


def release_retiring(repo: Path, version: str, rendered_path: str) -> None:
    """A version that stops rendering a file, the way README.md says to."""
    (repo / "template" / f"{rendered_path}.jinja").unlink()
    replace_once(repo / "copier.yml", "_exclude: []", f"_exclude:\n  - {rendered_path}")
    release(repo, version, f"retire {rendered_path}")


# What the team wrote, by path: new files, and text added to rendered ones.
USER_CONFTEST = '''\
"""Fixtures of our own; the template's come from tests/fixtures/."""

import pytest

pytest_plugins = ["tests.fixtures"]


@pytest.fixture
def tag_payload() -> dict[str, str]:
    return {"label": "urgent"}
'''

USER_TEST_ID = "tests/tags/test_tags.py::test_a_created_tag_reads_back"
# The team includes its router in api.py as scripts/add_resource.py would.
TAGS_ROUTER_IMPORT = "from .tags.router import router as tags_router\n"
TAGS_ROUTER_LISTED = "routers: list[APIRouter] = [items_router, tags_router]"

_USER_TAG_TEST = """\
from httpx import AsyncClient


async def test_a_created_tag_reads_back(
    client: AsyncClient, tag_payload: dict[str, str]
) -> None:
    created = await client.post("/api/v1/tags", json=tag_payload)
    assert created.status_code == 201, created.text
    read = await client.get(f"/api/v1/tags/{created.json()['id']}")
    assert read.status_code == 200, read.text
    assert read.json()["label"] == "urgent"
"""

_USER_TAG_MODEL = """\
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from ..core.crud.models import Entity


class Tag(Entity):
    __tablename__ = "tags"

    label: Mapped[str] = mapped_column(String(50))
"""

_USER_TAG_ROUTER = """\
import uuid

from fastapi import APIRouter, status
from pydantic import BaseModel, ConfigDict

from ..core.database import DbSession
from ..core.http.errors import NotFoundError
from .models import Tag

router = APIRouter(prefix="/tags", tags=["tags"])


class TagCreate(BaseModel):
    label: str


class TagRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    label: str


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_tag(payload: TagCreate, session: DbSession) -> TagRead:
    tag = Tag(label=payload.label)
    session.add(tag)
    await session.commit()
    return TagRead.model_validate(tag)


@router.get("/{tag_id}")
async def get_tag(tag_id: uuid.UUID, session: DbSession) -> TagRead:
    tag = await session.get(Tag, tag_id)
    if tag is None:
        raise NotFoundError(f"Tag {tag_id} not found")
    return TagRead.model_validate(tag)
"""

_USER_TAG_MIGRATION = '''\
"""Create the tags table.

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "tags",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("label", sa.String(length=50), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tags")),
    )


def downgrade() -> None:
    op.drop_table("tags")
'''

USER_README_INTRO = "Run by the platform team; pages go to #demo-oncall.\n"
USER_README_SECTION = "## Deploying\n\nMerges to main deploy to staging.\n"
USER_PYTEST_MARKER = '    "slow: takes seconds; deselect with -m \\"not slow\\"",\n'
USER_ENV = "DATABASE_URL=postgresql://demo@db.internal:5432/demo\n"


# Where the team's code imported from before core/ became packages (3104f78
# and earlier): the paths CHANGELOG.md's "Moved" command rewrites.
BEFORE_THE_MOVE = {
    "..core.crud.models": "..core.models",
    "..core.http.errors": "..core.errors",
}
TAGS_ROUTER_INCLUDED = "api_router.include_router(tags_router)\n"


def make_user_changes(
    project: Path, package: str, before_the_move: bool = False
) -> dict[str, list[str]]:
    """Change `project` like its team would, commit, and return the texts each
    changed file must still hold after an update. `before_the_move`: the
    project was rendered when core/ was flat and api.py had `api_router`."""
    source = project / "src" / package
    new_files = {
        "tests/conftest.py": USER_CONFTEST,
        "tests/tags/__init__.py": "",
        "tests/tags/test_tags.py": _USER_TAG_TEST,
        f"src/{package}/tags/__init__.py": "",
        f"src/{package}/tags/models.py": _USER_TAG_MODEL,
        f"src/{package}/tags/router.py": _USER_TAG_ROUTER,
        "migrations/versions/0002_create_tags.py": _USER_TAG_MIGRATION,
    }
    if before_the_move:
        for name, text in new_files.items():
            for new, old in BEFORE_THE_MOVE.items():
                text = text.replace(new, old)
            new_files[name] = text
    for name, text in new_files.items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(text)

    replace_once(
        source / "models.py",
        'from .items.models import Item\n\n__all__ = ["Base", "Item"]',
        "from .items.models import Item\nfrom .tags.models import Tag\n\n"
        '__all__ = ["Base", "Item", "Tag"]',
    )
    replace_once(
        source / "api.py",
        "from .items.router import router as items_router\n",
        "from .items.router import router as items_router\n" + TAGS_ROUTER_IMPORT,
    )
    if before_the_move:
        replace_once(
            source / "api.py",
            "api_router.include_router(items_router)\n",
            "api_router.include_router(items_router)\n" + TAGS_ROUTER_INCLUDED,
        )
    else:
        replace_once(
            source / "api.py",
            "routers: list[APIRouter] = [items_router]",
            TAGS_ROUTER_LISTED,
        )

    readme = project / "README.md"
    title, rest = readme.read_text().split("\n", 1)
    readme.write_text(f"{title}\n\n{USER_README_INTRO}{rest}\n{USER_README_SECTION}")
    replace_once(
        project / "pyproject.toml",
        "markers = [\n",
        "markers = [\n" + USER_PYTEST_MARKER,
    )
    # Not committed: .env is git-ignored, and holds this machine's settings.
    (project / ".env").write_text(USER_ENV)
    commit_all(project, "our tags resource, fixtures, docs")

    return {
        **{name: [text] for name, text in new_files.items() if text},
        f"src/{package}/models.py": ["from .tags.models import Tag\n"],
        f"src/{package}/api.py": [
            TAGS_ROUTER_IMPORT,
            TAGS_ROUTER_INCLUDED if before_the_move else TAGS_ROUTER_LISTED,
        ],
        "README.md": [USER_README_INTRO, USER_README_SECTION],
        "pyproject.toml": [USER_PYTEST_MARKER],
        ".env": [USER_ENV],
    }
