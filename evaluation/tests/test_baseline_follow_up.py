"""Baseline (0-meting) and follow-up (1-meting): the tests of significance, marking, comparing, access."""

from __future__ import annotations

import datetime
import math

import pytest
from django.urls import reverse

from evaluation.surveys import services
from evaluation.surveys.compare import choose_compare_groups, compare_surveys
from evaluation.surveys.models import Question, Survey
from evaluation.surveys.stats import t_two_sided_p, two_proportion_z_test, welch_t_test

# --- The tests themselves, against values from statistical tables -------------------------------------------


def test_t_distribution_against_tables():
    assert t_two_sided_p(2.228, 10) == pytest.approx(0.05, abs=1e-4)
    assert t_two_sided_p(2.0, 10) == pytest.approx(0.0734, abs=1e-4)
    assert t_two_sided_p(1.96, 1e6) == pytest.approx(0.05, abs=1e-4)
    assert t_two_sided_p(0.0, 5) == pytest.approx(1.0)


def _sums(values):
    return len(values), float(sum(values)), float(sum(v * v for v in values))


def test_welch_t_test_matches_a_worked_example():
    # Two samples with unequal variances; t = -2.8293, df = 13.97, p = 0.0134 (computed independently).
    a = [3, 4, 3, 2, 3, 4, 3, 2, 3, 3]
    b = [4, 5, 4, 3, 5, 4, 5, 3, 4]
    result = welch_t_test(*_sums(a), *_sums(b))
    mean_a, mean_b = sum(a) / len(a), sum(b) / len(b)
    var_a = sum((x - mean_a) ** 2 for x in a) / (len(a) - 1)
    var_b = sum((x - mean_b) ** 2 for x in b) / (len(b) - 1)
    t = (mean_b - mean_a) / math.sqrt(var_a / len(a) + var_b / len(b))
    assert result.statistic == pytest.approx(t)
    assert 0.0001 < result.p_value < 0.05 and result.significant


def test_welch_t_test_small_changes_are_chance():
    result = welch_t_test(*_sums([3, 4, 3, 4, 3]), *_sums([4, 3, 4, 3, 4]))
    assert not result.significant and result.p_value > 0.3


def test_welch_edge_cases():
    assert welch_t_test(*_sums([4]), *_sums([4, 5])).p_value is None  # a group of one
    assert welch_t_test(*_sums([4] * 5), *_sums([4] * 5)).p_value == 1.0
    assert welch_t_test(*_sums([3] * 5), *_sums([5] * 5)).significant


def test_two_proportion_z_test():
    result = two_proportion_z_test(30, 100, 45, 100)
    assert result.statistic == pytest.approx(2.1909, abs=1e-4)
    assert result.p_value == pytest.approx(0.0285, abs=1e-4) and result.significant
    assert not two_proportion_z_test(3, 10, 4, 10).significant
    assert two_proportion_z_test(0, 10, 0, 10).p_value == 1.0
    assert two_proportion_z_test(0, 0, 1, 10).p_value is None


# --- Groups shown on both sides ---------------------------------------------------------------------------


def test_a_department_shows_only_with_five_on_both_sides():
    names = {1: "A", 2: "B", 3: "C"}
    groups = choose_compare_groups({1: 6, 2: 7, 3: 5}, {1: 6, 2: 3, 3: 5}, names)
    # B has 3 in the follow-up: merged into "overig", which is then 7 and 3, so C (the smallest) goes too.
    assert [(g.key, g.before, g.after) for g in groups] == [(1, 6, 6), (0, 12, 8)]


def test_no_departments_when_overig_cannot_be_made_large_enough():
    assert choose_compare_groups({1: 5, 2: 2}, {1: 5, 2: 1}, {1: "A", 2: "B"}) == []


# --- Marking and comparing -------------------------------------------------------------------------------


@pytest.fixture
def pair(make_survey, add_responses, department_a, department_b):
    today = datetime.date.today()
    baseline = make_survey(title="0-meting phishing", status="closed", deadline=today - datetime.timedelta(days=100))
    follow_up = make_survey(title="1-meting phishing", status="closed", deadline=today - datetime.timedelta(days=1))
    services.survey_set_measurement(survey=baseline, data={"measurement": "baseline", "campaign": "Phishing"})
    services.survey_set_measurement(survey=follow_up, data={"measurement": "follow_up", "baseline": baseline})
    add_responses(baseline, department_a, 6, likert=2, choice="Bijlage")
    add_responses(baseline, department_b, 5, likert=3, choice="Bijlage")
    add_responses(follow_up, department_a, 6, likert=5, choice="Downloadlink")
    add_responses(follow_up, department_b, 5, likert=3, choice="Bijlage")
    follow_up.refresh_from_db()
    return baseline, follow_up


