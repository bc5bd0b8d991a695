"""The officer's organisation pages in the browser: employees, departments, HR import, invitations, preferences."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from e2e.conftest import assert_accessible


def test_officer_browses_employees_and_departments(
    signed_in, site, officer, staff_b, department_a, team_a, outsider, other_department
):
    page = signed_in(officer)
    page.goto(site + "/")
    page.get_by_role("button", name="Organisatie").click()
    page.get_by_role("link", name="Medewerkers").click()
    expect(page.get_by_role("heading", name="Medewerkers")).to_be_visible()
    expect(page.get_by_role("cell", name=staff_b.full_name)).to_be_visible()
    expect(page.get_by_role("cell", name=outsider.full_name)).to_have_count(0)
    page.get_by_label("Zoeken").fill("Tom")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.get_by_role("cell", name=staff_b.full_name)).to_be_visible()
    assert_accessible(page, context="people list")

    page.goto(site + "/mensen/afdelingen/")
    page.get_by_role("link", name="Team Balie").click()
    expect(page.get_by_role("heading", name="Team Balie", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Burgerzaken")).to_be_visible()
    assert_accessible(page, context="department detail")

    response = page.goto(f"{site}/mensen/afdelingen/{other_department.pk}/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Pagina niet gevonden")).to_be_visible()


def test_officer_imports_an_hr_export_with_a_dry_run(signed_in, site, officer, tmp_path):
    bad = tmp_path / "fout.csv"
    bad.write_text("e-mailadres;naam;afdelingscode;afdeling\nniet-goed;Iemand;ICT;ICT\n", encoding="utf-8")
    good = tmp_path / "hr.csv"
    good.write_text(
        "e-mailadres;naam;afdelingscode;afdeling;bovenliggende afdeling;niveau\n"
        "d.directeur@voorbeeld.test;Dirk Directeur;BV;Bedrijfsvoering;;directie\n"
        "i.ict@voorbeeld.test;Ilse ICT;ICT;Informatievoorziening;BV;afdeling\n",
        encoding="utf-8",
    )
    page = signed_in(officer)
    page.goto(site + "/mensen/medewerkers/import/")
    page.get_by_label("HR-export (CSV of XLSX)").set_input_files(str(bad))
    page.get_by_role("button", name="Bestand controleren").click()
    expect(page.get_by_role("heading", name="Het bestand bevat fouten; er is niets geïmporteerd")).to_be_visible()
    expect(page.get_by_test_id("import-errors")).to_contain_text("Regel 2: 'niet-goed' is geen geldig e-mailadres.")
    assert_accessible(page, context="import errors")

    page.get_by_label("HR-export (CSV of XLSX)").set_input_files(str(good))
    page.get_by_role("button", name="Bestand controleren").click()
    expect(page.get_by_test_id("import-plan")).to_contain_text("Nieuwe medewerkers")
    assert_accessible(page, context="import plan")
    page.get_by_role("button", name="Nu importeren").click()
    expect(page.get_by_text("Import voltooid: 2 medewerkers toegevoegd")).to_be_visible()
    expect(page.get_by_role("cell", name="Ilse ICT")).to_be_visible()


def test_officer_invites_an_employee(signed_in, site, officer, department_a, staff_b):
    page = signed_in(officer)
    page.goto(site + "/mensen/medewerkers/uitnodigen/")
    page.get_by_label("Volledige naam").fill("Nieuwe Collega")
    page.get_by_label("E-mailadres").fill(staff_b.email)
    page.get_by_label("Afdeling").select_option(label="Burgerzaken")
    page.get_by_role("button", name="Uitnodiging versturen").click()
    expect(page.get_by_text("Er bestaat al een account met dit e-mailadres.").first).to_be_visible()
    expect(page.get_by_label("Volledige naam")).to_have_value("Nieuwe Collega")
    assert_accessible(page, context="invite error")
    page.get_by_label("E-mailadres").fill("nieuwe.collega@voorbeeld.test")
    page.get_by_role("button", name="Uitnodiging versturen").click()
    expect(page.get_by_text("Nieuwe Collega is uitgenodigd")).to_be_visible()


def test_employee_changes_language_preference(signed_in, site, staff_b):
    page = signed_in(staff_b)
    page.goto(site + "/")
    page.get_by_test_id("user-menu").click()
    page.get_by_role("link", name="Voorkeuren").click()
    assert_accessible(page, context="preferences")
    page.get_by_label("Taal").select_option("en")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("heading", name="Preferences")).to_be_visible()
    expect(page).to_have_url(re.compile("/mensen/voorkeuren/"))


def test_ambassador_signs_in_and_sees_the_ambassador_home(page, site, ambassador_a):
    from e2e.test_signin import sign_in

    sign_in(page, site, ambassador_a.email)
    expect(page.get_by_test_id("role-badges")).to_contain_text("Ambassadeur")
    expect(page.get_by_text("Als ambassadeur bent u het eerste aanspreekpunt")).to_be_visible()
    assert_accessible(page, context="ambassador home")


def test_one_click_unsubscribe_without_signing_in(page, site, staff_b):
    from accounts.unsubscribe import make_token

    page.goto(f"{site}/mensen/afmelden/{make_token(staff_b, 'topic_mailings')}/")
    expect(page.get_by_text("Wilt u de driemaandelijkse onderwerpenmail niet meer ontvangen?")).to_be_visible()
    assert_accessible(page, context="unsubscribe")
    page.get_by_role("button", name="Ja, afmelden").click()
    expect(page.get_by_test_id("unsubscribed")).to_have_text(
        "U ontvangt de driemaandelijkse onderwerpenmail niet meer."
    )
    staff_b.refresh_from_db()
    assert not staff_b.receives_topic_mailings


def test_an_import_that_deactivates_an_officer_asks_for_confirmation(
    signed_in, site, officer, privacy_officer, tmp_path
):
    export = tmp_path / "hr.csv"
    export.write_text(
        "e-mailadres;naam;afdelingscode;afdeling;actief\n"
        f"{privacy_officer.email};{privacy_officer.full_name};{privacy_officer.department.code};"
        f"{privacy_officer.department.name};nee\n",
        encoding="utf-8",
    )
    page = signed_in(officer)
    page.goto(site + "/mensen/medewerkers/import/")
    page.get_by_label("HR-export (CSV of XLSX)").set_input_files(str(export))
    page.get_by_role("button", name="Bestand controleren").click()
    warning = page.get_by_test_id("import-officers")
    expect(warning).to_contain_text("Deze import deactiveert 1 functionaris")
    expect(warning).to_contain_text("Ahmed Privacy (privacy@voorbeeld.test): Privacy Officer")
    assert_accessible(page, context="import officers confirmation")
    page.get_by_role("button", name="Nu importeren").click()
    expect(page.get_by_text("Er is niets geïmporteerd: bevestig")).to_be_visible()
    page.get_by_label("Ik bevestig dat deze functionarissen worden gedeactiveerd").check()
    page.get_by_role("button", name="Nu importeren").click()
    expect(page.get_by_text("Import voltooid")).to_be_visible()
