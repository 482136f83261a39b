"""How much a slide and a notes section say the same thing, from the words they share.

Notes that are not organised by paper (a speaker's script, a talk review, a day of
conference notes) are aligned by content. A text becomes a bag of features: syllable
bigrams of its Hangul words (so 배포를 and 배포했다 share 배포), its Latin words and
identifiers, and its numbers. Each feature is weighted by how rare it is among the
sections of the notes at hand (inverse document frequency, learnt from those notes, so
쿠버네티스 says little in notes about Kubernetes), with a sublinear term frequency, and
similarity is the cosine of the two weighted bags::

    >>> index = ContentIndex(["카나리 배포: 트래픽 5%부터 Argo Rollouts로", "시크릿은 Vault에 둔다", "회고"])
    >>> slide = index.vector("카나리 배포 트래픽을 5% → 25% → 100% (Argo Rollouts)")
    >>> [round(index.similarity(slide, s), 2) for s in range(3)]
    [0.55, 0.0, 0.0]

``ContentIndex.nearest`` finds the sections that share a deck's rarer features through an
inverted index, so a deck is never compared with every section of a large notes store.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict

import regex

_TOKEN = regex.compile(r"\p{Hangul}+|[A-Za-z][A-Za-z0-9_.+#-]*[A-Za-z0-9+#]|[A-Za-z]|\d+(?:[.,]\d+)*")
_HANGUL = regex.compile(r"\p{Hangul}+")
_NUMBER = regex.compile(r"\d")


def features(text: str) -> Counter:
    """The bag of features of ``text``::

        >>> sorted(features("배포 시간 40분 (GitOps)").items())
        [('40', 1), ('gitops', 1), ('배포', 1), ('분', 1), ('시간', 1)]
    """
    bag: Counter = Counter()
    for tok in _TOKEN.findall(text):
        if _HANGUL.fullmatch(tok):
            if len(tok) == 1:
                bag[tok] += 1
            else:
                bag.update(tok[i:i + 2] for i in range(len(tok) - 1))
        elif _NUMBER.match(tok):
            bag[tok] += 1
        elif len(tok) > 1:
            bag[tok.lower()] += 1
    return bag


class ContentIndex:
    """Weighted feature vectors of a list of section texts, with their inverted index."""

    def __init__(self, texts: list[str], max_postings: int = 64):
        bags = [features(t) for t in texts]
        df: Counter = Counter()
        for b in bags:
            df.update(b.keys())
        n = max(len(bags), 1)
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
