"""A compact table of n-grams: sorted integer keys and float32 values.

A Python dict of half a million n-gram strings takes well over 100 MB per worker; this
takes 12 bytes an entry, is read straight from ``rules/*.ngrams`` and looks a key up by
bisection. Keys encode each character by its code in an alphabet (``HANGUL``: ``^`` = 0,
``$`` = 1, Hangul syllables from 2; ``ASCII``: the code point) in the alphabet's base,
plus the n-gram length times ``base ** (max_order - 1)``::

    >>> t = NgramTable.from_items({"가": -1.5, "^가": -0.5})
    >>> t.get("^가"), t.get("가나")
    (-0.5, None)
    >>> a = NgramTable.from_items({"ab": -2.0, "\x02A": -3.0}, ASCII)
    >>> a.get("ab"), a.get("\x02A"), a.get("가")
    (-2.0, -3.0, None)
"""

from __future__ import annotations

import struct
from array import array
from bisect import bisect_left
from pathlib import Path

from pipeline.models.hangul import FIRST

_MAGIC = b"CSNG1"


class Alphabet:
    """The characters a table can hold, each with a code below ``base``, and the longest n-gram."""

    def __init__(self, codes: dict[str, int], base: int, longest: int):
        self.codes, self.base, self.longest = codes, base, longest
        self.offsets = [n * base**longest for n in range(longest + 1)]  # keys of length n start here

    def encode(self, gram: str) -> int | None:
        """The integer key of an n-gram (None if it holds a character the table cannot)."""
        if len(gram) > self.longest:
            return None
        key = 0
        for ch in gram:
            c = self.codes.get(ch)
            if c is None:
                return None
            key = key * self.base + c
        return self.offsets[len(gram)] + key


BASE = 11174  # ^, $, and the 11,172 Hangul syllables
HANGUL = Alphabet({"^": 0, "$": 1, **{chr(FIRST + i): 2 + i for i in range(BASE - 2)}}, BASE, 3)
ASCII = Alphabet({chr(i): i for i in range(128)}, 128, 4)  # \x02 and \x03 bound a word


def encode(gram: str) -> int | None:
    """The integer key of a syllable n-gram (None if it holds a character the table cannot)."""
    return HANGUL.encode(gram)


class NgramTable:
    def __init__(self, keys: array, values: array, alphabet: Alphabet = HANGUL):
        self.keys, self.values, self.alphabet = keys, values, alphabet
        # unigrams and bigrams, looked up most, in a dict; longer n-grams by bisection
        self.cut = alphabet.offsets[min(3, alphabet.longest)]
        cut = bisect_left(keys, self.cut)
        self.small = dict(zip(keys[:cut].tolist(), values[:cut].tolist()))

    @classmethod
    def from_items(cls, items: dict[str, float], alphabet: Alphabet = HANGUL) -> "NgramTable":
        pairs = sorted((alphabet.encode(g), v) for g, v in items.items())
        return cls(array("q", (k for k, _ in pairs)), array("f", (v for _, v in pairs)), alphabet)

    def get(self, gram: str, default=None):
        k = self.alphabet.encode(gram) if gram else None
        if k is None:
            return default
        if k < self.cut:
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
    def read(cls, fh, alphabet: Alphabet = HANGUL) -> "NgramTable":
        magic, n = struct.unpack("<5sQ", fh.read(13))
        if magic != _MAGIC:
            raise ValueError("not an n-gram table")
        keys, values = array("q"), array("f")
        keys.frombytes(fh.read(8 * n))
        values.frombytes(fh.read(4 * n))
        return cls(keys, values, alphabet)


def write_tables(path: str | Path, *tables: NgramTable) -> None:
    with open(path, "wb") as fh:
        for t in tables:
            t.write(fh)


def read_tables(path: str | Path, count: int, alphabet: Alphabet = HANGUL) -> list[NgramTable]:
    with open(path, "rb") as fh:
        return [NgramTable.read(fh, alphabet) for _ in range(count)]


def backoff_logp(grams: NgramTable, backoff: NgramTable, history: str, ch: str, floor: float) -> float:
    """log P(ch | history) of a back-off model: the longest n-gram ending in ``ch`` the table
    holds, plus the back-off weights of the longer contexts it skipped (an unseen context
    passes on its whole mass); ``floor`` for a character the table never saw."""
    total = 0.0
    while history:
        p = grams.get(history + ch)
        if p is not None:
            return total + p
        total += backoff.get(history, 0.0)
        history = history[1:]
    return total + grams.get(ch, floor)
