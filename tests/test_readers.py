from __future__ import annotations

import pytest

from pipeline.read.transcript import NoSlidesError, detect_format, read_deck

SPEAKERDECK = """Upgrade to Pro — share decks privately

Some Talk ...

Kim Minji
March 3, 2024

Some Talk: the full title

A description.

Transcript

  1. Title slide first words

    continued here
  View Slide
  2. Second slide
    line two
 stray one-space line
  3. 4. numbered list inside? no: this is slide 3
"""


def test_speakerdeck_items_continuations_and_chrome():
    deck = read_deck(SPEAKERDECK, "d")
    assert deck.format == "speakerdeck"
    assert [s.number for s in deck.slides] == [1, 2, 3]
    assert deck.slides[0].raw == "Title slide first words continued here"
    assert deck.slides[1].raw == "Second slide line two stray one-space line"
    assert deck.slides[2].raw == "4. numbered list inside? no: this is slide 3"
    assert (deck.title, deck.author, deck.date) == ("Some Talk: the full title", "Kim Minji", "March 3, 2024")


def test_numbered_lines_inside_a_slide_are_continuations():
    text = "Transcript\n  1. Agenda\n    1. first point\n  2. Next\n"
    deck = read_deck(text)
    assert [(s.number, s.raw) for s in deck.slides] == [(1, "Agenda 1. first point"), (2, "Next")]


PLAYER = """Deck chrome
Slide 1
Slide 1 text
Hello
world
Slide 2
Slide 2 text
Second
"""


def test_player_blocks():
    deck = read_deck(PLAYER)
    assert deck.format == "player"
    assert [(s.number, s.raw) for s in deck.slides] == [(1, "Hello world"), (2, "Second")]


def test_plain_pages_and_cid_tokens_kept_raw():
    deck = read_deck("page one\nline\fpage (cid:1086)(cid:1087)\f")
    assert deck.format == "plain"
    assert [s.raw for s in deck.slides] == ["page one line", "page (cid:1086)(cid:1087)"]


def test_forced_format_and_detection():
    assert detect_format(SPEAKERDECK) == "speakerdeck"
    assert detect_format("just text") == "plain"
    deck = read_deck(SPEAKERDECK, fmt="plain")
    assert deck.format == "plain" and len(deck.slides) == 1


@pytest.mark.parametrize("text", ["", "   \n\n", "\f\f", "Transcript\n\n"])
def test_no_slide_is_an_error(text):
    with pytest.raises(NoSlidesError):
        read_deck(text)


def test_unknown_format_is_an_error():
    with pytest.raises(ValueError, match="unknown format"):
        read_deck("x", fmt="pptx")


PLAYER_SPACED = "Slide 1\n\nSlide 1 text\n\nHello\n\n\nSlide 2\n \nSlide 2 text\n\t\nNo content\n\nSlide 3\n\nSlide 3 text\n\nBye"


@pytest.mark.parametrize("transform", [
    lambda t: t,
    lambda t: t.replace("\n", "\r\n"),  # CRLF
    lambda t: t.replace("\n\n", "\n\u00a0\n"),  # blank lines holding a no-break space
    lambda t: t.replace("\n\n", "\n\n\n\n"),  # more blank lines
])
def test_player_with_blank_lines_between_markers(transform):
    deck = read_deck(transform(PLAYER_SPACED))
    assert deck.format == "player"
    assert [(s.number, s.raw) for s in deck.slides] == [(1, "Hello"), (2, ""), (3, "Bye")]


def test_placeholders_are_empty_slides_with_their_numbers():
    page = ("Transcript\n\n  1. Title\n\n    View Slide\n\n  2. View Slide\n\n  3. None\n"
            "  4. Text beside None stays\n    View Slide\n")
    deck = read_deck(page)
    assert [(s.number, s.raw) for s in deck.slides] == [
        (1, "Title"), (2, ""), (3, ""), (4, "Text beside None stays")]
    records = deck.records()
    assert records[1]["text"] == "" and records[1]["slide"] == 2


def test_compact_items_with_nbsp_indentation_and_blank_lines():
    page = "Transcript\r\n\r\n\u00a0 1. first words\r\n\r\n\r\n    rest of it\r\n\u00a0 2. Next\r\n"
    deck = read_deck(page)
    assert [(s.number, s.raw) for s in deck.slides] == [(1, "first words rest of it"), (2, "Next")]


def test_layout_that_would_give_one_giant_slide_is_an_error():
    # a Transcript with View Slide markers but items in a shape the reader does not know
    page = "Transcript\n  1. one\n    View Slide\n  2) two\n    View Slide\n  3) three\n    View Slide\n"
    with pytest.raises(NoSlidesError, match="one slide"):
        read_deck(page)
    assert len(read_deck(page, fmt="speakerdeck").slides) == 1  # forced: the caller's choice


def test_layout_scores_pick_the_layout_explaining_most_lines():
    # a player page that quotes the word Transcript once is still a player page
    page = "Transcript\n  1. x\n" + "".join(f"Slide {n}\n\nSlide {n} text\n\nt{n}\n" for n in range(1, 5))
    assert detect_format(page) == "player"


def test_summary_counts_empty_slides():
    import pipeline

    deck = pipeline.clean_deck(PLAYER_SPACED, name="p.txt")
    assert deck.summary()["slides"] == 3 and deck.summary()["empty_slides"] == 1


