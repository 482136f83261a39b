"""Notes reader, paper titles on slides, title matching and slide-to-section alignment."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from click.testing import CliRunner

import pipeline
from paths import SEED_DECK, SHARED
from pipeline.cli import main
from pipeline.read.notes import load_notes, read_notes
from pipeline.align.title_match import title_score

NOTES = """---
title: "리뷰"
tags: [ml]
---
발표 소개 문단.

# 첫 번째 발표
## NLP
### BERT
<p>HTML <b>조각</b></p>
[paper link](https://arxiv.org/abs/1810.04805) 와 ![그림](img.png)
- 목록 항목
#### 세부
세부 내용
## Vision
본문
"""


def test_notes_reader_sections_paths_links():
    n = read_notes(NOTES, "n.md")
    assert [(s.heading, s.level, s.path) for s in n.sections] == [
        ("", 0, ()), ("첫 번째 발표", 1, ("첫 번째 발표",)), ("NLP", 2, ("첫 번째 발표", "NLP")),
        ("BERT", 3, ("첫 번째 발표", "NLP", "BERT")), ("세부", 4, ("첫 번째 발표", "NLP", "BERT", "세부")),
        ("Vision", 2, ("첫 번째 발표", "Vision"))]
    bert = n.sections[3]
    assert bert.arxiv == ["1810.04805"] and "https://arxiv.org/abs/1810.04805" in bert.links
    assert "paper link" in bert.body and "그림" in bert.body and "<b>" not in bert.body
    assert n.sections[0].body == "발표 소개 문단."


def test_setext_headings_count_and_code_comments_do_not():
    text = ("소개\n음성 인식 리뷰\n==========\n본문 [논문](https://arxiv.org/abs/1811.06621)\n"
            "```python\n# 모델 불러오기\nx = 1\n```\n---\n"
            "Streaming E2E ASR\n-----------------\n- 항목\n---\n끝")
    n = read_notes(text, "n.md")
    assert [(s.heading, s.level, s.path) for s in n.sections] == [
        ("", 0, ()), ("음성 인식 리뷰", 1, ("음성 인식 리뷰",)),
        ("Streaming E2E ASR", 2, ("음성 인식 리뷰", "Streaming E2E ASR"))]
    assert n.sections[1].arxiv == ["1811.06621"] and "# 모델 불러오기" in n.sections[1].body
    assert n.sections[1].body.endswith("```\n---")  # a rule under a code fence is not a heading
    assert "==" not in n.sections[1].body and n.sections[2].body == "- 항목\n---\n끝"


def test_notes_without_headings_are_one_section():
    n = read_notes("그냥 글입니다.\n둘째 줄.", "plain.txt")
    assert len(n.sections) == 1 and n.sections[0].heading == "" and "둘째 줄" in n.sections[0].body


def test_transcripts_and_the_deck_itself_are_not_notes(shared):
    notes = load_notes([SHARED / "seeds"], exclude=[SEED_DECK])
    assert SEED_DECK.name not in {n.name for n in notes} and len(notes) == 4
    assert SEED_DECK.name not in {n.name for n in load_notes([SHARED / "seeds"])}  # told apart anyway


@pytest.mark.parametrize("title, heading, method", [
    ("BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding", "BERT", "short-name"),
    ("The Evolved Transformer", "Evolved Transformet", "fuzzy"),
    ("LoRA: Low-Rank Adaptation of Large Language Models", "로우 랭크 어댑테이션 오브 대형 랭귀지 모델", "transliteration"),
    ("Streaming End-to-End Speech Recognition for Mobile Devices",
     "스트리밍 엔드 투 엔드 스피치 인식 포 모바일 디바이스", "transliteration"),
    ("Generative Adversarial Networks", "GAN", "acronym"),
    ("Attention Is All You Need", "attention is all you need!", "exact"),
])
def test_title_matching(title, heading, method):
    score, how = title_score(title, heading)
    assert how == method and score >= 0.8


def test_unrelated_headings_score_low():
    for heading in ("Vision", "정리", "Speech Generation", "1회차: ViT"):
        assert title_score("Streaming End-to-End Speech Recognition for Mobile Devices", heading)[0] < 0.5


def test_one_word_names_a_short_heading_not_a_long_one():
    assert title_score("ResNet", "ResNet 리뷰") == (0.85, "contained")
    assert title_score("스트리밍", "스트리밍 엔드 투 엔드 스피치 인식")[0] < 0.8  # a word of a longer title
    assert title_score("DESP12", "DESP12: Deep Sparse Networks for Speech")[1] == "short-name"


def test_seed_alignment(shared, tmp_path):
    out = tmp_path / "out.jsonl"
    res = CliRunner().invoke(main, [str(SEED_DECK), "-o", str(out), "--notes", str(SHARED / "seeds"), "--summary"])
    assert res.exit_code == 0, res.output
    score = subprocess.run([sys.executable, str(SHARED / "eval" / "score_alignment.py"), str(out),
                            str(SHARED / "eval" / "001_c3ad37fb450c9d94.alignment.json")],
                           capture_output=True, text=True, check=True).stdout
    print("seed alignment:", score.strip())
    fields = dict(re.findall(r"(\w+)=([\d.]+)", score))
    assert (fields["correct"], fields["to_distractors"], fields["wrong"]) == ("50", "0", "0")
    recs = {r["slide"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    for n in [*range(1, 9), 59]:  # no paper section (the notes' untitled introduction is allowed)
        assert recs[n]["alignment"] is None or recs[n]["alignment"]["section"] == ""
    summary = json.loads(res.stderr.strip().splitlines()[-1])
    assert "000_01a281d0afb4a851.txt: AllReduce Distributed Learning" in summary["sections_without_slides"]
    assert all(0 <= r["alignment"]["score"] <= 1 for r in recs.values() if r["alignment"])


def test_library_takes_name_text_pairs_and_reports_papers():
    from paper_deck import NOTES, PAPERS

    d = pipeline.clean_deck(PAPERS, name="d", notes=NOTES)
    got = {s.number: (s.alignment or {}).get("section") for s in d.slides}
    assert got[1] is None
    assert [got[i] for i in range(2, 5)] == ["ResNet 리뷰"] * 3
    assert [got[i] for i in range(5, 8)] == ["아담"] * 3
    assert d.slides[2].papers == ["ResNet"]


def test_speaker_script_notes_align_slide_by_slide():
    deck = "Transcript\n  1. 오늘의 발표 소개 목차\n  2. 데이터 수집 방법 크롤링\n  3. 모델 학습 과정 튜닝\n"
    script = "# 대본\n## 오늘의 발표 소개\n인사\n## 데이터 수집 방법\n크롤링\n## 모델 학습 과정\n튜닝\n"
    d = pipeline.clean_deck(deck, name="d", notes=[("script.md", script)])
    assert [s.alignment["section"] for s in d.slides] == ["오늘의 발표 소개", "데이터 수집 방법", "모델 학습 과정"]
