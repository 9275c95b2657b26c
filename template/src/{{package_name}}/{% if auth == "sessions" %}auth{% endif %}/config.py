"""Sign-in's settings. `core.config.Settings` derives from `AuthSettings`, so
they are read with the rest, from the environment and then from `.env`."""

from typing import Self

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings


class AuthSettings(BaseSettings):
    # Sessions (seconds): a session ends at its absolute age, or after this long
    # unused, whichever comes first.
    session_lifetime: int = Field(default=14 * 24 * 3600, gt=0)
    session_idle_timeout: int = Field(default=24 * 3600, gt=0)
    # Sign-in throttling: past this many failures within the window, per email
    # and per client address, sign-in answers 429 until the oldest ages out.
    login_failure_window: int = Field(default=15 * 60, gt=0)
    login_max_failures_per_email: int = Field(default=5, ge=1)
    login_max_failures_per_address: int = Field(default=50, ge=1)
    # Argon2id cost (RFC 9106's second recommendation by default). Changing it
    # rehashes each password at its next sign-in.
    password_hash_time_cost: int = Field(default=3, ge=1)
    password_hash_memory_kib: int = Field(default=64 * 1024, ge=8)
    password_hash_parallelism: int = Field(default=4, ge=1)
    # Hashes run in this many threads at most, off the event loop; more wait.
    password_hash_workers: int = Field(default=2, ge=1)

    @model_validator(mode="after")
    def _argon2_memory_fits_its_lanes(self) -> Self:
        # Argon2 needs 8 KiB per lane; refused here, by name, not at startup.
        if self.password_hash_memory_kib < 8 * self.password_hash_parallelism:
            raise ValueError(
                "PASSWORD_HASH_MEMORY_KIB must be at least 8 times "
                "PASSWORD_HASH_PARALLELISM (Argon2 needs 8 KiB per lane)"
            )
        return self
