"""The quarterly mailing: every employee once, in their language, in batches, whatever runs twice."""

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from core.models import OutboxMessage
from programme import delivery
from programme.models import MailingRecipient, QuarterlyMailing

pytestmark = pytest.mark.django_db


@pytest.fixture
def mailing(org):
    return QuarterlyMailing.objects.create(
        organisation=org, year=2026, quarter=2, subject="Onderwerpen Q2", body="Beste collega,"
    )


@pytest.fixture
def employees(org, department_a, department_b):
    people = [
        UserFactory(organisation=org, department=department_a if i % 2 else department_b, email=f"m{i}@voorbeeld.test")
        for i in range(12)
    ]
    people[0].language = "en"
    people[0].save()
    return people


def test_every_active_employee_gets_it_once(
    mailing, employees, other_org, mailoutbox, django_capture_on_commit_callbacks, settings
):
    UserFactory(organisation=other_org, email="buiten@naburig.test")
    UserFactory(organisation=mailing.organisation, email="weg@voorbeeld.test", is_active=False)
    opted_out = UserFactory(
        organisation=mailing.organisation, email="nee@voorbeeld.test", receives_topic_mailings=False
    )
    with django_capture_on_commit_callbacks(execute=True):
        created = delivery.mailing_start(mailing=mailing)
    assert created == 12
    recipients = sorted(m.to[0] for m in mailoutbox)
    assert recipients == sorted(u.email for u in employees)
    assert opted_out.email not in recipients
    mailing.refresh_from_db()
    assert mailing.sent_at is not None
    assert MailingRecipient.objects.filter(mailing=mailing).progress()["sent"] == 12


def test_a_mailing_queues_one_run_per_worker_that_shares_it(mailing, employees, settings, monkeypatch):
    settings.MAILING_DELIVERY_RUNS = 3
    monkeypatch.setattr(delivery, "CHUNK", 5)
    delivery.mailing_start(mailing=mailing)
    runs = OutboxMessage.objects.filter(task_name="programme.tasks.deliver_mailing")
    assert runs.count() == 3
    assert {run.kwargs["mailing_id"] for run in runs.all()} == {mailing.pk}
    # A resumed mailing (its runs died) is taken up by as many runs again.
    MailingRecipient.objects.filter(mailing=mailing).update(
        status="sending", claim="dead", claimed_at="2000-01-01T00:00:00Z"
    )
    assert delivery.mailing_resume(mailing=mailing) == 12
    assert runs.all().count() == 6


def test_a_run_that_loses_a_chunk_to_another_run_goes_on_with_the_next(mailing, employees, mailoutbox, monkeypatch):
    """Two runs side by side: when another run claimed the rows this one picked, it does not end (which left one
    worker sending a shared mailing alone) but takes the next chunk."""
    monkeypatch.setattr(delivery, "CHUNK", 5)
    monkeypatch.setattr(delivery, "mailing_queue_run", lambda **kwargs: None)
    delivery.mailing_start(mailing=mailing)
    claim = delivery._claim
    calls = []

    def raced(mailing_id):
        calls.append(mailing_id)
        if len(calls) == 1:
            # The other run's chunk: claimed under its token between this run's pick and its update.
            other = list(MailingRecipient.objects.filter(status="pending").order_by("pk").values_list("pk", flat=True))
            MailingRecipient.objects.filter(pk__in=other[:5]).update(status="sent")
            return "lost", []
        return claim(mailing_id)

    monkeypatch.setattr(delivery, "_claim", raced)
    assert delivery.mailing_deliver(mailing_id=mailing.pk) == 7
    assert len(mailoutbox) == 7 and len(calls) == 4  # lost one, two chunks of 5 and 2, then none left
    assert not MailingRecipient.objects.filter(mailing=mailing).exclude(status="sent").exists()


def test_a_claim_says_none_is_left_only_when_no_copy_is_pending(mailing, employees, monkeypatch):
    monkeypatch.setattr(delivery, "CHUNK", 5)
    monkeypatch.setattr(delivery, "mailing_queue_run", lambda **kwargs: None)
    delivery.mailing_start(mailing=mailing)
    claimed = [delivery._claim(mailing.pk)[1] for _ in range(3)]
    assert [len(chunk) for chunk in claimed] == [5, 5, 2]
    assert delivery._claim(mailing.pk)[1] is None


