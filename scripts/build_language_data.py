#!/usr/bin/env python3
"""Build the language data in ``rules/`` from wordfreq's word lists.

Reproducible: the only inputs are the ``small_ko`` and ``large_en`` word-frequency
lists that ship inside the installed ``wordfreq`` package
(``pip install 'clean-slides[build]'`` pins wordfreq 3.1.1); nothing is downloaded.
Run from the repository root::

    python scripts/build_language_data.py     # writes rules/korean_lm.json, rules/english.json

``korean_lm.json`` is a syllable bigram with Witten-Bell interpolation. Each word of the
list counts in proportion to its frequency, scaled so the list totals
``TOKENS`` running words; words are wrapped in boundary marks ``^`` and ``$``.
Characters other than Hangul syllables are not modelled (the scorer treats them
separately).
"""

from __future__ import annotations

import json
import math
import sys
from collections import Counter, defaultdict
from pathlib import Path

TOKENS = 20_000_000  # running words the frequency list is scaled to
MIN_PAIR = 2.0  # bigrams seen less often than this are left to the unigram
BOUNDARY_START, BOUNDARY_END = "^", "$"


def is_syllable(ch: str) -> bool:
    return "\uac00" <= ch <= "\ud7a3"


def count(words: dict[str, float]):
    uni: Counter[str] = Counter()
    bi: Counter[tuple[str, str]] = Counter()
    for word, freq in words.items():
        if not word or not all(is_syllable(c) for c in word):
            continue
        weight = freq * TOKENS
        seq = [BOUNDARY_START, *word, BOUNDARY_END]
        for a, b in zip(seq, seq[1:]):
            uni[b] += weight
            bi[a, b] += weight
    return uni, bi


def build(words: dict[str, float]) -> dict:
    uni, bi = count(words)
    total = sum(uni.values())
    n_syllables = 0xD7A3 - 0xAC00 + 1
    # add-half smoothing over every possible syllable, so unseen ones keep a floor
    denom = total + 0.5 * (n_syllables + 1)
    unigram = {c: math.log((n + 0.5) / denom) for c, n in uni.items()}
    floor = math.log(0.5 / denom)

    followers: dict[str, int] = defaultdict(int)
    context: Counter[str] = Counter()
    for (a, _b), n in bi.items():
        followers[a] += 1
        context[a] += n
    backoff = {}
    bigram = {}
    for (a, b), n in bi.items():
        if n < MIN_PAIR:
            continue
        t, c = followers[a], context[a]
        p_uni = math.exp(unigram.get(b, floor))
        bigram[a + b] = round(math.log((n + t * p_uni) / (c + t)), 3)
    for a, c in context.items():
        t = followers[a]
        backoff[a] = round(math.log(t / (c + t)), 3)
    return {
        "name": "korean-syllable-bigram",
        "source": "wordfreq 3.1.1 small_ko word list (CC BY-SA 4.0)",
        "tokens": TOKENS,
        "floor": round(floor, 3),
        "unigram": {k: round(v, 3) for k, v in sorted(unigram.items())},
        "backoff": dict(sorted(backoff.items())),
        "bigram": dict(sorted(bigram.items())),
    }


ENGLISH_WORDS = 150_000  # most frequent purely alphabetic English words kept


def build_english(words: dict[str, float]) -> dict:
    """A word list and a letter-bigram model (per-letter log-probability, add-one smoothed)."""
    kept = [w for w, _f in sorted(words.items(), key=lambda x: -x[1]) if w.isascii() and w.isalpha()][:ENGLISH_WORDS]
    alphabet = "^$abcdefghijklmnopqrstuvwxyz"
    pairs: Counter[str] = Counter()
    for w, f in words.items():
        if w.isascii() and w.isalpha():
            seq = "^" + w.lower() + "$"
            for a, b in zip(seq, seq[1:]):
                pairs[a + b] += f
    ctx: Counter[str] = Counter()
    for ab, n in pairs.items():
        ctx[ab[0]] += n
    scale = 1e7
    letter_bigram = {
        a + b: round(math.log((pairs[a + b] * scale + 1) / (ctx[a] * scale + len(alphabet))), 3)
        for a in alphabet[:-1]
        for b in alphabet[1:]
    }
    return {
        "name": "english-words",
        "source": "wordfreq 3.1.1 large_en word list (CC BY-SA 4.0)",
        "words": sorted(kept),
        "letter_bigram": letter_bigram,
    }


def _write(out: str, data: dict) -> None:
    Path(out).write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def main(rules: str = "rules") -> None:
    import wordfreq  # build-time only: pip install 'clean-slides[build]'

    model = build(wordfreq.get_frequency_dict("ko"))
    _write(f"{rules}/korean_lm.json", model)
    print(f"{rules}/korean_lm.json: {len(model['unigram'])} syllables, {len(model['bigram'])} bigrams")
    english = build_english(wordfreq.get_frequency_dict("en"))
    _write(f"{rules}/english.json", english)
    print(f"{rules}/english.json: {len(english['words'])} words")


if __name__ == "__main__":
    main(*sys.argv[1:])