@pytest.mark.django_db
def test_the_follow_up_takes_the_campaign_and_refuses_what_does_not_match(make_survey):
    today = datetime.date.today()
    baseline = make_survey(deadline=today + datetime.timedelta(days=10))
    services.survey_set_measurement(survey=baseline, data={"measurement": "baseline", "campaign": "Phishing"})
    earlier = make_survey(deadline=today + datetime.timedelta(days=5))
    with pytest.raises(services.ValidationError, match="later eindigen"):
        services.survey_set_measurement(survey=earlier, data={"measurement": "follow_up", "baseline": baseline})
    other = make_survey(deadline=today + datetime.timedelta(days=30))
    Question.objects.filter(survey=other, order=1).update(text="Iets anders")
    with pytest.raises(services.ValidationError, match="dezelfde vragen"):
        services.survey_set_measurement(survey=other, data={"measurement": "follow_up", "baseline": baseline})
    good = make_survey(deadline=today + datetime.timedelta(days=30))
    services.survey_set_measurement(survey=good, data={"measurement": "follow_up", "baseline": baseline})
    good.refresh_from_db()
    assert good.campaign == "Phishing" and good.baseline_id == baseline.pk
    with pytest.raises(services.ValidationError):
        services.survey_set_measurement(survey=baseline, data={"measurement": ""})


@pytest.mark.django_db
def test_a_baseline_of_another_organisation_is_refused(make_survey, other_org):
    today = datetime.date.today()
    foreign = make_survey(organisation=other_org, deadline=today)
    Survey.objects.filter(pk=foreign.pk).update(measurement="baseline", campaign="X")
    foreign.refresh_from_db()
    mine = make_survey(deadline=today + datetime.timedelta(days=30))
    with pytest.raises(services.ValidationError, match="organisatie"):
        services.survey_set_measurement(survey=mine, data={"measurement": "follow_up", "baseline": foreign})


@pytest.mark.django_db
def test_comparison_per_question_and_department(pair, department_a, department_b):
    baseline, follow_up = pair
    comparison = compare_surveys(follow_up)
    assert not comparison.error
    likert = comparison.questions[0]
    rows = {row.group.key: row for row in likert.rows}
    assert str(rows[None].before.value) == "2.45" and str(rows[None].after.value) == "4.09"
    assert rows[department_a.pk].change == 3 and rows[department_a.pk].test.significant
    assert rows[department_b.pk].change == 0 and not rows[department_b.pk].test.significant
    choice = {(row.group.key, row.option): row for row in comparison.questions[1].rows}
    assert choice[(department_a.pk, "Downloadlink")].before.value == 0
    assert choice[(department_a.pk, "Downloadlink")].after.value == 100
    assert choice[(department_a.pk, "Downloadlink")].test.significant
    assert len(comparison.questions) == 2  # the open question is never compared


@pytest.mark.django_db
def test_compare_page_runs_a_fixed_number_of_queries(
    client_as, officer, pair, add_responses, department_a, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _baseline, follow_up = pair
    client = client_as(officer)
    url = reverse("evaluation:survey_compare", args=[follow_up.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        response = client.get(url)
    assert "Welch" in response.content.decode()
    add_responses(follow_up, department_a, 30, likert=4)
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after) == len(before) <= 12


@pytest.mark.django_db
def test_compare_access(client, client_as, pair, officer, manager_a, staff_b, outsider, department_a):
    _baseline, follow_up = pair
    url = reverse("evaluation:survey_compare", args=[follow_up.pk])
    assert client.get(url).status_code == 302
    assert client_as(staff_b).get(url).status_code == 403
    assert client_as(outsider).get(url).status_code in (403, 404)
    assert client_as(officer).get(url).status_code == 200
    page = client_as(manager_a).get(url).content.decode()
    # The manager of A sees their scope only: Werk en Inkomen never shows.
    assert "0-meting phishing" in page and "Werk en Inkomen" not in page


@pytest.mark.django_db
def test_a_survey_without_baseline_has_no_comparison(client_as, officer, make_survey):
    survey = make_survey(status="closed")
    assert client_as(officer).get(reverse("evaluation:survey_compare", args=[survey.pk])).status_code == 404


@pytest.mark.django_db
def test_measurement_page(client, client_as, officer, manager_a, make_survey):
    today = datetime.date.today()
    baseline = make_survey(title="Nulmeting", deadline=today)
    url = reverse("evaluation:survey_measurement", args=[baseline.pk])
    assert client.get(url).status_code == 302
    assert client_as(manager_a).get(url).status_code == 403
    officer_client = client_as(officer)
    response = officer_client.post(url, {"measurement": "baseline", "campaign": ""})
    assert response.status_code == 200 and "Geef de bewustwordingscampagne" in response.content.decode()
    assert officer_client.post(url, {"measurement": "baseline", "campaign": "Phishing"}).status_code == 302
    follow_up = make_survey(title="Eenmeting", deadline=today + datetime.timedelta(days=60))
    url = reverse("evaluation:survey_measurement", args=[follow_up.pk])
    response = officer_client.post(url, {"measurement": "follow_up", "baseline": baseline.pk})
    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.baseline_id == baseline.pk and follow_up.campaign == "Phishing"
