"""Notes reader: Markdown or plain-text notes about talks, split into sections.

A section runs from one heading (``#`` to ``######``, or a paragraph line underlined with
``===`` or ``---``; a ``#`` line inside a fenced code block is code) to the next; it keeps its heading
text, level, heading path (the headings above it), body text (Markdown links, images
and HTML tags reduced to their text) and the links and arXiv ids found in it. Front
matter is skipped; text before the first heading is an untitled section::

    >>> n = read_notes("---\\ntitle: x\\n---\\nintro\\n## NLP\\n### BERT\\n[paper link](https://arxiv.org/abs/1810.04805) 좋음", "n.md")
    >>> [(s.heading, s.path, s.arxiv) for s in n.sections]
    [('', (), []), ('NLP', ('NLP',), []), ('BERT', ('NLP', 'BERT'), ['1810.04805'])]

Plain text and saved web pages have no Markdown headings: there a short line standing alone
(``DASH``, ``검색 로그부터 다시 보기``) that introduces a longer paragraph is a heading, and the
site's chrome (menus, bylines, related posts) stays in the untitled part or the body::

    >>> page = "본문 바로가기\\n메뉴\\n\\nDASH\\n\\n" + "적응형 스트리밍 표준으로, 네트워크에 맞춰 화질을 고른다. " * 2
    >>> [s.heading for s in read_notes(page, "blog.txt").sections]
    ['', 'DASH']

A page saved as HTML is read through its ``<h1>``–``<h6>`` headings, its navigation,
header, footer and scripts skipped (``html_notes``). A file with no heading of either kind
is one section. A transcript given as notes (a Speaker Deck page,
the player layout) is not notes: ``is_transcript`` tells them apart.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from pipeline.read.html_notes import html_to_markdown, looks_like_html
from pipeline.read.transcript import detect_format

_FRONT_MATTER = re.compile(r"\A---\s*\n.*?\n---\s*\n", re.S)
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_FENCE = re.compile(r"^ {0,3}(```+|~~~+)")
_SETEXT = re.compile(r"^ {0,3}(=+|-{2,})\s*$")  # "Title" underlined by === (level 1) or --- (level 2)
_NOT_PARAGRAPH = re.compile(r"^\s*(?:[-*+>|]|\d+[.)]\s|#)")  # list items, quotes, tables: no heading
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]*)[^)]*\)")
_TAG = re.compile(r"</?[A-Za-z!][^<>\n]{0,200}>")  # a tag starts with its name: <--광고 소재--> is text
_URL = re.compile(r"https?://[^\s)\]>]+")
_ARXIV = re.compile(r"arxiv\.org/(?:abs|pdf)/(\d{4}\.\d{4,5})")
PLAIN_PARAGRAPH_MIN = 30  # characters the paragraph a plain heading introduces has at least
# How long a plain heading may be, against the file's own paragraphs (its lines of at least
# PLAIN_PARAGRAPH_MIN characters, lists and quotes left out): a heading is short next to
# the text it heads, so at most PLAIN_HEADING_SHARE of their median length. A file of
# one-line paragraphs of 200 characters has headings of 50 or 60 ("Data Uni-Directional
# Architecture in Android" is 44); in a file of 70-character lines a 60-character line
# alone is a sentence, not a heading. The floor keeps the old fixed limit where the lines
# are short (wrapped text, few paragraphs); the cap keeps a sentence standing alone in a
# file of very long paragraphs from passing for a heading.
PLAIN_HEADING_SHARE = 0.6
PLAIN_HEADING_FLOOR = 40  # characters
PLAIN_HEADING_CAP = 80  # characters
# A short line alone that the file shows again (the same, or one the start of the other at
# a word's end) is a caption or page chrome ("Photo: the hall", "Photo: the hall, day 2"),
# not a heading, when the repeated part is at least this many words: a one- or two-word
# heading may well repeat under each talk ("Q&A", "Key points").
CAPTION_MIN_WORDS = 3
NOTES_SUFFIXES = (".md", ".markdown", ".txt", ".text", ".html", ".htm")


@dataclass
class Section:
    notes: str  # notes file name
    index: int  # position in the file
    heading: str  # heading text ("" for the untitled part before the first heading)
    level: int  # 1-6, 0 when untitled
    path: tuple[str, ...]  # headings from the top down to this one
    body: str = ""
    links: list[str] = field(default_factory=list)
    arxiv: list[str] = field(default_factory=list)


@dataclass
class Notes:
    name: str
    sections: list[Section]


def _plain(line: str) -> str:
    line = _IMAGE.sub(r"\1", line)
    line = _LINK.sub(r"\1", line)
    return _TAG.sub(" ", line)


def plain_heading_max(lines: list[str]) -> int:
    """The longest a plain heading may be in these lines: ``PLAIN_HEADING_SHARE`` of the
    median paragraph length, within ``PLAIN_HEADING_FLOOR`` and ``PLAIN_HEADING_CAP``.

    >>> plain_heading_max(["x" * 200, "", "y" * 100, "", "z" * 90])
    60
    >>> plain_heading_max(["short", "lines"])
    40
    """
    paragraphs = [len(x.strip()) for x in lines if len(x.strip()) >= PLAIN_PARAGRAPH_MIN and not _NOT_PARAGRAPH.match(x)]
    if not paragraphs:
        return PLAIN_HEADING_FLOOR
    limit = int(PLAIN_HEADING_SHARE * statistics.median(paragraphs))
    return min(PLAIN_HEADING_CAP, max(PLAIN_HEADING_FLOOR, limit))


def _repeats(a: str, b: str) -> bool:
    """Whether two short lines are one caption shown twice (see ``CAPTION_MIN_WORDS``)."""
    short, full = sorted((a, b), key=len)
    if not full.startswith(short) or (len(full) > len(short) and full[len(short)].isalnum()):
        return False
    return len(short.split()) >= CAPTION_MIN_WORDS


def plain_headings(lines: list[str]) -> list[int]:
    """In text with no Markdown headings, the lines that act as headings: at most
    ``plain_heading_max`` characters, a blank line (or the start) before and after, not a
    caption (a short line alone the file shows again), and the next non-blank line that is
    no caption a paragraph at least twice as long and ``PLAIN_PARAGRAPH_MIN`` long.

    >>> text = ["Shot on a phone camera", "", "x" * 50, "", "Plain notes on a long talk", "", "y" * 60,
    ...         "", "Shot on a phone camera, at noon", "", "z" * 70]
    >>> plain_headings(text)
    [4]
    """
    limit = plain_heading_max(lines)
    alone = []  # short lines standing alone: headings, or captions
    for i, line in enumerate(lines):
        head = line.strip()
        if not head or len(head) > limit or _NOT_PARAGRAPH.match(line):
            continue
        if (i > 0 and lines[i - 1].strip()) or (i + 1 < len(lines) and lines[i + 1].strip()):
            continue  # a heading stands alone; a line glued to its neighbours is part of a paragraph
        alone.append(i)
    by_opening: dict[tuple[str, ...], list[int]] = {}  # a caption shown twice opens alike both times
    for i in alone:
        by_opening.setdefault(tuple(lines[i].split()[:CAPTION_MIN_WORDS]), []).append(i)
    captions = {i for same in by_opening.values() for i in same for j in same
                if i != j and _repeats(lines[i].strip(), lines[j].strip())}
    out = []
    following = ""  # the next non-blank line after i that is no caption, kept from right to left
    heads = set(alone) - captions
    for i in range(len(lines) - 1, -1, -1):
        head = lines[i].strip()
        nxt = following
        if head and i not in captions:
            following = head
        if i in heads and len(nxt) >= max(PLAIN_PARAGRAPH_MIN, 2 * len(head)):
            out.append(i)
    return out[::-1]


def read_notes(text: str, name: str) -> Notes:
    """Split notes into sections (see the module docstring)."""
    text = _FRONT_MATTER.sub("", text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n"), count=1)
    if looks_like_html(text):  # a saved web page: its headings and article, not its chrome
        text = html_to_markdown(text)
    notes = _read_markdown(text, name)
    if len(notes.sections) == 1 and not notes.sections[0].heading:
        lines = text.split("\n")
        heads = set(plain_headings(lines))
        if heads:
            notes = _read_markdown("\n".join("## " + x.strip() if i in heads else x for i, x in enumerate(lines)), name)
    return notes


def _read_markdown(text: str, name: str) -> Notes:
    sections: list[Section] = []
    stack: list[tuple[int, str]] = []
    cur = Section(name, 0, "", 0, ())
    lines: list[str] = []  # the current section's raw lines (its heading line first, if any)
    fence = None  # the fence of the open code block: no heading inside one

    def close():
        for line in lines:
            cur.links += _URL.findall(line)
            cur.arxiv += _ARXIV.findall(line)
        cur.body = "\n".join(_plain(x) for x in lines[1 if cur.heading else 0 :]).strip()
        if cur.heading or cur.body:
            sections.append(cur)

    def open_section(level: int, title: str, line: str):
        nonlocal cur, lines
        close()
        heading = " ".join(_plain(title).split())
        while stack and stack[-1][0] >= level:
            stack.pop()
        stack.append((level, heading))
        cur = Section(name, len(sections), heading, level, tuple(h for _, h in stack))
        lines = [line]

    for line in text.split("\n"):
        m = _FENCE.match(line)
        if m and (fence is None or m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence)):
            fence = m.group(1) if fence is None else None
            lines.append(line)
            continue
        if fence is not None:
            lines.append(line)
            continue
        m = _HEADING.match(line)
        if m:
            open_section(len(m.group(1)), m.group(2), line)
            continue
        u = _SETEXT.match(line)
        prev = lines[-1] if lines and (len(lines) > 1 or not cur.heading) else ""  # not a heading line
        if u and prev.strip() and not _NOT_PARAGRAPH.match(prev) and not _FENCE.match(prev):
            lines.pop()  # the line above was the heading's text; the underline is dropped
            open_section(1 if u.group(1)[0] == "=" else 2, prev.strip(), prev)
            continue
        lines.append(line)
    close()
    for i, s in enumerate(sections):
        s.index = i
    if not sections:
        sections = [Section(name, 0, "", 0, ())]
    return Notes(name, sections)


def is_transcript(text: str) -> bool:
    """A deck transcript (Speaker Deck page, player layout) rather than notes."""
    return detect_format(text) in ("speakerdeck", "player")


NotesArg = str | Path | tuple[str, str]


def unreadable(data: bytes) -> str | None:
    """Why a notes file's bytes are no notes (empty, or binary), or None."""
    if not data.strip():
        return "empty"
    if b"\x00" in data[:8192]:
        return "binary (NUL bytes), not UTF-8 text"
    return None


def load_notes(items: Iterable[NotesArg], exclude: Iterable[Path] = (), skipped: list[str] | None = None) -> list[Notes]:
    """Notes from paths (files, or folders of ``.md``/``.txt`` files) or ``(name, text)`` pairs.
    Paths in ``exclude`` (the deck itself) and transcripts are left out; so are empty and
    binary files, each with a line ("file: notes skipped: reason") appended to ``skipped``."""
    skip = {Path(p).resolve() for p in exclude}
    out: list[Notes] = []
    for item in items:
        if isinstance(item, tuple):
            name, text = item
            if not is_transcript(text):
                out.append(read_notes(text, name))
            continue
        path = Path(item)
        files = sorted(p for p in path.iterdir() if p.suffix.lower() in NOTES_SUFFIXES) if path.is_dir() else [path]
        for f in files:
            if f.resolve() in skip or not f.is_file():
                continue
            data = f.read_bytes()
            if (why := unreadable(data)) is not None:
                if skipped is not None:
                    skipped.append(f"{f}: notes skipped: {why}")
                continue
            text = data.decode("utf-8", "replace")
            if not is_transcript(text):
                out.append(read_notes(text, f.name))
    return out
