"""A character n-gram model over one script, the part the Japanese and Chinese models share.

The n-grams live in a compact table (``pipeline/models/ngram_table.py``) whose alphabet is
the model's own: ``^`` (a run of letters opens), ``$`` (it closes) and the letters the build
saw, in code point order, stored as one string in the model's JSON. A letter the table lacks
falls back to the floor of its *class* (``classes``: e.g. GB 2312 level 1 vs level 2 vs
other), so a rare character of a common block is likelier than one of an extension block::

    >>> m = CharNgramLM.from_items({"a": -1.0, "b": -2.0, "$": -1.5, "ab": -0.25}, {"a": -0.5},
    ...                            alphabet="ab", floors={"x": -9.0}, classify=lambda c: "x",
    ...                            is_letter=str.isalpha, language="xx")
    >>> m.logp("^a", "b"), m.logp("^b", "a"), m.logp("^b", "q")   # seen; backed off; unseen
    (-0.25, -1.0, -9.0)

The same conventions as the Korean syllable model: a state is the last two symbols, a run opens in ``START`` and is closed by ``logp(state, END)``; ``score`` is the
mean log-probability per letter with the boundaries counted.
"""

from __future__ import annotations

import math
from typing import Callable

from pipeline.models.ngram_table import Alphabet, NgramTable, backoff_logp, read_tables

START, END = "^", "$"
MEMO = 100_000  # (context, letter) log-probabilities remembered per process


def make_alphabet(letters: str, order: int) -> Alphabet:
    """``^`` = 0, ``$`` = 1, then the letters in the order given."""
    codes = {START: 0, END: 1}
    for i, ch in enumerate(letters):
        codes[ch] = 2 + i
    return Alphabet(codes, len(codes), order)


class CharNgramLM:
    """Back-off character n-gram (order 2 or 3) with class floors for unseen letters."""

    language = ""
    has_morphology = False
    analyses_text = False  # segment() takes a whole decoded run, symbols included (sudachi does)
    chooses_readings = True  # the model alone may choose among a run's NFC readings (by a clear margin)
    # log P of a symbol (、。＝・) where a reading puts one inside a run: these texts set
    # punctuation in the same font as their letters, so a symbol is a plausible reading, about
    # as likely as a rare kanji (the Korean model, whose decks do not, keeps -25)
    symbol_logp = -8.0

    def __init__(self, ngrams: NgramTable, backoff: NgramTable, floors: dict[str, float],
                 classify: Callable[[str], str], is_letter: Callable[[str], bool], language: str,
                 order: int = 3, end_share: float | None = None):
        self.ngrams, self.backoff, self.floors = ngrams, backoff, floors
        self._classify, self._is_letter = classify, is_letter
        self.language, self.order = language, order
        end = ngrams.get(END)
        # unigrams of letters are stored as P(letter) * (1 - P(END)); char_logp undoes the share
        self._letter_shift = -math.log1p(-math.exp(end)) if end is not None else 0.0
        self._memo: dict[tuple[str, str], float] = {}
        self._unigram: dict[str, float] = {}

    @classmethod
    def from_items(cls, grams: dict[str, float], backoff: dict[str, float], alphabet: str, **kw) -> "CharNgramLM":
        order = kw.pop("order", 3)
        a = make_alphabet(alphabet, order)
        return cls(NgramTable.from_items(grams, a), NgramTable.from_items(backoff, a), order=order, **kw)

    @classmethod
    def from_file(cls, path, alphabet: str, order: int, **kw) -> "CharNgramLM":
        ngrams, backoff = read_tables(path, 2, make_alphabet(alphabet, order))
        return cls(ngrams, backoff, order=order, **kw)

    # -- the interface the CID reader uses -------------------------------------------------

    def is_letter(self, ch: str) -> bool:
        return self._is_letter(ch)

    @property
    def lowest_floor(self) -> float:
        """log P of a letter the model never saw, in its rarest class."""
        return min(self.floors.values())

    def floor(self, ch: str) -> float:
        """log P of a letter the table never saw (the floor of its class)."""
        return self.floors.get(self._classify(ch), min(self.floors.values()))

    def logp(self, context: str, ch: str) -> float:
        """log P(ch | the last ``order - 1`` symbols of ``context``), remembered per pair."""
        key = (context[-(self.order - 1):], ch)
        p = self._memo.get(key)
        if p is None:
            if len(self._memo) >= MEMO:
                self._memo.clear()
            h = key[0]
            p = self._memo[key] = backoff_logp(self.ngrams, self.backoff, h, ch,
                                               self.floor(ch) if ch != END else -math.inf)
        return p

    @staticmethod
    def extend(state: str, ch: str) -> str:
        """The state after ``ch``: the last two symbols, as for the Korean model (a bigram
        model looks at the last one only)."""
        return (state + ch)[-2:]

    def run_logp(self, run: str) -> float:
        """Total log-probability of one run of letters, boundaries included."""
        total, context = 0.0, START
        for ch in run:
            total += self.logp(context, ch)
            context = self.extend(context, ch)
        return total + self.logp(context, END)

    def segment(self, word: str, word_start: bool = False) -> tuple[float, bool]:
        """No morphology: neutral (0.0, True)."""
        return 0.0, True

    def runs(self, text: str) -> list[str]:
        """The runs of letters of ``text`` (anything else is a boundary)."""
        out, run = [], []
        for ch in text:
            if self._is_letter(ch):
                run.append(ch)
            elif run:
                out.append("".join(run))
                run = []
        if run:
            out.append("".join(run))
        return out

    def score(self, text: str) -> float:
        """Mean log-probability per letter (boundaries included); -inf for no letters."""
        total, n = 0.0, 0
        for run in self.runs(text):
            total += self.run_logp(run)
            n += len(run) + 1
        return total / n if n else float("-inf")

    def char_logp(self, ch: str) -> float:
        """Context-free log P of one letter (its unigram, the class floor if unseen); the
        floor of "other" for a character that is no letter."""
        p = self._unigram.get(ch)
        if p is None:
            if not self._is_letter(ch):
                p = min(self.floors.values())
            else:
                u = self.ngrams.get(ch)
                p = (u + self._letter_shift) if u is not None else self.floor(ch) + self._letter_shift
            if len(self._unigram) < MEMO:
                self._unigram[ch] = p
        return p
