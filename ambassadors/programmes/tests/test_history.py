"""An item of an agreed department programme is corrected with a reason through the one history (core.history);
a draft's item is edited plainly."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from ambassadors.programmes import services
from ambassadors.programmes.models import PlannedItem
from core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(org, ambassador_a, department_a):
    from programme.models import AnnualPlan, Topic

    plan = AnnualPlan.objects.create(
        organisation=org, year=timezone.localdate().year, status=AnnualPlan.Status.PUBLISHED
    )
    Topic.objects.create(plan=plan, title="Phishing", month=1, status=Topic.Status.PUBLISHED)
    programme, _created = services.programme_start(user=ambassador_a, department=department_a, year=plan.year)
    return programme


def test_a_drafts_item_is_edited_without_reason(programme):
    item = programme.items.get()
    services.item_update(item=item, data={"decision": "moved", "month": 3})
    assert PlannedItem.objects.get(pk=item.pk).month == 3 and not item.corrections.exists()


def test_an_agreed_programmes_item_is_corrected_with_a_reason(client_as, programme, ambassador_a, officer):
    services.programme_submit(programme=programme)
    services.programme_decide(programme=programme, user=officer, agree=True, remark="")
    item = programme.items.get()
    with pytest.raises(ValidationError):
        services.item_update(item=item, data={"decision": "moved", "month": 3}, user=ambassador_a)
    assert PlannedItem.objects.get(pk=item.pk).month == 1
    url = reverse("department_programmes:item_update", args=[item.pk])
    data = {
        "title": item.title,
        "kind": item.kind,
        "month": "3",
        "ambassador": ambassador_a.pk,
        "hours": str(item.hours),
        "topic": item.topic_id,
        "decision": "moved",
    }
    client = client_as(ambassador_a)
    assert "Geef de reden voor de correctie." in client.post(url, data).content.decode()
    response = client.post(url, {**data, "reason": "Voorlichting schoof naar maart"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.month == 3
    correction = item.corrections.get()
    assert correction.reason == "Voorlichting schoof naar maart" and correction.corrected_by == ambassador_a
    assert [change["field"] for change in correction.changes] == ["maand", "besluit"]
    assert AuditEntry.objects.filter(action="department_programmes.item_corrected").exists()
    assert "Voorlichting schoof naar maart" in client.get(url).content.decode()
