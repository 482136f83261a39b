from __future__ import annotations

import pytest

from pipeline.readers import NoSlidesError, detect_format, read_deck

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
