"""Japanese plausibility: a kana/kanji character trigram, and sudachi's analysis when installed.

The trigram (``rules/japanese_lm.json`` and ``.ngrams``, built by
``scripts/build_cjk_language_data.py``) was trained on Japanese prose written for the project
(``scripts/corpus/ja``: running text, so it knows what follows what across morphemes) and on
wordfreq's ``ja`` list (within its tokens, and for the unigram); a kanji it never saw backs off
to its JIS X 0208 level (from Python's ``euc_jp`` codec). It orders adjacent kana::

    >>> lm = load_japanese_lm(sudachi=False)
    >>> lm.score("運用してみてどうだったか") > lm.score("運用てしみてどうだったか")
    True
    >>> lm.score("しました") > lm.score("しまたし"), lm.score("運用してます") > lm.score("運用てします")
    (True, True)
    >>> lm.has_morphology, lm.segment("てします")
    (False, (0.0, True))

With sudachipy and sudachidict_core installed (the ``ja`` extra), ``segment`` is sudachi's
best analysis: minus its path cost times ``SUDACHI_SCALE`` (1/500 nats per cost unit: sudachi's
cost is about 460 units per nat of the trigram's log-probability on held-out Japanese, 825 on
the training prose the trigram fits better, so the two are on one scale; bench/japanese_lm.py
gives the same result for 1/825 and loses at 1/250, where sudachi outweighs the trigram), well
formed when no morpheme is out of vocabulary and, with ``word_start``, no particle, auxiliary
or suffix opens the run. It decides what
the trigram alone gets wrong on a short run::

    >>> m = load_japanese_lm(sudachi=True)
    >>> m.has_morphology, m.segment("してます"), m.segment("てします")
    (True, (-8.696, True), (-12.614, True))

Set ``CLEAN_SLIDES_NO_SUDACHI=1`` (or call ``load_japanese_lm(sudachi=False)``) to run
without it; the tokenizer is built lazily, once per process, and never pickled.
"""

from __future__ import annotations

import os
from functools import lru_cache

from pipeline.models.char_ngram import END, START, CharNgramLM  # noqa: F401
from pipeline.models.chinese_lm import _cell, is_hanzi
from pipeline.models.rule_files import load_json, rules_path

NO_SUDACHI = "CLEAN_SLIDES_NO_SUDACHI"  # set to 1: the Japanese model never uses sudachi
SUDACHI_SCALE = 1 / 500  # nats per unit of sudachi's path cost
SEGMENT_MEMO = 50_000
NOT_FIRST = ("助詞", "助動詞", "接尾辞")  # parts of speech that cannot open a run at a word start


def is_kana(ch: str) -> bool:
    """Hiragana, katakana (ー and the iteration marks ゝゞヽヾ included; ・ is punctuation)."""
    if len(ch) != 1:
        return False
    o = ord(ch)
    return 0x3041 <= o <= 0x3096 or 0x309D <= o <= 0x309F or 0x30A1 <= o <= 0x30FA or 0x30FC <= o <= 0x30FF \
        or 0x31F0 <= o <= 0x31FF


def is_japanese_letter(ch: str) -> bool:
    """Kana, kanji, 々 〆 〇."""
    return is_kana(ch) or is_hanzi(ch) or ch in "々〆〇"


def jis_class(ch: str) -> str:
    """``kana``, ``jis1`` (JIS X 0208 level-1 kanji, EUC-JP lead bytes B0-CF), ``jis2`` (D0-F4)
    or ``kanji`` (any other)."""
    if is_kana(ch):
        return "kana"
    c = _cell(ch, "euc_jp")
    if c is None:
        return "kanji"
    lead = c >> 8
    return "jis1" if 0xB0 <= lead <= 0xCF else "jis2" if 0xD0 <= lead <= 0xF4 else "kanji"


def sudachi_available() -> bool:
    """Whether sudachipy and its core dictionary import (and ``CLEAN_SLIDES_NO_SUDACHI`` is unset)."""
    if os.environ.get(NO_SUDACHI, "") not in ("", "0"):
        return False
    try:
        import sudachidict_core  # noqa: F401
        import sudachipy  # noqa: F401
    except ImportError:
        return False
    return True


_TOKENIZERS: dict[int, object] = {}  # process id -> sudachi tokenizer (never pickled)


def _tokenizer():
    pid = os.getpid()
    tok = _TOKENIZERS.get(pid)
    if tok is None:
        from sudachipy import Dictionary

        _TOKENIZERS.clear()
        d = Dictionary(dict="core")
        make = getattr(d, "tokenizer", None) or d.create  # sudachipy 0.7 renamed create()
        tok = _TOKENIZERS[pid] = make()
    return tok


class JapaneseLM(CharNgramLM):
    def __init__(self, *args, sudachi: bool = True, **kw):
        super().__init__(*args, **kw)
        self.has_morphology = bool(sudachi)
        self.analyses_text = self.has_morphology  # sudachi analyses a run with its punctuation
        # the trigram alone orders kana well but not well enough to rewrite a text on its own:
        # without sudachi a run with several readings is quarantined, naming the ja extra
        self.chooses_readings = self.has_morphology
        self._segments: dict[tuple[str, bool], tuple[float, bool]] = {}

    def __reduce__(self):  # a worker reloads the model (and builds its own tokenizer)
        return load_japanese_lm, (self.has_morphology,)

    def segment(self, word: str, word_start: bool = False) -> tuple[float, bool]:
        """sudachi's best analysis of a run of letters: (minus its path cost in nats, whether it
        is well formed: no out-of-vocabulary morpheme and, with ``word_start``, no particle,
        auxiliary or suffix opening it). (0.0, True) without sudachi."""
        if not self.has_morphology or not word:
            return 0.0, True
        key = (word, word_start)
        hit = self._segments.get(key)
        if hit is None:
            ms = _tokenizer().tokenize(word)
            good = not any(m.is_oov() for m in ms)
            if word_start and len(ms) and ms[0].part_of_speech()[0] in NOT_FIRST:
                good = False
            if len(self._segments) >= SEGMENT_MEMO:
                self._segments.clear()
            hit = self._segments[key] = (-ms.get_internal_cost() * SUDACHI_SCALE, good)
        return hit


@lru_cache(maxsize=2)
def _load(sudachi: bool) -> JapaneseLM:
    data = load_json("japanese_lm.json")
    return JapaneseLM.from_file(rules_path(data["ngrams"]), data["alphabet"], data["order"], floors=data["floors"],
                                classify=jis_class, is_letter=is_japanese_letter, language="ja", sudachi=sudachi)


def load_japanese_lm(sudachi: bool | None = None) -> JapaneseLM:
    """The model, loaded once per process. ``sudachi``: None uses sudachi when it imports (and
    ``CLEAN_SLIDES_NO_SUDACHI`` is unset); False never; True requires it (ImportError if missing)."""
    if sudachi is None:
        sudachi = sudachi_available()
    elif sudachi:
        import sudachidict_core  # noqa: F401
        import sudachipy  # noqa: F401
    return _load(bool(sudachi))
