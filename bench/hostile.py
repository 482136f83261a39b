#!/usr/bin/env python3
"""Hostile input: does the cost of each pathological family grow linearly?

    python bench/hostile.py [--base 20000] [--big 300000]

Each family is cleaned at 1x, 2x and 4x a base size (characters); the ratio per doubling
is (t4 / t1) ** 0.5 (2.0 is linear). Then one slide of ``--big`` characters of each family
is timed on its own. Families: random alternation of characters of several scripts with
combining marks and ``?``; one combining mark repeated after a letter; ``가?`` repeated;
one token of a single syllable CID repeated; one token of random garbled syllables (the
worst case: nothing repeats); ``(cid:N)`` tokens; ``<hh>`` byte tokens; and notes with
deeply nested headings and one giant heading, and a saved page of short lines standing alone
(read and aligned against a small deck).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pipeline  # noqa: E402
from pipeline.simulate import garble  # noqa: E402


def mixed(n: int) -> str:
    rng = random.Random(n)
    pool = ["ӣ", "a", "੉", "?", "가", "\u0654", "ú", " "]
    return "".join(rng.choice(pool) for _ in range(n))


def random_syllables(n: int) -> str:
    rng = random.Random(n)
    return garble("".join(chr(rng.randint(0xAC00, 0xD7A3)) for _ in range(n)), seed=n)


FAMILIES = {
    "mixed scripts": mixed,
    "mark flood": lambda n: "a" + "\u0301" * (n - 1),
    "? chain": lambda n: "가?" * (n // 2),
    "one repeated token": lambda n: "ӣ" * n,
    "random syllable token": random_syllables,
    "(cid:N) flood": lambda n: "(cid:1086)" * (n // 10),
    "hex-byte flood": lambda n: "<ec><95><88>" * (n // 12),
}


def notes_text(n: int) -> str:
    """Headings nested six deep over and over, and one heading of n/4 characters."""
    parts = [f"{'#' * (1 + k % 6)} 절 {k}\n본문 {k} 내용" for k in range(n // 40)]
    parts.insert(len(parts) // 2, "## " + "아주 긴 제목 " * (n // 32))
    return "\n".join(parts)


def plain_notes_text(n: int) -> str:
    """A saved page with no Markdown: short lines standing alone, each a candidate heading."""
    return "\n\n".join(f"짧은 줄 {k}" for k in range(n // 12))


def notes_cost(n: int, make=notes_text, name: str = "notes.md") -> float:
    deck = "Transcript\n  1. 절 1 본문 내용\n  2. 절 2 본문\n"
    t = time.perf_counter()
    pipeline.clean_deck(deck, name="d", notes=[(name, make(n))])
    return time.perf_counter() - t


def cost(make, n: int) -> float:
    text = make(n)
    t = time.perf_counter()
    pipeline.clean_text(text)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", type=int, default=20_000)
    ap.add_argument("--big", type=int, default=300_000)
    a = ap.parse_args()
    pipeline.clean_text(garble("준비 운동"))  # models loaded outside the timings
    rows = []
    families = dict(FAMILIES)
    for name, make in families.items():
        times = [cost(make, a.base * k) for k in (1, 2, 4)]
        rows.append((name, times, cost(make, a.big)))
    times = [notes_cost(a.base * k) for k in (1, 2, 4)]
    rows.append(("nested notes, giant heading", times, notes_cost(a.big)))
    times = [notes_cost(a.base * k, plain_notes_text, "page.txt") for k in (1, 2, 4)]
    rows.append(("plain notes, short lines", times, notes_cost(a.big, plain_notes_text, "page.txt")))
    print(f"{'family':28} {'1x':>7} {'2x':>7} {'4x':>7}  per doubling  {a.big:,} chars")
    for name, (t1, t2, t4), big in rows:
        ratio = (t4 / max(t1, 1e-4)) ** 0.5
        print(f"{name:28} {t1:7.3f} {t2:7.3f} {t4:7.3f}  {ratio:12.2f}  {big:8.2f} s")
    worst = max(((t4 / max(t1, 1e-4)) ** 0.5 for _n, (t1, _t2, t4), _b in rows if t4 > 0.05), default=0.0)
    print(f"worst ratio per doubling (families over 50 ms at 4x): {worst:.2f}; "
          f"slowest {a.big:,}-character slide: {max(b for *_x, b in rows):.2f} s")


if __name__ == "__main__":
    main()
