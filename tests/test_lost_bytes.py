"""Lost bytes filled back by the byte lattice (pipeline/repair/byte_lattice.py, pipeline/repair/lost_bytes.py).

The damaged texts are made here from Korean this project wrote, with its own simulator.
"""

import re

import pipeline
from pipeline.models.hangul import HANGUL
from pipeline.repair.byte_lattice import LOST, Alt, _replaced, decode
from pipeline.repair.lost_bytes import Params, choose_page
from pipeline.step import load_params
from pipeline.simulate import mojibake, show

PARAGRAPH = ("오늘 발표에서는 데이터 공유 방법을 소개합니다. 설정 파일에서 모델을 추가하고 "
             "학습 결과를 확인하는 과정을 차례로 설명하겠습니다.")


def clean(text: str) -> dict:
    return pipeline.clean_text(text)


def stands_in(after: str, truth: str) -> bool:
    """A repair's result stands in the truth, a placeholder matching any one character."""
    return re.search(".".join(map(re.escape, after.split(LOST))), truth) is not None


def test_a_byte_the_page_dropped_is_put_back():
    damaged = show(PARAGRAPH.encode("utf-8"), "cp1252", drop=True)
    res = clean(damaged)
    assert res["text"] == PARAGRAPH
    assert any(r["rule"] == "utf-8>cp1252+lattice" for r in res["repairs"])


def test_a_nbsp_that_became_a_space_is_read_back():
    damaged = mojibake(PARAGRAPH, "utf-8-as-cp1252-nbsp-space")
    assert "\xa0" not in damaged
    assert clean(damaged)["text"] == PARAGRAPH


def test_a_replacement_character_stands_for_a_byte_the_page_cannot_show():
    damaged = mojibake(PARAGRAPH, "utf-8-as-cp1251-fffd")
    assert "\ufffd" in damaged
    assert clean(damaged)["text"] == PARAGRAPH


def test_a_qmark_pair_is_filled_and_a_swallowed_full_stop_is_read_in_context():
    damaged = mojibake("로그인이 필요합니다.", "utf-8-as-cp949-qmarks")
    assert damaged.endswith("??")  # the full stop went into the last pair
    res = clean(damaged)
    assert res["text"] == "로그인이 필요합니다."
    assert res["repairs"][-1]["rule"] == "utf-8>cp949?" and res["repairs"][-1]["margin"] >= 3.0


def test_a_word_with_a_character_the_model_cannot_tell_is_quarantined_whole():
    """The colon went into the pair after 요; a space, a comma or a full stop would read
    as well to the sentence model, so the character stays lost, and the words its reading
    spans are quarantined whole (never 추가하세요 beside a placeholder); the words after it
    read whole."""
    damaged = mojibake("모델을 추가하세요: 설정 파일에서 수정할 수 있습니다", "utf-8-as-cp949-qmarks")
    res = clean(damaged)
    assert " 설정 파일에서 " in res["text"]
    assert not any(HANGUL.search(w) and LOST in w for w in re.findall(r"[^\x00-\x7f]+", res["text"]))
    first = res["quarantine"][0]
    assert first["reason"] == "lost-bytes" and first["start"] == 0 and "?" in first["raw"]


def test_a_hanja_normalization_folded_still_reads_as_its_pair():
    """KS X 1001 lists some hanja twice; NFC folds the second code point (U+F9xx) into the
    first, so the CP949 reading of 참고 (EC B0 = U+F9E1) is seen as 李 (U+674E)."""
    import unicodedata

    damaged = unicodedata.normalize("NFC", "참고: 다음 설정".encode("utf-8").decode("cp949", "replace"))
    assert "李" in damaged
    assert clean(damaged)["text"].startswith("참고:")


