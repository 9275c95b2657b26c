import asyncio
import math
import time
from datetime import timedelta
from typing import NoReturn

from sqlalchemy.ext.asyncio import AsyncSession

from ..core.config import Settings
from ..core.crud.clock import utc_now
from ..users.repository import UserRepository
from .exceptions import TooManyAttemptsError, UnauthenticatedError, WrongPasswordError
from .models import LoginFailure, Session
from .passwords import Passwords
from .repository import LoginFailures, RecentAttempts, SessionRepository, SignedIn
from .schemas import Credentials, PasswordChange, SessionToken
from .tokens import new_token, token_hash

# How long an attempt held back by others still being checked waits for them
# (each takes one hash), polling at this pace, before it gives up with a 429.
ADMISSION_WAIT_SECONDS = 10.0
ADMISSION_POLL_SECONDS = 0.05


class AuthService:
    """Sign-in, sign-out and password changes; each method is a unit of work."""

    def __init__(
        self, session: AsyncSession, passwords: Passwords, settings: Settings
    ) -> None:
        self.session = session
        self.passwords = passwords
        self.settings = settings
        self.users = UserRepository(session)
        self.sessions = SessionRepository(session)
        self.failures = LoginFailures(session, settings.login_failure_window)

    async def sign_in(self, credentials: Credentials, address: str) -> SessionToken:
        email = credentials.email.lower()
        attempt = await self._admit(email, address)
        password = credentials.password.get_secret_value()
        user = await self.users.get_by_email(email)
        await self._release_connection()
        if user is None:
            await self.passwords.verify_dummy(password)
            await self._failed(attempt)
        right = await self.passwords.verify(user.password_hash, password)
        if not right or not user.is_active:
            await self._failed(attempt)
        if self.passwords.needs_rehash(user.password_hash):
            user.password_hash = await self.passwords.hash(password)
        await self.failures.forget(email, attempt.id)
        token = new_token()
        expires_at = utc_now() + timedelta(seconds=self.settings.session_lifetime)
        self.sessions.add(
            Session(
                user_id=user.id, token_hash=token_hash(token), expires_at=expires_at
            )
        )
        await self.sessions.purge(user.id, self.settings.session_idle_timeout)
        await self.failures.purge()
        await self.session.commit()
        return SessionToken(access_token=token, expires_at=expires_at)

    async def sign_out(self, signed_in: SignedIn) -> None:
        await self.sessions.revoke(signed_in.session_id)
        await self.session.commit()

    async def change_password(
        self, signed_in: SignedIn, change: PasswordChange, address: str
    ) -> None:
        """Sets a new password and revokes every other session of the user;
        a wrong current password counts as a failed sign-in."""
        email = signed_in.email.lower()
        attempt = await self._admit(email, address)
        user = await self.users.get(signed_in.user_id)
        await self._release_connection()
        if user is None:
            raise UnauthenticatedError()
        current = change.current_password.get_secret_value()
        if not await self.passwords.verify(user.password_hash, current):
            await self.failures.fail(attempt.id)
            await self.session.commit()
            raise WrongPasswordError("The current password is wrong")
        new = change.new_password.get_secret_value()
        user.password_hash = await self.passwords.hash(new)
        await self.sessions.revoke_all_but(user.id, signed_in.session_id)
        await self.failures.forget(email, attempt.id)
        await self.session.commit()

    async def _release_connection(self) -> None:
        """Ends the transaction, so that its connection goes back to the pool
        while a password hashes: a burst of sign-ins must not hold every pooled
        connection while it waits for the hashing threads. What was read stays
        loaded (the sessions do not expire objects on commit)."""
        await self.session.commit()

    async def _admit(self, email: str, address: str) -> LoginFailure:
        """Refuses the attempt past the limits; otherwise records it, as being
        checked, and commits that first: a crash or a cancelled request
        mid-check still counts (as a failure, once CHECK_TIMEOUT_SECONDS pass).

        Attempts being checked count toward the limits, so that concurrent
        guesses cannot outrun them; an attempt held back only by those waits
        for them to finish, so that concurrent sign-ins with the right
        password all get in."""
        waited_until = time.monotonic() + ADMISSION_WAIT_SECONDS
        while True:
            await self.failures.lock(email, address)
            recent = await self.failures.recent(email, address)
            retry_after = self._retry_after(recent)
            if retry_after is not None:
                await self.session.rollback()
                raise TooManyAttemptsError(retry_after)
            if (
                recent.by_email < self.settings.login_max_failures_per_email
                and recent.by_address < self.settings.login_max_failures_per_address
            ):
                attempt = self.failures.add(email, address)
                await self.session.commit()
                return attempt
            await self.session.rollback()
            if time.monotonic() > waited_until:
                raise TooManyAttemptsError(retry_after=1)
            await asyncio.sleep(ADMISSION_POLL_SECONDS)

    def _retry_after(self, recent: RecentAttempts) -> int | None:
        """Seconds until failures alone no longer reach a limit; None if they
        reach none now."""
        waits = []
        if recent.failed_by_email >= self.settings.login_max_failures_per_email:
            waits.append(recent.email_clears_in or 0)
        if recent.failed_by_address >= self.settings.login_max_failures_per_address:
            waits.append(recent.address_clears_in or 0)
        return max(1, math.ceil(max(waits))) if waits else None

    async def _failed(self, attempt: LoginFailure) -> NoReturn:
        await self.failures.fail(attempt.id)
        await self.session.commit()
        raise _wrong_credentials()


def _wrong_credentials() -> UnauthenticatedError:
    return UnauthenticatedError("The email or password is wrong")
