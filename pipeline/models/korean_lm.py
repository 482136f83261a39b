"""Korean plausibility: a syllable trigram plus a morpheme lexicon.

The model lives in ``rules/korean_lm.json``; ``scripts/build_language_data.py`` builds it
from the Korean word list shipped in wordfreq (and Kiwi's analysis of those words, at
build time only). ``score`` is the mean log-probability per syllable, so candidates of
different length compare; ``segment`` splits one word into a content morpheme and
particles or endings::

    >>> lm = load_korean_lm()
    >>> lm.score("세션들을") > lm.score("세들션을")
    True
    >>> lm.score("만들어") > lm.score("들만어")
    True
    >>> lm.segment("분들은")[1], lm.segment("들분은")[1]    # well formed?
    (True, False)

Non-syllable characters are not modelled: ``score`` only looks at Hangul syllables and
treats every other character as a word boundary.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import ClassVar

from pipeline.models.hangul import is_syllable  # noqa: F401 (the models' users import it from here too)
from pipeline.models.ngram_table import NgramTable, backoff_logp, read_tables
from pipeline.models.rule_files import load_json, rules_path

START, END = "^", "$"
MEMO = 100_000  # (context, syllable) log-probabilities remembered per process
CLASSES = ("noun", "verb", "verb_form", "other", "particle", "ending")  # morpheme classes of the lexicon


@dataclass(frozen=True)
class KoreanLM:
    """Syllable trigram: ``logp`` holds log P for seen n-grams (keyed by the n-gram string),
    ``backoff`` the weight of each context for unseen continuations."""

    ngrams: NgramTable  # log P of seen n-grams
    backoff: NgramTable  # back-off weight of contexts
    floor: float
    lexicon: dict[str, dict[str, float]]  # class (noun, verb, ..., particle, ending) -> morpheme -> log P
    moves: dict[str, dict[str, float]]  # class -> next class (or "end") -> log P
    ill_formed: frozenset[tuple[str, str]]  # moves a well-formed word never makes
    unknown_syllable: float  # log P per syllable of a content morpheme not in the lexicon

    MAX_MORPHEME = 8
    language: ClassVar[str] = "ko"
    has_morphology: ClassVar[bool] = True  # segment() knows particles and endings
    chooses_readings: ClassVar[bool] = True  # its trigram and morpheme lexicon choose among NFC readings
    analyses_text: ClassVar[bool] = False  # segment() takes one word of syllables, not a run with symbols
    symbol_logp: ClassVar[float] = -25.0  # a reading that turns a garbled run into symbols: all but impossible

    @property
    def lowest_floor(self) -> float:
        """log P of a syllable the model never saw."""
        return self.floor

    def __post_init__(self):
        object.__setattr__(self, "_memo", {})

    @staticmethod
    def is_letter(ch: str) -> bool:
        """The characters the model scores: Hangul syllables."""
        return is_syllable(ch)

    def char_logp(self, ch: str) -> float:
        """Context-free log P of one syllable (its unigram; the floor if unseen or no syllable)::

            >>> lm = load_korean_lm()
            >>> lm.char_logp("이") > lm.char_logp("뷁") == lm.floor
            True
        """
        return self.ngrams.get(ch, self.floor) if is_syllable(ch) else self.floor

    def segment(self, word: str, word_start: bool = False) -> tuple[float, bool]:
        """Best segmentation of one word of syllables into a content morpheme and particles or
        endings: (its log-probability, whether a well-formed segmentation exists). ``분들은`` =
        분 + 들 + 은 is well formed; ``들분은`` needs a compound, ``들만어`` an ending after a
        particle: both are not. With ``word_start`` a particle or ending cannot open the word
        (it can when the run is glued to Latin text: ``Overview`` + ``를``)."""
        n = len(word)
        if not n:
            return 0.0, True
        neg = float("-inf")
        # position -> class -> (log P of the best path, log P of the best well-formed path)
        best: list[dict[str, tuple[float, float]]] = [{"start": (0.0, 0.0)}] + [{} for _ in range(n)]
        for i in range(1, n + 1):
            for j in range(max(0, i - self.MAX_MORPHEME), i):
                seg = word[j:i]
                for cls, table in self.lexicon.items():
                    emit = table.get(seg)
                    known = emit is not None
                    if not known:
                        if cls != "noun":
                            continue
                        emit = self.unknown_syllable * len(seg)
                    any_lp = good_lp = neg
                    for pc, (lp, good) in best[j].items():
                        move = self.moves[pc].get(cls)
                        if move is None:  # a move the model never makes
                            continue
                        any_lp = max(any_lp, lp + move)
                        if known and (pc, cls) not in self.ill_formed and not (
                            word_start and pc == "start" and cls in ("particle", "ending")
                        ):
                            good_lp = max(good_lp, good + move)
                    old = best[i].get(cls, (neg, neg))
                    best[i][cls] = (max(old[0], any_lp + emit), max(old[1], good_lp + emit))
        ends = [(lp + self.moves[c]["end"], good + self.moves[c]["end"])
                for c, (lp, good) in best[n].items() if "end" in self.moves[c]]
        if not ends:
            return neg, False
        return max(lp for lp, _ in ends), max(g for _, g in ends) > neg

    def logp(self, context: str, ch: str) -> float:
        """log P(ch | the last two syllables of ``context``); ``^`` starts and ``$`` ends a word.
        Remembered per (context, syllable): the same pairs come back all the time."""
        key = (context[-2:], ch)
        p = self._memo.get(key)
        if p is None:
            if len(self._memo) >= MEMO:
                self._memo.clear()
            p = self._memo[key] = self._logp(*key)
        return p

    def _logp(self, h: str, ch: str) -> float:
        return backoff_logp(self.ngrams, self.backoff, h, ch, self.floor)

    @staticmethod
    def extend(state: str, ch: str) -> str:
        """The model's state after syllable ``ch``: the context ``logp`` conditions the next
        syllable on. A state is the last two symbols of the word so far, ``START`` among them
        while the word has one syllable: a word opens in ``START`` and, after its last syllable,
        is closed by ``logp(state, END)``; outside a word the state is ``START`` again (every
        user of the model keeps it so, so ``설명`` scores the same wherever it is read)::

            >>> s = KoreanLM.extend(START, "설"); s
            '^설'
            >>> KoreanLM.extend(s, "명"), KoreanLM.extend("설명", "서")
            ('설명', '명서')
        """
        return (state + ch)[-2:]

    def word_logp(self, word: str) -> float:
        """Total log-probability of one run of syllables, boundaries included."""
        total, context = 0.0, START
        for ch in word:
            total += self.logp(context, ch)
            context = self.extend(context, ch)
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
    lex = data["lexicon"]
    ngrams, backoff = read_tables(rules_path(data["ngrams"]), 2)
    return KoreanLM(ngrams=ngrams, backoff=backoff, floor=data["floor"],
                    lexicon={c: lex[c] for c in CLASSES}, moves=lex["moves"],
                    ill_formed=frozenset(map(tuple, lex["ill_formed"])), unknown_syllable=lex["unknown_syllable"])
