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
from typing import Iterator, TextIO

from pipeline.align.aligner import Aligner
from pipeline.clean import DECK_CHUNK, Config, run_steps
from pipeline.deck import Deck, Slide, add_summary
from pipeline.read.inputs import check_slide
from pipeline.read.transcript import NoSlidesError, detect_format, iter_slides

STREAM_BYTES = 64 * 1024 * 1024  # inputs larger than this are streamed
CHUNK_SLIDES = DECK_CHUNK  # slides decided on together, streamed or not
CHUNK_BYTES = 4 * 1024 * 1024
SNIFF_BYTES = 1024 * 1024


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
    summary = clean_chunks(iter_slides(lines, fmt, name), name, fmt, config, aligner, write)
    if summary["slides"] == summary["empty_slides"]:
        raise NoSlidesError(f"{name}: no slide found (format {fmt})")
    return summary


def clean_chunks(slides: Iterator[Slide], name: str, fmt: str, config: Config, aligner: Aligner | None, write,
                 title: str | None = None, author: str | None = None) -> dict:
    """Clean ``slides`` a chunk at a time (``chunks``), ``write(records)`` after each: the
    one chunking path of streamed transcripts and PDFs. Returns the summed counts."""
    summary: dict = {"deck": name, "format": fmt, "title": title, "author": author, "streamed": True, "slides": 0,
                     "empty_slides": 0, "characters_repaired": {}, "quarantined_spans": 0, "quarantine_reasons": {},
                     "aligned_slides": 0}
    for chunk in chunks(slides):
        deck = Deck(name, chunk, format=fmt)
        deck.title, deck.author = title, author
        write(run_steps(deck, config, aligner).records(config.placeholder))
        add_summary(summary, deck.summary())
    return summary
