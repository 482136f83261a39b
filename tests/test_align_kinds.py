"""Alignment with the kinds of notes people write (samples/align): a speaker's script, a talk
review saved from a web page, a day of conference notes holding several talks, and notes
about another talk that shares the vocabulary; and the real review of the dev corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import pipeline
from paths import SHARED
from pipeline.align.aligner import _content_units
from pipeline.read.notes import read_notes

ALIGN = Path(__file__).resolve().parent.parent / "samples" / "align"
GOLD = json.loads((ALIGN / "golden.json").read_text(encoding="utf-8"))
DISTRACTORS = [ALIGN.parent / "notes" / "distractor_nlp_summer_school.md",
               ALIGN.parent / "notes" / "distractor_vision_study_retro.md"]
UNRELATED = "unrelated_observability.md"
CASES = [(deck, notes) for deck, per in GOLD.items() for notes in per]
# (deck, notes file) -> F1, as the README and docs/measurements.md publish it
F1 = {("talk_deploy_ko.txt", "deploy_script.md"): 0.966, ("talk_deploy_ko.txt", "conference_day.md"): 0.963,
      ("talk_search_ko.txt", "search_review.txt"): 0.96}


def aligned(deck: str, notes: list[Path]) -> list[dict | None]:
    text = (ALIGN / deck).read_text(encoding="utf-8")
    return [s.alignment for s in pipeline.clean_deck(text, name=deck, notes=notes).slides]


def f1(pred: dict[str, str], gold: dict[str, str | None]) -> float:
    want = {k: v for k, v in gold.items() if v is not None}
    tp = sum(1 for k, v in pred.items() if want.get(k) == v)
    if not pred and not want:
        return 1.0
    precision, recall = tp / max(len(pred), 1), tp / max(len(want), 1)
    return 2 * precision * recall / max(precision + recall, 1e-9)


@pytest.mark.parametrize("deck,notes", CASES)
def test_each_kind_of_notes(deck, notes):
    """The deck with one notes file, the sample distractors (ML notes) and, where the file
    covers the deck, the notes about the other talk: F1 of slide -> section, and no slide
    to any other file."""
    gold = GOLD[deck][notes]
    files = [ALIGN / "notes" / notes] + DISTRACTORS
    if gold and notes != UNRELATED:
        files.append(ALIGN / "notes" / UNRELATED)
    got = aligned(deck, files)
    pred = {str(k + 1): a["section"] for k, a in enumerate(got) if a and a["notes"] == notes}
    elsewhere = [(k + 1, a["notes"]) for k, a in enumerate(got) if a and a["notes"] != notes]
    score = f1(pred, gold)
    print(f"{deck} with {notes}: F1 {score:.3f}, {len(pred)} aligned, elsewhere {elsewhere}")
    assert not elsewhere
    if not gold:
        assert not pred, f"{deck} aligned to notes about another talk: {pred}"
    else:
        assert round(score, 3) == F1[deck, notes]
        assert all(0.5 <= a["score"] <= 1 for a in got if a)  # a posterior, never a guess below even odds


def test_a_saved_web_page_is_read_into_its_parts():
    text = (ALIGN / "notes" / "search_review.txt").read_text(encoding="utf-8")
    heads = [s.heading for s in read_notes(text, "r.txt").sections]
    wanted = {v for v in GOLD["talk_search_ko.txt"]["search_review.txt"].values() if v}
    assert wanted <= set(heads)
    assert "공유하기" not in heads and "구독하기" not in heads  # chrome lines are no headings


def test_a_file_of_several_talks_is_split_per_talk():
    text = (ALIGN / "notes" / "conference_day.md").read_text(encoding="utf-8")
    notes = read_notes(text, "c.md")
    units = _content_units(notes, list(range(len(notes.sections))))
    assert units[0] == list(range(len(notes.sections)))  # the whole file is a unit too: the model chooses
    talks = [u for u in units[1:] if len(u) > 1]  # and the closing remarks, a part of their own
    assert len(talks) == 3
    for unit in talks:  # each unit is one talk: its ## heading and the ### under it
        top = notes.sections[unit[0]]
        assert top.level == 2 and all(notes.sections[s].path[:2] == top.path for s in unit)


def test_a_script_without_paper_titles_uses_headings_and_content():
    deck = "Transcript\n  1. 오늘의 발표 소개 목차\n  2. 데이터 수집 방법 크롤링\n  3. 모델 학습 과정 튜닝\n"
    script = ("# 대본\n## 오늘의 발표 소개\n인사와 목차 소개\n## 데이터 수집 방법\n크롤링으로 모은 데이터\n"
              "## 모델 학습 과정\n학습과 튜닝\n")
    d = pipeline.clean_deck(deck, name="d", notes=[("script.md", script)])
    assert [s.alignment["section"] for s in d.slides] == ["오늘의 발표 소개", "데이터 수집 방법", "모델 학습 과정"]


MEDIA3 = ["workspace93_jetpack-media3.txt", "workspace93_jetpack-media3_mirror.txt",
          "workspace93_jetpack-media3_player.txt"]


@pytest.mark.parametrize("crawl", MEDIA3)
def test_the_real_review_aligns_each_crawl(crawl, shared):
    """A real blog post summarising the Media3 talk, a saved web page, against the three
    crawls of the deck, the seed notes offered as distractors: the slides on the early days
    of streaming go to its first part, the DASH slides to its DASH part, nothing to the
    seed notes."""
    review = shared / "devcorpus" / "decks" / "clean" / "workspace93_jetpack-media3_blog-androidpangyo.txt"
    text = (shared / "devcorpus" / "decks" / "raw" / crawl).read_text(encoding="utf-8")
    deck = pipeline.clean_deck(text, name=crawl, notes=[review, shared / "seeds"])
    sections = read_notes(review.read_text(encoding="utf-8"), review.name).sections
    heads = [s.heading for s in sections]
    early = next(h for h in heads if h.startswith("이전"))
    dash = next(h for h in heads if h == "DASH")
    history = [s for s in deck.slides if s.text().startswith(("아주 먼 옛날", "당시의 스트리밍"))]
    dash_slides = [s for s in deck.slides if s.text().startswith("DASH")]
    assert history  # (the page's excerpt ends before the DASH slides)
    print(crawl, [(s.number, (s.alignment or {}).get("section")) for s in deck.slides])
    assert all(s.alignment and s.alignment["section"] == early for s in history)
    assert all(s.alignment and s.alignment["section"] == dash for s in dash_slides)
    assert all(s.alignment["notes"] == review.name for s in deck.slides if s.alignment)


def test_a_review_saved_as_html_aligns_like_its_text(tmp_path):
    """The same review as an HTML page (headings as <h2>, chrome in <nav> and <footer>) is
    read into the same parts and aligns the same slides."""
    from html import escape

    text = (ALIGN / "notes" / "search_review.txt").read_text(encoding="utf-8")
    parts = read_notes(text, "r.txt").sections
    body = "".join(f"<h2>{escape(s.heading)}</h2>" * bool(s.heading)
                   + "".join(f"<p>{escape(p)}</p>" for p in s.body.split("\n") if p.strip()) for s in parts)
    page = (f"<!DOCTYPE html><html><head><title>후기</title><script>var x = '<h2>no</h2>';</script></head>"
            f"<body><nav><ul><li>홈</li><li>태그</li></ul></nav><article>{body}</article>"
            f"<footer><h3>관련 글</h3><p>다른 글</p></footer></body></html>")
    (tmp_path / "search_review.html").write_text(page, encoding="utf-8")
    html_heads = [s.heading for s in read_notes(page, "r.html").sections if s.heading]
    assert html_heads == [s.heading for s in parts if s.heading] and "관련 글" not in html_heads
    got = aligned("talk_search_ko.txt", [tmp_path / "search_review.html"] + DISTRACTORS)
    pred = {str(k + 1): a["section"] for k, a in enumerate(got) if a}
    assert round(f1(pred, GOLD["talk_search_ko.txt"]["search_review.txt"]), 3) == F1["talk_search_ko.txt", "search_review.txt"]
