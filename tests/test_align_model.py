"""The alignment's sequence model and its evidence, on decks and notes written here.

The step probabilities are learnt per deck and notes (EM), so a script, a recap that gives
several slides one section and a recap that skips slides each teach the model their own
pattern; the evidence is read under the words (spaces, identifiers); the notes are a tree; the
unit that covers the deck is the one whose likelihood beats "no notes"."""

from __future__ import annotations

import numpy as np
import pytest

import pipeline
from pipeline.align.aligner import Aligner
from pipeline.align.content_match import features
from pipeline.align.sequence import SectionChain
from pipeline.read.notes import read_notes

START = dict(next=0.3, same=0.4, skip=0.1, back=0.05, none=0.15)
PRIOR = dict(next=1.0, same=1.0, skip=0.5, back=0.3, none=0.5)


def fit(evidence, coupled=None):
    return SectionChain(len(evidence[0]), START, 0.7).fit(np.array(evidence, dtype=float), PRIOR, 5, coupled)


def strong(m: int, j: int, nats: float = 8.0) -> list[float]:
    row = [-4.0] * m
    row[j] = nats
    return row


def test_em_learns_one_slide_one_section_from_a_script():
    got = fit([strong(6, j) for j in range(6)])
    assert got.path == list(range(6))
    assert got.steps["next"] > 0.5 > got.steps["same"]


def test_em_learns_many_slides_one_section_from_a_recap():
    got = fit([strong(3, j) for j in (0, 0, 0, 1, 1, 1, 2, 2, 2)])
    assert got.path == [0, 0, 0, 1, 1, 1, 2, 2, 2]
    assert got.steps["same"] > got.steps["next"]


def test_em_learns_that_a_recap_skips():
    got = fit([strong(12, j) for j in (0, 3, 6, 9)])
    assert got.path == [0, 3, 6, 9]
    assert got.steps["skip"] > START["skip"]


def test_a_slide_no_section_speaks_for_is_none_and_weak_evidence_follows_the_chain():
    got = fit([strong(3, 0), [-4.0, -4.0, -4.0], strong(3, 1), [-4.0, 0.5, -4.0], strong(3, 1)])
    assert got.path == [0, None, 1, 1, 1]  # the weak slide between two of section 1 stays with it
    assert got.log_evidence > 0
    nothing = fit([[-3.0, -3.0]] * 4)
    assert nothing.path == [None] * 4 and nothing.log_evidence < 0  # worse than no notes at all


def test_within_a_paper_run_a_slide_keeps_its_neighbours_section():
    evidence = [strong(3, 0)] * 4 + [strong(3, 1), strong(3, 1), [-4.0, -3.0, -4.0], strong(3, 1)] + [strong(3, 2)] * 4
    free = fit(evidence)
    run = fit(evidence, coupled=[False, True, True, True] * 3)  # three papers, four slides each
    assert free.path[6] is None and run.path[6] == 1
    assert run.coupled_steps["same"] > run.steps["same"]


def test_the_posterior_is_a_probability_of_the_chosen_section():
    got = fit([strong(2, 0), [0.2, 0.0], strong(2, 1)])
    assert all(0.0 <= p <= 1.0 for p in got.posterior)
    assert got.posterior[0] > 0.99 and got.posterior[1] < got.posterior[0]


def test_features_ignore_spacing_and_split_identifiers():
    assert features("FE인프라TF 공통서버") == features("FE 인프라 TF 공통 서버")
    assert features("DataStream") == features("Data Stream")
    assert "datastream" in features("datastream")


SCRIPT = """# 사내 배포 발표 대본

## 슬라이드 1 — 표지
안녕하세요, 오늘은 사내 배포 도구를 새로 만든 이야기를 하겠습니다.

## 슬라이드 2 — 배경
예전에는 배포에 사십 분이 걸렸고 금요일에는 배포를 하지 않았습니다.

## 슬라이드 3 — 새 구조
FE 인프라 TF가 공통 서버를 개선하고 빠른 롤백을 만들었습니다.

## 슬라이드 4 — 결과
배포 시간이 육 분으로 줄었고 장애도 줄었습니다.
"""
DECK = ("Transcript\n  1. 사내 배포 발표 표지 오늘은 사내 배포 도구 이야기\n"
        "  2. 배경 배포에 사십 분 금요일에는 배포 금지\n"
        "  3. 새 구조 FE인프라TF 공통서버 개선 빠른롤백\n"
        "  4. 결과 배포 시간 육 분 장애 감소\n")


