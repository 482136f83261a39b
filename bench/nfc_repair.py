#!/usr/bin/env python3
"""Normalization-damage repair on the project's own Korean text, and the scorer's speed and size.

    python bench/nfc_repair.py [--min-restored 0.98]

Corpus: ``tests/data/korean_corpus*.txt``, ``tests/data/clean_guard/ko.txt`` and the
sample deck sources, one line per slide. Each line is garbled by ``pipeline.simulate``
twice, without and with the NFC step. A *damaged site* is a word (whitespace token)
that NFC changed; it is restored when the pipeline's output word equals the clean word.
Every other word must come out exactly as written: ``undamaged words changed`` counts
those that do not.

Speed is printed as candidates per second and as a ratio to a baseline in the same
process (a dict lookup per syllable, the least any scorer must do).
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
from pipeline.models.korean_lm import load_korean_lm  # noqa: E402
from pipeline.models.rule_files import rules_path  # noqa: E402
from pipeline.simulate import garble  # noqa: E402


def corpus() -> list[str]:
    files = sorted((ROOT / "tests" / "data").glob("korean_corpus*.txt")) + [ROOT / "tests/data/clean_guard/ko.txt"]
    lines = [x for p in files for x in p.read_text(encoding="utf-8").splitlines() if x.strip()]
    for src in sorted((ROOT / "samples" / "src").glob("*.slides.txt")):
        blocks = src.read_text(encoding="utf-8").split("\n---\n")
        lines += [" ".join(b.split()) for b in blocks if b.strip()]
    return lines


def clean(raws: list[str], undo_normalization: bool = True) -> list[str]:
    config = pipeline.Config(format="plain", undo_normalization=undo_normalization)
    deck = pipeline.clean_deck("\f".join(raws), name="bench", config=config)
    return [s.text() for s in deck.slides]


def measure(lines: list[str]) -> dict:
    """Damaged words must come out as written; every other word exactly as plain CID decoding
    of the text without the NFC step gives it (so undoing normalization changes nothing else)."""
    raw = [garble(x, seed=i, nfc=True) for i, x in enumerate(lines)]
    plain = [garble(x, seed=i, nfc=False) for i, x in enumerate(lines)]
    damaged = restored = undamaged = changed = 0
    for out, ref, truth, r, p in zip(clean(raw), clean(plain, undo_normalization=False), lines, raw, plain):
        words = [out.split(), ref.split(), truth.split(), r.split(), p.split()]
        if len({len(w) for w in words}) != 1:
            changed += 1  # words merged or split: count as a failure of the line
            continue
        for o, f, t, rw, pw in zip(*words):
            if rw != pw:
                damaged += 1
                restored += o == t
            else:
                undamaged += 1
                changed += o != f
    return {"bytes": sum(len(x.encode()) for x in lines), "lines": len(lines), "damaged": damaged,
            "restored": restored, "undamaged": undamaged, "changed": changed}


def speed(n: int = 200_000) -> tuple[float, float]:
    lm = load_korean_lm()
    syllables = [c for c in map(chr, range(0xAC00, 0xD7A4)) if lm.ngrams.get(c) is not None]
    rng = random.Random(0)
    cands = ["".join(rng.choice(syllables) for _ in range(rng.randint(2, 5))) for _ in range(n)]
    t = time.perf_counter()
    for c in cands:
        lm.score(c)
    scorer = n / (time.perf_counter() - t)
    table = {c: lm.ngrams.get(c) for c in syllables}
    t = time.perf_counter()
    for c in cands:
        sum(table.get(ch, 0.0) for ch in c)
    baseline = n / (time.perf_counter() - t)
    return scorer, baseline


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--min-restored", type=float, default=0.0)
    a = ap.parse_args()
    m = measure(corpus())
    share = m["restored"] / max(m["damaged"], 1)
    print(f"corpus: {m['bytes']} bytes, {m['lines']} lines")
    print(f"damaged sites: {m['damaged']}, restored: {m['restored']} ({share:.4f})")
    print(f"undamaged words: {m['undamaged']}, changed: {m['changed']}")
    scorer, baseline = speed()
    print(f"scorer: {scorer:,.0f} candidates/s; baseline dict lookup: {baseline:,.0f}/s; ratio {scorer / baseline:.2f}")
    size = sum(rules_path(f).stat().st_size for f in ("korean_lm.json", "korean_lm.ngrams"))
    print(f"model: rules/korean_lm.json + korean_lm.ngrams {size / 1e6:.2f} MB")
    sys.exit(0 if share >= a.min_restored and m["changed"] == 0 else 1)


if __name__ == "__main__":
    main()
