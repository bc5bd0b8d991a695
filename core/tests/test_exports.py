"""CSV and XLSX exports: streamed, in the reader's language, typed, and safe against formulas."""

import datetime
import io
from decimal import Decimal

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.formats import date_format
from freezegun import freeze_time
from openpyxl import load_workbook

from core.exports import csv_response, neutralise, sheet_name, xlsx_response, xlsx_text

ROW = [2.5, Decimal("3.50"), datetime.date(2026, 3, 14), datetime.datetime(2026, 3, 14, 9, 30, 15, 123456), True, 7]


def _text(response) -> str:
    return response.getvalue().decode("utf-8")


def test_formula_cells_are_neutralised():
    assert neutralise('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    for dangerous in ("+1", "-1", "@SUM(A1)", "\tx"):
        assert neutralise(dangerous).startswith("'")
    assert neutralise("gewoon") == "gewoon" and neutralise(5) == 5


def test_csv_streams_with_a_byte_order_mark_and_neutralised_formulas():
    with translation.override("nl"):
        response = csv_response("register", ["Naam", "Formule"], [["Anna", "=1+1"], ["Bas", None]])
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Disposition"] == 'attachment; filename="register.csv"'
    text = _text(response)
    assert text.startswith("\ufeffNaam;Formule\r\n")
    assert "Anna;'=1+1" in text and "Bas;" in text


def test_dutch_csv_uses_the_semicolon_the_decimal_comma_and_dutch_dates():
    with translation.override("nl"):
        response = csv_response("x", list("abcdef"), [ROW])
    assert _text(response).splitlines()[1] == "2,5;3,50;14-03-2026;14-03-2026 09:30;ja;7"


def test_english_csv_uses_the_comma_the_decimal_point_and_iso_dates():
    with translation.override("en"):
        response = csv_response("x", list("abcdef"), [ROW])
    text = _text(response)
    assert text.startswith("\ufeffa,b,c,d,e,f")
    assert text.splitlines()[1] == "2.5,3.50,2026-03-14,2026-03-14 09:30,yes,7"


def test_csv_timestamps_are_local_time_without_microseconds():
    moment = datetime.datetime(2026, 7, 1, 10, 0, 0, 999999, tzinfo=datetime.UTC)  # 12:00 in Amsterdam (summer)
    with translation.override("nl"):
        line = _text(csv_response("x", ["a"], [[moment]])).splitlines()[1]
    assert line == timezone.localtime(moment).strftime("%d-%m-%Y %H:%M") == "01-07-2026 12:00"


def test_the_csv_body_is_produced_while_it_is_read_in_the_request_language():
    read = []

    def rows():
        for number in range(1000):
            read.append(number)
            yield [number, translation.get_language()]

    with translation.override("nl"):
        response = csv_response("x", ["n", "taal"], rows())
    assert read == []  # nothing read before the server asks for the body
    chunks = iter(response.streaming_content)
    with translation.override("en"):  # another request's language on this thread meanwhile
        first, second = next(chunks), next(chunks)
    assert first.startswith("\ufeffn;taal".encode())
    assert len(read) < 1000 and b"nl" in second  # the first rows went out before the last were read


def test_xlsx_is_written_in_write_only_mode_to_a_streamed_file():
    with translation.override("nl"):
        response = xlsx_response("register", ["Naam", "Aantal"], [["@evil", 3]], sheet_title="Register")
    assert isinstance(response, FileResponse)
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="register.xlsx"'
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    assert [cell.value for cell in sheet[2]] == ["'@evil", 3]


def _sheet(language: str, title: str):
    with translation.override(language):
        response = xlsx_response(
            "x", ["Getal", "Bedrag", "Datum", "Tijdstip", "Ja of nee", "Aantal"], [ROW], sheet_title=title
        )
    return load_workbook(io.BytesIO(response.getvalue()))[title]


def test_dutch_xlsx_has_typed_cells_a_named_sheet_a_frozen_bold_header_and_widths():
    sheet = _sheet("nl", "Register")
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.bold
    a, b, c, d, e, f = sheet[2]
    assert a.value == 2.5 and a.number_format == "#,##0.0#"
    assert b.value == 3.5 and b.data_type == "n"
    assert c.value == datetime.datetime(2026, 3, 14) and c.number_format == "DD-MM-YYYY"
    assert d.value == datetime.datetime(2026, 3, 14, 9, 30, 15) and d.number_format == "DD-MM-YYYY HH:MM"
    assert e.value == "ja" and f.value == 7 and f.number_format == "0"
    # The file stores a width in characters plus Excel's cell padding (19 -> 19.71).
    widths = {letter: int(sheet.column_dimensions[letter].width) for letter in "ABCDEF"}
    assert (
        widths["D"] == 19 and widths["C"] == 14
    )  # the type's width plus a margin and all(8 <= w <= 50 for w in widths.values())


def test_english_xlsx_has_iso_date_formats_and_english_words():
    sheet = _sheet("en", "Register")
    assert sheet["C2"].number_format == "YYYY-MM-DD" and sheet["D2"].number_format == "YYYY-MM-DD HH:MM"
    assert sheet["E2"].value == "yes"


def test_sheet_names_are_what_excel_accepts():
    assert sheet_name("Activiteiten per kwartaal [2026]: afdeling/team?") == "Activiteiten per kwartaal -2026"
    assert len(sheet_name("x" * 40)) == 31


def test_xlsx_wraps_multi_line_text_and_aligns_every_cell_to_the_top():
    with translation.override("nl"):
        response = xlsx_response("x", ["Feiten", "Kort"], [["eerste regel\r\ntweede regel\nderde", "een"]])
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    facts, short = sheet[2]
    assert facts.value == "eerste regel\ntweede regel\nderde"
    assert facts.alignment.wrap_text and facts.alignment.vertical == "top"
    assert not short.alignment.wrap_text and short.alignment.vertical == "top"


def test_xlsx_prints_landscape_fitted_to_the_width_with_the_header_on_every_page():
    with translation.override("nl"), freeze_time("2026-03-14 10:00"):
        response = xlsx_response("x", ["a", "b"], [[1, "x"], [2, "y"]], sheet_title="Datalekregister")
    workbook = load_workbook(io.BytesIO(response.getvalue()))
    sheet = workbook["Datalekregister"]
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    # One page wide (1 is the default, left out of the file), as many pages down as needed.
    assert (sheet.page_setup.fitToWidth or 1) == 1 and sheet.page_setup.fitToHeight == 0
    assert sheet.print_title_rows == "$1:$1"
    assert sheet.oddFooter.left.text == "&A"  # the sheet's name
    with translation.override("nl"):
        assert sheet.oddFooter.center.text == date_format(datetime.date(2026, 3, 14), "SHORT_DATE_FORMAT")
    assert sheet.oddFooter.right.text == "pagina &P van &N"
    assert sheet.auto_filter.ref == "A1:B3"
    assert workbook.properties.title == "Datalekregister"


def test_xlsx_leaves_out_characters_a_cell_cannot_hold():
    with translation.override("nl"):
        response = xlsx_response("x", ["Tekst"], [["bel\x07 en\x00 vorm\x0cfeed\tmet tab\nen regel"]])
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    assert sheet["A2"].value == "bel en vormfeed\tmet tab\nen regel"
    assert xlsx_text("a\x1fb\x0bc") == "abc" and len(xlsx_text("x" * 40000)) == 32767


def test_xlsx_carries_the_author_it_is_given():
    response = xlsx_response("x", ["a"], [[1]], sheet_title="Blad", author="Gemeente Şahinkerk")
    properties = load_workbook(io.BytesIO(response.getvalue())).properties
    assert properties.creator == "Gemeente Şahinkerk" and properties.title == "Blad"
