import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, bindparam, delete, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import Extract

from .models import LoginFailure, Session

# Most sessions are used far more often than this: writing last_used_at on
# every request would make every read a write.
TOUCH_INTERVAL_SECONDS = 60
PURGE_BATCH = 1000

# The live session of a token and its user, in one round trip; last_used_at is
# moved on in the same statement when it is more than a minute old. On a read
# request's session (AUTOCOMMIT) that write commits on its own; on a write
# request's, with the request's unit of work.
_LIVE_SESSION = text(
    """
        WITH live AS (
            SELECT s.id AS session_id, s.last_used_at, u.id AS user_id, u.email,
                   u.is_active, u.created_at, u.updated_at
            FROM sessions AS s JOIN users AS u ON u.id = s.user_id
            WHERE s.token_hash = :token_hash
              AND s.revoked_at IS NULL
              AND s.expires_at > now()
              AND s.last_used_at > now() - make_interval(secs => :idle_timeout)
              AND u.is_active
        ), touched AS (
            UPDATE sessions SET last_used_at = now()
            FROM live
            WHERE sessions.id = live.session_id
              AND live.last_used_at < now() - make_interval(secs => :touch_interval)
        )
        SELECT session_id, user_id, email, is_active, created_at, updated_at
        FROM live
        """
).bindparams(
    bindparam("token_hash"),
    bindparam("idle_timeout"),
    bindparam("touch_interval", float(TOUCH_INTERVAL_SECONDS)),
)


@dataclass(frozen=True)
class SignedIn:
    """The session a request came with, and its user."""

    session_id: uuid.UUID
    user_id: uuid.UUID
    email: str
    is_active: bool
    created_at: datetime
    updated_at: datetime


class SessionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def live(self, token_hash: bytes, idle_timeout: int) -> SignedIn | None:
        """The live session of this token, and its user."""
        result = await self.session.execute(
            _LIVE_SESSION,
            {"token_hash": token_hash, "idle_timeout": float(idle_timeout)},
        )
        row = result.mappings().one_or_none()
        return None if row is None else SignedIn(**row)

    def add(self, signed_in: Session) -> Session:
        self.session.add(signed_in)
        return signed_in

    async def revoke(self, session_id: uuid.UUID) -> None:
        await self.session.execute(
            update(Session)
            .where(Session.id == session_id, Session.revoked_at.is_(None))
            .values(revoked_at=func.now())
        )

    async def revoke_all_but(self, user_id: uuid.UUID, session_id: uuid.UUID) -> None:
        await self.session.execute(
            update(Session)
            .where(
                Session.user_id == user_id,
                Session.id != session_id,
                Session.revoked_at.is_(None),
            )
            .values(revoked_at=func.now())
        )

    async def purge(self, user_id: uuid.UUID, idle_timeout: int) -> None:
        """Deletes this user's ended sessions (revoked, expired or idle), and a
        batch of anyone's expired ones."""
        idle_since = func.now() - timedelta(seconds=idle_timeout)
        await self.session.execute(
            delete(Session).where(
                Session.user_id == user_id,
                Session.revoked_at.is_not(None)
                | (Session.expires_at <= func.now())
                | (Session.last_used_at <= idle_since),
            )
        )
        expired = (
            select(Session.id)
            .where(Session.expires_at <= func.now())
            .limit(PURGE_BATCH)
            .scalar_subquery()
        )
        await self.session.execute(delete(Session).where(Session.id.in_(expired)))


# An attempt still "checking" after this long never finished (its process
# died mid-check): it counts as a failure.
CHECK_TIMEOUT_SECONDS = 60


@dataclass(frozen=True)
class RecentAttempts:
    """Attempts within the window, per email and per address: failed ones,
    and failed ones with those still being checked."""

    failed_by_email: int
    failed_by_address: int
    by_email: int
    by_address: int
    # Seconds until the oldest failure of each kind leaves the window.
    email_clears_in: float | None
    address_clears_in: float | None


class LoginFailures:
    """Failed sign-ins within the window, per email and per client address."""

    def __init__(self, session: AsyncSession, window: int) -> None:
        self.session = session
        self.window = window

    async def lock(self, email: str, address: str) -> None:
        """Serializes sign-ins of one email and of one address until the
        transaction ends, so that concurrent attempts are counted exactly."""
        await self.session.execute(
            text(
                "SELECT pg_advisory_xact_lock(hashtextextended(:email, 0)),"
                " pg_advisory_xact_lock(hashtextextended(:address, 0))"
            ),
            {"email": f"login email {email}", "address": f"login address {address}"},
        )

    async def recent(self, email: str, address: str) -> RecentAttempts:
        window_start = func.now() - timedelta(seconds=self.window)
        abandoned = func.now() - timedelta(seconds=CHECK_TIMEOUT_SECONDS)
        failed = ~LoginFailure.checking | (LoginFailure.failed_at < abandoned)
        of_email = LoginFailure.email == email
        of_address = LoginFailure.address == address

        def clears_in(kind: ColumnElement[bool]) -> Extract:
            oldest = func.min(LoginFailure.failed_at).filter(kind)
            return func.extract("epoch", oldest - window_start)

        row = (
            await self.session.execute(
                select(
                    func.count().filter(of_email & failed),
                    func.count().filter(of_address & failed),
                    func.count().filter(of_email),
                    func.count().filter(of_address),
                    clears_in(of_email & failed),
                    clears_in(of_address & failed),
                ).where(LoginFailure.failed_at > window_start, of_email | of_address)
            )
        ).one()
        return RecentAttempts(
            failed_by_email=row[0],
            failed_by_address=row[1],
            by_email=row[2],
            by_address=row[3],
            email_clears_in=None if row[4] is None else float(row[4]),
            address_clears_in=None if row[5] is None else float(row[5]),
        )

    def add(self, email: str, address: str) -> LoginFailure:
        failure = LoginFailure(email=email, address=address)
        self.session.add(failure)
        return failure

    async def fail(self, attempt: uuid.UUID) -> None:
        """The attempt's password was wrong: it stays, as a failure."""
        await self.session.execute(
            update(LoginFailure)
            .where(LoginFailure.id == attempt)
            .values(checking=False)
        )

    async def forget(self, email: str, attempt: uuid.UUID) -> None:
        """After a sign-in succeeds: its email's failures, and the attempt
        itself, go; the address's other failures stay."""
        await self.session.execute(
            delete(LoginFailure).where(
                (LoginFailure.email == email) | (LoginFailure.id == attempt)
            )
        )

    async def purge(self) -> None:
        """Deletes a batch of failures that have left the window."""
        window_start = func.now() - timedelta(seconds=self.window)
        stale = (
            select(LoginFailure.id)
            .where(LoginFailure.failed_at <= window_start)
            .limit(PURGE_BATCH)
            .scalar_subquery()
        )
        await self.session.execute(
            delete(LoginFailure).where(LoginFailure.id.in_(stale))
        )
