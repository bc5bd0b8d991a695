"""Save first, queue after commit, never lose follow-up work.

``enqueue()`` records an :class:`OutboxMessage` in the caller's transaction
and dispatches it to Celery once that transaction commits, all messages of one
transaction on one broker connection. When the broker
is unreachable the submission still succeeds; ``sweep()`` (run by beat)
dispatches whatever has not been done.
"""

from __future__ import annotations

import importlib
import logging
import threading
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
        _batch().append(message.pk)
    return message


class _Batch:
    """The messages of one transaction, dispatched together after its commit on one broker connection."""

    def __init__(self) -> None:
        self.ids: list[int] = []
        self.ran = False

    def append(self, message_id: int) -> None:
        self.ids.append(message_id)

    def __call__(self) -> None:
        self.ran = True
        ids, self.ids = self.ids, []
        if ids:
            dispatch_many(ids)


_local = threading.local()


def _batch() -> _Batch:
    """This thread's batch while its transaction still holds the batch's commit hook, else a new one.

    A rolled-back transaction drops the hook (and its batch with it); outside a transaction the hook runs at
    once, so each message goes on its own.
    """
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return _Immediate()
    batch = getattr(_local, "batch", None)
    # A batch whose hook already ran (callbacks run early, as a test's captured ones do) takes no more messages.
    if batch is None or batch.ran or not any(entry[1] is batch for entry in connection.run_on_commit):
        batch = _local.batch = _Batch()
        transaction.on_commit(batch)
    return batch


class _Immediate(_Batch):
    def append(self, message_id: int) -> None:
        transaction.on_commit(lambda: dispatch(message_id))


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
    return dispatch_many([message_id]) == 1


def dispatch_many(message_ids: list[int]) -> int:
    """Hand these outbox messages to the broker on one connection; returns how many went.

    Fails fast as ``dispatch`` does: one attempt to connect, no retries; on a failure the messages not yet
    published are left to the sweep and later submissions do not wait for the broker for a while.
    """
    global _broker_down_until
    messages = list(OutboxMessage.objects.filter(pk__in=message_ids, done_at__isnull=True).order_by("pk"))
    if not messages:
        return 0
    tasks = [_task(message.task_name) for message in messages]
    app = tasks[0].app
    eager = app.conf.task_always_eager
    if not eager and time.monotonic() < _broker_down_until:
        return 0
    OutboxMessage.objects.filter(pk__in=[m.pk for m in messages]).update(
        attempts=F("attempts") + 1, dispatched_at=timezone.now()
    )
    sent = 0
    try:
        if eager:
            for message, task in zip(messages, tasks, strict=True):
                _publish(task, {**message.kwargs, "outbox_id": message.pk})
                sent += 1
        else:
            with app.connection_for_write(connect_timeout=2) as connection:
                connection.ensure_connection(max_retries=0)
                for message, task in zip(messages, tasks, strict=True):
                    task.apply_async(
                        kwargs={**message.kwargs, "outbox_id": message.pk}, connection=connection, retry=False
                    )
                    sent += 1
    except Exception as exc:  # noqa: BLE001 - any broker failure must not reach the user
        unsent = messages[sent:]
        logger.warning("outbox dispatch failed for %s: %s", ", ".join(m.key for m in unsent), type(exc).__name__)
        OutboxMessage.objects.filter(pk__in=[m.pk for m in unsent]).update(
            dispatched_at=None, last_error=type(exc).__name__
        )
        if not eager:
            _broker_down_until = time.monotonic() + BROKER_BACKOFF_SECONDS
    return sent


def broker_back() -> None:
    """Forget a presumed outage (the sweep calls this: it runs in a worker, so the broker is up)."""
    global _broker_down_until
    _broker_down_until = 0.0


def hand_over(outbox_id: int | None) -> None:
    """Record that the work is being handed to the outside (a post); ``mark_done`` once it was accepted.

    A worker that dies in between leaves it handed over and not done: unknown. The sweep dispatches it again
    (``REDISPATCH_AFTER``), so it is done once more rather than lost.
    """
    if outbox_id is not None:
        OutboxMessage.objects.filter(pk=outbox_id, done_at__isnull=True).update(handed_over_at=timezone.now())


def mark_done(outbox_id: int | None) -> None:
    """The work was accepted by whoever had to take it (the mail server's 250, the webhook's 2xx): done."""
    if outbox_id is not None:
        OutboxMessage.objects.filter(pk=outbox_id, done_at__isnull=True).update(done_at=timezone.now())


def status_counts() -> dict[str, int]:
    """Outbox work: done (accepted), unknown (handed over, never confirmed), pending (not yet handed over)."""
    from django.db.models import Count

    return OutboxMessage.objects.aggregate(
        done=Count("pk", filter=Q(done_at__isnull=False)),
        unknown=Count("pk", filter=Q(done_at__isnull=True, handed_over_at__isnull=False)),
        pending=Count("pk", filter=Q(done_at__isnull=True, handed_over_at__isnull=True)),
    )


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
