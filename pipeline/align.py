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

Notes that follow the slides one by one (a speaker script, no paper titles) are aligned
slide by slide with the same program.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from .deck import Deck
from .notes import Notes, Section
from .title_match import MAX_TITLE, STOP, english_key, glossary, hangul_key, title_score, words
from .titles import find_titles

_HANGUL_WORD = re.compile(r"[\uac00-\ud7a3]+")
DEFAULT_SKIP = 0.45
SKIP_RANGE = (0.35, 0.6)
FILE_MATCH = 0.8  # a title score that counts a paper as named by a file
CONTENT_WEIGHT = 2.0  # content cosine -> score
CONTENT_CAP = 0.8
MAX_POSTINGS = 64  # a key shared by more sections than this says too little to look up
CALIBRATION_SAMPLE = 100  # sections of other files the skip cost is calibrated on


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


def _features(text: str) -> Counter:
    """English words and Hangul syllable bigrams, for content similarity."""
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
    """Index of the given notes, reused for every deck aligned against them."""

    notes: list[Notes]
    index: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    sections: list[Section] = field(default_factory=list)
    features: list[Counter] = field(default_factory=list)

    def __post_init__(self):
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
        step = max(1, len(self.sections) // CALIBRATION_SAMPLE)
        self._sample = list(range(0, len(self.sections), step))[:CALIBRATION_SAMPLE]

    # -- candidates --------------------------------------------------------------------------
    def candidates(self, title: str) -> set[int]:
        """Sections whose heading shares a key with ``title``; keys too common to tell anything
        (more than MAX_POSTINGS sections) are not followed, so the cost per deck stays flat
        as the notes grow."""
        found: set[int] = set()
        for k in title_keys(title):
            postings = self.index.get(k, ())
            if len(postings) <= MAX_POSTINGS:
                found.update(postings)
        return found

    def _title_matches(self, unit: Unit) -> dict[int, Match]:
        out: dict[int, Match] = {}
        for title in unit.titles:
            for sid in self.candidates(title):
                score, method = title_score(title, self.sections[sid].heading)
                if sid not in out or score > out[sid].score:
                    out[sid] = Match(self.sections[sid], score, method)
        return out

    # -- one deck ----------------------------------------------------------------------------
    def units(self, deck: Deck) -> tuple[list[Unit], list]:
        texts = [s.text() for s in deck.slides]
        found = find_titles(texts)
        for slide, titles in zip(deck.slides, found.per_slide):
            slide.papers = list(dict.fromkeys(titles))
        units = [Unit(r.slides, r.titles, "\n".join(texts[i] for i in r.slides)) for r in found.runs]
        return units, found

    def choose_files(self, title_hits: list[dict[int, Match]]) -> list[str]:
        cover: Counter = Counter()
        for hits in title_hits:
            files = {m.section.notes for m in hits.values() if m.score >= FILE_MATCH}
            cover.update(files)
        if not cover:
            return []
        best = max(cover.values())
        need = 1 if len(title_hits) == 1 else 2
        return sorted((f for f in cover if cover[f] >= max(need, best / 2)), key=self._file_order.get)

    def align(self, deck: Deck) -> dict:
        units, _found = self.units(deck)
        for slide in deck.slides:
            slide.alignment = None
        if not self.sections:
            return {"notes": [], "sections_without_slides": []}
        title_hits = [self._title_matches(u) for u in units]
        files = self.choose_files(title_hits) if units else []
        if not files:  # no paper titles to go by: notes written slide by slide?
            return self.align_script(deck)
        chosen = [sid for f in files for sid in self._by_file[f]]
        # unrelated pairs: sections of other files, those the titles' keys led to and a fixed spread
        near = {sid for hits in title_hits for sid in hits}
        others = [sid for sid in sorted(near | set(self._sample)) if self.sections[sid].notes not in files]
        unit_feats = [_features(u.text) for u in units]

        def score(k: int, sid: int) -> Match:
            hit = title_hits[k].get(sid)
            content = min(CONTENT_CAP, CONTENT_WEIGHT * _cosine(unit_feats[k], self.features[sid], self.idf))
            if hit and hit.score >= content:
                return hit
            return Match(self.sections[sid], round(content, 3), "content")

        skip = self.skip_cost([score(k, sid).score for k in range(len(units)) for sid in others])
        grid = [[score(k, sid) for sid in chosen] for k in range(len(units))]
        assignment = monotone_assign([[m.score - skip for m in row] for row in grid])
        used = set()
        for k, j in enumerate(assignment):
            if j is None:
                continue
            m = grid[k][j]
            used.add(chosen[j])
            for i in units[k].slides:
                deck.slides[i].alignment = {
                    "notes": m.section.notes,
                    "section": m.section.heading,
                    "path": list(m.section.path),
                    "score": round(min(max(m.score, 0.0), 1.0), 3),
                    "method": m.method,
                }
        unused = [f"{self.sections[sid].notes}: {self.sections[sid].heading}"
                  for sid in chosen if sid not in used and self.sections[sid].heading]
        return {"notes": files, "skip_cost": round(skip, 3), "sections_without_slides": unused}

    def align_script(self, deck: Deck) -> dict:
        """Speaker-script notes, a heading per slide: each slide against the headings of the
        file whose headings its slides name best (the slide's opening words against the
        heading, or their content), one to one, in order."""
        texts = [s.text() for s in deck.slides]
        feats = [_features(t) for t in texts]
        heads = [" ".join(t.split()[:12]) for t in texts]
        best_file, best_total, best_grid = None, 0.0, None
        # only files whose headings share keys with the slides' opening words
        hits: Counter = Counter()
        for head in heads:
            hits.update({self.sections[sid].notes for sid in self.candidates(head)})
        for name in sorted((f for f, n in hits.items() if n >= 2), key=self._file_order.get):
            sids = self._by_file[name]
            if len(sids) < max(2, len(texts) // 4):
                continue
            grid = []
            for k in range(len(texts)):
                row = []
                for sid in sids:
                    heading = self.sections[sid].heading
                    t = _heading_in_slide(heading, heads[k])
                    c = min(CONTENT_CAP, CONTENT_WEIGHT * _cosine(feats[k], self.features[sid], self.idf))
                    row.append(Match(self.sections[sid], t, "slide-title") if t >= c else
                               Match(self.sections[sid], round(c, 3), "content"))
                grid.append(row)
            total = sum(max((m.score for m in row), default=0.0) for row in grid)
            if total > best_total:
                best_file, best_total, best_grid = name, total, grid
        if best_file is None or best_total < DEFAULT_SKIP * len(texts) * 0.5:
            return {"notes": [], "sections_without_slides": []}
        sids = self._by_file[best_file]
        assignment = monotone_assign([[m.score - DEFAULT_SKIP for m in row] for row in best_grid], share=False)
        used = set()
        for k, j in enumerate(assignment):
            if j is not None:
                m = best_grid[k][j]
                used.add(sids[j])
                deck.slides[k].alignment = {"notes": best_file, "section": m.section.heading,
                                            "path": list(m.section.path), "score": round(min(m.score, 1.0), 3),
                                            "method": m.method}
        unused = [f"{best_file}: {self.sections[sid].heading}" for sid in sids if sid not in used and self.sections[sid].heading]
        return {"notes": [best_file], "sections_without_slides": unused}

    @staticmethod
    def skip_cost(unrelated: list[float]) -> float:
        """The score a pair must beat: just above what unrelated pairs reach (95th percentile)."""
        if len(unrelated) < 10:
            return DEFAULT_SKIP
        ranked = sorted(unrelated)
        p95 = ranked[int(0.95 * (len(ranked) - 1))]
        return min(max(p95 + 0.05, SKIP_RANGE[0]), SKIP_RANGE[1])


def _heading_in_slide(heading: str, head: str) -> float:
    """How well a heading names a slide whose opening words are ``head``."""
    hw, tw = words(heading), words(head)
    if not hw:
        return 0.0
    if tw[: len(hw)] == hw:
        return 1.0
    shared = set(hw) & set(tw[: len(hw) + 3])
    return round(0.9 * len(shared) / len(set(hw)), 3)


def monotone_assign(gain: list[list[float]], share: bool = True) -> list[int | None]:
    """Assign each row (a slide run) to a column (a section) or to nothing, columns never
    going back; with ``share`` several rows may take the same column. Maximizes the total
    gain of the pairs made (a pair with negative gain is never made)::

        >>> monotone_assign([[0.9, 0.1], [0.2, 0.8], [-1, -1]])
        [0, 1, None]
    """
    n = len(gain)
    m = len(gain[0]) if n else 0
    if not m:
        return [None] * n
    neg = float("-inf")
    # dp[i][j]: best total for rows < i with every used column <= j
    dp = [[0.0] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[str, int] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        for j in range(0, m + 1):
            best, how = dp[i - 1][j], ("skip-row", j)
            if j > 0:
                if dp[i][j - 1] > best:
                    best, how = dp[i][j - 1], ("skip-col", j - 1)
                g = gain[i - 1][j - 1]
                base = dp[i - 1][j] if share else dp[i - 1][j - 1]
                if g > 0 and base + g > best:
                    best, how = base + g, ("take", j)
            dp[i][j] = best if best != neg else 0.0
            back[i][j] = how
    out: list[int | None] = [None] * n
    i, j = n, m
    while i > 0:
        how = back[i][j]
        if how[0] == "skip-col":
            j = how[1]
        elif how[0] == "take":
            out[i - 1] = j - 1
            i -= 1
            if not share:
                j -= 1
        else:
            i -= 1
    return out
