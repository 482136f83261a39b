"""Recover Korean text that was extracted with glyph CIDs as code points.

A garbled run is decoded only when it reads as Korean, so genuine Cyrillic,
Hebrew, Bengali... text stays as it is::

    >>> fix_and_explain("Junseong Kim (ӣળࢿ) привет")
    ('Junseong Kim (김준성) привет', [('cid-hangul', 'ӣળࢿ', '김준성')])

How a run is judged (thresholds in ``rules/steps.json``, section ``cid``; character
ranges in ``rules/cid_detection.json``):

* candidate characters are those whose CID is a Hangul syllable; characters in
  ``genuine_common`` (quotes, bullets, arrows, emoji-like symbols, kana...) never are;
* a run is *strong* if it mixes scripts, holds unassigned code points or starts
  with a combining mark: no genuine text looks like that;
* a strong run is decoded if its syllables score at least ``strong_min`` under the
  Korean model; a weak (single-script) run needs ``weak_min`` and a slide that is
  already known to be garbled;
* symbols glued to a decoded run are decoded too (``ú`` → ``↖``); a glued
  character whose CID has no Unicode character is quarantined (``unmapped-cid``);
* Latin set in the Korean font (shifted ASCII, ``$PNQPTF`` = ``Compose``) is read by
  likelihood: the Latin model (``pipeline/models/latin.py``) scores each ASCII piece of a
  garbled slide as itself and shifted, and a prior for "this deck sets its Latin in the
  Korean font", learnt from the deck itself by EM (glued to Hangul and standing alone
  apart), decides;
* KS X 1001 symbol CIDs that land on lower-case letters (``t품질저하u`` = “품질저하”) are
  decoded where they stand as the symbol would: an opening quote or bracket before a
  decoded run whose closing partner follows a later run, other punctuation at a run's end.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Mapping, NamedTuple

from pipeline.deck import Deck, Slide
from pipeline.models.cid_profile import DEFAULT_PROFILE, CidProfile, load_profile
from pipeline.models.language import load_language_model
from pipeline.models.latin import (
    SHIFT,
    FontPrior,
    LatinModel,
    SlidePrior,
    load_latin,
    shift_gain,
    unshift,
)
from pipeline.models.rule_files import load_json
from pipeline.repair.unnormalize import Unnormalizer, normalization_form
from pipeline.step import PatternStep, Stats, Step, load_params

NEEDS_MODEL = "needs-language-model"  # quarantine reason: readings only a model that is not installed can choose
RUN_CACHE = 200_000  # judged runs kept per process (cleared when full)
_TOKEN = re.compile(r"\S+")
_C1 = re.compile(r"[\x80-\x9f]")
_LOW_CID = re.compile(r"[\x01-\x08\x0b\x0e-\x1f]+")  # extractors usually drop them; kept, they are CIDs 1-31
_CID_TOKEN = re.compile(r"\(cid:(\d{1,6})\)")
_SHIFTED = re.compile(r"[\x21-\x5f]+")  # what Latin set in the Korean font can look like
_LATIN_PIECE = re.compile(r"[\x21-\x7e]+")  # a stretch of printable ASCII inside a token
_UNSHIFTABLE = re.compile(r"[\x60-\x7e]")  # lower-case letters and {|}~`: never shifted Latin
# up to three letters with no other ASCII beside them: symbol CIDs 101-127 (“ is t)?
_SYMBOL_LETTERS = re.compile(r"(?<![\x21-\x7f])[\x60-\x7f]{1,3}(?![\x21-\x7f])")
_OPENING, _CLOSING = frozenset({"Ps", "Pi"}), frozenset({"Pe", "Pf"})


def run_shape(chars: str) -> tuple[list[str], set[str], bool]:
    """A run's categories, the scripts of its letters, marks and symbols (not danda, digits...),
    and whether it is *strong*: it shows what no genuine text shows (mixed scripts, an
    unassigned code point, a leading combining mark)."""
    cats = [unicodedata.category(c) for c in chars]
    scripts = {script(c) for c, cat in zip(chars, cats) if cat[0] in "LMS"}
    return cats, scripts, "Cn" in cats or len(scripts) > 1 or cats[0].startswith("M")


def is_strong(chars: str) -> bool:
    return run_shape(chars)[2]


def script(ch: str) -> str:
    """A character's script, as the first word of its Unicode name (``BENGALI``, ``CJK``...)."""
    return unicodedata.name(ch, "?").split(" ", 1)[0]


