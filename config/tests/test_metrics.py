"""/metrics: only the configured scraper reads it; latency per view, the outbox, mailings, failed tasks, the rollup."""

from __future__ import annotations

import datetime

import pytest
from celery import shared_task
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from core.models import OutboxMessage
from core.outbox import MAX_ATTEMPTS

pytestmark = pytest.mark.django_db

TOKEN = "scrape-token-0123456789abcdef0123456789"


@shared_task(name="config.tests.test_metrics.always_fails")
def always_fails() -> None:
    raise RuntimeError("this task fails on purpose")


@pytest.fixture
def scraper(settings, client):
    settings.METRICS_TOKEN = TOKEN
    settings.METRICS_ALLOWED_IPS = []

    def scrape() -> dict[tuple[str, tuple], float]:
        response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/plain; version=")
        samples = {}
        for family in text_string_to_metric_families(response.content.decode()):
            for sample in family.samples:
                samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
        return samples

    return scrape


def test_without_a_token_or_addresses_there_are_no_metrics(client, settings):
    settings.METRICS_TOKEN, settings.METRICS_ALLOWED_IPS = "", []
    assert client.get("/metrics").status_code == 404


def test_only_the_scraper_s_token_reads_them(client, settings, officer, login):
    settings.METRICS_TOKEN, settings.METRICS_ALLOWED_IPS = TOKEN, []
    missing = client.get("/metrics")
    assert missing.status_code == 401 and missing["WWW-Authenticate"].startswith("Bearer")
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}x").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Basic {TOKEN}").status_code == 401
    login(client, officer)  # a signed-in user is not the scraper
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 200


