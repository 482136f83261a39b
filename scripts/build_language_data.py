#!/usr/bin/env python3
"""Build the language data in ``rules/`` from wordfreq's word lists.

Reproducible: the only inputs are the ``small_ko`` and ``large_en`` word-frequency
lists that ship inside the installed ``wordfreq`` package
(``pip install 'clean-slides[build]'`` pins wordfreq 3.1.1); nothing is downloaded.
Run from the repository root::

    python scripts/build_language_data.py     # writes rules/korean_lm.json and rules/korean_lm.ngrams

``korean_lm.json`` is a syllable trigram with Witten-Bell interpolation. Each word of the
list counts in proportion to its frequency, scaled so the list totals
``TOKENS`` running words; words are wrapped in boundary marks ``^`` and ``$``.
Characters other than Hangul syllables are not modelled (the scorer treats them
separately).
"""

from __future__ import annotations

import json
import math
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from pipeline.models.ngram_table import NgramTable, write_tables  # noqa: E402

TOKENS = 20_000_000  # running words the frequency list is scaled to
MIN_COUNT = {2: 2.0, 3: 5.0}  # n-grams seen less often than this are left to the lower order
BOUNDARY_START, BOUNDARY_END = "^", "$"


def is_syllable(ch: str) -> bool:
    return "\uac00" <= ch <= "\ud7a3"


GLUE = 0.6  # share of morphemes followed, inside the same word, by a particle or ending
GLUE_WORDS = 300  # the most frequent short morphemes stand in for particles and endings


def count(words: dict[str, float]):
    """Weighted syllable n-gram counts (n = 1, 2, 3), keyed by the n-gram string.

    wordfreq's Korean list is split into morphemes (세션 / 들 / 을), so a Korean word is a
    content morpheme followed by particles and endings. Each morpheme ends its word with
    probability 1 - GLUE; otherwise the next syllable starts one of the frequent short
    morphemes, in proportion to their frequency. That gives the model 분→들 and 드→리
    across morpheme boundaries without any running text.
    """
    kept = {w: f for w, f in words.items() if w and all(is_syllable(c) for c in w)}
    glue = sorted((w for w in kept if len(w) <= 3), key=lambda w: -kept[w])[:GLUE_WORDS]
    glue_total = sum(kept[w] for w in glue)
    starts: Counter[str] = Counter()  # first syllable of a glued morpheme -> share
    seconds: Counter[str] = Counter()  # first two syllables ("$" if it ends there) -> share
    for w in glue:
        starts[w[0]] += kept[w] / glue_total
        seconds[w[:2] if len(w) > 1 else w + BOUNDARY_END] += kept[w] / glue_total * (1 if len(w) > 1 else 1 - GLUE)
    # a particle's frequency is mostly its glued occurrences: few of them start a word
    emitted = GLUE * sum(kept.values())
    grams: Counter[str] = Counter()
    ends: Counter[str] = Counter()  # word-final context (one or two syllables) -> weight
    for word, freq in kept.items():
        weight = freq * TOKENS
        start = weight
        if word in glue:
            start = max(weight - emitted * kept[word] / glue_total * TOKENS, 0.1 * weight)
        seq = BOUNDARY_START + word
        grams[word[0]] += weight
        grams[seq[:2]] += start
        if len(word) > 1:
            grams[seq[:3]] += start
        for i in range(1, len(word)):
            grams[word[i]] += weight
            grams[word[i - 1 : i + 1]] += weight
            if i >= 2:
                grams[word[i - 2 : i + 1]] += weight
        ends[word[-1]] += weight
        ends[(BOUNDARY_START + word)[-2:]] += weight
    for h, weight in ends.items():
        grams[h + BOUNDARY_END] += weight * (1 - GLUE)
        if len(h) == 1:
            grams[BOUNDARY_END] += weight * (1 - GLUE)
            for bc, share in seconds.items():  # 들 + 어 + end of word: the context spans the boundary
                grams[h + bc] += weight * GLUE * share
        for b, share in starts.items():
            grams[h + b] += weight * GLUE * share
    return grams


MORPHEME_MOVES = {  # probabilities of what follows, inside one Korean word (set by hand)
    "start": {"noun": 0.55, "verb": 0.2, "verb_form": 0.1, "other": 0.1, "particle": 0.03, "ending": 0.02},
    "noun": {"end": 0.35, "particle": 0.45, "noun": 0.12, "verb": 0.06, "ending": 0.02},
    "verb": {"ending": 0.9, "end": 0.04, "particle": 0.02, "noun": 0.02, "verb_form": 0.02},
    "verb_form": {"end": 0.6, "ending": 0.25, "particle": 0.15},
    "other": {"end": 0.7, "particle": 0.25, "noun": 0.05},
    "particle": {"end": 0.75, "particle": 0.22, "ending": 0.02, "noun": 0.005, "verb": 0.005},
    "ending": {"end": 0.65, "ending": 0.25, "particle": 0.1},
}
UNKNOWN_SYLLABLE = -12.0  # log P per syllable of a noun the list lacks (names, loanwords)
# a word is well formed when its best segmentation uses known morphemes and none of these moves
ILL_FORMED = [
    ["noun", "ending"], ["noun", "noun"], ["verb", "particle"], ["verb", "end"], ["verb", "noun"],
    ["particle", "ending"], ["particle", "noun"], ["particle", "verb"], ["other", "noun"],
]
CLASSES = ("noun", "verb", "verb_form", "other", "particle", "ending")


