"""Paper titles on slides: the title a run of consecutive slides repeats.

Decks repeat the paper under discussion as a header or footer on every slide about it.
Candidates are the word sequences neighbouring slides share. A candidate's slides must
form one run of at least two consecutive slides (a one-slide gap is bridged; table-of-
contents slides elsewhere are allowed); a phrase that comes back in several separate runs
(``Motivation``, ``Result``) is a section word. The deck's titles are then the
non-overlapping runs of largest total weight, a run weighing its length times the log of
its phrase's length, so a long title over its run beats a word shared by several
(``End-to-End``)::

    >>> slides = ["Agenda BERT: Deep Transformers Tacotron 2", "BERT: Deep Transformers Motivation x",
    ...           "Model BERT: Deep Transformers y", "Tacotron 2 Motivation z", "Tacotron 2 Model w"]
    >>> find_titles(slides).per_slide
    [['BERT: Deep Transformers', 'Tacotron 2'], ['BERT: Deep Transformers'], ['BERT: Deep Transformers'], ['Tacotron 2'], ['Tacotron 2']]
    >>> find_titles(slides).toc
    [True, False, False, False, False]

A slide that lists two or more titles is a table of contents: it belongs to no single paper.
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline.models.rule_files import rules_path

_PUNCT_EDGE = re.compile(r"^[\W_]+|[\W_]+$")
MAX_WORDS = 24
MIN_RUN = 2


def _norm(token: str) -> str:
    return _PUNCT_EDGE.sub("", token).lower()


@dataclass
class PaperRun:
    slides: list[int]  # consecutive slide indices
    titles: list[str]  # how the slides name the paper: the full title first, then the header


@dataclass
class SlideTitles:
    per_slide: list[list[str]]  # titles found on each slide, as written on the slide
    paper: list[str | None]  # the paper each slide is about (None: none, or a table of contents)
    toc: list[bool]
    runs: list[PaperRun]


def _occurs(phrase: tuple[str, ...], norm: list[str]) -> int:
    """Index of the first occurrence of ``phrase`` in the normalized tokens, or -1."""
    n = len(phrase)
    for i in range(len(norm) - n + 1):
        if tuple(norm[i : i + n]) == phrase:
            return i
    return -1


def _runs(indices: list[int], gap: int = 0) -> list[list[int]]:
    runs: list[list[int]] = []
    for i in indices:
        if runs and i <= runs[-1][-1] + 1 + gap:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def _title_like(phrase: tuple[str, ...], words: list[str]) -> bool:
    if len(phrase) > MAX_WORDS or not any(c.isalpha() for c in "".join(phrase)):
        return False
    if len(phrase) == 1:  # a single word must look like a name: BERT, Whisper, Tacotron
        w = words[0]
        return len(_norm(w)) >= 3 and (w[:1].isupper() or not w.isascii())
    return True


HEADER_POSITION = 2  # a header starts within the first tokens of a slide ("Motivation BERT: ...")
OFF_HEADER = 0.3  # weight of an occurrence elsewhere on the slide


def _candidates(tokens: list[list[str]], norm: list[list[str]]) -> dict[tuple[str, ...], list[str]]:
    """Word sequences that two neighbouring slides share."""
    candidates: dict[tuple[str, ...], list[str]] = {}
    for i in range(len(norm) - 1):
        a, b = norm[i], norm[i + 1]
        for blk in difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks():
            if blk.size == 0:
                continue
            phrase = tuple(a[blk.a : blk.a + blk.size])
            words = tokens[i][blk.a : blk.a + blk.size]
            while phrase and not phrase[-1]:  # punctuation-only tokens at the edges
                phrase, words = phrase[:-1], words[:-1]
            while phrase and not phrase[0]:
                phrase, words = phrase[1:], words[1:]
            if phrase and _title_like(phrase, words):
                candidates.setdefault(phrase, words)
    return candidates


def _best_runs(runs: list[tuple[float, int, int, tuple[str, ...], list[str]]]):
    """The non-overlapping runs of largest total weight (weighted interval scheduling)."""
    runs = sorted(runs, key=lambda r: r[2])
    prev = []
    for k, (_w, lo, *_rest) in enumerate(runs):
        j = k - 1
        while j >= 0 and runs[j][2] >= lo:
            j -= 1
        prev.append(j)
    best = [0.0] * (len(runs) + 1)
    for k, run in enumerate(runs):
        best[k + 1] = max(best[k], run[0] + best[prev[k] + 1])
    chosen, k = [], len(runs) - 1
    while k >= 0:
        if runs[k][0] + best[prev[k] + 1] >= best[k + 1] and best[k + 1] > best[k]:
            chosen.append(runs[k])
            k = prev[k]
        else:
            k -= 1
    return chosen[::-1]


def _leading_title(tokens: list[str], generic: set[str]) -> str | None:
    """The Latin-script words a slide opens with, up to a section word: an opening slide's title."""
    out = []
    for w in tokens[:24]:
        n = _norm(w)
        if out and n in generic:
            break
        if not w.isascii() or not any(c.isalnum() for c in w):
            if any(c.isalnum() for c in w):
                break
            continue
        out.append(w)
    if len(out) < 3 or not any(w[:1].isupper() for w in out):
        return None
    return " ".join(out)


