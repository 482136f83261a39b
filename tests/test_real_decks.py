"""Real garbled deck pages (../shared/devcorpus/decks): the published figures are the measured ones.

Runs ``bench/real_decks.py`` (which scores with ``pipeline.evaluate``) when the dev corpus
is beside the checkout, and compares every deck with its row of the table "Real decks" in
``docs/measurements.md``: slides, exact slides and the repair rate are the table's, exactly
(a change either way means the table is out of date).
"""

from __future__ import annotations

import importlib.util

import pytest

from paths import ROOT, SHARED, published_deck_figures

DECKS = SHARED / "devcorpus" / "decks"
pytestmark = pytest.mark.skipif(not DECKS.is_dir(), reason=f"no dev corpus at {DECKS}")


def test_every_real_deck_scores_what_the_table_says():
    spec = importlib.util.spec_from_file_location("real_decks", ROOT / "bench" / "real_decks.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    scores = bench.run()
    figures = published_deck_figures("real-decks")
    assert set(figures) == set(scores), "the table lists every deck of the dev corpus"
    for deck, s in scores.items():
        slides, exact, rate = figures[deck]
        assert s.read == s.slides == slides, f"{deck}: read {s.read} slides, expected {s.slides}"
        assert s.exact == exact and round(s.rate, 4) == rate, f"{deck}: {s.exact} exact, rate {s.rate:.4f}"
    total = sum(scores.values(), type(next(iter(scores.values())))())
    print(f"real decks: {total.slides} slides, {total.exact} exact, repair rate {total.rate:.4f}")


def test_cleaning_a_real_deck_again_changes_nothing():
    import pipeline
    from pipeline.clean import run_steps
    from pipeline.deck import Deck, Slide

    for raw in sorted((DECKS / "raw").glob("*.txt")):
        once = pipeline.clean_deck(raw.read_text(encoding="utf-8"), name=raw.name)
        again = run_steps(Deck(raw.name, [Slide(raw.name, s.number, s.text()) for s in once.slides]))
        for a, b in zip(once.slides, again.slides):
            assert b.text() == a.text() and not b.repairs and not b.quarantine, f"{raw.name} slide {a.number}"
