"""Which CID collection explains a deck: one likelihood per profile, and "leave it".

A deck garbled through a CID-keyed font shows code points that stand for CIDs of one
collection (Adobe-Korea1, -Japan1, -GB1, -CNS1). Every profile reads the same code points
as different characters, so each hypothesis is scored the same way: the deck's suspect
characters (those no deck uses as themselves, ``CidRepair.kind``) that the profile reads as
letters of its language, decoded, each scored by that language's model against a
uniform draw from the profile's letters. Right, the decoded letters are the common ones
of the language (``の``, ``는``, ``的``) and the log-likelihood ratio grows with every
character; wrong, they are a random draw and it falls::

    >>> choice = detect_collection(["޿ࠂ഑৴Λࢧ͑Δόονج൫Λ"])     # 広告配信を支えるバッチ基盤を
    >>> choice.profile, choice.margin > 20
    ('adobe-japan1', True)
    >>> detect_collection(["ӣળࢿ ߊਊਗ"]).profile              # 김준성 발표자
    'adobe-korea1'
    >>> detect_collection(["\u0c1b\u0e9a\u05c3\u0a63\u04e7\u0fd2"]).profile is None   # random garble: none
    True

A weak run (one script, nothing unassigned: ``Привет``) may be a genuine word: it is no
evidence for or against any profile (a Greek paragraph reads as katakana to Adobe-Japan1),
and a deck with no strong run at all is left.

The decision (``rules/steps.json``, section ``collection``) weighs each hypothesis with a
prior. "Leave" (no profile: the text is not CID garble, or garble of a collection no profile
knows) scores 0, the ratio of a hypothesis to itself. A deck with strong runs is garble of
some collection far more often than of none, so every profile gains ``default_prior`` nats
over leaving it (its reader's own thresholds then leave what is not its language); a
profile other than Adobe-Korea1, the collection this project's users meet most, pays
``other_prior`` nats of that. The winner must lead the runner-up by ``min_margin`` nats, or
the deck is left. A left deck
that holds runs no genuine text looks like is ``suspect``: the CID step quarantines them
(``unknown-collection``) and never decodes them as any language.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterable, Mapping

from pipeline.models.cid_profile import DEFAULT_PROFILE, available_profiles, load_profile
from pipeline.models.korean_lm import END, START
from pipeline.repair.cid_repair import _char_class, is_strong
from pipeline.models.language import LANGUAGES, load_language_model
from pipeline.models.rule_files import load_json
from pipeline.deck import Deck
from pipeline.step import Stats, Step, load_params

AUTO = "auto"  # Config.profile: decide per deck
MEMO = 100_000  # runs whose ratio a process remembers, per profile
UNKNOWN = "unknown-collection"  # quarantine reason: garble of a collection no profile explains


@dataclass(frozen=True)
class CollectionParams:
    """How a deck's collection is decided (``rules/steps.json``, section ``collection``)."""

    SECTION = "collection"
    default_prior: float
    other_prior: float
    min_margin: float
    suspect_min: int
    evidence: int


@dataclass(frozen=True)
class CollectionChoice:
    """What explains a deck: ``profile`` (None: leave it), each hypothesis's score (its
    log-likelihood ratio plus its prior; ``leave`` among them), the winner's lead over the
    runner-up, and whether the deck holds garble-looking characters at all."""

    profile: str | None
    scores: dict[str, float] = field(default_factory=dict)
    margin: float = 0.0
    suspect: bool = False


