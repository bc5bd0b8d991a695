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


class _FakeClamd:
    """A stand-in for clamd on a Unix socket, speaking INSTREAM."""

    def __init__(self, path: str) -> None:
        import socket
        import threading

        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(path)
        self.server.listen(5)
        self.scanned: list[bytes] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        import struct

        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            with connection:
                data = b""
                while not data.endswith(b"\x00\x00\x00\x00"):
                    data += connection.recv(65536)
                body, rest = b"", data[len(b"zINSTREAM\x00") :]
                while rest:
                    (size,) = struct.unpack(">I", rest[:4])
                    body, rest = body + rest[4 : 4 + size], rest[4 + size :]
                    if size == 0:
                        break
                self.scanned.append(body)
                verdict = b"stream: Eicar-Test-Signature FOUND\x00" if b"EICAR" in body else b"stream: OK\x00"
                connection.sendall(verdict)

    def close(self) -> None:
        self.server.close()


@pytest.fixture
def clamd(settings, tmp_path):
    path = str(tmp_path / "clamd.sock")
    fake = _FakeClamd(path)
    settings.CLAMD_SOCKET = path
    yield fake
    fake.close()


def test_uploads_are_scanned_when_clamd_is_configured(clamd):
    validate_upload(SimpleUploadedFile("verslag.pdf", PDF))
    assert clamd.scanned == [PDF]


def test_an_infected_upload_is_refused(clamd):
    with pytest.raises(ValidationError, match="bedreiging"):
        validate_upload(SimpleUploadedFile("verslag.pdf", PDF + b"EICAR"))


def test_an_unreachable_scanner_refuses_the_upload(settings, tmp_path):
    settings.CLAMD_SOCKET = str(tmp_path / "missing.sock")
    with pytest.raises(ValidationError, match="virusscanner is niet bereikbaar"):
        validate_upload(SimpleUploadedFile("verslag.pdf", PDF))
