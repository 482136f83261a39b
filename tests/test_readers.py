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
