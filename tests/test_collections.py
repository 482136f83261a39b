"""Every deck is read through the CID collection that explains it, or left: the profile
choice, forcing one, garble no profile explains, and Japanese without its morphological
model. Texts are the project's own, garbled by its simulator."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import pipeline
from pipeline.cli import main
from pipeline.evaluate import read_jsonl, score_deck
from pipeline.models.cid_profile import load_profile
from pipeline.repair.collection import detect_collection
from pipeline.simulate import garble

ROOT = Path(__file__).resolve().parents[1]
JA = "本番環境にデプロイする前に、ステージングで動作を確認してください。"
ZH_HANS = "我们在生产环境中部署了新的检索模型。"
ZH_HANT = "我們在正式環境中部署了新的檢索模型。"
KO = "오늘 발표에서는 새로운 검색 모델을 소개하겠습니다"


def _hangul(text: str) -> int:
    return sum("\uac00" <= c <= "\ud7a3" for c in text)


@pytest.mark.parametrize("text, profile, rule", [
    (JA, "adobe-japan1", "cid-unnormalized"),
    (ZH_HANS, "adobe-gb1", "cid-chinese"),
    (ZH_HANT, "adobe-cns1", "cid-chinese"),
    (KO, "adobe-korea1", "cid-hangul"),
])
def test_auto_reads_each_language_through_its_own_collection(text, profile, rule):
    garbled = garble(text, profile=profile)
    assert garbled != text
    assert detect_collection([garbled]).profile == profile
    deck = pipeline.clean_deck(garbled, name="d")
    (rec,) = deck.records()
    assert rec["text"] == text and rule in {r["rule"] for r in rec["repairs"]}
    assert deck.summary()["collections"] == {profile: 1}
    again = pipeline.clean_text(rec["text"])  # idempotent: the output is clean text
    assert again["text"] == text and not again["repairs"]


def test_a_japanese_deck_never_gets_hangul():
    garbled = garble(JA, profile="adobe-japan1")
    assert _hangul(pipeline.clean_text(garbled)["text"]) == 0
    # forced through the Korean collection, it is what the user asked for (and it is nonsense)
    forced = pipeline.clean_text(garbled, config=pipeline.Config(profile="adobe-korea1"))["text"]
    assert forced != JA


def test_a_named_profile_reads_without_auto_and_a_bad_name_is_a_clear_error():
    garbled = garble(JA, profile="adobe-japan1")
    assert pipeline.clean_text(garbled, config=pipeline.Config(profile="adobe-japan1"))["text"] == JA
    with pytest.raises(ValueError, match="unknown CID profile 'adobe-japan2'.*adobe-cns1, adobe-gb1, adobe-japan1"):
        pipeline.clean_text(garbled, config=pipeline.Config(profile="adobe-japan2"))


def _unknown_order(text: str) -> str:
    """Korean set in a font whose CIDs follow no collection: Adobe-Korea1's, shuffled."""
    prof = load_profile("adobe-korea1")
    cids = sorted(c for c, cls in prof.cid_class.items() if cls == "hangul")
    shuffled = cids[:]
    random.Random(7).shuffle(shuffled)
    moved = dict(zip(cids, shuffled))
    return "".join(chr(moved[prof.cid_of(c)]) if prof.cid_of(c) in moved else c for c in text)


def test_garble_no_collection_explains_is_left_and_quarantined(tmp_path):
    raw = "\n\n".join(f"Slide {i}\n\nSlide {i} text\n\n{_unknown_order(KO)} ({i})" for i in (1, 2, 3))
    deck = pipeline.clean_deck(raw, name="d")
    assert detect_collection([s.raw for s in deck.slides]).profile is None
    for rec in deck.records():
        assert _hangul(rec["text"]) == 0 and not [r for r in rec["repairs"] if r["rule"].startswith("cid-")]
        assert {q["reason"] for q in rec["quarantine"]} == {"unknown-collection"}
    src = tmp_path / "d.txt"
    src.write_text(raw, encoding="utf-8")
    res = CliRunner().invoke(main, [str(src), "-o", str(tmp_path / "o.jsonl"), "--summary"])
    assert res.exit_code == 0
    lines = res.stderr.splitlines() if hasattr(res, "stderr") else res.output.splitlines()
    assert sum("unknown-collection" in line and "--profile" in line for line in lines) == 1
    summary = json.loads(lines[-1])
    assert summary["quarantine_reasons"]["unknown-collection"] >= 3 and summary["collections"] == {"none": 3}


