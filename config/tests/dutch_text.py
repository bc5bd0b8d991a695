"""Detectors for English-formatted figures, bare-count plurals, internal codes, English words and the informal
"je" in Dutch text.

Used by ``test_dutch_formats.py`` on every page of the demo characters, the main mails and the PDFs' text.
Each detector returns the offending snippets (with some context), so a failure says where to look.
"""

from __future__ import annotations

import html
import re
from functools import cache

SCRIPT = re.compile(r"<(script|style|template)\b.*?</\1\s*>", re.S | re.I)
TAG = re.compile(r"<[^>]+>")
CELL = re.compile(r"<t[dh]\b[^>]*>(.*?)</t[dh]\s*>", re.S | re.I)
SPACE = re.compile(r"\s+")

# A decimal written with a dot: 22670.5, 30.0 (one or two decimals, or four digits or more before the dot,
# so "22.670", a Dutch thousand, is not one). Dots also separate control codes (5.24), question numbers (4.3),
# room numbers (zaal 2.14) and versions (WCAG 2.1), so a dotted number only counts where it is a figure:
# before a percent sign or a unit, after an amount's sign or a word that introduces a figure, or alone in a
# figure column (a right-aligned cell).
_DOT = r"(?<![\w.,])(?:\d+\.\d{1,2}|\d{4,}\.\d+)(?![\d.,])"
ENGLISH_DECIMAL = re.compile(
    rf"(?:(?:€|EUR)\s*-?{_DOT}"
    rf"|\b(?:gemiddeld|gemiddelde|score|waarde|totaal)\s*:?\s*{_DOT}"
    rf"|{_DOT}(?=\s*(?:%|uur\b|uren\b|dagen\b|punten\b|procentpunt|pp\b|keer\b|minuten\b)))",
)
FIGURE_CELL = re.compile(r"<td\b[^>]*class=\"[^\"]*\btext-end\b[^\"]*\"[^>]*>(.*?)</td\s*>", re.S | re.I)
# An English thousands comma: "22,670.50", or after an amount's sign, "€ 22,670" (not "0,125", a Dutch decimal).
THOUSANDS_COMMA = re.compile(r"(?<![\w.,])\d{1,3}(?:,\d{3})+\.\d+(?![\d.,])|(?:€|EUR)\s*\d{1,3}(?:,\d{3})+(?![\d,])")
EUR_CODE = re.compile(r"\bEUR\b")
PERCENT_DOT = re.compile(r"\d\.\d+\s*%")
# A year shown as a number with a thousands separator: "2.026" (not an amount: "€ 2.026").
GROUPED_YEAR = re.compile(r"(?<![\w.,€\u00a0])(?<!€ )(?:2\.0\d{2}|1\.9\d{2})(?![\d.,])")

# The plural nouns the application counts, in Dutch (singular, plural).
NOUNS = [
    ("afdeling", "afdelingen"),
    ("ambassadeur", "ambassadeurs"),
    ("medewerker", "medewerkers"),
    ("activiteit", "activiteiten"),
    ("melding", "meldingen"),
    ("datalek", "datalekken"),
    ("deelnemer", "deelnemers"),
    ("vraag", "vragen"),
    ("antwoord", "antwoorden"),
    ("reactie", "reacties"),
    ("sessie", "sessies"),
    ("training", "trainingen"),
    ("module", "modules"),
    ("onderwerp", "onderwerpen"),
    ("bericht", "berichten"),
    ("doel", "doelen"),
    ("aanmelding", "aanmeldingen"),
    ("inschrijving", "inschrijvingen"),
    ("dag", "dagen"),
    ("week", "weken"),
    ("maand", "maanden"),
    ("keer", "keren"),
    ("persoon", "personen"),
    ("betrokkene", "betrokkenen"),
    ("stem", "stemmen"),
    ("voorstel", "voorstellen"),
    ("regel", "regels"),
    ("begrotingsregel", "begrotingsregels"),
    ("bijlage", "bijlagen"),
    ("ontvanger", "ontvangers"),
    ("uitnodiging", "uitnodigingen"),
    ("feedback", "feedbackmeldingen"),
    ("evenement", "evenementen"),
    ("erkenning", "erkenningen"),
    ("nominatie", "nominaties"),
    ("maatregel", "maatregelen"),
    ("enquête", "enquêtes"),
    ("kpi", "kpi's"),
    ("groep", "groepen"),
    ("team", "teams"),
    ("functionaris", "functionarissen"),
    ("herinnering", "herinneringen"),
    ("e-mail", "e-mails"),
    ("mail", "mails"),
    ("punt", "punten"),
    ("minuut", "minuten"),
]
_PLURALS = "|".join(re.escape(plural) for _singular, plural in NOUNS)
# "1 afdelingen": one, then a plural noun (also "1 actieve ambassadeurs": one adjective between).
ONE_PLURAL = re.compile(rf"(?<![\w.,-])1\s+(?:[a-z]+e\s+)?(?:{_PLURALS})\b")


