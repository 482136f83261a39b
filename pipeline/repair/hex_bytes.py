"""Raw bytes shown as hex tokens amid the text (``<ec><95><88>``), decoded back.

Some viewers print each byte they could not decode as ``<xx>``. A run of such tokens is
UTF-8 or CP949 bytes; it is decoded when one of them reads it, else quarantined::

    >>> from pipeline.deck import Deck, Slide
    >>> s = Slide("d", 1, "<ec><95><88>녕하세요 <ff><fe>")
    >>> _ = HexBytes()(Deck("d", [s]))
    >>> s.text(), [q.reason for q in s.quarantine]
    ('안녕하세요 \\ufffd', ['undecodable-bytes'])
"""

from __future__ import annotations

import re

from pipeline.step import PatternStep

_HEX_RUN = re.compile(r"(?:<[0-9a-fA-F]{2}>)+")
ENCODINGS = ("utf-8", "cp949")


class HexBytes(PatternStep):
    name = "hex-bytes"
    pattern = _HEX_RUN

    def handle(self, slide, m, stats) -> None:
        data = bytes(int(h, 16) for h in re.findall(r"<([0-9a-fA-F]{2})>", m.group()))
        for enc in ENCODINGS:
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            if text.isprintable():
                slide.repair(m.start(), m.end(), text, rule=f"hex-bytes>{enc}")
                stats[enc] += 1
                return
        slide.quarantine_span(m.start(), m.end(), "undecodable-bytes")
        stats["undecodable"] += 1
