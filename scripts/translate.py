"""Fill msgstr entries of a .po catalogue from a simple "msgid => msgstr" file.

Usage: python scripts/translate.py <catalogue.po> <translations.txt>

The translations file has blocks separated by blank lines: the first line of
each block is the English msgid, the second the Dutch text; for plurals, a
third line holds the plural form. Entries already translated are kept unless
the file gives them again. Prints the msgids still untranslated.
"""

from __future__ import annotations

import sys

import polib


def load(path: str) -> dict[str, list[str]]:
    with open(path, encoding="utf-8") as handle:
        blocks = handle.read().split("\n\n")
    mapping: dict[str, list[str]] = {}
    for block in blocks:
        lines = [line for line in block.split("\n") if line and not line.startswith("#")]
        if len(lines) >= 2:
            mapping[lines[0].replace("\\n", "\n")] = [line.replace("\\n", "\n") for line in lines[1:]]
    return mapping


def main(catalogue: str, translations: str) -> None:
    po = polib.pofile(catalogue)
    mapping = load(translations)
    for entry in po:
        if entry.obsolete:
            continue
        found = mapping.get(entry.msgid)
        if found:
            if entry.msgid_plural:
                entry.msgstr_plural = {0: found[0], 1: found[1] if len(found) > 1 else found[0]}
            else:
                entry.msgstr = found[0]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    po.save(catalogue)
    # A fuzzy entry is makemessages' guess: compilemessages ignores it, so it counts as untranslated.
    missing = [
        e.msgid
        for e in po
        if not e.obsolete and ("fuzzy" in e.flags or not (e.msgstr or any(e.msgstr_plural.values())))
    ]
    for msgid in missing:
        print(msgid.replace("\n", "\\n"))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
