"""The documents the stages pass along: a ``Deck`` of ``Slide`` records.

Every change a stage makes is a span of the slide's ``raw`` text, so the record
stays lossless: ``raw`` is never edited, ``text`` is derived from it::

    >>> s = Slide(deck="d", number=1, raw="\u04e3\u0ab3\u0877 Kim")
    >>> s.repair(0, 3, "김준성", rule="cid")
    >>> s.text()
    '김준성 Kim'
    >>> s.undo() == s.raw
    True
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from contextvars import ContextVar
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any, NamedTuple

from pipeline.models.hangul import SYLLABLES, is_syllable

# the step running now: a change made without naming its step is that step's (Step sets it)
MAKING: ContextVar[str | None] = ContextVar("making", default=None)

PLACEHOLDER = "\ufffd"
# anything a step might change: characters outside plain ASCII and Hangul syllables,
# pdfminer's (cid:N), <xx> byte tokens, ? between Korean syllables (a lost character; a
# question mark ends a word). Text without any is clean.
SUSPECT = re.compile(rf"[^\t\n\r\x20-\x7e{SYLLABLES}]|\(cid:\d|<[0-9a-fA-F]{{2}}>|[{SYLLABLES}]\?+[{SYLLABLES}]")


@dataclass
class Repair:
    """``raw[start:end]`` (= ``before``) was replaced by ``after`` under ``rule``."""

    rule: str
    start: int
    end: int
    before: str
    after: str
    margin: float | None = None  # score margin of the chosen reading, where a model decided
    plan: list[list[str]] | None = None  # ftfy's explanation, for its repairs
    step: str | None = field(default=None, compare=False)  # the step that made it

    def as_dict(self) -> dict[str, Any]:
        d = {"rule": self.rule, "start": self.start, "end": self.end, "before": self.before, "after": self.after}
        if self.margin is not None:
            d["margin"] = round(self.margin, 3)
        if self.plan is not None:
            d["plan"] = self.plan
        return d


@dataclass
class Quarantine:
    """``raw[start:end]`` could not be recovered; it stands in ``text`` as a placeholder."""

    start: int
    end: int
    raw: str
    reason: str
    alternatives: tuple[str, ...] = ()  # where a model could not choose: its best readings
    step: str | None = field(default=None, compare=False)  # the step that made it

    def as_dict(self) -> dict[str, Any]:
        d = {"start": self.start, "end": self.end, "raw": self.raw, "reason": self.reason}
        if self.alternatives:
            d["alternatives"] = list(self.alternatives)
        return d


class Span(NamedTuple):
    """A span of ``text`` and the span of ``raw`` it stands for."""

    raw_start: int
    raw_end: int
    text_start: int
    text_end: int


@dataclass(frozen=True)
class Segment:
    """A piece of a slide's ``text`` and the piece of ``raw`` it stands for: made by a
    change (a repair's ``after``, a quarantine's placeholder) or unchanged (then both
    pieces are one string, at offsets that differ by a constant)."""

    text_start: int
    text_end: int
    raw_start: int
    raw_end: int
    changed: bool


class OffsetMap:
    """Offsets of a slide's ``text`` against offsets of its ``raw``: the text cut into
    segments, each made by a change or unchanged::

        >>> s = Slide("d", 1, "ab cd ef")
        >>> s.repair(3, 5, "XYZ", rule="r")
        >>> m = OffsetMap(s)
        >>> [(g.text_start, g.text_end, g.raw_start, g.raw_end, g.changed) for g in m.segments]
        [(0, 3, 0, 3, False), (3, 6, 3, 5, True), (6, 9, 5, 8, False)]
        >>> m.to_raw(4, 8)  # inside a change's text: widened to the whole change
        Span(raw_start=3, raw_end=7, text_start=3, text_end=8)
    """

    def __init__(self, slide: "Slide", placeholder: str = PLACEHOLDER):
        self.segments: list[Segment] = []
        t = pos = 0
        raw = slide.raw
        for start, end, after in slide.changes():
            if start > pos:
                self.segments.append(Segment(t, t + start - pos, pos, start, False))
                t += start - pos
            out = placeholder if after is None else after
            self.segments.append(Segment(t, t + len(out), start, end, True))
            t, pos = t + len(out), end
        if pos < len(raw) or not self.segments:
            self.segments.append(Segment(t, t + len(raw) - pos, pos, len(raw), False))
        self._starts = [g.text_start for g in self.segments]

    def segment_at(self, t: int) -> Segment:
        """The last segment that starts at or before text offset ``t``."""
        return self.segments[max(0, bisect.bisect_right(self._starts, t) - 1)]

    def to_raw(self, start: int, end: int) -> Span:
        """The raw span of ``text[start:end]``, with the text span widened to every change
        it touches: a change's text is taken whole or not at all."""
        first = self.segment_at(start)
        if first.changed:
            raw_start, text_start = first.raw_start, first.text_start
        else:
            raw_start, text_start = first.raw_start + start - first.text_start, start
        last = self.segment_at(max(start, end - 1))
        if last.changed:
            raw_end, text_end = last.raw_end, last.text_end
        else:
            raw_end, text_end = last.raw_start + end - last.text_start, end
        return Span(raw_start, max(raw_end, raw_start + (end > start)), text_start, max(text_end, end))


