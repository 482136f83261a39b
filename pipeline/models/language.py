"""One loader for the language models the CID reader uses, by the profile's language.

Every model has the same interface: ``language``, ``has_morphology``, ``is_letter(ch)``,
``logp(context, ch)``, ``extend(state, ch)`` (static), ``segment(word, word_start)``,
``score(text)`` and ``char_logp(ch)``, with ``START`` = ``^`` and ``END`` = ``$``::

    >>> [load_language_model(x).language for x in LANGUAGES]
    ['ko', 'ja', 'zh-Hans', 'zh-Hant']
    >>> ja = load_language_model("ja")
    >>> ja.is_letter("の"), ja.is_letter("ー"), ja.is_letter("々"), ja.is_letter("、")
    (True, True, True, False)
    >>> load_language_model("ko") is load_language_model("ko")
    True

Models are loaded once per process and never mutated; the Japanese model builds its sudachi
tokenizer lazily, once per process, and pickles as a reference to its loader.
"""

from __future__ import annotations

from functools import lru_cache

from pipeline.models.char_ngram import END, START  # noqa: F401

LANGUAGES = ("ko", "ja", "zh-Hans", "zh-Hant")


@lru_cache(maxsize=8)
def load_language_model(language: str):
    """The model of ``language`` (one of ``LANGUAGES``), cached per process."""
    if language == "ko":
        from pipeline.models.korean_lm import load_korean_lm

        return load_korean_lm()
    if language == "ja":
        from pipeline.models.japanese_lm import load_japanese_lm

        return load_japanese_lm()
    if language in ("zh-Hans", "zh-Hant"):
        from pipeline.models.chinese_lm import load_chinese_lm

        return load_chinese_lm(language)
    raise ValueError(f"no language model for {language!r}; known: {', '.join(LANGUAGES)}")
