from __future__ import annotations

import pytest

from incidents.tests.factories import DataLeakFactory


@pytest.fixture
def leak_a(staff_a, team_a):
    """A report by staff_a in team_a (below department_a, covered by ambassador_a)."""
    return DataLeakFactory(reported_by=staff_a, department=team_a)


@pytest.fixture
def leak_b(staff_b, department_b):
    return DataLeakFactory(reported_by=staff_b, department=department_b)


@pytest.fixture
def foreign_leak(outsider, other_department):
    return DataLeakFactory(reported_by=outsider, department=other_department)


@pytest.fixture
def client_as(login):
    """A fresh, signed-in test client per call (overrides the root fixture for this app's tests).

    The root fixture logs the previous user out first, which now ends all of
    that user's sessions; signing the same user in again with a stale user
    object then fails. A client per call needs no logout.
    """
    from django.test import Client

    def make(user):
        client = Client()
        if user is not None:
            user.refresh_from_db()
            login(client, user)
        return client

    return make
