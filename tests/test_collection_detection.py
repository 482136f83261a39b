"""Which CID collection explains a deck (``bench/collection_detection.py``): on the decks the
simulator garbles from the project's own text in all four languages, and on clean decks,
the choice is the truth, every time; so it is on the real Japanese pages (when
``../shared`` is there: each chooses adobe-japan1).

``pytest -s`` prints the bench's confusion tables.
"""

from __future__ import annotations

import importlib.util
import sys

import pytest

from paths import ROOT


def bench():
    name = "collection_detection_bench"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / "collection_detection.py")
        mod = importlib.util.module_from_spec(spec)
        sys.modules[name] = mod  # dataclasses look their module up
        spec.loader.exec_module(mod)
    return sys.modules[name]


def test_the_simulated_set_covers_every_collection_and_clean_decks():
    decks = bench().simulated_decks()
    truths = {truth for _name, _lang, truth, _text, _config in decks}
    assert truths == {"adobe-korea1", "adobe-japan1", "adobe-gb1", "adobe-cns1", "leave"}
    names = [name for name, *_ in decks]
    assert len(names) == len(set(names)) and len(decks) >= 200
    assert any(":short1:" in n for n in names) and any("guard:" in n for n in names)


def test_every_simulated_deck_chooses_its_collection():
    b = bench()
    rows = b.run_simulated()
    b.report("simulated decks", rows, verbose=True)
    wrong = [(r.name, r.truth, r.detected, r.stepped) for r in rows if r.wrong]
    assert wrong == []


def test_every_real_japanese_page_chooses_adobe_japan1():
    b = bench()
    if not b.DECKS_JA.is_dir():
        pytest.skip(f"no Japanese dev corpus at {b.DECKS_JA}")
    rows = b.run_real()
    b.report("real Japanese pages", rows, verbose=True)
    assert len(rows) == 11
    assert [(r.name, r.detected, r.stepped) for r in rows if r.wrong] == []
