"""Regression: the CLI on each bundled sample deck, compared field by field with its golden JSONL.

The golden text is the clean source the sample was garbled from (minus characters the
simulator's extractor dropped), not a copy of an earlier run's output.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from paths import ROOT, read_jsonl
from pipeline.cli import main
from pipeline.evaluate import edit_distance

SAMPLES = ROOT / "samples"
DECKS = sorted(p.name.removesuffix(".expected.jsonl") for p in SAMPLES.glob("*.expected.jsonl"))
# Damage that is undone exactly: CIDs as code points (with dropped control characters).
# Shifted Latin and symbols that land on characters decks use as themselves are judged by
# context and may stay; NFC applied while garbled is the language-model issue's job.
EXACT = {"cid", "dropped"}
# deck -> (slides exact, character accuracy 1 - edits / characters): the README's figures
FIGURES = {"talk_speech_vision_ko": (35, 0.9995), "talk_transformers_ko": (32, 0.9992)}


def run(deck: str, tmp_path: Path) -> list[dict]:
    out = tmp_path / f"{deck}.jsonl"
    res = CliRunner().invoke(main, [str(SAMPLES / f"{deck}.txt"), "-o", str(out), "--notes", str(SAMPLES / "notes")])
    assert res.exit_code == 0, res.output
    return read_jsonl(out)


def test_there_are_two_sample_decks_of_30_slides():
    assert len(DECKS) >= 2
    for deck in DECKS:
        assert len(read_jsonl(SAMPLES / f"{deck}.expected.jsonl")) >= 30


@pytest.mark.parametrize("deck", DECKS)
def test_sample_matches_golden(deck, tmp_path):
    got = run(deck, tmp_path)
    want = read_jsonl(SAMPLES / f"{deck}.expected.jsonl")
    assert [r["slide"] for r in got] == [w["slide"] for w in want]
    exact = n_edits = n_chars = 0
    for g, w in zip(got, want):
        for field in ("deck", "slide", "raw"):
            assert g[field] == w[field], (deck, w["slide"], field)
        if set(w["damage"]) <= EXACT:
            assert g["text"] == w["text"], (deck, w["slide"])
        exact += g["text"] == w["text"]
        n_edits += edit_distance(g["text"], w["text"])
        n_chars += len(w["text"])
    accuracy = 1 - n_edits / n_chars
    print(f"{deck}: {exact}/{len(want)} slides exact, character accuracy {accuracy:.4f}")
    assert (exact, round(accuracy, 4)) == FIGURES[deck]


def alignment_f1(got: list[dict], want: list[dict]) -> tuple[float, int]:
    """F1 of (slide -> notes, section) against the golden alignment, as the shared scorer counts it."""
    gold = {w["slide"]: (w["alignment"]["notes"], w["alignment"]["section"]) for w in want if w["alignment"]}
    pred = {g["slide"]: (g["alignment"]["notes"], g["alignment"]["section"]) for g in got if g["alignment"]}
    tp = sum(1 for n, v in pred.items() if gold.get(n) == v)
    precision = tp / max(len([n for n in pred if n in gold]), 1)
    recall = tp / max(len(gold), 1)
    distract = sum(1 for v in pred.values() if v[0].startswith("distractor"))
    return 2 * precision * recall / max(precision + recall, 1e-9), distract


@pytest.mark.parametrize("deck", DECKS)
def test_sample_alignment(deck, tmp_path):
    got = run(deck, tmp_path)
    want = read_jsonl(SAMPLES / f"{deck}.expected.jsonl")
    f1, distract = alignment_f1(got, want)
    wrong = [(w["slide"], g["alignment"], w["alignment"]) for g, w in zip(got, want)
             if w["alignment"] and (g["alignment"] or {}).get("section") != w["alignment"]["section"]]
    print(f"{deck}: alignment F1 {f1:.3f}, {distract} slides to distractor notes; wrong: {wrong}")
    assert distract == 0
    assert f1 == 1.0
