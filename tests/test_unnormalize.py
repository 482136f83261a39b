"""Undoing normalization damage: reordered marks, decomposed exclusions, NFD/NFKC input."""

from __future__ import annotations

import importlib.util
import unicodedata

import pytest

import pipeline
from paths import ROOT
from pipeline.models.cid_profile import load_profile
from pipeline.models.korean_lm import load_korean_lm
from pipeline.simulate import garble
from pipeline.repair.unnormalize import Unnormalizer, normalization_form


def bench():
    spec = importlib.util.spec_from_file_location("nfc_repair", ROOT / "bench" / "nfc_repair.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("word", ["세션들을", "오늘", "그런데", "만들어", "분리되어", "오프라인에서도", "오버뷰한"])
def test_damaged_words_come_back(word):
    damaged = garble(f"발표 자료를 {word} 정리했습니다")
    assert damaged != garble(f"발표 자료를 {word} 정리했습니다", nfc=False), "the example must be damaged"
    assert pipeline.clean_text(damaged)["text"] == f"발표 자료를 {word} 정리했습니다"


def test_words_run_together_use_the_beam():
    text = "커스텀뷰를만들기위한방법을정리해보겠습니다"
    damaged = garble(text)
    assert damaged != garble(text, nfc=False)
    assert pipeline.clean_text(damaged)["text"] == text


def test_exclusion_pair_reading():
    p, u = load_profile(), Unnormalizer(load_profile(), load_korean_lm())
    observed = "\u09af\u09bc\u05d8"  # NFC left U+09DF (오) as U+09AF U+09BC
    assert "".join(p.decode_char(c) for c in observed) == "어엉늘"
    assert "".join(p.decode_char(c) for c in u.best(observed).garbled) == "오늘"


@pytest.mark.parametrize("form", ["NFC", "NFD", "NFKC", "NFKD"])
def test_decks_normalized_in_any_form(form):
    lines = (ROOT / "tests" / "data" / "korean_corpus.txt").read_text(encoding="utf-8").splitlines()[:120]
    raw = [unicodedata.normalize(form, garble(x, seed=i, nfc=False)) for i, x in enumerate(lines)]
    deck = pipeline.clean_deck("\f".join(raw), name="d", config=pipeline.Config(format="plain"))
    assert deck.stats["cid"][f"normalized_{form}"] == 1
    exact = sum(s.text() == x for s, x in zip(deck.slides, lines))
    print(f"{form}: {exact}/{len(lines)} lines exact")
    assert exact == len(lines)  # 120/120 for each form, as published


def test_normalization_form():
    assert normalization_form(["abc", "가나"]) == "NFKC"
    assert normalization_form(["ｆｕｌｌ"]) == "NFC"
    assert normalization_form(["\u1100\u1161"]) == "NFKD"
    assert normalization_form(["\u00e4", "a\u0308"]) is None  # composed and decomposed: no form gives both


def test_text_that_was_not_normalized_keeps_its_order():
    """Observed order that no normalization produces is the original: nothing is reordered."""
    lines = ["분들만을 위한 세션", "있는 분들만을 위한 게 아니라서요"] * 3
    raw = [garble(x, nfc=False) for x in lines]
    assert not all(unicodedata.is_normalized("NFC", r) for r in raw)
    deck = pipeline.clean_deck("\f".join(raw), name="d", config=pipeline.Config(format="plain"))
    assert [s.text() for s in deck.slides] == lines
    assert not any(r.rule == "cid-unnormalized" for s in deck.slides for r in s.repairs)


def test_undo_normalization_can_be_turned_off():
    damaged = garble("세션들을 만들어")
    off = pipeline.clean_text(damaged, config=pipeline.Config(undo_normalization=False))
    assert off["text"] == "세들션을 들만어"


def test_every_model_decision_records_a_margin():
    rec = pipeline.clean_text(garble("오늘 이거↖ 세션들을 Compose를 시작합니다", shift_ascii=0.0) + " " +
                              garble("Compose를", shift_ascii=1.0))
    rules = {r["rule"] for r in rec["repairs"]}
    assert {"cid-hangul", "cid-unnormalized", "cid-symbol", "cid-shifted-ascii"} <= rules
    assert rec["repairs"] and all("margin" in r for r in rec["repairs"])


def test_benchmark_figures_on_the_projects_own_text():
    """582 damaged sites, 578 restored, no undamaged word changed (bench/nfc_repair.py, as published)."""
    b = bench()
    m = b.measure(b.corpus())
    print(m)
    assert (m["bytes"], m["damaged"], m["restored"], m["undamaged"], m["changed"]) == (235_552, 582, 578, 24_156, 0)


def test_a_reading_knows_its_runner_up():
    """The margin of a ``cid-unnormalized`` repair is its reading over the best rival: the
    observed text or the next reading the search kept, whichever is likelier."""
    u = Unnormalizer(load_profile(), load_korean_lm())
    damaged = garble("세션들을")
    ranked = u.readings(damaged, "NFC")
    best = u.best(damaged, "NFC")
    assert len(ranked) > 1 and best.rival == ranked[1][1] < best.logp
    rec = pipeline.clean_text(damaged)
    [r] = [r for r in rec["repairs"] if r["rule"] == "cid-unnormalized"]
    assert r["margin"] == round(best.logp - max(u.logp(damaged), best.rival), 3)
