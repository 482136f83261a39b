"""The PDF route reads Adobe-Japan1, Adobe-GB1 and Adobe-CNS1 CIDs as it reads Adobe-Korea1's:
a CID font with no ToUnicode map whose CIDSystemInfo names a collection is read through that
collection's profile, with profile "auto" and whatever profile the caller forced; an
Adobe-Identity font with no program names none, so under "auto" its CIDs reach the CID steps
as code points. PDFs made by tests/pdf_maker.py; the texts are written here."""

from __future__ import annotations

import re

import pytest

import pipeline
from pdf_maker import cids, truetype_subset, write_pdf
from pipeline.models.cid_profile import UnknownProfile, available_profiles, load_profile
from pipeline.read.pdf import PdfError, open_pdf, read_pdf

PAGES = {
    "Japan1": ["運用してみてどうだったか、サーバーレス", "第1部: 設計と移行 (2024年)",
               "ご清聴ありがとうございました。質問は‘いつでも’歓迎です！"],
    "GB1": ["部署流水线，再看一次！", "目录：(1) 背景 (2) 结果", "谢谢大家。欢迎随时提问“任何问题”！"],
    "CNS1": ["部署流水線，再看一次！", "目錄：(1) 背景 (2) 結果", "謝謝大家。歡迎隨時提問「任何問題」！"],
    "Korea1": ["배포 파이프라인, 다시 보기!", "목차: (1) 배경 (2) 결과", "감사합니다. 질문은 '언제든지' 환영!"],
}
ORDERINGS = list(PAGES)


def profile_name(ordering: str) -> str:
    return f"adobe-{ordering.lower()}"


def pdf_of(ordering: str, font: str | None = None) -> bytes:
    """The pages of ``ordering`` as its CIDs, in a font naming ``font`` (default: that collection)."""
    return write_pdf([[cids(p, ordering)] for p in PAGES[ordering]], ordering=font or ordering,
                     font_name=f"{ordering}DeckFont")


def test_the_profiles_cover_the_four_collections():
    assert {profile_name(o) for o in ORDERINGS} <= set(available_profiles())
    assert [load_profile(profile_name(o)).collection for o in ORDERINGS] == [f"Adobe-{o}" for o in ORDERINGS]


@pytest.mark.parametrize("profile", ["auto", "matching"])
@pytest.mark.parametrize("ordering", ORDERINGS)
def test_a_font_naming_its_collection_reads_exactly(ordering, profile):
    """No ToUnicode map: every character exact, spaces, digits and punctuation included, one
    cid-collection repair per page, nothing quarantined."""
    deck = read_pdf(pdf_of(ordering), profile=profile_name(ordering) if profile == "matching" else profile)
    assert [s.text() for s in deck.slides] == PAGES[ordering]
    for s in deck.slides:
        assert {r.rule for r in s.repairs} == {"cid-collection"} and not s.quarantine
        assert re.fullmatch(r"(\(cid:\d+\))+", s.raw)


# CIDs whose character pdfminer.six's own map of the collection gives otherwise or not at all
# (Adobe-GB1's agrees with its profile everywhere): the profile is the one map of the collection
PROFILE_ONLY = {"Japan1": [96, 98, 106, 118, 155, 156, 186, 215, 7634, 7635],
                "CNS1": [14263, 14421, 14662, 15843, 16943, 17056],
                "Korea1": [104, 109, 110, 111, 113, 176, 177, 200, 210, 227, 8056, 8057]}


@pytest.mark.parametrize("profile", ["auto", "matching", "identity"])
@pytest.mark.parametrize("ordering", list(PROFILE_ONLY))
def test_one_cid_is_one_character_whichever_way_the_font_is_read(ordering, profile):
    """A font naming the collection (profile "auto" or forced) and an Adobe-Identity-0 font
    read through the forced profile give the same characters: the profile's, never
    pdfminer.six's map of the collection (’ for Adobe-Japan1's CID 96, not ʼ)."""
    prof = load_profile(profile_name(ordering))
    line = PROFILE_ONLY[ordering] + cids(PAGES[ordering][0], ordering)
    font = "Identity" if profile == "identity" else ordering
    (slide,) = read_pdf(write_pdf([[line]], ordering=font), profile="auto" if profile == "auto" else profile_name(ordering)).slides
    assert slide.text() == "".join(prof.to_char[c] for c in line)
    assert {r.rule for r in slide.repairs} == {"cid-collection"} and not slide.quarantine