def sections(deck: str, notes: list) -> list[str | None]:
    return [(s.alignment or {}).get("section") for s in pipeline.clean_deck(deck, name="d.txt", notes=notes).slides]


def test_a_document_title_above_the_slides_takes_no_slide_and_shifts_nothing():
    got = sections(DECK, [("script.md", SCRIPT)])
    assert got == ["슬라이드 1 — 표지", "슬라이드 2 — 배경", "슬라이드 3 — 새 구조", "슬라이드 4 — 결과"]


def test_a_heading_with_no_text_above_parts_is_a_parent():
    notes = read_notes(SCRIPT, "script.md")
    aligner = Aligner([notes])
    headings = [aligner.sections[sid].heading for unit in aligner.units for sid in unit]
    assert "사내 배포 발표 대본" not in headings and "슬라이드 1 — 표지" in headings


def test_an_image_only_slide_and_a_thanks_slide_take_no_section():
    deck = DECK.replace("  4. 결과", "  4. View Slide\n  5. 결과") + "  6. 감사합니다 질문 받겠습니다\n"
    got = sections(deck, [("script.md", SCRIPT)])
    assert got[3] is None and got[5] is None
    assert got[4] == "슬라이드 4 — 결과"


RECAP = """# 밋업 후기

## 배경
예전에는 배포에 사십 분이 걸렸고 금요일에는 배포를 하지 않았다고 한다.

## 결과
배포 시간이 육 분으로 줄었고 장애도 줄었다는 숫자가 인상적이었다.
"""


def test_a_recap_that_skips_a_slide_leaves_it_out():
    got = sections(DECK, [("recap.md", RECAP)])
    assert got[1] == "배경" and got[3] == "결과"
    assert got[2] is None  # the new structure is not in the recap: no lexically closest guess


DAY = """# 컨퍼런스 하루 기록

## 첫 번째 발표: 모바일 앱 시작 시간 줄이기
### 측정부터
콜드 스타트를 측정하고 스플래시 화면을 줄였다.
### 지연 초기화
필요할 때만 모듈을 불러오게 바꿨다.

## 두 번째 발표: 사내 배포 도구
### 배포가 느렸던 시절
배포에 사십 분이 걸렸고 금요일에는 배포를 하지 않았다.
### 새 구조와 결과
FE 인프라 TF가 공통 서버를 개선했고 배포 시간이 육 분으로 줄었다.

## 세 번째 발표: 배치를 스트리밍으로
### Kafka와 Flink
밤마다 돌던 배치를 스트리밍으로 옮겼다.
### 정확히 한 번
체크포인트와 트랜잭션으로 중복을 막았다.
"""


def test_the_talk_of_a_day_of_notes_that_covers_the_deck_is_chosen():
    deck = pipeline.clean_deck(DECK, name="d.txt", notes=[("day.md", DAY)])
    talk = [s for s in read_notes(DAY, "day.md").sections if s.path[:2] == ("컨퍼런스 하루 기록", "두 번째 발표: 사내 배포 도구")]
    own = {s.heading for s in talk}
    got = [s.alignment for s in deck.slides if s.alignment]
    assert len(got) >= 3 and all(a["section"] in own for a in got)


def test_notes_about_another_talk_take_no_slide():
    other = "# 관측 가능성 후기\n## 로그 수집\nLoki로 로그를 모으고 Grafana로 본다.\n## 알림\n알림 규칙을 다시 썼다.\n"
    assert sections(DECK, [("other.md", other)]) == [None] * 4


PAPERS = ("Transcript\n  1. Sparse Mixture Routing for Speech: Motivation 음성 모델이 너무 크다\n"
          "  2. SMRS Model 전문가 라우팅\n  3. SMRS Result 지연 시간 감소\n")
PAPER_NOTES = ("## 음성\n### Sparse Mixture Routing for Speech\n전문가 라우팅을 쓴 음성 모델.\n"
               "#### 실험\n지연 시간이 줄었다.\n## 비전\n### 다른 논문\n이미지 분류.\n")


