import io

import pytest
from openpyxl import Workbook

from accounts import hr_import
from accounts.models import Department, User
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

GOOD = (
    "e-mailadres;naam;afdelingscode;afdeling;bovenliggende afdeling;niveau;functie;personeelsnummer;leidinggevende\n"
    "p.dijk@voorbeeld.test;Peter van Dijk;DV;Directie Dienstverlening;;directie;Directeur;1001;ja\n"
    "m.jansen@voorbeeld.test;Marieke Jansen;BZ;Burgerzaken;DV;afdeling;Teamleider;1002;ja\n"
    "s.bakker@voorbeeld.test;Sanne Bakker;BZ-BAL;Team Balie;BZ;team;Baliemedewerker;1003;nee\n"
)


def rows_of(text: str, name: str = "hr.csv"):
    return hr_import.read_rows(io.BytesIO(text.encode("utf-8")), name)


def test_it_plans_without_writing(org):
    plan = hr_import.plan_import(org, rows_of(GOOD))
    assert plan.ok
    assert len(plan.departments_created) == 3 and len(plan.users_created) == 3
    assert not User.objects.exists() and not Department.objects.exists()


def test_it_imports_the_tree_and_managers(org):
    plan = hr_import.plan_import(org, rows_of(GOOD), apply=True)
    assert plan.applied
    team = Department.objects.get(organisation=org, code="BZ-BAL")
    assert team.parent.code == "BZ" and team.parent.parent.code == "DV"
    assert team.level == Department.Level.TEAM
    marieke = User.objects.get(email="m.jansen@voorbeeld.test")
    assert marieke.organisation == org and marieke.managed_departments.get().code == "BZ"
    assert not marieke.has_usable_password()


def test_reimport_updates_instead_of_duplicating(org):
    hr_import.plan_import(org, rows_of(GOOD), apply=True)
    changed = GOOD.replace("Baliemedewerker", "Senior baliemedewerker")
    plan = hr_import.plan_import(org, rows_of(changed), apply=True)
    assert plan.users_updated == ["s.bakker@voorbeeld.test"]
    assert plan.users_unchanged == 2 and not plan.users_created
    assert User.objects.count() == 3 and Department.objects.count() == 3
    assert User.objects.get(email="s.bakker@voorbeeld.test").job_title == "Senior baliemedewerker"


def test_bad_rows_are_reported_per_line_and_nothing_is_written(org):
    bad = GOOD + (
        "geen-email;Iemand;BZ;Burgerzaken;DV;;;;\n"
        "s.bakker@voorbeeld.test;Dubbel;BZ;Burgerzaken;DV;;;;\n"
        "x@voorbeeld.test;X;ONB;Onbekend;BESTAATNIET;;;;misschien\n"
    )
    plan = hr_import.plan_import(org, rows_of(bad), apply=True)
    assert not plan.applied
    messages = {(e.line, e.message) for e in plan.errors}
    assert (5, "'geen-email' is geen geldig e-mailadres.") in messages
    assert any(line == 6 and "staat ook op regel 4" in m for line, m in messages)
    assert any(line == 7 and "Onbekende bovenliggende afdeling 'BESTAATNIET'" in m for line, m in messages)
    assert any(line == 7 and "'ja' of 'nee'" in m for line, m in messages)
    assert not User.objects.exists() and not Department.objects.exists()


def test_an_account_of_another_organisation_is_not_taken_over(org, other_org):
    UserFactory(organisation=other_org, email="s.bakker@voorbeeld.test")
    plan = hr_import.plan_import(org, rows_of(GOOD), apply=True)
    assert not plan.applied
    assert "andere organisatie" in plan.errors[0].message


def test_missing_columns_and_bad_encoding_are_file_errors():
    with pytest.raises(hr_import.ImportFileError, match="Verplichte kolommen ontbreken: department_code, department"):
        rows_of("email;naam\na@b.nl;A\n")
    with pytest.raises(hr_import.ImportFileError, match="UTF-8"):
        hr_import.read_rows(io.BytesIO("naam;e-mail\nJosé;a@b.nl\n".encode("latin-1")), "hr.csv")
    with pytest.raises(hr_import.ImportFileError, match="CSV- of XLSX"):
        hr_import.read_rows(io.BytesIO(b"x"), "hr.pdf")
    with pytest.raises(hr_import.ImportFileError, match="beschadigd"):
        hr_import.read_rows(io.BytesIO(b"not a zip"), "hr.xlsx")


def test_it_reads_xlsx_with_english_headers(org):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["email", "name", "department_code", "department", "parent_code", "level"])
    sheet.append(["a.b@voorbeeld.test", "A B", "ICT", "ICT", "", "unit"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    plan = hr_import.plan_import(org, hr_import.read_rows(buffer, "hr.xlsx"), apply=True)
    assert plan.applied and User.objects.get().department.code == "ICT"


def test_a_department_loop_is_refused(org):
    text = "email;naam;afdelingscode;afdeling;bovenliggende afdeling\na@x.test;A;A;A;B\nb@x.test;B;B;B;A\n"
    plan = hr_import.plan_import(org, rows_of(text), apply=True)
    assert not plan.applied and any("kringloop" in e.message for e in plan.errors)


def test_management_command_dry_run_and_apply(org, tmp_path, capsys):
    from django.core.management import call_command

    path = tmp_path / "hr.csv"
    path.write_text(GOOD, encoding="utf-8")
    call_command("import_employees", str(path), organisation=org.slug)
    assert not User.objects.exists()
    assert "dry run" in capsys.readouterr().out.lower()
    call_command("import_employees", str(path), organisation=org.slug, apply=True)
    assert User.objects.count() == 3