@dataclass
class Fold:
    """Changes of a second pass (in its ``raw``, the first pass's text) that meet in the
    first pass's ``raw``, and the span they widen to there."""

    span: Span
    changes: list["Repair | Quarantine"]

    def take(self, span: Span, change: "Repair | Quarantine") -> None:
        self.span = self.span._replace(raw_end=max(self.span.raw_end, span.raw_end),
                                       text_end=max(self.span.text_end, span.text_end))
        self.changes.append(change)

    def made(self, raw: str, text: str) -> "Repair | Quarantine":
        """The one change of the first pass's ``raw`` the group makes: a quarantine if any of
        its changes is one, else a repair under its first change's rule."""
        ra, rb, ta, tb = self.span
        quarantined = next((c for c in self.changes if isinstance(c, Quarantine)), None)
        if quarantined is not None:
            return Quarantine(ra, rb, raw[ra:rb], quarantined.reason, (), quarantined.step)
        new, at = [], ta
        for c in sorted(self.changes, key=lambda c: c.start):
            new += [text[at : c.start], c.after]
            at = c.end
        new.append(text[at:tb])
        first = self.changes[0]
        return Repair(first.rule, ra, rb, raw[ra:rb], "".join(new), first.margin, first.plan, first.step)


RECORD_COLUMNS = ("deck", "slide", "text", "raw", "repairs", "quarantine", "papers", "alignment")  # a record's keys
SUMMED = ("slides", "empty_slides", "aligned_slides", "quarantined_spans")  # summary counts that add up
SUMMED_BY_KEY = ("repairs", "characters_repaired", "quarantine_reasons", "collections")  # summary counts per rule or reason


def add_summary(total: dict[str, Any], part: dict[str, Any]) -> dict[str, Any]:
    """Add one part's summary counts (a chunk of a streamed deck, a deck of a batch) to
    ``total``, in place::

        >>> add_summary({"slides": 2, "characters_repaired": {"ftfy": 3}},
        ...             {"slides": 1, "characters_repaired": {"ftfy": 1, "cid-hangul": 5}})
        {'slides': 3, 'characters_repaired': {'cid-hangul': 5, 'ftfy': 4}}
    """
    for key in SUMMED:
        if key in total:
            total[key] += part[key]
    for key in SUMMED_BY_KEY:
        if key in total:
            merged = Counter(total[key])
            merged.update(part[key])
            total[key] = dict(sorted(merged.items()))
    return total