_LIST_MARK = re.compile(r"[\u2460-\u2473\u2776-\u277f\u278a-\u2793•▸▪◦]|(?:^|\s)\d{1,2}[.)]\s")
_TOC_WORD = re.compile(r"\b(?:agenda|contents|outline|index|publications)\b|목차|차례|순서", re.I)


def _is_toc(text: str, titles: int) -> bool:
    """Three titles make a table of contents; two do on a slide that reads as a list."""
    if titles >= 3:
        return True
    return titles == 2 and (len(_LIST_MARK.findall(text)) >= 2 or bool(_TOC_WORD.search(text)))


def _choose(candidates, norm, skip: set[int]):
    """The deck's header runs, slides in ``skip`` (tables of contents) not counted."""
    runs = []
    for phrase, words in candidates.items():
        where = {i: _occurs(phrase, norm[i]) for i in range(len(norm)) if i not in skip}
        where = {i: pos for i, pos in where.items() if pos >= 0}
        long_runs = [r for r in _runs(sorted(where), gap=1) if len(r) >= MIN_RUN]
        if len(long_runs) != 1:
            continue
        run = long_runs[0]
        if sum(1 for i in run if where[i] <= HEADER_POSITION) < 2:
            continue
        if sum(1 for i in run if sum(1 for t in norm[i] if t) > len(phrase)) < 2:
            continue  # a header heads something: slides that are nothing but it repeat, they name nothing
        weight = sum(1.0 if where.get(i, 99) <= HEADER_POSITION else OFF_HEADER for i in range(run[0], run[-1] + 1))
        runs.append((weight * math.log(1 + len(phrase)), run[0], run[-1], phrase, words))
    return _best_runs(runs)


@lru_cache(maxsize=1)
def section_words() -> frozenset[str]:
    lines = rules_path("section_words.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(x.strip().lower() for x in lines if x.strip() and not x.startswith("#"))


def _starts_with(norm_tokens: list[str], title: str) -> bool:
    t = [_norm(w) for w in title.split()]
    return bool(t) and norm_tokens[: len(t)] == t


def find_titles(texts: list[str]) -> SlideTitles:
    tokens = [t.split() for t in texts]
    norm = [[_norm(w) for w in ws] for ws in tokens]
    candidates = _candidates(tokens, norm)
    # two passes: slides that hold two or more titles are tables of contents, and a
    # title's run is counted without them
    first = _choose(candidates, norm, set())
    toc = {i for i in range(len(texts)) if _is_toc(texts[i], sum(_occurs(r[3], norm[i]) >= 0 for r in first))}
    chosen = _choose(candidates, norm, toc)
    header = {r[3]: " ".join(r[4]) for r in chosen}
    per_slide: list[list[str]] = [[] for _ in texts]
    for phrase, title in header.items():
        for i in range(len(texts)):
            if _occurs(phrase, norm[i]) >= 0:
                per_slide[i].append(title)
    is_toc = [i in toc or _is_toc(texts[i], len(per_slide[i])) for i in range(len(texts))]
    paper_runs = [PaperRun([i for i in range(lo, hi + 1) if not is_toc[i]], [header[phrase]])
                  for _w, lo, hi, phrase, _words in chosen]
    paper_runs = [r for r in paper_runs if r.slides]
    owner = {i: k for k, r in enumerate(paper_runs) for i in r.slides}
    generic = section_words()
    for r in paper_runs:  # the run's first slide may give the title in full: "LoRA: Low-Rank ..."
        lead = _leading_title(tokens[r.slides[0]], generic)
        if lead and len(lead) > len(r.titles[0]) and _starts_with(norm[r.slides[0]], r.titles[0]):
            r.titles.insert(0, lead)
    for k, r in enumerate(paper_runs):
        # the slide before a run opens it with the full title, unless it repeats the
        # previous run's title (then it closes that one)
        i = r.slides[0] - 1
        if i >= 0 and i not in owner and not is_toc[i]:
            lead = _leading_title(tokens[i], generic)
            if lead:
                prev = paper_runs[k - 1] if k else None
                target = prev if prev and prev.slides[-1] == i - 1 and any(
                    _starts_with(norm[i], t) for t in prev.titles) else r
                if target is r:
                    r.slides.insert(0, i)
                    r.titles.insert(0, lead)
                else:
                    target.slides.append(i)
                per_slide[i].append(lead)
                owner[i] = paper_runs.index(target)
    for k, r in enumerate(paper_runs):
        # the slide after a run closes it when it repeats one of its titles at its head
        i = r.slides[-1] + 1
        if i < len(texts) and i not in owner and not is_toc[i] and any(_starts_with(norm[i], t) for t in r.titles):
            r.slides.append(i)
            per_slide[i].append(r.titles[0])
            owner[i] = k
    paper: list[str | None] = [None] * len(texts)
    for r in paper_runs:
        for i in r.slides:
            paper[i] = r.titles[0]
    return SlideTitles(per_slide, paper, is_toc, paper_runs)
