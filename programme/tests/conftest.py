from __future__ import annotations

import pytest
from django.utils import timezone

from programme.tests.factories import AnnualPlanFactory, TopicFactory


@pytest.fixture
def year():
    return timezone.localdate().year


@pytest.fixture
def current_quarter():
    return (timezone.localdate().month - 1) // 3 + 1


@pytest.fixture
def plan(org, year):
    return AnnualPlanFactory(organisation=org, year=year, status="published")


@pytest.fixture
def topic(plan):
    return TopicFactory(plan=plan, title="Phishing herkennen", status="published", quarter=1)


@pytest.fixture
def foreign_topic(other_org, year):
    plan = AnnualPlanFactory(organisation=other_org, year=year, status="published")
    return TopicFactory(plan=plan, title="Buitenlands onderwerp", status="published")


@pytest.fixture
def measures():
    """The KPI registry, restored after the test: other apps' measures may or may not be registered."""
    from programme.kpis import registry

    saved = dict(registry._measures)
    yield registry
    registry._measures.clear()
    registry._measures.update(saved)


@pytest.fixture
def broker(tmp_path):
    """A redis-server of the test's own as the broker of this process and of the workers it starts.

    For the delivery fault tests: they need PostgreSQL, as the workers share the test database.
    """
    import shutil

    from django.db import connection

    from config.celery import app
    from core import outbox
    from core.tests.servers import RedisServer, free_port

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: the workers share the test database")
    if shutil.which("redis-server") is None:
        pytest.skip("needs redis-server")
    server = RedisServer(free_port(), tmp_path).start()
    saved = (app.conf.broker_url, app.conf.task_always_eager, app.conf.broker_transport_options)
    app.conf.broker_url = server.url
    app.conf.broker_transport_options = {"socket_connect_timeout": 2, "visibility_timeout": 3600}
    app.conf.task_always_eager = False
    app._pool = None
    app.amqp._producer_pool = None
    outbox.broker_back()
    yield server
    app.conf.broker_url, app.conf.task_always_eager, app.conf.broker_transport_options = saved
    app._pool = None
    app.amqp._producer_pool = None
    server.stop()


@pytest.fixture
def mailing_env(broker):
    """The workers' and beat's environment for an SMTP server: the test database, the test's broker, a short stale
    window so a dead run is taken up again within seconds, and Redis's own redelivery out of the way."""
    from django.db import connection

    from core.tests.processes import app_env, database_url_of

    def env(sink) -> dict[str, str]:
        return app_env(
            database_url=database_url_of(connection.settings_dict),
            redis_url=broker.url,
            email_url=sink.url,
            CELERY_VISIBILITY_TIMEOUT="3600",
            MAILING_STALE_CLAIM_SECONDS="3",
            MAILING_RESUME_SECONDS="1",
        )

    return env
