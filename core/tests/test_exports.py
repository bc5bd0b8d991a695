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
