"""Services and rules of the surveys: anonymity, one response per person, group sizes, mails, reminders, KPI."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.tests.factories import UserFactory
from core.models import OutboxMessage
from evaluation.models import Answer, Participation, Question, Response, Survey
from evaluation.surveys import services
from evaluation.surveys.results import choose_groups, survey_results

pytestmark = pytest.mark.django_db


def _answers(survey, likert=4, choice="Bijlage", text="Meer uitleg graag."):
    values = {}
    for question in survey.questions.all():
        if question.kind == Question.Kind.LIKERT:
            values[question.pk] = likert
        elif question.kind == Question.Kind.CHOICE:
            values[question.pk] = choice
        else:
            values[question.pk] = text
    return values


# --- Anonymity and one response per person ------------------------------------------------------


def test_anonymous_response_stores_no_user_at_the_database_level(open_survey, staff_a, team_a):
    survey = open_survey()
    services.response_submit(survey=survey, user=staff_a, answers=_answers(survey))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT user_id, department_id FROM {Response._meta.db_table} WHERE survey_id = %s", [survey.pk]
        )
        rows = cursor.fetchall()
    assert rows == [(None, team_a.pk)]
    answer_columns = {field.column for field in Answer._meta.concrete_fields}
    assert not any("user" in column for column in answer_columns)
    assert Answer.objects.filter(response__survey=survey).count() == 3
    # The participation knows that, not what; its time is kept to the day so it cannot be matched by order.
    participation = Participation.objects.get(survey=survey, user=staff_a)
    local = timezone.localtime(participation.responded_at)
    assert (local.hour, local.minute, local.second) == (0, 0, 0)
    assert Response.objects.get(survey=survey).submitted_at == participation.responded_at


def test_named_survey_stores_the_respondent(open_survey, staff_a):
    survey = open_survey(anonymous=False)
    response = services.response_submit(survey=survey, user=staff_a, answers=_answers(survey))
    assert response.user == staff_a


def test_a_second_response_is_refused_and_stores_nothing(open_survey, staff_a):
    survey = open_survey()
    services.response_submit(survey=survey, user=staff_a, answers=_answers(survey, likert=5))
    with pytest.raises(services.AlreadyResponded):
        services.response_submit(survey=survey, user=staff_a, answers=_answers(survey, likert=1))
    assert Response.objects.filter(survey=survey).count() == 1
    assert list(Answer.objects.filter(likert__isnull=False).values_list("likert", flat=True)) == [5]


def test_participation_is_unique_per_survey_and_user(open_survey, staff_a):
    survey = open_survey()
    with pytest.raises(IntegrityError), transaction.atomic():
        Participation.objects.create(survey=survey, user=staff_a)


def test_someone_outside_the_audience_cannot_respond(open_survey, department_a, staff_b):
    survey = open_survey(audience=Survey.Audience.DEPARTMENTS)
    Participation.objects.filter(survey=survey, user=staff_b).delete()
    with pytest.raises(services.NotInvited):
        services.response_submit(survey=survey, user=staff_b, answers=_answers(survey))
    assert not Response.objects.exists()


def test_a_closed_survey_takes_no_response(open_survey, staff_a):
    survey = open_survey()
    services.survey_close(survey=survey)
    with pytest.raises(ValidationError):
        services.response_submit(survey=survey, user=staff_a, answers=_answers(survey))
    assert not Response.objects.exists()
    assert not Participation.objects.filter(responded_at__isnull=False).exists()


def test_likert_outside_one_to_five_is_refused_by_the_database(open_survey):
    survey = open_survey()
    response = Response.objects.create(survey=survey, submitted_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.create(response=response, question=survey.questions.first(), likert=6)


# --- Building and opening -------------------------------------------------------------------------


def test_questions_are_added_moved_and_removed(make_survey):
    survey = make_survey(questions=False)
    first = services.question_add(survey=survey, data={"text": "Een", "kind": "likert", "required": True})
    second = services.question_add(
        survey=survey, data={"text": "Twee", "kind": "choice", "options": ["Ja", "Nee"], "required": False}
    )
    services.question_move(question=second, direction="up")
    assert list(survey.questions.values_list("text", flat=True)) == ["Twee", "Een"]
    services.question_remove(question=first)
    assert list(survey.questions.values_list("text", "options")) == [("Twee", ["Ja", "Nee"])]


def test_settings_and_questions_are_locked_once_the_survey_opens(open_survey):
    survey = open_survey()
    question = survey.questions.first()
    with pytest.raises(ValidationError, match="geopend"):
        services.question_add(survey=survey, data={"text": "Nieuw", "kind": "text", "required": False})
    with pytest.raises(ValidationError, match="geopend"):
        services.question_update(question=question, data={"text": "Anders", "kind": "text", "required": False})
    with pytest.raises(ValidationError):
        services.question_remove(question=question)
    with pytest.raises(ValidationError):
        services.question_move(question=question, direction="down")
    with pytest.raises(ValidationError, match="geopend"):
        services.survey_delete(survey=survey)
    assert survey.questions.count() == 3
    question.refresh_from_db()
    assert question.text == "Ik herken phishing."


def test_a_draft_question_is_changed_and_a_draft_survey_deleted(make_survey):
    survey = make_survey()
    question = survey.questions.get(order=2)
    services.question_update(
        question=question,
        data={"text": "Welk kanaal?", "kind": "likert", "options": ["Mail", "Chat"], "required": True},
    )
    question.refresh_from_db()
    assert (question.text, question.kind, question.options, question.required) == ("Welk kanaal?", "likert", [], True)
    services.survey_delete(survey=survey)
    assert not type(survey).objects.filter(pk=survey.pk).exists()


def test_opening_invites_the_audience_of_chosen_departments_with_their_teams(
    make_survey, department_a, staff_a, manager_a, staff_b, outsider, django_capture_on_commit_callbacks, mailoutbox
):
    survey = make_survey(audience=Survey.Audience.DEPARTMENTS)
    survey.departments.set([department_a])
    with django_capture_on_commit_callbacks(execute=True):
        invited = services.survey_open(survey=survey)
    assert invited == 2
    assert set(Participation.objects.filter(survey=survey).values_list("user__email", flat=True)) == {
        staff_a.email,
        manager_a.email,
    }
    assert sorted(mail.to[0] for mail in mailoutbox) == sorted([staff_a.email, manager_a.email])
    assert "Bewustzijnspeiling" in mailoutbox[0].subject
    assert f"/evaluatie/enquetes/{survey.pk}/invullen/" in mailoutbox[0].body
    survey.refresh_from_db()
    assert survey.status == Survey.Status.OPEN and survey.opens_at is not None
    # One outbox message for the whole audience, not one per person.
    assert OutboxMessage.objects.filter(task_name="evaluation.tasks.send_survey_invitations").count() == 1


def test_opening_twice_or_without_questions_is_refused(make_survey, staff_a):
    empty = make_survey(questions=False)
    with pytest.raises(ValidationError, match="vraag"):
        services.survey_open(survey=empty)
    survey = make_survey()
    services.survey_open(survey=survey)
    with pytest.raises(ValidationError):
        services.survey_open(survey=survey)


def test_ambassador_audience_is_the_current_ambassadors(make_survey, ambassador_a, staff_a, officer):
    survey = make_survey(audience=Survey.Audience.AMBASSADORS)
    services.survey_open(survey=survey)
    assert list(Participation.objects.filter(survey=survey).values_list("user", flat=True)) == [ambassador_a.pk]


def test_invitation_retry_sends_each_mail_once(open_survey, staff_a, staff_b, mailoutbox):
    from evaluation.tasks import send_survey_invitations

    survey = open_survey()
    first = send_survey_invitations.apply(kwargs={"survey_id": survey.pk}).get()
    second = send_survey_invitations.apply(kwargs={"survey_id": survey.pk}).get()
    assert first == Participation.objects.filter(survey=survey).count() and second == 0
    assert len(mailoutbox) == first


# --- Reminders ------------------------------------------------------------------------------------


def test_reminders_go_to_non_respondents_once_a_day_near_the_deadline(
    open_survey, staff_a, staff_b, officer, django_capture_on_commit_callbacks, mailoutbox
):
    today = timezone.localdate()
    survey = open_survey(deadline=today + datetime.timedelta(days=2))
    far = open_survey(title="Later", deadline=today + datetime.timedelta(days=20))
    services.response_submit(survey=survey, user=staff_a, answers=_answers(survey))
    officer.receives_reminders = False
    officer.save(update_fields=["receives_reminders"])
    with django_capture_on_commit_callbacks(execute=True):
        assert services.survey_send_reminders(today=today) == 1
    assert {mail.to[0] for mail in mailoutbox} == {staff_b.email}
    assert "Herinnering" in mailoutbox[0].subject
    with django_capture_on_commit_callbacks(execute=True):
        assert services.survey_send_reminders(today=today) == 0
    assert len(mailoutbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.survey_send_reminders(today=today + datetime.timedelta(days=1))
    assert len(mailoutbox) == 2
    assert not OutboxMessage.objects.filter(key__startswith=f"evaluation:survey-reminder:{far.pk}:").exists()


def test_the_daily_task_queues_reminders(open_survey, staff_a, django_capture_on_commit_callbacks, mailoutbox):
    from evaluation.tasks import send_survey_reminders

    open_survey(deadline=timezone.localdate())
    with django_capture_on_commit_callbacks(execute=True):
        assert send_survey_reminders.apply().get() == 1
    assert staff_a.email in {mail.to[0] for mail in mailoutbox}


def test_expired_surveys_are_closed(open_survey):
    survey = open_survey(deadline=timezone.localdate() - datetime.timedelta(days=1))
    assert services.survey_close_expired() == 1
    survey.refresh_from_db()
    assert survey.status == Survey.Status.CLOSED


# --- Group-size rule ------------------------------------------------------------------------------


def test_small_departments_merge_into_other():
    groups, merged, hidden = choose_groups({1: 7, 2: 5, 3: 3, 4: 2, None: 1}, {1: "A", 2: "B", 3: "C", 4: "D"})
    assert [(g.label, g.respondents) for g in groups] == [("A", 7), ("B", 5), ("Overig (kleinere groepen)", 6)]
    assert (merged, hidden) == (6, 0)


def test_other_under_five_takes_the_smallest_department_so_no_group_can_be_derived():
    groups, merged, hidden = choose_groups({1: 9, 2: 6, 3: 2}, {1: "A", 2: "B", 3: "C"})
    assert [(g.label, g.respondents) for g in groups] == [("A", 9), ("Overig (kleinere groepen)", 8)]
    assert (merged, hidden) == (8, 0)


def test_other_under_five_without_departments_is_not_shown():
    groups, merged, hidden = choose_groups({1: 2, 2: 1}, {1: "A", 2: "B"})
    assert groups == [] and (merged, hidden) == (0, 3)


def test_results_per_department_follow_the_group_size_rule(
    make_survey, add_responses, department_a, department_b, department_c
):
    survey = make_survey(status=Survey.Status.CLOSED)
    add_responses(survey, department_a, 5, likert=5, text="Meer uitleg.")
    add_responses(survey, department_b, 3, likert=2)
    add_responses(survey, department_c, 2, likert=1, choice="Bijlage")
    results = survey_results(survey, include_open_answers=True)
    assert results.shown and results.respondents == 10
    assert [(g.label, g.respondents) for g in results.groups] == [
        ("Burgerzaken", 5),
        ("Overig (kleinere groepen)", 5),
    ]
    likert, choice, text = results.questions
    assert [(row.group.label, row.counts, row.mean) for row in likert.rows] == [
        ("Totaal", [2, 3, 0, 0, 5], Decimal("3.30")),
        ("Burgerzaken", [0, 0, 0, 0, 5], Decimal("5.00")),
        ("Overig (kleinere groepen)", [2, 3, 0, 0, 0], Decimal("1.60")),
    ]
    assert choice.columns == ["Downloadlink", "Bijlage"]
    assert [row.counts for row in choice.rows] == [[8, 2], [5, 0], [3, 2]]
    assert text.open_answers == ["Meer uitleg."] * 5 and text.rows == []
    assert results.table_rows()[-1][1:4] == ["Wat kan beter?", "Totaal", "Open antwoord"]


def test_fewer_than_five_respondents_show_nothing(make_survey, add_responses, department_a):
    survey = make_survey(status=Survey.Status.CLOSED)
    add_responses(survey, department_a, 4, text="Iets")
    results = survey_results(survey, include_open_answers=True)
    assert not results.shown and results.groups == []
    assert all(not q.rows and not q.open_answers for q in results.questions)


def test_manager_scope_counts_only_their_departments(make_survey, add_responses, department_a, team_a, department_b):
    survey = make_survey(status=Survey.Status.CLOSED)
    add_responses(survey, department_a, 3, likert=5)
    add_responses(survey, team_a, 3, likert=3)
    add_responses(survey, department_b, 9, likert=1, text="Geheim")
    results = survey_results(survey, scope_ids={department_a.pk, team_a.pk}, include_open_answers=False)
    assert results.respondents == 6
    assert [(g.label, g.respondents) for g in results.groups] == [("Overig (kleinere groepen)", 6)]
    assert results.questions[0].rows[0].mean == Decimal("4.00")
    assert results.questions[2].open_answers == []


def test_results_take_one_aggregate_over_the_answers_and_round_means_half_up(
    make_survey, add_responses, department_a, django_assert_num_queries
):
    survey = make_survey(status=Survey.Status.CLOSED)
    add_responses(survey, department_a, 7, likert=3, text="Open")
    # An option no longer in the list still counts, in a column of its own.
    add_responses(survey, department_a, 1, likert=4, choice="USB-stick")
    # Questions, respondents per department, the tables, the open answers.
    with django_assert_num_queries(4):
        results = survey_results(survey, include_open_answers=True)
    likert, choice, text = results.questions
    # 25 / 8 = 3.125: rounded half up, not to the even 3.12.
    assert [(row.group.label, row.counts, row.answered, row.mean) for row in likert.rows] == [
        ("Totaal", [0, 0, 7, 1, 0], 8, Decimal("3.13")),
        ("Burgerzaken", [0, 0, 7, 1, 0], 8, Decimal("3.13")),
    ]
    assert choice.columns == ["Downloadlink", "Bijlage", "USB-stick"]
    assert [(row.counts, row.mean) for row in choice.rows] == [([7, 0, 1], None), ([7, 0, 1], None)]
    row_template = "evaluation/surveys/survey_results.html#result-row"
    with translation.override("nl"):
        assert render_to_string(row_template, {"row": likert.rows[0], "is_likert": True}) == (
            '<tr class="fw-semibold"><th scope="row">Totaal</th>'
            "<td>0</td><td>0</td><td>7</td><td>1</td><td>0</td><td>8</td><td>3,13</td></tr>"
        )
        assert "<td>3,13</td>" not in render_to_string(row_template, {"row": choice.rows[0], "is_likert": False})
    assert text.open_answers == ["Open"] * 7
    # Without open answers (or without open questions) their query is not run.
    with django_assert_num_queries(3):
        survey_results(survey, include_open_answers=False)


def test_a_result_row_shows_dutch_thousands_and_escapes_the_group_name():
    from evaluation.surveys.results import Group, ResultRow

    row = ResultRow(group=Group(7, "R&D <team>", 12345), answered=12345, counts=[2345, 10000], mean=Decimal("4.50"))
    template = "evaluation/surveys/survey_results.html#result-row"
    with translation.override("nl"):
        html = render_to_string(template, {"row": row, "is_likert": True})
    assert html == (
        '<tr><th scope="row">R&amp;D &lt;team&gt;</th><td>2.345</td><td>10.000</td><td>12.345</td><td>4,50</td></tr>'
    )
    with translation.override("en"):
        assert "<td>12,345</td><td>4.50</td>" in render_to_string(template, {"row": row, "is_likert": True})
    # A multiple-choice row has no mean; the total's row is bold.
    total = ResultRow(group=Group(None, "Totaal", 5), answered=5, counts=[5], mean=None)
    assert render_to_string(template, {"row": total, "is_likert": False}) == (
        '<tr class="fw-semibold"><th scope="row">Totaal</th><td>5</td><td>5</td></tr>'
    )


# --- KPI ------------------------------------------------------------------------------------------


def test_survey_score_kpi_is_one_query_and_respects_departments(
    make_survey, add_responses, org, department_a, department_b, django_assert_num_queries
):
    from programme.kpis import registry

    survey = make_survey(status=Survey.Status.CLOSED)
    add_responses(survey, department_a, 5, likert=5)
    add_responses(survey, department_b, 5, likert=2)
    measure = registry.get("survey_score")
    today = timezone.localdate()
    start, end = today - datetime.timedelta(days=30), today
    with django_assert_num_queries(1):
        assert measure.compute(org, start, end, None) == Decimal("3.50")
    assert measure.compute(org, start, end, [department_a.pk]) == Decimal("5.00")
    assert measure.compute(org, today - datetime.timedelta(days=90), today - datetime.timedelta(days=31), None) is None


def test_survey_score_kpi_hides_a_small_group(make_survey, add_responses, org, department_a):
    from programme.kpis import registry

    survey = make_survey(status=Survey.Status.CLOSED)
    add_responses(survey, department_a, 3, likert=5)
    today = timezone.localdate()
    assert registry.get("survey_score").compute(org, today, today, [department_a.pk]) is None


def test_other_organisations_do_not_count_in_the_kpi(make_survey, add_responses, org, other_org, other_department):
    from programme.kpis import registry

    survey = make_survey(organisation=other_org, status=Survey.Status.CLOSED)
    add_responses(survey, other_department, 6, likert=1)
    today = timezone.localdate()
    assert registry.get("survey_score").compute(org, today, today, None) is None
    assert UserFactory  # the factory module is importable for the e2e helpers too


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_submits_store_one_response(open_survey, staff_a):
    import threading

    from django.db import connections

    if connection.vendor != "postgresql":
        pytest.skip("a real race needs PostgreSQL's row locks")
    survey = open_survey()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def submit(likert: int) -> None:
        try:
            barrier.wait()
            services.response_submit(survey=survey, user=staff_a, answers=_answers(survey, likert=likert))
            outcomes.append("stored")
        except services.AlreadyResponded:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(value,)) for value in (1, 5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused", "stored"]
    assert Response.objects.filter(survey=survey).count() == 1
    assert Answer.objects.filter(response__survey=survey, likert__isnull=False).count() == 1
