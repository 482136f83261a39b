"""Damage simulator: turn clean text into what a CID-keyed PDF without ToUnicode gives.

Tokens holding Hangul are taken to be set in the Korean font: each of their
non-ASCII characters that has a glyph in the collection comes out as its CID.
Glyphs whose CID is below 128 (the KS punctuation ``、。…“”`` and friends) would
come out as plain ASCII, which nobody can tell from real ASCII; decks set those in
the Latin font, and so does the simulator. Options add the rest of the damage
seen in real transcripts::

    >>> garble("김준성 (Junseong)")
    'ӣળࢿ (Junseong)'
    >>> garble("Compose를", shift_ascii=1.0)
    '$PNQPTFܳ'
    >>> garble("세션들을")          # NFC-normalized afterwards, as the real transcripts were
    'ࣁٜ࣌ਸ'

``shift_ascii``   probability that the ASCII of a Korean-font token is in the Korean
                  font too (CID = ord(c) - 31); characters whose CID is below 32
                  become control characters.
``shift_words``   probability that a plain English word is in the Korean font.
``drop_controls`` drop those control characters, as extractors do (words run together).
``nfc``           NFC-normalize the result (composition exclusions decompose, combining
                  marks are reordered).
"""

from __future__ import annotations

import random
import re
import unicodedata

from .cid_profile import DEFAULT_PROFILE, load_profile

_TOKEN = re.compile(r"\S+")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")


def garble(
    text: str,
    *,
    profile: str = DEFAULT_PROFILE,
    seed: int = 0,
    shift_ascii: float = 0.0,
    shift_words: float = 0.0,
    drop_controls: bool = True,
    nfc: bool = True,
) -> str:
    """Garble ``text`` as a CID-keyed Korean font without ToUnicode would (deterministic per seed)."""
    prof = load_profile(profile)
    rng = random.Random(seed)

    def cid_char(ch: str) -> str:
        cid = prof.cid_of(ch) if ch >= "\x80" else None
        return ch if cid is None or cid < 128 else chr(cid)

    def shifted(ch: str) -> str:
        cid = prof.cid_of(ch) if "\x20" <= ch <= "\x7e" else None
        if cid is None:
            return ch
        return "" if cid < 32 and drop_controls else chr(cid)

    out, pos = [], 0
    for m in _TOKEN.finditer(text):
        out.append(text[pos : m.start()])
        tok = m.group()
        if _HANGUL.search(tok):
            shift = rng.random() < shift_ascii
            out.append("".join(shifted(c) if shift and c < "\x80" else cid_char(c) for c in tok))
        elif tok.isascii() and tok.isalpha() and rng.random() < shift_words:
            out.append("".join(shifted(c) for c in tok))
        else:
            out.append(tok)
        pos = m.end()
    out.append(text[pos:])
    result = "".join(out)
    return unicodedata.normalize("NFC", result) if nfc else result