@pytest.mark.parametrize("forced", sorted(profile_name(o) for o in ORDERINGS))
@pytest.mark.parametrize("ordering", ORDERINGS)
def test_a_forced_profile_does_not_overrule_the_collection_a_font_names(ordering, forced):
    """A PDF that says what it is is not a guess: forcing Adobe-Korea1 does not read a font
    that names Adobe-Japan1 as Korean."""
    deck = read_pdf(pdf_of(ordering), profile=forced)
    assert [s.text() for s in deck.slides] == PAGES[ordering]


@pytest.mark.parametrize("profile", ["auto", *sorted(profile_name(o) for o in ORDERINGS)])
def test_each_font_of_a_page_is_read_through_its_own_collection(profile):
    """One page, four fonts, four collections (a Japanese talk quoting Korean and Chinese slides)."""
    fonts = {"F2": "Korea1", "F3": "GB1", "F4": "CNS1"}
    lines = [cids(PAGES["Japan1"][0], "Japan1")] + [(key, cids(PAGES[o][0], o)) for key, o in fonts.items()]
    (slide,) = read_pdf(write_pdf([lines], ordering="Japan1", more_fonts=fonts), profile=profile).slides
    assert slide.text().split("\n") == [PAGES[o][0] for o in ("Japan1", *fonts.values())]
    assert {r.rule for r in slide.repairs} == {"cid-collection"} and not slide.quarantine


@pytest.mark.parametrize("ordering", ORDERINGS)
def test_an_identity_font_reads_through_the_profile_the_caller_forced(ordering):
    """Adobe-Identity-0 with no program (Keynote): the CIDs in the order of the collection the
    caller named, as before for Adobe-Korea1."""
    deck = read_pdf(pdf_of(ordering, font="Identity"), profile=profile_name(ordering))
    assert [s.text() for s in deck.slides] == PAGES[ordering]
    assert all({r.rule for r in s.repairs} == {"cid-collection"} for s in deck.slides)


def _as_extracted(codes: list[int]) -> str:
    """CIDs as a transcript extractor emits them; (cid:N) where the code point is whitespace."""
    return "".join(f"(cid:{c})" if chr(c).isspace() else chr(c) for c in codes)


@pytest.mark.parametrize("ordering", ORDERINGS)
def test_under_auto_an_identity_font_reaches_the_cid_steps_as_code_points(ordering):
    """No collection named, none forced: the reader does not guess. The glyphs are raw as their
    CIDs taken as code points, unrepaired, and the matching profile reads them back exactly."""
    deck = read_pdf(pdf_of(ordering, font="Identity"), profile="auto")
    prof = load_profile(profile_name(ordering))
    for s, page in zip(deck.slides, PAGES[ordering]):
        assert s.raw == _as_extracted(cids(page, ordering))
        assert not s.repairs and not s.quarantine
        back = re.sub(r"\(cid:(\d+)\)|.", lambda m: prof.to_char[int(m.group(1) or ord(m.group()))], s.raw, flags=re.S)
        assert back == page
    assert "(cid:9)" in deck.slides[1].raw and "\t" not in deck.slides[1].raw  # "(" is CID 9 in every collection


def test_under_auto_an_identity_font_beside_a_named_one():
    """The named font is read through its collection; the Identity one is left to the CID steps."""
    korean = cids(PAGES["Korea1"][0])
    lines = [korean, ("F2", cids(PAGES["Japan1"][0], "Japan1"))]
    pdf = write_pdf([lines], ordering="Identity", more_fonts={"F2": "Japan1"})
    (auto,) = read_pdf(pdf, profile="auto").slides
    first, second = auto.text().split("\n")
    assert first == _as_extracted(korean) and second == PAGES["Japan1"][0]
    (forced,) = read_pdf(pdf, profile="adobe-korea1").slides
    assert forced.text().split("\n") == [PAGES["Korea1"][0], PAGES["Japan1"][0]]


def test_under_auto_an_embedded_truetype_font_keeps_its_routes():
    font, gids = truetype_subset(PAGES["CNS1"][0])
    (slide,) = read_pdf(write_pdf([[gids]], ordering="Identity", subtype="CIDFontType2", font_file=font),
                        profile="auto").slides
    assert slide.text() == PAGES["CNS1"][0] and {r.rule for r in slide.repairs} == {"font-cmap"}
    font, gids = truetype_subset(PAGES["GB1"][0], keep_cmap=False)
    (slide,) = read_pdf(write_pdf([[gids]], ordering="Identity", subtype="CIDFontType2", font_file=font),
                        profile="auto").slides
    assert not slide.repairs and {q.reason for q in slide.quarantine} == {"unmapped-glyph"}
    assert slide.raw.startswith("(gid:") and "(cid:" not in slide.raw


