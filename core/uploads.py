"""Safe uploads: allow-listed types checked by their content, a size limit, random names, served through a view."""

from __future__ import annotations

import io
import os
import re
import struct
import uuid
import zipfile
from collections.abc import Iterable

from clamav_client.clamd import ClamdError, ClamdNetworkSocket, ClamdUnixSocket, CommunicationError
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models.fields.files import FieldFile
from django.http import FileResponse
from django.utils.deconstruct import deconstructible
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

PDF = "pdf"
IMAGE = "image"
OFFICE = "office"
DEFAULT_KINDS = (PDF, IMAGE, OFFICE)

_EXTENSIONS = {
    PDF: {".pdf"},
    IMAGE: {".png", ".jpg", ".jpeg", ".gif", ".webp"},
    OFFICE: {".docx", ".xlsx", ".pptx", ".doc", ".xls", ".ppt", ".odt", ".ods", ".odp"},
}


def _sniff(head: bytes, file: UploadedFile) -> str | None:
    """The kind the content really is, whatever the name says."""
    if head.startswith(b"%PDF-"):
        return PDF
    if (
        head.startswith(b"\x89PNG\r\n\x1a\n")
        or head.startswith(b"\xff\xd8\xff")
        or head[:6] in (b"GIF87a", b"GIF89a")
        or (head[:4] == b"RIFF" and head[8:12] == b"WEBP")
    ):
        return IMAGE
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return OFFICE  # legacy OLE2 Office document
    if head.startswith(b"PK\x03\x04"):
        file.seek(0)
        try:
            with zipfile.ZipFile(file) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        finally:
            file.seek(0)
        if "[Content_Types].xml" in names or "mimetype" in names:
            return OFFICE
    return None


def _clamd() -> ClamdNetworkSocket | None:
    """ClamAV's clamd when CLAMD_SOCKET or CLAMD_HOST is set; None when scanning is off."""
    if settings.CLAMD_SOCKET:
        return ClamdUnixSocket(settings.CLAMD_SOCKET, timeout=settings.CLAMD_TIMEOUT)
    if settings.CLAMD_HOST:
        return ClamdNetworkSocket(settings.CLAMD_HOST, settings.CLAMD_PORT, timeout=settings.CLAMD_TIMEOUT)
    return None


def scan_for_viruses(file: UploadedFile) -> None:
    """Stream the file to clamd (INSTREAM, clamav-client). Refuse it when infected, and when the scanner cannot be
    reached or cannot answer: scanning is configured because every upload must be scanned (README, Security)."""
    scanner = _clamd()
    if scanner is None:
        return
    file.seek(0)
    try:
        result = scanner.instream(file)
    except (CommunicationError, OSError):  # refused, gone, or silent past CLAMD_TIMEOUT
        raise ValidationError(
            _("The virus scanner cannot be reached, so the file was not accepted. Please try again later."),
            code="scanner_unreachable",
        ) from None
    except ClamdError:
        result = {}
    finally:
        file.seek(0)
    status = next(iter(result.values()), ("ERROR", None))[0]
    if status == "FOUND":
        raise ValidationError(_("The virus scanner found a threat in this file; it was not accepted."), code="infected")
    if status != "OK":
        raise ValidationError(
            _("The virus scanner could not check this file, so it was not accepted. Please try again later."),
            code="scanner_error",
        )


def validate_upload(file: UploadedFile, kinds: Iterable[str] = DEFAULT_KINDS) -> None:
    """Refuse a file that is too large, or whose content is not an allowed kind matching its name."""
    kinds = tuple(kinds)
    limit = settings.UPLOAD_MAX_BYTES
    if file.size is not None and file.size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s MB); at most %(limit)s MB is allowed.")
            % {"size": round(file.size / 1024 / 1024, 1), "limit": round(limit / 1024 / 1024)},
            code="too_large",
        )
    if not file.size:
        raise ValidationError(_("The file is empty."), code="empty")
    extension = os.path.splitext(file.name or "")[1].lower()
    allowed_extensions = set().union(*(_EXTENSIONS[kind] for kind in kinds))
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    kind = _sniff(head, file)
    if extension not in allowed_extensions or kind not in kinds or extension not in _EXTENSIONS[kind]:
        raise ValidationError(
            _(
                "This type of file is not allowed, or the file is not what its name says. Allowed: PDF, Office documents and images."
            ),
            code="bad_type",
        )
    if not _is_what_it_claims(kind, file):
        raise ValidationError(
            _(
                "This file is not what it claims to be beyond its first bytes (for example a hidden program or web "
                "page, or an archive that unpacks to far more than its size); it was not stored."
            ),
            code="disguised",
        )
    scan_for_viruses(file)
    file._upload_checked = True


def ensure_valid_upload(file: UploadedFile, kinds: Iterable[str] = DEFAULT_KINDS) -> None:
    """``validate_upload`` unless this very upload already passed it (a form's clean_file), so no file is
    scanned twice and none is stored unchecked."""
    if not getattr(file, "_upload_checked", False):
        validate_upload(file, kinds)


