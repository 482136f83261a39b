"""Quarantine bytes that were not UTF-8.

Input files are decoded with ``surrogateescape``, so each undecodable byte is
kept in ``raw`` as a lone surrogate U+DC80–U+DCFF (it round-trips to the byte).
This step quarantines each run of them with reason ``invalid-utf8``::

    >>> from pipeline.deck import Deck, Slide
    >>> raw = b"ok \\xff\\xfe ok".decode("utf-8", "surrogateescape")
    >>> d = InvalidBytes()(Deck("d", [Slide("d", 1, raw)]))
    >>> d.slides[0].text(), d.slides[0].quarantine[0].reason
    ('ok \\ufffd ok', 'invalid-utf8')
"""

from __future__ import annotations

import re

from pipeline.step import PatternStep

_ESCAPED = re.compile(r"[\udc80-\udcff]+")


class InvalidBytes(PatternStep):
    name = quarantine_reason = "invalid-utf8"
    pattern = _ESCAPED