@dataclass
class Slide:
    deck: str
    number: int
    raw: str
    repairs: list[Repair] = field(default_factory=list)
    quarantine: list[Quarantine] = field(default_factory=list)
    papers: list[str] = field(default_factory=list)
    alignment: dict[str, Any] | None = None
    _claimed: list[tuple[int, int]] = field(default_factory=list, repr=False)  # sorted, disjoint

    # -- claiming spans: each raw character is changed by at most one stage -----------------
    def is_free(self, start: int, end: int) -> bool:
        """True if no repair or quarantine touches ``raw[start:end]``."""
        i = bisect.bisect_right(self._claimed, (start, float("inf")))
        if i and self._claimed[i - 1][1] > start:
            return False
        return not (i < len(self._claimed) and self._claimed[i][0] < end)

    def _claim(self, start: int, end: int) -> None:
        if not (0 <= start < end <= len(self.raw)):
            raise ValueError(f"span {start}:{end} outside slide {self.number} ({len(self.raw)} characters)")
        if not self.is_free(start, end):
            raise ValueError(f"span {start}:{end} of slide {self.number} is already changed")
        bisect.insort(self._claimed, (start, end))

    def repair(self, start: int, end: int, after: str, *, rule: str, margin: float | None = None,
               plan: list[list[str]] | None = None, step: str | None = None) -> None:
        self._claim(start, end)
        self.repairs.append(Repair(rule, start, end, self.raw[start:end], after, margin, plan, step or MAKING.get()))

    def quarantine_span(self, start: int, end: int, reason: str, alternatives: tuple[str, ...] = (),
                        step: str | None = None) -> None:
        self._claim(start, end)
        self.quarantine.append(Quarantine(start, end, self.raw[start:end], reason, tuple(alternatives),
                                          step or MAKING.get()))

    def withdraw(self, change: "Repair | Quarantine") -> None:
        """Take back this one change (by identity) and its claim on ``raw``."""
        if isinstance(change, Repair):
            self.repairs = [r for r in self.repairs if r is not change]
        else:
            self.quarantine = [q for q in self.quarantine if q is not change]
        self._claimed.remove((change.start, change.end))

    def release(self, start: int, end: int) -> int:
        """Take back every repair and quarantine inside ``raw[start:end]`` (a later, wider
        decision overruled them); returns how many."""
        inside = lambda c: start <= c.start and c.end <= end  # noqa: E731
        n = sum(map(inside, self.repairs)) + sum(map(inside, self.quarantine))
        self.repairs = [r for r in self.repairs if not inside(r)]
        self.quarantine = [q for q in self.quarantine if not inside(q)]
        self._claimed = [(a, b) for a, b in self._claimed if not (start <= a and b <= end)]
        return n

    def free_segments(self) -> list[tuple[int, int]]:
        """Maximal spans of ``raw`` that no step has changed."""
        segs, pos = [], 0
        for start, end in self._claimed:
            if start > pos:
                segs.append((pos, start))
            pos = max(pos, end)
        if pos < len(self.raw):
            segs.append((pos, len(self.raw)))
        return segs

    def free_matches(self, pattern):
        """``pattern``'s matches inside the unchanged spans of ``raw`` (offsets into ``raw``)."""
        if not self._claimed:
            yield from pattern.finditer(self.raw)
            return
        for seg_start, seg_end in self.free_segments():
            yield from pattern.finditer(self.raw, seg_start, seg_end)

    # -- derived views ---------------------------------------------------------------------
    def changes(self) -> list[tuple[int, int, str | None]]:
        """(start, end, replacement) sorted by position; None marks a quarantined span."""
        out: list[tuple[int, int, str | None]] = [(r.start, r.end, r.after) for r in self.repairs]
        out += [(q.start, q.end, None) for q in self.quarantine]
        return sorted(out)

    def text(self, placeholder: str = PLACEHOLDER) -> str:
        """The clean text: repairs applied, each quarantined span replaced by ``placeholder``."""
        parts, pos = [], 0
        for start, end, after in self.changes():
            parts.append(self.raw[pos:start])
            parts.append(placeholder if after is None else after)
            pos = end
        parts.append(self.raw[pos:])
        return "".join(parts)

    def fold(self, again: "Slide") -> bool:
        """Take in what a second pass over this slide's text (``again``, whose ``raw`` is
        ``self.text()``) changed: each change is mapped back onto ``raw``; one that touches
        text an earlier change produced widens to that change's whole span and replaces it.
        Returns whether the text changed. This is how cleaning reaches a text that cleaning
        again leaves as it is::

            >>> s = Slide("d", 1, "ab cd")
            >>> s.repair(0, 2, "XY", rule="one")
            >>> again = Slide("d", 1, s.text())
            >>> again.repair(1, 4, "yZc", rule="two")
            >>> s.fold(again), s.text(), [(r.rule, r.before, r.after) for r in s.repairs]
            (True, 'XyZcd', [('two', 'ab c', 'XyZc')])
        """
        text = self.text()
        if again.raw != text:
            raise ValueError(f"slide {self.number}: the second pass did not read this slide's text")
        offsets = OffsetMap(self)
        changes: list[Repair | Quarantine] = [r for r in again.repairs if r.after != r.before]
        changes += [q for q in again.quarantine if q.raw != PLACEHOLDER * len(q.raw)]
        if not changes:
            return False
        spans = sorted(((offsets.to_raw(c.start, c.end), c) for c in changes), key=lambda m: (m[0], m[1].start))
        groups: list[Fold] = []
        for span, change in spans:
            if groups and span.raw_start < groups[-1].span.raw_end:
                groups[-1].take(span, change)
            else:
                groups.append(Fold(span, [change]))
        # one sweep: the earlier changes inside a group are replaced by the group's change
        made_r, made_q = [], []
        for g in groups:
            made = g.made(self.raw, text)
            (made_q if isinstance(made, Quarantine) else made_r).append(made)
        firsts = [g.span.raw_start for g in groups]

        def replaced(c: Repair | Quarantine) -> bool:
            k = bisect.bisect_right(firsts, c.start) - 1
            return k >= 0 and groups[k].span.raw_start <= c.start and c.end <= groups[k].span.raw_end

        self.repairs = [r for r in self.repairs if not replaced(r)] + made_r
        self.quarantine = [q for q in self.quarantine if not replaced(q)] + made_q
        self._claimed = sorted((c.start, c.end) for c in (*self.repairs, *self.quarantine))
        return self.text() != text

    def undo(self, placeholder: str = PLACEHOLDER) -> str:
        """Rebuild ``raw`` from ``text`` and the change lists (an audit check)."""
        text = self.text(placeholder)
        before = {r.start: r.before for r in self.repairs} | {q.start: q.raw for q in self.quarantine}
        for start, _end, after in self.changes():  # left to right: text[:start] is raw again
            after = placeholder if after is None else after
            if text[start : start + len(after)] != after:
                raise ValueError(f"slide {self.number}: change at {start} does not match the text")
            text = text[:start] + before[start] + text[start + len(after) :]
        return text

    def record(self, placeholder: str = PLACEHOLDER) -> dict[str, Any]:
        """The JSONL record (see ``rules/record.schema.json``)."""
        return {
            "deck": self.deck,
            "slide": self.number,
            "text": self.text(placeholder),
            "raw": self.raw,
            "repairs": [r.as_dict() for r in sorted(self.repairs, key=lambda r: r.start)],
            "quarantine": [q.as_dict() for q in sorted(self.quarantine, key=lambda q: q.start)],
            "papers": list(self.papers),
            "alignment": self.alignment,
        }


