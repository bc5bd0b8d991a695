import pytest

from programme.reminders import send_budget_overrun_alerts
from programme.tests.factories import BudgetLineFactory

pytestmark = pytest.mark.django_db


def test_an_overrun_is_reported_once_per_amount(officer, org, mailoutbox):
    line = BudgetLineFactory(organisation=org, planned=1000, actual=900, description="Posters")
    assert send_budget_overrun_alerts() == 0
    line.actual = 1200
    line.save()
    assert send_budget_overrun_alerts() == 1
    assert "Posters" in mailoutbox[0].subject and "200" in mailoutbox[0].body
    assert send_budget_overrun_alerts() == 0
    line.actual = 1500
    line.save()
    assert send_budget_overrun_alerts() == 1
