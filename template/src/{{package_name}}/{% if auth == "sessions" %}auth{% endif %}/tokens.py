import hashlib
import secrets

# 32 random bytes: 256 bits, beyond guessing.
TOKEN_BYTES = 32


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> bytes:
    """What the database keeps of a token. A token is random, not a password:
    one fast hash suffices to make a leaked table useless."""
    return hashlib.sha256(token.encode()).digest()
