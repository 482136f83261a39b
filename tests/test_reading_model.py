"""The deck reading model: Latin set in the Korean font, symbol CIDs on letters, one reading per deck.

Decks here are written for the tests and garbled by ``pipeline.simulate``.
"""

from __future__ import annotations

import pytest

import pipeline
from pipeline.models.latin import FontPrior, load_latin, shift_gain, unshift
from pipeline.simulate import garble

# slides set wholly in the Korean font (Latin shifted, spaces and dots lost) beside ordinary ones
KOREAN_FONT_SLIDES = ["네트워크 계층 NetworkApi", "StreamManager 구조", "@ObservableState 정리", "🏠 kimminsu",
                      "github.com/kimminsu", "“품질저하” 문제를 해결합니다", "발표자 소개 김민수입니다"]
ORDINARY_SLIDES = ["오늘 발표는 Compose 이야기입니다", "Jetpack Compose로 UI를 만듭니다"]


def clean(slides: list[str]) -> list[str]:
    deck = pipeline.clean_deck("\f".join(slides), config=pipeline.Config(format="plain"))
    return [s.text() for s in deck.slides]


def test_latin_in_the_korean_font_is_read_back_beside_short_korean():
    raw = [garble(s, seed=i, korean_font=True) for i, s in enumerate(KOREAN_FONT_SLIDES)]
    assert raw[0].endswith('/FUXPSL"QJ') and raw[3] == "🏠LJNNJOTV" and raw[4] == "HJUIVCDPNLJNNJOTV"
    got = clean(raw + [garble(s) for s in ORDINARY_SLIDES])
    # what the Korean font dropped (spaces, dots, slashes) is not invented back
    assert got == ["네트워크계층NetworkApi", "StreamManager구조", "@ObservableState정리", "🏠kimminsu",
                   "githubcomkimminsu", "“품질저하”문제를해결합니다", "발표자소개김민수입니다", *ORDINARY_SLIDES]


def test_a_deck_whose_latin_is_in_a_latin_font_keeps_its_acronyms():
    # literal Latin glued to garbled Hangul: short acronyms whose shifted reading is lower case
    slides = ["MVP를 다룹니다 RxJava로 API를 호출합니다", "DI를 알아요 UI를 그리고 DB에 저장합니다",
              "GCP와 SDK를 씁니다 • MVP 아키텍쳐 • RxJava", "Kotlin으로 작성한 50개 화면과 1L 물병"]
    assert clean([garble(s) for s in slides]) == slides


def test_same_string_reads_the_same_way_in_a_slide():
    raw = garble("BERT와 BERT를 비교하고 BERT로 끝낸다", korean_font=True)
    text = clean([raw])[0]
    assert text == "BERT와BERT를비교하고BERT로끝낸다"


def test_symbol_cids_on_letters_by_where_the_symbol_stands():
    # t/u are CIDs 116/117, the curly quotes; j is CID 106, the ellipsis
    assert clean([garble("“품질저하” 문제와 개선 방향…", korean_font=True)]) == ["“품질저하”문제와개선방향…"]
    assert clean([garble("『기획』과 「설계」·구현", korean_font=True)]) == ["『기획』과「설계」·구현"]
    # a lone letter before Hangul with no closing partner is a letter: x축, k개, n번
    slides = ["x축과 y축을 그립니다", "k개의 후보와 n번의 반복"]
    assert clean([garble(s) for s in slides]) == slides


def test_the_latin_model_prefers_words_and_identifiers_to_their_shifted_forms():
    m = load_latin()
    for word in ("kimminsu", "githubcomkimminsu", "ObservableState", "NetworkApi", "Compose", "sungbin"):
        shifted = "".join(chr(ord(c) - 31) for c in word)
        assert unshift(shifted) == word
        assert shift_gain(m, shifted) > 5, word
    for literal in ("2019", "(10.20)", "HTTP", "JSON", "I/O", "$100", "C++", "80%", "1,500"):
        assert shift_gain(m, literal) < 3, literal


def test_font_prior_is_learnt_from_the_deck_and_never_from_the_string_itself():
    shifted_deck = [(f"w{i}", 20.0 + i) for i in range(12)] + [("acr", 5.0)]
    latin_deck = [(f"w{i}", None) for i in range(12)] + [("acr", 5.0)]
    a, b = FontPrior(shifted_deck, 1, 9, 500), FontPrior(latin_deck, 1, 9, 500)
    assert a.odds("acr") > 0 > b.odds("acr")
    # a string alone in its deck gets the prior's mean, whatever its own gain
    assert FontPrior([("x", 50.0)], 1, 9, 500).odds("x") == pytest.approx(FontPrior([], 1, 9, 500).odds("x"))
