"""CID collections as data: which glyph number stands for which character.

A PDF whose CID-keyed font has no ToUnicode map is extracted with each glyph's
CID emitted as the code point. A profile in ``rules/cid_profiles/`` lists the
collection's ranges; this module turns them into two tables, built from
Python's codecs and the range facts, never from a copied code chart::

    >>> p = load_profile("adobe-korea1")
    >>> p.decode_char("\u043e"), p.decode_char("\u00fa"), p.decode_char("\u3649")
    ('가', '↖', '슼')
    >>> p.encode_char("김")
    '\u04e3'

Sources a range can have:

``ascii``       CID ``first..last`` are consecutive code points from ``first_code_point``.
``codec``       the cells of a double-byte codec whose lead byte is in ``lead_bytes``,
                in codec order, minus ``skip_cells`` (and compatibility ideographs if asked).
``cells``       an explicit list of codec cells (vertical variants decode to the cell).
``table``       an explicit CID → code point table.
``complement``  the code points in ``code_points`` that have no two-byte cell in the codec, in order.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from pipeline.models.rule_files import load_json

DEFAULT_PROFILE = "adobe-korea1"


def _cell_char(codec: str, cell: str, overrides: dict[str, str]) -> str | None:
    if cell in overrides:
        return chr(int(overrides[cell], 16))
    try:
        return bytes.fromhex(cell).decode(codec)
    except UnicodeDecodeError:
        return None


def _codec_cells(rng: dict, overrides: dict[str, str]):
    codec = rng["codec"]
    lo, hi = (int(b, 16) for b in rng["lead_bytes"])
    skip = {c.upper() for c in rng.get("skip_cells", ())}
    for lead in range(lo, hi + 1):
        for trail in range(0xA1, 0xFF):
            cell = f"{lead:02X}{trail:02X}"
            ch = _cell_char(codec, cell, overrides)
            if ch is None or cell in skip:
                continue
            if rng.get("skip_compatibility_ideographs") and "COMPATIBILITY" in unicodedata.name(ch, ""):
                continue
            yield ch


def _range_chars(rng: dict, overrides: dict[str, str]) -> list[str | None]:
    first, last = rng["cids"]
    size = last - first + 1
    src = rng["source"]
    if src == "ascii":
        chars = [chr(rng["first_code_point"] + i) for i in range(size)]
    elif src == "codec":
        chars = list(_codec_cells(rng, overrides))
    elif src == "cells":
        chars = [_cell_char(rng["codec"], c.upper(), overrides) for c in rng["cells"]]
    elif src == "table":
        table = {int(k): chr(int(v, 16)) for k, v in rng["table"].items()}
        chars = [table.get(first + i) for i in range(size)]
    elif src == "complement":
        lo, hi = (int(c, 16) for c in rng["code_points"])
        chars = []
        for cp in range(lo, hi + 1):
            try:
                in_codec = len(chr(cp).encode(rng["codec"])) == 2
            except UnicodeEncodeError:
                in_codec = False
            if not in_codec:  # euc_kr spells non-KS syllables as 8-byte jamo sequences
                chars.append(chr(cp))
    else:
        raise ValueError(f"unknown range source {src!r} in CID profile")
    if len(chars) != size:
        raise ValueError(f"CID range {first}-{last} ({src}) yields {len(chars)} characters, expected {size}")
    return chars


@dataclass(frozen=True)
class CidProfile:
    """One character collection: CID ↔ character, and the class of each CID."""

    name: str
    to_char: dict[int, str]  # CID -> character it stands for
    cid_class: dict[int, str]  # CID -> range class ("hangul", "symbol", ...)
    from_char: dict[str, int] = field(repr=False)  # character -> first CID

    @property
    def decode_table(self) -> dict[int, str]:
        """``str.translate`` table: code point -> character its CID stands for ("" if none)."""
        table = self.__dict__.get("_decode_table")
        if table is None:
            table = {cid: ch for cid, ch in self.to_char.items()}
            for cid in self.cid_class:
                table.setdefault(cid, "")
            object.__setattr__(self, "_decode_table", table)
        return table

    @property
    def collection(self) -> str:
        """Registry-Ordering of the collection, as a PDF font names it (``Adobe-Korea1``)."""
        return self.name.rsplit("-", 1)[0]

    def decode_char(self, garbled: str) -> str | None:
        """The character a CID-as-code-point stands for, or None."""
        return self.to_char.get(ord(garbled))

    def char_class(self, garbled: str) -> str | None:
        """The range class of a CID-as-code-point (None outside the collection)."""
        return self.cid_class.get(ord(garbled))

    def encode_char(self, clean: str) -> str | None:
        """The code point a character turns into when its CID is emitted (None if no glyph)."""
        cid = self.from_char.get(clean)
        return None if cid is None else chr(cid)

    def cid_of(self, clean: str) -> int | None:
        return self.from_char.get(clean)


@lru_cache(maxsize=8)
def load_profile(name: str = DEFAULT_PROFILE) -> CidProfile:
    """Build a profile from ``rules/cid_profiles/<name>.json`` (cached per process)."""
    data = load_json(f"cid_profiles/{name}.json")
    overrides = {k.upper(): v for k, v in data.get("unicode_overrides", {}).get("cells", {}).items()}
    to_char: dict[int, str] = {}
    cid_class: dict[int, str] = {}
    from_char: dict[str, int] = {}
    for rng in data["ranges"]:
        first = rng["cids"][0]
        for i, ch in enumerate(_range_chars(rng, overrides)):
            cid = first + i
            cid_class[cid] = rng["class"]
            if ch is None:
                continue
            to_char[cid] = ch
            # horizontal glyphs win over vertical variants: only the first CID is kept
            from_char.setdefault(ch, cid)
    return CidProfile(name=data["name"], to_char=to_char, cid_class=cid_class, from_char=from_char)
