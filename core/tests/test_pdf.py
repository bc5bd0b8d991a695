"""The one PDF path (core/pdf.py): names intact, tagged PDF/UA-1, language, metadata, fonts, nothing from the net."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.utils import translation

from core import pdf
from core.tests.pdf_checks import NAMES, assert_accessible, read

TEMPLATES = Path(__file__).parent / "templates"


@pytest.fixture
def sample_templates(settings):
    engines = [dict(engine) for engine in settings.TEMPLATES]
    engines[0]["DIRS"] = [*engines[0]["DIRS"], TEMPLATES]
    settings.TEMPLATES = engines


def _render(language="nl", **kwargs):
    context = {"names": NAMES, "rows": kwargs.pop("rows", ["1.234,5"])}
    context.update(kwargs.pop("context", {}))
    return pdf.render_to_pdf(
        "tests/pdf_sample.html",
        context,
        title=kwargs.pop("title", "Namen in een PDF"),
        language=language,
        author=kwargs.pop("author", "Gemeente Ĳsselstein"),
        subject="Een proef",
        **kwargs,
    )


def test_every_name_survives_and_the_pdf_is_tagged_with_language_title_and_fonts(sample_templates):
    facts = assert_accessible(_render(), title="Namen in een PDF")
    assert facts.author == "Gemeente Ĳsselstein"
    assert facts.subject == "Een proef"
    assert facts.creator == "Ambassadeursprogramma"
    assert facts.created.startswith("D:20")
    # The running header carries the organisation; the foot "pagina x van y" in Dutch.
    assert "Gemeente Ĳsselstein" in facts.text
    assert "Pagina 1 van 1" in facts.text


def test_the_page_numbers_count_every_page_and_follow_the_language(sample_templates):
    content = _render(language="en", rows=[str(n) for n in range(120)], title="Names")
    facts = assert_accessible(content, title="Names", lang="en")
    assert facts.pages >= 3
    assert f"Page {facts.pages} of {facts.pages}" in facts.text
    assert "Pagina" not in facts.text
    # The table's header row is repeated on every page.
    assert facts.text.count("Streefwaarde") == facts.pages


def test_a_document_carries_the_organisations_legal_name_in_its_header_and_metadata(sample_templates):
    from accounts.models import Organisation

    organisation = Organisation(name="IJsselstein", legal_name="Gemeente Ĳsselstein", slug="ijsselstein")
    facts = read(_render(organisation=organisation, author=""))
    assert facts.author == "Gemeente Ĳsselstein"
    # The running header, as the letter and the AP's form say it; the short name nowhere.
    assert "Gemeente Ĳsselstein" in facts.text and "IJsselstein" not in facts.text


def test_the_active_language_is_the_default(sample_templates):
    with translation.override("en"):
        facts = read(_render(language=None, title="Names"))
    assert facts.lang == "en"


def test_the_page_counter_is_css_from_the_translation():
    with translation.override("nl"):
        assert pdf.page_counter_css() == '"Pagina " counter(page) " van " counter(pages)'
    with translation.override("en"):
        assert pdf.page_counter_css() == '"Page " counter(page) " of " counter(pages)'
    assert pdf._css_string('a"b\\') == '"a\\22 b\\5c "'


def test_the_organisation_logo_is_shown_and_nothing_is_fetched_from_the_network(sample_templates, settings, tmp_path):
    from django.core.files.base import ContentFile
    from PIL import Image

    from accounts.models import Organisation

    settings.MEDIA_ROOT = tmp_path
    image = io.BytesIO()
    Image.new("RGB", (40, 20), (200, 30, 30)).save(image, "PNG")
    organisation = Organisation(name="Gemeente Ĳsselstein", slug="ijsselstein")
    organisation.logo.save("logo.png", ContentFile(image.getvalue()), save=False)

    content = _render(organisation=organisation, author="", context={"remote_image": True})
    facts = assert_accessible(content, title="Namen in een PDF")
    assert facts.author == "Gemeente Ĳsselstein"

    import pikepdf

    with pikepdf.open(io.BytesIO(content)) as document:
        images = [
            obj
            for page in document.pages
            for obj in (page.obj.Resources.get("/XObject") or {}).values()
            if obj.get("/Subtype") == "/Image"
        ]
    assert len(images) == 1  # the logo; the remote image was refused
    assert (images[0].Width, images[0].Height) == (40, 20)

    fetcher = pdf._fetcher_class()(allowed_media=set())
    for url in ("https://example.org/x.png", "file:///etc/passwd", "http://127.0.0.1:8000/static/../../etc/passwd"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    with pytest.raises(ValueError):
        fetcher.fetch("http://127.0.0.1:8000/uploads-not-served/" + organisation.logo.name)


def test_the_font_is_shipped_with_the_app_not_taken_from_the_system():
    from django.contrib.staticfiles import finders

    for style in ("400Regular", "400Regular_Italic", "700Bold", "700Bold_Italic"):
        assert finders.find(f"vendor/noto-sans/NotoSans_{style}.ttf")


def test_the_response_is_a_pdf_download():
    response = pdf.pdf_response(b"%PDF-1.7", "verslag.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="verslag.pdf"'


def test_static_files_come_from_the_collected_files_when_the_finders_miss(settings, tmp_path, monkeypatch):
    """In production (ManifestStaticFilesStorage) the hashed names exist only in STATIC_ROOT."""
    settings.STATIC_ROOT = tmp_path
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "pdf.0123abcd.css").write_text("html { color: black; }")
    monkeypatch.setattr(pdf.finders, "find", lambda name: None)
    fetcher = pdf._fetcher_class()(allowed_media=set())
    response = fetcher.fetch("http://127.0.0.1:8000/static/css/pdf.0123abcd.css")
    assert response.read() == b"html { color: black; }" and response.content_type == "text/css"
    response.close()
    with pytest.raises(FileNotFoundError):
        fetcher.fetch("http://127.0.0.1:8000/static/css/missing.css")
