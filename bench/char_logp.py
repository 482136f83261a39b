#!/usr/bin/env python3
"""Which collection explains a deck: mean ``char_logp`` of real text vs random letters.

    python bench/char_logp.py

For each model: the mean context-free log-probability of (a) the letters of the project's
held-out text in that language (``tests/data/japanese_heldout.txt``,
``tests/data/chinese_heldout.txt``), (b) the characters that uniformly random letter CIDs
of the model's profile stand for (``profile.cid_class`` in ``profile.letters``), and the
uniform null log(1 / N letters). Then the same text garbled under its own profile and
decoded under each other profile (a wrong reading), which should look like (b).
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.models.cid_profile import load_profile  # noqa: E402
from pipeline.models.language import load_language_model  # noqa: E402

PROFILES = {"ko": "adobe-korea1", "ja": "adobe-japan1", "zh-Hans": "adobe-gb1", "zh-Hant": "adobe-cns1"}


def texts() -> dict[str, str]:
    out = {"ja": (ROOT / "tests/data/japanese_heldout.txt").read_text(encoding="utf-8")}
    section = None
    for line in (ROOT / "tests/data/chinese_heldout.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
        elif section:
            out[section] = out.get(section, "") + line
    return out


def mean(xs):
    xs = list(xs)
    return sum(xs) / len(xs) if xs else float("nan")


def main() -> None:
    rng = random.Random(0)
    data = texts()
    print(f"{'model':8} {'load s':>7} {'held-out':>9} {'random':>8} {'log 1/N':>8}   wrong profile (decoded letters' mean char_logp under that profile's model)")
    for lang, pname in PROFILES.items():
        t0 = time.perf_counter()
        lm = load_language_model(lang)
        load = time.perf_counter() - t0
        p = load_profile(pname)
        letters = [cid for cid, cls in p.cid_class.items() if cls in p.letters and cid in p.to_char]
        text = data[lang]
        held = mean(lm.char_logp(c) for c in text if lm.is_letter(c))
        rand = mean(lm.char_logp(p.to_char[rng.choice(letters)]) for _ in range(20_000))
        null = -__import__("math").log(len(letters))
        wrong = []
        garbled = [p.encode_char(c) for c in text if lm.is_letter(c)]
        for other, oname in PROFILES.items():
            if other == lang:
                continue
            q = load_profile(oname)
            olm = load_language_model(other)
            dec = [q.to_char.get(ord(g)) for g in garbled if g and q.is_letter(g)]
            wrong.append(f"{oname}: {mean(olm.char_logp(d) for d in dec if d):.2f} ({len(dec)}/{len(garbled)} letters)")
        print(f"{lang:8} {load:7.2f} {held:9.2f} {rand:8.2f} {null:8.2f}   " + "; ".join(wrong))


if __name__ == "__main__":
    main()
