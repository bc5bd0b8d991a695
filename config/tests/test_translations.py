"""Every catalogue is complete, and no two catalogues translate the same text differently.

Django merges the apps' catalogues into one per language: when two apps give
the same msgid (without a context) different Dutch, one silently wins on every
page. Such a word needs a translation context (pgettext) in one of the apps.
"""

from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[2]


def catalogues(language: str) -> list[Path]:
    return [
        path
        for path in ROOT.glob(f"**/locale/{language}/LC_MESSAGES/django.po")
        if ".venv" not in path.parts and "node_modules" not in path.parts and "locale_overrides" not in path.parts
    ]


def test_the_dutch_catalogues_are_complete():
    missing = []
    for path in catalogues("nl"):
        for entry in polib.pofile(str(path)):
            if entry.obsolete:
                continue
            if "fuzzy" in entry.flags or not (entry.msgstr or any(entry.msgstr_plural.values())):
                missing.append(f"{path.relative_to(ROOT)}: {entry.msgid!r}")
    assert not missing, "Untranslated:\n" + "\n".join(missing)


def test_no_two_catalogues_translate_the_same_text_differently():
    seen: dict[tuple[str | None, str], tuple[str, Path]] = {}
    conflicts = []
    for path in catalogues("nl"):
        for entry in polib.pofile(str(path)):
            if entry.obsolete or entry.msgid_plural:
                continue
            key = (entry.msgctxt, entry.msgid)
            if key in seen and seen[key][0] != entry.msgstr:
                other, other_path = seen[key]
                conflicts.append(
                    f"{entry.msgid!r}: {other!r} ({other_path.relative_to(ROOT)}) vs {entry.msgstr!r} ({path.relative_to(ROOT)})"
                )
            seen.setdefault(key, (entry.msgstr, path))
    assert not conflicts, "Conflicting translations:\n" + "\n".join(conflicts)
