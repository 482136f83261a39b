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

A profile may instead name Adobe's own tables (``tables``), which pdfminer.six ships: its
CID -> Unicode map, filled from Adobe's Unicode CMaps where it lacks a CID, and the first
CMap's lowest CID per character for encoding. Each CID's class then comes from its
character (``kana``, ``ideograph``, ``hangul``, ``symbol``; ``ascii`` for ``ascii_cids``)::

    >>> j = load_profile("adobe-japan1")
    >>> j.language, j.decode_char("\u0465"), j.decode_char(chr(7782)), j.encode_char("の")
    ('ja', '亜', '稗', 'ͷ')
    >>> j.char_class("ͷ"), j.char_class("\u0465"), j.char_class("A")
    ('kana', 'ideograph', 'ascii')
"""

from __future__ import annotations

import gzip
import json
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pipeline.models.rule_files import load_json, rules_path

DEFAULT_PROFILE = "adobe-korea1"


class UnknownProfile(ValueError):
    """A profile name with no file in ``rules/cid_profiles/``."""


def available_profiles() -> list[str]:
    """The names ``load_profile`` accepts (files of ``rules/cid_profiles/``)."""
    return sorted(p.stem for p in rules_path("cid_profiles").glob("*.json"))


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


def _pdfminer_table(name: str) -> dict:
    import pdfminer  # a core dependency; only profiles built from Adobe's tables need it

    with gzip.open(Path(pdfminer.__file__).parent / "cmap" / f"{name}.json.gz", "rt", encoding="utf-8") as fh:
        return json.load(fh)


def _unicode_cmap(name: str) -> list[tuple[str, int]]:
    """(character, CID) pairs of one of Adobe's UTF-32 CMaps, in code point order."""
    pairs: list[tuple[str, int]] = []

    def walk(node: dict, prefix: int) -> None:  # the four UTF-32BE bytes, one level each
        for byte, value in node.items():
            code = prefix << 8 | int(byte)
            if isinstance(value, dict):
                walk(value, code)
            else:
                pairs.append((chr(code), value))

    walk(_pdfminer_table(name)["CODE2CID"], 0)
    return sorted(pairs)


def _class_of(ch: str) -> str:
    cp = ord(ch)
    if (0x3400 <= cp <= 0x9FFF or 0xF900 <= cp <= 0xFAFF or cp >= 0x20000) and unicodedata.category(ch) == "Lo":
        return "ideograph"  # the CJK ideograph blocks (named CJK ... IDEOGRAPH), without a name lookup
    name = unicodedata.name(ch, "")
    if "HIRAGANA" in name or "KATAKANA" in name:
        return "kana"
    if "IDEOGRAPH" in name and unicodedata.category(ch)[0] in "LN":  # CJK ideographs, 々, 〇; not 、。
        return "ideograph"
    if name.startswith("HANGUL SYLLABLE"):
        return "hangul"
    return "symbol"


def _from_tables(data: dict) -> tuple[dict[int, str], dict[int, str], dict[str, int]]:
    tables = data["tables"]
    to_char = {int(cid): ch for cid, ch in _pdfminer_table(tables["to_unicode"])["CID2UNICHR_H"].items()}
    for cid, cp in data.get("cid_overrides", {}).items():
        to_char[int(cid)] = chr(int(cp, 16))
    from_char: dict[str, int] = {}
    for k, cmap in enumerate(tables["unicode_cmaps"]):
        pairs = _unicode_cmap(cmap)
        lowest: dict[str, int] = {}
        for ch, cid in pairs:
            lowest[ch] = min(lowest.get(ch, cid), cid)
        if k == 0:
            from_char.update(lowest)
        # a CID the map lacks: the lowest character whose own CID it is, else the lowest sent to it
        for ch, cid in pairs:
            if cid not in to_char and lowest[ch] == cid:
                to_char[cid] = ch
        for ch, cid in pairs:
            to_char.setdefault(cid, ch)
    first, last = data["ascii_cids"]
    cid_class = {cid: "symbol" for cid in range(1, max(to_char) + 1)}
    for cid, ch in to_char.items():
        cid_class[cid] = "ascii" if first <= cid <= last else _class_of(ch)
    for cid in sorted(to_char):
        from_char.setdefault(to_char[cid], cid)
    return to_char, cid_class, from_char


@dataclass(frozen=True)
class CidProfile:
    """One character collection: CID ↔ character, and the class of each CID."""

    name: str
    to_char: dict[int, str]  # CID -> character it stands for
    cid_class: dict[int, str]  # CID -> range class ("hangul", "symbol", ...)
    from_char: dict[str, int] = field(repr=False)  # character -> first CID
    language: str = "ko"  # the language whose model reads the collection's text (BCP 47)
    letters: frozenset[str] = frozenset({"hangul", "hangul-rare"})  # classes that carry that text
    common_letters: frozenset[str] = frozenset({"hangul"})  # of those, the ones a text uses every day
    letters_rule: str = "cid-hangul"  # the rule a decoded run of letters is recorded under

    def is_letter(self, garbled: str) -> bool:
        """Whether a CID-as-code-point stands for a letter of the collection's language."""
        return self.cid_class.get(ord(garbled)) in self.letters

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
    if name not in available_profiles():
        raise UnknownProfile(f"unknown CID profile {name!r}; known: {', '.join(available_profiles())}")
    data = load_json(f"cid_profiles/{name}.json")
    extra = {"language": data["language"], "letters": frozenset(data["letters"]),
             "common_letters": frozenset(data.get("common_letters", data["letters"])),
             "letters_rule": data["letters_rule"]}
    if "tables" in data:
        to_char, cid_class, from_char = _from_tables(data)
        return CidProfile(name=data["name"], to_char=to_char, cid_class=cid_class, from_char=from_char, **extra)
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
    return CidProfile(name=data["name"], to_char=to_char, cid_class=cid_class, from_char=from_char, **extra)
