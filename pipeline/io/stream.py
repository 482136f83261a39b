"""The one chunking path: a source's slides cleaned in chunks, each chunk's records written
before the next is read.

Every input (a transcript file or pipe, a PDF; ``pipeline/io/source.py``) goes through
``clean_source``: its slides are taken ``CHUNK_SLIDES`` at a time (or ``CHUNK_BYTES`` of
text), the steps run over each chunk (``run_steps``), and ``write(records)`` gets them.
Memory stays bounded whatever the input size, and the first records are out while the
rest is still being read. Deck-wide decisions (is the deck garbled, which normalization
did it go through, which notes cover it) are taken per chunk; a deck of fewer slides and
bytes than one chunk is decided on whole.
"""

from __future__ import annotations

import sys
from typing import Callable, Iterator

from pipeline.align.aligner import Aligner
from pipeline.clean import DECK_CHUNK, Config, run_steps
from pipeline.deck import Deck, Slide, add_summary
from pipeline.read.inputs import check_slide
from pipeline.read.transcript import iter_slides  # noqa: F401  (the streaming reader, re-exported)

CHUNK_SLIDES = DECK_CHUNK  # slides decided on together
CHUNK_BYTES = 4 * 1024 * 1024


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


def empty_summary(name: str, fmt: str | None, title=None, author=None, date=None) -> dict:
    """A deck's summary before any slide: the keys ``Deck.summary`` gives, in its order."""
    summary = Deck(name, [], format=fmt, title=title, author=author, date=date).summary()
    summary["notes_skipped"] = 0
    return summary


class Progress:
    """Slides done and MB/s on stderr, only when stderr is a terminal."""

    def __init__(self, source, stream=None):
        self.stream = stream or sys.stderr
        self.bar = None
        if getattr(self.stream, "isatty", lambda: False)():
            from tqdm import tqdm

            self.bar = tqdm(total=source.size, unit="B", unit_scale=True, unit_divisor=1024, desc=source.name,
                            file=self.stream, leave=False, dynamic_ncols=True)
        self.source, self.done = source, 0

    def update(self, slides: int) -> None:
        if self.bar is None:
            return
        read = self.source.read.count if self.source.read is not None else 0
        self.bar.update(read - self.done)
        self.done = read
        self.bar.set_postfix_str(f"{slides:,} slides", refresh=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def clean_source(source, config: Config, aligner: Aligner | None, write: Callable[[list[dict]], None],
                 progress: bool = True) -> dict:
    """Clean a ``Source`` chunk by chunk, ``write(records)`` after each; returns the deck's
    summary (the keys of ``Deck.summary``, summed over the chunks). Records are held back
    only while the deck could still turn out to hold no slide (``Source.check_slides``)."""
    summary = empty_summary(source.name, source.format, source.title, source.author, source.date)
    used, unused, notes = set(), [], []
    held: list[dict] = []
    bar = Progress(source) if progress else None
    try:
        for chunk in chunks(source.slides):
            deck = Deck(source.name, chunk, format=source.format)
            deck.title, deck.author, deck.date = source.title, source.author, source.date
            records = run_steps(deck, config, aligner).records(config.placeholder)
            part = deck.summary()
            add_summary(summary, part)
            notes += [n for n in part["notes_used"] if n not in notes]
            unused += part["sections_without_slides"]
            used |= {f"{r['alignment']['notes']}: {r['alignment']['section']}" for r in records if r["alignment"]}
            held += records
            if summary["slides"] >= 2 and summary["slides"] > summary["empty_slides"] or source.format == "pdf":
                write(held)
                held = []
            if bar is not None:
                bar.update(summary["slides"])
    finally:
        if bar is not None:
            bar.close()
    source.check_slides(summary["slides"], summary["empty_slides"])
    if held:
        write(held)
    summary["notes_used"] = notes
    summary["sections_without_slides"] = list(dict.fromkeys(s for s in unused if s not in used))
    return summary
