import io

from openpyxl import load_workbook

from core.exports import csv_response, neutralise, xlsx_response


def test_formula_cells_are_neutralised():
    assert neutralise('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    for dangerous in ("+1", "-1", "@SUM(A1)", "\tx"):
        assert neutralise(dangerous).startswith("'")
    assert neutralise("gewoon") == "gewoon" and neutralise(5) == 5


def test_csv_export():
    response = csv_response("register", ["Naam", "Formule"], [["Anna", "=1+1"], ["Bas", None]])
    body = response.content.decode("utf-8-sig")
    assert response["Content-Disposition"] == 'attachment; filename="register.csv"'
    assert "Anna;'=1+1" in body and "Bas;" in body


def test_xlsx_export():
    response = xlsx_response("register", ["Naam", "Aantal"], [["@evil", 3]])
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[2]] == ["'@evil", 3]


def test_dutch_csv_uses_a_decimal_comma_and_dutch_dates():
    import datetime

    from core.exports import csv_response

    response = csv_response(
        "x", ["a", "b", "c", "d"], [[2.5, datetime.date(2026, 3, 14), True, "=SOM(A1)"]], dutch=True
    )
    assert response.content.decode("utf-8-sig").splitlines()[1] == "2,5;14-03-2026;ja;'=SOM(A1)"


def test_xlsx_with_a_named_sheet_a_frozen_header_and_typed_dates():
    import datetime
    import io

    from openpyxl import load_workbook

    from core.exports import xlsx_response

    moment = datetime.datetime(2026, 3, 14, 9, 30)
    response = xlsx_response("x", ["a", "b"], [[3, moment]], sheet_title="Register", freeze_header=True)
    sheet = load_workbook(io.BytesIO(response.content))["Register"]
    assert sheet.freeze_panes == "A2"
    assert sheet["A2"].value == 3 and sheet["B2"].value == moment
    assert sheet["B2"].number_format == "DD-MM-YYYY HH:MM"
