"""A compact table of syllable n-grams: sorted integer keys and float32 values.

A Python dict of half a million n-gram strings takes well over 100 MB per worker; this
takes 12 bytes an entry, is read straight from ``rules/korean_lm.ngrams`` and looks a key
up by bisection. Keys encode each character (``^`` = 0, ``$`` = 1, Hangul syllables from
2) in base ``BASE``, plus the n-gram length times ``BASE ** 3``::

    >>> t = NgramTable.from_items({"가": -1.5, "^가": -0.5})
    >>> t.get("^가"), t.get("가나")
    (-0.5, None)
"""

from __future__ import annotations

import struct
from array import array
from bisect import bisect_left
from pathlib import Path

BASE = 11174  # ^, $, and the 11,172 Hangul syllables
_MAGIC = b"CSNG1"


CODES = {"^": 0, "$": 1, **{chr(0xAC00 + i): 2 + i for i in range(BASE - 2)}}
_LEN = (0, BASE**3, 2 * BASE**3, 3 * BASE**3)


def encode(gram: str) -> int | None:
    """The integer key of an n-gram (None if it holds a character the table cannot)."""
    key = 0
    for ch in gram:
        c = CODES.get(ch)
        if c is None:
            return None
        key = key * BASE + c
    return _LEN[len(gram)] + key if len(gram) < 4 else None


class NgramTable:
    def __init__(self, keys: array, values: array):
        self.keys, self.values = keys, values
        # unigrams and bigrams, looked up most, in a dict; trigrams by bisection
        cut = bisect_left(keys, _LEN[3])
        self.small = dict(zip(keys[:cut].tolist(), values[:cut].tolist()))

    @classmethod
    def from_items(cls, items: dict[str, float]) -> "NgramTable":
        pairs = sorted((encode(g), v) for g, v in items.items())
        return cls(array("q", (k for k, _ in pairs)), array("f", (v for _, v in pairs)))

    def get(self, gram: str, default=None):
        k = encode(gram) if gram else None
        if k is None:
            return default
        if k < _LEN[3]:
            return self.small.get(k, default)
        i = bisect_left(self.keys, k)
        if i < len(self.keys) and self.keys[i] == k:
            return float(self.values[i])
        return default

    def __len__(self) -> int:
        return len(self.keys)

    def write(self, fh) -> None:
        fh.write(struct.pack("<5sQ", _MAGIC, len(self.keys)))
        fh.write(self.keys.tobytes())
        fh.write(self.values.tobytes())

    @classmethod
    def read(cls, fh) -> "NgramTable":
        magic, n = struct.unpack("<5sQ", fh.read(13))
        if magic != _MAGIC:
            raise ValueError("not an n-gram table")
        keys, values = array("q"), array("f")
        keys.frombytes(fh.read(8 * n))
        values.frombytes(fh.read(4 * n))
        return cls(keys, values)


def write_tables(path: str | Path, *tables: NgramTable) -> None:
    with open(path, "wb") as fh:
        for t in tables:
            t.write(fh)


def read_tables(path: str | Path, count: int) -> list[NgramTable]:
    with open(path, "rb") as fh:
        return [NgramTable.read(fh) for _ in range(count)]
