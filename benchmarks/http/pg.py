"""Database chores for run.py, run with the render's interpreter (it has asyncpg).

    python pg.py recreate <server-url> <database>...   drop if present, create
    python pg.py drop <server-url> <database>...
    python pg.py ids <database-url> <file>             live item ids, one a line

The server URL names no database (or any one): asyncpg then connects to the
user's.
"""

import asyncio
import sys

import asyncpg


async def recreate(server: str, names: list[str], create: bool) -> None:
    connection = await asyncpg.connect(server)
    try:
        for name in names:
            # FORCE: a server killed mid-request may leave sessions behind.
            await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            if create:
                await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()


async def write_ids(url: str, path: str) -> None:
    connection = await asyncpg.connect(url)
    try:
        rows = await connection.fetch("SELECT id FROM items WHERE deleted_at IS NULL")
    finally:
        await connection.close()
    with open(path, "w") as file:
        file.writelines(f"{row['id']}\n" for row in rows)


def main() -> None:
    command, target, *rest = sys.argv[1:]
    if command == "ids":
        asyncio.run(write_ids(target, rest[0]))
    else:
        asyncio.run(recreate(target, rest, create=command == "recreate"))


if __name__ == "__main__":
    main()
