"""`alembic upgrade head` and friends from Python, on a connection the caller owns."""

from pathlib import Path
from typing import Literal

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection

Direction = Literal["upgrade", "downgrade"]


def run_alembic(
    connection: Connection,
    direction: Direction,
    revision: str,
    pyproject: Path = Path("pyproject.toml"),
) -> None:
    """Run on `connection` (see migrations/env.py), configured from `pyproject`."""
    config = Config(toml_file=str(pyproject))
    config.attributes["connection"] = connection
    if direction == "upgrade":
        command.upgrade(config, revision)
    else:
        command.downgrade(config, revision)
