"""Decomposed Hangul (conjoining jamo, as macOS file names have it) composed to syllables.

    >>> from pipeline.deck import Deck, Slide
    >>> s = Slide("d", 1, "\\u1112\\u1161\\u11ab\\u1100\\u116e\\u11a8 text")
    >>> _ = NfdJamo()(Deck("d", [s]))
    >>> s.text(), s.repairs[0].rule
    ('한국 text', 'nfd-jamo')
"""

from __future__ import annotations

import re
import unicodedata

from pipeline.step import PatternStep

# a leading consonant, a vowel, an optional final consonant: one syllable once composed
_JAMO_RUN = re.compile(r"(?:[\u1100-\u1112][\u1161-\u1175][\u11a8-\u11c2]?)+")


class NfdJamo(PatternStep):
    name = "nfd-jamo"
    pattern = _JAMO_RUN

    def handle(self, slide, m, stats) -> None:
        syllables = unicodedata.normalize("NFC", m.group())
        slide.repair(m.start(), m.end(), syllables, rule="nfd-jamo")
        stats["syllables"] += len(syllables)