def text_of(page: str) -> str:
    """What a reader sees: without scripts, styles and tags, entities decoded, white space folded."""
    return SPACE.sub(" ", html.unescape(TAG.sub(" ", SCRIPT.sub(" ", page)))).strip()


def _around(text: str, match: re.Match, width: int = 40) -> str:
    return text[max(0, match.start() - width) : match.end() + width]


def english_numbers(text: str) -> list[str]:
    found = []
    for pattern in (ENGLISH_DECIMAL, THOUSANDS_COMMA, EUR_CODE, PERCENT_DOT, GROUPED_YEAR):
        found += [_around(text, m) for m in pattern.finditer(text)]
    return found


def english_figure_cells(page: str) -> list[str]:
    """Right-aligned (figure) table cells holding a number with a decimal dot."""
    found = []
    for cell in FIGURE_CELL.findall(SCRIPT.sub(" ", page)):
        value = text_of(cell)
        if re.search(_DOT, value):
            found.append(f"<td class=text-end>{value}</td>")
    return found


def wrong_plurals(text: str) -> list[str]:
    return [_around(text, m) for m in ONE_PLURAL.finditer(text)]


@cache
def internal_codes() -> frozenset[str]:
    """The stored values of our models' choices that differ from their Dutch label (what must never show)."""
    from django.apps import apps
    from django.utils import translation

    from config.tests.test_security import PROJECT_APPS

    codes = set()
    with translation.override("nl"):
        for model in apps.get_models():
            if model._meta.app_label not in PROJECT_APPS and model._meta.app_label != "core":
                continue
            for field in model._meta.get_fields():
                for value, label in getattr(field, "flatchoices", None) or []:
                    if isinstance(value, str) and re.fullmatch(r"[a-z][a-z0-9_]{2,}", value) and str(label) != value:
                        codes.add(value)
    return frozenset(codes)


def untranslated_codes(page: str, codes: frozenset[str] | None = None) -> list[str]:
    """Choice values in parentheses, "(assessment)", or alone in a table cell, in a rendered page."""
    codes = internal_codes() if codes is None else codes
    found = []
    text = text_of(page)
    for match in re.finditer(r"\(([a-z][a-z0-9_]{2,})\)", text):
        if match.group(1) in codes:
            found.append(_around(text, match))
    for cell in CELL.findall(SCRIPT.sub(" ", page)):
        if re.fullmatch(r"\s*<(code|kbd|samp)\b.*", cell, re.S):
            continue  # a literal name to type, such as a column header of the HR file
        value = text_of(cell)
        if value in codes:
            found.append(f"<td>{value}</td>")
    return found


# The programme speaks to its readers with "u": the informal pronouns as words ("je", never "jeugd" or "jeans").
INFORMAL = re.compile(r"\b(?:je|jij|jou|jouw|jouwe|jullie|jezelf)\b", re.I)
# English words that stood on Dutch pages: need-to-know, "de officers", a survey's "Deadline", "2026 Q4".
# ("Privacy Officers", a role's name, is Dutch usage.)
ENGLISH_WORDS = re.compile(r"need-to-know|\bofficers\b|\b[Dd]eadlines?\b|\b\d{4} Q[1-4]\b")


def informal_words(text: str) -> list[str]:
    return [_around(text, m) for m in INFORMAL.finditer(text)]


def english_words(text: str) -> list[str]:
    return [_around(text, m) for m in ENGLISH_WORDS.finditer(text)]


def problems(page: str, *, is_html: bool = True) -> list[str]:
    text = text_of(page) if is_html else SPACE.sub(" ", page)
    found = [f"number: {s}" for s in english_numbers(text)]
    found += [f"informal: {s}" for s in informal_words(text)]
    found += [f"english: {s}" for s in english_words(text)]
    found += [f"plural: {s}" for s in wrong_plurals(text)]
    if is_html:
        found += [f"number: {s}" for s in english_figure_cells(page)]
        found += [f"code: {s}" for s in untranslated_codes(page)]
    return found
