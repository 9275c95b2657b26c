import os
import time
import uuid

_VERSION_MASK = 0xF << 76
_VARIANT_MASK = 0x3 << 62


def uuid7() -> uuid.UUID:
    """A time-ordered UUID (RFC 9562, version 7).

    The first 48 bits are the Unix time in milliseconds, so keys created later sort
    later and B-tree inserts stay at the right edge of the index.
    """
    timestamp_ms = time.time_ns() // 1_000_000
    value = (timestamp_ms << 80) | int.from_bytes(os.urandom(10), "big")
    value = (value & ~_VERSION_MASK) | (0x7 << 76)
    value = (value & ~_VARIANT_MASK) | (0x2 << 62)
    return uuid.UUID(int=value)
