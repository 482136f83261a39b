"""Transcript readers: turn a saved transcript page into a ``Deck`` of raw slides.

Three layouts are understood, and ``read_deck`` picks one by looking:

``speakerdeck``  a Speaker Deck page saved as text: page chrome, a ``Transcript``
                 line, then items ``  N. first words`` whose indented continuation
                 lines join with a space (``View Slide`` lines are skipped)::

                     Transcript
                       1. Google I/O Extended Seoul All you need is Google’s AI
                         Tech Junseong Kim (ӣળࢿ)

                 gives slide 1 = ``Google I/O Extended Seoul All you need is Google’s AI Tech Junseong Kim (ӣળࢿ)``.
``player``       the player/accessibility variant: ``Slide N`` / ``Slide N text`` / the text.
``plain``        plain text, one slide per form-feed page (pdfminer output included;
                 its ``(cid:N)`` tokens are decoded later by the CID stage).

The readers never change a character of the slide text beyond joining lines.
"""

from __future__ import annotations

import re

import regex

from .deck import Deck, Slide
from .inputs import check_slide

FORMATS = ("speakerdeck", "player", "plain")


class NoSlidesError(ValueError):
    """The input holds no slide at all."""


_ITEM = re.compile(r"^( {0,3})(\d{1,7})\.(?: (.*))?$")
_SLIDE_HEAD = re.compile(r"^\s*Slide (\d{1,7})\s*$")
_SLIDE_TEXT_HEAD = re.compile(r"^\s*Slide (\d{1,7}) text\s*$")
_DATE = regex.compile(
    r"^\s*(?:January|February|March|April|May|June|July|August|September|October|November|December)"
    r"\s+\d{1,2},\s+\d{4}\s*$"
)
_VIEW_SLIDE = re.compile(r"^\s*View Slide\s*$")


def item_start(line: str, indent: str | None) -> re.Match | None:
    """A Speaker Deck item line: ``N.`` at the items' indentation (the first item's), whatever
    the number, so numbers out of order or repeated still start slides; continuation lines
    are indented deeper."""
    m = _ITEM.match(line)
    if m and (indent is None or m.group(1) == indent):
        return m
    return None


def _join(lines: list[str]) -> str:
    return " ".join(line.strip() for line in lines if line.strip())


def _lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _chrome(lines: list[str]) -> dict[str, str | None]:
    """Title, author and date from the page chrome above the transcript, when present."""
    meta: dict[str, str | None] = {"title": None, "author": None, "date": None}
    nonblank = [(i, line.strip()) for i, line in enumerate(lines) if line.strip()]
    for k, (_i, line) in enumerate(nonblank):
        if _DATE.match(line):
            meta["date"] = line
            if k > 0:
                meta["author"] = nonblank[k - 1][1]
            if k + 1 < len(nonblank):
                meta["title"] = nonblank[k + 1][1]
            break
    return meta


def _read_speakerdeck(text: str, name: str) -> Deck:
    lines = _lines(text)
    try:
        start = next(i for i, line in enumerate(lines) if line.strip() == "Transcript")
    except StopIteration:
        raise NoSlidesError("no 'Transcript' line") from None
    items: list[tuple[int, list[str]]] = []
    indent = None
    for line in lines[start + 1 :]:
        if _VIEW_SLIDE.match(line):
            continue
        m = item_start(line, indent)
        if m:
            indent = m.group(1)
            items.append((int(m.group(2)), [m.group(3) or ""]))
        elif items and line.strip():
            items[-1][1].append(line)
    slides = [Slide(deck=name, number=n, raw=_join(body)) for n, body in items]
    return Deck(name=name, slides=slides, format="speakerdeck", **_chrome(lines[:start]))


def _read_player(text: str, name: str) -> Deck:
    lines = _lines(text)
    slides: list[tuple[int, list[str]]] = []
    i = 0
    while i < len(lines):
        m = _SLIDE_HEAD.match(lines[i])
        if m:
            slides.append((int(m.group(1)), []))
            if i + 1 < len(lines) and _SLIDE_TEXT_HEAD.match(lines[i + 1]):
                i += 1
        elif slides:
            slides[-1][1].append(lines[i])
        i += 1
    first = next((i for i, line in enumerate(lines) if _SLIDE_HEAD.match(line)), 0)
    return Deck(
        name=name,
        slides=[Slide(deck=name, number=n, raw=_join(body)) for n, body in slides],
        format="player",
        **_chrome(lines[:first]),
    )


def _read_plain(text: str, name: str) -> Deck:
    pages = text.split("\f")
    if pages and not pages[-1].strip():  # pdfminer ends with a form feed
        pages.pop()
    slides = [Slide(deck=name, number=i, raw=_join(_lines(page))) for i, page in enumerate(pages, 1)]
    return Deck(name=name, slides=slides, format="plain")


_READERS = {"speakerdeck": _read_speakerdeck, "player": _read_player, "plain": _read_plain}


def detect_format(text: str) -> str:
    """``speakerdeck`` if a ``Transcript`` line is followed by numbered items, ``player`` if
    ``Slide N`` blocks are present, else ``plain``."""
    lines = _lines(text)
    for i, line in enumerate(lines):
        if line.strip() == "Transcript":
            nxt = next((x for x in lines[i + 1 :] if x.strip() and not _VIEW_SLIDE.match(x)), "")
            if not nxt or _ITEM.match(nxt):  # an empty transcript is still a Speaker Deck page
                return "speakerdeck"
    heads = sum(1 for i, line in enumerate(lines[:-1]) if _SLIDE_HEAD.match(line) and _SLIDE_TEXT_HEAD.match(lines[i + 1]))
    if heads:
        return "player"
    return "plain"


def read_deck(text: str, name: str = "deck", fmt: str | None = None) -> Deck:
    """Parse a transcript into a ``Deck``; raise ``NoSlidesError`` if it holds no slide."""
    if fmt is not None and fmt not in _READERS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    fmt = fmt or detect_format(text)
    deck = _READERS[fmt](text.lstrip("\ufeff"), name)
    deck.slides = [s for s in deck.slides if s.raw]
    for s in deck.slides:
        check_slide(name, s.number, s.raw)
    if not deck.slides:
        raise NoSlidesError(f"{name}: no slide found (format {fmt})")
    return deck
