"""How much a slide and a notes section say the same thing, from the text under the words.

A text becomes a bag of features: syllable bigrams of its Hangul with the spaces taken out
(배포를 and 배포했다 share 배포; 공통서버 and 공통 서버 are alike), the words of its Latin
identifiers split on case with neighbouring words glued, and its numbers. The evidence a
section gives a slide is a log-likelihood ratio (``ContentIndex.log_ratio``, nats): how
much likelier the slide's features are under the section's own language model than under
the notes' as a whole, a feature the notes never use saying nothing::

    >>> index = ContentIndex(["카나리 배포: 트래픽 5%부터 Argo Rollouts로", "시크릿은 Vault에 둔다", "회고"])
    >>> slide = index.bag("카나리 배포 트래픽을 5% → 25% → 100% (Argo Rollouts)")
    >>> [round(index.log_ratio(slide, s), 1) for s in range(3)]
    [0.6, -1.2, -1.2]

Weighted vectors (BM25's idf learnt from the notes at hand, a sublinear term frequency) and
their inverted index find candidate sections: ``ContentIndex.nearest`` follows a deck's
rarer features, so a deck is never compared with every section of a large notes store::

    >>> [round(index.similarity(index.vector("카나리 배포 (Argo Rollouts)"), s), 2) for s in range(3)]
    [0.73, 0.0, 0.0]
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict

import numpy as np
import regex

_PIECE = regex.compile(r"(\p{Hangul}+)|([A-Za-z]+)|(\d+(?:[.,]\d+)*)|([\p{Han}\p{Hiragana}\p{Katakana}ー]+)")
_ALNUM = regex.compile(r"[\p{L}\p{N}]")
_PART = regex.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+")  # DataStream -> Data, Stream


def _runs(text: str):
    """(script, pieces) for each stretch of one script (Hangul, Latin, digits) whose pieces
    are separated by nothing but spaces and punctuation: the text under the spacing."""
    run: list[str] = []
    kind, end = 0, 0
    for m in _PIECE.finditer(text):
        k = m.lastindex
        if run and (k != kind or _ALNUM.search(text, end, m.start())):
            yield kind, run
            run = []
        kind, end = k, m.end()
        run.append(m.group())
    if run:
        yield kind, run


def features(text: str) -> Counter:
    """The bag of features of ``text``: syllable bigrams of its Hangul (and character bigrams
    of its kana and kanji) with the spaces taken out (공통서버 and 공통 서버 share 공통, 통서, 서버), the words of its Latin identifiers split
    on case and punctuation, with each pair of neighbouring words glued as well (DataStream,
    Data Stream and datastream share ``datastream``), and its numbers::

        >>> sorted(features("배포 시간 40분 (GitOps)").items())
        [('40', 1), ('git', 1), ('gitops', 1), ('ops', 1), ('배포', 1), ('분', 1), ('시간', 1), ('포시', 1)]
        >>> features("FE인프라TF") == features("FE 인프라 TF")
        True
        >>> sorted(features("型チェック"))  # kana and kanji as bigrams too
        ['ェッ', 'チェ', 'ック', '型チ']
    """
    bag: Counter = Counter()
    for kind, pieces in _runs(text):
        if kind in (1, 4):  # Hangul; kana and kanji alike (Japanese and Chinese notes)
            joined = "".join(pieces)
            if len(joined) == 1:
                bag[joined] += 1
            else:
                bag.update(joined[i : i + 2] for i in range(len(joined) - 1))
        elif kind == 2:
            split = [[w.lower() for w in _PART.findall(piece)] or [piece.lower()] for piece in pieces]
            parts = [w for ws in split for w in ws]
            bag.update(w for w in parts if len(w) > 1)
            bag.update(a + b for a, b in zip(parts, parts[1:]))
            bag.update("".join(ws) for ws in split if len(ws) > 2)  # BertForMaskedLM whole
        else:
            bag.update(pieces)
    return bag


VOCABULARY = 100_000  # features a language has, roughly (Hangul syllable bigrams, words)


class ContentIndex:
    """Weighted feature vectors of a list of section texts, with their inverted index."""

    def __init__(self, texts: list[str], max_postings: int = 64, mixture: float = 0.1, beyond: float = 0.0):
        bags = [features(t) for t in texts]
        df: Counter = Counter()
        total: Counter = Counter()
        for b in bags:
            df.update(b.keys())
            total.update(b)
        n = max(len(bags), 1)
        # the notes' own language model (the background a slide is compared under) and each
        # section's; a slide's feature comes from the section with chance ``mixture``
        # (the language beyond the notes weighs ``beyond`` features spread over a vocabulary of
        # ``VOCABULARY``: in three short sections nothing is common, whatever they share)
        size = sum(total.values()) + beyond
        self.background = {f: (c + beyond / VOCABULARY) / size for f, c in total.items()}
        self.rarest = min(self.background.values(), default=1.0)
        self.counts = bags
        self.sizes = [max(sum(b.values()), 1) for b in bags]
        self.mixture = mixture
        self.log_absent = math.log(1 - mixture)
        # BM25's idf: a feature in every section weighs (almost) nothing
        self.idf = {f: math.log(1 + (n - d + 0.5) / (d + 0.5)) for f, d in df.items()}
        self.unseen = math.log(1 + (n + 0.5) / 0.5)
        self.vectors = [self._weigh(b) for b in bags]
        self.postings: dict[str, list[int]] = defaultdict(list)
        for sid, v in enumerate(self.vectors):
            for f in v:
                if df[f] <= max_postings:
                    self.postings[f].append(sid)

    def _weigh(self, bag: Counter) -> dict[str, float]:
        v = {f: (1 + math.log(c)) * self.idf.get(f, self.unseen) for f, c in bag.items()}
        norm = math.sqrt(sum(w * w for w in v.values()))
        return {f: w / norm for f, w in v.items()} if norm else {}

    def vector(self, text: str) -> dict[str, float]:
        """The weighted, unit-length vector of a slide's text."""
        return self._weigh(features(text))

    def bag(self, text: str) -> dict[str, float]:
        """A slide's features the notes know (the others say nothing for or against any
        section), each weighing ``1 + log(count)``."""
        return {f: 1 + math.log(c) for f, c in features(text).items() if f in self.background}

    def merged(self, sids: list[int]) -> tuple[Counter, int]:
        """The counts and size of several sections read as one (a section with its parts)."""
        counts: Counter = Counter()
        for sid in sids:
            counts.update(self.counts[sid])
        return counts, sum(self.sizes[sid] for sid in sids)

    def log_ratio(self, bag: dict[str, float], sid: int, merged: tuple[Counter, int] | None = None) -> float:
        """How much likelier the slide's features are under section ``sid``'s language model
        than under the notes' as a whole (nats): each feature drawn from the section with
        chance ``mixture``, else from the notes (query likelihood, Jelinek-Mercer smoothing)::

            >>> index = ContentIndex(["카나리 배포 트래픽", "시크릿 관리 Vault", "회고와 배운 점"])
            >>> slide = index.bag("카나리 배포 (트래픽 5%)")
            >>> [round(index.log_ratio(slide, s), 1) for s in range(3)]
            [0.9, -0.7, -0.7]
        """
        return float(self.log_ratios([bag], [sid], {sid: merged} if merged else None)[0, 0])

    def unique_gain(self, sid: int, merged: tuple[Counter, int] | None = None) -> float:
        """What one slide feature found once in section ``sid`` and nowhere else in the notes
        adds to ``log_ratio`` (against the feature being absent): the most one feature says."""
        size = merged[1] if merged else self.sizes[sid]
        return math.log(1 - self.mixture + self.mixture / (size * self.rarest)) - self.log_absent

    def log_ratios(self, bags: list[dict[str, float]], sids: list[int],
                   merged: dict[int, tuple[Counter, int]] | None = None) -> np.ndarray:
        """``log_ratio`` of every bag under every section of ``sids``, as one matrix (the
        features the bags hold are looked up once per section)."""
        merged = merged or {}
        index: dict[str, int] = {}
        for bag in bags:
            for f in bag:
                index.setdefault(f, len(index))
        weights = np.zeros((len(bags), len(index)))
        for i, bag in enumerate(bags):
            for f, w in bag.items():
                weights[i, index[f]] = w
        gain = np.zeros((len(sids), len(index)))
        keep = 1 - self.mixture
        bg = self.background
        for j, sid in enumerate(sids):
            counts, size = merged.get(sid) or (self.counts[sid], self.sizes[sid])
            share = self.mixture / size
            found = ((f, c) for f, c in counts.items() if f in index) if len(counts) < len(index) else \
                ((f, counts[f]) for f in index if f in counts)
            for f, c in found:
                gain[j, index[f]] = math.log(keep + share * c / bg[f]) - self.log_absent
        return weights @ gain.T + self.log_absent * weights.sum(axis=1, keepdims=True)

    def similarity(self, vec: dict[str, float], sid: int) -> float:
        """Cosine of a slide's vector and section ``sid``'s."""
        other = self.vectors[sid]
        if len(other) < len(vec):
            vec, other = other, vec
        return sum(w * other.get(f, 0.0) for f, w in vec.items())

    def nearest(self, vecs: list[dict[str, float]]) -> Counter:
        """Sections sharing the slides' rarer features, with the similarity those features
        give (a lower bound of the cosine)."""
        found: Counter = Counter()
        for vec in vecs:
            for f, w in vec.items():
                for sid in self.postings.get(f, ()):
                    found[sid] += w * self.vectors[sid][f]
        return found
