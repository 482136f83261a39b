"""Scoring cleaned records against expected ones (usable on your own data).

The *repair rate* of a slide is how much of its damage was undone, whitespace ignored::

    damage = edits(raw, expected)         edits left = edits(text, expected)
    repair rate = 1 - edits left / damage

summed over the slides of a deck (or a corpus) before dividing. A slide the reader lost
counts as all of its expected text left undone; a slide the reader invented counts as
all of its text wrong. So a deck read as one giant slide scores far below zero::

    >>> edit_distance("kitten", "sitting")
    3
    >>> s = score_deck([{"slide": 1, "text": "가나"}],
    ...                [{"slide": 1, "text": "가나", "raw": "ӣળ"}])
    >>> (s.slides, s.exact, s.damage, s.left, round(s.rate, 3))
    (1, 1, 2, 0, 1.0)
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (insert, delete, substitute: 1 each); the common prefix and
    suffix are set aside first, so long texts that differ in a few places are quick."""
    lo = 0
    while lo < min(len(a), len(b)) and a[lo] == b[lo]:
        lo += 1
    hi = 0
    while hi < min(len(a), len(b)) - lo and a[-1 - hi] == b[-1 - hi]:
        hi += 1
    a, b = a[lo : len(a) - hi], b[lo : len(b) - hi]
    if len(a) < len(b):
        a, b = b, a
    if not b:
        return len(a)
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def _squeeze(text: str) -> str:
    return "".join(text.split())


@dataclass
class DeckScore:
    """What ``score_deck`` measured; scores add up over decks with ``+``."""

    slides: int = 0  # expected slides
    read: int = 0  # slides the reader produced
    exact: int = 0  # slides whose text equals the expected text (whitespace ignored)
    damage: int = 0  # edits between raw and expected
    left: int = 0  # edits between the output and expected
    wrong: list[int] = field(default_factory=list)  # slide numbers not exact

    @property
    def rate(self) -> float:
        return 1 - self.left / self.damage if self.damage else (1.0 if not self.left else 0.0)

    def __add__(self, other: "DeckScore") -> "DeckScore":
        return DeckScore(self.slides + other.slides, self.read + other.read, self.exact + other.exact,
                         self.damage + other.damage, self.left + other.left, self.wrong + other.wrong)


def score_deck(records: Iterable[dict], expected: Iterable[dict]) -> DeckScore:
    """Match records to expected slides by slide number (in order for repeated numbers)."""
    got: dict[int, list[dict]] = {}
    records = list(records)
    for r in records:
        got.setdefault(int(r["slide"]), []).append(r)
    score = DeckScore(read=len(records))
    for e in expected:
        want = _squeeze(e["text"])
        bucket = got.get(int(e["slide"]))
        have = _squeeze(bucket.pop(0)["text"]) if bucket else ""
        score.slides += 1
        score.damage += edit_distance(_squeeze(e.get("raw", "")), want)
        left = edit_distance(have, want)
        score.left += left
        if left == 0 and bucket is not None:
            score.exact += 1
        else:
            score.wrong.append(int(e["slide"]))
    score.left += sum(len(_squeeze(r["text"])) for rest in got.values() for r in rest)  # invented slides
    return score


def read_jsonl(path: str | Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]
