"""Clean text in many scripts passes through the whole pipeline unchanged, alone or inside a garbled deck."""

from __future__ import annotations

import pytest

import pipeline
from paths import DATA
from pipeline.simulate import garble

GUARD = sorted((DATA / "clean_guard").glob("*.txt"))
KOREAN = "오늘 발표에서는 새로운 모델을 소개하겠습니다"


def test_there_is_a_guard_per_language():
    names = {p.stem for p in GUARD}
    assert {"ko", "en", "ru", "el", "he", "ar", "hi", "bn", "th", "ja", "zh", "chat_emoji"} <= names


@pytest.mark.parametrize("path", GUARD, ids=lambda p: p.stem)
def test_clean_text_changes_nothing(path):
    text = path.read_text(encoding="utf-8")
    res = pipeline.clean_text(text)
    assert res["repairs"] == [] and res["quarantine"] == []
    assert res["text"] == text


@pytest.mark.parametrize("path", GUARD, ids=lambda p: p.stem)
def test_clean_deck_changes_nothing(path):
    text = path.read_text(encoding="utf-8")
    deck = pipeline.clean_deck(text.replace("\n\n", "\f"), name=path.name, config=pipeline.Config(format="plain"))
    for slide in deck.slides:
        assert slide.repairs == [] and slide.quarantine == [], slide.number


@pytest.mark.parametrize("path", GUARD, ids=lambda p: p.stem)
def test_genuine_paragraphs_survive_inside_a_garbled_slide(path):
    garbled = garble(KOREAN, nfc=False)
    for para in filter(None, (p.strip() for p in path.read_text(encoding="utf-8").split("\n"))):
        para = " ".join(para.split())
        res = pipeline.clean_text(f"{garbled} {para} {garbled}")
        assert res["text"] == f"{KOREAN} {para} {KOREAN}"
