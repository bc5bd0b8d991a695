"""Prometheus metrics at ``/metrics``, for the configured scraper only (prometheus-client).

- request latency per view: ``ambassadeurs_http_request_duration_seconds{view,method,status}`` (a histogram, by the
  URL's name, never its path, so the labels stay few), measured by ``RequestLatencyMiddleware`` around everything
  but the request id;
- the outbox: ``ambassadeurs_outbox_backlog{task}`` (follow-up work not yet done), ``ambassadeurs_outbox_given_up``
  (dispatched ``MAX_ATTEMPTS`` times and never done) and ``ambassadeurs_outbox_oldest_age_seconds``;
- the quarterly mailings being sent (and those finished within a day):
  ``ambassadeurs_mailing_recipients{organisation,year,quarter,status}``;
- failed Celery tasks: ``ambassadeurs_celery_task_failures_total{task}``, counted by every worker in the shared
  cache (config/celery.py), so one scrape of any web server sees all workers;
- the dashboards' rollup: ``ambassadeurs_dashboard_rollup_age_seconds{organisation}``.

The figures from the database are read when scraped (three grouped queries and one cache read). Access: ``METRICS_TOKEN`` (the
scraper sends ``Authorization: Bearer <token>``) and/or ``METRICS_ALLOWED_IPS`` (addresses or networks, the client
address as ``TRUSTED_PROXY_COUNT`` reads it); each one configured must hold; with neither, ``/metrics`` answers 404.
Several gunicorn processes share their request metrics through ``PROMETHEUS_MULTIPROC_DIR`` (the image sets it).
"""

from __future__ import annotations

import datetime
import hmac
import ipaddress
import logging
import os
import time
from collections.abc import Callable, Iterator
from functools import cache

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache as shared_cache
from django.db.models import Count, Min, Q
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, HttpResponseNotFound
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

from core.client_address import client_ip

logger = logging.getLogger(__name__)

