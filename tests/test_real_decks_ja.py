"""Real garbled Japanese deck pages (../shared/devcorpus/decks_ja, Adobe-Japan1): the
published figures are the measured ones.

Runs ``bench/real_decks.py`` on the Japanese corpus (``pipeline.clean_deck`` with the default
configuration, scored with ``pipeline.evaluate``) when it is beside the checkout: every page
reads into its number of slides, no output holds a Hangul syllable (a Japanese page read
as Korean would), and every deck's exact slides and repair rate are its row of the table
"Real Japanese decks" in ``docs/measurements.md``, exactly (a change either way means the
table is out of date).
"""

from __future__ import annotations

import importlib.util
import sys

import pytest

from paths import ROOT, SHARED, published_deck_figures

DECKS_JA = SHARED / "devcorpus" / "decks_ja"
pytestmark = pytest.mark.skipif(not DECKS_JA.is_dir(), reason=f"no Japanese dev corpus at {DECKS_JA}")


def bench():
    spec = importlib.util.spec_from_file_location("real_decks_ja_bench", ROOT / "bench" / "real_decks.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


def test_every_real_japanese_deck_scores_what_the_table_says():
    b = bench()
    records: dict[str, list[dict]] = {}
    scores = b.run(corpus_name="ja", records=records)
    figures = published_deck_figures("real-decks-ja")
    assert len(scores) == 11
    assert set(figures) == set(scores), "the table lists every deck of the Japanese dev corpus"
    for deck, s in scores.items():
        assert s.read == s.slides == figures[deck][0], f"{deck}: read {s.read} slides, expected {s.slides}"
    hangul = {deck: b.hangul_syllables(recs) for deck, recs in records.items()}
    assert hangul == dict.fromkeys(scores, 0), "no Hangul syllable in the output of a Japanese page"
    for deck, s in scores.items():
        _slides, exact, rate = figures[deck]
        assert s.exact == exact and round(s.rate, 4) == rate, f"{deck}: {s.exact} exact, rate {s.rate:.4f}"
    total = sum(scores.values(), type(next(iter(scores.values())))())
    print(f"real Japanese decks: {total.slides} slides, {total.exact} exact, repair rate {total.rate:.4f}")
