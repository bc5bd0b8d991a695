"""Each organisation's Teams posts reach its own channel only; a department's own webhook wins.

Two real HTTP servers on loopback stand in for two Teams channels; the posts go through the real path:
the service, the outbox, the Celery task and an HTTP POST.
"""

from __future__ import annotations

import datetime
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from ambassadors.services import event_create
from core.models import OutboxMessage
from programme.models import AnnualPlan
from programme.services import plan_publish, topic_set_status
from programme.tests.factories import AnnualPlanFactory, TopicFactory

pytestmark = pytest.mark.django_db


class Channel:
    """A stand-in Teams channel: records the title of every card posted to it."""

    def __init__(self) -> None:
        self.titles: list[str] = []
        channel = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                channel.titles.append(body["attachments"][0]["content"]["body"][0]["text"])
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str = "hook") -> str:
        return f"http://127.0.0.1:{self.server.server_port}/{path}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def channels():
    made = [Channel() for _ in range(3)]
    yield made
    for channel in made:
        channel.close()


def _event(organisation, officer, title: str) -> None:
    start = timezone.now() + datetime.timedelta(days=3)
    event_create(
        organisation=organisation,
        officer=officer,
        data={
            "kind": "meeting",
            "title": title,
            "starts_at": start,
            "ends_at": start + datetime.timedelta(hours=1),
            "location": "Stadhuis",
        },
    )


def test_each_organisations_posts_reach_only_its_own_channel(
    channels, org, other_org, officer, outsider, department_a, team_a, department_b, django_capture_on_commit_callbacks
):
    voorbeeld, naburig, burgerzaken = channels
    # Stored directly: the stand-ins speak plain HTTP on loopback, which the settings form (https only) refuses.
    org.teams_webhook_url = voorbeeld.url()
    org.save(update_fields=["teams_webhook_url"])
    other_org.teams_webhook_url = naburig.url()
    other_org.save(update_fields=["teams_webhook_url"])
    department_a.teams_webhook_url = burgerzaken.url()
    department_a.save(update_fields=["teams_webhook_url"])

    plan = AnnualPlanFactory(organisation=org, status=AnnualPlan.Status.PUBLISHED)
    other_plan = AnnualPlanFactory(organisation=other_org, status=AnnualPlan.Status.PUBLISHED)
    with django_capture_on_commit_callbacks(execute=True):
        topic_set_status(topic=TopicFactory(plan=plan, title="Voorbeeld: phishing"), status="published")
        topic_set_status(
            topic=TopicFactory(plan=plan, department=department_a, title="Burgerzaken: clean desk"),
            status="published",
        )
        # A team below Burgerzaken has no webhook of its own: the department above it wins over the organisation.
        topic_set_status(
            topic=TopicFactory(plan=plan, department=team_a, title="Team Balie: wachtwoorden"), status="published"
        )
        topic_set_status(
            topic=TopicFactory(plan=plan, department=department_b, title="Werk en Inkomen: AVG"), status="published"
        )
        topic_set_status(topic=TopicFactory(plan=other_plan, title="Naburig: phishing"), status="published")
        _event(org, officer, "Voorbeeld: ambassadeursoverleg")
        _event(other_org, outsider, "Naburig: ambassadeursoverleg")

    assert sorted(voorbeeld.titles) == ["Voorbeeld: ambassadeursoverleg", "Voorbeeld: phishing", "Werk en Inkomen: AVG"]
    assert sorted(burgerzaken.titles) == ["Burgerzaken: clean desk", "Team Balie: wachtwoorden"]
    assert sorted(naburig.titles) == ["Naburig: ambassadeursoverleg", "Naburig: phishing"]
    assert OutboxMessage.objects.filter(done_at__isnull=True).count() == 0


def test_the_outbox_holds_no_webhook(channels, org, officer, django_capture_on_commit_callbacks):
    secret = channels[0].url("webhookb2/SECRET-SIGNATURE")
    org.teams_webhook_url = secret
    org.save(update_fields=["teams_webhook_url"])
    with django_capture_on_commit_callbacks(execute=True):
        _event(org, officer, "Overleg")
    message = OutboxMessage.objects.get(task_name="core.tasks.post_to_teams")
    assert "SECRET-SIGNATURE" not in json.dumps(message.kwargs)
    assert channels[0].titles == ["Overleg"]


def test_a_plan_without_any_webhook_posts_nothing(org, django_capture_on_commit_callbacks):
    plan = AnnualPlanFactory(organisation=org)
    with django_capture_on_commit_callbacks(execute=True):
        plan_publish(plan=plan)
    assert not OutboxMessage.objects.exists()


def test_a_webhook_removed_before_sending_posts_nothing(channels, org, officer, django_capture_on_commit_callbacks):
    org.teams_webhook_url = channels[0].url()
    org.save(update_fields=["teams_webhook_url"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _event(org, officer, "Overleg")
    org.teams_webhook_url = ""
    org.save(update_fields=["teams_webhook_url"])
    for callback in callbacks:
        callback()
    assert channels[0].titles == []
    assert OutboxMessage.objects.get().done_at is not None


def test_a_failed_post_logs_no_webhook(org, officer, caplog, django_capture_on_commit_callbacks):
    from config.celery import app

    app.conf.task_eager_propagates = False
    org.teams_webhook_url = "http://127.0.0.1:9/webhookb2/SECRET-SIGNATURE"
    org.save(update_fields=["teams_webhook_url"])
    with django_capture_on_commit_callbacks(execute=True):
        _event(org, officer, "Overleg")
    assert "Teams post failed" in caplog.text
    assert "SECRET-SIGNATURE" not in caplog.text
