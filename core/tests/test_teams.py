"""Teams posts against a local HTTP server standing in for the webhook."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from core import outbox
from core.models import OutboxMessage
from core.tasks import post_to_teams

pytestmark = pytest.mark.django_db


class _Hook(BaseHTTPRequestHandler):
    received: list[dict] = []
    fail_next = 0

    def do_POST(self):
        length = int(self.headers["Content-Length"])
        body = json.loads(self.rfile.read(length))
        if _Hook.fail_next:
            _Hook.fail_next -= 1
            self.send_response(502)
        else:
            _Hook.received.append(body)
            self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def webhook():
    _Hook.received = []
    _Hook.fail_next = 0
    server = HTTPServer(("127.0.0.1", 0), _Hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/webhook"
    server.shutdown()


def _hooked(org, url):
    org.teams_webhook_url = url
    org.save(update_fields=["teams_webhook_url"])
    return org.pk


def test_a_card_is_posted(webhook, org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        outbox.enqueue(
            "core.tasks.post_to_teams",
            key="teams:1",
            organisation_id=_hooked(org, webhook),
            title="Nieuw onderwerp",
            text="Phishing",
            url="https://x.test/",
        )
    card = _Hook.received[0]["attachments"][0]["content"]
    assert card["body"][0]["text"] == "Nieuw onderwerp"
    assert OutboxMessage.objects.get(key="teams:1").done_at is not None


def test_a_failing_webhook_is_retried_and_posted_once(webhook, org, django_capture_on_commit_callbacks):
    from config.celery import app

    app.conf.task_eager_propagates = False
    _Hook.fail_next = 1
    with django_capture_on_commit_callbacks(execute=True):
        outbox.enqueue(
            "core.tasks.post_to_teams", key="teams:2", organisation_id=_hooked(org, webhook), title="T", text="x"
        )
    assert len(_Hook.received) == 1
    assert OutboxMessage.objects.get(key="teams:2").done_at is not None
    OutboxMessage.objects.filter(key="teams:2").update(dispatched_at=None)
    outbox.sweep()
    assert len(_Hook.received) == 1  # done work is never posted again


def test_the_task_retries_network_errors_with_backoff():
    assert OSError in post_to_teams.autoretry_for
    assert post_to_teams.retry_backoff and post_to_teams.max_retries >= 5


def test_an_unreachable_webhook_leaves_the_work_pending(org, django_capture_on_commit_callbacks):
    from config.celery import app

    app.conf.task_eager_propagates = False
    with django_capture_on_commit_callbacks(execute=True):
        outbox.enqueue(
            "core.tasks.post_to_teams",
            key="teams:3",
            organisation_id=_hooked(org, "http://127.0.0.1:9/nope"),
            title="T",
            text="x",
        )
    assert OutboxMessage.objects.get(key="teams:3").done_at is None


def test_a_published_topic_and_a_new_event_are_announced(org, officer, django_capture_on_commit_callbacks, monkeypatch):
    import datetime

    from django.utils import timezone

    from ambassadors.services import event_create
    from programme.models import AnnualPlan
    from programme.services import topic_set_status
    from programme.tests.factories import AnnualPlanFactory, TopicFactory

    posted = []
    monkeypatch.setattr(
        "core.teams.post",
        lambda url, payload: posted.append(payload["attachments"][0]["content"]["body"][0]["text"]) or 200,
    )
    _hooked(org, "https://teams.example/webhook")
    plan = AnnualPlanFactory(organisation=org, status=AnnualPlan.Status.PUBLISHED)
    topic = TopicFactory(plan=plan, title="Phishing herkennen")
    with django_capture_on_commit_callbacks(execute=True):
        topic_set_status(topic=topic, status="published")
        topic_set_status(topic=topic, status="published")  # already published: no second card
        start = timezone.now() + datetime.timedelta(days=3)
        event_create(
            organisation=org,
            officer=officer,
            data={
                "kind": "meeting",
                "title": "Ambassadeursoverleg",
                "starts_at": start,
                "ends_at": start + datetime.timedelta(hours=1),
                "location": "Stadhuis",
            },
        )
    assert posted == ["Phishing herkennen", "Ambassadeursoverleg"]


def test_nothing_is_announced_without_a_webhook(org, django_capture_on_commit_callbacks):
    from programme.models import AnnualPlan
    from programme.services import topic_set_status
    from programme.tests.factories import AnnualPlanFactory, TopicFactory

    topic = TopicFactory(plan=AnnualPlanFactory(organisation=org, status=AnnualPlan.Status.PUBLISHED))
    with django_capture_on_commit_callbacks(execute=True):
        topic_set_status(topic=topic, status="published")
    assert not OutboxMessage.objects.exists()
