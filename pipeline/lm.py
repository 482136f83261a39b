"""Korean plausibility: log-probability per syllable under a syllable trigram model.

The model lives in ``rules/korean_lm.json`` and is built by
``scripts/build_korean_lm.py`` from the Korean word list shipped in wordfreq.
Scores are per character, so candidates of different length compare::

    >>> lm = load_korean_lm()
    >>> lm.score("세션들을") > lm.score("세들션을")
    True
    >>> lm.score("김준성") > lm.score("각간가")
    True

Non-syllable characters are not modelled: ``score`` only looks at Hangul
syllables and treats every other character as a word boundary.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .rule_files import load_json

START, END = "^", "$"


def is_syllable(ch: str) -> bool:
    return "\uac00" <= ch <= "\ud7a3"


@dataclass(frozen=True)
class KoreanLM:
    """Syllable trigram: ``logp`` holds log P for seen n-grams (keyed by the n-gram string),
    ``backoff`` the weight of each context for unseen continuations."""

    ngrams: dict[str, float]
    backoff: dict[str, float]
    floor: float

    def logp(self, context: str, ch: str) -> float:
        """log P(ch | the last two syllables of ``context``); ``^`` starts and ``$`` ends a word."""
        h = context[-2:]
        total = 0.0
        while h:
            p = self.ngrams.get(h + ch)
            if p is not None:
                return total + p
            total += self.backoff.get(h, 0.0)
            h = h[1:]
        return total + self.ngrams.get(ch, self.floor)

    def word_logp(self, word: str) -> float:
        """Total log-probability of one run of syllables, boundaries included."""
        total, context = 0.0, START
        for ch in word:
            total += self.logp(context, ch)
            context = context[-1] + ch
        return total + self.logp(context, END)

    def score(self, text: str) -> float:
        """Mean log-probability per syllable (boundaries included); -inf for no syllables."""
        total, n = 0.0, 0
        word = []
        for ch in text + " ":
            if is_syllable(ch):
                word.append(ch)
            elif word:
                total += self.word_logp("".join(word))
                n += len(word) + 1
                word = []
        return total / n if n else float("-inf")


@lru_cache(maxsize=1)
def load_korean_lm() -> KoreanLM:
    """The model, loaded once per process."""
    data = load_json("korean_lm.json")
    return KoreanLM(ngrams=data["logp"], backoff=data["backoff"], floor=data["floor"])


@dataclass(frozen=True)
class EnglishModel:
    """A frequent-word list and a letter-bigram scorer, for shifted-ASCII decisions::

    >>> en = load_english()
    >>> "compose" in en.words, en.score("sungbin") > en.score("tvohcjo")
    (True, True)
    """

    words: frozenset[str]
    letter_bigram: dict[str, float]

    def score(self, word: str) -> float:
        """Mean log-probability per letter of a lower-case word (boundaries included)."""
        seq = "^" + word.lower() + "$"
        worst = min(self.letter_bigram.values())
        total = sum(self.letter_bigram.get(a + b, worst) for a, b in zip(seq, seq[1:]))
        return total / (len(seq) - 1)


@lru_cache(maxsize=1)
def load_english() -> EnglishModel:
    data = load_json("english.json")
    return EnglishModel(words=frozenset(data["words"]), letter_bigram=data["letter_bigram"])
