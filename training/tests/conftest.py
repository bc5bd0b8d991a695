from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from ambassadors.tests.factories import AppointmentFactory
from training.tests.factories import ModuleFactory, SessionFactory


@pytest.fixture
def module(org):
    return ModuleFactory(organisation=org, title="Phishing", is_mandatory=True)


@pytest.fixture
def session(module, officer):
    return SessionFactory(module=module, trainer=officer, external_trainer="", capacity=2)


@pytest.fixture
def past_session(module, officer):
    start = timezone.now() - datetime.timedelta(days=3)
    return SessionFactory(
        module=module,
        trainer=officer,
        external_trainer="",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
    )


@pytest.fixture
def foreign_session(other_org):
    return SessionFactory(module=ModuleFactory(organisation=other_org))


@pytest.fixture
def make_ambassador(org, department_a):
    """``make_ambassador(name)``: another current ambassador of department A."""
    from accounts.tests.factories import UserFactory

    def make(name: str, department=None):
        user = UserFactory(organisation=org, department=department or department_a, full_name=name)
        AppointmentFactory(user=user, organisation=org, departments=[department or department_a])
        return user

    return make


@pytest.fixture
def client_as(client, login):
    """The root ``client_as``, but signing in a fresh copy of the user.

    Signing out ends all of a user's sessions (``session_version``), so an
    in-memory user object from before a sign-out carries a stale session hash.
    """

    def make(user):
        client.logout()
        if user is not None:
            user.refresh_from_db()
            login(client, user)
        return client

    return make