def test_the_cli_forces_a_profile(tmp_path):
    src = tmp_path / "ja.txt"
    src.write_text(garble(JA, profile="adobe-japan1"), encoding="utf-8")
    out = tmp_path / "o.jsonl"
    assert CliRunner().invoke(main, [str(src), "-o", str(out), "--profile", "adobe-japan1"]).exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["text"] == JA
    bad = CliRunner().invoke(main, [str(src), "-o", str(out), "--profile", "adobe-japan9"])
    assert bad.exit_code == 2 and "adobe-japan1" in bad.output


def test_cid_tokens_are_read_through_the_collection_they_explain():
    prof = load_profile("adobe-japan1")
    tokens = "".join(f"(cid:{prof.cid_of(c)})" for c in "運用してみてどうだったか")
    assert pipeline.clean_text(tokens)["text"] == "運用してみてどうだったか"


def test_without_sudachi_japanese_with_several_readings_is_quarantined_naming_the_extra(tmp_path):
    """A fresh process with the Japanese morphological model switched off (the ja extra not
    installed): the deck is still Japanese, runs with one reading are read, the others
    quarantined, and one stderr line names the extra."""
    src = tmp_path / "ja.txt"
    src.write_text(garble(JA, profile="adobe-japan1"), encoding="utf-8")
    env = dict(os.environ, CLEAN_SLIDES_NO_SUDACHI="1")
    done = subprocess.run([sys.executable, "-m", "pipeline", str(src), "-o", str(tmp_path / "o.jsonl"), "--summary"],
                          capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)
    assert done.returncode == 0, done.stderr
    assert sum("clean-slides[ja]" in line for line in done.stderr.splitlines()) == 1
    rec = json.loads((tmp_path / "o.jsonl").read_text(encoding="utf-8"))
    assert {q["reason"] for q in rec["quarantine"]} == {"needs-language-model"}
    assert _hangul(rec["text"]) == 0
    assert all(r["after"] in JA for r in rec["repairs"] if r["rule"].startswith("cid-"))  # read right, or not at all


@pytest.mark.parametrize("deck", ["talk_observability_ja", "talk_vector_search_zh_hans", "talk_web_performance_zh_hant"])
def test_the_cjk_samples_are_recovered(deck):
    raw = (ROOT / "samples" / "cjk" / f"{deck}.txt").read_text(encoding="utf-8")
    score = score_deck(pipeline.clean_deck(raw, name=deck).records(),
                       read_jsonl(ROOT / "samples" / "cjk" / f"{deck}.expected.jsonl"))
    assert score.read == score.slides and score.rate >= 0.99


def test_latin_in_the_japanese_font_reads_its_ligature_cids_as_letters():
    """Adobe-Japan1 sets fl as one glyph (CID 113, shown ``q``): inside a piece of shifted Latin
    it is the letters, as the Latin model reads the whole piece."""
    prof = load_profile("adobe-japan1")

    def japan1_font(latin: str) -> str:
        return latin.replace("fl", "\ufb02").translate({ord(c): prof.cid_of(c) for c in set(latin) | {"\ufb02"}
                                                          if prof.cid_of(c) is not None})

    shifted = japan1_font("workflowconfig")
    assert "q" in shifted and shifted.startswith("XPSL")
    raw = garble(JA, profile="adobe-japan1") + " " + shifted
    assert pipeline.clean_text(raw)["text"] == JA + " workflowconfig"


@pytest.mark.parametrize("text", ["第15期 研修", "第1部 開発", "2024年 第15期"])
def test_clean_chinese_and_japanese_are_not_read_as_korean_mojibake(text):
    assert pipeline.clean_text(text)["text"] == text
