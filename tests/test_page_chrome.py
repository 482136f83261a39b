"""Title, author and date read from Speaker Deck's page chrome as a layout: the header
(title, author, date, counts), the description (the title again), the author slot above a
date, the share buttons and the lists of other decks. The pages here are invented; the
real pages in ../shared are only checked for chrome words read as a title or an author."""

from __future__ import annotations

import re

import pytest

from paths import SHARED, need_shared
from pipeline.read.transcript import read_deck

BODY = "\nTranscript\n\n  1. Opening slide\n\n  2. Second slide\n"
BANNER = "Upgrade to Pro — share decks privately, control downloads, hide ads and more …\n\n"


def meta(chrome: str) -> tuple:
    deck = read_deck(chrome + BODY, "d")
    return deck.title, deck.author, deck.date


def test_a_page_without_its_header_takes_the_title_shown_twice_not_a_share_button():
    page = BANNER + """Tidy Gardens at Scale

Tidy Gardens at Scale

Notes from a spring meetup about gardens.

Avatar for Hana Seo

Hana Seo

April 2, 2021
Tweet

More Decks by Hana Seo

Other Decks in Design
"""
    assert meta(page) == ("Tidy Gardens at Scale", "Hana Seo", "April 2, 2021")


def test_a_view_count_after_the_date_is_no_title():
    page = BANNER + """Rivers and Boats

Dae Park
May 5, 2022
1,204

Rivers and Boats

A talk on boats.

Dae Park

May 5, 2022
Tweet
"""
    assert meta(page) == ("Rivers and Boats", "Dae Park", "May 5, 2022")


def test_a_pro_badge_is_no_author():
    page = BANNER + """Paper Lanterns

lanternco
PRO
June 9, 2020

Paper Lanterns

#craft

lanternco
PRO

June 9, 2020
Tweet

More Decks by lanternco
"""
    assert meta(page) == ("Paper Lanterns", "lanternco", "June 9, 2020")
    no_list = page[: page.index("More Decks")]  # the author slot alone, badge skipped
    assert meta(no_list) == ("Paper Lanterns", "lanternco", "June 9, 2020")


def test_avatar_text_run_into_the_name_is_no_author():
    page = BANNER + """Quiet Kettles

Avatar for Mirae Mirae
July 1, 2019

Quiet Kettles

About kettles.
"""
    assert meta(page) == ("Quiet Kettles", "Mirae", "July 1, 2019")


def test_a_title_cut_short_in_the_header_is_read_in_full_from_the_description():
    page = BANNER + """Long Roads: a study of ...

Ira Moon
March 3, 2018

Long Roads: a study of very long roads

Text.
"""
    assert meta(page) == ("Long Roads: a study of very long roads", "Ira Moon", "March 3, 2018")


def test_where_the_layout_does_not_say_the_fields_stay_empty():
    # no title shown twice, only a date and buttons: no title (the line above the date is the author slot)
    assert meta("August 8, 2023\nTweet\nShare\n") == (None, None, "August 8, 2023")
    assert meta("Some Words\n\nAugust 8, 2023\nTweet\nShare\n") == (None, "Some Words", "August 8, 2023")
    assert meta("") == (None, None, None)
    # the header's title and the description's disagree: which is the title is not certain
    page = "Alpha Talk\n\nJo Yun\nMay 1, 2020\n\nSomething else entirely\n"
    assert meta(page) == (None, "Jo Yun", "May 1, 2020")


CHROME_WORD = re.compile(r"^(?:Tweet|Share|Embed|PRO|Pro|[\d,.]+|Avatar for .*|More Decks by .*|Other Decks in .*)$")


def real_pages() -> list:
    shared = need_shared()
    corpus = shared / "devcorpus"
    pages = sorted((corpus / "decks").glob("*/*.txt")) + sorted((corpus / "align").glob("*/deck*.txt"))
    pages += sorted((shared / "seeds").glob("*.txt"))
    if not pages:
        pytest.skip(f"no real pages under {SHARED}")
    return pages


def test_no_title_or_author_of_a_real_page_is_a_chrome_word():
    rows, bad = [], []
    for path in real_pages():
        deck = read_deck(path.read_text(encoding="utf-8"), path.stem)
        rows.append((f"{path.parent.name}/{path.stem}"[:60], deck.format, deck.title, deck.author))
        for field in (deck.title, deck.author):
            if field is not None and CHROME_WORD.match(field):
                bad.append((path.name, field))
    print(f"\n{'page':60} | {'format':11} | {'title':40} | author")
    for name, fmt, title, author in rows:
        print(f"{name:60} | {fmt:11} | {str(title)[:40]:40} | {author}")
    assert bad == []
