"""A minimal OLE2 (Compound File) document written by hand, for the legacy Office upload tests."""

from __future__ import annotations

import struct

FREE, END, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def _entry(name: str, kind: int, child: int = NOSTREAM, right: int = NOSTREAM, start: int = END) -> bytes:
    encoded = (name + "\0").encode("utf-16-le") if name else b""
    entry = bytearray(128)
    entry[: len(encoded)] = encoded
    struct.pack_into("<HBB", entry, 64, len(encoded), kind, 1)
    struct.pack_into("<III", entry, 68, NOSTREAM, right, child)
    struct.pack_into("<IQ", entry, 116, start if kind else 0, 0)
    if not kind:
        struct.pack_into("<III", entry, 68, NOSTREAM, NOSTREAM, NOSTREAM)
    return bytes(entry)


def ole_document(*storages: str) -> bytes:
    """An OLE2 file whose root holds these (empty) storages, e.g. ``ole_document("Macros")`` for a Word macro."""
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIIII", header, 40, 0, 1, 1, 0, 4096, END, 0, END, 0)
    difat = [0] + [FREE] * 108
    struct.pack_into("<109I", header, 76, *difat)
    fat = struct.pack("<128I", FATSECT, END, *([FREE] * 126))
    names = list(storages)[:3]
    # The root's child is the first storage; each storage's right sibling is the next (a simple chain).
    entries = [_entry("Root Entry", 5, child=1 if names else NOSTREAM)]
    for index, name in enumerate(names, start=1):
        entries.append(_entry(name, 1, right=index + 1 if index < len(names) else NOSTREAM))
    while len(entries) < 4:
        entries.append(_entry("", 0))
    return bytes(header) + fat + b"".join(entries)
