r"""Slide-to-section alignment: one sequence model over the sections of the notes unit that covers a deck.

1. **Units and states.** A notes file is a unit a deck may follow; a file that may hold
   several talks (two or more top-level headings with parts under them) is also one unit per
   talk. The notes are read as a tree: a heading with no text of its own above deeper
   headings (a document title, a topic grouping papers) is a parent, not a section a slide
   can take, and the untitled text before the first heading names nothing; a section whose
   heading names one of the deck's papers is read together with its parts.
2. **Candidates.** Units are found through an inverted index of the sections' rarer content
   features and of their headings' title keys, so a deck is never compared with every
   section of a large store.
3. **Evidence** (``_grid``): for each slide and section, in nats, how much likelier the
   slide's text is under the section's language model than under the notes' as a whole
   (``content_match``: character n-grams with the spaces taken out, identifiers split), plus,
   for a slide carrying a paper's title, how well the heading names it (``title_match``),
   less the level a section must pass (``_level``). A slide that says too little itself and
   repeats a neighbour shares the neighbour's evidence.
4. **Sequence** (``sequence``): the hidden state of each slide is a section of the unit or
   none; the steps between slides (next, same, skip ahead, back, none) are learnt for this
   deck and unit by EM, apart within a paper's run; Viterbi gives the path and each slide's
   posterior is its ``score``.
5. **Which unit.** The model's likelihood against "no section" (a Bayes factor) is computed
   for every candidate unit; the best covers the deck if it is at least ``min_evidence``.

    >>> from pipeline.read.notes import read_notes
    >>> from pipeline.read.transcript import read_deck
    >>> notes = read_notes("# 발표 대본\n## 카나리 배포\nArgo Rollouts로 트래픽을 5%씩 옮긴다\n"
    ...                    "## 시크릿 관리\nVault와 External Secrets로 비밀번호를 관리한다\n", "script.md")
    >>> deck = read_deck("Transcript\n  1. 카나리 배포 Argo Rollouts 트래픽 5%\n  2. 시크릿 관리 Vault\n  3. Q&A\n")
    >>> summary = Aligner([notes]).align(deck)
    >>> [(s.alignment or {}).get("section") for s in deck.slides]
    ['카나리 배포', '시크릿 관리', None]
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, Mapping

import numpy as np

from pipeline.align.content_match import ContentIndex, features
from pipeline.align.params import AlignParams, align_params
from pipeline.align.sequence import KINDS, SectionChain
from pipeline.align.title_match import MAX_TITLE, STOP, acronym, english_key, glossary, hangul_key, title_score, words
from pipeline.align.titles import find_titles
from pipeline.deck import Deck
from pipeline.models.hangul import HANGUL_WORD as _HANGUL_WORD
from pipeline.read.notes import Notes, Section


@dataclass
class Match:
    section: Section
    score: float  # posterior of the section given the whole deck
    method: str  # the evidence that spoke for it: content, or a title-matching method
    evidence: float  # the slide's log-likelihood ratio under the section against under none (nats)

    def record(self) -> dict:
        """The slide's ``alignment`` field."""
        return {"notes": self.section.notes, "section": self.section.heading, "path": list(self.section.path),
                "score": round(min(max(self.score, 0.0), 1.0), 3), "method": self.method,
                "evidence": round(self.evidence, 2)}


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
    short = acronym(text[:MAX_TITLE])
    if len(short) >= 3:  # GAN heads the notes on Generative Adversarial Networks
        keys.add("w:" + short[:7])
    keys.discard("k:")
    return keys


