"""The language model that reads each collection's text, by language tag (interim: Korean only
until the Japanese and Chinese models land)."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=8)
def load_language_model(language: str):
    if language == "ko":
        from pipeline.models.korean_lm import load_korean_lm

        return load_korean_lm()
    import importlib
    import os

    standin = os.environ.get("CLEAN_SLIDES_STANDIN_LM")
    if standin:
        return importlib.import_module(standin).load(language)
    raise LookupError(f"no language model for {language!r}")
