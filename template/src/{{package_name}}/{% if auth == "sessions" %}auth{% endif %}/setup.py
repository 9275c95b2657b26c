"""Everything sign-in adds to the app, in one place.

`api.py` puts every API route behind `require_session`; this adds the rest:
the password hasher and settings the dependencies read, and the open routes
(sign-in and sign-out, registration and the signed-in user).
"""

from fastapi import FastAPI

from ..core.config import Settings
from ..users.router import router as users_router
from .passwords import Passwords
from .router import router as auth_router


def add_sign_in(app: FastAPI, settings: Settings) -> None:
    # Here, not in the lifespan: the tests serve the app without starting it.
    app.state.settings = settings
    app.state.passwords = Passwords(settings)
    app.include_router(auth_router)
    app.include_router(users_router)