class Judgement(NamedTuple):
    """What a run of syllable CIDs reads as: it depends on the characters alone (and the
    normalization form, and whether a word starts there), so it is remembered per process."""

    decoded: str
    strong: bool
    score: float
    rare_script: bool  # every character is of a script Korean decks never use (CJK Ext A, Glagolitic...)
    unnormalized: bool  # the decoding undoes normalization damage (reordered marks, decomposed 오)
    nfc_margin: float  # log-probability the chosen reading leads its best rival by (the observed text or the next reading)
    ambiguous: bool  # another reading is better, but not by a clear margin
    lone_syllable: bool  # a single code point standing for a KS X 1001 syllable (수, 을, 두...)
    lone_mark: bool  # a single combining mark: strong inside a garbled slide, no evidence alone
    too_complex: bool = False  # past the slide's search budget: quarantined, not judged
    needs_model: bool = False  # several readings, and the language's model cannot choose (no morphology)


TOO_COMPLEX = Judgement("", True, float("-inf"), False, False, 0.0, False, False, False, too_complex=True)


# a run of syllable CIDs at raw[start:end] with its judgement's fields (run.decoded, run.strong...)
Run = NamedTuple("Run", [("start", int), ("end", int), *Judgement.__annotations__.items()])


@dataclass
class SlideAnalysis:
    runs: list[Run] = field(default_factory=list)

    @property
    def anchors(self) -> list[Run]:
        return [r for r in self.runs if r.strong and r.decoded and not r.lone_mark]


@dataclass(frozen=True)
class CidParams:
    """The CID step's thresholds (``rules/steps.json``, section ``cid``, where each is explained)."""

    SECTION = "cid"
    strong_min: float
    weak_min: float
    min_gain: float
    beam: int
    max_run: int
    search_budget: int
    well_formed_extra_gain: float
    min_anchors: int
    min_fraction: float
    prior_a: float
    prior_b: float
    iterations: int
    min_odds: float
    slide_strength: float


@dataclass(frozen=True)
class CidParamsJa(CidParams):
    """The same thresholds for Japanese text (section ``cid-ja``): the Japanese model's scale."""

    SECTION = "cid-ja"


@dataclass(frozen=True)
class CidParamsZh(CidParams):
    """The same thresholds for Chinese text (section ``cid-zh``): the Chinese models' scale."""

    SECTION = "cid-zh"


PARAMS_BY_LANGUAGE = {"ko": CidParams, "ja": CidParamsJa, "zh-Hans": CidParamsZh, "zh-Hant": CidParamsZh}


