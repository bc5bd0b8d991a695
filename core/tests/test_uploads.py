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


@pytest.fixture
def clamd(settings, tmp_path):
    """A real clamd started for the test (Debian's clamav-daemon; .ci/run installs it)."""
    import shutil

    from core.tests.servers import ClamdServer

    if shutil.which("clamd") is None:
        pytest.skip("needs clamd (apt-get install clamav-daemon)")
    server = ClamdServer(tmp_path / "clamd").start()
    settings.CLAMD_SOCKET = server.socket
    yield server
    server.stop()


def test_a_clean_upload_passes_the_scan(clamd):
    validate_upload(SimpleUploadedFile("verslag.pdf", PDF))
    validate_upload(SimpleUploadedFile("brief.docx", docx()))


def test_an_infected_upload_is_refused(clamd):
    from core.tests.servers import EICAR

    with pytest.raises(ValidationError, match="bedreiging") as error:
        validate_upload(SimpleUploadedFile("verslag.pdf", PDF + EICAR + b"\n%%EOF\n"))
    assert error.value.code == "infected"


def test_the_file_is_read_from_the_start_after_the_scan(clamd):
    """The stored file is the whole file: the scan leaves it at its start."""
    upload = SimpleUploadedFile("verslag.pdf", PDF)
    validate_upload(upload)
    assert upload.read() == PDF


def test_a_scanner_that_goes_away_refuses_uploads_until_it_is_back(clamd):
    clamd.stop()
    with pytest.raises(ValidationError, match="virusscanner is niet bereikbaar"):
        validate_upload(SimpleUploadedFile("verslag.pdf", PDF))
    clamd.start()
    validate_upload(SimpleUploadedFile("verslag.pdf", PDF))


def test_an_unreachable_scanner_refuses_the_upload(settings, tmp_path):
    settings.CLAMD_SOCKET = str(tmp_path / "missing.sock")
    with pytest.raises(ValidationError, match="virusscanner is niet bereikbaar"):
        validate_upload(SimpleUploadedFile("verslag.pdf", PDF))
