"""Classic Korean mojibake: legacy-encoded bytes shown through the wrong single-byte code page.

ftfy fixes UTF-8 read as cp1252 but declines the Korean legacy cases. This stage finds
them span by span and decodes them back, choosing among readings by round trip and the
Korean model::

    >>> fix_and_explain("인사: ¾È³çÇÏ¼¼¿ä, Ό³Έν")
    ('인사: 안녕하세요, 설명', [('cp949>cp1252', '¾È³çÇÏ¼¼¿ä', '안녕하세요'), ('cp949>cp1253', 'Ό³Έν', '설명')])

A reading is a chain of one to three steps, each "these characters are bytes of
``encoding`` shown as ``view``" (``cp949>latin-1``: EUC-KR/CP949 bytes shown as latin-1).
Views are the ISO-8859 and Windows single-byte code pages that Korean text gets pushed
through, each also in a *sloppy* form where bytes the page leaves undefined show as
their cp1252/latin-1 characters (some crawlers do that), and UTF-8 whose undefined
bytes were dropped is mended by trying the bytes the view could not show.

The rule name of a repair is the chain, outermost first: ``utf-8>cp1252|cp949>latin-1``
is EUC-KR shown as latin-1, then that text's UTF-8 shown as cp1252.
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Mapping, NamedTuple

from pipeline.deck import Deck, Slide
from pipeline.models import codepages
from pipeline.models.hangul import HANGUL as _HANGUL
from pipeline.models.hangul import SYLLABLES, UTF8_LEADS
from pipeline.models.korean_lm import END, START, KoreanLM, load_korean_lm
from pipeline.repair.utf8 import sequence_length
from pipeline.step import Stats, Step, load_params

# single-byte pages a text may have been shown through (bytes -> characters): every single-byte
# page of the code-page table (rules/codepages.json), the commonest first (ties go to the first:
# cp1252 before latin-1, which show bytes A0-FF alike; WHATWG reads a latin-1 label as windows-1252)
_FIRST_VIEWS = ("cp1252", "latin-1", "cp1250", "cp1253", "cp1254", "cp1257", "iso-8859-2", "iso-8859-7",
                "iso-8859-15", "cp874", "mac-roman")
VIEWS = tuple(dict.fromkeys(_FIRST_VIEWS + tuple(p.name for p in codepages.pages("single"))))
# double-byte pages Korean bytes are misread through (EUC-KR shown as GBK reads as Chinese)
DOUBLE_BYTE = ("gbk", "big5", "shift_jis")
# what the bytes really were
ENCODINGS = ("cp949", "utf-8")
# where a span already reads as text: CJK ideographs and kana (genuine Chinese, Japanese)
_CJK_TEXT = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")

LOST = "\ufffd"  # a reading whose bytes cannot be put back
_CJK_LETTER = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_HANGUL_SYLLABLES = 11172
_IDEOGRAPHS = 20992  # the CJK Unified Ideographs block: what a random draw of hanzi/kanji comes from


def over_itself(span: str, text: str, lm: KoreanLM) -> float:
    """How much better a Korean reading explains a span of kana or ideographs than the span
    explains itself as Japanese or Chinese: the mean log-likelihood ratio per letter of each
    against a random draw of its script (the Korean model for the reading, the best of the
    Japanese and Chinese models for the span). Korean shown through GBK reads as random hanzi
    (``救崇窍技夸``, 0.7 nats a letter) and its reading as common Korean (안녕하세요, 5.5); clean
    ``第15期`` reads as common Chinese (5.1) and as Korean only as rare syllables (꼼15늑, 0.5)::

        >>> from pipeline.models.korean_lm import load_korean_lm
        >>> over_itself("第15期", "꼼15늑", load_korean_lm()) < 0 < over_itself("救崇窍技夸", "안녕하세요", load_korean_lm())
        True

    Infinite where the span holds no kana or ideograph (nothing to explain itself as)."""
    if not _CJK_LETTER.search(span):
        return float("inf")
    from pipeline.models.language import load_language_model

    own = max(load_language_model(x).score(span) for x in ("ja", "zh-Hans", "zh-Hant"))
    return lm.score(text) + math.log(_HANGUL_SYLLABLES) - (own + math.log(_IDEOGRAPHS))


class Decode(NamedTuple):
    """One wrong decode undone: the text's characters are the ``page``'s view of bytes that
    were really ``encoding`` (``utf-8-dropped``: UTF-8 that lost the bytes the page could
    not show). A chain of them is a tuple, outermost first."""

    encoding: str
    page: str

    def __str__(self) -> str:
        return f"{self.encoding}>{self.page}"


Chain = tuple  # of Decode, outermost first


def rule_of(chain: Chain) -> str:
    """The repair's rule name: ``utf-8>cp1252|cp949>latin-1``."""
    return "|".join(map(str, chain))


