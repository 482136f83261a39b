"""The damage simulator, and the CID stage undoing it on the project's own Korean+English text."""

from __future__ import annotations

import unicodedata

import pipeline
from paths import DATA
from pipeline.models.cid_profile import load_profile
from pipeline.simulate import garble

CORPUS = sorted(DATA.glob("korean_corpus*.txt"))


def corpus_lines() -> list[str]:
    return [line for p in CORPUS for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_garble_maps_hangul_to_cids_and_keeps_ascii():
    prof = load_profile()
    out = garble("김준성 (Junseong) 2019년", nfc=False)
    assert out.startswith("".join(prof.encode_char(c) for c in "김준성") + " (Junseong) 2019")
    assert garble("plain English only") == "plain English only"


def test_shifted_ascii_and_dropped_controls():
    assert garble("Compose를", shift_ascii=1.0, nfc=False).startswith("$PNQPTF")
    # digits and spaces have CIDs below 32: extractors drop them
    assert garble("v2.0를", shift_ascii=1.0, nfc=False)[:1] == "W"
    kept = garble("v2.0를", shift_ascii=1.0, drop_controls=False, nfc=False)
    assert len(kept) == len("v2.0를") and kept[1] < " "


def test_nfc_step_damages_as_the_real_transcripts():
    raw = garble("오늘 세션들을", nfc=False)
    assert garble("오늘 세션들을") == unicodedata.normalize("NFC", raw) != raw


def test_deterministic_per_seed():
    text = "Transformer를 사용한 모델 " * 20
    assert garble(text, seed=3, shift_ascii=0.5) == garble(text, seed=3, shift_ascii=0.5)
    assert garble(text, seed=3, shift_ascii=0.5) != garble(text, seed=4, shift_ascii=0.5)


def test_round_trip_restores_every_character():
    """Hangul and symbols garbled, no NFC step, nothing dropped: all characters come back."""
    lines = corpus_lines()
    size = sum(len(line.encode("utf-8")) for line in lines)
    assert size >= 100_000, f"corpus is only {size} bytes"
    raw = "\f".join(garble(line, seed=i, nfc=False) for i, line in enumerate(lines))
    deck = pipeline.clean_deck(raw, name="corpus", config=pipeline.Config(format="plain"))
    assert len(deck.slides) == len(lines)
    wrong = total = 0
    for slide, line in zip(deck.slides, lines):
        got = slide.text()
        total += len(line)
        if got != line:
            wrong += sum(a != b for a, b in zip(got, line)) + abs(len(got) - len(line))
        assert all(not r.before.isascii() for r in slide.repairs), "English and ASCII are never touched"
    print(f"round trip: {size} bytes, {len(lines)} lines, {total - wrong}/{total} characters restored")
    assert wrong == 0
