"""Classic Korean mojibake: each kind undone, mixed spans, chains, lost text, and the published table (docs/measurements.md)."""

from __future__ import annotations

import importlib.util
import re
import unicodedata

import pytest

import pipeline
from paths import ROOT
from pipeline.simulate import MOJIBAKE, mojibake

TEXT = "오늘 발표 자료를 공유합니다"
LOSSY = ("utf-8-as-cp949-resaved", "utf-8-as-latin-1-c1-dropped", "utf-8-as-cp949-qmarks", "utf-8-as-cp949-qmarks-as-cp1253")
RECOVERABLE = [k for k in MOJIBAKE if k not in LOSSY]


def clean(s: str) -> dict:
    return pipeline.clean_text(s)


@pytest.mark.parametrize("kind", [k for k in RECOVERABLE if k not in ("utf-8-as-cp949", "hex-bytes")])
def test_each_kind_is_undone(kind):
    damaged = mojibake(TEXT, kind)
    assert damaged != TEXT
    res = clean(damaged)
    assert res["text"] == TEXT, (kind, damaged)
    assert res["quarantine"] == []


def test_c1_stripped_utf8_keeps_what_decodes_and_quarantines_the_rest():
    """A third of UTF-8's continuation bytes are C1 controls; stripped, a syllable that lost one
    byte is mended, one that lost two is gone: its word is quarantined, never guessed."""
    res = clean(mojibake(TEXT, "utf-8-as-latin-1-c1-dropped"))
    assert res["quarantine"] and {q["reason"] for q in res["quarantine"]} == {"lost-bytes"}
    for r in res["repairs"]:
        assert r["after"] in TEXT.split()


def test_hex_tokens_and_utf8_read_as_cp949():
    assert clean("발표 " + mojibake("자료", "hex-bytes") + " 끝")["text"] == "발표 자료 끝"
    assert clean(mojibake("결과 번역", "utf-8-as-cp949"))["text"] == "결과 번역"
    assert [q["reason"] for q in clean("<ff><fe> ok")["quarantine"]] == ["undecodable-bytes"]


def test_spans_not_documents():
    line = " / ".join([mojibake("설명", "euc-kr-as-latin-1"), "plain English", "한국어 그대로",
                       mojibake("자료", "utf-8-as-cp1252"), mojibake("결과", "utf-8-as-cp949"), "Café"])
    assert clean(line)["text"] == "설명 / plain English / 한국어 그대로 / 자료 / 결과 / Café"


def test_chain_partly_fixed_by_a_later_stage():
    """Two levels of damage, then someone fixed one level of the first word only."""
    level1 = mojibake("설명", "euc-kr-as-latin-1")
    level2 = mojibake("자료", "chain-2")
    res = clean(f"{level1} {level2}")
    assert res["text"] == "설명 자료"
    # latin-1 and cp1252 show bytes A0-FF alike; cp1252 is named first (WHATWG reads a
    # latin-1 label as windows-1252, and a UHC lead such as 0x8C needs its glyphs)
    assert {r["rule"] for r in res["repairs"]} == {"cp949>cp1252", "utf-8>cp1252|cp949>cp1252"}


def test_dropped_bytes_are_put_back_only_when_clear():
    """cp874 leaves 31 bytes undefined: most words lost two bytes a syllable and cannot be
    mended; whatever is decoded must be right (no guessing)."""
    damaged = "안녕하세요 반갑습니다 오늘 발표를 시작하겠습니다".encode("utf-8").decode("cp874", "ignore")
    res = clean(damaged)
    truth = "안녕하세요 반갑습니다 오늘 발표를 시작하겠습니다"
    assert res["repairs"] and all(r["after"] in truth for r in res["repairs"])


def test_bytes_put_back_only_when_every_page_that_could_have_dropped_them_agrees():
    """cp1252 drops 5 bytes, latin-1 without C1 controls 32: 정 mended from cp1252's five
    reads 쏠, which only looks sure because the true byte was not among its candidates."""
    truth = "## 정리 잡담 봇 설명"
    res = clean(mojibake(truth, "utf-8-as-latin-1-c1-dropped"))
    assert res["repairs"] and all(r["after"] in truth for r in res["repairs"])


def test_a_word_with_lost_text_is_quarantined_whole():
    """감사합니다 read as CP949 lost pairs to U+FFFD: 감사 decodes, the rest cannot, and a word
    is read whole or quarantined whole (never 감사 beside placeholders)."""
    partial = "감사합니다".encode("utf-8").decode("cp949", "replace")
    res = clean(f"{partial} 占쏙옙占쏙옙 문?제 \ufffd\ufffd")
    assert res["text"] == "\ufffd \ufffd 문\ufffd제 \ufffd\ufffd"
    reasons = [q["reason"] for q in res["quarantine"]]
    assert reasons == ["lost-bytes", "replacement-character-as-cp949", "lost-characters"] + ["replacement-character"] * 2
    assert res["text"].endswith(" \ufffd\ufffd")  # one placeholder per U+FFFD: cleaning again changes nothing
    for q in res["quarantine"]:
        assert res["raw"][q["start"]:q["end"]] == q["raw"]


