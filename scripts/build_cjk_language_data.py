#!/usr/bin/env python3
"""Build the Japanese and Chinese character models in ``rules/``.

Reproducible, no network: the inputs are the Japanese prose written for this project in
``scripts/corpus/ja/*.txt`` (running text: talks, slides, announcements, everyday prose), the
``ja`` and ``zh`` word-frequency lists inside the installed ``wordfreq`` package
(``pip install 'clean-slides[build]'`` pins wordfreq 3.1.1; CC BY-SA 4.0), Python's
``euc_jp``, ``gb2312`` and ``big5`` codecs (for character classes) and the CID profiles
(for the letters each collection can hold). Run from the repository root::

    python scripts/build_cjk_language_data.py     # writes rules/{japanese,chinese_hans,chinese_hant}_lm.{json,ngrams}

**Japanese** (``japanese_lm``): a character trigram over kana and kanji with interpolated
Witten-Bell smoothing. Counts come from two sources added together:

* the corpus, each run of letters (text between punctuation, spaces, Latin, digits) wrapped
  in ``^`` ... ``$``, every n-gram counting ``CORPUS_WEIGHT``: this is where the model learns
  what follows what across morphemes (し→て, ま→し→た, に between a noun and a verb) and
  where runs start and end;
* wordfreq's ``ja`` list, each token that is all letters counting its frequency times
  ``WF_TOKENS``, for its *within-token* bigrams and trigrams only. wordfreq's tokens are
  morphemes (し / て / ます), so a token's end says nothing about the next character; that
  mass (``F(h)`` below, ``FINAL_WEIGHT`` times the weight of tokens ending in context ``h``)
  goes to the back-off.

With ``n(hc)`` the weighted count of ``hc``, ``n(h)`` their sum over ``c``, ``T(h)`` the number of
distinct ``c`` and ``F(h)`` the token-final mass::

    P(c | h) = (n(hc) + (T(h) + F(h)) P(c | h')) / (n(h) + T(h) + F(h))

stored for n-grams of weight at least ``MIN_COUNT[n]``, with the back-off weight
``log((T + F) / (n + T + F))`` for everything else. The unigram is a mixture: wordfreq's
character frequencies (``UNIGRAM_TOKENS`` running tokens) plus the corpus, plus a
pseudo-count per character class for every letter the Adobe-Japan1 collection holds:
``UNSEEN`` (kana, JIS X 0208 level-1 kanji, level-2 kanji, other kanji, by ``euc_jp`` lead
byte), so a rare kanji of the common level gets a sensible probability. Letters' unigrams are
scaled by ``1 - P($)``, ``P($)`` being the corpus's runs per letter and run.

**Simplified Chinese** (``chinese_hans_lm``): a character bigram from wordfreq's ``zh`` list
(within tokens, token ends backing off as above; no running text, so a run starts with the
unigram and ends with ``END_SHARE``). Unseen hanzi back off to their ``gb2312`` class:
level 1 (lead bytes B0-D7, the 3,755 common hanzi), level 2 (D8-F7), other.

**Traditional Chinese** (``chinese_hant_lm``): wordfreq has only Simplified Chinese. A
character in both the ``big5`` and the ``gb2312`` repertoire is written the same way in both
scripts (GB 2312 holds no traditional-only forms, Big5 no simplified-only ones), so its
frequency is carried over, and so are the bigrams of tokens made only of such characters.
The mass of simplified-only characters (in wordfreq, not in Big5) goes to the
traditional-only ones (in Big5, not in GB 2312), spread over Big5's common-hanzi block
(A440-C67E, 5,401 characters) and its less-common block (C940-F9D5) in the ratio the shared
characters of the two blocks have. Known limit: a shared character that simplification
merged (后 for 後, 里 for 裡, 干 for 乾/幹) keeps the merged frequency.
"""

from __future__ import annotations

import json
import math
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from pipeline.models.char_ngram import END, START, make_alphabet  # noqa: E402
from pipeline.models.chinese_lm import big5_class, gb_class, is_hanzi  # noqa: E402
from pipeline.models.cid_profile import load_profile  # noqa: E402
from pipeline.models.japanese_lm import is_japanese_letter, jis_class  # noqa: E402
from pipeline.models.ngram_table import NgramTable, write_tables  # noqa: E402

