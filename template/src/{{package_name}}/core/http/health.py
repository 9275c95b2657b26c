"""Probes for orchestrators: is the process up, can it reach its database."""

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy import text

from ..database.session import DbSession
from .errors import problem_responses

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: Literal["ok"] = "ok"


@router.get("/healthz", summary="The process is up")
async def healthz() -> Health:
    return Health()


@router.get(
    "/readyz",
    summary="The database answers",
    responses=problem_responses(503),
)
async def readyz(session: DbSession) -> Health:
    # An unreachable database raises here; core/http/errors.py makes it a 503.
    await session.execute(text("SELECT 1"))
    return Health()