@pytest.mark.parametrize("ordering", ORDERINGS)
def test_a_truetype_subset_whose_cmap_needs_glyph_id_arrays(ordering):
    """Not a collection matter (font-cmap, any profile): a subset whose glyphs are not in code
    point order within a cmap segment ("(1)": 1 comes before "("), so the format-4 cmap needs
    idRangeOffset arrays, which pdfminer.six reads from the wrong place (of 12 pages, 8 came
    out with wrong glyphs)."""
    for page in PAGES[ordering]:
        font, gids = truetype_subset(page)
        for profile in ("auto", "adobe-korea1"):
            pdf = write_pdf([[gids]], ordering="Identity", subtype="CIDFontType2", font_file=font)
            (slide,) = read_pdf(pdf, profile=profile).slides
            assert slide.text() == page and {r.rule for r in slide.repairs} == {"font-cmap"}


def test_auto_is_accepted_for_a_path_and_for_open_pdf(tmp_path):
    src = tmp_path / "talk.pdf"
    src.write_bytes(pdf_of("Japan1"))
    assert [s.text() for s in read_pdf(src, profile="auto").slides] == PAGES["Japan1"]
    (title, author), pages = open_pdf(src, "talk.pdf", "auto")
    assert title == "시험 발표" and author == "Kim"
    assert [s.text() for s in pages] == PAGES["Japan1"]


@pytest.mark.parametrize("call", ["read_pdf", "open_pdf"])
def test_an_unknown_profile_is_a_clear_value_error(call):
    """The caller's mistake, not the PDF's: UnknownProfile (a ValueError, not a PdfError),
    naming every profile there is and "auto"."""
    fn = {"read_pdf": read_pdf, "open_pdf": open_pdf}[call]
    with pytest.raises(UnknownProfile) as err:
        fn(pdf_of("Korea1"), "talk.pdf", "adobe-japan2")
    assert isinstance(err.value, ValueError) and not isinstance(err.value, PdfError)
    message = str(err.value)
    assert "'adobe-japan2'" in message and "auto" in message
    assert all(name in message for name in available_profiles())


def _auto_steps_or_skip():
    try:
        pipeline.clean.build_steps(pipeline.Config(profile="auto"))
    except ValueError as exc:  # UnknownProfile: the CID steps do not take "auto" on this branch yet
        pytest.skip(f"the CID steps do not take profile 'auto' yet ({exc})")


# the legacy-mojibake step reads Japanese 第1部 as CP949 shown as GBK (clean_text("第1部") gives
# 뒤1꼬), in the settle pass over the PDF's decoded text as on a transcript: not the PDF route's
KNOWN: dict[str, str] = {}  # ordering -> why its whole-pipeline case fails today (strict xfail)
KNOWN_IDENTITY = {  # the same under auto with an Identity font (CIDs as code points)
    "CNS1": "a symbol CID shown as an ASCII letter is read as the symbol only where no ASCII follows it: "
            "目錄：(1), with '(' in a Latin font, keeps 'j' for '：'",
}


def _known(ordering):
    marks = [pytest.mark.xfail(strict=True, reason=KNOWN[ordering])] if ordering in KNOWN else []
    return pytest.param(ordering, marks=marks)


@pytest.mark.parametrize("ordering", [_known(o) for o in ORDERINGS])
def test_the_whole_pipeline_keeps_a_named_collection_exact(ordering):
    """clean_pdf with the matching profile: the text stages after the reader leave the text be."""
    deck = pipeline.clean_pdf(pdf_of(ordering), name="talk.pdf", config=pipeline.Config(profile=profile_name(ordering)))
    assert [r["text"] for r in deck.records()] == PAGES[ordering]


def _known_auto(ordering, font):
    why = KNOWN.get(ordering) or (KNOWN_IDENTITY.get(ordering) if font == "Identity" else None)
    return pytest.param(ordering, font, marks=[pytest.mark.xfail(strict=True, reason=why)] if why else [])


@pytest.mark.parametrize("ordering, font", [_known_auto(o, f) for f in ("named", "Identity") for o in ORDERINGS])
def test_the_whole_pipeline_under_auto(ordering, font):
    """clean_pdf with profile "auto": a named collection as read; an Identity font's CIDs decided
    by the CID steps over the deck (skipped while they do not take "auto")."""
    _auto_steps_or_skip()
    pdf = pdf_of(ordering, font=None if font == "named" else "Identity")
    deck = pipeline.clean_pdf(pdf, name="talk.pdf", config=pipeline.Config(profile="auto"))
    assert [r["text"] for r in deck.records()] == PAGES[ordering]
