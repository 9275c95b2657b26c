"""The minimal FastAPI + SQLAlchemy async ORM + Pydantic app: GET an item by id.

What a tutorial-style service costs per request: an ORM model, a session per
request from a `get_db` dependency, a Pydantic `response_model`, engine
defaults (pool of 5). run.py compares the render with it.

    uv run --project <render> --no-sync \
        uvicorn --app-dir benchmarks/http minimal_orm:app --port 8000 --no-access-log

Reads DATABASE_URL (postgresql+asyncpg://).
"""

import os
import uuid
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException
from pydantic import BaseModel, ConfigDict
from sqlalchemy import DateTime, String, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

engine = create_async_engine(os.environ["DATABASE_URL"])
SessionLocal = async_sessionmaker(engine, expire_on_commit=False)


class Base(DeclarativeBase):
    pass


class Item(Base):
    __tablename__ = "items"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    description: Mapped[str | None] = mapped_column(String(2000))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ItemRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    description: str | None
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None


async def get_db() -> AsyncIterator[AsyncSession]:
    async with SessionLocal() as session:
        yield session


app = FastAPI()


@app.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@app.get("/api/v1/items/{item_id}", response_model=ItemRead)
async def get_item(
    item_id: uuid.UUID, db: Annotated[AsyncSession, Depends(get_db)]
) -> Item:
    item = await db.scalar(
        select(Item).where(Item.id == item_id, Item.deleted_at.is_(None))
    )
    if item is None:
        raise HTTPException(status_code=404, detail="Item not found")
    return item
