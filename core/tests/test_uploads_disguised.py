"""Uploads that pass the type check on their first bytes but are something else further in are refused."""

import io
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
