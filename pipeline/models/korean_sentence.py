"""A Korean sentence likelihood: Kiwi's morpheme language model, for choosing among readings.

The syllable trigram (``pipeline/models/korean_lm.py``) is built from a word list and knows words, not
how they inflect and follow each other: it scores ``사용의여`` above ``사용하여``. Where
bytes were lost and a few dozen syllables fit each gap, the choice needs a model of
running Korean. kiwipiepy (Apache-2.0, with its model package) analyses a string into
morphemes with a language model trained on large corpora and returns the analysis'
log-probability; that is the score here::

    >>> m = load_sentence_model()
    >>> m.logp("코드 편집기를 사용하여") > m.logp("코드 편집기를 사용의여")
    True

It is loaded on first use only (about 3 s and 500 MB), which happens only when a text
has lost bytes to fill; scores are remembered per process.
"""

from __future__ import annotations

import threading
from functools import lru_cache

CACHE = 50_000  # distinct strings scored per process


class SentenceModel:
    def __init__(self):
        from kiwipiepy import Kiwi

        self._kiwi = Kiwi(num_workers=-1)
        self._memo: dict[str, float] = {}
        self._lock = threading.Lock()

    def logp(self, text: str) -> float:
        """log P of the best morpheme analysis of ``text`` (natural log, ≤ 0)."""
        p = self._memo.get(text)
        if p is None:
            with self._lock:
                p = float(self._kiwi.analyze(text, top_n=1)[0][1])
            if len(self._memo) >= CACHE:
                self._memo.clear()
            self._memo[text] = p
        return p


@lru_cache(maxsize=1)
def load_sentence_model() -> SentenceModel:
    """The model, loaded once per process on first use."""
    return SentenceModel()