def plan_of(chain: Chain, before: str, after: str) -> list[list[str]] | None:
    """What undoes the chain on ``before``, as ftfy states its plans (``ftfy.apply_plan`` runs
    it and gives ``after``): per step, encode with a codec Python or ftfy knows that gives the
    page's bytes, decode with the encoding, outermost first. A sloppy page is ftfy's
    ``sloppy-`` codec; latin-1 and cp1252 mixed is ftfy's ``fix_c1_controls`` then its sloppy
    cp1252. None when no such plan replays (bytes put back that the page dropped, a page no
    codec has)::

        >>> plan_of((Decode("utf-8", "cp1252"), Decode("cp949", "latin-1")), "ì•ˆ", "안")
        >>> plan_of((Decode("utf-8", "cp1252~"),), "ì\\x9d´", "이")   # 9D: cp1252 has none
        [['encode', 'sloppy-windows-1252'], ['decode', 'utf-8']]
        >>> plan_of((Decode("cp949", "latin-1"),), "¾È", "안")
        [['encode', 'latin-1'], ['decode', 'cp949']]
    """
    import ftfy

    views = _views_by_name()
    plan: list[list[str]] = []
    text = before
    for d in chain:
        v = views.get(d.page)
        data = v.encode(text) if v is not None and d.encoding in ENCODINGS else None
        if data is None:
            return None
        for steps in _codec_steps(d.page):
            try:
                if ftfy.apply_plan(text, steps) == data:
                    break
            except (LookupError, UnicodeError, ValueError):
                continue
        else:
            return None
        try:
            text = data.decode(d.encoding)
        except UnicodeDecodeError:
            return None
        plan += [list(step) for step in steps] + [["decode", d.encoding]]
    return plan if text == after and ftfy.apply_plan(before, plan) == after else None


@lru_cache(maxsize=1)
def _views_by_name() -> dict[str, "View"]:
    return {v.name: v for v in _views()}


@lru_cache(maxsize=None)
def _codec_steps(page: str) -> tuple[tuple[tuple[str, str], ...], ...]:
    """Plan steps that may give a page's bytes, strict codecs first: ``cp1253~`` is
    ``cp1253`` or ftfy's ``sloppy-windows-1253``; a union, either page's."""
    import ftfy.bad_codecs  # noqa: F401 (registers the sloppy codecs)
    from ftfy.bad_codecs.sloppy import INCOMPLETE_ENCODINGS

    names = ["latin-1"] if page == "latin-1-c1" else page.rstrip("~").split("+")
    out: list[tuple[tuple[str, str], ...]] = [(("encode", n),) for n in names]
    for n in names:
        sloppy = f"windows-{n[2:]}" if re.fullmatch(r"cp125\d", n) else n
        if sloppy in INCOMPLETE_ENCODINGS:
            out.append((("encode", f"sloppy-{sloppy}"),))
    if {"latin-1", "cp1252"} & set(names):  # C1 controls beside cp1252's characters
        out.append((("apply", "fix_c1_controls"), ("encode", "sloppy-windows-1252")))
    return tuple(out)


# non-ASCII (Hangul syllables aside: no reading of mojibake keeps them), with ASCII glued inside
_SPAN = re.compile(rf"[^\x00-\x7f{SYLLABLES}]+(?:[\x21-\x7e]+[^\x00-\x7f{SYLLABLES}]+)*")
_KANA_JAMO = re.compile(r"[\u3040-\u30ff\u3131-\u318e]")  # kana and compatibility jamo
_WORD = re.compile(f"[{SYLLABLES}]{{2,}}")  # a Korean word of two syllables or more
# 캇rs캇: no Korean word looks so; an acronym inside one does (오토ML을, GPU로)
_LATIN_INSIDE = re.compile(rf"[{SYLLABLES}](?![A-Z]{{2,}}[{SYLLABLES}])[A-Za-z]+[{SYLLABLES}]")


