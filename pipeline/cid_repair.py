"""Recover Korean text that was extracted with glyph CIDs as code points.

A garbled run is decoded only when it reads as Korean, so genuine Cyrillic,
Hebrew, Bengali... text stays as it is::

    >>> fix_and_explain("Junseong Kim (ӣળࢿ) привет")
    ('Junseong Kim (김준성) привет', [('cid-hangul', 'ӣળࢿ', '김준성')])

How a run is judged (thresholds in ``rules/cid_detection.json``):

* candidate characters are those whose CID is a Hangul syllable; characters in
  ``genuine_common`` (quotes, bullets, arrows, emoji-like symbols, kana...) never are;
* a run is *strong* if it mixes scripts, holds unassigned code points or starts
  with a combining mark: no genuine text looks like that;
* a strong run is decoded if its syllables score at least ``strong_min`` under the
  Korean model; a weak (single-script) run needs ``weak_min`` and a slide that is
  already known to be garbled;
* symbols glued to a decoded run are decoded too (``ú`` → ``↖``); a glued
  character whose CID has no Unicode character is quarantined (``unmapped-cid``);
* Latin set in the Korean font (shifted ASCII, ``$PNQPTF`` = ``Compose``) is decoded
  when glued to recovered Hangul or, in a garbled slide, when it reads as English.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .cid_profile import DEFAULT_PROFILE, CidProfile, load_profile
from .deck import Deck, Slide
from .lm import EnglishModel, KoreanLM, load_english, load_korean_lm
from .rule_files import load_json

_TOKEN = re.compile(r"\S+")
_CID_TOKEN = re.compile(r"\(cid:(\d{1,6})\)")
_SHIFTED = re.compile(r"[\x21-\x5f]+")
_SHIFTED_WORD = re.compile(r"[A-Z]?[a-z]+")


@dataclass
class Run:
    start: int
    end: int
    decoded: str
    strong: bool
    score: float


@dataclass
class SlideAnalysis:
    runs: list[Run] = field(default_factory=list)

    @property
    def anchors(self) -> list[Run]:
        return [r for r in self.runs if r.strong and r.decoded]


class CidRepair:
    """Pipeline step: decode CID-garbled runs of every slide of a deck."""

    name = "cid"

    def __init__(self, profile: str = DEFAULT_PROFILE):
        self.profile: CidProfile = load_profile(profile)
        self.lm: KoreanLM = load_korean_lm()
        self.en: EnglishModel = load_english()
        cfg = load_json("cid_detection.json")
        self.genuine = [(int(a, 16), int(b, 16)) for a, b in cfg["genuine_common"]["ranges"]]
        self.strong_min = cfg["korean_score"]["strong_min"]
        self.weak_min = cfg["korean_score"]["weak_min"]
        self.min_anchors = cfg["garbled_mode"]["min_anchors"]
        self.min_fraction = cfg["garbled_mode"]["min_fraction"]
        self.shift = cfg["shifted_ascii"]
        self._kinds: dict[str, str] = {}

    # -- character kinds ---------------------------------------------------------------------
    def kind(self, ch: str) -> str:
        """'A' ASCII, ' ' space, 'G' leave alone, 'S' syllable CID, 'O' other CID, 'U' CID with no character."""
        k = self._kinds.get(ch)
        if k is None:
            k = self._kinds[ch] = self._kind(ch)
        return k

    def _kind(self, ch: str) -> str:
        cp = ord(ch)
        if cp < 0x80:
            return "A"
        if ch.isspace():
            return " "
        if any(lo <= cp <= hi for lo, hi in self.genuine):
            return "G"
        cls = self.profile.char_class(ch)
        if cls is None:
            return "G"
        if cls in ("hangul", "hangul-rare"):
            return "S"
        return "O" if self.profile.decode_char(ch) is not None else "U"

    # -- analysis ----------------------------------------------------------------------------
    def _run(self, raw: str, start: int, end: int) -> Run:
        chars = raw[start:end]
        decoded = "".join(self.profile.decode_char(c) or "" for c in chars)
        cats = [unicodedata.category(c) for c in chars]
        scripts = {unicodedata.name(c, "?").split(" ", 1)[0] for c in chars}
        strong = "Cn" in cats or len(scripts) > 1 or cats[0].startswith("M")
        return Run(start, end, decoded, strong, self.lm.score(decoded))

    def analyse(self, slide: Slide) -> SlideAnalysis:
        raw, out = slide.raw, SlideAnalysis()
        i, n = 0, len(raw)
        while i < n:
            if self.kind(raw[i]) != "S":
                i += 1
                continue
            j = i
            while j < n and self.kind(raw[j]) == "S":
                j += 1
            if slide.is_free(i, j):
                out.runs.append(self._run(raw, i, j))
            i = j
        return out

    # -- decisions ---------------------------------------------------------------------------
    def reads_as_korean(self, run: Run, garbled: bool) -> bool:
        if run.strong and run.score >= self.strong_min:
            return True
        return garbled and run.score >= self.weak_min

    def _shifted(self, piece: str, glued: bool) -> str | None:
        """The shifted-ASCII reading of ``piece`` if it is clearly the better one."""
        decoded = "".join(chr(ord(c) + 31) for c in piece)
        if not _SHIFTED_WORD.fullmatch(decoded):
            return None
        word, literal = decoded.lower(), piece.lower()
        if len(word) >= self.shift["min_word_letters"] and word in self.en.words and literal not in self.en.words:
            return decoded
        need = self.shift["min_letters_glued"] if glued else self.shift["min_letters_alone"]
        gain = self.en.score(word) - self.en.score(literal if literal.isalpha() else "")
        if len(word) >= need and gain >= self.shift["min_gain"]:
            return decoded
        return None

    def _repair_shifted(self, slide: Slide, start: int, end: int, glued: bool, stats) -> None:
        if start >= end or not slide.is_free(start, end):
            return
        after = self._shifted(slide.raw[start:end], glued)
        if after is not None:
            slide.repair(start, end, after, rule="cid-shifted-ascii")
            stats["shifted_ascii"] += 1

    def _decode_neighbours(self, slide: Slide, run: Run, tok_start: int, tok_end: int, stats) -> None:
        """Symbols glued to a decoded run are CIDs too; so is shifted ASCII that reads as English."""
        raw = slide.raw
        for step in (-1, 1):
            j = run.start - 1 if step < 0 else run.end
            while tok_start <= j < tok_end and self.kind(raw[j]) in "OU" and slide.is_free(j, j + 1):
                ch = self.profile.decode_char(raw[j])
                if ch is None:
                    slide.quarantine_span(j, j + 1, "unmapped-cid")
                    stats["unmapped"] += 1
                else:
                    slide.repair(j, j + 1, ch, rule="cid-symbol")
                    stats["symbols"] += 1
                j += step
            k = j
            while tok_start <= k < tok_end and _SHIFTED.fullmatch(raw[k]):
                k += step
            lo, hi = (k + 1, j + 1) if step < 0 else (j, k)
            self._repair_shifted(slide, lo, hi, True, stats)

    @staticmethod
    def _fragment_of_word(raw: str, run: Run, tok_start: int, tok_end: int) -> bool:
        """A weak run whose token holds more letters of its script is part of a genuine word
        (``пр`` in ``привет``: ``и``, ``в``, ``е`` are Cyrillic letters that are not syllable CIDs)."""
        script = unicodedata.name(raw[run.start], "?").split(" ", 1)[0]
        for k in (*range(tok_start, run.start), *range(run.end, tok_end)):
            ch = raw[k]
            if ch.isalpha() and unicodedata.name(ch, "?").split(" ", 1)[0] == script:
                return True
        return False

    def repair_slide(self, slide: Slide, analysis: SlideAnalysis, garbled: bool, stats) -> None:
        raw = slide.raw
        tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(raw)]
        token_of = {}
        for ts, te in tokens:
            for run in analysis.runs:
                if ts <= run.start < te:
                    token_of[run.start] = (ts, te)
        decoded_runs = []
        for run in analysis.runs:
            if not slide.is_free(run.start, run.end):
                continue
            if not run.strong and self._fragment_of_word(raw, run, *token_of[run.start]):
                stats["runs_left"] += 1
            elif self.reads_as_korean(run, garbled):
                if not run.decoded:
                    continue
                slide.repair(run.start, run.end, run.decoded, rule="cid-hangul", margin=run.score - self.weak_min)
                stats["runs_decoded"] += 1
                decoded_runs.append(run)
            elif run.strong and garbled:
                slide.quarantine_span(run.start, run.end, "implausible-cid")
                stats["runs_quarantined"] += 1
            else:
                stats["runs_left"] += 1
        for run in decoded_runs:
            self._decode_neighbours(slide, run, *token_of[run.start], stats)
        if garbled:  # whole tokens of shifted Latin, e.g. "TVOHCJO" for "sungbin"
            for ts, te in tokens:
                if _SHIFTED.fullmatch(raw, ts, te):
                    self._repair_shifted(slide, ts, te, False, stats)

    def __call__(self, deck: Deck) -> Deck:
        stats = deck.stat(self.name)
        analyses = [self.analyse(s) for s in deck.slides]
        anchors = sum(len(a.anchors) for a in analyses)
        runs = sum(len(a.runs) for a in analyses)
        deck_garbled = anchors >= self.min_anchors and anchors >= self.min_fraction * runs
        stats["deck_garbled"] = int(deck_garbled)
        for slide, analysis in zip(deck.slides, analyses):
            garbled = deck_garbled or any(self.reads_as_korean(r, False) for r in analysis.anchors)
            self.repair_slide(slide, analysis, garbled, stats)
        return deck


class CidTokens:
    """Pipeline step: decode pdfminer's ``(cid:N)`` tokens through the same profile.

    >>> from pipeline.deck import Slide, Deck
    >>> d = CidTokens()(Deck("d", [Slide("d", 1, "(cid:1086)(cid:1087) ok")]))
    >>> d.slides[0].text()
    '가각 ok'
    """

    name = "cid-token"

    def __init__(self, profile: str = DEFAULT_PROFILE):
        self.profile = load_profile(profile)

    def __call__(self, deck: Deck) -> Deck:
        stats = deck.stat(self.name)
        for slide in deck.slides:
            for m in _CID_TOKEN.finditer(slide.raw):
                if not slide.is_free(m.start(), m.end()):
                    continue
                ch = self.profile.to_char.get(int(m.group(1)))
                if ch is None:
                    slide.quarantine_span(m.start(), m.end(), "unmapped-cid")
                    stats["unmapped"] += 1
                else:
                    slide.repair(m.start(), m.end(), ch, rule="cid-token")
                    stats["decoded"] += 1
        return deck


def fix_and_explain(text: str) -> tuple[str, list[tuple[str, str, str]]]:
    """Run the CID stages on one string; return the text and (rule, before, after) per change."""
    slide = Slide(deck="-", number=1, raw=text)
    deck = CidRepair()(CidTokens()(Deck("-", [slide])))
    s = deck.slides[0]
    return s.text(), [(r.rule, r.before, r.after) for r in sorted(s.repairs, key=lambda r: r.start)]
