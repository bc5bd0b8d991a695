"""Every page: anonymous -> login, forbidden role -> 403, foreign object -> 404, permitted -> 200 with the right data."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import DepartmentFactory, UserFactory
from ambassadors.models import Activity, Appointment, Event, Feedback, Nomination, Recognition, Registration
from ambassadors.tests.factories import (
    ActivityFactory,
    AppointmentFactory,
    EventFactory,
    FeedbackFactory,
    NominationFactory,
    RecognitionFactory,
)

pytestmark = pytest.mark.django_db

ALL_PAGES = [
    ("ambassadors:nominate", []),
    ("ambassadors:nominations", []),
    ("ambassadors:nomination", [1]),
    ("ambassadors:coverage", []),
    ("ambassadors:department_history", [1]),
    ("ambassadors:ambassador_list", []),
    ("ambassadors:profile", [1]),
    ("ambassadors:activity_list", []),
    ("ambassadors:activity_create", []),
    ("ambassadors:activity_update", [1]),
    ("ambassadors:feedback_start", []),
    ("ambassadors:feedback_give", [1]),
    ("ambassadors:feedback_poster", [1]),
    ("ambassadors:feedback_list", []),
    ("ambassadors:feedback_record", []),
    ("ambassadors:feedback_triage", [1]),
    ("ambassadors:feedback_statistics", []),
    ("ambassadors:events", []),
    ("ambassadors:event_create", []),
    ("ambassadors:event", [1]),
    ("ambassadors:event_update", [1]),
    ("ambassadors:event_ics", [1]),
    ("ambassadors:recognitions", []),
    ("ambassadors:recognition_create", []),
]


@pytest.mark.parametrize(("name", "args"), ALL_PAGES)
def test_anonymous_is_sent_to_login(client, name, args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("name", "role"),
    [
        ("ambassadors:nominations", "staff_b"),
        ("ambassadors:coverage", "ambassador_a"),
        ("ambassadors:ambassador_list", "staff_b"),
        ("ambassadors:activity_list", "staff_a"),
        ("ambassadors:activity_create", "manager_a"),
        ("ambassadors:feedback_list", "manager_a"),
        ("ambassadors:feedback_list", "staff_a"),
        ("ambassadors:feedback_record", "officer"),
        ("ambassadors:feedback_statistics", "ambassador_a"),
        ("ambassadors:events", "staff_b"),
        ("ambassadors:event_create", "ambassador_a"),
        ("ambassadors:recognitions", "ambassador_a"),
        ("ambassadors:recognition_create", "staff_b"),
    ],
)
def test_forbidden_roles_get_403(request, client_as, name, role):
    user = request.getfixturevalue(role)
    assert client_as(user).get(reverse(name)).status_code == 403


def test_forbidden_roles_get_403_on_object_pages(client_as, org, staff_b, ambassador_a, department_a):
    nomination = NominationFactory(organisation=org)
    feedback = FeedbackFactory(department=department_a)
    event = EventFactory(organisation=org)
    client = client_as(staff_b)
    assert client.get(reverse("ambassadors:nomination", args=[nomination.pk])).status_code == 403
    assert client.get(reverse("ambassadors:feedback_triage", args=[feedback.pk])).status_code == 403
    assert client.get(reverse("ambassadors:event", args=[event.pk])).status_code == 403
    assert client.get(reverse("ambassadors:department_history", args=[department_a.pk])).status_code == 403
    client = client_as(ambassador_a)
    assert client.get(reverse("ambassadors:event_update", args=[event.pk])).status_code == 403
    assert client.post(reverse("ambassadors:event_attendance", args=[event.pk])).status_code == 403


def test_foreign_objects_are_404(client_as, officer, other_org, other_department, outsider):
    foreign_nomination = NominationFactory(organisation=other_org)
    foreign_feedback = FeedbackFactory(department=other_department)
    foreign_event = EventFactory(organisation=other_org)
    client = client_as(officer)
    for name, pk in [
        ("ambassadors:nomination", foreign_nomination.pk),
        ("ambassadors:feedback_triage", foreign_feedback.pk),
        ("ambassadors:feedback_give", other_department.pk),
        ("ambassadors:feedback_poster", other_department.pk),
        ("ambassadors:event", foreign_event.pk),
        ("ambassadors:event_update", foreign_event.pk),
        ("ambassadors:event_ics", foreign_event.pk),
        ("ambassadors:department_history", other_department.pk),
        ("ambassadors:profile", outsider.pk),
    ]:
        assert client.get(reverse(name, args=[pk])).status_code == 404, name
    assert client.post(reverse("ambassadors:event_rsvp", args=[foreign_event.pk])).status_code == 404


def test_other_department_is_404_for_manager_and_ambassador(
    client_as, org, manager_a, ambassador_a, department_b, staff_b
):
    other_ambassador = AppointmentFactory(organisation=org, departments=[department_b]).user
    client = client_as(manager_a)
    assert client.get(reverse("ambassadors:department_history", args=[department_b.pk])).status_code == 404
    assert client.get(reverse("ambassadors:profile", args=[other_ambassador.pk])).status_code == 404
    feedback_b = FeedbackFactory(department=department_b)
    # Ambassadors follow up only the departments they cover: the list and the item.
    client = client_as(ambassador_a)
    response = client.get(reverse("ambassadors:feedback_list"))
    assert feedback_b not in response.context["page"].object_list
    assert client.get(reverse("ambassadors:feedback_triage", args=[feedback_b.pk])).status_code == 404


# --- Selection ----------------------------------------------------------------------------------


def test_employee_volunteers_once(client_as, staff_b):
    client = client_as(staff_b)
    data = {
        "nominee": staff_b.pk,
        "motivation": "Ik wil helpen.",
        "affinity": "Interesse in privacy.",
        "influence": "Collega's kennen mij.",
        "hours_available": "6",
    }
    response = client.post(reverse("ambassadors:nominate"), data)
    assert response.status_code == 302
    response = client.post(reverse("ambassadors:nominate"), data)
    assert response.status_code == 200
    assert "al een openstaande voordracht" in response.content.decode()
    assert Nomination.objects.filter(nominee=staff_b).count() == 1


def test_employee_cannot_nominate_someone_else(client_as, staff_b, staff_a):
    response = client_as(staff_b).post(
        reverse("ambassadors:nominate"),
        {"nominee": staff_a.pk, "motivation": "x", "affinity": "y", "influence": "z", "hours_available": "4"},
    )
    assert response.status_code == 200
    assert not Nomination.objects.exists()


def test_manager_nominates_an_employee_of_their_department(client_as, manager_a, staff_a):
    response = client_as(manager_a).post(
        reverse("ambassadors:nominate"),
        {"nominee": staff_a.pk, "motivation": "Goed", "affinity": "Ja", "influence": "Veel", "hours_available": "4"},
    )
    assert response.status_code == 302
    nomination = Nomination.objects.get()
    assert nomination.nominee == staff_a
    assert nomination.nominated_by == manager_a
    assert not nomination.is_volunteer


def test_nomination_bad_input_keeps_what_was_typed(client_as, staff_b):
    response = client_as(staff_b).post(
        reverse("ambassadors:nominate"),
        {
            "nominee": staff_b.pk,
            "motivation": "Mijn motivatie",
            "affinity": "",
            "influence": "x",
            "hours_available": "99",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Mijn motivatie" in body
    assert "Dit veld is verplicht." in body


def test_officer_appoints_a_candidate(
    client_as, officer, org, department_a, staff_a, mailoutbox, django_capture_on_commit_callbacks
):
    nomination = NominationFactory(organisation=org, nominee=staff_a)
    client = client_as(officer)
    response = client.get(reverse("ambassadors:nomination", args=[nomination.pk]))
    assert response.status_code == 200
    assert "Ik wil mijn collega" in response.content.decode()
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("ambassadors:nomination", args=[nomination.pk]),
            {
                "action": "accept",
                "departments": [department_a.pk],
                "kind": "internal",
                "term_start": today.isoformat(),
                "term_end": (today + datetime.timedelta(days=730)).isoformat(),
                "hours_per_month": "6",
            },
        )
    assert response.status_code == 302
    appointment = Appointment.objects.get(user=staff_a)
    assert appointment.nomination == nomination
    assert list(appointment.departments.all()) == [department_a]
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.ACCEPTED
    assert [m.to for m in mailoutbox] == [[staff_a.email]]
    assert "aangesteld" in mailoutbox[0].subject


def test_term_ending_before_start_is_refused(client_as, officer, org, department_a, staff_a):
    nomination = NominationFactory(organisation=org, nominee=staff_a)
    response = client_as(officer).post(
        reverse("ambassadors:nomination", args=[nomination.pk]),
        {
            "action": "accept",
            "departments": [department_a.pk],
            "kind": "internal",
            "term_start": "2026-06-01",
            "term_end": "2026-05-01",
            "hours_per_month": "6",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "De termijn kan niet eindigen voordat hij begint." in body
    assert 'value="2026-06-01"' in body
    assert not Appointment.objects.filter(user=staff_a).exists()


def test_officer_declines_with_a_reason(
    client_as, officer, org, staff_a, mailoutbox, django_capture_on_commit_callbacks
):
    nomination = NominationFactory(organisation=org, nominee=staff_a)
    client = client_as(officer)
    response = client.post(reverse("ambassadors:nomination", args=[nomination.pk]), {"action": "decline", "reason": ""})
    assert response.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("ambassadors:nomination", args=[nomination.pk]),
            {"action": "decline", "reason": "De afdeling heeft al een ambassadeur."},
        )
    assert response.status_code == 302
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.DECLINED
    assert "De afdeling heeft al een ambassadeur." in mailoutbox[0].body


def test_nomination_list_runs_fixed_queries(client_as, officer, org, django_assert_max_num_queries):
    for _ in range(6):
        NominationFactory(organisation=org)
    client = client_as(officer)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("ambassadors:nominations"))
    assert len(response.context["page"].object_list) == 6


def test_coverage_flags_departments_without_ambassador(
    client_as, org, officer, ambassador_a, department_a, department_b, django_assert_max_num_queries
):
    for code in ("C", "D", "E"):
        unit = DepartmentFactory(organisation=org, code=code, name=f"Afdeling {code}")
        AppointmentFactory(organisation=org, user=UserFactory(organisation=org, department=unit), departments=[unit])
    client = client_as(officer)
    with django_assert_max_num_queries(13):
        response = client.get(reverse("ambassadors:coverage"))
    assert response.status_code == 200
    by_name = {d.name: d.current_ambassadors for d in response.context["departments"]}
    assert by_name == {"Burgerzaken": 1, "Werk en Inkomen": 0, "Afdeling C": 1, "Afdeling D": 1, "Afdeling E": 1}
    assert response.context["uncovered"] == 1


def test_department_history_shows_predecessor_and_handover(client_as, manager_a, org, department_a, ambassador_a):
    old = Appointment.objects.get(user=ambassador_a)
    successor = AppointmentFactory(
        organisation=org, departments=[department_a], predecessor=old, handover_note="Let op de clean-desk-ronde."
    )
    response = client_as(manager_a).get(reverse("ambassadors:department_history", args=[department_a.pk]))
    assert response.status_code == 200
    assert list(response.context["appointments"]) == [successor, old] or set(response.context["appointments"]) == {
        successor,
        old,
    }
    assert "Let op de clean-desk-ronde." in response.content.decode()


def test_ambassador_overview_for_manager_lists_own_departments_only(
    client_as, manager_a, org, ambassador_a, department_b, django_assert_max_num_queries
):
    AppointmentFactory(organisation=org, departments=[department_b])
    ActivityFactory(organisation=org, user=ambassador_a, department=ambassador_a.appointments.get().departments.get())
    client = client_as(manager_a)
    with django_assert_max_num_queries(15):  # one of them reads the points scheme
        response = client.get(reverse("ambassadors:ambassador_list"))
    rows = response.context["rows"]
    assert [row["appointment"].user for row in rows] == [ambassador_a]
    assert rows[0]["hours"] == Decimal("1.5")


def test_profile_shows_terms_activities_and_recognitions(
    client_as, manager_a, org, ambassador_a, department_a, officer
):
    ActivityFactory(organisation=org, user=ambassador_a, department=department_a, note="Clean-desk")
    RecognitionFactory(ambassador=ambassador_a, title="Een jaar ambassadeur", kind=Recognition.Kind.MILESTONE)
    response = client_as(manager_a).get(reverse("ambassadors:profile", args=[ambassador_a.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Een jaar ambassadeur" in body
    assert response.context["totals"]["count"] == 1
    assert client_as(ambassador_a).get(reverse("ambassadors:profile", args=[ambassador_a.pk])).status_code == 200


def test_profile_runs_fixed_queries(client_as, officer, org, ambassador_a, department_a, django_assert_max_num_queries):
    from training.tests.factories import EnrolmentFactory, ModuleFactory, SessionFactory

    for index in range(5):
        ActivityFactory(organisation=org, user=ambassador_a, department=department_a)
        RecognitionFactory(ambassador=ambassador_a)
        module = ModuleFactory(organisation=org, title=f"Module {index}")
        EnrolmentFactory(session=SessionFactory(module=module), user=ambassador_a, attended=True)
    client = client_as(officer)
    with django_assert_max_num_queries(21):  # one lists the trainings attended, two give the level, one the corrections
        client.get(reverse("ambassadors:profile", args=[ambassador_a.pk]))


# --- Activity log -------------------------------------------------------------------------------


def _activity_data(**overrides):
    data = {
        "kind": "team_meeting",
        "date": timezone.localdate().isoformat(),
        "hours": "1",
        "colleagues_reached": "12",
        "note": "Phishing besproken",
        "token": "6f1c7b3e-2d0a-4b7e-9d55-0a1b2c3d4e5f",
    }
    data.update(overrides)
    return data


def test_ambassador_logs_an_activity_once_on_double_submit(client_as, ambassador_a, department_a, topic):
    client = client_as(ambassador_a)
    assert client.get(reverse("ambassadors:activity_create")).status_code == 200
    data = _activity_data(topic=topic.pk)
    assert client.post(reverse("ambassadors:activity_create"), data).status_code == 302
    assert client.post(reverse("ambassadors:activity_create"), data).status_code == 302
    activity = Activity.objects.get()
    assert activity.user == ambassador_a
    assert activity.department == department_a
    assert activity.topic == topic
    assert activity.appointment == ambassador_a.appointments.get()


def test_topics_are_limited_to_own_organisation(client_as, ambassador_a, topic, other_topic):
    client = client_as(ambassador_a)
    response = client.get(reverse("ambassadors:activity_create"))
    choices = list(response.context["form"].fields["topic"].queryset)
    assert choices == [topic]
    response = client.post(reverse("ambassadors:activity_create"), _activity_data(topic=other_topic.pk))
    assert response.status_code == 200
    assert not Activity.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"date": (timezone.localdate() + datetime.timedelta(days=1)).isoformat()}, "niet in de toekomst"),
        ({"date": "2000-01-03"}, "kwartaal van deze datum is afgesloten"),
        ({"hours": "0"}, "meer dan 0 en hoogstens 24"),
        ({"hours": "25"}, "meer dan 0 en hoogstens 24"),
    ],
)
def test_bad_activity_input_gives_dutch_error_and_keeps_input(client_as, ambassador_a, overrides, message):
    response = client_as(ambassador_a).post(reverse("ambassadors:activity_create"), _activity_data(**overrides))
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert "Phishing besproken" in body
    assert not Activity.objects.exists()


def test_own_list_with_totals_against_hours_agreed(
    client_as, org, ambassador_a, department_a, django_assert_max_num_queries
):
    for _ in range(5):
        ActivityFactory(organisation=org, user=ambassador_a, department=department_a, hours=Decimal("2"))
    ActivityFactory(organisation=org, department=department_a)  # someone else's
    client = client_as(ambassador_a)
    with django_assert_max_num_queries(13):
        response = client.get(reverse("ambassadors:activity_list"))
    assert response.context["totals"]["hours"] == Decimal("10")
    appointment = ambassador_a.appointments.get()
    start, end = response.context["start"], response.context["end"]
    assert response.context["agreed"] == appointment.hours_agreed(start, end)
    assert len(response.context["page"].object_list) == 5
    response = client.get(reverse("ambassadors:activity_list"), {"kind": "question", "period": "year"})
    assert response.context["totals"]["count"] == 0


def test_edit_and_delete_only_own_entries_of_the_open_quarter(client_as, org, ambassador_a, department_a):
    own = ActivityFactory(organisation=org, user=ambassador_a, department=department_a)
    closed = ActivityFactory(
        organisation=org, user=ambassador_a, department=department_a, date=datetime.date(2000, 1, 5)
    )
    other = ActivityFactory(organisation=org, department=department_a)
    client = client_as(ambassador_a)
    assert client.get(reverse("ambassadors:activity_update", args=[own.pk])).status_code == 200
    response = client.post(reverse("ambassadors:activity_update", args=[own.pk]), _activity_data(hours="3"))
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.hours == Decimal("3")
    assert client.get(reverse("ambassadors:activity_update", args=[other.pk])).status_code == 404
    assert client.post(reverse("ambassadors:activity_delete", args=[other.pk])).status_code == 404
    client.post(reverse("ambassadors:activity_delete", args=[closed.pk]))
    assert Activity.objects.filter(pk=closed.pk).exists()
    response = client.get(reverse("ambassadors:activity_update", args=[closed.pk]))
    assert response.status_code == 302
    client.post(reverse("ambassadors:activity_delete", args=[own.pk]))
    assert not Activity.objects.filter(pk=own.pk).exists()


# --- Colleague feedback -------------------------------------------------------------------------


def test_feedback_start_goes_to_own_department(client_as, staff_a, team_a):
    response = client_as(staff_a).get(reverse("ambassadors:feedback_start"))
    assert response["Location"] == reverse("ambassadors:feedback_give", args=[team_a.pk])


def test_anonymous_feedback_stores_no_user_and_no_address(client_as, staff_a, team_a):
    client = client_as(staff_a)
    data = {
        "category": "procedure",
        "message": "Versleuteld mailen werkt niet.",
        "is_anonymous": "on",
        "token": "0d4c7a52-3c1e-4b43-9a43-3a7f0d1e2b3c",
    }
    assert client.post(reverse("ambassadors:feedback_give", args=[team_a.pk]), data).status_code == 302
    assert client.post(reverse("ambassadors:feedback_give", args=[team_a.pk]), data).status_code == 302
    assert Feedback.objects.count() == 1
    row = Feedback.objects.values("author_id", "ip_address", "recorded_by_id", "is_anonymous").get()
    assert row == {"author_id": None, "ip_address": None, "recorded_by_id": None, "is_anonymous": True}


def test_named_feedback_keeps_the_author(client_as, staff_a, team_a):
    client_as(staff_a).post(
        reverse("ambassadors:feedback_give", args=[team_a.pk]), {"category": "idea", "message": "Stickers op de balie."}
    )
    feedback = Feedback.objects.get()
    assert feedback.author == staff_a
    assert feedback.ip_address == "127.0.0.1"


def test_empty_anonymous_message_gives_dutch_error(client_as, staff_a, team_a):
    response = client_as(staff_a).post(
        reverse("ambassadors:feedback_give", args=[team_a.pk]),
        {"category": "question", "message": "  ", "is_anonymous": "on"},
    )
    assert response.status_code == 200
    assert "Schrijf uw feedback op" in response.content.decode()
    assert not Feedback.objects.exists()


def test_feedback_flood_is_rate_limited_per_user(client_as, staff_a, team_a, settings):
    client = client_as(staff_a)
    url = reverse("ambassadors:feedback_give", args=[team_a.pk])
    for number in range(5):
        assert client.post(url, {"category": "idea", "message": f"Idee nummer {number}"}).status_code == 302
    response = client.post(url, {"category": "idea", "message": "Nog een idee erbij"})
    assert response.status_code == 429
    body = response.content.decode()
    assert "Wacht tien minuten" in body
    assert "Nog een idee erbij" in body
    assert Feedback.objects.count() == 5


def test_feedback_flood_is_rate_limited_per_address(client_as, org, team_a):
    url = reverse("ambassadors:feedback_give", args=[team_a.pk])
    for number in range(6):
        client = client_as(UserFactory(organisation=org, department=team_a))
        response = client.post(url, {"category": "idea", "message": f"Idee nummer {number}"}, REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 429
    assert Feedback.objects.count() == 5


def test_department_sees_handled_feedback_only(client_as, staff_a, team_a, officer):
    FeedbackFactory(department=team_a, message="Open punt", status=Feedback.Status.NEW)
    FeedbackFactory(
        department=team_a,
        message="Printer zonder pincode",
        status=Feedback.Status.PROCEDURE_CHANGED,
        answer="Alle printers vragen nu een pincode.",
        answered_at=timezone.now(),
    )
    response = client_as(staff_a).get(reverse("ambassadors:feedback_give", args=[team_a.pk]))
    body = response.content.decode()
    assert "Alle printers vragen nu een pincode." in body
    assert "Open punt" not in body


def test_poster_has_an_inline_svg_qr_code(client_as, staff_a, team_a):
    response = client_as(staff_a).get(reverse("ambassadors:feedback_poster", args=[team_a.pk]))
    body = response.content.decode()
    assert '<svg class="qr-code"' in body
    assert reverse("ambassadors:feedback_give", args=[team_a.pk]) in body


def test_ambassador_sees_feedback_of_covered_departments(
    client_as, ambassador_a, team_a, department_b, django_assert_max_num_queries
):
    for _ in range(4):
        FeedbackFactory(department=team_a)
    FeedbackFactory(department=department_b)
    client = client_as(ambassador_a)
    with django_assert_max_num_queries(13):
        response = client.get(reverse("ambassadors:feedback_list"))
    assert {f.department for f in response.context["page"].object_list} == {team_a}
    assert response.context["page"].paginator.count == 4


def test_officer_feedback_list_pages_and_filters_with_fixed_queries(
    client_as, officer, staff_a, ambassador_a, department_a, django_assert_max_num_queries
):
    FeedbackFactory(department=department_a, author=staff_a, message="Met naam")
    FeedbackFactory(department=department_a, is_anonymous=True, message="Zonder naam")
    FeedbackFactory(
        department=department_a,
        source=Feedback.Source.CONVERSATION,
        recorded_by=ambassador_a,
        status=Feedback.Status.EXPLAINED,
        answer="Uitgelegd in het teamoverleg",
        message="Uit een gesprek",
    )
    for index in range(52):
        FeedbackFactory(department=department_a, author=staff_a, message=f"Punt {index}")
    client = client_as(officer)
    client.get(reverse("ambassadors:feedback_list"))
    with django_assert_max_num_queries(13):
        first = client.get(reverse("ambassadors:feedback_list"))
    assert first.context["page"].paginator.count == 55 and len(first.context["page"].object_list) == 50
    with django_assert_max_num_queries(13):
        second = client.get(reverse("ambassadors:feedback_list"), {"page": 2})
    body = second.content.decode()
    # The oldest come last: the three with a named author, no name and a recording ambassador.
    assert [f.message for f in second.context["page"].object_list][-3:] == [
        "Uit een gesprek",
        "Zonder naam",
        "Met naam",
    ]
    assert staff_a.full_name in body and ambassador_a.full_name in body and "Anoniem" in body
    assert "Uitgelegd in het teamoverleg" in body and "Pagina 2 van 2" in body
    explained = client.get(reverse("ambassadors:feedback_list"), {"status": "explained", "page": 1})
    assert [f.message for f in explained.context["page"].object_list] == ["Uit een gesprek"]


def test_ambassador_records_feedback_from_a_conversation(client_as, ambassador_a, department_a, department_b):
    client = client_as(ambassador_a)
    data = {
        "department": department_a.pk,
        "category": "question",
        "message": "Mag ik thuis printen?",
        "token": "11111111-2222-4333-8444-555555555555",
    }
    assert client.post(reverse("ambassadors:feedback_record"), data).status_code == 302
    assert client.post(reverse("ambassadors:feedback_record"), data).status_code == 302
    feedback = Feedback.objects.get()
    assert feedback.source == Feedback.Source.CONVERSATION
    assert feedback.recorded_by == ambassador_a
    assert feedback.author is None
    response = client.post(reverse("ambassadors:feedback_record"), {**data, "department": department_b.pk, "token": ""})
    assert response.status_code == 200
    assert Feedback.objects.count() == 1


def test_officer_triages_feedback(client_as, officer, department_a, topic):
    feedback = FeedbackFactory(department=department_a)
    client = client_as(officer)
    url = reverse("ambassadors:feedback_triage", args=[feedback.pk])
    response = client.post(url, {"status": "explained", "answer": ""})
    assert "Schrijf een antwoord" in response.content.decode()
    response = client.post(
        url, {"status": "explained", "answer": "Zo werkt het.", "topic": topic.pk, "procedure": "Werkinstructie mail"}
    )
    assert response.status_code == 302
    feedback.refresh_from_db()
    assert feedback.status == "explained"
    assert feedback.answered_by == officer
    assert feedback.answered_at is not None
    assert feedback.topic == topic


def test_the_departments_ambassador_opens_and_answers_its_feedback(client_as, ambassador_a, department_a, topic):
    feedback = FeedbackFactory(department=department_a, message="Waar meld ik een verloren pas?", topic=topic)
    client = client_as(ambassador_a)
    listing = client.get(reverse("ambassadors:feedback_list")).content.decode()
    url = reverse("ambassadors:feedback_triage", args=[feedback.pk])
    assert f'href="{url}"' in listing
    page = client.get(url)
    assert page.status_code == 200
    # Changing a procedure or linking a plan topic stays with the officers.
    assert set(page.context["form"].fields) == {"status", "answer"}
    assert "procedure_changed" not in dict(page.context["form"].fields["status"].choices)
    response = client.post(url, {"status": "explained", "answer": "Bij de servicebalie, dezelfde dag."})
    assert response.status_code == 302
    feedback.refresh_from_db()
    assert feedback.status == "explained" and feedback.answered_by == ambassador_a
    assert feedback.topic == topic  # kept: not on the ambassador's form
    assert client.post(url, {"status": "procedure_changed", "answer": "x"}).status_code == 200


def test_recording_feedback_preselects_the_ambassadors_department(
    client_as, ambassador_a, department_a, org, department_b
):
    client = client_as(ambassador_a)
    form = client.get(reverse("ambassadors:feedback_record")).context["form"]
    assert form["department"].value() == department_a.pk
    AppointmentFactory(organisation=org, user=ambassador_a, departments=[department_b])
    form = client_as(ambassador_a).get(reverse("ambassadors:feedback_record")).context["form"]
    assert form["department"].value() is None and form.fields["department"].required


def test_manager_sees_statistics_without_authors(
    client_as, manager_a, department_a, team_a, department_b, staff_a, django_assert_max_num_queries
):
    FeedbackFactory(department=department_a, author=staff_a)
    FeedbackFactory(department=team_a, is_anonymous=True)
    FeedbackFactory(department=department_b)
    client = client_as(manager_a)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("ambassadors:feedback_statistics"))
    body = response.content.decode()
    assert {row["department"] for row in response.context["table"]} == {"Burgerzaken", "Team Balie"}
    assert staff_a.full_name not in body
    assert "De procedure werkt niet" not in body


# --- Community ----------------------------------------------------------------------------------


def test_officer_plans_an_event_once(client_as, officer):
    client = client_as(officer)
    start = timezone.localtime() + datetime.timedelta(days=3)
    data = {
        "kind": "meeting",
        "title": "Ambassadeursoverleg",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "location": "Zaal 2",
        "capacity": "10",
        "agenda": "Ervaringen delen",
        "token": "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee",
    }
    assert client.post(reverse("ambassadors:event_create"), data).status_code == 302
    assert client.post(reverse("ambassadors:event_create"), data).status_code == 302
    assert Event.objects.count() == 1
    bad = {**data, "ends_at": data["starts_at"], "location": "", "token": ""}
    response = client.post(reverse("ambassadors:event_create"), bad)
    body = response.content.decode()
    assert "moet eindigen nadat" in body
    assert "Ambassadeursoverleg" in body


def test_rsvp_once_and_refused_when_full(client_as, org, ambassador_a, officer):
    event = EventFactory(organisation=org, capacity=1)
    client = client_as(ambassador_a)
    client.post(reverse("ambassadors:event_rsvp", args=[event.pk]))
    client.post(reverse("ambassadors:event_rsvp", args=[event.pk]))
    assert Registration.objects.filter(event=event).count() == 1
    response = client_as(officer).post(reverse("ambassadors:event_rsvp", args=[event.pk]), follow=True)
    assert "vol" in response.content.decode()
    assert Registration.objects.filter(event=event).count() == 1


def test_officer_records_attendance(client_as, org, officer, ambassador_a):
    event = EventFactory(organisation=org)
    Registration.objects.create(event=event, user=ambassador_a)
    client_as(officer).post(reverse("ambassadors:event_attendance", args=[event.pk]), {"attended": [ambassador_a.pk]})
    assert Registration.objects.get().attended is True


def test_event_list_runs_fixed_queries(client_as, org, ambassador_a, django_assert_max_num_queries):
    for _ in range(6):
        event = EventFactory(organisation=org)
        Registration.objects.create(event=event, user=ambassador_a)
    client = client_as(ambassador_a)
    with django_assert_max_num_queries(11):
        response = client.get(reverse("ambassadors:events"))
    assert len(response.context["upcoming"]) == 6


def test_event_ics_download(client_as, org, ambassador_a):
    event = EventFactory(organisation=org, title="Netwerkbijeenkomst", online_url="https://meet.example.org/abc")
    response = client_as(ambassador_a).get(reverse("ambassadors:event_ics", args=[event.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert "BEGIN:VEVENT" in body
    assert "SUMMARY:Netwerkbijeenkomst" in body


# --- Recognition --------------------------------------------------------------------------------


def test_manager_recognises_ambassador_of_own_department(
    client_as, manager_a, ambassador_a, mailoutbox, django_capture_on_commit_callbacks
):
    client = client_as(manager_a)
    data = {
        "ambassador": ambassador_a.pk,
        "kind": "thanks",
        "title": "Dank voor de rondes",
        "message": "Top",
        "send_mail": "on",
        "token": "12345678-1234-4234-8234-123456789012",
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("ambassadors:recognition_create"), data).status_code == 302
        assert client.post(reverse("ambassadors:recognition_create"), data).status_code == 302
    assert Recognition.objects.count() == 1
    assert len(mailoutbox) == 1
    assert "Dank voor de rondes" in mailoutbox[0].subject


def test_manager_cannot_recognise_ambassador_of_other_department(client_as, manager_a, org, department_b):
    other = AppointmentFactory(organisation=org, departments=[department_b]).user
    response = client_as(manager_a).post(
        reverse("ambassadors:recognition_create"), {"ambassador": other.pk, "kind": "thanks", "title": "x"}
    )
    assert response.status_code == 200
    assert not Recognition.objects.exists()


def test_recognition_list_runs_fixed_queries(client_as, officer, ambassador_a, django_assert_max_num_queries):
    for _ in range(5):
        RecognitionFactory(ambassador=ambassador_a)
    client = client_as(officer)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("ambassadors:recognitions"))
    assert len(response.context["page"].object_list) == 5


def test_officer_adds_notes_afterwards_and_ambassador_cancels(client_as, org, officer, ambassador_a):
    event = EventFactory(organisation=org)
    Registration.objects.create(event=event, user=ambassador_a)
    client = client_as(officer)
    assert client.get(reverse("ambassadors:event_update", args=[event.pk])).status_code == 200
    data = {
        "kind": "meeting",
        "title": event.title,
        "starts_at": timezone.localtime(event.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": timezone.localtime(event.ends_at).strftime("%Y-%m-%dT%H:%M"),
        "location": "Zaal 3",
        "notes": "Iedereen deelde een phishingvoorbeeld.",
    }
    assert client.post(reverse("ambassadors:event_update", args=[event.pk]), data).status_code == 302
    event.refresh_from_db()
    assert event.notes == "Iedereen deelde een phishingvoorbeeld."
    assert event.location == "Zaal 3"
    client = client_as(ambassador_a)
    response = client.get(reverse("ambassadors:event", args=[event.pk]))
    assert "Iedereen deelde een phishingvoorbeeld." in response.content.decode()
    client.post(reverse("ambassadors:event_cancel", args=[event.pk]))
    assert not Registration.objects.filter(event=event).exists()


def test_ambassador_covering_two_departments_chooses_one(client_as, org, department_a, department_b):
    user = AppointmentFactory(organisation=org, departments=[department_a, department_b]).user
    client = client_as(user)
    response = client.post(reverse("ambassadors:activity_create"), _activity_data())
    assert "Dit veld is verplicht." in response.content.decode()
    client.post(reverse("ambassadors:activity_create"), _activity_data(department=department_b.pk))
    assert Activity.objects.get().department == department_b


def test_event_places_are_said_once_and_pluralised(client_as, org, ambassador_a):
    full = EventFactory(organisation=org, capacity=15, title="Met plaatsen")
    Registration.objects.create(event=full, user=ambassador_a)
    EventFactory(organisation=org, capacity=None, title="Zonder limiet")
    body = client_as(ambassador_a).get(reverse("ambassadors:events")).content.decode()
    assert "1 van 15 plaatsen bezet" in body and "0 aanmeldingen" in body
    assert "U bent aangemeld" in body and "/15" not in body
    detail = client_as(ambassador_a).get(reverse("ambassadors:event", args=[full.pk])).content.decode()
    assert "1 van 15 plaatsen bezet" in detail


def test_hours_logged_and_agreed_are_one_figure_in_dutch(client_as, ambassador_a, department_a):
    ActivityFactory(organisation=ambassador_a.organisation, user=ambassador_a, hours=8, date=timezone.localdate())
    client = client_as(ambassador_a)
    totals = client.get(reverse("ambassadors:activity_list")).content.decode()
    assert '<p class="h4 mb-0">8,0</p>' in totals
