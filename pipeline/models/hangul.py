"""The Hangul syllable block (U+AC00–U+D7A3), the one place its range is written.

    >>> is_syllable("한"), is_syllable("ㅎ"), HANGUL_WORD.findall("한국어 text 문장")
    (True, False, ['한국어', '문장'])

``SYLLABLES`` is the range as a regex class body, for patterns built around it;
``UTF8_LEADS`` the bytes its UTF-8 sequences open with::

    >>> [hex(b) for b in UTF8_LEADS]
    ['0xea', '0xeb', '0xec', '0xed']
"""

from __future__ import annotations

import re

FIRST, LAST = 0xAC00, 0xD7A3
SYLLABLES = f"{chr(FIRST)}-{chr(LAST)}"
HANGUL = re.compile(f"[{SYLLABLES}]")
HANGUL_WORD = re.compile(f"[{SYLLABLES}]+")
UTF8_LEADS = range(chr(FIRST).encode()[0], chr(LAST).encode()[0] + 1)  # EA-ED: every syllable is three bytes


def is_syllable(ch: str) -> bool:
    return chr(FIRST) <= ch <= chr(LAST)
