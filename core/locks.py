"""A lock in the shared cache (Redis in production) so that scheduled work never runs twice at once."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.cache import cache


@contextmanager
def single_run(name: str, ttl: int = 600) -> Iterator[bool]:
    """Yields True for the one caller that holds the lock, False for any concurrent caller.

    Two beats, or two workers picking up the same periodic task, both enter; only
    one does the work. The lock expires after ``ttl`` seconds should its holder die.
    """
    key = f"lock:{name}"
    token = uuid.uuid4().hex
    acquired = cache.add(key, token, timeout=ttl)
    try:
        yield acquired
    finally:
        if acquired and cache.get(key) == token:
            cache.delete(key)