REQUEST_LATENCY = Histogram(
    "ambassadeurs_http_request_duration_seconds",
    "Time from the request to the response, per view (URL name), method and status class.",
    ["view", "method", "status"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
FAILURE_KEY = "metrics:task-failures:{}"
# A mailing stays on the metrics for this long after its last copy went out.
FINISHED_MAILING_SHOWN = datetime.timedelta(days=1)


class RequestLatencyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = (match.view_name if match is not None else "") or "unresolved"
        method = request.method if request.method in _METHODS else "other"
        REQUEST_LATENCY.labels(view, method, f"{response.status_code // 100}xx").observe(time.perf_counter() - started)
        return response


def record_task_failure(task_name: str) -> None:
    """Count a failed task in the shared cache (called by every worker; never raises)."""
    key = FAILURE_KEY.format(task_name)
    try:
        if not shared_cache.add(key, 1, timeout=None):
            shared_cache.incr(key)
    except Exception:  # noqa: BLE001 - a metric must never fail the task's own handling
        logger.warning("could not count the failure of %s", task_name)


class DatabaseCollector:
    """What the database and the shared cache say, read at each scrape."""

    def collect(self) -> Iterator[GaugeMetricFamily | CounterMetricFamily]:
        yield from self.outbox()
        yield self.mailings()
        yield self.task_failures()
        yield self.rollups()

    def outbox(self) -> Iterator[GaugeMetricFamily]:
        from core.models import OutboxMessage
        from core.outbox import MAX_ATTEMPTS

        now = timezone.now()
        backlog = GaugeMetricFamily("ambassadeurs_outbox_backlog", "Outbox messages not yet done.", labels=["task"])
        given_up = GaugeMetricFamily(
            "ambassadeurs_outbox_given_up", "Outbox messages dispatched the most times allowed and never done."
        )
        oldest = GaugeMetricFamily(
            "ambassadeurs_outbox_oldest_age_seconds", "Age of the oldest outbox message not yet done (0: none)."
        )
        rows = (
            OutboxMessage.objects.filter(done_at__isnull=True)
            .values("task_name")
            .annotate(
                count=Count("pk"), given_up=Count("pk", filter=Q(attempts__gte=MAX_ATTEMPTS)), oldest=Min("created_at")
            )
            .order_by("task_name")
        )
        ages = [0.0]
        total_given_up = 0
        for row in rows:
            backlog.add_metric([row["task_name"]], row["count"])
            total_given_up += row["given_up"]
            ages.append((now - row["oldest"]).total_seconds())
        given_up.add_metric([], total_given_up)
        oldest.add_metric([], max(ages))
        yield from (backlog, given_up, oldest)

    def mailings(self) -> GaugeMetricFamily:
        from programme.models import MailingRecipient

        family = GaugeMetricFamily(
            "ambassadeurs_mailing_recipients",
            "Copies of the quarterly mailings being sent (or finished within a day), per status.",
            labels=["organisation", "year", "quarter", "status"],
        )
        rows = (
            MailingRecipient.objects.filter(mailing__started_at__isnull=False)
            .filter(Q(mailing__sent_at__isnull=True) | Q(mailing__sent_at__gte=timezone.now() - FINISHED_MAILING_SHOWN))
            .values("mailing__organisation__slug", "mailing__year", "mailing__quarter", "status")
            .annotate(count=Count("pk"))
            .order_by("mailing__organisation__slug", "mailing__year", "mailing__quarter", "status")
        )
        for row in rows:
            labels = [row["mailing__organisation__slug"], str(row["mailing__year"]), str(row["mailing__quarter"])]
            family.add_metric([*labels, row["status"]], row["count"])
        return family

    def task_failures(self) -> CounterMetricFamily:
        app = _celery_app_with_every_task()
        family = CounterMetricFamily(
            "ambassadeurs_celery_task_failures", "Celery tasks that failed, per task (all workers).", labels=["task"]
        )
        names = sorted(name for name in app.tasks if not name.startswith("celery."))
        try:
            counts = shared_cache.get_many([FAILURE_KEY.format(name) for name in names])
        except Exception:  # noqa: BLE001 - without the cache the scrape still answers the rest
            counts = {}
        for name in names:
            family.add_metric([name], int(counts.get(FAILURE_KEY.format(name)) or 0))
        return family

    def rollups(self) -> GaugeMetricFamily:
        from evaluation.models import Rollup

        family = GaugeMetricFamily(
            "ambassadeurs_dashboard_rollup_age_seconds",
            "Seconds since the dashboards' rollup of each organisation was made.",
            labels=["organisation"],
        )
        now = timezone.now()
        for slug, computed_at in Rollup.objects.values_list("organisation__slug", "computed_at").order_by(
            "organisation__slug"
        ):
            family.add_metric([slug], (now - computed_at).total_seconds())
        return family


@cache
def _celery_app_with_every_task():
    """The Celery app after importing every app's tasks (a web process imports them only as it needs them)."""
    from config.celery import app

    app.loader.import_default_modules()
    return app


@cache
def _database_registry() -> CollectorRegistry:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(DatabaseCollector())
    return registry


def _process_registry() -> CollectorRegistry:
    """This process's metrics, or every gunicorn process's when they share PROMETHEUS_MULTIPROC_DIR."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
        return registry
    return REGISTRY


def _allowed_networks() -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in settings.METRICS_ALLOWED_IPS)


def scraper_allowed(request: HttpRequest) -> HttpResponse | None:
    """None when the request is the configured scraper's, else the refusal to send."""
    token, networks = settings.METRICS_TOKEN, settings.METRICS_ALLOWED_IPS
    if not token and not networks:
        return HttpResponseNotFound()
    if networks:
        try:
            address = ipaddress.ip_address(client_ip(request))
        except ValueError:
            return HttpResponseForbidden()
        if not any(address in network for network in _allowed_networks()):
            return HttpResponseForbidden()
    if token:
        sent = request.headers.get("Authorization", "")
        scheme, _, value = sent.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(value.strip().encode(), token.encode()):
            response = HttpResponse(status=401)
            response["WWW-Authenticate"] = 'Bearer realm="metrics"'
            return response
    return None


@login_not_required
@require_GET
@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    refusal = scraper_allowed(request)
    if refusal is not None:
        return refusal
    body = generate_latest(_process_registry()) + generate_latest(_database_registry())
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
