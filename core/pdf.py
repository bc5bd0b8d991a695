"""The one PDF path: a Django template, printed by WeasyPrint as a tagged PDF/UA-1 document.

Every document (AP notification, register report, yearly report, evidence report, certificate, letters) is a
template that extends ``pdf/base.html``: the page's own content blocks with the print stylesheet
``static/css/pdf.css`` (Noto Sans shipped from npm, "pagina x van y", a running header with the organisation's name
and logo, tables that repeat their header row and never break a word). Nothing is fetched over the network: static
files come from the staticfiles finders or storage, the organisation's logo from the default storage.
"""

from __future__ import annotations

import datetime
import mimetypes
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

PDF_VARIANT = "pdf/ua-1"
# The logo is an upload: only the image types the settings page accepts are read.
LOGO_TYPES = ("image/png", "image/jpeg")
_TYPES = {".woff2": "font/woff2", ".woff": "font/woff", ".ttf": "font/ttf", ".otf": "font/otf", ".css": "text/css"}


def _css_string(value: str) -> str:
    """A CSS string literal for text that came from a translation catalogue."""
    escaped = "".join(ch if ch.isalnum() or ch in " .,:;-/()" else f"\\{ord(ch):x} " for ch in value)
    return f'"{escaped}"'


def page_counter_css() -> SafeString:
    """The content of the page number box, "Pagina 2 van 5" in Dutch, as CSS counters in the active language."""
    # Translators: the page number at the foot of every PDF page; keep {page} and {pages}.
    text = gettext("Page {page} of {pages}")
    parts: list[str] = []
    rest = text
    for placeholder, counter in (("{page}", "counter(page)"), ("{pages}", "counter(pages)")):
        before, found, rest_after = rest.partition(placeholder)
        if not found:
            return mark_safe('counter(page) " / " counter(pages)')
        if before:
            parts.append(_css_string(before))
        parts.append(counter)
        rest = rest_after
    if rest:
        parts.append(_css_string(rest))
    return mark_safe(" ".join(parts))  # noqa: S308 - counters and CSS-escaped strings only


def _weasyprint():
    import weasyprint  # heavy (Pango, HarfBuzz): imported when a PDF is asked for

    return weasyprint


def _fetcher_class():
    weasyprint = _weasyprint()

    class LocalFetcher(weasyprint.urls.URLFetcher):
        """Static files and the organisation's logo from storage; data: URLs; nothing from the network."""

        def __init__(self, *, allowed_media: set[str]):
            super().__init__(allowed_protocols={"data"})
            self.allowed_media = allowed_media

        def fetch(self, url: str, headers: dict | None = None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = unquote(urlsplit(url).path)
            if path.startswith(settings.STATIC_URL):
                return self._static(url, path.removeprefix(settings.STATIC_URL))
            if path.startswith(settings.MEDIA_URL):
                name = path.removeprefix(settings.MEDIA_URL)
                if name in self.allowed_media:
                    return self._response(url, name, default_storage.open(name, "rb"))
            raise ValueError(f"Not a local file of this document: {url}")

        def _static(self, url: str, name: str):
            if ".." in name.split("/"):
                raise ValueError(f"Not a static file: {url}")
            found = finders.find(name)
            if found:
                return self._response(url, name, open(found, "rb"))  # WeasyPrint closes it
            if staticfiles_storage.exists(name):
                return self._response(url, name, staticfiles_storage.open(name, "rb"))
            raise FileNotFoundError(name)

        @staticmethod
        def _response(url: str, name: str, body):
            suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
            content_type = _TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"
            return weasyprint.urls.URLFetcherResponse(url, body, {"Content-Type": content_type})

    return LocalFetcher


def logo_name(organisation: Any) -> str:
    """The storage name of the organisation's logo when it is an image a PDF may show, else ""."""
    logo = getattr(organisation, "logo", None)
    if not logo:
        return ""
    return logo.name if mimetypes.guess_type(logo.name)[0] in LOGO_TYPES else ""


def render_to_pdf(
    template_name: str,
    context: dict[str, Any] | None = None,
    *,
    request: HttpRequest | None = None,
    title: str,
    language: str | None = None,
    author: str = "",
    subject: str = "",
    organisation: Any = None,
    keywords: list[str] | None = None,
    created: datetime.datetime | None = None,
) -> bytes:
    """Render a template that extends ``pdf/base.html`` to a tagged PDF/UA-1 document and return its bytes.

    ``author`` defaults to the organisation's legal name; ``language`` to the active language. The running header
    shows that name and, when one is uploaded, the organisation's logo.
    """
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    created = created or timezone.now()
    # The name a document carries outside: the organisation's legal name where one is set (as its letters and the
    # AP's form say it), in the metadata and the running header alike.
    name = (getattr(organisation, "display_legal_name", "") or str(organisation)) if organisation is not None else ""
    author = author or name
    with translation.override(language):
        logo = logo_name(organisation)
        pdf = {
            "title": title,
            "language": language,
            "author": author,
            "subject": subject,
            "created": created,
            "organisation": organisation,
            "organisation_name": name or author,
            "logo_url": settings.MEDIA_URL + logo if logo else "",
            "page_counter": page_counter_css(),
        }
        html = render_to_string(template_name, {**(context or {}), "pdf": pdf}, request=request)
    weasyprint = _weasyprint()
    base_url = settings.SITE_URL + "/"
    document = weasyprint.HTML(
        string=html, base_url=base_url, url_fetcher=_fetcher_class()(allowed_media={logo} if logo else set())
    ).render()
    metadata = document.metadata
    metadata.title = title
    metadata.authors = [author] if author else []
    metadata.description = subject
    metadata.keywords = list(keywords or [])
    metadata.generator = gettext_in(language, "Ambassador programme")
    metadata.created = created.isoformat(timespec="seconds")
    metadata.modified = metadata.created
    metadata.lang = language
    return document.write_pdf(pdf_variant=PDF_VARIANT)


def gettext_in(language: str, message: str) -> str:
    with translation.override(language):
        return gettext(message)


def pdf_response(content: bytes, filename: str, *, inline: bool = False) -> HttpResponse:
    """A PDF download (or, with ``inline``, a PDF the browser shows)."""
    response = HttpResponse(content, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