@dataclass(frozen=True)
class View:
    """A code page as a character -> bytes table: single-byte (sloppy or strict) or double-byte."""

    name: str
    table: dict[str, bytes]
    undefined: tuple[int, ...]  # bytes the strict page cannot show

    def encode(self, text: str) -> bytes | None:
        try:
            return b"".join([self.table[c] for c in text])
        except KeyError:
            return None


@lru_cache(maxsize=None)
def view(name: str, sloppy: bool) -> View:
    table: dict[str, bytes] = {}
    undefined = []
    for b in range(256):
        try:
            table[bytes([b]).decode(name)] = bytes([b])
        except UnicodeDecodeError:
            undefined.append(b)
    if sloppy:  # undefined bytes shown as their cp1252 character or their latin-1 one
        for b in undefined:
            table.setdefault(chr(b), bytes([b]))
            try:
                table.setdefault(bytes([b]).decode("cp1252"), bytes([b]))
            except UnicodeDecodeError:
                pass
    return View(f"{name}{'~' if sloppy else ''}", table, tuple(undefined))


@lru_cache(maxsize=None)
def union_view(first: str, second: str) -> View:
    """Characters shown by ``first`` or, where it has none for them, by ``second``: text
    shown through ISO-8859-7 and later pushed through cp1253 mixes both."""
    a, b = view(first, True), view(second, True)
    table = dict(b.table)
    table.update(a.table)
    return View(f"{first}+{second}", table, tuple(sorted(set(a.undefined) & set(b.undefined))))


UNIONS = (("iso-8859-7", "cp1253"), ("latin-1", "cp1252"))


@lru_cache(maxsize=1)
def latin1_without_c1() -> View:
    """latin-1 after a cleaner stripped its C1 control characters (bytes 0x80-0x9F)."""
    table = {chr(b): bytes([b]) for b in range(256) if not 0x80 <= b <= 0x9F}
    return View("latin-1-c1", table, tuple(range(0x80, 0xA0)))