CORPUS = ROOT / "scripts" / "corpus" / "ja"
CORPUS_WEIGHT = 1.0  # one occurrence in the written corpus
WF_TOKENS = {"ja": 60_000, "zh": 20_000_000}  # running tokens the wordfreq lists are scaled to (n-grams)
UNIGRAM_TOKENS = 10_000_000  # running tokens wordfreq's list is scaled to for the unigram
CORPUS_UNIGRAM_SHARE = 0.1  # share of the Japanese unigram's mass that comes from the corpus
FINAL_WEIGHT = {"ja": 0.1, "zh": 1.0}  # share of wordfreq's token-final mass given to the back-off (the
# Japanese corpus already says what follows a token end in running text: し→て, not any token)
MIN_COUNT = {"ja": {2: 1.0, 3: 1.0}, "zh": {2: 20.0}}
UNSEEN = {  # pseudo-count per letter of the class (in UNIGRAM_TOKENS units)
    "kana": 1.0, "jis1": 1.0, "jis2": 0.2, "kanji": 0.02,
    "gb1": 1.0, "gb2": 0.2, "big5-common": 1.0, "big5-rare": 0.2, "hanzi": 0.02,
}
END_SHARE = 0.1  # Chinese: P(a run of hanzi ends), about ten hanzi between punctuation
ROUND = 4


def collection_letters(name: str, is_letter) -> set[str]:
    """The characters the collection's letter CIDs stand for (and the model scores)."""
    p = load_profile(name)
    return {ch for cid, ch in p.to_char.items() if p.cid_class.get(cid) in p.letters and is_letter(ch)}


def witten_bell(counts: dict[str, float], final: dict[str, float], order: int, unigram: dict[str, float],
                floor, min_count: dict[int, float]) -> tuple[dict[str, float], dict[str, float]]:
    """log P of the stored n-grams (orders 2..order) and the back-off weight of each context."""
    logp = dict(unigram)
    backoff: dict[str, float] = {}

    def lower(g: str) -> float:
        if len(g) == 1:
            return logp[g] if g in logp else floor(g)
        if g in logp:
            return logp[g]
        return backoff.get(g[:-1], 0.0) + lower(g[1:])

    for n in range(2, order + 1):
        total: Counter[str] = Counter()
        types: Counter[str] = Counter()
        for g, c in counts.items():
            if len(g) == n:
                total[g[:-1]] += c
                types[g[:-1]] += 1
        new = {}
        for g, c in counts.items():
            if len(g) == n and c >= min_count[n]:
                h = g[:-1]
                rest = types[h] + final.get(h, 0.0)
                new[g] = math.log((c + rest * math.exp(lower(g[1:]))) / (total[h] + rest))
        for h, c in total.items():
            rest = types[h] + final.get(h, 0.0)
            backoff[h] = math.log(rest / (c + rest))
        logp.update(new)
    return logp, backoff


def token_counts(words: dict[str, float], keep, scale: float, order: int, final_weight: float = 1.0):
    """Within-token n-grams (orders 2..order) of the tokens ``keep`` accepts, and the
    token-final mass of each context."""
    counts: Counter[str] = Counter()
    final: Counter[str] = Counter()
    for w, f in words.items():
        if not w or not keep(w):
            continue
        weight = f * scale
        for n in range(2, order + 1):
            for i in range(len(w) - n + 1):
                counts[w[i : i + n]] += weight
        for k in range(1, order):
            if len(w) >= k:
                final[w[-k:]] += weight * final_weight
    return counts, final


def char_counts(words: dict[str, float], keep_char, scale: float) -> Counter:
    out: Counter[str] = Counter()
    for w, f in words.items():
        for ch in w:
            if keep_char(ch):
                out[ch] += f * scale
    return out


def unigram_table(counts: Counter, universe: set[str], classify, end_share: float):
    """log P of each seen letter and the floor of each class, both times (1 - end_share);
    log P(END) as the "$" entry."""
    chars = sorted(universe | set(counts))  # sorted: sums and files do not depend on hash order
    pseudo = {cls: UNSEEN[cls] for cls in sorted({classify(c) for c in chars})}
    z = sum(counts[c] for c in sorted(counts)) + sum(pseudo[classify(c)] for c in chars)
    keep = math.log1p(-end_share)
    uni = {c: math.log((n + pseudo[classify(c)]) / z) + keep for c, n in counts.items() if n > 0}
    floors = {cls: round(math.log(a / z) + keep, ROUND) for cls, a in pseudo.items()}
    uni[END] = math.log(end_share)
    return uni, floors


def corpus_runs() -> list[str]:
    runs = []
    for path in sorted(CORPUS.glob("*.txt")):
        run = []
        for ch in path.read_text(encoding="utf-8") + "\n":
            if is_japanese_letter(ch):
                run.append(ch)
            elif run:
                runs.append("".join(run))
                run = []
    return runs


