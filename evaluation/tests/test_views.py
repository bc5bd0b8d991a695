"""Views of the surveys: anonymous, forbidden, foreign and permitted; forms; query counts."""

from __future__ import annotations

import datetime
import io
import re
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from evaluation.models import Answer, Participation, Question, Response, Survey

pytestmark = pytest.mark.django_db


def _url(name, survey, *args):
    return reverse(f"evaluation:{name}", args=[survey.pk, *args])


def _post_data(survey, likert="4", choice="Bijlage", text=""):
    data = {}
    for question in survey.questions.all():
        name = f"question_{question.pk}"
        data[name] = {"likert": likert, "choice": choice, "text": text}[question.kind]
    return data


# --- Access ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["survey_detail", "survey_update", "survey_preview", "survey_results", "survey_respond"]
)
def test_anonymous_is_sent_to_login(client, make_survey, name):
    survey = make_survey()
    response = client.get(_url(name, survey))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_anonymous_is_sent_to_login_from_the_list(client):
    response = client.get(reverse("evaluation:survey_list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("name", ["survey_detail", "survey_update", "survey_preview", "survey_delete"])
def test_staff_and_managers_get_403_on_officer_pages(client_as, make_survey, staff_b, manager_a, name):
    survey = make_survey()
    assert client_as(staff_b).get(_url(name, survey)).status_code == 403
    assert client_as(manager_a).get(_url(name, survey)).status_code == 403


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("survey_open", []),
        ("survey_close", []),
        ("question_add", []),
        ("question_move", [1]),
        ("question_remove", [1]),
        ("question_edit", [1]),
        ("survey_delete", []),
    ],
)
def test_staff_gets_403_on_officer_actions(client_as, make_survey, staff_b, name, args):
    survey = make_survey()
    response = client_as(staff_b).post(_url(name, survey, *args))
    assert response.status_code == 403
    assert Survey.objects.get().status == Survey.Status.DRAFT


def test_staff_gets_403_on_list_and_create(client_as, staff_b):
    client = client_as(staff_b)
    assert client.get(reverse("evaluation:survey_list")).status_code == 403
    assert client.get(reverse("evaluation:survey_create")).status_code == 403
    assert client.get(reverse("evaluation:survey_results", args=[1])).status_code == 403


@pytest.mark.parametrize(
    "name", ["survey_detail", "survey_update", "survey_preview", "survey_results", "survey_respond"]
)
def test_a_survey_of_another_organisation_is_404(client_as, make_survey, officer, other_org, name):
    foreign = make_survey(organisation=other_org, status=Survey.Status.OPEN)
    assert client_as(officer).get(_url(name, foreign)).status_code == 404


def test_foreign_actions_are_404(client_as, make_survey, officer, other_org):
    foreign = make_survey(organisation=other_org)
    client = client_as(officer)
    question = foreign.questions.first()
    assert client.post(_url("survey_open", foreign)).status_code == 404
    assert client.post(_url("question_remove", foreign, question.pk)).status_code == 404
    assert client.post(_url("question_edit", foreign, question.pk), {"text": "X", "kind": "text"}).status_code == 404
    assert client.post(_url("survey_delete", foreign)).status_code == 404
    assert client.get(_url("survey_results_export", foreign, "csv")).status_code == 404
    assert Survey.objects.get().status == Survey.Status.DRAFT and foreign.questions.count() == 3


def test_a_question_of_another_survey_is_404(client_as, make_survey, officer):
    survey = make_survey()
    other = make_survey(title="Ander")
    response = client_as(officer).post(_url("question_remove", survey, other.questions.first().pk))
    assert response.status_code == 404
    assert client_as(officer).get(_url("question_edit", survey, other.questions.first().pk)).status_code == 404


# --- List -----------------------------------------------------------------------------------------


