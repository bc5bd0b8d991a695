"""Reading a PDF back as a reader would: its text (pypdf) and its structure (pikepdf). Shared by the PDF tests."""

from __future__ import annotations

import io
import os
import re
from dataclasses import dataclass

NAMES = "Şahin Łukasz Wiśniewski Ĳsselmeer Müller Ørsted"


@dataclass
class PdfFacts:
    text: str
    pages: int
    title: str
    author: str
    subject: str
    creator: str
    lang: str
    tagged: bool
    struct_tree: bool
    fonts: dict[str, bool]  # base font name -> embedded
    created: str


def _font_embedded(font) -> bool:
    descendants = font.get("/DescendantFonts")
    descriptor = (descendants[0] if descendants else font).get("/FontDescriptor")
    return descriptor is not None and any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def read(content: bytes) -> PdfFacts:
    import pikepdf
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    info = reader.metadata or {}
    with pikepdf.open(io.BytesIO(content)) as pdf:
        root = pdf.Root
        mark_info = root.get("/MarkInfo")
        fonts: dict[str, bool] = {}
        for page in pdf.pages:
            resources = page.obj.get("/Resources") or {}
            for font in (resources.get("/Font") or {}).values():
                fonts[str(font.get("/BaseFont"))] = _font_embedded(font)
        return PdfFacts(
            text=text,
            pages=len(pdf.pages),
            title=str(info.get("/Title", "")),
            author=str(info.get("/Author", "")),
            subject=str(info.get("/Subject", "")),
            creator=str(info.get("/Creator", "")),
            lang=str(root.get("/Lang", "")),
            tagged=bool(mark_info is not None and mark_info.get("/Marked")),
            struct_tree="/StructTreeRoot" in root,
            fonts=fonts,
            created=str(info.get("/CreationDate", "")),
        )


def assert_accessible(content: bytes, *, title: str, lang: str = "nl", names: str = NAMES) -> PdfFacts:
    """Every name intact, tagged (PDF/UA-1), the language and title set, every font embedded (Noto Sans)."""
    facts = read(content)
    if os.environ.get("PDF_OUT"):  # to look at the pages: PDF_OUT=/tmp/pdfs pytest ...; pdftoppm -png -r 60
        with open(os.path.join(os.environ["PDF_OUT"], re.sub(r"[^\w-]+", "_", title) + ".pdf"), "wb") as handle:
            handle.write(content)
    for name in names.split():
        assert name in facts.text, f"{name!r} is not in the PDF's text"
    assert facts.struct_tree and facts.tagged
    assert facts.lang == lang
    assert facts.title == title
    assert facts.fonts and all(facts.fonts.values()), facts.fonts
    assert all("NotoSans" in name.replace("-", "") for name in facts.fonts), facts.fonts
    return facts
