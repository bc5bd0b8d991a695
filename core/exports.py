"""CSV and XLSX exports at flat memory, in the reader's language, safe against spreadsheet formula injection.

CSV streams (``StreamingHttpResponse``): rows are converted and written as they come from the caller's iterable
(a queryset's ``.iterator(chunk_size=...)`` for a long table), so the first byte leaves before the last row is read.
XLSX is written with openpyxl's write-only mode, which keeps no cells in memory (each row goes straight into a
temporary file on disk), zipped into an anonymous temporary file and streamed from there by ``FileResponse``.

In Dutch the CSV is what Dutch Excel expects: ``;`` between fields, the decimal comma, dates as dd-mm-jjjj; in
English ``,`` and the decimal point, ISO dates. Both start with a UTF-8 byte order mark (Excel then reads accents)
and show timestamps in local time to the minute. XLSX cells are typed (numbers and dates as such, with number
formats), the sheet is named, the header row bold and frozen, the columns sized to the header and first row.
"""

from __future__ import annotations

import csv
import datetime
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Rows per chunk handed to the server: one write per row would be a system call each.
_CSV_ROWS_PER_CHUNK = 200


def neutralise(value: Any) -> Any:
    """A text cell starting with a formula character is prefixed with a quote, so no spreadsheet runs it."""
    if isinstance(value, str) and value.startswith(_FORMULA_PREFIXES):
        return "'" + value
    return value


def is_dutch(language: str | None = None) -> bool:
    return (language or translation.get_language() or "").lower().startswith("nl")


def _yes_no() -> tuple[str, str]:
    return _("yes"), _("no")


def _plain(value: Any, words: tuple[str, str] | None = None) -> Any:
    """A value as a cell holds it: local naive timestamps to the second, booleans as words (``words``: yes and
    no, looked up once per export), text neutralised."""
    if value is None:
        return None
    if isinstance(value, bool):
        yes, no = words or _yes_no()
        return yes if value else no
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = timezone.localtime(value).replace(tzinfo=None)
        return value.replace(microsecond=0)
    if isinstance(value, (int, float, Decimal, datetime.date)):
        return value
    text = str(value)
    # An empty text is an empty cell: openpyxl would write a string cell for it, which costs as much as a full one.
    return neutralise(text) if text else None


def _decimal_text(value: float | Decimal, dutch: bool) -> str:
    # A Decimal keeps the places it was rounded to; a float is written as its shortest exact form.
    text = format(value if isinstance(value, Decimal) else Decimal(repr(value)), "f")
    return text.replace(".", ",") if dutch else text


def csv_cell(value: Any, *, dutch: bool, words: tuple[str, str] | None = None) -> str:
    """A cell of the CSV as Excel in the reader's language reads it."""
    value = _plain(value, words)
    if value is None:
        return ""
    if isinstance(value, (float, Decimal)):
        return _decimal_text(value, dutch)
    if isinstance(value, datetime.datetime):
        return value.strftime("%d-%m-%Y %H:%M" if dutch else "%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d-%m-%Y" if dutch else "%Y-%m-%d")
    return str(value)


class _Line:
    """A file-like object whose write() hands back what the csv writer wrote."""

    def write(self, text: str) -> str:
        return text


def _in_language(chunks: Iterator[Any], language: str) -> Iterator[Any]:
    """Produce every chunk under the request's language: a streamed body is produced after the view returned,
    when the translation the middleware activated may be another request's."""
    while True:
        with translation.override(language):
            try:
                chunk = next(chunks)
            except StopIteration:
                return
        yield chunk


def csv_lines(header: Sequence[Any], rows: Iterable[Sequence[Any]], *, dutch: bool) -> Iterator[str]:
    writer = csv.writer(_Line(), delimiter=";" if dutch else ",")
    yield "\ufeff" + writer.writerow([neutralise(str(h)) for h in header])
    batch: list[str] = []
    words = _yes_no()
    for row in rows:
        batch.append(writer.writerow([csv_cell(v, dutch=dutch, words=words) for v in row]))
        if len(batch) >= _CSV_ROWS_PER_CHUNK:
            yield "".join(batch)
            batch = []
    if batch:
        yield "".join(batch)