class CollectionModel:
    """Per profile: which code points it reads as letters, and what each is worth."""

    def __init__(self, params: CollectionParams):
        from pipeline.repair.cid_repair import CidRepair  # its character kinds say what is suspect

        self.params = params
        self.names = [n for n in available_profiles() if _has_model(n)]
        self.kind = CidRepair.shared(DEFAULT_PROFILE, False).kind
        self._readers: dict[str, tuple] = {}
        self._memo: dict[str, dict[str, float]] = {}  # profile -> run -> its log-likelihood ratio

    def reader(self, name: str) -> tuple:
        """(profile, its language model, log of its number of letters)."""
        r = self._readers.get(name)
        if r is None:
            profile = load_profile(name)
            n = sum(1 for cid, cls in profile.cid_class.items() if cls in profile.letters and cid in profile.to_char)
            r = self._readers[name] = (profile, load_language_model(profile.language), math.log(n))
        return r

    @property
    def suspect_pattern(self) -> re.Pattern:
        """Runs of the characters no deck uses as themselves and some profile reads as a CID."""
        cached = self.__dict__.get("_pattern")
        if cached is None:
            # the kinds are Adobe-Korea1's reader's: a code point past its CIDs is genuine to it
            top = max(load_profile(DEFAULT_PROFILE).cid_class)
            chars = [chr(cp) for cp in range(0x80, top + 1) if self.kind(chr(cp)) in "SOUX"]
            cached = self.__dict__["_pattern"] = re.compile(_char_class(chars) + "+")
        return cached

    def runs(self, texts: list[str], all_strong: bool = False) -> list[tuple[str, bool]]:
        """The stretches of suspect characters (those no deck uses as themselves), each with
        whether it is *strong*: mixed scripts, an unassigned code point or a leading combining
        mark, which no genuine text shows (``CidRepair``'s test). At most ``evidence`` of their
        characters are looked at, in order: past that the decision does not move."""
        out, seen, budget = [], 0, self.params.evidence
        for text in texts:
            for m in self.suspect_pattern.finditer(text):
                run = m.group()
                out.append((run, all_strong or is_strong(run)))
                seen += len(run)
                if seen >= budget:
                    return out
        return out

    def llr(self, name: str, runs: list[tuple[str, bool]]) -> float:
        """The log-likelihood ratio of the runs' letters under one profile (read in order by
        its language's model) against a uniform draw of its letters. A strong run must be
        explained; a weak one (one script, nothing unassigned) is what a genuine word of
        another script looks like too (a Greek paragraph is katakana to Adobe-Japan1), so it is
        no evidence either way: the profile's reader decides it beside the strong runs."""
        memo = self._memo.setdefault(name, {})
        total = 0.0
        for run, strong in runs:
            if not strong:
                continue
            llr = memo.get(run)
            if llr is None:
                if len(memo) >= MEMO:
                    memo.clear()
                llr = memo[run] = self._run_llr(name, run)
            total += llr
        return total

    def _run_llr(self, name: str, run: str) -> float:
        profile, lm, log_n = self.reader(name)
        llr, state = 0.0, START
        for c in run:
            d = profile.decode_char(c)
            if d is not None and profile.is_letter(c) and lm.is_letter(d):
                llr += lm.logp(state, d) + log_n
                state = lm.extend(state, d)
            elif state != START:
                llr += lm.logp(state, END)
                state = START
        if state != START:
            llr += lm.logp(state, END)
        return llr

    def choose(self, texts: Iterable[str], all_strong: bool = False) -> CollectionChoice:
        p = self.params
        runs = self.runs(list(texts), all_strong)
        scores = {"leave": 0.0}
        for name in self.names:
            prior = p.default_prior - (0.0 if name == DEFAULT_PROFILE else p.other_prior)
            scores[name] = self.llr(name, runs) + prior
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
        (best, top), (_, second) = ranked[0], ranked[1]
        margin = top - second
        strong = sum(len(r) for r, is_strong in runs if is_strong)
        # with no strong run nothing shows garble (a reader decodes weak runs only beside strong ones)
        profile = best if best != "leave" and margin >= p.min_margin and strong else None
        suspect = strong >= p.suspect_min
        return CollectionChoice(profile, {k: round(v, 3) for k, v in scores.items()}, round(margin, 3), suspect)


@lru_cache(maxsize=1)
def agreed_cids() -> dict[int, str]:
    """The CIDs every profile reads as the same character (space, most of ASCII): a token of
    one of them needs no collection to be read.

        >>> agreed_cids()[13], 61 in agreed_cids()     # Japan1's 61 is ¥, Korea1's a backslash
        (',', False)
    """
    tables = [load_profile(n).to_char for n in available_profiles()]
    return {cid: ch for cid, ch in tables[0].items() if all(t.get(cid) == ch for t in tables[1:])}