# Signatures of content that has no place in a document or image upload, wherever it sits in the file.
_EXECUTABLE = (b"This program cannot be run in DOS mode", b"\x7fELF\x01", b"\x7fELF\x02", b"\xcf\xfa\xed\xfe")
_MARKUP = re.compile(rb"<\s*(?:html|script|!doctype|iframe|svg|body|object|embed)\b", re.IGNORECASE)
# A script's first line, anywhere (a PDF header followed by a shell script).
_SHEBANG = re.compile(rb"(?:^|[\r\n])#![ \t]*/(?:usr/)?(?:local/)?bin/")
# PDF names that run something: JavaScript, an action on opening or on an event, a program launched.
_PDF_ACTIVE = re.compile(rb"/(?:JavaScript|JS|OpenAction|AA|Launch|RichMedia|EmbeddedFile)\b")
_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
# What libmagic may call each kind; anything it recognises as another type is refused.
_MAGIC_TYPES = {
    PDF: {"application/pdf"},
    IMAGE: {"image/png", "image/jpeg", "image/gif", "image/webp"},
    OFFICE: {
        "application/zip",
        "application/x-ole-storage",
        "application/cdfv2",
        "application/msword",
        "application/vnd.ms-excel",
        "application/vnd.ms-powerpoint",
        "application/vnd.ms-office",
        "application/encrypted",
    },
}
_MAGIC_UNSURE = {"application/octet-stream", "application/x-empty"}


def magic_type(data: bytes) -> str:
    """The content's MIME type as libmagic (python-magic) decides it from the bytes."""
    import magic

    return magic.from_buffer(data[: 64 * 1024], mime=True).lower()


def _has_pe(data: bytes) -> bool:
    """A Windows program (an ``MZ`` header whose ``e_lfanew`` points at ``PE\\0\\0``), with or without the DOS stub."""
    for match in re.finditer(rb"MZ", data):
        start = match.start()
        if start + 0x40 > len(data):
            break
        (offset,) = struct.unpack_from("<I", data, start + 0x3C)
        if 0 < offset < 0x10000 and data[start + offset : start + offset + 4] == b"PE\0\0":
            return True
    return False


def _pdf_is_active(data: bytes) -> bool:
    """JavaScript, an OpenAction or additional actions, a launched program or an embedded file in a PDF."""
    plain = _PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), data)
    if _PDF_ACTIVE.search(plain):
        return True
    try:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data), strict=False)
        root = reader.trailer.get("/Root")
        root = root.get_object() if root is not None else {}
        if any(key in root for key in ("/OpenAction", "/AA")):
            return True
        names = root.get("/Names")
        names = names.get_object() if names is not None else {}
        if any(key in names for key in ("/JavaScript", "/EmbeddedFiles")):
            return True
    except Exception:  # noqa: BLE001 - pypdf cannot read it: the raw scan above decided
        return False
    return False


def _ole_has_macros(data: bytes) -> bool:
    """A legacy Office document (OLE2) carrying a VBA project: Word's ``Macros``, Excel's ``_VBA_PROJECT_CUR``."""
    import olefile

    try:
        with olefile.OleFileIO(data) as ole:
            entries = {"/".join(path).lower() for path in ole.listdir(streams=True, storages=True)}
    except OSError:
        return True  # claims to be OLE2 but is not readable as one
    return any(
        name == "macros" or name.startswith(("macros/", "_vba_project_cur")) or "/vba/" in f"/{name}/"
        for name in entries
    )


def _zip_too_big(data: bytes) -> bool:
    """An archive judged by what it really unpacks to (not what its headers declare) and its number of entries."""
    limit = settings.UPLOAD_MAX_UNPACKED_BYTES
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            if len(entries) > settings.UPLOAD_MAX_ARCHIVE_ENTRIES:
                return True
            if sum(entry.file_size for entry in entries) > limit:
                return True
            total = 0
            for entry in entries:
                with archive.open(entry) as member:
                    while chunk := member.read(1024 * 1024):
                        total += len(chunk)
                        if total > limit:
                            return True
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError, ValueError, OSError):
        return True
    return False


def _is_what_it_claims(kind: str, file: UploadedFile) -> bool:
    """Beyond the first bytes: what libmagic says the content is, a hidden program, script or web page, a PDF
    that runs something, an archive that unpacks beyond ``UPLOAD_MAX_UNPACKED_BYTES`` (really, not as declared)
    or has more than ``UPLOAD_MAX_ARCHIVE_ENTRIES`` entries, and a legacy Office document with macros.
    """
    file.seek(0)
    data = file.read()
    file.seek(0)
    detected = magic_type(data)
    if detected not in _MAGIC_UNSURE and detected not in _MAGIC_TYPES[kind]:
        return False
    if any(signature in data for signature in _EXECUTABLE) or _has_pe(data) or _SHEBANG.search(data):
        return False
    if kind == IMAGE and _MARKUP.search(data):
        return False
    if kind == PDF and _pdf_is_active(data):
        return False
    if kind == OFFICE and data.startswith(b"PK\x03\x04"):
        return not _zip_too_big(data)
    if kind == OFFICE and data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return not _ole_has_macros(data)
    return True


@deconstructible
class RandomUploadPath:
    """An ``upload_to`` that stores under a random name, keeping only the extension (serialisable in migrations)."""

    def __init__(self, folder: str) -> None:
        self.folder = folder

    def __call__(self, _instance: object, filename: str) -> str:
        extension = os.path.splitext(filename)[1].lower()[:10]
        return f"{self.folder}/{uuid.uuid4().hex}{extension}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RandomUploadPath) and other.folder == self.folder

    def __hash__(self) -> int:
        return hash(self.folder)


def random_upload_path(folder: str) -> RandomUploadPath:
    return RandomUploadPath(folder)


def serve_upload(field_file: FieldFile, original_name: str) -> FileResponse:
    """Serve a stored upload as an attachment with a safe file name (after the caller checked access)."""
    name = get_valid_filename(os.path.basename(original_name or "bestand")) or "bestand"
    response = FileResponse(field_file.open("rb"), as_attachment=True, filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
