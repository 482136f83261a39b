"""Streaming a large transcript: slides read line by line and cleaned in chunks.

A transcript past ``STREAM_BYTES`` is not read whole: ``iter_slides`` yields its slides
as the lines come, and ``clean_stream`` runs the steps over chunks of ``CHUNK_SLIDES``
slides (or ``CHUNK_BYTES`` of text), writing each chunk's records before reading on, so
memory stays bounded whatever the input size. Deck-wide decisions (is the deck garbled,
which normalization did it go through, which notes cover it) are then taken per chunk.
"""

from __future__ import annotations

import io
import itertools
from typing import Iterable, Iterator, TextIO

from .align import Aligner
from .clean import Config, run_steps
from .deck import Deck, Slide
from .inputs import MAX_SLIDE_CHARS, InputRejected, check_slide
from .readers import _SLIDE_HEAD, _SLIDE_TEXT_HEAD, _VIEW_SLIDE, NoSlidesError, detect_format, item_start

STREAM_BYTES = 64 * 1024 * 1024  # inputs larger than this are streamed
CHUNK_SLIDES = 2000
CHUNK_BYTES = 4 * 1024 * 1024
SNIFF_BYTES = 1024 * 1024


def _joined(lines: list[str]) -> str:
    return " ".join(x.strip() for x in lines if x.strip())


def iter_pages(blocks: Iterable[str], name: str) -> Iterator[Slide]:
    """Form-feed pages of a plain transcript given as blocks of any size (a file may have
    no line breaks at all), numbered as ``read_deck`` numbers them."""
    rest, number = "", 0
    for block in blocks:
        parts = (rest + block).split("\f")
        rest = parts.pop()
        if len(rest) > MAX_SLIDE_CHARS:
            raise InputRejected(f"{name}: a page of over {MAX_SLIDE_CHARS:,} characters, over the limit")
        for page in parts:
            number += 1
            text = _joined(page.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
            if text:
                yield Slide(name, number, text)
    text = _joined(rest.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    if text:
        yield Slide(name, number + 1, text)


def iter_slides(lines: Iterable[str], fmt: str, name: str) -> Iterator[Slide]:
    """Slides of a transcript given as lines (with or without line ends), in order."""
    if fmt == "plain":
        yield from iter_pages(lines, name)
        return
    cur: tuple[int, list[str]] | None = None
    indent = None
    started = fmt == "player"
    skip_text_head = False
    for raw_line in lines:
        line = raw_line.rstrip("\n").rstrip("\r")
        if fmt == "speakerdeck":
            if not started:
                started = line.strip() == "Transcript"
                continue
            if _VIEW_SLIDE.match(line):
                continue
            m = item_start(line, indent)
            if m:
                indent = m.group(1)
                if cur and _joined(cur[1]):
                    yield Slide(name, cur[0], _joined(cur[1]))
                cur = (int(m.group(2)), [m.group(3) or ""])
            elif cur and line.strip():
                cur[1].append(line)
        else:
            m = _SLIDE_HEAD.match(line)
            if m:
                if cur and _joined(cur[1]):
                    yield Slide(name, cur[0], _joined(cur[1]))
                cur = (int(m.group(1)), [])
                skip_text_head = True
                continue
            if skip_text_head and _SLIDE_TEXT_HEAD.match(line):
                skip_text_head = False
                continue
            skip_text_head = False
            if cur is not None:
                cur[1].append(line)
    if cur and _joined(cur[1]):
        yield Slide(name, cur[0], _joined(cur[1]))


def chunks(slides: Iterator[Slide]) -> Iterator[list[Slide]]:
    chunk: list[Slide] = []
    size = 0
    for s in slides:
        check_slide(s.deck, s.number, s.raw)
        chunk.append(s)
        size += len(s.raw)
        if len(chunk) >= CHUNK_SLIDES or size >= CHUNK_BYTES:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def clean_stream(fh: TextIO, name: str, config: Config, aligner: Aligner | None, write) -> dict:
    """Clean the transcript read from ``fh`` chunk by chunk; ``write(records)`` takes each
    chunk's records. Returns the deck's counts, as ``Deck.summary`` gives them."""
    head = fh.read(SNIFF_BYTES)
    fmt = config.format or detect_format(head)
    if fmt == "plain":  # blocks, not lines: a plain transcript may have no line breaks
        lines = itertools.chain([head.lstrip("\ufeff")], iter(lambda: fh.read(SNIFF_BYTES), ""))
    else:
        lines = itertools.chain(io.StringIO(head.lstrip("\ufeff")), fh)
    seen = 0
    summary: dict = {"deck": name, "format": fmt, "streamed": True, "slides": 0, "characters_repaired": {},
                     "quarantined_spans": 0, "quarantine_reasons": {}, "aligned_slides": 0}
    for chunk in chunks(iter_slides(lines, fmt, name)):
        deck = run_steps(Deck(name, chunk, format=fmt), config, aligner)
        write(deck.records(config.placeholder))
        part = deck.summary()
        for key in ("slides", "aligned_slides", "quarantined_spans"):
            summary[key] += part[key]
        for key in ("characters_repaired", "quarantine_reasons"):
            for k, v in part[key].items():
                summary[key][k] = summary[key].get(k, 0) + v
        seen += len(chunk)
    if not seen:
        raise NoSlidesError(f"{name}: no slide found (format {fmt})")
    return summary
