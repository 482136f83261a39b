#!/usr/bin/env python3
"""Build the Latin model: ``rules/latin.model``, a sentencepiece unigram model of Latin
tokens as they appear in decks (English words, code identifiers, URLs, numbers), and
``rules/latin.ngrams``, a character 4-gram model of the same tokens (Witten-Bell
interpolation, n-grams seen once left to the shorter context). The two are averaged
(``pipeline/models/latin.py``): pieces know words, characters know shapes.

Reproducible from installed packages only (nothing is downloaded):

* English words: the ``large_en`` list inside wordfreq 3.1.1 (``pip install -e '.[build]'``),
  each word repeated in proportion to its frequency, lower-case, Capitalized and (short
  words) UPPER-CASE, as decks write them;
* terms: ``rules/latin_terms.txt`` (acronyms and technical terms decks write in capitals,
  written for this project), each as often as a frequent English word;
* acronyms: random capitals, two to five of them (decks are full of acronyms no list
  holds: FSDP, UDF), from a seeded generator;
* numbers: integers, years, decimals, percentages and sizes as decks write them, drawn
  from a seeded generator (the word list has none, the code few);
* code: every whitespace-separated ASCII token of the Python standard library's source
  (identifiers in CamelCase and snake_case, constants, dotted names, URLs, numbers and the
  punctuation glued to them).

Run from the repository root::

    python scripts/build_latin_model.py        # writes rules/latin.model and rules/latin.ngrams

The model is a likelihood, not a dictionary: it prefers ``kimminsu``, ``githubcomkimminsu``
and ``ObservableState`` to their shifted forms ``LJNNJOTV``, ``HJUIVCDPNLJNNJOTV`` and
``0CTFSWBCMF4UBUF``, though none of them is an English word.
"""

from __future__ import annotations

import io
import math
import random
import sys
import sysconfig
from collections import Counter
from pathlib import Path

import sentencepiece as spm
import wordfreq

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from pipeline.models.latin import ORDER, WORD_END, WORD_START  # noqa: E402
from pipeline.models.ngram_table import ASCII, NgramTable, write_tables  # noqa: E402

RULES = Path(__file__).resolve().parent.parent / "rules"
OUT = RULES / "latin.model"
NGRAMS = RULES / "latin.ngrams"
MIN_COUNT = 2  # n-grams seen less often are left to the shorter context
ENGLISH_WORDS = 60_000  # most frequent English words taken
ENGLISH_TOKENS = 3_000_000  # running words the English list is scaled to
CODE_TOKENS = 3_000_000  # at most this many tokens of standard-library source
VOCAB = 12_000
CAPITALIZED = 0.25  # share of English words written Capitalized
UPPER_SHORT, UPPER_LONG = 0.05, 0.01  # share written in capitals: words of up to 4 letters, longer (acronyms come from acronyms())
NUMBER_TOKENS = 200_000  # about 5% of the tokens, as in deck text
ACRONYM_TOKENS = 100_000  # about 2%
TERM_REPEAT = 300  # a term counts as much as a frequent English word (about 1 in 10,000 tokens)
MAX_TOKEN = 64  # longer tokens (hashes, base64) teach nothing


def english() -> list[str]:
    """English words as running text, case as decks write them (seeded: reproducible)."""
    rng = random.Random(1)
    words = wordfreq.top_n_list("en", ENGLISH_WORDS, wordlist="large")
    freqs = [wordfreq.word_frequency(w, "en", wordlist="large") for w in words]
    scale = ENGLISH_TOKENS / sum(freqs)
    out = []
    for w, f in zip(words, freqs):
        if not w.isascii() or not w.isalpha():
            continue
        upper = UPPER_SHORT if len(w) <= 4 else UPPER_LONG  # acronyms: API, MVP, GPT
        for _ in range(max(1, round(f * scale))):
            r = rng.random()
            out.append(w.upper() if r < upper else w.capitalize() if r < upper + CAPITALIZED else w)
    rng.shuffle(out)
    return out


def terms() -> list[str]:
    """The project's list of technical terms, each TERM_REPEAT times."""
    lines = (RULES / "latin_terms.txt").read_text(encoding="utf-8").splitlines()
    return [t for t in lines if t and not t.startswith("#") for _ in range(TERM_REPEAT)]


def acronyms() -> list[str]:
    """Acronyms as arbitrary capitals (seeded: reproducible)."""
    rng = random.Random(3)
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return ["".join(rng.choice(letters) for _ in range(rng.choices((2, 3, 4, 5), (25, 40, 25, 10))[0]))
            for _ in range(ACRONYM_TOKENS)]


