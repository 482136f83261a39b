"""The one fact of UTF-8 the repair stages share: how long a sequence its lead byte opens.

    >>> [sequence_length(b) for b in (0x41, 0xC3, 0xED, 0xF0, 0x80, 0xF5)]
    [1, 2, 3, 4, 0, 0]
"""

from __future__ import annotations


def sequence_length(lead: int) -> int:
    """Bytes in the UTF-8 sequence ``lead`` opens; 0 for a byte no sequence opens."""
    if lead < 0x80:
        return 1
    if 0xC2 <= lead <= 0xDF:
        return 2
    if 0xE0 <= lead <= 0xEF:
        return 3
    if 0xF0 <= lead <= 0xF4:
        return 4
    return 0
