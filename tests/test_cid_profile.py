"""The CID table derived from codecs + range facts equals Adobe's reference table."""

from __future__ import annotations

import unicodedata

import pytest

from paths import DATA
from pipeline.models.cid_profile import load_profile

RANGES = [(1, 95), (101, 1085), (1086, 3435), (3436, 8093), (8094, 9332), (9333, 18154)]


def reference_table():
    """Adobe's cid2code table for Adobe-Korea1-2 (BSD licence, tests/data/adobe/): per CID,
    every character of its UniKS-UTF32 column (CID 104 is U+00B7 there, and U+30FB as in
    the older UniKS-UCS2 column)."""
    table = {}
    for line in (DATA / "adobe" / "Adobe-Korea1-2.cid2code.txt").read_text(encoding="ascii").splitlines():
        if line.startswith(("#", "CID")) or not line.strip():
            continue
        cols = line.split("\t")
        utf32 = cols[10]
        table[int(cols[0])] = None if utf32 == "*" else [chr(int(v.rstrip("v"), 16)) for v in utf32.split(",")]
    return table


def test_every_cid_in_the_ranges_matches_the_reference():
    ref = reference_table()
    profile = load_profile()
    mismatches = []
    checked = 0
    for first, last in RANGES:
        for cid in range(first, last + 1):
            want, got = ref[cid], profile.to_char.get(cid)
            ok = got is None if want is None else got in want
            checked += 1
            if not ok:
                mismatches.append((cid, got, want))
    assert checked == 18154 - 5
    assert mismatches == []


@pytest.mark.parametrize(
    "garbled, clean",
    [("\u043e", "가"), ("\u00fa", "↖"), ("\u3649", "슼"), ("\u219f", "•"), ("$", "C"), ("\u04e3", "김"),
     ("h", "\u00b7")],  # CID 104: the Korean middle dot, as CP949 reads A1A4
)
def test_issue_examples(garbled, clean):
    assert load_profile().decode_char(garbled) == clean


def test_every_hangul_syllable_round_trips():
    p = load_profile()
    for cp in range(0xAC00, 0xD7A4):
        ch = chr(cp)
        assert p.decode_char(p.encode_char(ch)) == ch


def test_ranges_have_the_documented_classes():
    p = load_profile()
    assert p.cid_class[1086] == p.cid_class[3435] == "hangul"
    assert p.cid_class[9333] == p.cid_class[18154] == "hangul-rare"
    assert p.cid_class[250] == "symbol"
    assert unicodedata.name(p.to_char[3436]).startswith("CJK UNIFIED")