def numbers() -> list[str]:
    """Numbers as decks write them (seeded: reproducible): years, counts with thousands
    separators, decimals, signs, units, ranges, and the punctuation glued to them."""
    rng = random.Random(2)
    units = ["", "", "", "", "", "", "%", "%", "x", "K", "M", "B", "GB", "MB", "KB", "TB", "ms", "s", "px", "dp", "k",
             "L", "ml", "kg", "g", "m", "cm", "mm", "km", "h", "min", "W", "V", "Hz", "fps", "dB", "p"]

    def number() -> str:
        kind = rng.random()
        if kind < 0.2:
            return str(rng.randint(1990, 2030))  # a year
        if kind < 0.6:
            n = int(10 ** rng.uniform(0, 6))  # a count, small ones most often
            return f"{n:,}" if n >= 1000 and rng.random() < 0.6 else str(n)
        return f"{10 ** rng.uniform(-1, 3):.{rng.choice([1, 1, 2])}f}"  # a decimal

    out = []
    for _ in range(NUMBER_TOKENS):
        n = rng.choice(["", "", "", "", "", "", "("]) + rng.choice(["", "", "", "", "+", "-", "~", "$", "#"])
        n += number() + rng.choice(units)
        if rng.random() < 0.1:
            n += rng.choice(["-", "~", "/"]) + number()
        out.append(n + rng.choice(["", "", "", "", ",", ".", ")", ":"]))
    return out


def code() -> list[str]:
    """ASCII tokens of the standard library's source, files in sorted order."""
    root = Path(sysconfig.get_paths()["stdlib"])
    out: list[str] = []
    for path in sorted(root.rglob("*.py")):
        if "test" in path.parts or "site-packages" in path.parts:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        out += [t for t in text.split() if t.isascii() and len(t) <= MAX_TOKEN]
        if len(out) >= CODE_TOKENS:
            break
    return out[:CODE_TOKENS]


def char_ngrams(tokens: list[str]) -> tuple[NgramTable, NgramTable]:
    """log P(c | the ORDER-1 characters before it), Witten-Bell interpolated, for the n-grams
    kept; and log(1 - lambda) per context, the weight of the shorter context."""
    counts = [Counter() for _ in range(ORDER + 1)]
    for tok in tokens:
        s = WORD_START * (ORDER - 1) + tok + WORD_END
        for i in range(ORDER - 1, len(s)):
            for n in range(1, ORDER + 1):
                counts[n][s[i - n + 1 : i + 1]] += 1
    alphabet = sorted({g for g in counts[1] if g in ASCII.codes})
    total = sum(counts[1][c] for c in alphabet)
    prob = {c: (counts[1][c] + 0.5) / (total + 0.5 * len(alphabet)) for c in alphabet}
    grams = {c: math.log(p) for c, p in prob.items()}
    backoff = {}
    for n in range(2, ORDER + 1):
        seen, types = Counter(), Counter()
        for g, c in counts[n].items():
            seen[g[:-1]] += c
            types[g[:-1]] += 1
        for h in seen:
            backoff[h] = math.log(types[h] / (seen[h] + types[h]))
        level = {}
        for g, c in counts[n].items():
            if c < MIN_COUNT or any(ch not in ASCII.codes for ch in g):
                continue
            h, ch = g[:-1], g[-1]
            lam = seen[h] / (seen[h] + types[h])
            level[g] = math.log(lam * c / seen[h] + (1 - lam) * math.exp(_lower(grams, backoff, h[1:], ch)))
        grams.update(level)
    backoff = {h: v for h, v in backoff.items() if all(ch in ASCII.codes for ch in h)}
    return NgramTable.from_items(grams, ASCII), NgramTable.from_items(backoff, ASCII)


def _lower(grams: dict, backoff: dict, h: str, ch: str) -> float:
    """log P(ch | h) from the tables built so far (shorter contexts are complete)."""
    total = 0.0
    while True:
        p = grams.get(h + ch)
        if p is not None:
            return total + p
        if not h:
            return total + math.log(1e-9)
        total += backoff.get(h, 0.0)
        h = h[1:]


def main() -> None:
    sentences = english() + terms() + acronyms() + numbers() + code()
    grams, backoff = char_ngrams(sentences)
    write_tables(NGRAMS, grams, backoff)
    print(f"{NGRAMS}: {len(grams):,} n-grams, {len(backoff):,} contexts")
    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(sentences), model_writer=model, vocab_size=VOCAB, model_type="unigram",
        character_coverage=1.0, normalization_rule_name="identity", add_dummy_prefix=False,
        remove_extra_whitespaces=False, split_by_number=False, split_by_unicode_script=False,
        max_sentencepiece_length=16, num_threads=1, input_sentence_size=0, shuffle_input_sentence=False,
        minloglevel=2)
    OUT.write_bytes(model.getvalue())
    print(f"{OUT}: {len(sentences):,} tokens, vocabulary {VOCAB:,}, {len(model.getvalue()):,} bytes")


if __name__ == "__main__":
    main()
