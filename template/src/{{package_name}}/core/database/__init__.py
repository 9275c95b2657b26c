"""PostgreSQL: the engine (`engine`), a session per request (`session`), what
its errors mean (`errors`), migrations and the embedded development server.

A resource imports what it needs from `core.database` itself.
"""

from .errors import violated_constraint
from .session import DbSession, get_db

__all__ = ["DbSession", "get_db", "violated_constraint"]
