"""The sample decks in the other collections (samples/cjk: a Japanese, a simplified-Chinese and
a traditional-Chinese talk, written by this project), and the sample builder that makes them.

The builder is seeded: rebuilt into a temporary folder, every sample (the Korean ones too)
comes out byte for byte as committed. The clean versions are the sources in
``samples/cjk/src``; the garbled pages read back into their slides, each with the raw text
its golden record gives. How well each is cleaned is measured by
``bench/collection_detection.py`` (which collection explains it) and, once the CID step
reads these collections, by the golden text.
"""

from __future__ import annotations

import importlib.util
import unicodedata

import pytest

import pipeline
from pipeline.models.cid_profile import available_profiles
from paths import ROOT, read_jsonl

SAMPLES = ROOT / "samples"
CJK = SAMPLES / "cjk"


def builder():
    spec = importlib.util.spec_from_file_location("make_samples", ROOT / "scripts" / "make_samples.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_there_is_a_sample_per_collection():
    profiles = {d[-1] for d in builder().decks()}
    assert profiles == set(available_profiles())
    sizes = {deck: len(read_jsonl(CJK / f"{deck}.expected.jsonl")) for deck in builder().CJK_LAYOUTS}
    assert sizes == {"talk_observability_ja": 12, "talk_vector_search_zh_hans": 8, "talk_web_performance_zh_hant": 8}


def test_rebuilding_the_samples_gives_the_committed_files(tmp_path):
    mod = builder()
    mod.main(tmp_path)
    for folder, deck, *_ in mod.decks():
        for name in (f"{deck}.txt", f"{deck}.expected.jsonl"):
            assert (tmp_path / folder / name).read_bytes() == (SAMPLES / folder / name).read_bytes(), name


@pytest.mark.parametrize("deck", sorted(builder().CJK_LAYOUTS))
def test_cjk_sample_reads_back_into_its_slides(deck):
    mod = builder()
    layout, _author, _date, _seed, profile = mod.CJK_LAYOUTS[deck]
    want = read_jsonl(CJK / f"{deck}.expected.jsonl")
    clean = mod.read_slides(CJK / "src" / f"{deck}.slides.txt")
    read = pipeline.read_deck((CJK / f"{deck}.txt").read_text(encoding="utf-8"), f"{deck}.txt")
    assert read.format == layout
    assert [s.number for s in read.slides] == [w["slide"] for w in want] == list(range(1, len(clean) + 1))
    for slide, w, src in zip(read.slides, want, clean):
        assert slide.raw == w["raw"]
        assert w["raw"] != w["text"] and "cid" in w["damage"]
        # the golden text is the clean source minus what the damage destroyed (ASCII whose CID is below 32)
        it = iter(src)
        assert all(c in it for c in w["text"].replace(" ", "")), w["slide"]
        lost = len("".join(src.split())) - len("".join(w["text"].split()))
        assert lost == 0 or "dropped" in w["damage"]
        assert (unicodedata.normalize("NFC", w["raw"]) == w["raw"])