def csv_response(filename: str, header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> StreamingHttpResponse:
    """Stream ``rows`` as CSV in the active language; ``rows`` may be a generator over a queryset's iterator."""
    language = translation.get_language() or "nl"
    body = _in_language(csv_lines(header, rows, dutch=is_dutch(language)), language)
    response = StreamingHttpResponse((line.encode("utf-8") for line in body), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


# --- XLSX ----------------------------------------------------------------------------------------


def _xlsx_formats(dutch: bool) -> dict[type, str]:
    return {
        datetime.datetime: "DD-MM-YYYY HH:MM" if dutch else "YYYY-MM-DD HH:MM",
        datetime.date: "DD-MM-YYYY" if dutch else "YYYY-MM-DD",
        int: "0",
        float: "#,##0.0#",
        Decimal: "#,##0.0#",
    }


_MIN_WIDTH, _MAX_WIDTH = 8, 50
_TYPE_WIDTHS = {datetime.datetime: 17, datetime.date: 12}


def _width(title: str, sample: Any) -> float:
    sample_width = _TYPE_WIDTHS.get(type(sample), len(str(sample)) if sample is not None else 0)
    return max(_MIN_WIDTH, min(_MAX_WIDTH, max(len(title), sample_width) + 2))


def write_xlsx(
    target: Any,
    header: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    *,
    sheet_title: str,
    widths: Sequence[float] | None = None,
    wrap_columns: Sequence[int] = (),
) -> None:
    """Write one sheet to ``target`` (a file name or a binary file) in write-only mode.

    ``widths`` overrides the column widths otherwise taken from the header and the first row;
    ``wrap_columns`` (0-based) wrap their text.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    dutch = is_dutch()
    formats = _xlsx_formats(dutch)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_name(sheet_title))
    sheet.freeze_panes = "A2"
    titles = [str(neutralise(str(h))) for h in header]
    iterator = iter(rows)
    first = next(iterator, None)
    words = _yes_no()
    first_plain = [_plain(v, words) for v in first] if first is not None else []
    # Column widths go before the sheet's data in the file, so they are chosen before the first row is written.
    for index, title in enumerate(titles):
        width = (
            widths[index]
            if widths is not None
            else _width(title, first_plain[index] if index < len(first_plain) else None)
        )
        sheet.column_dimensions[_column_letter(index)].width = width
    bold = Font(bold=True)
    header_cells = []
    for title in titles:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    wrap = Alignment(wrap_text=True, vertical="top")

    def typed(values: list[Any]) -> list[Any]:
        cells = []
        for index, value in enumerate(values):
            number_format = formats.get(type(value))
            if number_format or index in wrap_columns:
                cell = WriteOnlyCell(sheet, value=value)
                if number_format:
                    cell.number_format = number_format
                if index in wrap_columns:
                    cell.alignment = wrap
                value = cell
            cells.append(value)
        return cells

    if first is not None:
        sheet.append(typed(first_plain))
        for row in iterator:
            sheet.append(typed([_plain(v, words) for v in row]))
    workbook.save(target)


_SHEET_FORBIDDEN = re.compile(r"[\\/*?:\[\]]")


def sheet_name(title: Any) -> str:
    """A name Excel accepts for a sheet: at most 31 characters, none of \\ / * ? : [ ]."""
    return _SHEET_FORBIDDEN.sub("-", str(title)).strip("'")[:31] or "Sheet"


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def xlsx_file_response(filename: str, write: Any) -> FileResponse:
    """Call ``write(file)`` on an anonymous temporary file and stream that file (deleted when closed)."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it after the last byte
    try:
        write(handle)
        handle.seek(0)
    except BaseException:
        handle.close()
        raise
    return FileResponse(handle, as_attachment=True, filename=f"{filename}.xlsx", content_type=XLSX_CONTENT_TYPE)


def xlsx_response(
    filename: str,
    header: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    *,
    sheet_title: str | None = None,
    widths: Sequence[float] | None = None,
) -> FileResponse:
    """An XLSX of one named sheet with a frozen header row and typed cells (see the module's docstring)."""
    title = str(sheet_title) if sheet_title else _("Export")
    return xlsx_file_response(
        filename, lambda handle: write_xlsx(handle, header, rows, sheet_title=title, widths=widths)
    )
