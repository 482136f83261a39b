"""Slide-to-section alignment: which section of which notes file covers each slide's paper.

1. ``titles.find_titles`` gives each slide the paper it is about (runs of slides).
2. Candidate sections come from an index of heading keys (words, short names, acronyms,
   phonetic keys of Hangul words, glossary translations), so a deck is never scored
   against every section of every notes file.
3. The notes files that cover the deck are those whose sections name at least two of its
   papers (or the one paper of a one-paper deck), and at least half as many as the best
   file does; other files (other events mentioning BERT) are left out.
4. Each paper run is scored against the sections of those files: the title match
   (``title_match``) or, for headings that name no title (``### 번역``, ``### Whisper``),
   the content similarity of slides and section text.
5. A monotone dynamic program assigns runs to sections in order, skipping either side;
   a pair must beat the skip cost, calibrated from the scores of the deck's runs against
   the sections of files that do not cover it.

Notes with no paper titles for the deck (a speaker's script, a talk review, a day of
conference notes) take the content path (``Aligner.align_content``): each slide against the
sections of the notes unit (a file, or one talk of a file that covers several) whose rare
words it shares most, by content similarity (``content_match``, the neighbouring slides
counted in part) or by the slide opening with the section's heading, through the same
monotone program with several slides allowed per section.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, Mapping

from pipeline.align.content_match import ContentIndex
from pipeline.align.params import AlignParams, align_params
from pipeline.align.title_match import (
    MAX_TITLE,
    STOP,
    english_key,
    glossary,
    hangul_key,
    title_score,
    words,
)
from pipeline.align.titles import find_titles
from pipeline.deck import Deck
from pipeline.models.hangul import HANGUL_WORD as _HANGUL_WORD
from pipeline.read.notes import Notes, Section

@dataclass
class Unit:
    slides: list[int]  # indices into deck.slides
    titles: list[str]  # how the slides name the paper, full title first
    text: str


@dataclass
class Match:
    section: Section
    score: float
    method: str

    def record(self) -> dict:
        """The slide's ``alignment`` field."""
        return {"notes": self.section.notes, "section": self.section.heading, "path": list(self.section.path),
                "score": round(min(max(self.score, 0.0), 1.0), 3), "method": self.method}


def _features(text: str) -> Counter:
    """English words and Hangul syllable bigrams of a paper run or a section body (the title
    path's content fallback: ``content_match``'s weighting, which counts a heading twice, did
    worse here, 0.938 against 0.975 slides right in ``bench/align_scale.py``)."""
    feats: Counter = Counter()
    for w in words(text):
        if _HANGUL_WORD.fullmatch(w):
            feats.update(w[i : i + 2] for i in range(max(len(w) - 1, 1)))
        elif len(w) > 2:
            feats[w] += 1
    return feats


def _cosine(a: Counter, b: Counter, idf: dict[str, float]) -> float:
    if not a or not b:
        return 0.0
    dot = sum(a[k] * b[k] * idf.get(k, 1.0) ** 2 for k in a.keys() & b.keys())
    na = math.sqrt(sum((v * idf.get(k, 1.0)) ** 2 for k, v in a.items()))
    nb = math.sqrt(sum((v * idf.get(k, 1.0)) ** 2 for k, v in b.items()))
    return dot / (na * nb) if na and nb else 0.0


def title_keys(text: str) -> set[str]:
    """Index keys of a title or heading: its words, their phonetic keys, glossary terms."""
    keys = set()
    for w in words(text[:MAX_TITLE]):
        if w in STOP:
            continue
        if _HANGUL_WORD.fullmatch(w):
            keys.add("k:" + hangul_key(w))
            keys.update("w:" + e[:7] for e in glossary().get(w, ()))
        else:
            keys.add("w:" + w[:7])
            keys.add("k:" + english_key(w))
    keys.discard("k:")
    return keys


