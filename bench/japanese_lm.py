#!/usr/bin/env python3
"""Normalization damage on Japanese text: does the Japanese model pick the right preimage?

    python bench/japanese_lm.py [--show 10]

Cases come from ``tests/data/japanese_heldout.txt`` (written for the project, separately
from the training prose in ``scripts/corpus/ja``). Each run of letters (kana, kanji) is
garbled as an Adobe-Japan1 font without ToUnicode would garble it: every character becomes
chr(its CID) (``load_profile("adobe-japan1").encode_char``), CIDs below 32 are dropped
(extractors lose them) and the result is NFC-normalized. A run whose garbled form has more
than one NFC preimage among the readings the normalization search keeps is a *case*; it is
right when the best reading decodes to the original run, ranked (i) by the character trigram
alone (sudachi off) and (ii) by trigram plus sudachi's analysis (``segment``).

The search is ``pipeline.repair.unnormalize.Unnormalizer``, the CID reader's own, with the
Japanese model (which says what a letter is).
"""

from __future__ import annotations

import argparse
import sys
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.models.cid_profile import load_profile  # noqa: E402
from pipeline.models.japanese_lm import load_japanese_lm  # noqa: E402
from pipeline.repair.unnormalize import Unnormalizer  # noqa: E402


def garble(run: str, profile) -> str:
    chars = [profile.encode_char(c) for c in run]
    return unicodedata.normalize("NFC", "".join(c for c in chars if c is not None and ord(c) >= 32))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--show", type=int, default=10, help="wrong cases to print")
    args = ap.parse_args()
    profile = load_profile("adobe-japan1")
    plain = Unnormalizer(profile, load_japanese_lm(sudachi=False))
    morph = Unnormalizer(profile, load_japanese_lm(sudachi=True))
    text = (ROOT / "tests" / "data" / "japanese_heldout.txt").read_text(encoding="utf-8")
    all_runs = plain.lm.runs(text)
    cases = right_tri = right_both = 0
    wrong = []
    t0 = time.perf_counter()
    for run in all_runs:
        g = garble(run, profile)
        ranked = plain.readings(g, "NFC")
        decoded = {"".join(profile.decode_char(c) or "?" for c in t) for t, _ in ranked}
        if len(decoded) < 2:
            continue
        cases += 1
        best_tri = "".join(profile.decode_char(c) or "?" for c in ranked[0][0])
        both = morph.readings(g, "NFC")
        best_both = "".join(profile.decode_char(c) or "?" for c in both[0][0])
        right_tri += best_tri == run
        right_both += best_both == run
        if best_tri != run or best_both != run:
            wrong.append((run, best_tri, best_both))
    dt = time.perf_counter() - t0
    print(f"runs {len(all_runs)}  cases (more than one NFC preimage) {cases}")
    print(f"right by trigram {right_tri}/{cases} ({right_tri / max(cases, 1):.1%})")
    print(f"right by trigram+sudachi {right_both}/{cases} ({right_both / max(cases, 1):.1%})")
    print(f"time {dt:.2f} s")
    for run, a, b in wrong[: args.show]:
        print(f"  {run}  trigram: {a}  +sudachi: {b}")


if __name__ == "__main__":
    main()