def build_japanese(words: dict[str, float]) -> dict:
    runs = corpus_runs()
    counts, final = token_counts(words, lambda w: all(map(is_japanese_letter, w)), WF_TOKENS["ja"], 3,
                                 FINAL_WEIGHT["ja"])
    letters = Counter()
    for r in runs:
        s = START + r + END
        for n in (2, 3):
            for i in range(len(s) - n + 1):
                counts[s[i : i + n]] += CORPUS_WEIGHT
        letters.update(r)
    uni_counts = char_counts(words, is_japanese_letter, UNIGRAM_TOKENS)
    corpus_scale = CORPUS_UNIGRAM_SHARE / (1 - CORPUS_UNIGRAM_SHARE) * sum(uni_counts.values()) / sum(letters.values())
    for c, n in letters.items():
        uni_counts[c] += n * corpus_scale
    n_letters = sum(letters.values())
    end_share = len(runs) / (n_letters + len(runs))
    universe = collection_letters("adobe-japan1", is_japanese_letter)
    uni, floors = unigram_table(uni_counts, universe, jis_class, end_share)
    floor = lambda c: floors[jis_class(c)]  # noqa: E731
    logp, backoff = witten_bell(counts, final, 3, uni, floor, MIN_COUNT["ja"])
    return {"name": "japanese-character-trigram", "language": "ja", "order": 3, "floors": floors,
            "source": f"scripts/corpus/ja ({n_letters} letters, {len(runs)} runs, written for the project) "
                      "and the wordfreq 3.1.1 ja list (CC BY-SA 4.0)",
            "logp": logp, "backoff": backoff}


def build_chinese(words: dict[str, float], language: str) -> dict:
    if language == "zh-Hans":
        classify, profile = gb_class, "adobe-gb1"
        keep_char = is_hanzi
        uni_counts = char_counts(words, keep_char, UNIGRAM_TOKENS)
    else:
        classify, profile = big5_class, "adobe-cns1"

        def in_both(ch: str) -> bool:
            return is_hanzi(ch) and big5_class(ch) != "hanzi" and gb_class(ch) != "hanzi"

        keep_char = in_both
        simplified = char_counts(words, is_hanzi, UNIGRAM_TOKENS)
        uni_counts = Counter({c: n for c, n in simplified.items() if in_both(c)})
        moved = sum(n for c, n in simplified.items() if big5_class(c) == "hanzi")  # simplified-only forms
        # the ratio of mean frequency, less-common vs common Big5 block, among the shared hanzi
        means = {}
        for block in ("big5-common", "big5-rare"):
            vals = [n for c, n in uni_counts.items() if big5_class(c) == block]
            means[block] = sum(vals) / len(vals)
        ratio = means["big5-rare"] / means["big5-common"]
        universe = collection_letters(profile, is_hanzi)
        trad_only = [c for c in sorted(universe) if big5_class(c) != "hanzi" and gb_class(c) == "hanzi"]
        weight = {c: 1.0 if big5_class(c) == "big5-common" else ratio for c in trad_only}
        total_w = sum(weight.values())
        for c, w in weight.items():
            uni_counts[c] += moved * w / total_w
    universe = collection_letters(profile, is_hanzi)
    counts, final = token_counts(words, lambda w: all(map(keep_char, w)), WF_TOKENS["zh"], 2, FINAL_WEIGHT["zh"])
    uni, floors = unigram_table(uni_counts, universe, classify, END_SHARE)
    floor = lambda c: floors[classify(c)]  # noqa: E731
    logp, backoff = witten_bell(counts, final, 2, uni, floor, MIN_COUNT["zh"])
    src = "the wordfreq 3.1.1 zh list (CC BY-SA 4.0)"
    if language == "zh-Hant":
        src += ", carried over through the hanzi both Big5 and GB 2312 hold"
    return {"name": f"chinese-character-bigram-{language}", "language": language, "order": 2,
            "floors": floors, "source": src, "logp": logp, "backoff": backoff}


def write(model: dict, stem: str, rules: Path) -> None:
    order = model["order"]
    logp, backoff = model.pop("logp"), model.pop("backoff")
    letters = sorted({c for g in list(logp) + list(backoff) for c in g} - {START, END})
    a = make_alphabet("".join(letters), order)
    write_tables(rules / f"{stem}.ngrams",
                 NgramTable.from_items({g: round(v, ROUND) for g, v in logp.items()}, a),
                 NgramTable.from_items({g: round(v, ROUND) for g, v in backoff.items() if v < 0}, a))
    sizes = Counter(len(g) for g in logp)
    model.update({"ngrams": f"{stem}.ngrams", "alphabet": "".join(letters),
                  "counts": {str(k): sizes[k] for k in sorted(sizes)}})
    (rules / f"{stem}.json").write_text(json.dumps(model, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{rules}/{stem}: {len(letters)} letters, n-grams per order {dict(sorted(sizes.items()))}, "
          f"{(rules / f'{stem}.ngrams').stat().st_size / 1e6:.2f} MB")


def main(rules: str = "rules") -> None:
    import wordfreq  # build-time only: pip install 'clean-slides[build]'

    out = Path(rules)
    write(build_japanese(wordfreq.get_frequency_dict("ja")), "japanese_lm", out)
    zh = wordfreq.get_frequency_dict("zh")
    write(build_chinese(zh, "zh-Hans"), "chinese_hans_lm", out)
    write(build_chinese(zh, "zh-Hant"), "chinese_hant_lm", out)


if __name__ == "__main__":
    main(*sys.argv[1:])