def test_running_twice_or_restarting_mails_nobody_twice(
    mailing, employees, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        delivery.mailing_start(mailing=mailing)
        delivery.mailing_start(mailing=mailing)  # a second beat or a double click
    assert delivery.mailing_deliver(mailing_id=mailing.pk) == 0  # a retried task
    assert len(mailoutbox) == 12
    assert MailingRecipient.objects.count() == 12


def test_a_run_killed_mid_batch_is_finished_by_the_next_one(mailing, employees, mailoutbox, monkeypatch):
    monkeypatch.setattr(delivery, "CHUNK", 5)
    monkeypatch.setattr(delivery, "mailing_queue_run", lambda **kwargs: None)
    delivery.mailing_start(mailing=mailing)
    assert delivery.mailing_deliver(mailing_id=mailing.pk, chunk_limit=1) == 5  # then the worker dies
    # A claim left behind by a killed worker goes back to pending once it is stale.
    stuck = MailingRecipient.objects.filter(status="pending").order_by("pk").first()
    MailingRecipient.objects.filter(pk=stuck.pk).update(
        status="sending", claim="dead", claimed_at="2000-01-01T00:00:00Z"
    )
    assert delivery.mailing_deliver(mailing_id=mailing.pk) == 7
    assert sorted(m.to[0] for m in mailoutbox) == sorted(u.email for u in employees)


def test_the_mail_is_in_the_recipients_language_with_an_unsubscribe_link(
    mailing, employees, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        delivery.mailing_start(mailing=mailing)
    english = next(m for m in mailoutbox if m.to == [employees[0].email])
    dutch = next(m for m in mailoutbox if m.to == [employees[1].email])
    assert "The topics for quarter 2 of 2026" in english.body
    assert "De onderwerpen voor kwartaal 2 van 2026" in dutch.body
    assert english.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/mensen/afmelden/" in dutch.body and "unsubscribe.invalid" not in dutch.body + dutch.alternatives[0][0]


def test_failed_copies_are_counted_and_can_be_resent(
    mailing, employees, mailoutbox, monkeypatch, django_capture_on_commit_callbacks
):
    from django.core.mail import EmailMultiAlternatives

    original = EmailMultiAlternatives.send

    def flaky(self, *args, **kwargs):
        if self.to[0] == employees[3].email:
            raise OSError("mailbox unavailable")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(EmailMultiAlternatives, "send", flaky)
    with django_capture_on_commit_callbacks(execute=True):
        delivery.mailing_start(mailing=mailing)
    progress = MailingRecipient.objects.filter(mailing=mailing).progress()
    assert (progress["sent"], progress["failed"]) == (11, 1)
    monkeypatch.setattr(EmailMultiAlternatives, "send", original)
    with django_capture_on_commit_callbacks(execute=True):
        assert delivery.mailing_resend_failed(mailing=mailing) == 1
    assert MailingRecipient.objects.filter(mailing=mailing).progress()["sent"] == 12
    assert len(mailoutbox) == 12


def test_the_broker_being_down_loses_no_mailing(
    mailing, employees, mailoutbox, monkeypatch, django_capture_on_commit_callbacks, settings
):
    from programme.tasks import deliver_mailing

    monkeypatch.setattr(deliver_mailing, "apply_async", lambda *a, **k: (_ for _ in ()).throw(ConnectionRefusedError()))
    with django_capture_on_commit_callbacks(execute=True):
        delivery.mailing_start(mailing=mailing)
    assert mailoutbox == []
    assert OutboxMessage.objects.filter(done_at__isnull=True).count() == settings.MAILING_DELIVERY_RUNS
    monkeypatch.undo()
    from core import outbox

    outbox.sweep()
    assert len(mailoutbox) == 12


def test_due_mailings_start_at_the_quarter(mailing):
    import datetime

    assert delivery.due_mailings(datetime.date(2026, 3, 31)) == []
    assert delivery.due_mailings(datetime.date(2026, 4, 1)) == [mailing]


def test_officer_sends_tests_and_sees_progress(
    client_as, officer, mailing, employees, mailoutbox, django_capture_on_commit_callbacks
):
    client = client_as(officer)
    args = [mailing.year, mailing.quarter]
    client.post(reverse("programme:mailing_test", args=args))
    assert mailoutbox[-1].subject.startswith("[TEST]") and mailoutbox[-1].to == [officer.email]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("programme:mailing_send", args=args))
    response = client.get(reverse("programme:mailing_preview", args=args))
    assert response.context["progress"]["sent"] == 13  # the twelve employees and the officer


@pytest.mark.parametrize("name", ["programme:mailing_send", "programme:mailing_test", "programme:mailing_resend"])
def test_only_officers_send(client_as, staff_b, ambassador_a, manager_a, mailing, name):
    for user in (staff_b, ambassador_a, manager_a):
        assert client_as(user).post(reverse(name, args=[mailing.year, mailing.quarter])).status_code == 403


def test_another_organisations_mailing_is_404(client_as, outsider, mailing):
    assert (
        client_as(outsider).post(reverse("programme:mailing_send", args=[mailing.year, mailing.quarter])).status_code
        == 404
    )


def test_each_department_names_its_nearest_ambassadors_first(org, department_a, team_a, department_b, mailing):
    from ambassadors.tests.factories import AppointmentFactory
    from programme.services import current_ambassadors, department_ambassadors

    unit = AppointmentFactory(organisation=org, departments=[department_a], user__full_name="Anna Afdeling")
    team = AppointmentFactory(organisation=org, departments=[team_a], user__full_name="Zeno Team")
    AppointmentFactory(organisation=org, departments=[department_b], user__full_name="Bram Elders")
    ambassadors = current_ambassadors(org.pk)
    assert department_ambassadors(team_a, ambassadors) == [team.user, unit.user]
    assert department_ambassadors(department_a, ambassadors) == [unit.user]
    assert department_ambassadors(team_a) == department_ambassadors(team_a, ambassadors)  # loads them itself
    assert department_ambassadors(None, ambassadors) == []


def test_the_delivery_queries_do_not_grow_with_departments_or_ambassadors(
    org, mailing, monkeypatch, django_assert_max_num_queries
):
    """Rendering once per department and language reads the ambassadors once, not once per department."""
    from accounts.tests.factories import DepartmentFactory
    from ambassadors.tests.factories import AppointmentFactory

    monkeypatch.setattr(delivery, "mailing_queue_run", lambda **kwargs: None)
    departments = [DepartmentFactory(organisation=org, name=f"Afdeling {i}") for i in range(8)]
    for department in departments:
        AppointmentFactory(organisation=org, departments=[department])
        UserFactory(organisation=org, department=department)
    delivery.mailing_start(mailing=mailing)
    recipients = MailingRecipient.objects.filter(mailing=mailing).count()
    # Per run a fixed set; per chunk a claim; per department a topic query; per recipient the two marking UPDATEs
    # (handed over before the mail server has it, sent once it accepted it).
    with django_assert_max_num_queries(12 + len(departments) + 3 * recipients):
        assert delivery.mailing_deliver(mailing_id=mailing.pk) == recipients