_ODD_CHAR = re.compile(rf"[^\t\n\r\x20-\x7e{SYLLABLES}]")  # SUSPECT's parts, each scanned at
_TOKEN = re.compile(r"\(cid:\d|<[0-9a-fA-F]{2}>")  # compiled speed (their alternation is 5x slower)


def _suspect_slides(slides: list[Slide]) -> list[Slide]:
    """The slides SUSPECT matches (``[s for s in slides if SUSPECT.search(s.raw)]``), found by scanning
    their texts joined by line breaks once per part of SUSPECT; no match spans a line break."""
    texts = [s.raw for s in slides]
    joined = "\n".join(texts)
    ends = list(accumulate(len(t) + 1 for t in texts))  # where each slide's text ends, + separator
    hits: set[int] = set()
    parts = [_ODD_CHAR] + ([_TOKEN] if "(cid:" in joined or "<" in joined else [])
    for part in parts:
        pos = 0
        while (m := part.search(joined, pos)) is not None:
            i = bisect.bisect_right(ends, m.start())
            hits.add(i)
            pos = ends[i]
    a = joined.find("?")
    while a != -1:  # str.find: much faster than a regex for a rare literal
        b = a + 1
        while b < len(joined) and joined[b] == "?":
            b += 1
        if a and b < len(joined) and is_syllable(joined[a - 1]) and is_syllable(joined[b]):
            hits.add(bisect.bisect_right(ends, a))
        a = joined.find("?", b)
    return [slides[i] for i in sorted(hits)]


