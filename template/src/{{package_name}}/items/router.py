import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Response, status

from ..core.database import DbSession
from ..core.http.errors import problem_responses
from ..core.listing import Listing, ListQuery, Page
from .models import Item
from .schemas import (
    ITEM_FILTER_FIELDS,
    ITEM_SORT_FIELDS,
    ItemCreate,
    ItemRead,
    ItemUpdate,
)
from .service import ItemService

router = APIRouter(prefix="/items", tags=["items"])


async def get_item_service(session: DbSession) -> ItemService:
    return ItemService(session)


Service = Annotated[ItemService, Depends(get_item_service)]
item_listing = Listing(ITEM_FILTER_FIELDS, ITEM_SORT_FIELDS)
ItemListQuery = Annotated[ListQuery, Depends(item_listing.parse)]


# FastAPI tries a router's routes in order on every request until one
# matches: reads, the bulk of most traffic, come first.
@router.get(
    "/{item_id}", response_model=ItemRead, responses=problem_responses(404, 422)
)
async def get_item(item_id: uuid.UUID, service: Service) -> Item:
    return await service.get(item_id)


@router.get(
    "",
    response_model=Page[ItemRead],
    responses=problem_responses(422),
    openapi_extra=item_listing.openapi,
)
async def list_items(query: ItemListQuery, service: Service) -> Page[ItemRead]:
    page = await service.page(query)
    return Page[ItemRead].from_result(page, query)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=ItemRead,
    responses=problem_responses(409, 422),
)
async def create_item(payload: ItemCreate, service: Service) -> Item:
    return await service.create(payload)


@router.patch(
    "/{item_id}", response_model=ItemRead, responses=problem_responses(404, 409, 422)
)
async def update_item(
    item_id: uuid.UUID, payload: ItemUpdate, service: Service
) -> Item:
    return await service.update(item_id, payload)


@router.delete(
    "/{item_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=problem_responses(404, 422),
)
async def delete_item(item_id: uuid.UUID, service: Service) -> None:
    await service.delete(item_id)


@router.post(
    "/{item_id}/restore",
    response_model=ItemRead,
    responses=problem_responses(404, 409, 422),
)
async def restore_item(item_id: uuid.UUID, service: Service) -> Item:
    return await service.restore(item_id)
