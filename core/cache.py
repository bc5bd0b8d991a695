"""The shared cache (Redis), falling back to a per-process memory cache while Redis cannot be reached.

Every use of the cache keeps working during a Redis outage, within one process:

- rate limits (allauth's sign-in, password reset and MFA limits, the feedback
  limit) count per process: weaker, never "no limit";
- TOTP replay markers refuse a replayed code within the same process;
- submission tokens (``core.submissions``) catch a double click on the same process;
- locks (``core.locks``) keep two runs apart within a process; scheduled jobs are
  idempotent (keyed mails), so two processes that both run one never mail twice;
- dashboard aggregates are recomputed per process.

The outage is logged once as a warning and shown on ``/health/`` as degraded. Redis
is tried again after ``FALLBACK_RETRY_SECONDS``, so a request waits on an unreachable
server at most once per interval, never on every call.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

_UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)

# Shared by every thread of the process: Django makes one cache object per thread.
_state_lock = threading.Lock()
_state: dict[str, Any] = {"down_until": 0.0, "down_since": None, "error": ""}


def fallback_status() -> dict[str, Any]:
    """Whether this process is running on the local fallback, since when (epoch seconds) and why."""
    with _state_lock:
        return {"degraded": _state["down_since"] is not None, "since": _state["down_since"], "error": _state["error"]}


def _reset_state() -> None:
    with _state_lock:
        _state.update(down_until=0.0, down_since=None, error="")


class FallbackRedisCache(RedisCache):
    """Redis, or a per-process ``LocMemCache`` while Redis is unreachable; never raises for an outage."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        params = dict(params)
        options = dict(params.get("OPTIONS", {}))
        self.retry_seconds = float(options.pop("FALLBACK_RETRY_SECONDS", 10))
        options.setdefault("socket_connect_timeout", 1)
        options.setdefault("socket_timeout", 1)
        params["OPTIONS"] = options
        super().__init__(server, params)
        self._local = LocMemCache(
            "core-cache-fallback",
            {"TIMEOUT": params.get("TIMEOUT", 300), "KEY_PREFIX": params.get("KEY_PREFIX", ""), "OPTIONS": {}},
        )

    def _down(self, exc: BaseException) -> None:
        with _state_lock:
            first = _state["down_since"] is None
            _state["down_until"] = time.monotonic() + self.retry_seconds
            _state["error"] = type(exc).__name__
            if first:
                _state["down_since"] = time.time()
        if first:
            logger.warning(
                "cache unreachable (%s): rate limits, submission tokens, locks and TOTP replay markers now hold "
                "per process only, until Redis answers again",
                type(exc).__name__,
            )

    def _call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        with _state_lock:
            skip = time.monotonic() < _state["down_until"]
        if not skip:
            try:
                result = getattr(super(), name)(*args, **kwargs)
            except _UNREACHABLE as exc:
                self._down(exc)
            else:
                with _state_lock:
                    recovered = _state["down_since"] is not None
                    _state.update(down_until=0.0, down_since=None, error="")
                if recovered:
                    logger.warning("cache reachable again: shared limits and locks are back")
                return result
        return getattr(self._local, name)(*args, **kwargs)

    def probe(self) -> bool:
        """Ask Redis itself (not the fallback) whether it answers; the health check's one round trip."""
        try:
            super().get("health:probe")
        except _UNREACHABLE as exc:
            self._down(exc)
            return False
        with _state_lock:
            _state.update(down_until=0.0, down_since=None, error="")
        return True

    def add(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("add", *args, **kwargs)

    def get(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("get", *args, **kwargs)

    def set(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("set", *args, **kwargs)

    def touch(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("touch", *args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("delete", *args, **kwargs)

    def get_many(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("get_many", *args, **kwargs)

    def has_key(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("has_key", *args, **kwargs)

    def incr(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("incr", *args, **kwargs)

    def set_many(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("set_many", *args, **kwargs)

    def delete_many(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("delete_many", *args, **kwargs)

    def clear(self) -> Any:
        self._local.clear()
        return self._call("clear")
