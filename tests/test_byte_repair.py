"""The bytes step's decision (pipeline/repair/byte_repair.py): one page per text, the forward
check, whole words. Text written for this test, garbled by the project's code-page table."""

from __future__ import annotations

import re

from pipeline.deck import Deck, Repair, Slide
from pipeline.models import codepages
from pipeline.models.hangul import HANGUL
from pipeline.repair.byte_repair import ByteRepair, forward_ok, outermost

LOST = "\ufffd"


def _garble(text: str, rule: str) -> str:
    return codepages.garble(text, codepages.parse_chain(rule))


def test_a_reading_that_does_not_garble_back_is_not_accepted():
    before = _garble("자료", "utf-8>cp1252/dropped")
    assert forward_ok(Repair("utf-8>cp1252+lattice", 0, len(before), before, "자료"))
    assert not forward_ok(Repair("utf-8>cp1252+lattice", 0, len(before), before, "자로"))


def test_lost_pairs_under_a_single_byte_page_are_checked_through_the_cp949_reader():
    before = _garble("필요합니다", "cp949>cp1253/c1|utf-8>cp949/qmark")
    assert "?" in before
    assert forward_ok(Repair("utf-8>cp1253+lattice", 0, len(before), before, "필요합니다"))


def test_the_page_is_what_the_text_was_shown_through_last():
    r = Repair("utf-8>cp1252|cp949>latin-1", 0, 2, "ab", "가")
    assert outermost(r) == "cp1252"
    ftfy_r = Repair("ftfy", 0, 2, "ab", "가", plan=[["encode", "sloppy-windows-1252"], ["decode", "utf-8"]])
    assert outermost(ftfy_r) == "cp1252"


def _clean(text: str, **params) -> Slide:
    slide = Slide("d", 1, text)
    ByteRepair(params or None)(Deck("d", [slide]))
    return slide


def test_a_line_shown_through_another_page_keeps_it_only_when_its_evidence_is_apart():
    lines = [_garble("오늘 발표 자료를 공유합니다", "utf-8>cp1252/c1"),
             _garble("설명 자료", "cp949>cp1253/c1")]
    text = "\n".join(lines)
    assert _clean(text).text() == "오늘 발표 자료를 공유합니다\n설명 자료"
    # with more evidence asked of a line than it has, its own page's readings are withdrawn
    held = _clean(text, min_line_evidence=50)
    assert held.text().split("\n")[1] == lines[1]


def test_no_korean_word_comes_out_half_mended():
    """UTF-8 through latin-1 with its C1 bytes stripped: 설명 keeps enough bytes to be read,
    자료를 and 공유합니다 do not, and are quarantined whole, never part-read."""
    text = _garble("오늘 설명 자료를 공유합니다", "utf-8>latin-1+controls-stripped")
    slide = _clean(text)
    out = slide.text()
    assert "설명" in out and slide.quarantine
    for word in re.findall(r"[^\x00-\x7f]+", out):
        assert not (HANGUL.search(word) and LOST in word), word
    for q in slide.quarantine:  # each quarantine is a whole word of the raw text
        assert (q.start == 0 or text[q.start - 1] == " ") and (q.end == len(text) or text[q.end] == " ")
