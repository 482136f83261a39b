"""The Hangul syllable block (U+AC00–U+D7A3), the one place its range is written.

    >>> is_syllable("한"), is_syllable("ㅎ"), HANGUL_WORD.findall("한국어 text 문장")
    (True, False, ['한국어', '문장'])

``SYLLABLES`` is the range as a regex class body, for patterns built around it.
"""

from __future__ import annotations

import re

FIRST, LAST = 0xAC00, 0xD7A3
SYLLABLES = f"{chr(FIRST)}-{chr(LAST)}"
HANGUL = re.compile(f"[{SYLLABLES}]")
HANGUL_WORD = re.compile(f"[{SYLLABLES}]+")


def is_syllable(ch: str) -> bool:
    return chr(FIRST) <= ch <= chr(LAST)