class CidRepair(Step):
    """Pipeline step: decode CID-garbled runs of every slide of a deck."""

    name = "cid"

    @staticmethod
    def section_for(profile: str) -> str:
        """The section of ``rules/steps.json`` holding a profile's thresholds."""
        return PARAMS_BY_LANGUAGE[load_profile(profile).language].SECTION

    @staticmethod
    def shared(profile: str = DEFAULT_PROFILE, undo_normalization: bool = True,
               params: tuple[tuple[str, float], ...] = ()) -> "CidRepair":
        """One instance per setting and process (it holds only read-only tables and caches)."""
        return _shared_cid_repair(profile, undo_normalization, params)

    def __init__(self, profile: str = DEFAULT_PROFILE, undo_normalization: bool = True,
                 params: Mapping[str, Any] | None = None):
        """``params`` override the ``cid`` section of ``rules/steps.json`` (``CidParams``)."""
        cfg = load_json("cid_detection.json")
        self.profile: CidProfile = load_profile(profile)
        p = self.params = load_params(PARAMS_BY_LANGUAGE[self.profile.language], params)
        self.undo_normalization = undo_normalization
        self.lm = load_language_model(self.profile.language)
        self.floor = self.lm.lowest_floor  # log P of a letter the model never saw
        self.latin: LatinModel = load_latin()
        self.genuine = sorted((int(a, 16), int(b, 16)) for a, b in cfg["genuine_common"]["ranges"])
        self._genuine_starts = [lo for lo, _ in self.genuine]
        self.strong_min = p.strong_min
        self.weak_min = p.weak_min
        self.rare_scripts = frozenset(cfg["rare_scripts"]["names"])
        self.nfc_margin = p.min_gain
        self.max_run = p.max_run
        self.search_budget = p.search_budget
        self.well_formed_margin = p.well_formed_extra_gain
        self.unnorm = Unnormalizer(self.profile, self.lm, beam=p.beam)
        self.bullets = frozenset(chr(int(c, 16)) for c in cfg["list_bullets"]["code_points"])
        self.min_anchors = p.min_anchors
        self.min_fraction = p.min_fraction
        self.font = {k: getattr(p, k) for k in ("prior_a", "prior_b", "iterations", "min_odds", "slide_strength")}
        self._kinds: dict[str, str] = {}
        self._runs: dict[tuple, tuple] = {}
        self._scans: dict[str | None, tuple] = {}

    # -- character kinds ---------------------------------------------------------------------
    def kind(self, ch: str) -> str:
        """'A' ASCII, ' ' space, 'G' leave alone, 'S' syllable CID, 'O' symbol or hanja CID,
        'U' symbol or hanja CID with no character, 'X' other CID (vertical, extension: left
        unless it is a list bullet)."""
        k = self._kinds.get(ch)
        if k is None:
            k = self._kinds[ch] = self._kind(ch)
        return k

    GLUED_CLASSES = ("symbol", "hanja")  # CIDs decoded when glued to a decoded run

    def _kind(self, ch: str) -> str:
        cp = ord(ch)
        if cp < 0x80:
            return "A"
        if ch.isspace():
            return " "
        k = bisect.bisect_right(self._genuine_starts, cp) - 1
        if k >= 0 and cp <= self.genuine[k][1]:  # the ranges do not overlap
            return "G"
        cls = self.profile.char_class(ch)
        if cls is None:
            return "G"
        if cls in self.profile.letters:
            return "S"
        if cls not in self.GLUED_CLASSES:  # vertical forms, Mac extension: punctuation-like, left
            return "X"
        return "O" if self.profile.decode_char(ch) is not None else "U"

    # -- analysis ----------------------------------------------------------------------------
    def _run(self, raw: str, start: int, end: int, form: str | None) -> Run:
        chars = raw[start:end]
        word_start = start == 0 or raw[start - 1].isspace()
        key = (chars, form, word_start)
        facts = self._runs.get(key)
        if facts is None:
            if len(self._runs) >= RUN_CACHE:
                self._runs.clear()
            facts = self._runs[key] = self._judge(chars, form, word_start)
        return Run(start, end, *facts)

    def _judge(self, chars: str, form: str | None, word_start: bool) -> Judgement:
        """What a run of syllable CIDs reads as; it depends on nothing but these arguments,
        so it is cached (words recur)."""
        cats, scripts, strong = run_shape(chars)
        lone = len(chars) == 1 and self.profile.char_class(chars) in self.profile.common_letters
        # the observed text is one reading: it stands if it reads as well-formed Korean, and
        # otherwise another reading wins only by a clear margin
        if form is not None and self.unnorm.has_alternatives(chars, form) and not self.lm.chooses_readings:
            # without a model that knows the language's words, only a run with one reading (the
            # observed text, always one of them) is read
            if len(self.unnorm.readings(chars, form)) > 1:
                return Judgement("", True, float("-inf"), False, False, 0.0, False, False, False, needs_model=True)
            reading, observed, gain, other, need, well_formed = None, 0.0, 0.0, False, self.nfc_margin, False
        elif form is not None and self.unnorm.has_alternatives(chars, form):
            reading = self.unnorm.best(chars, form)
            observed = self.unnorm.logp(chars)
            gain = reading.logp - observed
            # an observed text that already reads as well-formed Korean stands unless another
            # reading is much likelier; one that does not gives way to a clearly better one,
            # and a better one that is not clearly so makes the run ambiguous
            other = reading.garbled != chars
            well_formed = other and self.unnorm.well_formed(chars, word_start)
            need = self.nfc_margin + (self.well_formed_margin if well_formed else 0.0)
        else:
            reading, observed, gain, other, need, well_formed = None, 0.0, 0.0, False, self.nfc_margin, False
        unnormalized = other and gain >= need
        margin = reading.logp - max(observed, reading.rival) if unnormalized else 0.0
        ambiguous = other and not well_formed and 0 < gain < need
        original = reading.garbled if unnormalized else chars
        decoded = original.translate(self.profile.decode_table)
        return Judgement(decoded, strong, self.lm.score(decoded), scripts <= self.rare_scripts,
                         unnormalized, margin, ambiguous, lone, len(chars) == 1 and cats[0].startswith("M"))

    def _patterns(self, form: str | None) -> tuple[re.Pattern, re.Pattern | None]:
        """Compiled scans for a form: runs of syllable CIDs (a symbol-looking CID between two
        of them included), and the starts of sequences normalization made of a syllable CID."""
        cached = self._scans.get(form)
        if cached:
            return cached
        syll = [chr(c) for c, cls in self.profile.cid_class.items()
                if cls in self.profile.letters and self.kind(chr(c)) == "S"]
        sandwich = [chr(c) for c, cls in self.profile.cid_class.items()
                    if cls in self.profile.letters and cls not in self.profile.common_letters
                    and self.kind(chr(c)) == "G"]
        s_cls, w_cls = _char_class(syll), _char_class(sandwich)
        run = re.compile(f"{s_cls}(?:{s_cls}|{w_cls}(?={s_cls}))*")
        starts = None
        if form is not None:
            keys = sorted((k for k, alts in self.unnorm.merges[form].items()
                           if any(self.kind(a) == "S" for a in alts) and any(self.kind(c) != "S" for c in k)),
                          key=len, reverse=True)
            if form in ("NFD", "NFKD"):  # a base whose mark reordering moved away: any base
                firsts = _char_class(sorted({k[0] for k in self.unnorm.merges[form]}))
                starts = re.compile(firsts)
            elif keys:
                starts = re.compile("|".join(map(re.escape, keys)))
        self._scans[form] = (run, starts)
        return run, starts

    def analyse(self, slide: Slide, form: str | None = None) -> SlideAnalysis:
        """The candidate runs of a slide; ``form`` is the normalization the deck went through
        while garbled (None: readings are not searched). When it decomposes, a sequence that
        normalization made of a syllable CID (Ӓ = А + U+0308 under NFD) belongs to the run.
        A character decks use as a symbol, between two syllable CIDs, is one too (꿿 = ❮):
        the model then decides, and an unconvincing run is quarantined as ambiguous."""
        raw, out = slide.raw, SlideAnalysis()
        run_re, starts = self._patterns(form)
        spans = [m.span() for m in run_re.finditer(raw)]
        if starts is not None and starts.search(raw):
            spans = self._merge_members(raw, spans, form)
        budget = self.search_budget
        for i, j in spans:
            if not slide.is_free(i, j):
                continue
            for a, b in self._pieces(raw, i, j):
                if form is not None and self.unnorm.has_alternatives(raw[a:b], form):
                    budget -= b - a
                    if budget < 0:
                        out.runs.append(Run(a, b, *TOO_COMPLEX))
                        continue
                out.runs.append(self._run(raw, a, b, form))
        return out

    def _pieces(self, raw: str, i: int, j: int) -> list[tuple[int, int]]:
        """A run cut into pieces of at most ``max_run`` characters (a cut never falls before a
        combining mark), each judged on its own: linear in the run, and repeated pieces of a
        flood are judged once."""
        out = []
        while j - i > self.max_run:
            cut = i + self.max_run
            while cut < j and unicodedata.combining(raw[cut]):
                cut += 1
            if cut >= j:
                break
            out.append((i, cut))
            i = cut
        out.append((i, j))
        return out

    def _merge_members(self, raw: str, spans: list[tuple[int, int]], form: str) -> list[tuple[int, int]]:
        """Widen the runs by the sequences normalization made of syllable CIDs. Linear in the
        slide: the marks after each character are looked at as a set of distinct marks, kept
        from right to left, and a stretch is marked once per run of marks (a flood of one
        combining mark costs no more than as many letters)."""
        n = len(raw)
        member = [False] * n
        for i, j in spans:
            member[i:j] = [True] * (j - i)
        merges = self.unnorm.merges[form]
        widest: dict[int, int] = {}  # end of a run of marks -> the first character widened to it
        after: set[str] = set()  # the distinct marks in raw[i + 1 : end of their run]
        j = n  # the end of the run of marks after i
        for i in range(n - 1, -1, -1):
            if i + 1 < n and unicodedata.combining(raw[i + 1]):
                after.add(raw[i + 1])
            else:
                after, j = set(), i + 1
            k, alts = self.unnorm.merge_at(raw, i, form)
            if not k and not member[i] and (  # a singleton glued to letters: NFC replaced one code point (に → ʹ)
                    (i > 0 and self.kind(raw[i - 1]) == "S") or (i + 1 < n and (member[i + 1] or self.kind(raw[i + 1]) == "S"))):
                k, alts = 1, merges.get(raw[i], ())
            if k and any(self.kind(a) == "S" for a in alts):
                member[i : i + k] = [True] * k
                continue
            # reordering may have moved the base's mark further into the following marks
            if after and any(any(self.kind(a) == "S" for a in merges.get(raw[i] + m, ())) for m in after):
                widest[j] = i
        for end, start in widest.items():
            member[start:end] = [True] * (end - start)
        out, i = [], 0
        while i < n:
            if member[i]:
                j = i
                while j < n and member[j]:
                    j += 1
                out.append((i, j))
                i = j
            else:
                i += 1
        return out

    # -- decisions ---------------------------------------------------------------------------
    def reads_as_korean(self, run: Run, garbled: bool) -> bool:
        if run.strong and run.score >= self.strong_min and (garbled or not run.lone_mark):
            return True
        # in a garbled slide, a rare syllable beats a rare-script character however rare it is,
        # and a lone letter of another script outside any genuine passage is a one-syllable word
        return garbled and (run.score >= self.weak_min or run.rare_script or run.lone_syllable)

    def margin(self, run: Run, garbled: bool) -> float:
        """How far an accepted run's reading leads its best rival, leaving the run as it is:
        its score (mean log P per syllable) minus what leaving it is worth where it stands.
        That is the level the reading had to reach: ``strong_min`` for a strong run, ``weak_min``
        in a garbled slide, and, for a run of a rare script or a lone syllable in one (read
        whatever it scores), the model's floor, the log P of a syllable it never saw. A reading
        below even that was admitted by the rule, not the model: its margin is 0. Never
        negative on an accepted run (``reads_as_korean``)."""
        levels = []
        if run.strong and (garbled or not run.lone_mark):
            levels.append(self.strong_min)
        if garbled:
            levels.append(self.weak_min)
            if run.rare_script or run.lone_syllable:
                levels.append(min(self.floor, run.score))
        return run.score - min(levels) if levels else float("-inf")

    def _decode_neighbours(self, slide: Slide, run: Run, tok_start: int, tok_end: int, stats,
                           margin: float | None = None) -> None:
        """Symbols glued to a decoded run are CIDs too (with the run's ``margin``)."""
        raw = slide.raw
        symbols = {r.start for r in slide.repairs if r.rule == "cid-symbol" and r.end == r.start + 1}
        for step in (-1, 1):
            j = run.start - 1 if step < 0 else run.end
            while tok_start <= j < tok_end and j in symbols:  # a symbol read already (a letter CID)
                j += step
            while tok_start <= j < tok_end and self.kind(raw[j]) in "OU" and slide.is_free(j, j + 1):
                ch = self.profile.decode_char(raw[j])
                if ch is None:
                    slide.quarantine_span(j, j + 1, "unmapped-cid")
                    stats["unmapped"] += 1
                else:
                    slide.repair(j, j + 1, ch, rule="cid-symbol", margin=margin)
                    stats["symbols"] += 1
                j += step

    def _symbol_letters(self, slide: Slide, runs: dict[Run, float], stats) -> None:
        """Symbol CIDs 101-127 show as lower-case letters (``t`` = “, ``u`` = ”). A short
        stretch of them glued to decoded runs is read as symbols where their Unicode
        categories put them: closing marks and other punctuation hang on the run to their
        left, opening marks on the run to their right; a closing mark needs its opening
        partner (the CID before it) earlier, an opening one its closing partner later, and
        other punctuation must end the word or touch the next run (``가h나`` = 가·나).
        Anything else (``x축``, ``k개``, ``n번``) stays a letter. ``runs``: the decoded runs
        and their margins, which the symbols they hang on take."""
        raw = slide.raw
        starts = {r.start: r for r in runs}
        ends = {r.end: r for r in runs}
        openers, closers, marks = [], [], []  # positions, in order
        for m in _SYMBOL_LETTERS.finditer(raw):
            a, b = m.span()
            symbols = [self.profile.decode_char(c) for c in m.group()]
            if None in symbols or not slide.is_free(a, b):
                continue
            cats = [unicodedata.category(c) for c in symbols]
            k = 0  # cats[:k] hang on the run to the left
            while a in ends and k < len(cats) and cats[k][0] == "P" and cats[k] not in _OPENING:
                k += 1
            j = len(cats)  # cats[j:] hang on the run to the right
            while b in starts and j > k and cats[j - 1] in _OPENING:
                j -= 1
            if k != j:
                continue
            word_goes_on = k < len(cats) or b in starts
            for i in range(a, a + k):
                if cats[i - a] in _CLOSING:
                    closers.append(i)
                elif word_goes_on or b == len(raw) or raw[b].isspace():
                    marks.append(i)
            openers += range(a + k, b)
        pending: dict[str, list[int]] = {}  # closing letter -> its openers not yet closed
        for i in sorted(openers + closers):
            if i in closers:
                if pending.get(raw[i]):
                    marks += [pending[raw[i]].pop(), i]
            else:
                closer = self._closing_letter(raw[i])
                if closer:
                    pending.setdefault(closer, []).append(i)
        for i in sorted(marks):
            run = ends.get(i) or starts.get(i + 1) or next(iter(runs))
            slide.repair(i, i + 1, self.profile.decode_char(raw[i]), rule="cid-symbol", margin=runs[run])
            stats["symbols"] += 1
        return bool(marks)

    def _closing_letter(self, opener: str) -> str | None:
        """The letter its closing partner's CID shows as: the character named RIGHT where the
        opener is named LEFT (‘ ’, 「 」), else the CID after it (the KS X 1001 order), if
        that is a closing mark."""
        ch = self.profile.decode_char(opener) or ""
        name = unicodedata.name(ch, "")
        try:
            closing = unicodedata.lookup(name.replace("LEFT", "RIGHT")) if "LEFT" in name else None
        except KeyError:
            closing = None
        letter = self.profile.encode_char(closing) if closing else None
        if letter is None or not "\x60" <= letter <= "\x7f":
            letter = chr(ord(opener) + 1)
        partner = self.profile.decode_char(letter)
        return letter if partner and unicodedata.category(partner) in _CLOSING else None

    def _genuine_passages(self, raw: str, tokens: list[tuple[int, int]], runs: list[Run], token_of: dict[int, int]):
        """Indices of tokens that belong to a genuine passage in another script.

        A passage is a chain of consecutive non-ASCII tokens (ASCII tokens between them are
        skipped) whose letters are all of one script and hold no strong run. It is genuine
        when one of its tokens is clearly a genuine word: a letter of the script that is not
        a syllable CID (``мир``), or runs of two or more characters none of which reads as Korean.
        """
        by_token: dict[int, list[Run]] = {}
        for r in runs:
            by_token.setdefault(token_of[r.start], []).append(r)
        genuine: set[int] = set()
        chain: list[int] = []
        chain_script, chain_clear = None, False

        def close():
            if chain and chain_clear:
                genuine.update(chain)

        for k, (ts, te) in enumerate(tokens):
            letters = [c for c in raw[ts:te] if c.isalpha() and c >= "\x80"]
            if not letters:
                continue  # ASCII tokens do not break a chain
            scripts = {script(c) for c in letters}
            token_runs = by_token.get(k, [])
            one = scripts.pop() if len(scripts) == 1 and not any(r.strong for r in token_runs) else None
            if one is None or one != chain_script:
                close()
                chain, chain_script, chain_clear = [], one, False
            if one is None:
                continue
            chain.append(k)
            chain_clear = chain_clear or any(self.kind(c) != "S" for c in letters) or all(
                r.score < self.weak_min and not r.rare_script and not r.lone_syllable for r in token_runs)
        close()
        return genuine

    def _letters(self, text: str) -> Counter:
        """Letters that are not syllable CIDs, per script."""
        return Counter(script(c) for c in text if c.isalpha() and self.kind(c) != "S")

    def _fragment_of_word(self, raw: str, run: Run, word: Counter) -> bool:
        """``пр`` in ``привет``: its word holds more letters of its script that are not syllable
        CIDs. ``word`` counts those of the whole word (once per word, not once per run)."""
        own = script(raw[run.start])
        return word[own] > self._letters(raw[run.start:run.end])[own]

    def repair_slide(self, slide: Slide, analysis: SlideAnalysis, garbled: bool, stats) -> None:
        raw = slide.raw
        tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(raw)]
        starts = [ts for ts, _ in tokens]
        token_of = {run.start: bisect.bisect_right(starts, run.start) - 1 for run in analysis.runs}
        genuine = None  # worked out when a weak run needs it
        letters: dict[int, Counter] = {}

        def word_letters(t: int) -> Counter:
            if t not in letters:
                letters[t] = self._letters(raw[tokens[t][0]:tokens[t][1]])
            return letters[t]

        decoded_runs: dict[Run, float] = {}  # run -> its margin
        for run in analysis.runs:
            if not slide.is_free(run.start, run.end):
                continue
            if run.too_complex:
                slide.quarantine_span(run.start, run.end, "too-complex")
                stats["runs_too_complex"] += 1
                continue
            if run.needs_model:
                slide.quarantine_span(run.start, run.end, NEEDS_MODEL)
                stats["runs_needing_a_model"] += 1
                continue
            t = token_of[run.start]
            if not run.strong and genuine is None:
                genuine = self._genuine_passages(raw, tokens, analysis.runs, token_of)
            if not run.strong and (t in genuine or self._fragment_of_word(raw, run, word_letters(t))):
                stats["runs_left"] += 1
            elif self.reads_as_korean(run, garbled):
                if not run.decoded:
                    continue
                if run.ambiguous:  # two readings, neither clearly better: do not guess
                    slide.quarantine_span(run.start, run.end, "ambiguous")
                    stats["runs_ambiguous"] += 1
                    continue
                if run.unnormalized:
                    slide.repair(run.start, run.end, run.decoded, rule="cid-unnormalized", margin=run.nfc_margin)
                else:
                    slide.repair(run.start, run.end, run.decoded, rule=self.profile.letters_rule,
                                 margin=self.margin(run, garbled))
                stats["runs_decoded"] += 1
                decoded_runs[run] = self.margin(run, garbled)
            elif run.strong and garbled:
                sandwich = any(self.kind(c) == "G" for c in raw[run.start : run.end])
                slide.quarantine_span(run.start, run.end, "ambiguous" if sandwich else "implausible-cid")
                stats["runs_quarantined"] += 1
            else:
                stats["runs_left"] += 1
        for run, margin in decoded_runs.items():
            self._decode_neighbours(slide, run, *tokens[token_of[run.start]], stats, margin)
        if decoded_runs:
            if self._symbol_letters(slide, decoded_runs, stats):  # symbols beyond them: ”！ is p + Ć in GB1
                for run, margin in decoded_runs.items():
                    self._decode_neighbours(slide, run, *tokens[token_of[run.start]], stats, margin)
        if garbled:
            # C1 control characters are never text: in a garbled slide they are symbol CIDs (± is CID 130).
            # "Â" before one is the same control as UTF-8 read as latin-1 (C2 82 = U+0082): the pair is the
            # CID. Another UTF-8 lead shown as latin-1 before one ("Ã" + 9B = Û) makes a letter: ftfy's.
            for m in _C1.finditer(raw):
                ch = self.profile.decode_char(m.group())
                before = raw[m.start() - 1] if m.start() else ""
                if "\u00c3" <= before <= "\u00df":
                    continue
                start = m.start() - 1 if before == "\u00c2" else m.start()
                if ch is not None and slide.is_free(start, m.end()):
                    slide.repair(start, m.end(), ch, rule="cid-symbol")
                    stats["symbols"] += 1
            # CIDs below 32 are Latin the Korean font set (space, digits, punctuation)
            for m in list(slide.free_matches(_LOW_CID)):
                for k in range(m.start(), m.end()):
                    slide.repair(k, k + 1, chr(ord(slide.raw[k]) + SHIFT), rule="cid-shifted-ascii")
                stats["shifted_ascii"] += 1
            # list bullets at the start of a word: "↟" is CID 8607, "•"
            for ts, _te in tokens:
                if self.kind(raw[ts]) in "XO" and self.profile.decode_char(raw[ts]) in self.bullets:
                    if slide.is_free(ts, ts + 1):
                        slide.repair(ts, ts + 1, self.profile.decode_char(raw[ts]), rule="cid-bullet")
                        stats["bullets"] += 1

    def run(self, deck: Deck, stats: Stats) -> None:
        """The deck decides: which normalization it went through, whether it is garbled."""
        slides = deck.suspects()
        form = normalization_form(s.raw for s in slides) if self.undo_normalization and slides else None
        stats.stat(f"normalized_{form or 'none'}", 1, unit="flag")
        analyses = [self.analyse(s, form) for s in slides]
        anchors = sum(len(a.anchors) for a in analyses)
        runs = sum(len(a.runs) for a in analyses)
        deck_garbled = anchors >= self.min_anchors and anchors >= self.min_fraction * runs
        stats.stat("deck_garbled", int(deck_garbled), unit="flag")
        garbled_slides = []
        for slide, analysis in zip(slides, analyses):
            garbled = deck_garbled or any(self.reads_as_korean(r, False) for r in analysis.anchors)
            if analysis.runs or garbled:
                self.repair_slide(slide, analysis, garbled, stats)
            if garbled:
                garbled_slides.append(slide)
        if deck_garbled:  # slides of plain ASCII may be Latin set in the Korean font
            suspect = {id(s) for s in slides}
            garbled_slides += [s for s in deck.slides if id(s) not in suspect and s.raw]
        self.read_latin(garbled_slides, stats)

    # -- Latin in the Korean font --------------------------------------------------------------
    @property
    def ligatures(self) -> tuple[tuple[str, str], ...]:
        """Symbol CIDs that show as lower-case ASCII and stand for a ligature of Latin letters
        (Adobe-Japan1: ``p`` = ﬁ, ``q`` = ﬂ; Adobe-Korea1 has none): inside a piece of shifted
        Latin they are its letters."""
        cached = self.__dict__.get("_ligatures")
        if cached is None:
            pairs = []
            for cp in range(0x60, 0x7F):
                d = self.profile.decode_char(chr(cp)) or ""
                letters = unicodedata.normalize("NFKC", d)
                if len(letters) > 1 and letters.isascii() and letters.isalpha():
                    pairs.append((chr(cp), letters))
            cached = self.__dict__["_ligatures"] = tuple(pairs)
        return cached

    def _ligatures_only(self, piece: str) -> bool:
        """Whether every lower-case character of a piece is a ligature CID (and some are)."""
        lower = _UNSHIFTABLE.findall(piece)
        table = dict(self.ligatures)
        return bool(lower) and all(c in table for c in lower) and _SHIFTED.fullmatch(
            "".join(c for c in piece if c not in table) or "A") is not None
    def latin_pieces(self, slide: Slide) -> list[tuple[int, int, str, float | None]]:
        """The ASCII pieces of a garbled slide: (start, end, context, shift gain), context
        ``glued`` (touching a decoded run) or ``alone``, gain None where the piece holds a
        lower-case letter and so cannot be shifted Latin (it is evidence all the same)."""
        edges = {k for r in slide.repairs if r.rule.startswith("cid-") for k in (r.start, r.end)}
        out = []
        for m in _LATIN_PIECE.finditer(slide.raw):
            start, end = m.span()
            if not slide.is_free(start, end):
                continue
            context = "glued" if start in edges or end in edges else "alone"
            piece = m.group()
            shiftable = _SHIFTED.fullmatch(piece) or self._ligatures_only(piece)
            if shiftable:
                out.append((start, end, context, shift_gain(self.latin, piece, self.ligatures)))
            elif _UNSHIFTABLE.search(piece):
                out.append((start, end, context, None))
        return out

    def read_latin(self, slides: list[Slide], stats) -> None:
        """Decode the pieces the Latin model and the priors together call shifted: a piece is
        shifted when its gain plus the log prior odds of its slide and context reaches
        ``min_odds``. The deck's prior per context comes first (EM over all its pieces), then
        each slide's, the deck's moved by the slide's other pieces; a string is never
        evidence for itself, so every occurrence of a string in a context of a slide is read
        the same way."""
        per_slide = [(slide, self.latin_pieces(slide)) for slide in slides]
        font = self.font
        evidence: dict[str, list[tuple[str, float | None]]] = {"glued": [], "alone": []}
        for slide, pieces in per_slide:
            for start, end, context, gain in pieces:
                evidence[context].append((slide.raw[start:end], gain))
        priors = {c: FontPrior(e, font["prior_a"], font["prior_b"], font["iterations"]) for c, e in evidence.items()}
        for slide, pieces in per_slide:
            here = {c: SlidePrior([(slide.raw[s:e], g) for s, e, cc, g in pieces if cc == c], prior,
                                  font["slide_strength"]) for c, prior in priors.items()}
            for start, end, context, gain in pieces:
                if gain is None:
                    continue
                string = slide.raw[start:end]
                # the margin: the log-odds of shifted over as it is (likelihood and prior)
                margin = gain + here[context].odds(string)
                if margin >= font["min_odds"]:
                    slide.repair(start, end, unshift(string, self.ligatures), rule="cid-shifted-ascii", margin=margin)
                    stats["shifted_ascii"] += 1