def test_only_the_scraper_s_addresses_read_them(client, settings):
    settings.METRICS_TOKEN, settings.METRICS_ALLOWED_IPS = "", ["10.20.0.0/16", "192.0.2.7"]
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 403
    assert client.get("/metrics", REMOTE_ADDR="10.20.3.4").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="192.0.2.7").status_code == 200
    # Behind one proxy of our own the scraper is the address the proxy saw; what the client wrote is not believed.
    settings.TRUSTED_PROXY_COUNT = 1
    forged = client.get("/metrics", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="10.20.3.4, 203.0.113.9")
    assert forged.status_code == 403
    through_proxy = client.get("/metrics", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9, 10.20.3.4")
    assert through_proxy.status_code == 200


def test_with_both_the_token_and_the_address_must_hold(client, settings):
    settings.METRICS_TOKEN, settings.METRICS_ALLOWED_IPS = TOKEN, ["10.20.0.0/16"]
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 403
    assert client.get("/metrics", REMOTE_ADDR="10.20.3.4").status_code == 401
    assert client.get("/metrics", REMOTE_ADDR="10.20.3.4", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 200


def test_request_latency_is_measured_per_view(scraper, client):
    key = (
        "ambassadeurs_http_request_duration_seconds_count",
        (("method", "GET"), ("status", "2xx"), ("view", "health")),
    )
    before = scraper().get(key, 0)
    client.get("/health/")
    client.get("/health/")
    after = scraper()
    assert after[key] == before + 2
    login_page = (
        "ambassadeurs_http_request_duration_seconds_count",
        (("method", "GET"), ("status", "2xx"), ("view", "account_login")),
    )
    client.get("/accounts/login/")
    assert scraper()[login_page] == after.get(login_page, 0) + 1


def test_the_outbox_backlog_the_given_up_and_the_oldest(scraper):
    now = timezone.now()
    for index in range(2):
        OutboxMessage.objects.create(task_name="accounts.tasks.send_invitation", key=f"inv-{index}")
    OutboxMessage.objects.create(task_name="accounts.tasks.send_invitation", key="inv-done", done_at=now)
    stuck = OutboxMessage.objects.create(task_name="core.tasks.post_to_teams", key="teams-1", attempts=MAX_ATTEMPTS)
    OutboxMessage.objects.filter(pk=stuck.pk).update(created_at=now - datetime.timedelta(hours=2))
    samples = scraper()
    assert samples[("ambassadeurs_outbox_backlog", (("task", "accounts.tasks.send_invitation"),))] == 2
    assert samples[("ambassadeurs_outbox_backlog", (("task", "core.tasks.post_to_teams"),))] == 1
    assert samples[("ambassadeurs_outbox_given_up", ())] == 1
    assert 7200 <= samples[("ambassadeurs_outbox_oldest_age_seconds", ())] < 7300


def test_an_empty_outbox_has_no_backlog(scraper):
    samples = scraper()
    assert samples[("ambassadeurs_outbox_given_up", ())] == 0
    assert samples[("ambassadeurs_outbox_oldest_age_seconds", ())] == 0
    assert not [key for key in samples if key[0] == "ambassadeurs_outbox_backlog"]


def test_the_progress_of_a_mailing_being_sent(scraper, org, officer, ambassador_a, manager_a, staff_b):
    from programme.models import MailingRecipient, QuarterlyMailing

    now = timezone.now()
    sending = QuarterlyMailing.objects.create(
        organisation=org, year=2026, quarter=4, subject="Q4", body="...", started_at=now
    )
    statuses = MailingRecipient.Status
    for user, status in ((officer, statuses.SENT), (ambassador_a, statuses.SENT), (manager_a, statuses.PENDING)):
        MailingRecipient.objects.create(mailing=sending, user=user, status=status)
    MailingRecipient.objects.create(mailing=sending, user=staff_b, status=statuses.FAILED)
    long_done = QuarterlyMailing.objects.create(
        organisation=org,
        year=2026,
        quarter=3,
        subject="Q3",
        body="...",
        started_at=now - datetime.timedelta(days=60),
        sent_at=now - datetime.timedelta(days=59),
    )
    MailingRecipient.objects.create(mailing=long_done, user=officer, status=statuses.SENT)
    samples = scraper()
    progress = {
        dict(labels)["status"]: value
        for (name, labels), value in samples.items()
        if name == "ambassadeurs_mailing_recipients"
    }
    assert progress == {"sent": 2, "pending": 1, "failed": 1}
    labels = next(labels for (name, labels) in samples if name == "ambassadeurs_mailing_recipients")
    assert dict(labels) | {"status": "-"} == {"organisation": org.slug, "year": "2026", "quarter": "4", "status": "-"}


def test_failed_tasks_are_counted_across_workers(scraper):
    key = ("ambassadeurs_celery_task_failures_total", (("task", "config.tests.test_metrics.always_fails"),))
    assert scraper()[key] == 0
    for _ in range(2):
        always_fails.apply(throw=False)
    assert scraper()[key] == 2
    # A task that never failed is shown at 0, so a first failure is an increase Prometheus sees.
    assert scraper()[("ambassadeurs_celery_task_failures_total", (("task", "core.tasks.sweep_outbox"),))] == 0


def test_the_age_of_each_organisation_s_rollup(scraper, org, other_org):
    from evaluation.models import Rollup

    now = timezone.now()
    Rollup.objects.create(organisation=org, computed_at=now - datetime.timedelta(seconds=300), since=now.date())
    Rollup.objects.create(organisation=other_org, computed_at=now - datetime.timedelta(hours=2), since=now.date())
    samples = scraper()
    assert 300 <= samples[("ambassadeurs_dashboard_rollup_age_seconds", (("organisation", org.slug),))] < 360
    assert 7200 <= samples[("ambassadeurs_dashboard_rollup_age_seconds", (("organisation", other_org.slug),))] < 7260


def test_a_scrape_costs_the_same_queries_however_many_rows(scraper, org, django_assert_max_num_queries):
    from evaluation.models import Rollup

    with django_assert_max_num_queries(3):
        scraper()
    for index in range(30):
        OutboxMessage.objects.create(task_name=f"app.tasks.task_{index % 5}", key=f"k-{index}")
    Rollup.objects.create(organisation=org, computed_at=timezone.now(), since=timezone.localdate())
    with django_assert_max_num_queries(3):
        scraper()
