"""A likelihood for Latin tokens: English words, code identifiers, URLs, numbers.

Two models built by ``scripts/build_latin_model.py`` from the same tokens, averaged: a
sentencepiece unigram model (``rules/latin.model``: the log-probability of a string's best
segmentation into pieces, which knows words and identifiers) and a character 4-gram model
(``rules/latin.ngrams``, which knows shapes: capitals run together, digits with digits).
On the shifted and literal pieces of the real and sample decks the mean separates the
two better than either part alone (``bench/latin_model.py``: ROC AUC 0.9986, against 0.9889
for the pieces and 0.9966 for the characters). It tells Latin set in a Latin font from
Latin set in a Korean CID font (shifted by 31 code points) without a dictionary::

    >>> m = load_latin()
    >>> m.logp("kimminsu") > m.logp("LJNNJOTV")
    True
    >>> m.logp("ObservableState") > m.logp("0CTFSWBCMF4UBUF")
    True
"""

from __future__ import annotations

import math
from functools import lru_cache

import sentencepiece as spm

from pipeline.models.ngram_table import ASCII, backoff_logp, read_tables
from pipeline.models.rule_files import rules_path

UNKNOWN_PIECE = -20.0  # log-probability of a character the models never saw (below any piece)
CACHE = 100_000  # distinct strings scored per process
CONVERGED = 1e-6  # EM stops when the prior moves less than this
ORDER = 4  # characters of the character model's n-grams
WORD_START, WORD_END = "\x02", "\x03"  # bound a token in the character model


class LatinModel:
    def __init__(self, pieces: str, ngrams: str):
        self.sp = spm.SentencePieceProcessor(model_file=pieces)
        self.unk = self.sp.unk_id()
        self._scores = [self.sp.get_score(i) for i in range(self.sp.get_piece_size())]
        self.grams, self.backoff = read_tables(ngrams, 2, ASCII)
        self.logp = lru_cache(maxsize=CACHE)(self._logp)
        self._char = lru_cache(maxsize=CACHE)(self._char_logp)

    def _logp(self, text: str) -> float:
        """Log-probability of ``text``: the mean of the two models' (a product of experts)."""
        if not text:
            return 0.0
        return (self.piece_logp(text) + self.char_logp(text)) / 2

    def piece_logp(self, text: str) -> float:
        """Log-probability of ``text``'s best segmentation into sentencepiece pieces."""
        total = 0.0
        for piece_id in self.sp.encode(text, out_type=int):
            total += UNKNOWN_PIECE if piece_id == self.unk else self._scores[piece_id]
        return total

    def char_logp(self, text: str) -> float:
        """Log-probability of ``text`` as a token under the character model."""
        s = WORD_START * (ORDER - 1) + text + WORD_END
        return sum(self._char(s[i - ORDER + 1 : i], s[i]) for i in range(ORDER - 1, len(s)))

    def _char_logp(self, history: str, ch: str) -> float:
        return backoff_logp(self.grams, self.backoff, history, ch, UNKNOWN_PIECE)


@lru_cache(maxsize=1)
def load_latin() -> LatinModel:
    """The models, loaded once per process."""
    return LatinModel(str(rules_path("latin.model")), str(rules_path("latin.ngrams")))


SHIFT = 31  # Latin set in a Korean CID font: CID = code point - 31, emitted as the code point


def unshift(piece: str, ligatures: tuple[tuple[str, str], ...] = ()) -> str:
    """The Latin a shifted piece stands for: ``$PNQPTF`` -> ``Compose``. ``ligatures``: the
    characters that stand for a ligature glyph's letters (Adobe-Japan1's fl, CID 113, shows
    as ``q``): ``unshift("PDLq", (("q", "fl"),))`` -> ``ockfl``."""
    table = dict(ligatures)
    return "".join(table.get(c) or chr(ord(c) + SHIFT) for c in piece)


@lru_cache(maxsize=CACHE)
def shift_gain(model: LatinModel, piece: str, ligatures: tuple[tuple[str, str], ...] = ()) -> float:
    """How much likelier the piece is as shifted Latin than as itself (nats)."""
    return model.logp(unshift(piece, ligatures)) - model.logp(piece)


