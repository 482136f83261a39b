"""Transcript readers: turn a saved transcript page into a ``Deck`` of raw slides.

Four layouts are understood. ``detect_format`` scores each over the whole file (how many
lines it explains as layout) and the best explains the page; blank or whitespace-only
lines, CRLF and no-break spaces never change which line is what:

``speakerdeck``  a Speaker Deck page (or a mirror of one) saved as text: page chrome, a
                 ``Transcript`` line, then items ``  N. first words`` whose indented
                 continuation lines join with a space::

                     Transcript
                       1. Google I/O Extended Seoul All you need is Google’s AI
                         Tech Junseong Kim (ӣળࢿ)

                 gives slide 1 = ``Google I/O Extended Seoul All you need is Google’s AI Tech Junseong Kim (ӣળࢿ)``.
``player``       the player/accessibility variant: ``Slide N``, ``Slide N text``, the text,
                 with any number of blank lines between them.
``pages``        a document-mirror page: a title block and a ``Transcript of …`` line (page
                 chrome), then one block per slide, opened by a ``Page N: header`` line whose
                 header is the document's title line repeated on every page (chrome too:
                 dropped). The lines after it, up to the next ``Page`` line, join with a space::

                     Page 1: Tidy Gardens · 2021-04-02 · Contents 1. Soil 2. Water
                     Tidy Gardens
                     Hana Seo
                     Page 2: Tidy Gardens · 2021-04-02 · Contents 1. Soil 2. Water
                     Soil first

                 gives slide 1 = ``Tidy Gardens Hana Seo``, slide 2 = ``Soil first``. The
                 repeated header is the first page's, seen again on a later page (or cut
                 short there, see ``_same_header``); any other header (``Page 3: Water``) is
                 the slide's own text and stays, as its first words.
``plain``        plain text, one slide per form-feed page (pdfminer output included;
                 its ``(cid:N)`` tokens are decoded later by the CID stage).

Page placeholders (``View Slide``, ``No content``, an item whose only text is ``None``) are
chrome: an image-only slide is kept, numbered, with empty text. A page whose layout
markers appear three or more times but which would read as one slide is refused: one
giant slide is never a reading. The readers never change a character of the slide text
beyond joining lines: what they leave out is chrome (placeholders, a mirror's repeated
header), never a part of a line of the slide's own text.
"""

from __future__ import annotations

import difflib
import re
from typing import Iterable, Iterator

import regex

from pipeline.deck import Deck, Slide
from pipeline.read.inputs import MAX_SLIDE_CHARS, InputRejected, check_slide

FORMATS = ("speakerdeck", "player", "pages", "plain")
MIN_MARKERS = 3  # this many layout markers promise more than one slide


class NoSlidesError(ValueError):
    """The input holds no slide at all (or a layout the reader cannot split into slides)."""


_SP = "[ \\t\\u00a0\\u2007\\u202f]"  # indentation and spacing, no-break spaces included
_ITEM = re.compile(rf"^({_SP}{{0,4}})(\d{{1,7}})\.(?:{_SP}+(.*))?{_SP}*$")
_SLIDE_HEAD = re.compile(rf"^{_SP}*Slide{_SP}+(\d{{1,7}}){_SP}*$")
_SLIDE_TEXT_HEAD = re.compile(rf"^{_SP}*Slide{_SP}+(\d{{1,7}}){_SP}+text{_SP}*$")
_TRANSCRIPT = re.compile(rf"^{_SP}*Transcript{_SP}*$")
_VIEW_SLIDE = re.compile(rf"^{_SP}*View{_SP}+Slide{_SP}*$")
_PAGE = re.compile(rf"^{_SP}*Page{_SP}+(\d{{1,7}}){_SP}*:{_SP}*(.*?){_SP}*$")  # "Page N: header"
PAGE_MARKERS_MIN = 2  # "Page N:" lines a mirror page has at least: one alone may be slide text
# A mirror's repeated header is long (title · date · summary); a page may show it cut, with
# a cut mark ("…", "...") or without one (a page cut off mid-line). A cut header is the
# repeated one when what is left of it is at least HEADER_CUT_MIN characters and, without a
# cut mark, HEADER_CUT_SHARE of the full header: a slide title that merely begins like its
# neighbour's ("Results" / "Results (cont.)") is too short to be taken for one.
HEADER_CUT_MIN = 20
HEADER_CUT_SHARE = 0.8
PAGE_HOLD = 16  # pages read ahead for the first page's header to repeat: a mirror repeats it on each
# what a page shows for a slide without text: a slide made only of these is empty
PLACEHOLDERS = frozenset({"View Slide", "No content", "None"})
_DATE = regex.compile(
    r"^\s*(?:January|February|March|April|May|June|July|August|September|October|November|December)"
    r"\s+\d{1,2},\s+\d{4}\s*$"
)