def test_officer_lists_surveys_with_counts_in_fixed_queries(
    client_as, make_survey, officer, other_org, django_assert_max_num_queries
):
    client = client_as(officer)
    make_survey(title="Concept-peiling")
    make_survey(organisation=other_org, title="Naburige peiling")
    client.get(reverse("evaluation:survey_list"))
    with django_assert_max_num_queries(9):
        response = client.get(reverse("evaluation:survey_list"))
    for index in range(10):
        make_survey(title=f"Peiling {index}", status=Survey.Status.OPEN)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("evaluation:survey_list"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Concept-peiling" in content and "Peiling 9" in content and "Naburige peiling" not in content


def test_manager_lists_only_surveys_that_went_out(client_as, make_survey, manager_a):
    make_survey(title="Concept-peiling")
    make_survey(title="Gesloten peiling", status=Survey.Status.CLOSED)
    response = client_as(manager_a).get(reverse("evaluation:survey_list"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Gesloten peiling" in content and "Concept-peiling" not in content
    assert "Nieuwe enquête" not in content


def _titles(response):
    return re.findall(r'<th scope="row">(?:<a [^>]*>)?([^<]+)', response.content.decode())


def test_the_list_is_searched_by_title_filtered_and_sorted_by_its_columns(
    client_as, make_survey, officer, django_assert_max_num_queries
):
    make_survey(title="Peiling voorjaar", deadline=timezone.localdate() + datetime.timedelta(days=5))
    make_survey(title="Peiling najaar", deadline=timezone.localdate() + datetime.timedelta(days=50))
    make_survey(title="Ambassadeursevaluatie", status=Survey.Status.OPEN)
    client = client_as(officer)
    url = reverse("evaluation:survey_list")
    assert _titles(client.get(url, {"q": "PEILING", "sort": "deadline"})) == ["Peiling voorjaar", "Peiling najaar"]
    assert _titles(client.get(url, {"q": "peiling", "sort": "-deadline"})) == ["Peiling najaar", "Peiling voorjaar"]
    assert _titles(client.get(url, {"sort": "titel"}))[0] == "Ambassadeursevaluatie"
    assert _titles(client.get(url, {"status": "open"})) == ["Ambassadeursevaluatie"]
    # An unknown key or status is ignored, never passed to the database.
    assert len(_titles(client.get(url, {"sort": "organisation__name", "status": "bogus"}))) == 3
    content = client.get(url, {"q": "peiling", "sort": "deadline"}).content.decode()
    assert 'aria-sort="ascending"' in content and "sort=-deadline" in content and "q=peiling" in content
    assert "Geen enquêtes gevonden" in client.get(url, {"q": "bestaat niet"}).content.decode()
    client.get(url, {"q": "peiling", "sort": "-antwoorden"})
    with django_assert_max_num_queries(9):
        client.get(url, {"q": "peiling", "sort": "-antwoorden"})
    for index in range(12):
        make_survey(title=f"Peiling {index}", status=Survey.Status.CLOSED)
    with django_assert_max_num_queries(9):
        assert len(_titles(client.get(url, {"q": "peiling", "sort": "-antwoorden"}))) == 14


def test_a_manager_cannot_filter_drafts_into_the_list(client_as, make_survey, manager_a):
    make_survey(title="Concept-peiling")
    content = client_as(manager_a).get(reverse("evaluation:survey_list"), {"status": "draft"}).content.decode()
    assert "Concept-peiling" not in content


# --- Building -------------------------------------------------------------------------------------


def test_officer_creates_a_survey_and_a_double_submit_stores_once(client_as, officer, department_a):
    client = client_as(officer)
    data = {
        "title": "Pulse voorjaar",
        "introduction": "Kort en anoniem.",
        "kind": Survey.Kind.STAFF_PULSE,
        "anonymous": "on",
        "audience": Survey.Audience.DEPARTMENTS,
        "departments": [department_a.pk],
        "deadline": (timezone.localdate() + datetime.timedelta(days=10)).isoformat(),
        "token": str(uuid.uuid4()),
    }
    first = client.post(reverse("evaluation:survey_create"), data)
    second = client.post(reverse("evaluation:survey_create"), data)
    survey = Survey.objects.get()
    assert first["Location"] == second["Location"] == _url("survey_detail", survey)
    assert survey.organisation == officer.organisation and survey.created_by == officer
    assert survey.status == Survey.Status.DRAFT and list(survey.departments.all()) == [department_a]


def test_bad_survey_input_gets_dutch_errors_and_keeps_what_was_typed(client_as, officer):
    response = client_as(officer).post(
        reverse("evaluation:survey_create"),
        {
            "title": "Pulse najaar",
            "kind": Survey.Kind.STAFF_PULSE,
            "audience": Survey.Audience.DEPARTMENTS,
            "deadline": "2020-01-01",
        },
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "De sluitingsdatum kan niet in het verleden liggen." in content
    assert "Kies ten minste één afdeling voor deze doelgroep." in content
    assert 'value="Pulse najaar"' in content
    assert not Survey.objects.exists()


def test_departments_of_another_organisation_cannot_be_chosen(client_as, officer, other_department):
    response = client_as(officer).post(
        reverse("evaluation:survey_create"),
        {
            "title": "Pulse",
            "kind": Survey.Kind.STAFF_PULSE,
            "audience": Survey.Audience.DEPARTMENTS,
            "departments": [other_department.pk],
            "deadline": (timezone.localdate() + datetime.timedelta(days=3)).isoformat(),
        },
    )
    assert response.status_code == 200 and not Survey.objects.exists()


def test_officer_adds_moves_and_removes_questions(client_as, make_survey, officer):
    survey = make_survey(questions=False)
    client = client_as(officer)
    token = str(uuid.uuid4())
    data = {"text": "Ik meld een datalek direct.", "kind": "likert", "required": "on", "token": token}
    client.post(_url("question_add", survey), data)
    client.post(_url("question_add", survey), data)  # double submit
    client.post(
        _url("question_add", survey),
        {"text": "Welk kanaal?", "kind": "choice", "options": "Mail\nTeams\n\nMail", "token": str(uuid.uuid4())},
    )
    assert list(survey.questions.values_list("text", "options")) == [
        ("Ik meld een datalek direct.", []),
        ("Welk kanaal?", ["Mail", "Teams"]),
    ]
    second = survey.questions.get(text="Welk kanaal?")
    client.post(_url("question_move", survey, second.pk), {"direction": "up"})
    assert survey.questions.first() == second
    client.post(_url("question_remove", survey, second.pk))
    assert list(survey.questions.values_list("text", flat=True)) == ["Ik meld een datalek direct."]
    response = client.get(_url("survey_detail", survey))
    assert response.status_code == 200 and "Ik meld een datalek direct." in response.content.decode()


def test_a_choice_question_without_options_gets_a_dutch_error_and_keeps_the_text(client_as, make_survey, officer):
    survey = make_survey(questions=False)
    response = client_as(officer).post(
        _url("question_add", survey), {"text": "Welk kanaal gebruikt u?", "kind": "choice", "options": "Alleen mail"}
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Geef ten minste twee antwoordmogelijkheden, één per regel." in content
    assert 'value="Welk kanaal gebruikt u?"' in content and "Alleen mail" in content
    assert not survey.questions.exists()


LOCKED = "Deze enquête is geopend: de instellingen en vragen kunnen niet meer worden gewijzigd"


def test_editing_questions_is_refused_once_the_survey_opens(client_as, open_survey, officer):
    survey = open_survey()
    client = client_as(officer)
    question = survey.questions.first()
    response = client.post(
        _url("question_add", survey), {"text": "Nieuw", "kind": "text", "token": str(uuid.uuid4())}, follow=True
    )
    assert LOCKED in response.content.decode()
    response = client.post(_url("question_remove", survey, question.pk), follow=True)
    assert LOCKED in response.content.decode()
    response = client.post(_url("question_move", survey, question.pk), {"direction": "down"}, follow=True)
    assert LOCKED in response.content.decode()
    response = client.get(_url("question_edit", survey, question.pk), follow=True)
    assert LOCKED in response.content.decode()
    response = client.post(_url("question_edit", survey, question.pk), {"text": "Anders", "kind": "text"}, follow=True)
    assert LOCKED in response.content.decode()
    assert survey.questions.count() == 3
    question.refresh_from_db()
    assert question.text == "Ik herken phishing."
    detail = client.get(_url("survey_detail", survey)).content.decode()
    assert "Vraag toevoegen" not in detail and 'data-testid="questions-locked"' in detail
    assert _url("question_edit", survey, question.pk) not in detail


def test_officer_changes_a_draft_question_and_a_bad_one_keeps_what_was_typed(client_as, make_survey, officer):
    survey = make_survey()
    question = survey.questions.get(order=2)
    client = client_as(officer)
    page = client.get(_url("question_edit", survey, question.pk)).content.decode()
    assert "Downloadlink" in page
    response = client.post(
        _url("question_edit", survey, question.pk),
        {"text": "Welk kanaal gebruikt u?", "kind": "choice", "options": "Alleen mail"},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Welk kanaal gebruikt u?" in content and "Alleen mail" in content
    question.refresh_from_db()
    assert question.text == "Hoe deelt u documenten?"
    client.post(
        _url("question_edit", survey, question.pk),
        {"text": "Welk kanaal gebruikt u?", "kind": "choice", "options": "Mail\nTeams", "required": "on"},
    )
    question.refresh_from_db()
    assert (question.text, question.options, question.required) == ("Welk kanaal gebruikt u?", ["Mail", "Teams"], True)


def test_deleting_a_draft_asks_for_confirmation_first(client_as, make_survey, officer):
    survey = make_survey(title="Weg ermee")
    client = client_as(officer)
    page = client.get(_url("survey_delete", survey)).content.decode()
    assert 'data-testid="delete-warning"' in page and "Weg ermee" in page
    assert Survey.objects.filter(pk=survey.pk).exists()
    response = client.post(_url("survey_delete", survey), follow=True)
    assert "De enquête “Weg ermee” is verwijderd." in response.content.decode()
    assert not Survey.objects.filter(pk=survey.pk).exists()


def test_an_open_survey_cannot_be_deleted(client_as, open_survey, officer, manager_a):
    survey = open_survey()
    client = client_as(officer)
    assert _url("survey_delete", survey) not in client.get(_url("survey_detail", survey)).content.decode()
    response = client.post(_url("survey_delete", survey), follow=True)
    assert "kan niet meer worden verwijderd" in response.content.decode()
    assert Survey.objects.filter(pk=survey.pk).exists()
    assert client_as(manager_a).post(_url("survey_delete", survey)).status_code == 403


def test_preview_shows_the_questions_without_a_submit(client_as, make_survey, officer):
    survey = make_survey()
    content = client_as(officer).get(_url("survey_preview", survey)).content.decode()
    assert "Ik herken phishing." in content and "Voorbeeld: zo zien invullers de enquête." in content
    assert "Antwoorden versturen" not in content


def test_officer_opens_and_closes_a_survey(
    client_as, make_survey, officer, staff_a, staff_b, django_capture_on_commit_callbacks, mailoutbox
):
    survey = make_survey()
    client = client_as(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("survey_open", survey), follow=True)
    assert "De enquête is open; 3 medewerkers zijn per e-mail uitgenodigd." in response.content.decode()
    assert len(mailoutbox) == 3
    response = client.post(_url("survey_open", survey), follow=True)
    assert "Deze enquête is al verstuurd." in response.content.decode()
    client.post(_url("survey_close", survey))
    survey.refresh_from_db()
    assert survey.status == Survey.Status.CLOSED


def test_opening_without_questions_is_refused_in_dutch(client_as, make_survey, officer):
    survey = make_survey(questions=False)
    response = client_as(officer).post(_url("survey_open", survey), follow=True)
    assert "Voeg ten minste één vraag toe voordat u de enquête opent." in response.content.decode()
    assert Survey.objects.get().status == Survey.Status.DRAFT


# --- Responding -----------------------------------------------------------------------------------


def test_invited_staff_see_the_survey_on_home_and_answer_once(client_as, open_survey, staff_a, team_a):
    survey = open_survey()
    client = client_as(staff_a)
    home = client.get("/").content.decode()
    assert "Enquêtes voor u" in home and _url("survey_respond", survey) in home
    assert client.get(_url("survey_respond", survey)).status_code == 200
    data = _post_data(survey, likert="5", text="Meer voorbeelden.")
    response = client.post(_url("survey_respond", survey), data, follow=True)
    assert "Hartelijk dank voor uw antwoorden." in response.content.decode()
    response = client.post(_url("survey_respond", survey), _post_data(survey, likert="1"), follow=True)
    assert "U heeft deze enquête al ingevuld. Uw eerste inzending is bewaard" in response.content.decode()
    assert Response.objects.filter(survey=survey).count() == 1
    assert list(Answer.objects.exclude(likert=None).values_list("likert", flat=True)) == [5]
    assert Response.objects.get().department == team_a and Response.objects.get().user is None
    assert "Enquêtes voor u" not in client.get("/").content.decode()
    response = client.get(_url("survey_respond", survey), follow=True)
    assert "U heeft deze enquête al ingevuld. Dank u wel!" in response.content.decode()


def test_missing_required_answers_get_a_dutch_error_and_keep_what_was_typed(client_as, open_survey, staff_a):
    survey = open_survey()
    data = _post_data(survey, likert="", text="Mijn open antwoord")
    response = client_as(staff_a).post(_url("survey_respond", survey), data)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Beantwoord deze vraag alstublieft." in content
    assert "Mijn open antwoord" in content
    assert re.search(r'<input[^>]*value="Bijlage"[^>]*checked', content)
    assert not Response.objects.exists()
    assert not Participation.objects.filter(responded_at__isnull=False).exists()


def test_someone_not_in_the_audience_gets_404(client_as, make_survey, department_a, staff_a, staff_b):
    from evaluation.surveys.services import survey_open

    survey = make_survey(audience=Survey.Audience.DEPARTMENTS)
    survey.departments.set([department_a])
    survey_open(survey=survey)
    client = client_as(staff_b)
    assert client.get(_url("survey_respond", survey)).status_code == 404
    assert client.post(_url("survey_respond", survey), _post_data(survey)).status_code == 404
    assert not Response.objects.exists()


def test_a_draft_cannot_be_answered(client_as, make_survey, staff_a):
    survey = make_survey()
    Participation.objects.create(survey=survey, user=staff_a)
    assert client_as(staff_a).get(_url("survey_respond", survey)).status_code == 404


def test_a_closed_survey_tells_the_respondent(client_as, open_survey, staff_a):
    survey = open_survey(deadline=timezone.localdate() - datetime.timedelta(days=1))
    response = client_as(staff_a).post(_url("survey_respond", survey), _post_data(survey), follow=True)
    assert "Deze enquête is gesloten" in response.content.decode()
    assert not Response.objects.exists()


# --- Results --------------------------------------------------------------------------------------


def _closed_with_responses(make_survey, add_responses, department_a, team_a, department_b, department_c):
    survey = make_survey(status=Survey.Status.CLOSED)
    add_responses(survey, department_b, 6, likert=2, text="Betere uitleg over wachtwoorden.")
    add_responses(survey, department_a, 3, likert=5)
    add_responses(survey, team_a, 2, likert=4)
    add_responses(survey, department_c, 1, likert=1)
    return survey


def test_officer_sees_results_with_the_group_size_rule_and_open_answers(
    client_as, make_survey, add_responses, officer, department_a, team_a, department_b, department_c
):
    survey = _closed_with_responses(make_survey, add_responses, department_a, team_a, department_b, department_c)
    response = client_as(officer).get(_url("survey_results", survey))
    content = response.content.decode()
    assert response.status_code == 200
    assert response.context["results"].respondents == 12
    groups = [(g.label, g.respondents) for g in response.context["results"].groups]
    assert groups == [("Werk en Inkomen", 6), ("Overig (kleinere groepen)", 6)]
    assert "Burgerzaken" not in content and "Vergunningen" not in content
    assert "Betere uitleg over wachtwoorden." in content
    # The total row of the statement: counts 1 to 5, the number answered and the mean (localised).
    compact = re.sub(r">\s+<", "><", content)
    cells = "<td>1</td><td>6</td><td>0</td><td>2</td><td>3</td><td>12</td><td>3,00</td>"
    assert f'<th scope="row">Totaal</th>{cells}' in compact


def test_manager_sees_only_their_departments_without_open_answers(
    client_as, make_survey, add_responses, manager_a, department_a, team_a, department_b, department_c
):
    survey = _closed_with_responses(make_survey, add_responses, department_a, team_a, department_b, department_c)
    add_responses(survey, team_a, 1, likert=4, text="Geheim antwoord uit het team.")
    response = client_as(manager_a).get(_url("survey_results", survey))
    content = response.content.decode()
    results = response.context["results"]
    assert response.status_code == 200
    assert results.respondents == 6
    # Burgerzaken (3) and its team (3) are each too small: together they form "overig".
    assert [(g.label, g.respondents) for g in results.groups] == [("Overig (kleinere groepen)", 6)]
    assert "Werk en Inkomen" not in content
    assert "Geheim antwoord" not in content and "Betere uitleg" not in content
    assert "Open antwoorden zijn alleen zichtbaar voor de functionarissen." in content


def test_manager_gets_404_for_a_draft_and_too_few_shows_nothing(
    client_as, make_survey, add_responses, manager_a, department_a
):
    draft = make_survey(title="Concept")
    client = client_as(manager_a)
    assert client.get(_url("survey_results", draft)).status_code == 404
    survey = make_survey(status=Survey.Status.CLOSED)
    add_responses(survey, department_a, 4)
    content = client.get(_url("survey_results", survey)).content.decode()
    assert "Er hebben minder dan vijf personen gereageerd" in content


def test_results_run_a_fixed_number_of_queries(
    client_as, make_survey, add_responses, officer, org, django_assert_max_num_queries
):
    from accounts.tests.factories import DepartmentFactory

    survey = make_survey(status=Survey.Status.CLOSED)
    departments = [DepartmentFactory(organisation=org, name=f"Afdeling {i}", code=f"Q{i}") for i in range(6)]
    add_responses(survey, departments[0], 5, text="Open")
    client = client_as(officer)
    client.get(_url("survey_results", survey))
    with django_assert_max_num_queries(13):
        assert client.get(_url("survey_results", survey)).status_code == 200
    for index, department in enumerate(departments):
        add_responses(survey, department, 5 + index, likert=1 + index % 5, text=f"Open {index}")
    Question.objects.create(survey=survey, order=4, text="Extra", kind="likert")
    with django_assert_max_num_queries(13):
        response = client.get(_url("survey_results", survey))
    assert len(response.context["results"].groups) == 6


def test_results_export_as_csv_and_xlsx(client_as, make_survey, add_responses, officer, department_a, manager_a):
    survey = make_survey(status=Survey.Status.CLOSED, title="Pulse")
    add_responses(survey, department_a, 5, likert=3, text="=HYPERLINK(1)")
    client = client_as(officer)
    csv = client.get(_url("survey_results_export", survey, "csv"))
    assert csv["Content-Type"].startswith("text/csv")
    text = csv.getvalue().decode("utf-8-sig")
    assert "Ik herken phishing.;Totaal;3;5;" in text
    assert "Ik herken phishing.;Burgerzaken;Gemiddelde;5;3,00" in text
    assert "'=HYPERLINK(1)" in text
    xlsx = client.get(_url("survey_results_export", survey, "xlsx"))
    sheet = load_workbook(io.BytesIO(xlsx.getvalue())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Nummer", "Vraag", "Groep", "Antwoord")
    assert (1, "Ik herken phishing.", "Totaal", "3", 5, None) in rows
    manager_csv = client_as(manager_a).get(_url("survey_results_export", survey, "csv")).getvalue().decode("utf-8-sig")
    assert "HYPERLINK" not in manager_csv and "Burgerzaken" in manager_csv
    assert client.get(_url("survey_results_export", survey, "pdf")).status_code == 404


def test_officer_changes_a_draft_but_not_an_open_survey(client_as, make_survey, officer):
    survey = make_survey()
    client = client_as(officer)
    data = {
        "title": "Nieuwe titel",
        "kind": Survey.Kind.AMBASSADOR_EVALUATION,
        "audience": Survey.Audience.AMBASSADORS,
        "deadline": (timezone.localdate() + datetime.timedelta(days=5)).isoformat(),
    }
    assert client.get(_url("survey_update", survey)).status_code == 200
    client.post(_url("survey_update", survey), data)
    survey.refresh_from_db()
    assert (survey.title, survey.anonymous, survey.audience) == ("Nieuwe titel", False, "ambassadors")
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.OPEN)
    response = client.post(_url("survey_update", survey), {**data, "title": "Te laat"}, follow=True)
    assert LOCKED in response.content.decode()
    assert Survey.objects.get().title == "Nieuwe titel"


def test_home_panel_costs_one_query_whatever_the_number_of_surveys(
    client_as, open_survey, staff_a, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_as(staff_a)
    open_survey(title="Peiling 0")
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    for index in range(1, 8):
        open_survey(title=f"Peiling {index}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        content = client.get("/").content.decode()
    assert "Peiling 0" in content and "Peiling 7" in content
