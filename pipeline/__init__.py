"""clean-slides: garbled slide-deck transcripts in, clean aligned JSONL out.

Library use::

    import pipeline
    deck = pipeline.clean_deck(open("talk.txt", encoding="utf-8").read(), name="talk.txt")
    for record in deck.records(): ...
    pipeline.clean_text("ӣળࢿ")["text"]          # '김준성'
    pipeline.clean_frame(df, column="text")      # one record per row, as columns
    pipeline.clean_pdf("talk.pdf").records()     # a deck's PDF: one record per page
"""

from pipeline import simulate
from pipeline.clean import (
    Config,
    build_steps,
    clean_deck,
    clean_frame,
    clean_pdf,
    clean_text,
)
from pipeline.deck import Deck, Quarantine, Repair, Slide
from pipeline.read.transcript import NoSlidesError, read_deck

__all__ = [
    "Config",
    "Deck",
    "NoSlidesError",
    "Quarantine",
    "Repair",
    "Slide",
    "build_steps",
    "clean_deck",
    "clean_frame",
    "clean_pdf",
    "clean_text",
    "read_deck",
    "simulate",
]
