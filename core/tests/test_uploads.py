import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core.uploads import random_upload_path, validate_upload

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [("verslag.pdf", PDF), ("foto.PNG", PNG), ("brief.docx", docx())],
)
def test_allowed_files_pass(name, content):
    validate_upload(SimpleUploadedFile(name, content))


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("virus.pdf", b"MZ\x90\x00 this is an exe"),  # the name lies
        ("script.html", b"<script>alert(1)</script>"),
        ("foto.pdf", PNG),  # an image posing as a PDF
        ("archief.docx", b"PK\x03\x04 not really a zip"),
        ("leeg.pdf", b""),
    ],
)
def test_disallowed_files_are_refused_in_dutch(name, content):
    with pytest.raises(ValidationError) as error:
        validate_upload(SimpleUploadedFile(name, content))
    assert any(word in str(error.value) for word in ("niet toegestaan", "leeg"))


def test_a_file_over_the_limit_is_refused_with_its_size(settings):
    settings.UPLOAD_MAX_BYTES = 1024
    with pytest.raises(ValidationError, match="te groot"):
        validate_upload(SimpleUploadedFile("groot.pdf", PDF + b"0" * 2048))


def test_stored_names_are_random_and_keep_only_the_extension():
    upload_to = random_upload_path("incidents")
    first = upload_to(None, "../../etc/Mijn Geheim.PDF")
    second = upload_to(None, "../../etc/Mijn Geheim.PDF")
    assert first != second and first.startswith("incidents/") and first.endswith(".pdf")
    assert ".." not in first and "Geheim" not in first