class FontPrior:
    """P(a Latin piece is set in the Korean font), for one context (glued to Hangul, or
    alone) of one deck, learnt from the deck's own pieces.

    ``pieces`` are (string, shift gain) pairs; the gain is None for a piece that cannot be
    shifted (it holds lower-case letters, which the shift never produces). EM over a
    two-component mixture with a Beta(a, b) prior: each piece's posterior of being shifted
    under the current prior, then the prior as the mean posterior. A string is never
    evidence for itself: ``odds(string)`` leaves its own occurrences out.

    >>> p = FontPrior([("x", 30.0), ("y", 25.0), ("z", 12.0), ("w", None)], 1.0, 4.0, 5)
    >>> 0.4 < p.prior < 0.6, p.odds("x") < p.odds("w")
    (True, True)
    >>> FontPrior([(str(i), None) for i in range(20)], 1.0, 4.0, 5).prior < 0.05
    True
    """

    def __init__(self, pieces: list[tuple[str, float | None]], a: float, b: float, iterations: int):
        self.a, self.b = a, b
        groups: dict[str, list] = {}  # string -> [gain, occurrences]: a string's pieces share a gain
        for string, gain in pieces:
            groups.setdefault(string, [gain, 0])[1] += 1
        weighed = [(g, n) for g, n in groups.values() if g is not None]
        self.count = len(pieces)
        p = a / (a + b)
        for _ in range(iterations):  # pieces of gain near 0 slow EM down, not change where it ends
            odds = math.log(p / (1 - p))
            total = sum(n * _sigmoid(g + odds) for g, n in weighed)
            p, last = (total + a) / (self.count + a + b), p
            if abs(p - last) < CONVERGED:
                break
        self.prior = p
        odds = math.log(p / (1 - p))
        self.own = {s: (0.0 if g is None else n * _sigmoid(g + odds), n) for s, (g, n) in groups.items()}
        self.total = sum(post for post, _n in self.own.values())  # posteriors under the prior it settled on

    def odds(self, string: str) -> float:
        """Log prior odds for ``string``, its own occurrences left out."""
        post, n = self.own.get(string, (0.0, 0))
        p = (self.total - post + self.a) / (self.count - n + self.a + self.b)
        return math.log(p / (1 - p))


class SlidePrior:
    """The prior in one slide (one text box, often one font) for one context: the deck's,
    moved by the slide's other pieces as if the deck counted for ``strength`` pieces. The
    slide's pieces are weighed once, under the deck's prior; a string's own are left out::

        >>> deck = FontPrior([], 1.0, 9.0, 10)                       # prior 0.1
        >>> round(SlidePrior([("a", 40.0), ("b", 30.0), ("c", 5.0)], deck, 4.0).odds("c"), 2)
        -0.41
        >>> round(SlidePrior([("a", None), ("b", None), ("c", 5.0)], deck, 4.0).odds("c"), 2)
        -2.64
    """

    def __init__(self, pieces: list[tuple[str, float | None]], deck: FontPrior, strength: float):
        self.deck, self.strength = deck, strength
        odds = math.log(deck.prior / (1 - deck.prior))
        self.total, self.count = 0.0, len(pieces)
        self.own: dict[str, list[float]] = {}
        for string, gain in pieces:
            post = 0.0 if gain is None else _sigmoid(gain + odds)
            self.total += post
            own = self.own.setdefault(string, [0.0, 0])
            own[0] += post
            own[1] += 1

    def odds(self, string: str) -> float:
        """Log prior odds for ``string`` in this slide, its own occurrences left out here and
        in the deck."""
        post, n = self.own.get(string, (0.0, 0))
        deck_odds = self.deck.odds(string)
        deck = 1 / (1 + math.exp(-deck_odds))
        p = (self.total - post + self.strength * deck) / (self.count - n + self.strength)
        return math.log(p / (1 - p))


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x)) if x > -50 else 0.0