class Stats(Counter):
    """A step's figures. ``stat(key, value, unit)``: a ``count`` adds up (across the chunks
    of a long deck too); a ``flag`` (or any other unit: a maximum) keeps the largest value
    seen, so a deck cleaned in three chunks is not ``deck_garbled=3``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kept: set[str] = set()  # keys that are flags or maxima, not counts

    def stat(self, key: str, value: int | float = 1, unit: str = "count") -> None:
        if unit == "count":
            self[key] += value
        else:
            self.kept.add(key)
            self[key] = max(self.get(key, value), value)

    def merge(self, other: "Stats") -> None:
        """Add another chunk's figures: counts add, flags and maxima keep the largest."""
        for key, value in other.items():
            self.stat(key, value, "flag" if key in other.kept else "count")


@dataclass
class Deck:
    """One transcript: its slides, what the reader found in the page chrome, and stage stats."""

    name: str
    slides: list[Slide]
    title: str | None = None
    author: str | None = None
    date: str | None = None
    format: str | None = None
    stats: dict[str, "Stats"] = field(default_factory=dict)
    alignment_summary: dict[str, Any] | None = None  # notes used, sections left without slides

    def suspects(self) -> list[Slide]:
        """The slides a repair step needs to look at; the others are clean (worked out once)."""
        cached = self.__dict__.get("_suspects")
        if cached is None or cached[0] is not self.slides or cached[1] != len(self.slides):
            cached = self.__dict__["_suspects"] = (self.slides, len(self.slides), _suspect_slides(self.slides))
        return cached[2]

    def records(self, placeholder: str = PLACEHOLDER) -> list[dict[str, Any]]:
        return [s.record(placeholder) for s in self.slides]

    def stat(self, stage: str) -> "Stats":
        return self.stats.setdefault(stage, Stats())

    def summary(self) -> dict[str, Any]:
        """Per-deck counts: slides, repairs made by each rule (``repairs``, as the review page
        counts them) and the raw characters they replaced (``characters_repaired``), quarantined spans."""
        repairs: Counter = Counter()
        chars: Counter = Counter()
        reasons: Counter = Counter()
        for s in self.slides:
            for r in s.repairs:
                repairs[r.rule] += 1
                chars[r.rule] += r.end - r.start
            for q in s.quarantine:
                reasons[q.reason] += 1
        return {
            "deck": self.name,
            "format": self.format,
            "title": self.title,
            "author": self.author,
            "date": self.date,
            "slides": len(self.slides),
            "empty_slides": sum(1 for s in self.slides if not s.raw),  # image-only: the page showed a placeholder
            "repairs": dict(sorted(repairs.items())),
            "characters_repaired": dict(sorted(chars.items())),
            "quarantined_spans": sum(reasons.values()),
            "quarantine_reasons": dict(sorted(reasons.items())),
            # slides read through each CID collection ("none": the deck was left as it is)
            "collections": {k[len("profile_"):]: len(self.slides) for k in sorted(self.stats.get("cid", ()))
                            if k.startswith("profile_")},
            "aligned_slides": sum(1 for s in self.slides if s.alignment),
            "notes_used": (self.alignment_summary or {}).get("notes", []),
            "sections_without_slides": (self.alignment_summary or {}).get("sections_without_slides", []),
        }
