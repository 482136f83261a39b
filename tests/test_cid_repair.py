"""The CID stage decides by context: garbled Korean is decoded, genuine text is left alone."""

from __future__ import annotations

import pytest

from pipeline import clean_text
from pipeline.models.cid_profile import load_profile
from pipeline.repair.cid_repair import fix_and_explain
from pipeline.simulate import garble


def text_of(s: str) -> str:
    return clean_text(s)["text"]


def test_garbled_name_next_to_english():
    assert text_of("Junseong Kim (\u04e3\u0ab3\u08bf)") == "Junseong Kim (김준성)"


@pytest.mark.parametrize("genuine", ["привет мир", "Ελληνικά γράμματα", "שלום עולם", "مرحبا بالعالم",
                                     "नमस्ते दुनिया", "বাংলা ভাষা", "สวัสดีครับ", "ひらがなとカタカナ", "中文文本", "✨ 👋 ▸ ©"])
def test_genuine_scripts_pass_alone_and_beside_garbled_korean(genuine):
    assert text_of(genuine) == genuine
    garbled = garble("오늘 발표는 김준성입니다", nfc=False)  # NFC damage is the LM issue's job
    assert text_of(f"{garbled} {genuine} {garbled}") == f"오늘 발표는 김준성입니다 {genuine} 오늘 발표는 김준성입니다"


def test_emoji_and_symbols_glued_to_garbled_hangul_stay():
    garbled = garble("세션을 시작합니다", nfc=False)
    assert text_of(f"✨{garbled}👋 ▸ © “{garbled}”") == "✨세션을 시작합니다👋 ▸ © “세션을 시작합니다”"


def test_ks_symbol_glued_to_hangul_is_decoded():
    assert text_of(garble("이거↖ 정말↖ 맛있습니다", nfc=False)) == "이거↖ 정말↖ 맛있습니다"


def test_shifted_ascii_glued_or_reading_as_english():
    text, changes = fix_and_explain(garble("Compose를 사용합니다", shift_ascii=1.0))
    assert text == "Compose를 사용합니다"
    assert ("cid-shifted-ascii", "$PNQPTF", "Compose") in changes
    # a whole shifted word in a garbled slide
    assert text_of(garble("오늘 발표자는 ", nfc=False) + "TVOHCJO") == "오늘 발표자는 sungbin"
    # a camel-case name with an English word in it: "Instruct" of "InstructGPT"
    text, changes = fix_and_explain(garble("평가에서 1.3B InstructGPT가 이겼다", nfc=False, shift_ascii=1.0))
    assert ("cid-shifted-ascii", "*OTUSVDU(15", "InstructGPT") in changes


def test_short_pieces_are_read_by_the_font_of_their_slide():
    # every Latin piece of this slide is in the Korean font: "(15" reads GPT like its neighbours
    text = text_of(garble("NLP의 표준 GAN이 압도적 GPT처럼 쓴다", nfc=False, shift_ascii=1.0))
    assert text == "NLP의 표준 GAN이 압도적 GPT처럼 쓴다"
    # here the Latin is in a Latin font (lower-case letters cannot be shifted): "(15" stays
    literal = garble("Transformer를 쓰고 Adam으로 학습한 결과 ", nfc=False) + "(15" + garble("처럼 보인다", nfc=False)
    assert text_of(literal) == "Transformer를 쓰고 Adam으로 학습한 결과 (15처럼 보인다"


def test_a_lone_combining_mark_is_no_evidence_but_decodes_in_a_garbled_slide():
    assert text_of("\u06d6") == "\u06d6" and text_of("a \u06d6 b") == "a \u06d6 b"
    assert text_of(garble("김준성", nfc=False) + " \u06d6") == "김준성 랫"


def test_real_acronyms_glued_to_garbled_hangul_stay():
    assert text_of(garble("ML엔지니어가 GPU를 씁니다 API를")) == "ML엔지니어가 GPU를 씁니다 API를"


def test_markdown_emphasis_glued_to_garbled_hangul_stays():
    s = "- **대용량 데이터**를 배치 처리로 쉽게 적용.**"
    assert text_of(garble(s, nfc=False)) == s


def test_plain_english_and_ascii_are_never_touched():
    s = "NLP BERT TPU (2019) I/O Extended — Seoul! $100 #tag @user [x] {y}"
    assert clean_text(s)["repairs"] == []


def test_cid_tokens_from_pdfminer():
    tokens = "".join(f"(cid:{load_profile().cid_of(c)})" for c in "발표자료")
    result = clean_text(f"{tokens} and (cid:8100)")  # the tokens decide the collection: Korea1
    assert result["text"] == "발표자료 and \ufffd"
    assert result["quarantine"][0]["reason"] == "unmapped-cid"


def test_repairs_record_rule_offsets_and_margin():
    raw = garble("김준성 Kim")
    rec = clean_text(raw)
    (rep,) = rec["repairs"]
    assert (rep["rule"], rep["start"], rep["end"], rep["before"], rep["after"]) == ("cid-hangul", 0, 3, raw[:3], "김준성")
    assert rep["margin"] > 0


def test_list_bullet_cid_in_a_garbled_slide():
    garbled = garble("첫 번째 항목", nfc=False)
    assert text_of(f"\u219f {garbled} \u219f{garbled}") == "• 첫 번째 항목 •첫 번째 항목"
    assert text_of("\u219f plain arrow") == "\u219f plain arrow"
