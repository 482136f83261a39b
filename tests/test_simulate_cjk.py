"""The damage simulator for every collection: Adobe-Japan1, Adobe-GB1 and Adobe-CNS1 beside
Adobe-Korea1, checked forward against the real Japanese pages when they are there."""

from __future__ import annotations

import json
import unicodedata

import pytest

from paths import SHARED
from pipeline.models.cid_profile import available_profiles, load_profile
from pipeline.simulate import garble, letter_pattern

DECKS_JA = SHARED / "devcorpus" / "decks_ja"

# project-written lines, one per language (the language of each collection's letters)
LINES = {
    "adobe-korea1": "오늘 발표는 캐시 설계입니다 (30분)",
    "adobe-japan1": "今日は「キャッシュ設計」の話をします、よろしく。",
    "adobe-gb1": "今天我们来讲缓存设计，欢迎提问。",
    "adobe-cns1": "今天我們來談快取設計，歡迎發問。",
}


def test_every_profile_has_a_line():
    assert set(LINES) == set(available_profiles())


@pytest.mark.parametrize("profile", sorted(LINES))
def test_letters_of_the_language_come_out_as_their_cids(profile):
    prof = load_profile(profile)
    text = LINES[profile]
    out = garble(text, profile=profile, nfc=False)
    assert len(out) == len(text)
    for c, k in zip(text, out):
        cid = prof.cid_of(c)
        if c.isascii():
            assert k == c  # Latin, digits and spaces are in the Latin font
        elif cid is not None and cid >= 128:
            assert k == chr(cid) and prof.decode_char(k) is not None
        else:
            assert k == c  # a CID below 128 would read as ASCII: decks set it in the Latin font
    assert garble(text, profile=profile) == unicodedata.normalize("NFC", out)


@pytest.mark.parametrize("profile", sorted(LINES))
def test_tokens_without_letters_of_the_language_are_left(profile):
    others = [v for v in LINES.values() if not letter_pattern(profile).search(v)]
    assert others or profile != "adobe-korea1"  # Korean's letters are in no other line
    for line in others:
        assert garble(line, profile=profile, shift_ascii=1.0) == line
    assert garble("plain English 2024 — ok", profile=profile) == "plain English 2024 — ok"


def test_japanese_punctuation_and_ideographic_space_are_in_the_japanese_font():
    prof = load_profile("adobe-japan1")
    out = garble("設計\u3000「方針」、確認。", profile="adobe-japan1", nfc=False)
    assert out == "".join(chr(prof.cid_of(c)) for c in "設計\u3000「方針」、確認。")
    assert garble("a\u3000b", profile="adobe-japan1") == "a\u3000b"  # beside Latin: the Latin font's space


def test_options_work_for_every_profile():
    for profile, text in LINES.items():
        text = f"{text} Redis와 cache" if profile == "adobe-korea1" else f"{text}Redisで cache"
        assert garble(text, profile=profile, seed=5, shift_ascii=0.5) == garble(text, profile=profile, seed=5,
                                                                                 shift_ascii=0.5)
        whole = garble(text, profile=profile, cjk_font=True)
        assert whole == garble(text, profile=profile, korean_font=True)
        assert "Redis" not in whole and " " not in whole  # Latin shifted, spaces (CID 1) dropped
        kept = garble(text, profile=profile, cjk_font=True, drop_controls=False, nfc=False)
        assert len(kept) == len(text) and "\x01" in kept
        shifted = garble(text, profile=profile, shift_ascii=1.0, nfc=False)
        assert "Redis" not in shifted and "cache" in shifted
        words = garble("plain words only", profile=profile, shift_words=1.0)
        assert words == " ".join("".join(chr(ord(c) - 31) for c in w) for w in ("plain", "words", "only"))


@pytest.mark.skipif(not DECKS_JA.is_dir(), reason=f"no Japanese dev corpus at {DECKS_JA}")
def test_japanese_fixes_garble_forward_to_the_real_raw_text():
    """Each ``fixes`` entry of the real Japanese pages: its ``fixed`` text, set wholly in an
    Adobe-Japan1 font (chr(CID), CIDs below 32 dropped, NFC), is its ``raw`` text."""
    checked = 0
    for path in sorted((DECKS_JA / "expected").glob("*.expected.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            for fix in rec.get("fixes", []):
                got = garble(fix["fixed"], profile="adobe-japan1", cjk_font=True)
                assert got == fix["raw"], (path.name, rec["slide"], fix["fixed"])
                checked += 1
    print(f"forward check: {checked} runs of the real Japanese pages garble to their raw text")
    assert checked >= 100