def test_compatibility_hanja_normalized_away_is_tried_under_both_codes():
    read = "결제처럼".encode("utf-8").decode("cp949")
    normalized = unicodedata.normalize("NFC", read)
    assert normalized != read  # a compatibility hanja became its unified twin
    assert clean(normalized)["text"] == "결제처럼"


def test_nfd_jamo_composed_and_recorded():
    res = clean(unicodedata.normalize("NFD", "한국어 텍스트"))
    assert res["text"] == "한국어 텍스트"
    assert {r["rule"] for r in res["repairs"]} == {"nfd-jamo"}


def test_ftfy_repairs_carry_their_plan():
    res = clean("ì„¤ëª… and â€œquotesâ€\x9d")
    assert res["text"] == "설명 and “quotes”"
    assert any(r["rule"] == "ftfy" and r["plan"] for r in res["repairs"])


@pytest.mark.parametrize("kind", ["euc-kr-as-latin-1", "euc-kr-as-cp1253", "euc-kr-as-iso-8859-7", "utf-8-as-cp874",
                                  "chain-2", "chain-3"])
def test_acronyms_inside_words_and_one_syllable_words(kind):
    # 오토ML을: an acronym inside a word; 할, 때, 함: one syllable each, whose bytes a page may
    # show only in its sloppy form while the longer words read through the strict one
    text = "오토ML을 쓰면 모델을 한번 학습할 때 마다 오래 기다려야 함"
    assert pipeline.clean_text(mojibake(text, kind))["text"] == text


def test_genuine_accented_and_greek_text_is_left():
    for s in ["Café crème brûlée", "Ελληνικά κείμενα", "naïve façade", "Straße über", "ΑΒΓ αβγ"]:
        assert clean(s)["repairs"] == [] and clean(s)["quarantine"] == []


def test_the_published_table_is_the_measured_one():
    spec = importlib.util.spec_from_file_location("mojibake_table", ROOT / "scripts" / "mojibake_table.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    readme = (ROOT / "docs" / "measurements.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- mojibake-table -->\n(.*?)\n<!-- /mojibake-table -->", readme, re.S)
    assert block, "docs/measurements.md lacks the mojibake table markers"
    assert block.group(1) == module.table()
    # and what the table claims is right: a row not marked as left or quarantined shows
    # the text restored exactly
    rows = [r.split(" | ") for r in block.group(1).splitlines()[2:]]
    restored = [r for r in rows if not r[-1].endswith(("(left) |", "(quarantined) |"))]
    assert len(restored) >= len(rows) // 2
    for row in restored:
        assert row[-1].strip(" |`") == row[1], row


@pytest.mark.parametrize("line", [
    '("Ã© Ã¨", "é è"), ("ðŸ˜…", "😅")',  # a test fixture: the garble and its fix, side by side
    "寃곌낵 踰덉뿭 = 결과 번역",  # a log line quoted with its translation
    "'\u1112\u1161\u11ab\u1100\u116e\u11a8'(NFD) <--> '한국'(NFC)",  # an intended NFD example
])
def test_a_garble_quoted_beside_its_repair_stays(line):
    result = pipeline.clean_text(line)
    assert result["text"] == line and not result["repairs"]


def test_real_damage_beside_other_clean_words_is_still_repaired():
    assert pipeline.clean_text("Café menu: cafÃ©")["text"] == "Café menu: café"
    assert pipeline.clean_text("결과 번역\n寃곌낵 踰덉뿭")["text"] == "결과 번역\n결과 번역"  # another line


@pytest.mark.parametrize("page", ["gbk", "big5"])
def test_euc_kr_read_through_a_double_byte_page(page):
    korean = "설명 자료를 만들었습니다"
    garbled = korean.encode("cp949").decode(page)
    assert garbled != korean
    assert pipeline.clean_text(garbled)["text"] == korean


def test_double_byte_pages_leave_genuine_chinese_and_cyrillic():
    for text in ("中文文本 和 测试", "привет мир", "设置 完成"):
        assert pipeline.clean_text(text)["text"] == text


def test_a_sign_of_the_same_charset_is_read_by_the_text_chain():
    truth = "※ 유니코드 표 검색\n글자 'ㄱ' 과 '한글' 모음"
    garbled = truth.encode("cp949").decode("latin-1")
    assert pipeline.clean_text(garbled)["text"] == truth
    # alone, a latin-1 sign is just that
    assert pipeline.clean_text("¡Ø price")["text"] == "¡Ø price"


def test_chinese_beside_korean_and_japanese_is_left():
    """A translation table: genuine Chinese next to Korean is not EUC-KR read through GBK
    (a reading must score as clearly Korean where the span already reads as CJK text)."""
    line = "names: ['オーラ', '오라', '气场', '光环', '마법']"
    assert clean(line)["text"] == line and clean(line)["repairs"] == []
