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


def test_an_hours_overrun_is_mailed_in_hours_and_money_as_money(officer, org, mailoutbox):
    officer.language = "nl"
    officer.save()
    BudgetLineFactory(organisation=org, planned=10, actual=15, unit="hours", description="Uren ICT")
    BudgetLineFactory(organisation=org, planned="1000.00", actual="1234.50", description="Posters")
    assert send_budget_overrun_alerts() == 2
    bodies = {mail.subject: mail.body.replace("\xa0", " ") for mail in mailoutbox}
    hours_body = next(body for subject, body in bodies.items() if "Uren ICT" in subject)
    money_body = next(body for subject, body in bodies.items() if "Posters" in subject)
    assert "€" not in hours_body and "15 uur" in hours_body and "5 uur" in hours_body
    assert "€ 1.234,50" in money_body and "€ 234,50" in money_body
