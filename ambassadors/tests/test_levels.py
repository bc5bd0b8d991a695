"""Ambassador levels: the points computation, the rules page, the officers' settings and suggestions."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from ambassadors import levels
from ambassadors.models import DEFAULT_POINTS, Activity, PointsScheme, Recognition
from ambassadors.tests.factories import ActivityFactory, AppointmentFactory

pytestmark = pytest.mark.django_db


def _points(user):
    scheme = PointsScheme.for_organisation(user.organisation_id)
    row = levels.with_points(type(user).objects.filter(pk=user.pk), scheme, "pk").values(
        "points", "level_number", "recognised_points"
    )[0]
    return levels.standing(scheme, row["points"], row["level_number"], row["recognised_points"])


def test_points_by_kind_and_time_with_the_default_rules(org, ambassador_a):
    # A talk: 10 + 5 per hour; own learning: 2 + 1 per hour.
    ActivityFactory(organisation=org, user=ambassador_a, kind=Activity.Kind.TALK, hours=Decimal("1.5"))
    ActivityFactory(organisation=org, user=ambassador_a, kind=Activity.Kind.LEARNING, hours=Decimal("2"))
    standing = _points(ambassador_a)
    assert standing.points == 17 + 4  # 17.5 rounded down is 17
    assert standing.level.name == "Starter" and standing.next_level.name == "Actief"
    assert standing.to_go == 50 - 21
    assert not standing.suggest  # the first level is no milestone


def test_outreach_earns_more_than_own_learning():
    talk, learning = DEFAULT_POINTS["talk"], DEFAULT_POINTS["learning"]
    assert talk[0] > learning[0] and talk[1] > learning[1]


def test_the_organisations_own_rules_count_and_nothing_crosses(org, other_org, ambassador_a):
    PointsScheme.objects.create(
        organisation=org,
        points={"talk": [100, 0]},
        levels=[{"name": "Brons", "points": 0}, {"name": "Zilver", "points": 100}],
    )
    ActivityFactory(organisation=org, user=ambassador_a, kind=Activity.Kind.TALK)
    ActivityFactory(organisation=org, user=ambassador_a, kind=Activity.Kind.QUESTION)  # 0 under these rules
    # An activity logged in another organisation never counts here.
    ActivityFactory(organisation=other_org, user=ambassador_a, kind=Activity.Kind.TALK)
    standing = _points(ambassador_a)
    assert standing.points == 100 and standing.level.name == "Zilver" and standing.suggest


def test_a_recognition_of_the_level_ends_the_suggestion(org, ambassador_a):
    for _i in range(6):
        ActivityFactory(organisation=org, user=ambassador_a, kind=Activity.Kind.TALK, hours=Decimal("1"))
    assert _points(ambassador_a).level.name == "Actief" and _points(ambassador_a).suggest
    Recognition.objects.create(organisation=org, ambassador=ambassador_a, title="Actief", level_points=50)
    assert not _points(ambassador_a).suggest


def test_rules_page_for_ambassadors_shows_their_level(client, client_as, ambassador_a, staff_b, org):
    url = reverse("ambassadors:levels")
    assert client.get(url).status_code == 302
    assert client_as(staff_b).get(url).status_code == 403
    ActivityFactory(organisation=org, user=ambassador_a, kind=Activity.Kind.TALK, hours=Decimal("1"))
    page = client_as(ambassador_a).get(url).content.decode()
    assert "Starter" in page and "Kartrekker" in page and 'data-testid="level"' in page and "15" in page


def test_officer_changes_the_rules(client_as, officer, ambassador_a, manager_a, org):
    url = reverse("ambassadors:levels_settings")
    assert client_as(manager_a).get(url).status_code == 403
    assert client_as(ambassador_a).get(url).status_code == 403
    client = client_as(officer)
    data = {f"activity_{kind}": 1 for kind in Activity.Kind.values} | {
        f"hour_{kind}": 0 for kind in Activity.Kind.values
    }
    bad = client.post(url, {**data, "level_name_0": "Brons", "level_points_0": "", "level_name_1": "Goud"})
    assert bad.status_code == 200 and PointsScheme.objects.count() == 0
    assert 'value="Goud"' in bad.content.decode()  # nothing typed is lost
    response = client.post(
        url, {**data, "level_name_0": "Brons", "level_points_0": 0, "level_name_1": "Zilver", "level_points_1": 1}
    )
    assert response.status_code == 302
    scheme = PointsScheme.objects.get(organisation=org)
    assert scheme.levels == [{"name": "Brons", "points": 0}, {"name": "Zilver", "points": 1}]
    assert scheme.points["talk"] == [1, 0]


def test_list_shows_levels_and_suggests_recognition_with_fixed_queries(
    client_as, officer, org, department_a, ambassador_a, django_assert_max_num_queries
):
    for _i in range(6):
        ActivityFactory(organisation=org, user=ambassador_a, kind=Activity.Kind.TALK, hours=Decimal("1"))
    client = client_as(officer)
    url = reverse("ambassadors:ambassador_list")
    page = client.get(url).content.decode()
    assert "Actief" in page and 'data-testid="suggest-recognition"' in page
    for _i in range(10):
        user = UserFactory(organisation=org, department=department_a)
        AppointmentFactory(organisation=org, user=user, departments=[department_a])
        ActivityFactory.create_batch(3, organisation=org, user=user)
    with django_assert_max_num_queries(14):
        assert client.get(url).status_code == 200


def test_recognising_from_the_suggestion_marks_the_level(client_as, officer, org, ambassador_a):
    for _i in range(6):
        ActivityFactory(organisation=org, user=ambassador_a, kind=Activity.Kind.TALK, hours=Decimal("1"))
    client = client_as(officer)
    form = client.get(reverse("ambassadors:recognition_create") + f"?ambassador={ambassador_a.pk}&niveau=Actief")
    assert "Niveau bereikt: Actief" in form.content.decode()
    response = client.post(
        reverse("ambassadors:recognition_create"),
        {"ambassador": ambassador_a.pk, "kind": "milestone", "title": "Niveau bereikt: Actief", "message": ""},
    )
    assert response.status_code == 302
    assert Recognition.objects.get().level_points == 50
    assert not _points(ambassador_a).suggest


def test_profile_shows_the_level(client_as, ambassador_a, org):
    page = client_as(ambassador_a).get(reverse("ambassadors:profile", args=[ambassador_a.pk])).content.decode()
    assert 'data-testid="level"' in page
