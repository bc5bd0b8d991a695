"""Readiness of the parts the app depends on, cheap enough for a load balancer to ask every few seconds.

- database down: ``unavailable`` (HTTP 503); nothing can be saved;
- broker down: ``degraded`` (HTTP 200); submissions are saved and the outbox sends their work later;
- cache down or running on the per-process fallback: ``degraded`` (HTTP 200) with a warning: rate limits,
  submission tokens and locks hold per process only.

No check reads any data: a ``SELECT 1``, one cache round trip, one broker connection.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db import connection

from core.cache import fallback_status

OK, DEGRADED, UNAVAILABLE = "ok", "degraded", "unavailable"


def check_database() -> dict[str, Any]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means the database cannot be used
        return {"status": UNAVAILABLE, "error": type(exc).__name__}
    return {"status": OK}


def check_cache() -> dict[str, Any]:
    if hasattr(cache, "probe"):
        if not cache.probe():
            status = fallback_status()
            return {
                "status": DEGRADED,
                "error": status["error"],
                "warning": "cache unreachable: running on the local per-process fallback "
                "(rate limits, submission tokens and locks hold per process only)",
            }
        return {"status": OK}
    try:
        cache.get("health:probe")
    except Exception as exc:  # noqa: BLE001
        return {"status": DEGRADED, "error": type(exc).__name__, "warning": "cache unreachable"}
    return {"status": OK}


def check_broker() -> dict[str, Any]:
    from celery import current_app as app

    if app.conf.task_always_eager:
        return {"status": OK}
    try:
        with app.connection_for_read(connect_timeout=1) as conn:
            conn.ensure_connection(max_retries=0, timeout=1)
    except Exception as exc:  # noqa: BLE001 - any failure: work waits in the outbox
        return {
            "status": DEGRADED,
            "error": type(exc).__name__,
            "warning": "broker unreachable: submissions are saved, their mails and alerts wait in the outbox",
        }
    return {"status": OK}


def readiness() -> tuple[int, dict[str, Any]]:
    """The HTTP status and body of ``/health/``."""
    checks = {"database": check_database(), "cache": check_cache(), "broker": check_broker()}
    statuses = {check["status"] for check in checks.values()}
    if checks["database"]["status"] != OK:
        overall, code = UNAVAILABLE, 503
    elif statuses != {OK}:
        overall, code = DEGRADED, 200
    else:
        overall, code = OK, 200
    return code, {"status": overall, "checks": checks}
