"""The pipeline: a visible list of steps over a ``Deck``, and the library entry points.

Each step is a callable ``Deck -> Deck`` with a ``name``; it changes spans of the
slides' ``raw`` text that no earlier step has touched and counts what it did in
``deck.stats[name]``. Later issues add steps to ``build_steps``; nothing else
changes::

    >>> clean_text("ӣળࢿ Machine Learning Engineer")["text"]
    '김준성 Machine Learning Engineer'

All entry points are pure functions of their arguments: models are loaded once
per process and never mutated, so they are safe in worker processes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping, Sequence

from pipeline.align.aligner import Aligner
from pipeline.align.params import AlignParams, align_params
from pipeline.deck import PLACEHOLDER, RECORD_COLUMNS, Deck, Slide
from pipeline.models.cid_profile import available_profiles
from pipeline.read.notes import Notes, NotesArg, load_notes
from pipeline.read.transcript import read_deck
from pipeline.repair.byte_lattice import Params as DecoderParams
from pipeline.repair.cid_repair import CidParams, CidParamsJa, CidParamsZh, CidTokens
from pipeline.repair.collection import AUTO, CollectionParams, CollectionStep, UnknownCollection
from pipeline.repair.byte_repair import ByteRepair
from pipeline.repair.byte_repair import Params as ByteParams
from pipeline.repair.hex_bytes import HexBytes
from pipeline.repair.invalid_bytes import InvalidBytes
from pipeline.repair.jamo import NfdJamo
from pipeline.repair.lost_bytes import Params as LostBytesParams
from pipeline.repair.lost_text import LostTextParams
from pipeline.repair.mojibake import LegacyParams
from pipeline.repair.quoted import QuotedExamples, QuotedParams
from pipeline.step import Stats, Step


@dataclass(frozen=True)
class Config:
    """Choices a caller can make; every default is documented in the README."""

    profile: str = AUTO  # CID collection of rules/cid_profiles/, or "auto": decided per deck
    format: str | None = None  # transcript layout; None = detect
    placeholder: str = PLACEHOLDER  # what a quarantined span shows as in `text`
    undo_normalization: bool = True  # search readings NFC/NFD/NFKC damage would explain
    # section of rules/steps.json -> {parameter: value} (e.g. {"quoted": {"share": 0.6}}): see TUNABLE
    params: Mapping[str, Mapping[str, Any]] = field(default_factory=dict, hash=False, compare=False)


# what Config.params may tune: its name (a section of rules/steps.json) -> its parameters
# (every step with parameters, the decoder lost-bytes runs, the aligner)
TUNABLE = {p.SECTION: p for p in (CidParams, CidParamsJa, CidParamsZh, CollectionParams, ByteParams, LostBytesParams,
                                  DecoderParams, LegacyParams, LostTextParams, QuotedParams, AlignParams)}


def build_steps(config: Config) -> list:
    """The steps, in order (stateless; built once per process and setting)."""
    check_profile(config.profile)
    return list(_steps(config.profile, config.undo_normalization, _params_key(config)))


def check_profile(profile: str) -> str:
    """``profile`` if it is "auto" or names a file of ``rules/cid_profiles/``; else a clear ValueError."""
    if profile != AUTO and profile not in available_profiles():
        raise ValueError(f"unknown CID profile {profile!r}: use auto or one of {', '.join(available_profiles())}")
    return profile


def _params_key(config: Config) -> str:
    """``Config.params`` as a key (checked: a name that owns no parameters is an error)."""
    unknown = set(config.params) - set(TUNABLE)
    if unknown:
        raise ValueError(f"Config.params: no step with parameters named {', '.join(sorted(unknown))} "
                         f"(steps with parameters: {', '.join(TUNABLE)})")
    return json.dumps({k: dict(v) for k, v in config.params.items()}, sort_keys=True)


@lru_cache(maxsize=8)
def _steps(profile: str, undo_normalization: bool, params: str) -> tuple:
    config = Config(profile=profile, undo_normalization=undo_normalization)
    given = json.loads(params)
    return (
        InvalidBytes(),  # undecodable input bytes -> quarantine
        CidTokens(config.profile),  # pdfminer (cid:N) tokens
        HexBytes(),  # <ec><95><88> byte tokens
        CollectionStep(config.profile, config.undo_normalization,  # the deck's collection; CID runs, symbols, shifted ASCII
                       {k: v for k, v in given.items() if k.startswith("cid") or k == CollectionParams.SECTION}),
        ByteRepair(given.get("bytes"), lost_bytes=given.get("lost-bytes"), byte_lattice=given.get("byte-lattice"),
                   legacy=given.get("legacy-mojibake"), lost_text=given.get("lost-text")),  # classic mojibake: one chain per text, checked forward, whole words
        NfdJamo(),  # decomposed Hangul
        QuotedExamples(given.get("quoted")),  # a garble quoted beside its own repair is left as written
        UnknownCollection(),  # garble of a collection no profile explains, that nothing else explained
    )


class Align(Step):
    """Pipeline step: align slides with notes sections (``pipeline/align/aligner.py``)."""

    name = "align"

    def __init__(self, aligner: Aligner):
        self.aligner = aligner

    def run(self, deck: Deck, stats: Stats) -> None:
        deck.alignment_summary = self.aligner.align(deck)
        stats.stat("aligned_slides", sum(1 for s in deck.slides if s.alignment))


DECK_CHUNK = 2000  # slides decided on together; a longer deck is cleaned this many at a time


SETTLE_ROUNDS = 3  # passes over the cleaned text, at most, until cleaning it again changes nothing


def run_steps(deck: Deck, config: Config | None = None, aligner: Aligner | None = None) -> Deck:
    """Run the steps over the deck; a deck of more than DECK_CHUNK slides (100,000-slide
    transcripts exist) is cleaned in chunks, its deck-wide decisions taken per chunk."""
    config = config or Config()
    steps = build_steps(config)
    align = [Align(aligner.tuned(config.params.get("align")))] if aligner is not None else []
    if len(deck.slides) <= DECK_CHUNK:
        settle(deck, steps)
        for step in align:
            deck = step(deck)
        return deck
    used, unused, notes = set(), [], []
    for k in range(0, len(deck.slides), DECK_CHUNK):
        part = Deck(deck.name, deck.slides[k : k + DECK_CHUNK], format=deck.format)
        settle(part, steps)
        for step in align:
            part = step(part)
        for name, figures in part.stats.items():
            deck.stat(name).merge(figures)
        summary = part.alignment_summary or {}
        notes += [n for n in summary.get("notes", []) if n not in notes]
        unused += summary.get("sections_without_slides", [])
        used |= {f"{s.alignment['notes']}: {s.alignment['section']}" for s in part.slides if s.alignment}
    if aligner is not None:
        deck.alignment_summary = {"notes": notes,
                                  "sections_without_slides": sorted(set(unused) - used, key=unused.index)}
    return deck


def settle(deck: Deck, steps: list) -> Deck:
    """The repair steps, then the same steps over the cleaned text of the whole deck, their
    changes folded back onto ``raw`` (``Slide.fold``), until a pass changes no text: what
    comes out is what cleaning it again gives. A decision that needed context the first
    pass did not have yet (a word decoded beside it) is taken now, not on the user's second
    run. Each later pass only looks at slides that are still suspect, so it is cheap."""
    for step in steps:
        step(deck)
    for _ in range(SETTLE_ROUNDS):
        if not any(s.repairs or s.quarantine for s in deck.slides):
            break  # the text is the input: a pass over it is the pass just made
        again = Deck(deck.name, [Slide(s.deck, s.number, s.text()) for s in deck.slides], format=deck.format)
        for step in steps:
            step(again)
        changed = sum(s.fold(a) for s, a in zip(deck.slides, again.slides) if a.repairs or a.quarantine)
        if not changed:
            break
        deck.stat("settle").stat("slides_changed", changed)
    return deck


def clean_deck(text: str, *, name: str = "deck", notes: Sequence[NotesArg | Notes] = (),
               config: Config | None = None, exclude: Sequence[str | Path] = (),
               aligner: Aligner | None = None) -> Deck:
    """Read a transcript and run every step; ``deck.records()`` gives the JSONL records.

    ``notes``: paths (files or folders), ``(name, text)`` pairs or ``Notes``; the slides are
    aligned with their sections (``exclude`` keeps the deck's own file out of a folder).
    ``aligner`` reuses an index built once for many decks. Raises
    ``readers.NoSlidesError`` if the transcript holds no slide.
    """
    config = config or Config()
    deck = read_deck(text, name=name, fmt=config.format)
    return run_steps(deck, config, aligner or make_aligner(notes, exclude, config))


def make_aligner(notes: Sequence[NotesArg | Notes], exclude: Sequence[str | Path] = (),
                 config: Config | None = None) -> Aligner | None:
    """The alignment index of ``notes`` (paths, ``(name, text)`` pairs or read ``Notes``), or
    None without notes; with the ``align`` parameters of ``config``."""
    if not notes:
        return None
    params = align_params((config or Config()).params.get("align"))
    given = [n for n in notes if isinstance(n, Notes)]
    return Aligner(given + load_notes([n for n in notes if not isinstance(n, Notes)], exclude=exclude), params=params)


def _one_slide(raw: str, deck: str = "-", number: int = 1) -> Slide:
    return Slide(deck=deck, number=number, raw=raw)


def clean_pdf(source: str | Path | bytes, *, name: str | None = None, notes: Sequence[NotesArg | Notes] = (),
              config: Config | None = None, aligner: Aligner | None = None) -> Deck:
    """Clean a deck's PDF (a path or its bytes): one record per page, ``format`` "pdf", each
    glyph's route to text a repair (``pipeline/read/pdf.py``), then the same steps as a
    transcript (mojibake inside a wrong ToUnicode map, NFD jamo) and, with ``notes``, the
    same alignment."""
    from pipeline.read.pdf import read_pdf

    config = config or Config()
    deck = read_pdf(source, name, config.profile)  # PdfError (a ValueError) when it cannot be read
    return run_steps(deck, config, aligner or make_aligner(notes, config=config))


def clean_text(text: str, *, config: Config | None = None) -> dict[str, Any]:
    """Clean one string (one slide's worth of context): ``text``, ``raw``, ``repairs``, ``quarantine``."""
    config = config or Config()
    if not text:
        return {"text": "", "raw": "", "repairs": [], "quarantine": []}
    deck = run_steps(Deck("-", [_one_slide(text)]), config)
    rec = deck.slides[0].record(config.placeholder)
    return {k: rec[k] for k in ("text", "raw", "repairs", "quarantine")}


def clean_frame(df, column: str = "text", *, deck_column: str = "deck", slide_column: str = "slide",
                config: Config | None = None):
    """Clean a pandas DataFrame with one slide per row; return it with the records' columns
    (same index, same rows).

    The caller's columns are kept, in their order; the record columns (``RECORD_COLUMNS``:
    deck, slide, text, raw, repairs, quarantine, papers, alignment) replace columns of the
    same name in place (so ``text`` becomes the clean text) and are added after them
    otherwise. An input ``column`` other than ``text`` is kept as given. Rows sharing a
    ``deck_column`` value are cleaned together, as one deck (the garbled-or-not decision uses
    the whole deck); without that column every row is its own deck.
    ``pipeline.io.frames.slides_frame`` gives such a frame from transcript files.
    """
    import pandas as pd

    config = config or Config()
    if column not in df.columns:
        raise KeyError(f"clean_frame: no column {column!r} (columns: {', '.join(map(str, df.columns))})")
    texts = df[column].astype("string").fillna("")
    decks = df[deck_column].astype(str) if deck_column in df.columns else pd.Series(df.index.astype(str), index=df.index)
    numbers = df[slide_column] if slide_column in df.columns else pd.Series(range(1, len(df) + 1), index=df.index)
    records: dict[Any, dict[str, Any]] = {}
    for deck_name, idx in decks.groupby(decks, sort=False).groups.items():
        slides = [_one_slide(str(texts[i]), deck_name, int(numbers[i])) for i in idx]
        run_steps(Deck(deck_name, slides), config)
        for i, slide in zip(idx, slides):
            records[i] = slide.record(config.placeholder)
    cleaned = pd.DataFrame([records[i] for i in df.index], index=df.index, columns=list(RECORD_COLUMNS))
    out = df.copy()
    for col in RECORD_COLUMNS:
        out[col] = cleaned[col].tolist()  # by position: the caller's index may repeat
    return out