@dataclass
class Aligner:
    """Index of the given notes, reused for every deck aligned against them; ``params`` are
    the ``align`` parameters (``AlignParams``, ``rules/steps.json``)."""

    notes: list[Notes]
    index: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    sections: list[Section] = field(default_factory=list)
    params: AlignParams = field(default_factory=align_params)
    heading_keys: list[set[str]] = field(default_factory=list)

    def __post_init__(self):
        p = self.params
        for n in self.notes:
            for s in n.sections:
                sid = len(self.sections)
                self.sections.append(s)
                keys = title_keys(s.heading)
                self.heading_keys.append(keys)
                for k in keys:
                    self.index[k].add(sid)
        by_file: dict[str, list[int]] = defaultdict(list)
        for sid, s in enumerate(self.sections):
            by_file[s.notes].append(sid)
        self._by_file = by_file
        # a fixed spread of sections to calibrate the level against, whatever the size
        step = max(1, len(self.sections) // p.calibration_sample)
        self._sample = list(range(0, len(self.sections), step))[: p.calibration_sample]
        self.content = ContentIndex([s.heading + "\n" + s.heading + "\n" + s.body for s in self.sections],
                                    p.max_postings, p.mixture, p.beyond)
        # the notes as a tree: each section's parts (the deeper headings under it), and the
        # sections a slide can take: titled ones (the text before the first heading has no
        # name to give), but not a heading with no text of its own above parts (a parent: a
        # document title, a topic grouping papers)
        self.parts: dict[int, list[int]] = defaultdict(list)
        for sid, sec in enumerate(self.sections):
            nxt = sid + 1
            while nxt < len(self.sections) and self.sections[nxt].notes == sec.notes and sec.heading \
                    and self.sections[nxt].level > sec.level:
                self.parts[sid].append(nxt)
                nxt += 1
        self.takeable = {sid for sid, sec in enumerate(self.sections)
                         if sec.heading and (sec.body.strip() or not self.parts.get(sid))}
        self.units = [[sid for sid in u if sid in self.takeable] for n in self.notes for u in _content_units(n, by_file[n.name])]
        self.units = [u for u in self.units if u]
        self._units_of: dict[int, list[int]] = defaultdict(list)
        for k, u in enumerate(self.units):
            for sid in u:
                self._units_of[sid].append(k)

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

    # -- evidence ----------------------------------------------------------------------------
    def _evidence(self, deck: Deck) -> "DeckEvidence":
        texts = [s.text() for s in deck.slides]
        found = find_titles(texts)
        for slide, titles in zip(deck.slides, found.per_slide):
            slide.papers = list(dict.fromkeys(titles))
        vecs = [self.content.vector(t) for t in texts]
        bags = [self.content.bag(t) for t in texts]
        words = [dict(features(t)) for t in texts]
        titles = [list(t) for t in found.per_slide]
        runs: dict[int, list[int]] = {}
        for run in found.runs:
            for i in run.slides:
                titles[i] = list(dict.fromkeys(run.titles + titles[i]))
                runs[i] = run.slides
        cache: dict[tuple[str, int], tuple[float, str]] = {}
        found_for: dict[str, set[int]] = {}
        title_hits: list[dict[int, tuple[float, str]]] = []
        for ts in titles:  # (a run's slides carry the same titles: each is matched once)
            for title in ts:
                if title not in found_for:
                    found_for[title] = self.candidates(title)
            title_hits.append(self._title_matches(cache, ts, set().union(*(found_for[t] for t in ts))))
        coupled = [False] * len(texts)
        for run in found.runs:
            for a, b in zip(run.slides, run.slides[1:]):
                if b == a + 1:
                    coupled[b] = True
        toc = [i for i, is_toc in enumerate(found.toc) if is_toc or _lists_openings(i, texts)]
        for i in toc:  # a table of contents names many papers and is about none of them
            title_hits[i] = {}
        # a heading that names a paper (not one merely holding a slide's header among other
        # words: 광고 웹 SDK in 광고 웹 SDK 소개) heads the paper's notes
        named = {sid for hits in title_hits for sid, (_score, method) in hits.items() if method != "contained"}
        return DeckEvidence(texts, vecs, bags, words, runs, titles, title_hits, named, coupled, toc, cache)

    def states(self, ev: "DeckEvidence", unit: list[int]) -> tuple[list[int], dict[int, tuple[Counter, int]]]:
        """The sections of a unit a slide of this deck can take, and the text of each: a
        section whose heading names one of the deck's papers is read with its parts (the
        paper's notes under sub-headings), which are then no states of their own."""
        folded = {part for sid in unit if sid in ev.named for part in self.parts.get(sid, ())}
        sids = [sid for sid in unit if sid not in folded]
        merged = {sid: self.content.merged([sid] + self.parts[sid]) for sid in sids if sid in ev.named and self.parts.get(sid)}
        return sids, merged

    def _grid(self, ev: "DeckEvidence", sids: list[int], merged: dict | None = None,
              level: np.ndarray | float = 0.0) -> tuple[np.ndarray, np.ndarray, list[list[str]]]:
        """Evidence (nats) of each slide under each section against under none, and what
        said it: the content's log-likelihood ratio (``content_scale`` of it: neighbouring
        features are not independent) and, for a slide naming a paper, ``title_weight`` times
        how well the heading names it, shared among the headings that name it. A slide that
        says too little itself (no section reaches ``level``) and whose words a slide within
        ``share_window`` holds (``share_min`` of them) takes that slide's evidence, in that share."""
        p = self.params
        n = len(ev.texts)
        merged = merged or {}
        content = self._content(ev, sids, merged)
        for i in ev.toc:  # a list of the talk's parts speaks only for a section that lists them too (목차)
            for j, sid in enumerate(sids):
                if _held(ev.words[i], (merged.get(sid) or (self.content.counts[sid],))[0]) < p.share_min:
                    content[i, j] = min(content[i, j], 0.0)
        # a slide that says too little itself (no section reaches the level) and repeats what
        # a neighbour says (a section slide whose title the agenda listed, a build-up) shares
        # that neighbour's evidence, in the share of its words the neighbour holds
        speaks = (content >= level).any(axis=1) if len(sids) else np.zeros(n, dtype=bool)
        quiet = [i for i in range(n) if not speaks[i]]
        for i in quiet:
            for k in range(max(0, i - p.share_window), min(n, i + p.share_window + 1)):
                if k != i and speaks[k]:
                    held = _held(ev.words[i], ev.words[k])
                    if held >= p.share_min:
                        content[i] = np.maximum(content[i], held * content[k])
        title = np.zeros_like(content)
        how = [["content"] * len(sids) for _ in range(n)]
        for i in range(n):
            hits = self._run_hits(ev, i, sids, content)
            scores = [hits[sid][0] for sid in sids if sid in hits]
            for j, sid in enumerate(sids):
                hit = hits.get(sid)
                if hit:
                    # shared among the headings that match as well or better: a header several
                    # headings hold alike names none of them, a full title beats its near misses
                    title[i, j] = p.title_weight * hit[0] / sum(1 for x in scores if x >= hit[0])
                    if title[i, j] > content[i, j]:
                        how[i][j] = hit[1]
        return content, title, how

    def _level(self, unrelated: np.ndarray, sids: list[int], merged: dict) -> np.ndarray:
        """Per section, the evidence a slide must pass for the section to speak for it: what
        slides reach under sections of notes that do not cover them (the ``level_percentile``
        of those pairs; generic words of a field, 배포, 로그, 모델, lift every section of it a
        little), and at least what ``level_features`` features found in this section alone
        would give (one common word matched in a one-line section is no evidence; in a small
        file every feature is common, so the bar is as low as its evidence is)."""
        p = self.params
        unrelated_level = float(np.percentile(unrelated, 100 * p.level_percentile)) if unrelated.size else 0.0
        one = np.array([self.content.unique_gain(sid, merged.get(sid)) for sid in sids]) * p.content_scale
        return np.maximum(unrelated_level, p.level_features * one)

    def _content(self, ev: "DeckEvidence", sids: list[int], merged: dict | None = None) -> np.ndarray:
        """The content part of the evidence alone (nats, ``content_scale`` applied)."""
        return self.params.content_scale * self.content.log_ratios(ev.bags, sids, merged)

    def _run_hits(self, ev: "DeckEvidence", i: int, sids: list[int],
                  content: np.ndarray) -> dict[int, tuple[float, str]]:
        """Slide ``i``'s title matches: those the heading index found, and, for a slide of a
        paper's run, its titles against the section each of the run's slides is closest to by
        content (a heading of common words, ``Graph Decoders for Graphs Planning``, is too
        common a key to look up, but the slide with the full title is closest to it)."""
        hits = ev.title_hits[i]
        run = ev.runs.get(i)
        if not run or not ev.titles[i]:
            return hits
        if any(sid in hits for sid in sids):
            return hits  # the index found this unit's heading for it
        near = {sids[int(content[k].argmax())] for k in run if len(sids)} - hits.keys()
        extra = self._title_matches(ev.title_cache, ev.titles[i], near)
        return {**hits, **extra} if extra else hits

    def _title_matches(self, cache: dict, titles: list[str], sids) -> dict[int, tuple[float, str]]:
        """Section -> (score, method) of the best of ``titles`` against each of ``sids`` that
        reaches ``title_min``; a heading that shares no key (word, sound, acronym) with a title
        is not scored. ``cache`` keeps (title, section) scores for the deck."""
        out: dict[int, tuple[float, str]] = {}
        for title in titles:
            keys = cache.get(title)
            if keys is None:
                keys = cache[title] = title_keys(title)
            for sid in sids:
                if not keys & self.heading_keys[sid]:
                    continue
                if (title, sid) not in cache:
                    cache[title, sid] = title_score(title, self.sections[sid].heading, self.params)
                score, method = cache[title, sid]
                if score >= self.params.title_min and score > out.get(sid, (0.0, ""))[0]:
                    out[sid] = (score, method)
        return out

    # -- one deck ----------------------------------------------------------------------------
    def align(self, deck: Deck) -> dict:
        for slide in deck.slides:
            slide.alignment = None
        if not self.sections or not deck.slides:
            return {"notes": [], "sections_without_slides": []}
        p = self.params
        ev = self._evidence(deck)
        sample = self._content(ev, self._sample)
        rows = list(range(len(deck.slides)))
        summary: dict = {"notes": [], "sections_without_slides": []}
        # the unit the deck follows best; then, for the slides it leaves, the best unit of
        # another file that names their papers (a review whose papers each have a notes file)
        for _ in range(p.max_units):
            best = self._best_unit(ev, sample, rows, summary["notes"])
            if best is None:
                break
            fit, sids, evidence, how, level = best
            used = set()
            for t, i in enumerate(rows):
                j = fit.path[t]
                if j is None or not ev.texts[i].strip() or fit.posterior[t] < p.min_posterior:
                    continue  # an image-only slide says nothing (its place in the talk is no
                    # evidence); a section the deck finds less likely than min_posterior is not guessed
                used.add(sids[j])
                deck.slides[i].alignment = Match(self.sections[sids[j]], fit.posterior[t], how[t][j],
                                                 float(evidence[t, j])).record()
            name = self.sections[sids[0]].notes
            if not summary["notes"]:
                summary.update(level=round(float(np.median(level)) if np.size(level) else 0.0, 2),
                               log_evidence=round(fit.log_evidence, 2),
                               steps={k: round(v, 3) for k, v in fit.steps.items()},
                               steps_within_runs={k: round(v, 3) for k, v in fit.coupled_steps.items()})
            summary["notes"].append(name)
            summary["sections_without_slides"] += [f"{name}: {self.sections[sid].heading}" for sid in sids
                                                   if sid not in used and self.listed(sid)]
            rows = [i for i in rows if deck.slides[i].alignment is None and ev.texts[i].strip()]
            if len(rows) < p.min_slides_more:
                break
        return summary

    def _best_unit(self, ev: "DeckEvidence", sample: np.ndarray, rows: list[int], taken: list[str]):
        """The candidate unit (of a file not in ``taken``; once a file is taken, only units whose
        headings name the slides' papers) whose sequence model explains the slides ``rows`` best, with its fit, states, evidence, methods and level; None when
        none explains them better than no notes by ``min_evidence``."""
        p = self.params
        reach: Counter = Counter()
        near: Counter = Counter()  # section -> what the deck's rarer features and titles give it
        if not taken:  # further notes files are joined only where the deck's papers name them
            near.update(self.content.nearest([ev.vecs[i] for i in rows]))
        for i in rows:
            for sid, (score, _m) in ev.title_hits[i].items():
                near[sid] += score
        for sid, v in near.items():
            for u in self._units_of[sid]:
                reach[u] += v
        units = [u for u in sorted(reach, key=lambda u: (-reach[u], u))
                 if self.sections[self.units[u][0]].notes not in taken][: p.candidates]
        prior = {k: getattr(p, "prior_" + k) for k in KINDS}
        start = {k: getattr(p, "step_" + k) for k in KINDS}
        coupled = [ev.coupled[i] and t > 0 and rows[t - 1] == i - 1 for t, i in enumerate(rows)]
        best = None
        for u in units:
            unit = self.units[u]
            if len(unit) > p.max_states:  # a store of thousands of sections: those the deck reaches
                keep = set(sorted((sid for sid in unit if sid in near), key=lambda sid: -near[sid])[: p.max_states])
                unit = [sid for sid in unit if sid in keep]
            sids, merged = self.states(ev, unit)
            if not sids:
                continue
            files = {self.sections[sid].notes for sid in sids}
            others = [k for k, sid in enumerate(self._sample) if self.sections[sid].notes not in files]
            level = self._level(sample[:, others], sids, merged)
            content, title, how = self._grid(ev, sids, merged, level)
            # what the content says for a slide beyond the level counts in full, a shortfall
            # ``below_level`` times against, up to ``max_shortfall`` (missing words say only
            # so much: a paper's slide of remarks still follows its title); a title match is
            # evidence of its own
            content = content - level
            evidence = (np.where(content > 0, content, p.below_level * np.maximum(content, -p.max_shortfall))
                        + title)[rows]
            fit = SectionChain(len(sids), start, p.skip_decay).fit(evidence, prior, p.em_rounds, coupled)
            if best is None or fit.log_evidence > best[0].log_evidence:
                best = (fit, sids, evidence, [how[i] for i in rows], level)
        if best is None or best[0].log_evidence < p.min_evidence:
            return None
        return best

    def listed(self, sid: int) -> bool:
        """A section to list among those without slides: one a slide could take (titled, and
        not a parent heading with no text of its own, ``# Part`` directly above ``## Chapter``)."""
        return sid in self.takeable


@dataclass
class DeckEvidence:
    texts: list[str]
    vecs: list[dict[str, float]]  # unit vectors, to find candidate units with
    bags: list[dict[str, float]]  # the features the notes know, weighted, for the evidence
    words: list[dict[str, int]]  # all its features, to tell a slide that repeats another
    runs: dict[int, list[int]]  # slide -> the slides of its paper run
    titles: list[list[str]]  # the paper titles each slide carries (its run's among them)
    title_hits: list[dict[int, tuple[float, str]]]  # slide -> section -> (title score, method)
    named: set[int]  # sections whose heading names a paper of the deck
    coupled: list[bool]  # slide shares its paper's header with the slide before
    toc: list[int]  # tables of contents: slides listing several of the deck's titles
    title_cache: dict = field(default_factory=dict)  # (title, section) -> title_score; title -> its keys


AGENDA_OPENINGS = 3  # a slide holding the opening words of this many other slides lists the talk
OPENING_WORDS = 3


def _lists_openings(i: int, texts: list[str]) -> bool:
    """Slide ``i`` holds the opening words of ``AGENDA_OPENINGS`` other slides: an agenda
    (목차 followed by the titles the talk's slides open with)::

        >>> slides = ["목차 왜 옮기게 됐나 새 구조 소개 숫자로 본 결과", "왜 옮기게 됐나 서버 서른 대", "새 구조 소개 그림 한 장",
        ...           "숫자로 본 결과 40분에서 6분"]
        >>> _lists_openings(0, slides), _lists_openings(1, slides)
        (True, False)
    """
    own = " " + " ".join(texts[i].split()) + " "
    openings = {" ".join(t.split()[:OPENING_WORDS]) for k, t in enumerate(texts)
                if k != i and len(t.split()) > OPENING_WORDS}
    return sum(1 for o in openings if f" {o} " in own) >= AGENDA_OPENINGS


def _held(bag: dict[str, float], other: dict[str, float]) -> float:
    """The share of ``bag``'s weight whose features ``other`` has too."""
    total = sum(bag.values())
    return sum(w for f, w in bag.items() if f in other) / total if total else 0.0


def _content_units(notes: Notes, sids: list[int]) -> list[list[int]]:
    """The parts of a notes file that may each cover a deck: the whole file and, when the
    file may hold several talks (two or more top-level headings with two or more sections
    under each), each talk's part (its untitled preamble belongs to none); the sequence
    model's likelihood tells which one the deck follows."""
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
        return [sids] + parts
    return [sids]
