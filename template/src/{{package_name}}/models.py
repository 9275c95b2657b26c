"""Every model, imported in one place so `Base.metadata` knows every table.

Alembic and the tests import `Base` from here; add each new resource's models.
"""

from .core.models import Base
from .items.models import Item

__all__ = ["Base", "Item"]
