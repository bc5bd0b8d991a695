"""Save first, queue after commit, never lose follow-up work.

``enqueue()`` records an :class:`OutboxMessage` in the caller's transaction
and dispatches it to Celery once that transaction commits. When the broker
is unreachable the submission still succeeds; ``sweep()`` (run by beat)
dispatches whatever has not been done.
"""

from __future__ import annotations

import importlib
import logging
import time
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from core.models import OutboxMessage

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 20
REDISPATCH_AFTER = timedelta(minutes=5)


def enqueue(task_name: str, *, key: str, **kwargs: Any) -> OutboxMessage:
    """Record follow-up work under a unique key and dispatch it after commit.

    ``task_name`` is the dotted path of a Celery task that accepts
    ``outbox_id`` plus ``kwargs``. Enqueueing the same key twice records it once.
    """
    message, created = OutboxMessage.objects.get_or_create(key=key, defaults={"task_name": task_name, "kwargs": kwargs})
    if created:
        transaction.on_commit(lambda: dispatch(message.pk))
    return message


def _task(task_name: str):
    module_name, _, attr = task_name.rpartition(".")
    return getattr(importlib.import_module(module_name), attr)


# After a failed dispatch the broker is presumed down for a while: later submissions do not
# wait for it again but leave their work to the sweep.
BROKER_BACKOFF_SECONDS = 30.0
_broker_down_until = 0.0


def _publish(task, kwargs: dict[str, Any]) -> None:
    """Publish once, failing fast: a user's request must never wait on an unreachable broker."""
    app = task.app
    if app.conf.task_always_eager:
        task.apply_async(kwargs=kwargs)
        return
    with app.connection_for_write(connect_timeout=2) as connection:
        connection.ensure_connection(max_retries=0)
        task.apply_async(kwargs=kwargs, connection=connection, retry=False)


def dispatch(message_id: int) -> bool:
    """Hand one outbox message to the broker; False (and logged) when the broker is down."""
    global _broker_down_until
    message = OutboxMessage.objects.filter(pk=message_id, done_at__isnull=True).first()
    if message is None:
        return False
    task = _task(message.task_name)
    eager = task.app.conf.task_always_eager
    if not eager and time.monotonic() < _broker_down_until:
        return False
    OutboxMessage.objects.filter(pk=message.pk).update(attempts=F("attempts") + 1, dispatched_at=timezone.now())
    try:
        _publish(task, {**message.kwargs, "outbox_id": message.pk})
    except Exception as exc:  # noqa: BLE001 - any broker failure must not reach the user
        logger.warning("outbox dispatch failed for %s: %s", message.key, type(exc).__name__)
        OutboxMessage.objects.filter(pk=message.pk).update(dispatched_at=None, last_error=type(exc).__name__)
        if not eager:
            _broker_down_until = time.monotonic() + BROKER_BACKOFF_SECONDS
        return False
    return True


def broker_back() -> None:
    """Forget a presumed outage (the sweep calls this: it runs in a worker, so the broker is up)."""
    global _broker_down_until
    _broker_down_until = 0.0


def mark_done(outbox_id: int | None) -> None:
    if outbox_id is not None:
        OutboxMessage.objects.filter(pk=outbox_id, done_at__isnull=True).update(done_at=timezone.now())


def is_done(outbox_id: int | None) -> bool:
    return outbox_id is not None and OutboxMessage.objects.filter(pk=outbox_id, done_at__isnull=False).exists()


def pending() -> list[int]:
    """Messages not done that were never dispatched, or dispatched long enough ago to be presumed lost."""
    cutoff = timezone.now() - REDISPATCH_AFTER
    return list(
        OutboxMessage.objects.filter(done_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
        .filter(Q(dispatched_at__isnull=True) | Q(dispatched_at__lt=cutoff))
        .values_list("pk", flat=True)[:1000]
    )


def sweep() -> int:
    """Dispatch every pending message; returns how many went to the broker."""
    broker_back()
    return sum(1 for message_id in pending() if dispatch(message_id))
