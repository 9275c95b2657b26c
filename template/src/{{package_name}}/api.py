from fastapi import APIRouter

from .core.errors import problem_responses
from .items.router import router as items_router

api_router = APIRouter(prefix="/api/v1", responses=problem_responses(503))
api_router.include_router(items_router)
