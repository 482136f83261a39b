"""Library entry points for ingest jobs."""

from __future__ import annotations

import pickle
from concurrent.futures import ProcessPoolExecutor

import pandas as pd
import pytest

import pipeline
from pipeline.simulate import garble

GARBLED = garble("세션을 시작하겠습니다", nfc=False)


def test_clean_text_returns_text_and_changes():
    res = pipeline.clean_text(GARBLED + " now")
    assert res["text"] == "세션을 시작하겠습니다 now"
    assert res["raw"] == GARBLED + " now"
    assert {r["rule"] for r in res["repairs"]} == {"cid-hangul"}
    assert res["quarantine"] == []


def test_clean_text_empty():
    assert pipeline.clean_text("")["text"] == ""


def test_clean_deck_records_and_notes_pairs():
    deck = pipeline.clean_deck("Transcript\n  1. " + GARBLED + "\n", name="t.txt", notes=[("n.md", "# 노트")])
    (rec,) = deck.records()
    assert rec["deck"] == "t.txt" and rec["slide"] == 1 and rec["alignment"] is None
    assert deck.summary()["characters_repaired"]["cid-hangul"] > 0


def test_clean_frame_groups_rows_by_deck():
    df = pd.DataFrame({"deck": ["a", "a", "b"], "slide": [1, 2, 1],
                       "text": [GARBLED, "plain English", None]}, index=[10, 11, 12])
    out = pipeline.clean_frame(df)
    assert list(out.index) == [10, 11, 12]
    assert list(out.columns) == ["deck", "slide", "text", "raw", "repairs", "quarantine", "papers", "alignment"]
    assert out.loc[10, "text"] == "세션을 시작하겠습니다"
    assert out.loc[11, "repairs"] == []
    assert out.loc[12, "text"] == ""


def test_clean_frame_without_deck_column_and_bad_column():
    out = pipeline.clean_frame(pd.DataFrame({"body": [GARBLED]}), column="body")
    assert out.loc[0, "text"] == "세션을 시작하겠습니다"
    with pytest.raises(KeyError, match="no column"):
        pipeline.clean_frame(pd.DataFrame({"x": [1]}))


def _work(s: str) -> str:
    return pipeline.clean_text(s)["text"]


def test_safe_in_worker_processes():
    with ProcessPoolExecutor(2) as pool:
        assert list(pool.map(_work, [GARBLED] * 4)) == ["세션을 시작하겠습니다"] * 4
    pickle.dumps(pipeline.clean_deck("x", name="d"))  # decks travel between processes


def test_repeated_calls_give_the_same_answer():
    assert pipeline.clean_text(GARBLED) == pipeline.clean_text(GARBLED)


def test_every_step_is_a_step_and_flags_do_not_add_across_chunks():
    """One base for every step; a deck longer than a chunk is cleaned in chunks whose
    counts add and whose flags (deck_garbled) do not."""
    from pipeline.clean import DECK_CHUNK, build_steps
    from pipeline.step import Step

    assert all(isinstance(step, Step) for step in build_steps(pipeline.Config()))
    slide = garble("안녕하세요 여러분 오늘 발표를 시작합니다", seed=1)
    deck = pipeline.clean_deck("\f".join([slide] * (DECK_CHUNK * 2 + 10)), name="long",
                               config=pipeline.Config(format="plain"))
    cid = deck.stats["cid"]
    assert cid["deck_garbled"] == 1 and cid["runs_decoded"] >= DECK_CHUNK * 2


def test_a_step_parameter_is_set_through_config():
    """Step parameters come from rules/steps.json and can be overridden per call; a name
    that is no parameter is an error, not a silent no-op."""
    line = "寃곌낵 = 결과"  # a log line quoted beside its translation: left as written by default
    assert pipeline.clean_text(line)["text"] == line
    eager = pipeline.Config(params={"quoted": {"share": 1.5}})  # no line can be a quotation
    assert pipeline.clean_text(line, config=eager)["text"] == "결과 = 결과"
    with pytest.raises(ValueError, match="no parameter 'sharee'"):
        pipeline.clean_text(line, config=pipeline.Config(params={"quoted": {"sharee": 1}}))
    with pytest.raises(ValueError, match="no step with parameters named nope"):
        pipeline.clean_text(line, config=pipeline.Config(params={"nope": {}}))


def test_the_cid_and_lost_bytes_thresholds_are_parameters_too():
    damaged = garble("오늘 발표를 시작합니다")
    assert pipeline.clean_text(damaged)["text"] == "오늘 발표를 시작합니다"
    strict = pipeline.Config(params={"cid": {"strong_min": 100.0, "weak_min": 100.0}})  # nothing reads as Korean
    assert pipeline.clean_text(damaged, config=strict)["text"] != "오늘 발표를 시작합니다"
    with pytest.raises(ValueError, match="lost-bytes: no parameter 'margin'"):
        pipeline.clean_text("x", config=pipeline.Config(params={"lost-bytes": {"margin": 1}}))