def test_a_paper_heading_takes_its_parts():
    got = sections(PAPERS, [("papers.md", PAPER_NOTES)])
    assert got == ["Sparse Mixture Routing for Speech"] * 3  # not the sub-heading 실험


@pytest.mark.parametrize("notes_text", [SCRIPT, RECAP, DAY])
def test_alignment_is_deterministic(notes_text):
    first = pipeline.clean_deck(DECK, name="d.txt", notes=[("n.md", notes_text)]).records()
    again = pipeline.clean_deck(DECK, name="d.txt", notes=[("n.md", notes_text)]).records()
    assert first == again


def test_a_review_whose_papers_each_have_a_notes_file_follows_each_file():
    """The sample review's notes split into one file per paper, the sample distractors beside
    them: each paper's slides go to its own file's section, none to a distractor."""
    import json
    import re

    from paths import ROOT

    text = (ROOT / "samples" / "notes" / "talk_transformers_ko.notes.md").read_text(encoding="utf-8")
    files = [(f"paper{k}.md", part) for k, part in enumerate(re.split(r"(?m)^(?=### )", text)) if part.startswith("### ")]
    distractors = sorted((ROOT / "samples" / "notes").glob("distractor_*.md"))
    deck = pipeline.clean_deck((ROOT / "samples" / "talk_transformers_ko.txt").read_text(encoding="utf-8"),
                               name="talk_transformers_ko.txt", notes=files + distractors)
    gold = json.loads((ROOT / "samples" / "golden_alignment.json").read_text(encoding="utf-8"))["talk_transformers_ko.txt"]
    want = {n: sec["section"] for sec in gold["sections"][:4] for n in range(sec["slides"][0], sec["slides"][1] + 1)}
    got = {s.number: s.alignment for s in deck.slides if s.alignment}
    assert all(got.get(n, {}).get("section") == section for n, section in want.items())
    assert len({got[n]["notes"] for n in want}) == 4  # four files followed in turn
    assert not any(a["notes"].startswith("distractor") for a in got.values())


def test_simulated_talks_of_every_kind_align_and_never_to_the_distractor():
    """``bench/align_kinds_sim.py`` on eight generated talks: a script, a recap, a day of notes
    and a plain-text recap of each, another talk's notes beside them."""
    import importlib.util
    import sys

    from paths import ROOT

    spec = importlib.util.spec_from_file_location("align_kinds_sim", ROOT / "bench" / "align_kinds_sim.py")
    sim = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = sim
    spec.loader.exec_module(sim)
    for kind, score in sim.run(8, 1).items():
        print(kind, dict(score))
        assert score["to_distractor"] == 0
        assert score["right"] >= 0.85 * score["slides"], kind


def test_a_store_of_thousands_of_sections_in_one_file_is_read_as_what_the_deck_reaches():
    """3,000 sections in one notes file (``bench/align_scale.py``'s corpus joined): the chain
    holds at most ``max_states`` of them, and the paper slides still find their sections."""
    import importlib.util
    import sys

    from paths import ROOT

    spec = importlib.util.spec_from_file_location("align_scale", ROOT / "bench" / "align_scale.py")
    scale = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = scale
    spec.loader.exec_module(scale)
    decks, notes, truth = scale.corpus(6, 3000)
    store = read_notes("\n".join(text for _name, text in notes), "store.md")
    aligner = Aligner([store])
    assert len(aligner.units[0]) > aligner.params.max_states
    right = total = 0
    for (text, name), want in zip(decks, truth):
        deck = pipeline.clean_deck(text, name=name, aligner=aligner)
        for s in deck.slides:
            total += 1
            right += (s.alignment or {}).get("section") == want[s.number]
    print(f"{right}/{total} slides right")
    assert right >= 0.75 * total


def test_japanese_slides_align_with_japanese_notes():
    deck = ("Transcript\n  1. 型チェックの導入 TypeScriptで型を書く\n  2. テストの自動化 毎回のビルドで実行する\n"
            "  3. ご清聴ありがとうございました\n")
    notes = ("# 勉強会メモ\n## 型チェックの導入\nTypeScriptの型チェックを全体に入れた話。\n"
             "## テストの自動化\nビルドのたびにテストを実行するようにした。\n")
    assert sections(deck, [("memo.md", notes)]) == ["型チェックの導入", "テストの自動化", None]
