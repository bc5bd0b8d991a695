import pytest
from celery import shared_task

from core import outbox
from core.models import OutboxMessage

pytestmark = pytest.mark.django_db

CALLS: list[dict] = []


@shared_task(name="core.tests.test_outbox.record")
def record(*, value: str, outbox_id: int | None = None) -> None:
    CALLS.append({"value": value})
    outbox.mark_done(outbox_id)


@pytest.fixture(autouse=True)
def _reset():
    CALLS.clear()


def test_enqueue_dispatches_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox.enqueue("core.tests.test_outbox.record", key="k1", value="a")
        assert CALLS == []  # nothing before the commit
    assert CALLS == [{"value": "a"}]
    message.refresh_from_db()
    assert message.done_at is not None and message.attempts == 1


def test_the_same_key_is_recorded_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        outbox.enqueue("core.tests.test_outbox.record", key="k1", value="a")
        outbox.enqueue("core.tests.test_outbox.record", key="k1", value="a")
    assert OutboxMessage.objects.count() == 1 and len(CALLS) == 1


def test_a_broker_failure_keeps_the_message_for_the_sweep(monkeypatch, django_capture_on_commit_callbacks):
    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr(record, "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        outbox.enqueue("core.tests.test_outbox.record", key="k2", value="b")
    message = OutboxMessage.objects.get(key="k2")
    assert message.done_at is None and message.dispatched_at is None
    assert message.last_error == "ConnectionRefusedError"
    monkeypatch.undo()
    assert outbox.sweep() == 1
    assert CALLS == [{"value": "b"}]
    assert outbox.sweep() == 0  # done: never sent again


def test_the_sweep_skips_recent_dispatches_and_done_messages():
    OutboxMessage.objects.create(task_name="core.tests.test_outbox.record", key="done", kwargs={"value": "x"})
    outbox.mark_done(OutboxMessage.objects.get(key="done").pk)
    from django.utils import timezone

    OutboxMessage.objects.create(
        task_name="core.tests.test_outbox.record", key="recent", kwargs={"value": "y"}, dispatched_at=timezone.now()
    )
    assert outbox.pending() == []


def test_the_messages_of_one_transaction_go_to_the_broker_together(monkeypatch, django_capture_on_commit_callbacks):
    batches: list[list[int]] = []
    real = outbox.dispatch_many
    monkeypatch.setattr(outbox, "dispatch_many", lambda ids: batches.append(list(ids)) or real(ids))
    with django_capture_on_commit_callbacks(execute=True):
        first = outbox.enqueue("core.tests.test_outbox.record", key="t1", value="a")
        second = outbox.enqueue("core.tests.test_outbox.record", key="t2", value="b")
    assert batches == [[first.pk, second.pk]]
    assert sorted(call["value"] for call in CALLS) == ["a", "b"]
    assert not OutboxMessage.objects.filter(done_at__isnull=True).exists()


def test_a_rolled_back_savepoint_takes_its_message_along(django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True):
        outbox.enqueue("core.tests.test_outbox.record", key="kept", value="kept")
        try:
            with transaction.atomic():
                outbox.enqueue("core.tests.test_outbox.record", key="gone", value="gone")
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
        outbox.enqueue("core.tests.test_outbox.record", key="after", value="after")
    assert sorted(call["value"] for call in CALLS) == ["after", "kept"]
    assert set(OutboxMessage.objects.values_list("key", flat=True)) == {"kept", "after"}


def test_a_broker_failure_mid_batch_leaves_the_rest_for_the_sweep(monkeypatch, django_capture_on_commit_callbacks):
    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr(record, "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        outbox.enqueue("core.tests.test_outbox.record", key="m1", value="a")
        outbox.enqueue("core.tests.test_outbox.record", key="m2", value="b")
    assert set(OutboxMessage.objects.filter(dispatched_at__isnull=True).values_list("key", flat=True)) == {"m1", "m2"}
    monkeypatch.undo()
    assert outbox.sweep() == 2
    assert sorted(call["value"] for call in CALLS) == ["a", "b"]
