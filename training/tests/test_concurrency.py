"""The last seat goes to exactly one person: real concurrent requests against PostgreSQL."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from training.models import Enrolment

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (row locks)"),
]


def _post_all_at_once(clients, url) -> list[int]:
    barrier = threading.Barrier(len(clients))
    statuses: list[int] = []
    errors: list[BaseException] = []

    def run(client: Client) -> None:
        try:
            barrier.wait(timeout=10)
            statuses.append(client.post(url).status_code)
        except BaseException as exc:  # noqa: BLE001 - reported by the test below
            errors.append(exc)
        finally:
            connections.close_all()  # each thread had its own connection

    threads = [threading.Thread(target=run, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    return statuses


@pytest.mark.django_db(transaction=True)
def test_the_last_seat_goes_to_exactly_one_person(session, make_ambassador, login):
    session.capacity = 1
    session.save()
    clients = []
    for index in range(6):
        client = Client()
        login(client, make_ambassador(f"Ambassadeur {index}"))
        clients.append(client)
    statuses = _post_all_at_once(clients, reverse("training:session_enrol", args=[session.pk]))
    assert statuses == [302] * 6
    assert Enrolment.objects.filter(session=session, status=Enrolment.Status.ENROLLED).count() == 1
    assert Enrolment.objects.filter(session=session, status=Enrolment.Status.WAITLISTED).count() == 5
    positions = list(Enrolment.objects.waitlisted().filter(session=session).values_list("pk", flat=True))
    assert positions == sorted(positions)


@pytest.mark.django_db(transaction=True)
def test_a_double_click_enrols_once(session, ambassador_a, login):
    clients = []
    for _index in range(3):
        client = Client()
        login(client, ambassador_a)
        clients.append(client)
    _post_all_at_once(clients, reverse("training:session_enrol", args=[session.pk]))
    assert Enrolment.objects.filter(session=session, user=ambassador_a).count() == 1