# what Korean bytes read through a double-byte page come out as: ideographs, kana, CJK
# punctuation and full- and half-width forms (its Cyrillic and Greek are genuine text's)
_EAST_ASIAN = re.compile(r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")


@lru_cache(maxsize=None)
def double_byte_view(name: str) -> View:
    """A double-byte page (GBK, Big5, Shift-JIS) that Korean bytes are misread through:
    the East Asian characters its one- and two-byte sequences show (``占`` is GBK D5 BC)."""
    table: dict[str, bytes] = {chr(b): bytes([b]) for b in range(0x80)}
    for lead in range(0x81, 0xFF):
        for trail in range(0x40, 0xFF):
            pair = bytes([lead, trail])
            try:
                ch = pair.decode(name)
            except UnicodeDecodeError:
                continue
            if len(ch) == 1 and _EAST_ASIAN.match(ch):
                table.setdefault(ch, pair)
    for b in range(0xA1, 0xE0):  # Shift-JIS shows single bytes A1-DF as half-width kana
        try:
            ch = bytes([b]).decode(name)
        except UnicodeDecodeError:
            continue
        if _EAST_ASIAN.match(ch):
            table.setdefault(ch, bytes([b]))
    return View(name, table, ())


def _views(double_byte: bool = True):
    for name in VIEWS:
        yield view(name, False)
        yield view(name, True)
    for first, second in UNIONS:
        yield union_view(first, second)
    yield latin1_without_c1()
    if double_byte:
        for name in DOUBLE_BYTE:
            yield double_byte_view(name)


@lru_cache(maxsize=1)
def repertoire() -> frozenset[str]:
    """Every non-ASCII character some view shows: a span made of others is not mojibake."""
    return frozenset(c for v in _views() for c in v.table if c >= "\x80")


@dataclass(frozen=True)
class LegacyParams:
    """The legacy stage's parameters (``rules/steps.json``, section ``legacy-mojibake``, where
    each is explained); ``lost-text`` reads older mojibake with the same ones."""

    SECTION = "legacy-mojibake"
    min_score: float
    min_score_over_text: float
    max_chain: int
    min_support: int
    min_share: float
    share_weight: float
    chain_cost: float
    frontier: int
    mend_beam: int
    unmended_cost: float
    mend_margin: float
    memo: int


def _utf8_mended(data: bytes, dropped: tuple[int, ...], lm: KoreanLM, params: LegacyParams) -> tuple[str, float] | None:
    """UTF-8 whose bytes the view could not show were dropped: put back, in each broken
    sequence, the missing continuation bytes from ``dropped``; a beam over the syllable
    model picks among the characters that makes. Returns (text, margin over the next best)."""
    cont = [b for b in dropped if 0x80 <= b <= 0xBF]
    if not cont:
        return None
    options: list[list[str]] = []
    i, n, mended, lost = 0, len(data), 0, 0
    while i < n:
        b = data[i]
        need = sequence_length(b) or 1
        if need == 1:
            if b >= 0x80:
                return None
            options.append([chr(b)])
            i += 1
            continue
        try:
            options.append([data[i : i + need].decode("utf-8")])
            i += need
            continue
        except UnicodeDecodeError:
            pass
        have = 1
        while have < need and i + have < n and 0x80 <= data[i + have] <= 0xBF:
            have += 1
        missing = need - have
        if missing == 2 and b in UTF8_LEADS:
            # a Hangul lead byte that lost both its followers: that syllable is gone
            options.append([LOST])
            lost += 1
            i += 1
            continue
        if missing != 1 or need != 3:  # only a three-byte (Korean) sequence that lost one byte
            return None
        chars = set()
        for fill in itertools.product(cont, repeat=missing):
            for pos in itertools.combinations(range(1, need), missing):
                body = list(data[i + 1 : i + have])
                for p, f in zip(pos, fill):
                    body.insert(p - 1, f)
                try:
                    chars.add(bytes([b, *body]).decode("utf-8"))
                except UnicodeDecodeError:
                    pass
        if not chars:
            return None
        options.append(sorted(chars))
        mended += 1
        i += have
    intact = sum(1 for o in options if len(o) == 1 and _HANGUL.match(o[0]))
    if not intact + mended:  # no Korean syllable at all: not UTF-8 Korean that lost bytes
        return None
    if lost:
        return LOST, 0.0
    hyps = [("", START, 0.0)]  # (text, the model's state, log P)
    for opts in options:
        nxt = []
        for text, ctx, lp in hyps:
            for ch in opts:
                if _HANGUL.match(ch):
                    nxt.append((text + ch, lm.extend(ctx, ch), lp + lm.logp(ctx, ch)))
                else:  # a word ends (its END is not scored here, as before)
                    nxt.append((text + ch, START, lp + (0.0 if len(opts) == 1 else params.unmended_cost)))
        hyps = sorted(nxt, key=lambda h: -h[2])[:params.mend_beam]
    final = sorted(((h[2] + (lm.logp(h[1], END) if h[1] != START else 0.0), h[0]) for h in hyps), reverse=True)
    margin = final[0][0] - final[1][0] if len(final) > 1 else float("inf")
    return final[0][1], margin


def _step(text: str, lm: KoreanLM, p: LegacyParams, double_byte: bool = True):
    """Every one-step reading of ``text``: (reading, step name). A double-byte page is tried
    only on the text as found (the last wrong decode): deeper, its thousands of characters
    read anything as some Korean."""
    for v in _views(double_byte):
        data = v.encode(text)
        if data is None or data == text.encode("latin-1", "ignore") and text.isascii():
            continue
        for enc in ENCODINGS:
            try:
                yield data.decode(enc), Decode(enc, v.name)
            except UnicodeDecodeError:
                if enc == "utf-8" and v.undefined:
                    mended = _utf8_mended(data, v.undefined, lm, p)
                    if mended is not None:
                        text_, margin = mended
                        # too close to call: the bytes are lost, the span is quarantined
                        if margin < p.mend_margin and (text_ == LOST or _HANGUL.search(text_)):
                            text_ = LOST
                        yield text_, Decode("utf-8-dropped", v.name)


def _utf8_elsewhere(span: str) -> bool:
    """Whether some page shows ``span`` as the UTF-8 of accented letters (ftfy's ground: ``Ã¡``
    is á, ``Å³`` is ų, ``Ĺˇ`` is š): a reading that is all letters, none of them Hangul."""
    for v in _views():
        data = v.encode(span)
        if data is None:
            continue
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            continue
        if not text.isascii() and all(c.isalpha() or c.isascii() for c in text) and not _HANGUL.search(text):
            return True
    return False


def _ks_signs(span: str, text: str) -> bool:
    """Whether ``text`` is one or two signs of KS X 1001 beside Hangul (symbols, compatibility
    jamo, kana: two bytes each in EUC-KR, not hanja) read from a span of no ASCII."""
    if span.isascii() or any(c.isascii() for c in span) or not 1 <= len(text) <= 2:
        return False
    for c in text:
        try:
            if len(c.encode("euc_kr")) != 2 or unicodedata.category(c) == "Lo" and not _KANA_JAMO.match(c):
                return False
        except UnicodeEncodeError:
            return False
    return True


def korean_share(text: str) -> float:
    """Share of Hangul syllables among the non-ASCII letters (quotes and other signs around
    a word are no evidence either way: “꽥” is all Korean)."""
    wide = [c for c in text if c >= "\x80" and unicodedata.category(c)[0] in "LM"]
    return sum(1 for c in wide if _HANGUL.match(c)) / max(len(wide), 1)


@lru_cache(maxsize=1)
def _dropped_counts() -> dict[str, int]:
    return {v.name: len(v.undefined) for v in _views()}


def _mending_disagrees(steps: list[tuple[str, Decode]], lm: KoreanLM, min_korean: float) -> bool:
    """Korean put back from dropped bytes assumes which bytes the page dropped (cp1252 drops
    5, latin-1 without C1 controls 32). The readings disagree when two pages give different
    plausible Korean, or the page that dropped the most could not tell while another could
    (its candidates were fewer, not better)."""
    undefined = _dropped_counts()
    mended = [(undefined[step.page], out) for out, step in steps if step.encoding == "utf-8-dropped"]
    plausible = {out for _n, out in mended if out != LOST and _HANGUL.search(out) and lm.score(out) >= min_korean}
    if not mended or not plausible:
        return False
    widest = max(n for n, _out in mended)
    return len(plausible) > 1 or any(out == LOST for n, out in mended if n == widest)


def readings(span: str, lm: KoreanLM, p: LegacyParams) -> list[tuple[float, str, Chain]]:
    """Readings of ``span`` that come out as Korean: (score, text, chain), best first."""
    found: dict[str, tuple[float, str, Chain]] = {}
    lost: dict[str, Chain] = {}
    frontier: list[tuple[str, Chain]] = [(span, ())]
    for depth in range(p.max_chain):
        nxt = []
        for text, chain in frontier:
            steps = list(_step(text, lm, p, double_byte=depth == 0))
            if _mending_disagrees(steps, lm, p.min_score):
                steps = [(LOST if step.encoding == "utf-8-dropped" and (out == LOST or _HANGUL.search(out)) else out, step)
                         for out, step in steps]
            for out, step in steps:
                name = (*chain, step)
                if out == LOST:
                    lost.setdefault(span, name)
                    continue
                if out == text or "\ufffd" in out:
                    continue
                nxt.append((out, name))
                if _HANGUL.search(out) and not any("\x80" <= c <= "\x9f" for c in out):
                    score = lm.score(out) + p.share_weight * korean_share(out) - p.chain_cost * (len(name) - 1)
                    if out not in found or score > found[out][0]:
                        found[out] = (score, out, name)
        # keep the most Korean-looking intermediate texts for the next step
        frontier = sorted(nxt, key=lambda x: -korean_share(x[0]) - _latin_mojibake(x[0]))[:p.frontier]
    ranked = sorted(found.values(), key=lambda r: -r[0])
    if lost:  # the bytes were UTF-8 Korean, but too many were dropped to tell: the last resort
        ranked.append((float("-inf"), LOST, lost[span]))
    return ranked


def _latin_mojibake(text: str) -> float:
    return sum(1 for c in text if "\u00c0" <= c <= "\u00ff") / max(len(text), 1)


def _through(text: str, steps: Chain):
    """``text`` undone by each step in turn, the page strict or sloppy: (result, the steps
    as taken)."""
    if not steps:
        yield text, ()
        return
    enc, page = steps[0]
    if enc not in ENCODINGS:
        return
    for v in _views():
        if v.name.rstrip("~") != page.rstrip("~") or (data := v.encode(text)) is None:
            continue
        try:
            out = data.decode(enc)
        except UnicodeDecodeError:
            continue
        for result, names in _through(out, steps[1:]):
            yield result, (Decode(enc, v.name), *names)


_ALPHABETS = ("CYRILLIC", "GREEK", "HEBREW", "ARABIC", "THAI", "ARMENIAN", "GEORGIAN")


def reads_as_itself(span: str) -> bool:
    """Whether ``span`` is clean text of one alphabet that code pages share with Korean
    bytes: every non-ASCII character a letter (or mark) of the same one of ``_ALPHABETS``.
    EUC-KR shown through ISO-8859-5 is such text (``ЗСБ`` reads 한) and so is Russian
    (``ИГРА`` reads 립육): alone, such a span is left; the text's other spans decide::

        >>> reads_as_itself("ИГРА"), reads_as_itself("ЗС±№"), reads_as_itself("Ãß°¡")
        (True, False, False)
    """
    scripts = set()
    for c in span:
        if c.isascii():
            continue
        if unicodedata.category(c)[0] not in "LM":
            return False
        scripts.add(unicodedata.name(c, "").split(" ")[0])
    return len(scripts) == 1 and next(iter(scripts)) in _ALPHABETS


def _trail_letter(slide: Slide, end: int) -> bool:
    raw = slide.raw
    return end < len(raw) and raw[end].isascii() and raw[end].isalpha() and slide.is_free(end, end + 1)


class KoreanLegacy(Step):
    """Pipeline step: decode legacy Korean mojibake, span by span."""

    name = "legacy-mojibake"

    def __init__(self, params: Mapping[str, Any] | None = None):
        """``params`` override the ``legacy-mojibake`` section of ``rules/steps.json``."""
        self.lm = load_korean_lm()
        self.params = load_params(LegacyParams, params)

    def best(self, span: str) -> tuple[str, Chain, float] | None:
        """(text, chain, score) of the best Korean reading, or None if the span is not one.
        A span that some page shows as valid UTF-8 of other text (``Ã¡`` = á) is left to ftfy
        unless it reads as clearly Korean. Decided once per distinct span and process."""
        memo = self.__dict__.setdefault("_memo", {})
        if span not in memo:
            if len(memo) >= self.params.memo:
                memo.clear()
            memo[span] = self._best(span)
        return memo[span]

    def _best(self, span: str) -> tuple[str, Chain, float] | None:
        if _HANGUL.search(span) or len(span) < 2:
            return None
        rep = repertoire()
        if not all(c in rep or c.isascii() for c in span):
            return None
        # a span some page shows as the UTF-8 of accented letters is ftfy's, unless a reading
        # of it is clearly Korean (EUC-KR shown as latin-1, then its UTF-8 shown as cp1252)
        elsewhere = _utf8_elsewhere(span)
        p = self.params
        need = p.min_score_over_text if elsewhere or _CJK_TEXT.fullmatch(span) else p.min_score
        for _score, text, chain in readings(span, self.lm, p):
            if text == LOST:
                return None if elsewhere else (text, chain, 0.0)
            lm_score = self.lm.score(text)
            if lm_score >= need and korean_share(text) >= p.min_share and not _LATIN_INSIDE.search(text):
                itself = over_itself(span, text, self.lm)  # CJK text that reads as itself stays
                if itself <= 0:
                    return None
                return text, chain, min(lm_score - need, itself)  # over leaving it: what it had to reach
        return None

    def by_chain(self, span: str, chain: Chain, support: int = 2, beside: bool = False) -> tuple[str, Chain, float] | None:
        """The reading of ``span`` by ``chain`` (each step's page strict or sloppy) if it is
        Korean: ``ΗÒ`` is 할 by cp949>cp1253~ beside words read by cp949>cp1253. A chain
        that has read words in two spans reads a sign of the same charset too (``¡Ø`` = ※),
        and, ``beside`` a span it read on the same line, a word the model does not know (인첸트)."""
        if _HANGUL.search(span):
            return None
        p = self.params
        for text, names in _through(span, chain):
            syllables = len(_HANGUL.findall(text))
            if not syllables and support >= p.min_support and _ks_signs(span, text):
                return text, names, 0.0  # a sign of the same charset: ※, ㄱ, ん
            if not syllables or _LATIN_INSIDE.search(text):
                continue
            score = self.lm.score(text)
            if len(span) == 1 and not beside:
                continue  # one character of a double-byte page is too little to go on alone
            vouched = (syllables == 1 or beside) and korean_share(text) == 1.0 and support >= p.min_support
            if score >= p.min_score and korean_share(text) >= p.min_share:
                return text, names, score - p.min_score  # over leaving it: what it had to reach
            if vouched:  # the chain, not the score, rules leaving it out: it is worth the model's
                # floor (a syllable it never saw), or the reading's own score if lower (margin 0)
                return text, names, score - min(score, self.lm.floor)
        return None

    def _consistent(self, span: str, found, chains: dict[str, int]):
        """The best reading of ``span`` (by its score as Korean) among ``found`` and its readings
        by chains the slide's longer readings use; a one-syllable reading must be by such a chain."""
        options = [alt for chain, support in chains.items()
                   if chain != (found and found[1]) and (alt := self.by_chain(span, chain, support))]
        if found is not None and (found[1] in chains or len(_HANGUL.findall(found[0])) >= 2):
            options.append(found)
        return max(options, key=lambda o: o[2], default=None)

    def _beside_neighbours(self, raw: str, decided: list[list], chains: dict[str, int]) -> None:
        """A span left unread is read by the chain of its nearest neighbour (the span before it
        on its line or the line above, else the one after) if that neighbour was read by an
        established chain and the chain gives only Hangul: text goes through a chain a line
        at a time. A neighbour left as it was (genuine Chinese beside it) reads nothing."""
        if not chains:
            return  # no chain established, nothing to read by
        for k, item in enumerate(decided):
            if item[3] is not None:
                continue
            for j in (k - 1, k + 1):
                if not 0 <= j < len(decided):
                    continue
                a, b = sorted((item, decided[j]), key=lambda x: x[0])
                if raw.count("\n", a[1], b[0]) > 1:
                    continue  # too far to be the same stretch of text
                near = decided[j][3]
                if near is not None and near[0] != LOST and chains.get(near[1], 0) >= self.params.min_support:
                    item[3] = self.by_chain(item[2], near[1], chains[near[1]], beside=True)
                break

    def on_slide(self, slide: Slide, stats: Stats) -> None:
        spans = [(m.span(), m.group(), self.best(m.group())) for m in list(slide.free_matches(_SPAN))]
        # the slide's damage is one chain: a reading by a chain its longer readings use is
        # preferred, and a one-syllable reading (two bytes) counts only by such a chain
        # (a dict, not a set: ties go to the first chain seen, whatever the hash seed)
        # a chain is established by readings with a word of two syllables or more; it vouches
        # for one-syllable readings once two such spans use it
        chains: dict[Chain, int] = {}  # chain -> spans with a word of two syllables it reads
        for _s, _t, f in spans:
            if f and f[0] != LOST and _WORD.search(f[0]):
                chains[f[1]] = chains.get(f[1], 0) + 1
        decided = []
        for (start, end), span, found in spans:
            if found is None or found[0] != LOST:
                found = self._consistent(span, found, chains)
            if found is None and chains and _trail_letter(slide, end):
                # a CP949 extension pair ends in an ASCII letter (힣 = C6 52 = ``ÆR``)
                found = self._consistent(span + slide.raw[end], None, chains)
                end += found is not None
            decided.append([start, end, span, found])
        self._beside_neighbours(slide.raw, decided, chains)
        for item in decided:  # clean text of an alphabet is read only by a chain the text established
            found = item[3]
            if found and reads_as_itself(item[2]) and (found[0] == LOST or chains.get(found[1], 0) < self.params.min_support):
                item[3] = None
        for start, end, span, found in decided:
            if found is None:
                continue
            text, chain, margin = found
            if text == LOST:
                slide.quarantine_span(start, end, "lost-bytes")
                stats["lost"] += 1
            else:
                slide.repair(start, end, text, rule=rule_of(chain), margin=margin,
                             plan=plan_of(chain, slide.raw[start:end], text))
                stats[rule_of(chain)] += end - start


def fix_and_explain(text: str) -> tuple[str, list[tuple[str, str, str]]]:
    """Run this stage on one string: the text and (rule, before, after) per change."""
    slide = Slide("-", 1, text)
    KoreanLegacy()(Deck("-", [slide]))
    return slide.text(), [(r.rule, r.before, r.after) for r in sorted(slide.repairs, key=lambda r: r.start)]
