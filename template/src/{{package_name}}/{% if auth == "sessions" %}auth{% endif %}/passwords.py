"""Argon2id password hashing, off the event loop.

A hash takes tens of milliseconds of CPU by design; run inline, it would stall
every request the loop serves. argon2-cffi releases the GIL while it hashes, so
a small thread pool runs hashes in parallel with the loop, and bounds how many
run at once: a burst of sign-ins queues instead of starving the machine.
"""

import asyncio
import secrets
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

from ..core.config import Settings

T = TypeVar("T")


class Passwords:
    def __init__(self, settings: Settings) -> None:
        self.hasher = PasswordHasher(
            time_cost=settings.password_hash_time_cost,
            memory_cost=settings.password_hash_memory_kib,
            parallelism=settings.password_hash_parallelism,
            type=Type.ID,
        )
        self.workers = ThreadPoolExecutor(
            max_workers=settings.password_hash_workers,
            thread_name_prefix="password-hash",
        )
        # Verified when the email is unknown, so that an unknown email costs
        # what a wrong password costs: the timing tells no one which exist.
        self.dummy_hash = self.hasher.hash(secrets.token_urlsafe(16))

    async def hash(self, password: str) -> str:
        return await self._off_loop(self.hasher.hash, password)

    async def verify(self, password_hash: str, password: str) -> bool:
        return await self._off_loop(self.matches, password_hash, password)

    async def verify_dummy(self, password: str) -> None:
        await self.verify(self.dummy_hash, password)

    def needs_rehash(self, password_hash: str) -> bool:
        return self.hasher.check_needs_rehash(password_hash)

    def matches(self, password_hash: str, password: str) -> bool:
        """The check itself, on the calling thread: `verify` runs it off the
        event loop."""
        try:
            return self.hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    async def _off_loop(self, work: Callable[..., T], *args: str) -> T:
        return await asyncio.get_running_loop().run_in_executor(
            self.workers, work, *args
        )