def lines_of(text: str) -> list[str]:
    """Lines of a transcript, whatever its line ends (LF, CRLF, CR)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _join(lines: list[str], placeholders: bool = True) -> str:
    text = " ".join(line.strip() for line in lines if line.strip())
    return "" if placeholders and " ".join(text.split()) in PLACEHOLDERS else text


def _indent(m: re.Match) -> int:
    return len(m.group(1).expandtabs(4))


def iter_slides(lines: Iterable[str], fmt: str, name: str) -> Iterator[Slide]:
    """The slides of a transcript given as lines (with or without line ends), in order.

    This one parser serves whole files (``read_deck``) and streams (``pipeline/io/stream.py``).
    """
    if fmt == "plain":
        yield from _iter_pages(lines, name)
        return
    if fmt == "pages":
        yield from _iter_mirror(lines, name)
        return
    number: int | None = None
    body: list[str] = []
    indent: int | None = None  # the items' indentation: deeper lines continue an item
    started = fmt == "player"
    for raw_line in lines:
        line = raw_line.rstrip("\n").rstrip("\r")
        if fmt == "speakerdeck":
            if not started:
                started = _TRANSCRIPT.match(line) is not None
                continue
            if _VIEW_SLIDE.match(line):
                continue
            m = _ITEM.match(line)
            if m and (indent is None or _indent(m) <= indent):
                if number is not None:
                    yield Slide(name, number, _join(body))
                indent = _indent(m) if indent is None else indent
                number, body = int(m.group(2)), [m.group(3) or ""]
            elif number is not None and line.strip():
                body.append(line)
        else:
            m = _SLIDE_HEAD.match(line)
            t = _SLIDE_TEXT_HEAD.match(line)
            if t and number == int(t.group(1)) and not "".join(body).strip():
                continue  # "Slide N text" under its "Slide N"
            if m or t:
                if number is not None:
                    yield Slide(name, number, _join(body))
                number, body = int((m or t).group(1)), []
            elif number is not None:
                body.append(line)
    if number is not None:
        yield Slide(name, number, _join(body))


def _same_header(a: str, b: str) -> bool:
    """Whether two pages' headers are the one repeated header: equal, or one cut short of the
    other (see ``HEADER_CUT_MIN``).

    >>> _same_header("Tidy Gardens at Scale · 2021 · Contents", "Tidy Gardens at Scale · 20…")
    True
    >>> _same_header("Results", "Results (cont.)")
    False
    """
    if a == b:
        return True
    short, full = sorted((a, b), key=len)
    marked = short.endswith(_CUT)
    stem = short.rstrip(".…").rstrip() if marked else short.rstrip()
    if len(stem) < HEADER_CUT_MIN or not full.startswith(stem):
        return False
    return marked or len(stem) >= HEADER_CUT_SHARE * len(full)


def _mirror_pages(lines: Iterable[str]) -> Iterator[tuple[int, str, list[str]]]:
    """(number, header, body lines) of each ``Page N:`` block; lines before the first are chrome."""
    number: int | None = None
    header, body = "", []
    for raw_line in lines:
        line = raw_line.rstrip("\n").rstrip("\r")
        m = _PAGE.match(line)
        if m:
            if number is not None:
                yield number, header, body
            number, header, body = int(m.group(1)), m.group(2) or "", []
        elif number is not None:
            body.append(line)
    if number is not None:
        yield number, header, body


def _iter_mirror(lines: Iterable[str], name: str) -> Iterator[Slide]:
    """Slides of a document-mirror page (layout ``pages``). The repeated header is the first
    page's header, once a later page within ``PAGE_HOLD`` pages shows it again; a page whose
    header is that one (``_same_header``) drops it as chrome, any other header is the
    slide's first line. Pages are held back only until the repeat is seen (``PAGE_HOLD`` at
    most), so a stream reads as the whole file does.

    >>> page = ["Intro", "Page 1: Tidy Gardens at Scale · 2021", "Tidy Gardens", "",
    ...         "Page 2: Tidy Gardens at Scale · 2021", "Soil first", "Page 3: Water", "Rain barrels"]
    >>> [(s.number, s.raw) for s in _iter_mirror(page, "d")]
    [(1, 'Tidy Gardens'), (2, 'Soil first'), (3, 'Water Rain barrels')]
    """
    first: str | None = None  # the first page's header
    chrome: str | None = None  # the repeated header; "" once none repeats within PAGE_HOLD pages
    held: list[tuple[int, str, list[str]]] = []

    def slide(number: int, header: str, body: list[str]) -> Slide:
        drop = bool(chrome) and bool(header) and _same_header(header, chrome)
        return Slide(name, number, _join(body if drop else [header, *body]))

    for page in _mirror_pages(lines):
        if chrome is not None:
            yield slide(*page)
            continue
        header = page[1]
        if first is None:
            first = header
        elif header and first and _same_header(header, first):
            chrome = first
        held.append(page)
        if chrome is None and len(held) > PAGE_HOLD:
            chrome = ""
        if chrome is not None:
            for p in held:
                yield slide(*p)
            held = []
    for p in held:  # no repeat: every header is slide text
        yield slide(*p)


def _iter_pages(blocks: Iterable[str], name: str) -> Iterator[Slide]:
    """Form-feed pages of a plain transcript given as blocks of any size (a file may have
    no line breaks at all); a page with no text is no slide, but keeps its number. An open
    page is kept as its pieces, joined once when its form feed comes: a page past
    ``MAX_SLIDE_CHARS`` is refused before it is ever one string."""
    pieces: list[str] = []  # the open page
    size, number = 0, 0

    def page(text: str):
        nonlocal number
        number += 1
        text = _join(lines_of(text), placeholders=False)
        return Slide(name, number, text) if text else None

    for block in blocks:
        first, *rest = block.split("\f")
        size += len(first)
        if size > MAX_SLIDE_CHARS:
            raise InputRejected(f"{name}: a page of over {MAX_SLIDE_CHARS:,} characters, over the limit")
        pieces.append(first)
        if not rest:
            continue
        for text in ["".join(pieces), *rest[:-1]]:
            if (slide := page(text)) is not None:
                yield slide
        pieces, size = [rest[-1]], len(rest[-1])
    if (slide := page("".join(pieces))) is not None:
        yield slide


# Speaker Deck's page chrome above the transcript, as a saved page shows it (a snapshot may
# lack any part but the date; blank lines do not count):
#
#     Upgrade to Pro — …                      a site banner
#     Some Talk ...                           the header: the title (maybe cut short),
#     [Avatar for Kim Minji] Kim Minji [PRO]  the author (avatar text, badge),
#     March 3, 2024  [1234]                   the date, view and star counts
#     Some Talk: the full title               the description: the title again, in full,
#     A description …                         its text,
#     [Avatar for Kim Minji] Kim Minji [PRO]  the author,
#     March 3, 2024                           the date,
#     Tweet  Share                            share buttons,
#     More Decks by Kim Minji                 and lists of other decks
#     Other Decks in Research
#
# A title is the line the page shows twice (the header's, then the description's); an
# author is the name in "More Decks by …" or in the slot above a date.
_BUTTONS = frozenset({"Tweet", "Share", "Embed", "Download", "Download PDF", "Star", "Like", "Follow", "Report"})
_BADGES = frozenset({"PRO", "Pro"})
_AVATAR = regex.compile(r"^Avatar\s+for\s+(.+)$")
_AVATAR_IMAGE = regex.compile(r"^[0-9a-f]{32}(?:\?s=\d+)?$")  # an avatar image's address
_COUNT = regex.compile(r"^\d[\d,.]*\s*[kKmM]?(?:\s+(?:views?|stars?|likes?))?$")
_MORE_BY = regex.compile(r"^More\s+Decks\s+by\s+(.+)$")
_OTHER_IN = regex.compile(r"^Other\s+Decks\s+in\s+")
_CUT = ("...", "…")


def _kind(line: str) -> str:
    """What a chrome line is: date, count, badge, avatar, button, list (of other decks) or text."""
    if _DATE.match(line):
        return "date"
    if _COUNT.match(line):
        return "count"
    if line in _BADGES:
        return "badge"
    if _AVATAR.match(line) or _AVATAR_IMAGE.match(line):
        return "avatar"
    if line in _BUTTONS:
        return "button"
    if _MORE_BY.match(line) or _OTHER_IN.match(line):
        return "list"
    return "text"


def _same_title(first: str, again: str) -> bool:
    """Whether two lines are one title shown twice: equal, the first cut short of the
    second, or one line damaged differently (a no-break space read as another character)."""
    if first == again:
        return True
    if first.endswith(_CUT):
        stem = first.rstrip(".… ")
        return bool(stem) and again.startswith(stem)
    return min(len(first), len(again)) >= 8 and difflib.SequenceMatcher(None, first, again).ratio() >= 0.9


def _author_slot(content: list[str], kinds: list[str], date: int) -> tuple[str | None, int]:
    """The name in the author slot above the date at ``date`` (badges and the avatar
    skipped), and where the slot starts."""
    k = date - 1
    while k >= 0 and kinds[k] == "badge":
        k -= 1
    if k < 0:
        return None, date
    name = None
    if kinds[k] == "text":
        name = content[k]
    elif (m := _AVATAR.match(content[k])) is not None:  # avatar text and name on one line
        words = m.group(1).split()
        half = len(words) // 2
        if len(words) % 2 == 0 and words[:half] == words[half:]:
            name = " ".join(words[:half])
    else:
        return None, date
    start = k
    while start > 0 and kinds[start - 1] == "avatar":
        start -= 1
    return name, start


def _chrome(lines: list[str]) -> dict[str, str | None]:
    """Title, author and date from the page chrome above the transcript, read as the layout
    above; a field the layout does not give for certain is None."""
    meta: dict[str, str | None] = {"title": None, "author": None, "date": None}
    content = [line.strip() for line in lines if line.strip()]
    kinds = [_kind(line) for line in content]
    dates = [k for k, kind in enumerate(kinds) if kind == "date"]
    more_by = next((m.group(1).strip() for line in content if (m := _MORE_BY.match(line))), None)
    if not dates:
        meta["author"] = more_by
        return meta
    first = dates[0]
    meta["date"] = content[first]
    name, slot = _author_slot(content, kinds, first)
    after = first + 1
    while after < len(content) and kinds[after] == "count":
        after += 1
    if after < len(content) and kinds[after] == "text" and slot > 0 and kinds[slot - 1] == "text":
        # a header: title, author, date; the description's title after it
        header, again = content[slot - 1], content[after]
        if _same_title(header, again):
            meta["title"] = again if header.endswith(_CUT) else header
    else:  # no header: the page's title, then the description's
        for k in range(min(2, len(content) - 1)):
            if kinds[k] == kinds[k + 1] == "text" and _same_title(content[k], content[k + 1]):
                meta["title"] = content[k]
                break
    meta["author"] = more_by or name
    return meta


def layout_scores(lines: list[str]) -> dict[str, int]:
    """How many lines each layout explains as its own markup.

    ``speakerdeck``: a ``Transcript`` line and the item and ``View Slide`` lines after it;
    ``player``: ``Slide N`` and ``Slide N text`` lines; ``pages``: ``Page N:`` lines, when
    there are at least ``PAGE_MARKERS_MIN``; ``plain``: explains none.

    >>> layout_scores(["Slide 1", "", "Slide 1 text", "", "hi", "Slide 2", "Slide 2 text", "yo"])
    {'speakerdeck': 0, 'player': 4, 'pages': 0, 'plain': 0}
    >>> layout_scores(["Transcript of T", "Page 1: T", "hi", "Page 2: T", "yo"])
    {'speakerdeck': 0, 'player': 0, 'pages': 2, 'plain': 0}
    """
    deck = 0
    start = next((i for i, line in enumerate(lines) if _TRANSCRIPT.match(line)), None)
    if start is not None:
        deck = 1 + sum(1 for line in lines[start + 1 :] if _ITEM.match(line) or _VIEW_SLIDE.match(line))
    player = sum(1 for line in lines if _SLIDE_HEAD.match(line) or _SLIDE_TEXT_HEAD.match(line))
    pages = sum(1 for line in lines if _PAGE.match(line))
    return {"speakerdeck": deck, "player": player, "pages": pages if pages >= PAGE_MARKERS_MIN else 0, "plain": 0}


def detect_format(text: str) -> str:
    """The layout that explains most lines of the page (``plain`` when none explains any).

    >>> detect_format("Transcript\\n\\n  1. Hello\\n\\n  2. World\\n")
    'speakerdeck'
    >>> detect_format("Slide 1\\r\\n\\r\\nSlide 1 text\\r\\n\\r\\nHello\\r\\n")
    'player'
    >>> detect_format("Page 1: T · 2021\\nHello\\nPage 2: T · 2021\\nWorld\\n")
    'pages'
    >>> detect_format("just text")
    'plain'
    """
    scores = layout_scores(lines_of(text))
    best = max(FORMATS, key=lambda f: scores[f])  # ties: the order of FORMATS
    return best if scores[best] else "plain"


def read_deck(text: str, name: str = "deck", fmt: str | None = None) -> Deck:
    """Parse a transcript into a ``Deck``; raise ``NoSlidesError`` if it holds no slide, or
    (layout detected, not forced with ``fmt``) only one where its layout markers promise several."""
    if fmt is not None and fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    text = text.lstrip("\ufeff")
    lines = lines_of(text)
    forced = fmt is not None
    fmt = fmt or detect_format(text)
    slides = list(iter_slides(lines if fmt != "plain" else [text], fmt, name))
    for s in slides:
        check_slide(name, s.number, s.raw)
    if not any(s.raw for s in slides):
        raise NoSlidesError(f"{name}: no slide found (format {fmt})")
    scores = layout_scores(lines)
    if not forced and len(slides) == 1 and max(scores.values()) >= MIN_MARKERS:
        layout = max(FORMATS, key=lambda f: scores[f])
        hint = f"try --format {layout}" if layout != fmt else "its slides are in a shape this reader does not know"
        raise NoSlidesError(f"{name}: {scores[layout]} {layout} layout lines, but read as {fmt} the page is "
                            f"one slide ({hint}; please report the page)")
    if fmt == "player":
        first = next((i for i, line in enumerate(lines) if _SLIDE_HEAD.match(line) or _SLIDE_TEXT_HEAD.match(line)), 0)
        meta = _chrome(lines[:first])
    elif fmt == "speakerdeck":
        meta = _chrome(lines[: next(i for i, line in enumerate(lines) if _TRANSCRIPT.match(line))])
    else:  # plain has no chrome; a mirror's (title block) is not read: streams read none either
        meta = {}
    return Deck(name=name, slides=slides, format=fmt, **meta)