def _char_class(chars) -> str:
    """A regex character class for these characters, as ranges."""
    cps = sorted({ord(c) for c in chars})
    if not cps:
        return "(?!)"
    parts, lo = [], cps[0]
    prev = lo
    for cp in cps[1:] + [None]:
        if cp is not None and cp == prev + 1:
            prev = cp
            continue
        parts.append(re.escape(chr(lo)) if lo == prev else f"{re.escape(chr(lo))}-{re.escape(chr(prev))}")
        if cp is not None:
            lo = prev = cp
    return "[" + "".join(parts) + "]"


@lru_cache(maxsize=8)
def _shared_cid_repair(profile: str, undo_normalization: bool, params: tuple = ()) -> CidRepair:
    return CidRepair(profile, undo_normalization, dict(params))


class CidTokens(PatternStep):
    """Pipeline step: decode pdfminer's ``(cid:N)`` tokens through the same profile.

    >>> from pipeline.deck import Slide, Deck
    >>> d = CidTokens()(Deck("d", [Slide("d", 1, "(cid:1086)(cid:1087) ok")]))
    >>> d.slides[0].text()
    '가각 ok'
    """

    name = "cid-token"
    pattern = _CID_TOKEN

    def __init__(self, profile: str = DEFAULT_PROFILE):
        """``profile="auto"``: the collection is decided per deck from the tokens' CIDs, as
        for CIDs shown as code points (``pipeline/repair/collection.py``)."""
        self.auto = profile == "auto"
        self.profile = None if self.auto else load_profile(profile)

    def run(self, deck: Deck, stats: Stats) -> None:
        slides = [s for s in deck.suspects() if "(cid:" in s.raw]
        if not slides:
            return
        # CID -> character, and the reason a CID it lacks is quarantined with
        table, missing = (self.profile.to_char, "unmapped-cid") if self.profile else ({}, "")
        if self.auto:
            from pipeline.repair.collection import agreed_cids, detect_collection

            # the tokens decide, as the code points other extractors give; a token is a CID
            # beyond doubt, so every run of them must be explained. With no collection, only
            # the CIDs every collection reads alike are read.
            cids = ["".join(chr(int(n)) for n in _CID_TOKEN.findall(s.raw) if 0 < int(n) < 0x110000) for s in slides]
            name = detect_collection(cids, all_strong=True).profile
            table, missing = (load_profile(name).to_char, "unmapped-cid") if name else (agreed_cids(), "unknown-collection")
        for slide in slides:
            for m in list(slide.free_matches(self.pattern)):
                ch = table.get(int(m.group(1)))
                if ch is None:
                    slide.quarantine_span(m.start(), m.end(), missing)
                    stats[missing] += 1
                else:
                    slide.repair(m.start(), m.end(), ch, rule="cid-token")
                    stats["decoded"] += 1


def fix_and_explain(text: str) -> tuple[str, list[tuple[str, str, str]]]:
    """Run the CID stages on one string; return the text and (rule, before, after) per change."""
    slide = Slide(deck="-", number=1, raw=text)
    deck = CidRepair.shared()(CidTokens()(Deck("-", [slide])))
    s = deck.slides[0]
    return s.text(), [(r.rule, r.before, r.after) for r in sorted(s.repairs, key=lambda r: r.start)]