# A document-mirror page (layout "pages"); invented text.
MIRROR_HEADER = "Tidy Gardens at Scale · 2021-04-02 · Contents 1. Soil 2. Water 3. Light"
MIRROR = f"""Tidy Gardens at Scale · 2021-04-02 · Contents 1. Soil...

412

Hana Seo, Garden Club Busan Tidy Gardens at Scale

Transcript of Tidy Gardens at Scale · 2021-04-02 · Contents 1. Soil...

Page 1: {MIRROR_HEADER}

Hana Seo, Garden Club

Tidy Gardens at Scale

Page 2: {MIRROR_HEADER}

Contents1.Soil2.Water3.Light

Page 3: Tidy Gardens at Scale · 2021-04-02 · Contents 1. Soil 2…

Soil first: compost, then mulch

Page 4: {MIRROR_HEADER}

Water
"""
MIRROR_SLIDES = [(1, "Hana Seo, Garden Club Tidy Gardens at Scale"), (2, "Contents1.Soil2.Water3.Light"),
                 (3, "Soil first: compost, then mulch"), (4, "Water")]


def test_mirror_pages_are_slides_without_the_repeated_header():
    from pipeline.read.transcript import FORMATS

    assert detect_format(MIRROR) == "pages" and "pages" in FORMATS  # so --format pages is a choice
    deck = read_deck(MIRROR, "m")
    assert deck.format == "pages"
    assert [(s.number, s.raw) for s in deck.slides] == MIRROR_SLIDES  # the header cut with "…" too
    crlf = read_deck(MIRROR.replace("\n", "\r\n").replace("\n\n", "\n\u00a0\n"), "m")
    assert [(s.number, s.raw) for s in crlf.slides] == MIRROR_SLIDES
    # one "Page N:" line is slide text, not a layout
    assert detect_format("Intro\n\nPage 2: see the map\n") == "plain"


def test_a_mirror_page_header_that_does_not_repeat_is_slide_text():
    page = MIRROR.replace(f"Page 2: {MIRROR_HEADER}", "Page 2: Why tidy gardens?")
    deck = read_deck(page, "m")
    assert [(s.number, s.raw) for s in deck.slides] == [
        MIRROR_SLIDES[0], (2, "Why tidy gardens? Contents1.Soil2.Water3.Light"), *MIRROR_SLIDES[2:]]
    # slide titles: the first page's does not repeat (one beginning like it is no cut header)
    titles = "Page 1: Results\nfirst\nPage 2: Results (cont.)\nsecond\nPage 3: Results (cont.)\nthird\n"
    assert [s.raw for s in read_deck(titles).slides] == ["Results first", "Results (cont.) second",
                                                         "Results (cont.) third"]


def test_mirror_pages_stream_as_the_whole_file_reads():
    from pipeline.io.source import source_of_text
    from pipeline.read.transcript import iter_slides

    lines = MIRROR.splitlines(keepends=True)
    assert [(s.number, s.raw) for s in iter_slides(iter(lines), "pages", "m")] == MIRROR_SLIDES
    source = source_of_text(MIRROR, "m.txt")
    assert source.format == "pages"
    assert [(s.number, s.raw) for s in source.slides] == MIRROR_SLIDES


def test_three_page_markers_never_read_as_one_slide():
    page = "Chrome\nPage 1: A talk about soil, 2021, part one\nx\nPage 2: A talk about soil, 2021, part one\ny\nPage 3:\nz\n"
    deck = read_deck(page)
    assert [(s.number, s.raw) for s in deck.slides] == [(1, "x"), (2, "y"), (3, "z")]
    assert len(read_deck(page, fmt="plain").slides) == 1  # forced: the caller's choice


# Plain-text notes: headings measured against the file's own paragraphs; invented text.
LONG_PARAGRAPH = ("The speaker walked through how the garden club keeps its records, from paper "
                  "cards to a shared sheet, and why the move took two seasons to settle in.")


def test_a_plain_heading_over_40_characters_is_a_heading_among_long_paragraphs():
    from pipeline.read.notes import read_notes

    heading = "Keeping Records for a Community Garden Club"  # 43 characters
    assert len(heading) > 40
    text = f"Spring meetup notes\n\n{LONG_PARAGRAPH}\n\n{heading}\n\n{LONG_PARAGRAPH} {LONG_PARAGRAPH}\n\n{LONG_PARAGRAPH}\n"
    assert [s.heading for s in read_notes(text, "n.txt").sections] == ["Spring meetup notes", heading]


def test_a_60_character_line_among_70_character_paragraphs_is_no_heading():
    from pipeline.read.notes import plain_heading_max, read_notes

    para = "We planted beans along the fence and kept a log of every watering."  # 67 characters
    line = "Most of the beans came up within ten days of the first rain."  # 60 characters
    text = "\n\n".join([para] * 4 + [line, para + " " + para] + [para] * 3) + "\n"
    assert len(line) == 60 and plain_heading_max(text.split("\n")) < 60
    assert [s.heading for s in read_notes(text, "n.txt").sections] == [""]


def test_repeated_photo_captions_are_no_headings():
    from pipeline.read.notes import read_notes

    text = ("Autumn Harvest Day\n\nPhoto by a club member at the gate\n\n" + LONG_PARAGRAPH + "\n\n"
            "Photo by a club member\n\n" + LONG_PARAGRAPH + "\n\nSeed Swaps\n\n" + LONG_PARAGRAPH + "\n")
    assert [s.heading for s in read_notes(text, "n.txt").sections] == ["Autumn Harvest Day", "Seed Swaps"]