@dataclass
class Aligner:
    """Index of the given notes, reused for every deck aligned against them; ``params`` are
    the ``align`` parameters (``AlignParams``, ``rules/steps.json``)."""

    notes: list[Notes]
    index: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    sections: list[Section] = field(default_factory=list)
    features: list[Counter] = field(default_factory=list)
    params: AlignParams = field(default_factory=align_params)

    def __post_init__(self):
        p = self.params
        for n in self.notes:
            for s in n.sections:
                sid = len(self.sections)
                self.sections.append(s)
                self.features.append(_features(" ".join(s.path) + "\n" + s.body))
                for k in title_keys(s.heading):
                    self.index[k].add(sid)
        df: Counter = Counter()
        for f in self.features:
            df.update(f.keys())
        total = max(len(self.features), 1)
        self.idf = {k: math.log(1 + total / v) for k, v in df.items()}
        self._by_file: dict[str, list[int]] = defaultdict(list)
        for sid, s in enumerate(self.sections):
            self._by_file[s.notes].append(sid)
        self._file_order = {name: k for k, name in enumerate(self._by_file)}
        # a fixed spread of sections to calibrate the skip cost against, whatever the size
        step = max(1, len(self.sections) // p.calibration_sample)
        self._sample = list(range(0, len(self.sections), step))[:p.calibration_sample]
        self.content = ContentIndex([s.heading + "\n" + s.heading + "\n" + s.body for s in self.sections],
                                    p.max_postings)
        self.content_units = [u for n in self.notes for u in _content_units(n, self._by_file[n.name])]
        self._unit_of = {sid: k for k, u in enumerate(self.content_units) for sid in u}

    def tuned(self, overrides: Mapping[str, Any] | None) -> "Aligner":
        """This index with the ``align`` parameters ``overrides`` gives (``Config.params``):
        itself if they are its own, else the same notes indexed again with them."""
        params = align_params(overrides)
        if params == self.params:
            return self
        return Aligner(self.notes, params=params)

    # -- candidates --------------------------------------------------------------------------
    def candidates(self, title: str) -> set[int]:
        """Sections whose heading shares a key with ``title``; keys too common to tell anything
        (more than ``max_postings`` sections) are not followed, so the cost per deck stays flat
        as the notes grow."""
        found: set[int] = set()
        for k in title_keys(title):
            postings = self.index.get(k, ())
            if len(postings) <= self.params.max_postings:
                found.update(postings)
        return found

    def _title_matches(self, unit: Unit) -> dict[int, Match]:
        out: dict[int, Match] = {}
        for title in unit.titles:
            for sid in self.candidates(title):
                score, method = title_score(title, self.sections[sid].heading, self.params)
                if sid not in out or score > out[sid].score:
                    out[sid] = Match(self.sections[sid], score, method)
        return out

    # -- one deck ----------------------------------------------------------------------------
    def units(self, deck: Deck) -> list[Unit]:
        texts = [s.text() for s in deck.slides]
        found = find_titles(texts)
        for slide, titles in zip(deck.slides, found.per_slide):
            slide.papers = list(dict.fromkeys(titles))
        return [Unit(r.slides, r.titles, "\n".join(texts[i] for i in r.slides)) for r in found.runs]

    def choose_files(self, title_hits: list[dict[int, Match]]) -> list[str]:
        cover: Counter = Counter()
        for hits in title_hits:
            files = {m.section.notes for m in hits.values() if m.score >= self.params.file_match}
            cover.update(files)
        if not cover:
            return []
        best = max(cover.values())
        need = 1 if len(title_hits) == 1 else 2
        return sorted((f for f in cover if cover[f] >= max(need, best / 2)), key=self._file_order.get)

    def align(self, deck: Deck) -> dict:
        units = self.units(deck)
        for slide in deck.slides:
            slide.alignment = None
        if not self.sections:
            return {"notes": [], "sections_without_slides": []}
        title_hits = [self._title_matches(u) for u in units]
        files = self.choose_files(title_hits) if units else []
        if not files:  # no paper titles to go by: a script, a review, conference notes?
            return self.align_content(deck)
        summary = self.align_titles(deck, units, title_hits, files)
        by_title = [s.alignment for s in deck.slides]
        for slide in deck.slides:
            slide.alignment = None
        by_content = self.align_content(deck)
        # headings that happen to name slides (a script's topics) are not papers: the path
        # whose alignments carry more evidence (the sum of their scores) is the one the
        # notes follow (a tie prefers titles)
        if _evidence(by_title) >= _evidence([s.alignment for s in deck.slides]):
            for slide, a in zip(deck.slides, by_title):
                slide.alignment = a
            return summary
        return by_content

    def align_titles(self, deck: Deck, units: list[Unit], title_hits: list[dict[int, Match]],
                     files: list[str]) -> dict:
        """The paper path: runs of slides about a paper against the sections of the files
        that name the deck's papers."""
        chosen = [sid for f in files for sid in self._by_file[f]]
        # unrelated pairs: sections of other files, those the titles' keys led to and a fixed spread
        near = {sid for hits in title_hits for sid in hits}
        others = [sid for sid in sorted(near | set(self._sample)) if self.sections[sid].notes not in files]
        unit_feats = [_features(u.text) for u in units]
        p = self.params

        def score(k: int, sid: int) -> Match:
            hit = title_hits[k].get(sid)
            content = min(p.title_content_cap, p.title_content_weight * _cosine(unit_feats[k], self.features[sid], self.idf))
            if hit and hit.score >= content:
                return hit
            return Match(self.sections[sid], round(content, 3), "content")

        skip = self.skip_cost([score(k, sid).score for k in range(len(units)) for sid in others])
        grid = [[score(k, sid) for sid in chosen] for k in range(len(units))]
        assignment = monotone_assign([[m.score - skip for m in row] for row in grid], p.title_stay)
        used = set()
        for k, j in enumerate(assignment):
            if j is None:
                continue
            m = grid[k][j]
            used.add(chosen[j])
            for i in units[k].slides:
                deck.slides[i].alignment = m.record()
        unused = [f"{self.sections[sid].notes}: {self.sections[sid].heading}"
                  for sid in chosen if sid not in used and self.listed(sid)]
        return {"notes": files, "skip_cost": round(skip, 3), "sections_without_slides": unused}

    def listed(self, sid: int) -> bool:
        """A section to list among those without slides: titled, and not a parent heading with
        no text of its own (``# Part`` directly followed by ``## Chapter``)."""
        s = self.sections[sid]
        nxt = self.sections[sid + 1] if sid + 1 < len(self.sections) else None
        parent = nxt is not None and nxt.notes == s.notes and nxt.index == s.index + 1 and nxt.level > s.level
        return bool(s.heading) and (bool(s.body.strip()) or not parent)

    def align_content(self, deck: Deck) -> dict:
        """Align by content with the notes unit that says most of what the slides say: each
        candidate unit (found through rare shared features) is aligned with the monotone
        program, several slides to a section, each pair beating the skip score calibrated on
        the deck against the sections of other units; the unit with the largest total gain
        is used if it takes at least ``min_slides`` slides."""
        p = self.params
        texts = [s.text() for s in deck.slides]
        own = [self.content.vector(t) for t in texts]
        vecs = [_smooth(own, k, p.neighbour_weight) for k in range(len(own))]
        heads = [" ".join(t.split()[:p.head_words]) for t in texts]
        reach: Counter = Counter()
        for sid, v in self.content.nearest(vecs).items():
            if sid in self._unit_of:
                reach[self._unit_of[sid]] += v
        best = None
        for u in sorted(reach, key=lambda u: (-reach[u], u))[: p.candidates]:
            sids = self.content_units[u]
            mine = set(sids)
            others = [sid for sid in self._sample if sid not in mine]
            unrelated = [self._content_score(o, v, sid) for o, v in zip(own, vecs) for sid in others]
            skip = skip_above(unrelated, p.skip_lead, p.floor, p.ceiling, p.skip_percentile)
            grid = [[self._content_match(own[k], vecs[k], heads[k], sid) for sid in sids] for k in range(len(texts))]
            gains = [[m.score - skip for m in row] for row in grid]
            assignment, total = monotone_assign(gains, p.stay, with_total=True)
            # a unit must say what the slides say: one-word headings alone (목차, 회고) fit any talk
            taken = sum(j is not None and (grid[k][j].method == "content" or len(words(grid[k][j].section.heading)) > 1)
                        for k, j in enumerate(assignment))
            if taken >= min(p.min_slides, math.ceil(len(texts) / 3)) and (best is None or total > best[0]):
                best = (total, u, skip, grid, assignment)
        if best is None:
            return {"notes": [], "sections_without_slides": []}
        _total, u, skip, grid, assignment = best
        sids = self.content_units[u]
        used = set()
        for k, j in enumerate(assignment):
            if j is not None:
                m = grid[k][j]
                used.add(sids[j])
                deck.slides[k].alignment = m.record()
        name = self.sections[sids[0]].notes
        unused = [f"{name}: {self.sections[sid].heading}" for sid in sids
                  if sid not in used and self.listed(sid)]
        return {"notes": [name], "skip_cost": round(skip, 3), "sections_without_slides": unused}

    def _content_score(self, own: dict[str, float], smoothed: dict[str, float], sid: int) -> float:
        """The geometric mean of the slide's own similarity to the section and that of the
        slide with its neighbours: the context helps a slide that says little, but cannot
        carry a slide that says nothing of the section (a Q&A slide after the last topic)."""
        a = self.content.similarity(own, sid)
        return math.sqrt(a * self.content.similarity(smoothed, sid)) if a > 0 else 0.0

    def _content_match(self, own: dict[str, float], smoothed: dict[str, float], head: str, sid: int) -> Match:
        """A slide against a section: opening with its heading, or the content similarity."""
        section = self.sections[sid]
        p = self.params
        title = p.heading_weight * _heading_in_slide(section.heading, head, p.heading_at_start, p.heading_near_start)
        content = self._content_score(own, smoothed, sid)
        if title >= content:
            return Match(section, round(title, 3), "slide-title")
        return Match(section, round(content, 3), "content")

    def skip_cost(self, unrelated: list[float]) -> float:
        """The title path's skip: just above what unrelated pairs reach (``skip_above``)."""
        p = self.params
        if len(unrelated) < p.title_min_calibration:
            return p.title_default_skip
        return skip_above(unrelated, p.title_skip_lead, p.title_skip_floor, p.title_skip_ceiling, p.skip_percentile)


def _content_units(notes: Notes, sids: list[int]) -> list[list[int]]:
    """The parts of a notes file that may each cover a deck: the whole file, or, when the
    file holds several talks (two or more top-level headings with two or more sections
    under each), each talk's part (its untitled preamble belongs to none)."""
    levels = Counter(s.level for s in notes.sections if s.heading)
    top = min((lv for lv, n in levels.items() if n >= 2), default=None)
    if top is None:
        return [sids]
    parts: list[list[int]] = []
    for sid, s in zip(sids, notes.sections):
        if s.heading and s.level == top:
            parts.append([sid])
        elif parts and s.heading and s.level > top:
            parts[-1].append(sid)
        elif s.heading and s.level < top:
            parts.append([])  # a heading above the talks closes the last one
    parts = [p for p in parts if p]
    if sum(len(p) >= 3 for p in parts) >= 2:
        return parts
    return [sids]


def _evidence(alignments: list[dict | None]) -> float:
    return sum(a["score"] for a in alignments if a)


def _smooth(vecs: list[dict[str, float]], k: int, weight: float) -> dict[str, float]:
    """Slide ``k``'s vector with ``weight`` of its neighbours' added, unit length again (an
    empty slide stays empty: it says nothing of its own)."""
    if not vecs[k] or not weight:
        return vecs[k]
    out = dict(vecs[k])
    for n in (k - 1, k + 1):
        if 0 <= n < len(vecs):
            for f, w in vecs[n].items():
                out[f] = out.get(f, 0.0) + weight * w
    norm = math.sqrt(sum(w * w for w in out.values()))
    return {f: w / norm for f, w in out.items()}


def skip_above(unrelated: list[float], lead: float, low: float, high: float, percentile: float = 0.95) -> float:
    """The score a pair must beat: the ``percentile`` of the scores of unrelated pairs plus
    ``lead``, kept within [low, high] (``low`` with nothing to calibrate on)::

        >>> skip_above([0.1] * 19 + [0.9], 0.05, 0.35, 0.6), skip_above([], 0.02, 0.06, 0.3)
        (0.35, 0.06)
    """
    if not unrelated:
        return low
    ranked = sorted(unrelated)
    return min(max(ranked[int(percentile * (len(ranked) - 1))] + lead, low), high)


def _heading_in_slide(heading: str, head: str, at_start: float, near_start: float) -> float:
    """How well a heading names a slide whose opening words are ``head``: ``at_start`` if it
    opens it, ``near_start`` if its words all come within its length plus three."""
    hw, tw = words(heading), words(head)
    if not hw:
        return 0.0
    if tw[: len(hw)] == hw:
        return at_start
    return near_start if set(hw) <= set(tw[: len(hw) + 3]) else 0.0


def monotone_assign(gain: list[list[float]], stay: float = 0.0, with_total: bool = False):
    """Assign each row (a slide or a run of slides) to a column (a section) or to nothing,
    columns never going back; several rows may take the same column, each after the first
    paying ``stay`` (the many-to-one cost). Maximizes the total gain of the pairs made (a
    pair with no positive gain is never made); ``with_total`` returns that total too::

        >>> monotone_assign([[0.9, 0.1], [0.2, 0.8], [-1, -1]])
        [0, 1, None]
        >>> monotone_assign([[0.3], [0.1]]), monotone_assign([[0.3], [0.1]], stay=0.2)
        ([0, 0], [0, None])
    """
    n = len(gain)
    m = len(gain[0]) if n else 0
    if not m:
        return ([None] * n, 0.0) if with_total else [None] * n
    neg = float("-inf")
    # cur[j]: best total so far with j the last column used (0: none yet, columns 1..m)
    cur = [0.0] + [neg] * m
    back: list[list[tuple[int, bool]]] = []  # per row and last column: (column before, row taken)
    for row in gain:
        best_before, arg_before = neg, 0  # the best of cur[0..j-1] and where
        nxt: list[float] = [neg] * (m + 1)
        how: list[tuple[int, bool]] = [(j, False) for j in range(m + 1)]
        for j in range(m + 1):
            nxt[j] = cur[j]
            g = row[j - 1] if j else 0.0
            if g > 0:
                if cur[j] + g - stay > nxt[j]:
                    nxt[j], how[j] = cur[j] + g - stay, (j, True)
                if best_before + g > nxt[j]:
                    nxt[j], how[j] = best_before + g, (arg_before, True)
            if cur[j] > best_before:
                best_before, arg_before = cur[j], j
        cur = nxt
        back.append(how)
    out: list[int | None] = [None] * n
    j = max(range(m + 1), key=lambda c: (cur[c], -c))
    total = cur[j]
    for i in range(n - 1, -1, -1):
        prev, taken = back[i][j]
        if taken:
            out[i] = j - 1
        j = prev
    return (out, total) if with_total else out
