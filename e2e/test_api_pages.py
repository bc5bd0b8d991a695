"""The API in the browser: the CISO creates a read token and sees it once; an officer reads the documentation."""

from __future__ import annotations

from playwright.sync_api import expect

from e2e.conftest import PHONE, assert_accessible


def test_ciso_creates_a_read_token_sees_it_once_and_it_reads_the_topics(signed_in, site, officer, department_a):
    from django.utils import timezone

    from programme.tests.factories import AnnualPlanFactory, TopicFactory

    today = timezone.localdate()
    plan = AnnualPlanFactory(organisation=officer.organisation, status="published")
    TopicFactory(plan=plan, status="published", quarter=(today.month - 1) // 3 + 1, title="Phishing herkennen")

    page = signed_in(officer, viewport=PHONE)
    page.goto(f"{site}/organisatie/api-tokens/")
    expect(page.get_by_role("heading", name="API-tokens", level=1)).to_be_visible()
    assert_accessible(page, context="token page")
    page.get_by_label("Naam").fill("Intranet")
    page.get_by_label("De gepubliceerde onderwerpen en hun materiaal lezen").check()
    page.get_by_role("button", name="Token aanmaken").click()
    secret_box = page.get_by_test_id("token-secret")
    expect(secret_box).to_be_visible()
    secret = secret_box.input_value()
    assert secret.startswith("amb_")
    expect(page.get_by_text("dit is de enige keer dat het wordt getoond")).to_be_visible()
    assert_accessible(page, context="token shown once")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.goto(f"{site}/organisatie/api-tokens/")
    expect(page.get_by_test_id("token-row")).to_have_count(1)
    expect(page.get_by_test_id("token-secret")).to_have_count(0)
    assert secret not in page.content()

    answer = page.request.get(f"{site}/api/v1/topics/", headers={"Authorization": f"Bearer {secret}", "Cookie": ""})
    assert answer.status == 200
    assert answer.json()["results"][0]["title"] == "Phishing herkennen"


def test_an_officer_reads_the_api_documentation_on_a_phone(signed_in, site, privacy_officer):
    page = signed_in(privacy_officer, viewport=PHONE)
    violations: list[str] = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )
    page.goto(f"{site}/api/docs/")
    expect(page.get_by_role("heading", name="API-documentatie", level=1)).to_be_visible()
    expect(page.locator(".opblock").first).to_be_visible(timeout=15000)
    expect(page.get_by_text("/api/v1/topics/").first).to_be_visible()
    assert not violations, violations
    assert_accessible(page, context="API documentation")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
