"""A form sent twice with the same one-time token is stored once."""

import uuid

import pytest
from django.urls import reverse

from accounts.models import User
from programme.models import Goal

pytestmark = pytest.mark.django_db


def test_a_double_click_on_the_invitation_stores_once(client_as, officer, department_a):
    client = client_as(officer)
    data = {
        "full_name": "Nieuw",
        "email": "nieuw@voorbeeld.test",
        "department": department_a.pk,
        "language": "nl",
        "submission_token": "abc123",
    }
    assert client.post(reverse("accounts:invite"), data).status_code == 302
    response = client.post(reverse("accounts:invite"), data, follow=True)
    assert "Dit formulier was al verstuurd" in response.content.decode()
    assert User.objects.filter(email="nieuw@voorbeeld.test").count() == 1


def test_a_double_click_on_a_programme_form_stores_once(client_as, officer):
    client = client_as(officer)
    data = {"title": "Meer meldingen", "kind": "short_term", "year": 2026, "submission_token": "t1"}
    page = client.get(reverse("programme:goal_create"))
    assert 'name="submission_token"' in page.content.decode()
    client.post(reverse("programme:goal_create"), data)
    client.post(reverse("programme:goal_create"), data)
    assert Goal.objects.filter(title="Meer meldingen").count() == 1


def test_a_form_with_errors_can_be_sent_again_with_its_new_token(client_as, officer, department_a):
    client = client_as(officer)
    bad = {
        "full_name": "",
        "email": "x@voorbeeld.test",
        "department": department_a.pk,
        "language": "nl",
        "submission_token": "first",
    }
    assert client.post(reverse("accounts:invite"), bad).status_code == 200
    good = {**bad, "full_name": "X", "submission_token": "second"}
    assert client.post(reverse("accounts:invite"), good).status_code == 302


def test_a_token_of_any_characters_or_length_is_claimed_once(rf, officer):
    """The token comes from the client: the stored key is its hash, never the raw text."""
    from core.models import SubmissionToken
    from core.submissions import claim

    for token in ["ñ\U000606fb`GྭÓÜ\x06ô", "x" * 500, "x" * 499 + "y"]:
        request = rf.post("/", {"submission_token": token})
        request.user = officer
        assert claim(request) is True
        assert claim(request) is False
    assert {len(key) for key in SubmissionToken.objects.values_list("key", flat=True)} == {64}


def test_store_once_creates_the_first_time_and_returns_the_stored_object_after(officer):
    from core.submissions import store_once

    calls = []

    def create():
        calls.append(1)
        return Goal.objects.create(organisation=officer.organisation, title="Eén keer", kind="short_term", year=2026)

    token = uuid.uuid4()
    first, created = store_once(token, user=officer, create=create)
    again, created_again = store_once(str(token), user=officer, create=create)
    assert (created, created_again) == (True, False)
    assert again == first and len(calls) == 1


def test_another_users_token_never_answers_with_their_object(officer, staff_a):
    from core.submissions import store_once

    token = uuid.uuid4()
    theirs, _created = store_once(
        token, user=officer, create=lambda: Goal.objects.create(organisation=officer.organisation, title="A", year=2026)
    )
    mine, created = store_once(
        token, user=staff_a, create=lambda: Goal.objects.create(organisation=officer.organisation, title="B", year=2026)
    )
    assert created and mine != theirs and mine.title == "B"


def test_a_failed_submission_leaves_its_token_free(officer):
    from core.models import SubmissionToken
    from core.submissions import store_once

    token = uuid.uuid4()

    def broken():
        raise RuntimeError("database said no")

    with pytest.raises(RuntimeError):
        store_once(token, user=officer, create=broken)
    assert not SubmissionToken.objects.exists()
    goal, created = store_once(
        token, user=officer, create=lambda: Goal.objects.create(organisation=officer.organisation, title="C", year=2026)
    )
    assert created and goal.title == "C"


def test_a_view_that_fails_leaves_its_token_free(rf, officer):
    from core.models import SubmissionToken
    from core.submissions import once_per_submission

    @once_per_submission
    def view(request):
        raise RuntimeError("boom")

    request = rf.post("/", {"submission_token": "t"})
    request.user = officer
    with pytest.raises(RuntimeError):
        view(request)
    assert not SubmissionToken.objects.exists()


def test_old_tokens_are_purged(officer, settings):
    from datetime import timedelta

    from django.utils import timezone

    from core.models import SubmissionToken
    from core.submissions import purge

    settings.SUBMISSION_TOKEN_DAYS = 30
    old = SubmissionToken.objects.create(key="a" * 64, user=officer)
    SubmissionToken.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))
    SubmissionToken.objects.create(key="b" * 64, user=officer)
    assert purge() == 1
    assert list(SubmissionToken.objects.values_list("key", flat=True)) == ["b" * 64]


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_submissions_with_one_token_store_once(officer):
    """Two requests at once (two web servers, a double click): the second waits and gets the first's object."""
    import threading

    from django.db import connection

    from core.submissions import store_once

    if connection.vendor != "postgresql":
        pytest.skip("needs a database with concurrent writers")
    token = uuid.uuid4()
    barrier = threading.Barrier(2)
    results = []

    def submit():
        from django.db import connections

        try:
            barrier.wait()
            results.append(
                store_once(
                    token,
                    user=officer,
                    create=lambda: Goal.objects.create(
                        organisation_id=officer.organisation_id, title="Race", year=2026
                    ),
                )
            )
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert sorted(created for _obj, created in results) == [False, True]
    assert Goal.objects.filter(title="Race").count() == 1