def test_what_is_filled_is_right_or_a_placeholder():
    """Latin-1 without its C1 bytes loses two bytes of most syllables: whatever is decoded
    must stand in the truth; the rest is quarantined, never guessed into other words."""
    for kind in ("utf-8-as-latin-1-c1-dropped", "utf-8-as-cp949-qmarks"):
        res = clean(mojibake(PARAGRAPH, kind))
        assert res["repairs"] and all(stands_in(r["after"], PARAGRAPH) for r in res["repairs"]), kind
        assert res["quarantine"], kind


def test_the_page_is_the_one_most_syllables_decode_through():
    p = load_params(Params)
    assert choose_page(show(PARAGRAPH.encode("utf-8"), "cp1252", drop=True), p)[0].name == "cp1252"
    assert choose_page(show(PARAGRAPH.encode("utf-8"), "cp874"), p)[0].name == "cp874+cp1252"
    assert choose_page("평범한 한국어 문장입니다.", p) is None


def test_korean_with_question_marks_and_hanja_is_left_as_it_is():
    for text in ("이게 뭐지? 정말? 韓國語?", "漢字?한자 표기", "값이 없나요?? 確認!"):
        assert clean(text)["text"] == text


def test_a_dropped_byte_may_have_been_anywhere_after_the_lead():
    """또 (EB 98 90) and 되 (EB 90 98) differ in where cp1252's dropped 0x90 went."""
    dropped = frozenset({0x81, 0x8D, 0x8F, 0x90, 0x9D})
    assert "되" in _replaced("또", dropped, ())


def test_a_lattice_without_a_utf8_path_decodes_to_nothing():
    lattice = [[Alt((frozenset([0xEC]),))], [Alt((frozenset([0x41]),))]]
    assert decode(lattice) is None


def test_every_change_can_be_undone():
    damaged = mojibake(PARAGRAPH, "utf-8-as-cp949-qmarks")
    res = clean(damaged)
    text = res["raw"]
    for r in res["repairs"]:
        assert text[r["start"]:r["end"]] == r["before"]
    for q in res["quarantine"]:
        assert text[q["start"]:q["end"]] == q["raw"]
    assert clean(res["text"])["text"] == res["text"]  # cleaning again changes nothing


def test_a_quarantined_syllable_lists_its_best_readings():
    import json

    import jsonschema

    from pipeline.models.rule_files import rules_path

    text = mojibake("모델을 추가하세요: 설정 파일에서 수정할 수 있습니다", "utf-8-as-cp949-qmarks")
    deck = pipeline.clean_deck(text, name="d", config=pipeline.Config(format="plain"))
    rec = deck.records()[0]
    jsonschema.validate(rec, json.loads(rules_path("record.schema.json").read_text(encoding="utf-8")))
    listed = [q for q in rec["quarantine"] if "alternatives" in q]
    assert listed and all(len(q["alternatives"]) >= 2 for q in listed)
    # each is a reading of the whole word, the part the model was sure of included
    assert all(LOST not in alt for q in listed for alt in q["alternatives"])
    assert any(alt.endswith("있습니다") for q in listed for alt in q["alternatives"])


def test_a_lost_pair_may_follow_a_lone_0x80_windows_showed_as_nothing():
    """Windows' CP949 shows a lone 0x80 as U+0080, which a copy loses; so before each ``?``
    the lattice also offers a dropped 0x80 (at the drop cost), and a character NFC folded
    (李 = U+F9E1 folded to U+674E) offers each pair it folds from."""
    from pipeline.repair.lost_bytes import cp949_lattice

    p = load_params(Params)
    qmark = cp949_lattice("?", p)[0]
    assert any(a.sets[0] == frozenset([0x80]) and a.cost < 0 for a in qmark)
    assert all(a.sets[0] != frozenset([0x80]) for a in cp949_lattice("가", p)[0])
    folded = {tuple(next(iter(s)) for s in a.sets) for a in cp949_lattice("李", p)[0]}
    assert {(0xEC, 0xB0), (0xD7, 0xDD)} <= folded
