"""Need-to-know in the browser: the ambassador as first point of contact (their departments' reports, a masked BSN,
adding information), the Privacy Officer's marked BSN, and the report form's warning while typing a BSN."""

from __future__ import annotations

from django.core.files.base import ContentFile
from playwright.sync_api import expect

from e2e.conftest import PHONE, assert_accessible
from incidents.bsn import contains_bsn
from incidents.models import DataLeakAttachment, DataLeakEvent
from incidents.tests.factories import DataLeakFactory

BSN = "123456782"


def _leak(staff_a, team_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    leak = DataLeakFactory(
        reported_by=staff_a,
        department=team_a,
        description=f"Brief met BSN {BSN} naar de verkeerde Jan gestuurd.",
        actions_taken="Ontvanger gebeld.",
    )
    attachment = DataLeakAttachment(leak=leak, original_name="brief-jansen.pdf", size=10)
    attachment.file.save("x.pdf", ContentFile(b"%PDF-1.4 brief"), save=True)
    return leak


def test_the_ambassador_finds_the_report_sees_the_bsn_masked_and_adds_information(
    signed_in, site, ambassador_a, staff_a, team_a, privacy_officer, settings, tmp_path
):
    leak = _leak(staff_a, team_a, settings, tmp_path)
    page = signed_in(ambassador_a, viewport=PHONE)
    page.goto(f"{site}/")
    page.get_by_role("link", name="Meldingen van mijn afdelingen").first.click()
    expect(page.get_by_role("heading", name="Meldingen van mijn afdelingen", level=1)).to_be_visible()
    assert_accessible(page, context="department reports")
    page.get_by_role("link", name=leak.reference).click()
    description = page.get_by_test_id("description")
    expect(description).to_contain_text("[BSN verborgen]")
    expect(description).not_to_contain_text(BSN)
    expect(page.get_by_test_id("bsn-hidden")).to_be_visible()
    expect(page.get_by_text("brief-jansen.pdf")).to_have_count(0)
    assert BSN not in page.content()
    assert_accessible(page, context="report as the ambassador")
    page.get_by_role("link", name="Informatie toevoegen").click()
    page.get_by_label("Wat wilt u aanvullen?").fill("De collega belde: er ging ook een tweede brief weg.")
    assert_accessible(page, context="add information as the ambassador")
    page.get_by_role("button", name="Aanvulling versturen").click()
    expect(page.get_by_test_id("additions")).to_contain_text("tweede brief")
    expect(page.get_by_test_id("additions")).to_contain_text("door u")
    event = leak.events.get(kind=DataLeakEvent.Kind.ADDITION)
    assert event.actor == ambassador_a


def test_the_privacy_officer_sees_the_bsn_marked(signed_in, site, privacy_officer, staff_a, team_a, settings, tmp_path):
    leak = _leak(staff_a, team_a, settings, tmp_path)
    page = signed_in(privacy_officer)
    page.goto(f"{site}/datalekken/{leak.pk}/")
    mark = page.get_by_test_id("description").locator("mark.bsn")
    expect(mark).to_have_text(f"BSN {BSN}")
    expect(page.get_by_role("link", name="brief-jansen.pdf")).to_be_visible()
    assert_accessible(page, context="report as the Privacy Officer")


CASES = [
    "BSN 123456782",
    "1234.56.782",
    "123 456 782",
    "123-456-782",
    "06 123456782",
    "123456789",
    "1234567820",
    "NL91ABNA0417164300",
    "1 2 3 4 5 6 7 8 2",
    "000000000",
    "12-03-2026 09:30",
]


def test_the_report_form_warns_while_a_bsn_is_typed(signed_in, site, staff_a):
    page = signed_in(staff_a, viewport=PHONE)
    page.goto(f"{site}/datalekken/melden/")
    expect(page.get_by_label("Wanneer is het ontdekt?")).not_to_have_value("")
    # The browser's eleven-test says what the server's says.
    for text in CASES:
        assert page.evaluate("text => window.ambassadeursContainsBsn(text)", text) == contains_bsn(text), text
    warning = page.get_by_test_id("bsn-warning-description")
    expect(warning).to_have_attribute("aria-live", "polite")
    expect(warning).to_have_text("")
    field = page.get_by_label("Beschrijf wat er is gebeurd")
    field.press_sequentially("Brief aan BSN 1234.56.782 gestuurd")
    expect(warning).to_contain_text("Dit lijkt op een burgerservicenummer (BSN)")
    assert_accessible(page, context="report form with the BSN warning")
    field.fill("Brief aan de verkeerde inwoner gestuurd")
    expect(warning).to_have_text("")