def word_class(kiwi, word: str) -> str:
    """noun, verb (a bare stem: 만들, 드리), verb_form (보여, 했) or other (오늘, 그런데), by Kiwi's
    analysis of the word and of its dictionary form (word + 다)."""
    stem = kiwi.analyze(word + "다", top_n=1)[0][0]
    if len(stem) == 2 and stem[0].form == word and stem[0].tag.startswith("V"):
        return "verb"
    alone = kiwi.analyze(word, top_n=1)[0][0]
    if len(alone) == 1 and alone[0].tag.startswith(("N", "XR", "SL", "SN")):
        return "noun"
    if alone[0].tag.startswith("V") and alone[-1].tag.startswith("E"):
        return "verb_form"
    return "other"


def glue_lists(path: str = "rules/korean_glue.txt") -> dict[str, list[str]]:
    """The [particles] and [endings] sections of the glue file."""
    out: dict[str, set[str]] = {"particle": set(), "ending": set()}
    section = None
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line in ("[particles]", "[endings]"):
            section = "particle" if line == "[particles]" else "ending"
        elif line and not line.startswith("#") and section and all(is_syllable(c) for c in line):
            out[section].add(line)
    return {k: sorted(v) for k, v in out.items()}


def lexicon(words: dict[str, float]) -> dict:
    """Morphemes with log-probabilities per class: the particles and endings of
    ``rules/korean_glue.txt``, and every other word of the list as a noun, verb stem, verb form
    or other word, classed by Kiwi (kiwipiepy, build time only). Weights are wordfreq
    frequencies, with a floor for forms the list lacks."""
    from kiwipiepy import Kiwi  # build-time only: pip install 'clean-slides[build]'

    kiwi = Kiwi()
    kept = {w: f for w, f in words.items() if w and all(is_syllable(c) for c in w)}
    floor = min(kept.values())
    glue = glue_lists()
    content = {w: f for w, f in kept.items() if not any(w in forms for forms in glue.values())}
    by_class: dict[str, dict[str, float]] = {c: {} for c in CLASSES[:4]}
    for w, f in content.items():
        by_class[word_class(kiwi, w)][w] = f
    total = sum(content.values())
    out = {
        "moves": {k: {m: round(math.log(p), 3) for m, p in v.items()} for k, v in MORPHEME_MOVES.items()},
        "unknown_syllable": UNKNOWN_SYLLABLE,
        "ill_formed": ILL_FORMED,
    }
    for cls, table in by_class.items():
        out[cls] = {w: round(math.log(f / total), 3) for w, f in sorted(table.items())}
    for cls, forms in glue.items():
        freq = {w: kept.get(w, floor) for w in forms}
        cls_total = sum(freq.values())
        out[cls] = {w: round(math.log(f / cls_total), 3) for w, f in sorted(freq.items())}
    return out


def build(words: dict[str, float]) -> dict:
    """Interpolated Witten-Bell estimates: P(c | h) = (n(hc) + T(h) P(c | h')) / (n(h) + T(h)),
    h' being h without its first syllable; stored for n-grams seen at least MIN_COUNT[n] times,
    with the back-off weight log(T(h) / (n(h) + T(h))) for everything else."""
    grams = count(words)
    uni = {g: n for g, n in grams.items() if len(g) == 1}
    total = sum(uni.values())
    n_syllables = 0xD7A3 - 0xAC00 + 1
    # add-half smoothing over every possible syllable, so unseen ones keep a floor
    denom = total + 0.5 * (n_syllables + 1)
    logp: dict[str, float] = {c: math.log((n + 0.5) / denom) for c, n in uni.items()}
    floor = math.log(0.5 / denom)

    def lower(g: str) -> float:  # log P of g's last syllable given its context minus one
        if len(g) == 1:
            return logp.get(g, floor)
        if g in logp:
            return logp[g]
        return backoff.get(g[:-1], 0.0) + lower(g[1:])

    backoff: dict[str, float] = {}
    for n in (2, 3):
        followers: Counter[str] = Counter()
        context: Counter[str] = Counter()
        for g, c in grams.items():
            if len(g) == n:
                followers[g[:-1]] += 1
                context[g[:-1]] += c
        new = {}
        for g, c in grams.items():
            if len(g) == n and c >= MIN_COUNT[n]:
                h = g[:-1]
                t = followers[h]
                new[g] = math.log((c + t * math.exp(lower(g[1:]))) / (context[h] + t))
        for h, c in context.items():
            backoff[h] = math.log(followers[h] / (c + followers[h]))
        logp.update(new)
    return {
        "name": "korean-syllable-trigram",
        "lexicon": lexicon(words),
        "source": "wordfreq 3.1.1 small_ko word list (CC BY-SA 4.0)",
        "tokens": TOKENS,
        "floor": round(floor, 3),
        "logp": {k: round(v, 3) for k, v in sorted(logp.items())},
        "backoff": {k: round(v, 3) for k, v in sorted(backoff.items())},
    }


def _write(out: str, data: dict) -> None:
    Path(out).write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def main(rules: str = "rules") -> None:
    import wordfreq  # build-time only: pip install 'clean-slides[build]'

    model = build(wordfreq.get_frequency_dict("ko"))
    # the n-grams go to a compact binary table beside the JSON (see pipeline/models/ngram_table.py)
    write_tables(f"{rules}/korean_lm.ngrams", NgramTable.from_items(model["logp"]),
                 NgramTable.from_items(model["backoff"]))
    sizes = Counter(len(g) for g in model["logp"])
    model = {k: v for k, v in model.items() if k not in ("logp", "backoff")}
    model["ngrams"] = "korean_lm.ngrams"
    _write(f"{rules}/korean_lm.json", model)
    print(f"{rules}/korean_lm.json: {sizes[1]} syllables, {sizes[2]} bigrams, {sizes[3]} trigrams")


if __name__ == "__main__":
    main(*sys.argv[1:])
