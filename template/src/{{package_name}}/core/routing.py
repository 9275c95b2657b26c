"""The API's routers, each included in the app on its own."""

from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter, FastAPI, params


class RouterGroup:
    """Routers that share a path prefix, dependencies and responses.

    Written as an APIRouter that includes them would be (`include_router`,
    the same arguments), and the app gets the same routes; but each router is
    included in the app directly. FastAPI matches a request again at every
    level of included routers, and one level less costs a read about 7% less
    (README, Performance). Routes go in the routers, not in the group.
    """

    def __init__(
        self,
        *,
        prefix: str = "",
        dependencies: Sequence[params.Depends] = (),
        responses: dict[int | str, dict[str, Any]] | None = None,
    ) -> None:
        self.prefix = prefix
        self.dependencies = list(dependencies)
        self.responses = dict(responses or {})
        self.routers: list[tuple[APIRouter, dict[str, Any]]] = []
        # Holding no app: tests create many.
        self._included = False

    def include_router(
        self,
        router: APIRouter,
        *,
        prefix: str = "",
        dependencies: Sequence[params.Depends] = (),
        responses: dict[int | str, dict[str, Any]] | None = None,
        **options: Any,
    ) -> None:
        """As `APIRouter.include_router`; must come before `include_in`."""
        if self._included:
            raise RuntimeError(
                "include_router() after this group was included in an app: "
                "the app would not serve the router's routes. Include every "
                "router in the group first (api.py)."
            )
        options = {
            "prefix": self.prefix + prefix,
            "dependencies": [*self.dependencies, *dependencies],
            "responses": {**self.responses, **(responses or {})},
            **options,
        }
        self.routers.append((router, options))

    def include_in(self, app: FastAPI) -> None:
        """Includes every router of the group in `app`, in the order given."""
        for router, options in self.routers:
            app.include_router(router, **options)
        self._included = True
