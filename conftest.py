"""Standing characters and shared fixtures for every test.

The cast: an officer (CISO), a privacy officer, an ambassador of department A,
a manager of A, a staff member of B, and an outsider from another municipality.
"""

from __future__ import annotations

import importlib
import os
import time

import pytest
from django.db.models.signals import post_migrate

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI a test that skips for a missing service is a failure, not a pass."""
    outcome = yield
    report = outcome.get_result()
    if IN_CI and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.longrepr = f"Skipped in CI (CI=true makes skips failures): {reason}"


@pytest.fixture(autouse=True)
def _settings_for_tests(settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.MEDIA_ROOT = tmp_path / "uploads"
    settings.AUDIT_CHECKPOINT_PATH = tmp_path / "audit-checkpoints.log"
    from config.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    # Rate limits and TOTP replay markers live in the cache: no test inherits another's.
    from django.core.cache import cache

    cache.clear()


# Between transactional tests (the browser tests' live server) the database is emptied. PostgreSQL's TRUNCATE passes
# the audit table's append-only trigger; SQLite empties tables with DELETE, which the trigger refuses. On SQLite the
# triggers are dropped just before that flush and made again by the flush's post_migrate signal.
_AUDIT_MIGRATION = importlib.import_module("core.migrations.0005_audit_hmac_append_only")


def _sqlite_audit_triggers_again(using="default", **kwargs):
    from django.db import connections

    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for statement in _AUDIT_MIGRATION.SQLITE_TRIGGERS:
            cursor.execute(statement.replace("CREATE TRIGGER", "CREATE TRIGGER IF NOT EXISTS", 1))


post_migrate.connect(_sqlite_audit_triggers_again, dispatch_uid="sqlite_audit_triggers_again")


@pytest.fixture(autouse=True)
def _sqlite_audit_flushable(request):
    if "transactional_db" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("transactional_db")
    yield
    from django.db import connection

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER IF EXISTS core_auditentry_no_update")
            cursor.execute("DROP TRIGGER IF EXISTS core_auditentry_no_delete")


@pytest.fixture
def org(db):
    from accounts.tests.factories import OrganisationFactory

    return OrganisationFactory(name="Gemeente Voorbeeld", slug="voorbeeld")


@pytest.fixture
def other_org(db):
    from accounts.tests.factories import OrganisationFactory

    return OrganisationFactory(name="Gemeente Naburig", slug="naburig")


@pytest.fixture
def department_a(org):
    from accounts.tests.factories import DepartmentFactory

    return DepartmentFactory(organisation=org, name="Burgerzaken", code="A")


@pytest.fixture
def team_a(department_a):
    from accounts.tests.factories import DepartmentFactory

    return DepartmentFactory(
        organisation=department_a.organisation, parent=department_a, name="Team Balie", code="A1", level="team"
    )


@pytest.fixture
def report_data(team_a):
    """POST data of a valid data-leak report form (``incidents:report``); keyword arguments change answers."""
    import datetime

    from django.utils import timezone

    now = timezone.localtime()

    def make(**overrides):
        data = {
            "idempotency_token": "6f1c1c4e-8a3b-4c55-9f53-2a1d8a0c0a11",
            "category": "email_wrong_recipient",
            "description": "Ik heb een mail met een BSN naar de verkeerde Jan gestuurd.",
            "occurred_at": (now - datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "discovered_at": (now - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "department": team_a.pk,
            "data_kinds": ["name_address", "bsn"],
            "affected_estimate": "1",
            "ongoing": "no",
            "actions_taken": "Ontvanger gevraagd de mail te verwijderen.",
            "contact_email": "anna@voorbeeld.test",
            "contact_phone": "",
        }
        data.update(overrides)
        return data

    return make


@pytest.fixture
def department_b(org):
    from accounts.tests.factories import DepartmentFactory

    return DepartmentFactory(organisation=org, name="Werk en Inkomen", code="B")


@pytest.fixture
def other_department(other_org):
    from accounts.tests.factories import DepartmentFactory

    return DepartmentFactory(organisation=other_org, name="Algemene Zaken", code="X")


@pytest.fixture
def officer(org, department_b):
    from accounts.tests.factories import OfficerFactory, UserFactory

    user = UserFactory(organisation=org, department=department_b, full_name="Karin CISO", email="ciso@voorbeeld.test")
    OfficerFactory(user=user, kind="ciso")
    return user


@pytest.fixture
def privacy_officer(org, department_b):
    from accounts.tests.factories import OfficerFactory, UserFactory

    user = UserFactory(
        organisation=org, department=department_b, full_name="Ahmed Privacy", email="privacy@voorbeeld.test"
    )
    OfficerFactory(user=user, kind="privacy_officer")
    return user


@pytest.fixture
def ambassador_a(org, department_a, team_a):
    from accounts.tests.factories import UserFactory
    from ambassadors.tests.factories import AppointmentFactory

    user = UserFactory(
        organisation=org, department=team_a, full_name="Sanne Ambassadeur", email="ambassadeur@voorbeeld.test"
    )
    AppointmentFactory(user=user, organisation=org, departments=[department_a])
    return user


@pytest.fixture
def manager_a(org, department_a):
    from accounts.tests.factories import UserFactory

    user = UserFactory(
        organisation=org, department=department_a, full_name="Marieke Manager", email="manager@voorbeeld.test"
    )
    department_a.managers.add(user)
    return user


@pytest.fixture
def staff_a(org, team_a):
    from accounts.tests.factories import UserFactory

    return UserFactory(organisation=org, department=team_a, full_name="Anna Medewerker", email="anna@voorbeeld.test")


@pytest.fixture
def staff_b(org, department_b):
    from accounts.tests.factories import UserFactory

    return UserFactory(
        organisation=org, department=department_b, full_name="Tom Medewerker", email="medewerker@voorbeeld.test"
    )


@pytest.fixture
def outsider(other_org, other_department):
    from accounts.tests.factories import OfficerFactory, UserFactory

    user = UserFactory(
        organisation=other_org, department=other_department, full_name="Eva Buiten", email="ciso@naburig.test"
    )
    OfficerFactory(user=user, kind="ciso")
    return user


def _mfa_session(client, user) -> None:
    """Sign in as ``user`` as if through the password and, where required, the second factor."""
    from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
    from allauth.mfa.models import Authenticator

    from accounts.permissions import requires_mfa

    # A logout raises the user's session version (ending all their sessions): sign in with the current one.
    user.refresh_from_db(fields=["session_version", "password"])
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    records = [{"method": "password", "at": time.time(), "email": user.email}]
    if requires_mfa(user):
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            from accounts.tests.factories import enable_totp

            enable_totp(user)
        records.append({"method": "mfa", "at": time.time(), "type": "totp"})
    session[AUTHENTICATION_METHODS_SESSION_KEY] = records
    session.save()


@pytest.fixture
def login():
    """``login(client, user)``: a client signed in as the user, MFA included where the role requires it."""
    return _mfa_session


@pytest.fixture
def client_as(client, login):
    """``client_as(user)``: the test client signed in as ``user`` (None: anonymous)."""

    def make(user):
        client.logout()
        if user is not None:
            login(client, user)
        return client

    return make


@pytest.fixture
def dashboard_data(org, department_a, team_a, department_b, ambassador_a, other_department):
    """The dashboards' example organisation (``evaluation.tests.dashboard_data.populate``), for the evaluation
    tests and the browser tests alike."""
    from evaluation.tests.dashboard_data import populate

    return populate(
        org=org,
        department_a=department_a,
        team_a=team_a,
        department_b=department_b,
        ambassador_a=ambassador_a,
        other_department=other_department,
    )
