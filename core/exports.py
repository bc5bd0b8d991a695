"""CSV and XLSX exports, safe against spreadsheet formula injection."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from openpyxl import Workbook

_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """A text cell starting with a formula character is prefixed with a quote, so no spreadsheet runs it."""
    if isinstance(value, str) and value.startswith(_FORMULA_PREFIXES):
        return "'" + value
    return value


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        from django.utils import timezone

        return timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, (int, float, Decimal, datetime.date)):
        return value
    return neutralise(str(value))


def _dutch_cell(value: Any) -> Any:
    """A cell as Dutch Excel reads it: decimal comma, dates as dd-mm-jjjj (uu:mm), yes/no as ja/nee."""
    value = _cell(value)
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, (float, Decimal)):
        return format(value, "f").rstrip("0").rstrip(".").replace(".", ",") if value != int(value) else str(int(value))
    if isinstance(value, datetime.datetime):
        return value.strftime("%d-%m-%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d-%m-%Y")
    return value


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]], *, dutch: bool = False
) -> HttpResponse:
    """``dutch``: decimal comma and Dutch dates, so Excel with Dutch settings reads numbers as numbers."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    response.write("\ufeff")  # so Excel reads UTF-8
    writer = csv.writer(response, delimiter=";")
    writer.writerow([neutralise(str(h)) for h in header])
    convert = _dutch_cell if dutch else _cell
    for row in rows:
        writer.writerow([convert(v) for v in row])
    return response


_XLSX_FORMATS = {datetime.datetime: "DD-MM-YYYY HH:MM", datetime.date: "DD-MM-YYYY"}


def xlsx_response(
    filename: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    sheet_title: str | None = None,
    freeze_header: bool = False,
) -> HttpResponse:
    """Typed cells (numbers as numbers, dates as dates with a Dutch display format); optionally a named sheet
    with a frozen header row."""
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31] if sheet_title else None)
    if freeze_header:
        sheet.freeze_panes = "A2"
    sheet.append([neutralise(str(h)) for h in header])
    for row in rows:
        cells = []
        for value in row:
            value = _cell(value)
            number_format = _XLSX_FORMATS.get(type(value))
            if number_format:
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = number_format
                value = cell
            cells.append(value)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