def _has_model(name: str) -> bool:
    """Whether the profile's language has a model (a collection whose language has none cannot
    explain a deck). Read from the profile's file: the profile itself is built when a deck
    with strong runs needs it, so clean text never builds one."""
    return load_json(f"cid_profiles/{name}.json")["language"] in LANGUAGES


@lru_cache(maxsize=4)
def _model(params: CollectionParams) -> CollectionModel:
    return CollectionModel(params)


def detect_collection(texts: Iterable[str], params: CollectionParams | Mapping[str, Any] | None = None,
                      all_strong: bool = False) -> CollectionChoice:
    """The collection that explains these texts (a deck's slides), or None to leave them.
    ``all_strong``: every character is known to be a CID (pdfminer's ``(cid:N)`` tokens)."""
    if not isinstance(params, CollectionParams):
        params = load_params(CollectionParams, params)
    return _model(params).choose(texts, all_strong)


class CollectionStep(Step):
    """Pipeline step ``cid``: read a deck through the collection that explains it.

    ``profile="auto"`` decides per deck (``detect_collection``) and hands the deck to that
    profile's reader (``CidRepair``); a forced profile name reads every deck through it. A
    deck no profile explains is left as it is; where it holds garble-looking runs they are
    quarantined as ``unknown-collection`` (never decoded as any language)."""

    name = "cid"

    def __init__(self, profile: str = AUTO, undo_normalization: bool = True,
                 params: Mapping[str, Mapping[str, Any]] | None = None):
        from pipeline.repair.cid_repair import PARAMS_BY_LANGUAGE, CidRepair

        params = params or {}
        self.profile, self.undo_normalization = profile, undo_normalization
        self.params = load_params(CollectionParams, params.get(CollectionParams.SECTION))
        self.cid_params = {k: tuple(sorted(v.items())) for k, v in params.items() if k.startswith("cid")}
        for cls in set(PARAMS_BY_LANGUAGE.values()):  # checked now, though a reader is built when a deck needs it
            load_params(cls, params.get(cls.SECTION))
        self.forced = None if profile == AUTO else self.reader(profile)

    def reader(self, profile: str):
        from pipeline.repair.cid_repair import CidRepair

        return CidRepair.shared(profile, self.undo_normalization, self.cid_params.get(CidRepair.section_for(profile), ()))

    def run(self, deck: Deck, stats: Stats) -> None:
        if self.forced is not None:
            if deck.suspects():
                stats.stat(f"profile_{self.profile}", 1, unit="flag")
            self.forced.run(deck, stats)
            return
        slides = deck.suspects()
        if not slides:
            return
        choice = detect_collection((s.raw for s in slides), self.params)
        stats.stat(f"profile_{choice.profile or 'none'}", 1, unit="flag")
        if choice.profile is not None:
            self.reader(choice.profile).run(deck, stats)
        elif choice.suspect:  # quarantined at the end (UnknownCollection), if no other stage explains it
            stats.stat("unknown_collection", 1, unit="flag")


class UnknownCollection(Step):
    """Pipeline step, last: in a deck the CID step left because no collection explains its
    garble-looking runs, the runs no later stage explained either are quarantined
    (``unknown-collection``): never decoded as any language, never passed off as text."""

    name = "unknown-collection"

    def __init__(self):
        from pipeline.repair.cid_repair import CidRepair

        self.reader = CidRepair.shared(DEFAULT_PROFILE, False)

    def run(self, deck: Deck, stats: Stats) -> None:
        if not deck.stats.get("cid", {}).get("unknown_collection"):
            return
        for slide in deck.suspects():
            for run in self.reader.analyse(slide).runs:
                if run.strong and not run.lone_mark and slide.is_free(run.start, run.end):
                    slide.quarantine_span(run.start, run.end, UNKNOWN)
                    stats["runs"] += 1
