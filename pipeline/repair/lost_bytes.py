"""UTF-8 Korean that lost bytes on its way through a wrong code page, filled back by the model.

The lossless cases are the other stages' (``mojibake.py``, ftfy). Here the wrong decode
also lost bytes: the page could not show some and they were dropped or shown as U+FFFD,
a NBSP (or NEL) became a plain space, or a CP949 reader put one ``?`` for each byte pair it
could not read (and the text may then have gone through a single-byte page as well)::

    >>> fix_and_explain("ì˜¤ëŠ˜ ë°œí‘œ ìžë£Œë¥¼")  # cp1252 could not show 자's 0x90: dropped
    ('오늘 발표 자료를', [('utf-8>cp1252+lattice', 'ì˜¤ëŠ˜', '오늘'), ('utf-8>cp1252+lattice', 'ë°œí‘œ', '발표'), ('utf-8>cp1252+lattice', 'ìžë£Œë¥¼', '자료를')])
    >>> fix_and_explain("濡쒓렇?몄씠 ?꾩슂?⑸땲??")[0]  # the ? hid 인, 필, 다 and the full stop, read back in context
    '로그인이 필요합니다.'

The text's page is decided once, for the whole text: the page under which the most
syllables decode without any loss. Then every region of that page's characters that does
not decode as it stands is rebuilt as a byte lattice (``byte_lattice.py``): each character
its byte, a space also a NBSP or NEL, a U+FFFD any byte the page cannot show, a ``?`` a lost
byte pair where the text shows that kind of damage, a byte the page dropped possibly
missing before any character. The best path under the Korean models is the repair; a
syllable its bytes cannot pin down, or whose margin is below ``min_margin``, stays a
placeholder.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Mapping

from pipeline.deck import Deck, Slide
from pipeline.models import codepages
from pipeline.models.hangul import HANGUL as _HANGUL
from pipeline.models.hangul import SYLLABLES, UTF8_LEADS
from pipeline.models.korean_lm import load_korean_lm as lm
from pipeline.repair.byte_lattice import LOST, Alt, TooComplex
from pipeline.repair.byte_lattice import Params as DecoderParams
from pipeline.repair.byte_lattice import decoder as lattice_decoder
from pipeline.repair.mojibake import VIEWS
from pipeline.repair.utf8 import sequence_length
from pipeline.step import Stats, Step, load_params

# pages the legacy stage (mojibake.py) reads UTF-8 through; text shown through another page
# is read here even when nothing was lost
_LEGACY_PAGES = frozenset(VIEWS)
CONTEXT = 24  # characters on each side the sentence model sees when it decides a region's spaces
_CONT = range(0x80, 0xC0)


@dataclass(frozen=True)
class Params:
    """The step's parameters (``rules/steps.json``, section ``lost-bytes``)."""

    SECTION = "lost-bytes"
    min_syllables: int
    drop_cost: float
    space_cost: float
    literal_qmark_cost: float
    min_qmarks: int
    min_margin: float
    max_region: int


@dataclass(frozen=True)
class Page:
    """A page text may have been shown through: its characters' bytes and what it loses."""

    name: str
    table: dict[str, int]  # character -> byte
    invisible: frozenset[int]  # continuation bytes it shows as nothing (undefined or a control)
    spaces: frozenset[int]  # bytes it shows as white space other than the space itself
    folded: dict[str, frozenset[int]]  # ASCII quote -> bytes of the curly quotes folded into it

    @property
    def leads(self) -> re.Pattern:
        """The characters it shows for the lead bytes of Korean syllables in UTF-8 (EA-ED)."""
        return _leads(self.name)

    @property
    def pattern(self) -> re.Pattern:
        chars = "".join(sorted(c for c in self.table if c >= "\x80")) + "\ufffd"
        return re.compile("[" + re.escape(chars) + "]")


def _page(codec: str, fallback: str | None = None) -> Page:
    table: dict[str, int] = {}
    for b in range(256):
        for name in (codec, fallback):
            if name is None:
                continue
            try:
                c = bytes([b]).decode(name)
            except UnicodeDecodeError:
                continue
            if unicodedata.category(c) != "Cc" or b < 0x80:
                table.setdefault(c, b)
                break
    shown = set(table.values())
    # bytes shown as nothing: undefined, or a format character (a soft hyphen) a clean-up drops
    invisible = frozenset(b for b in _CONT if b not in shown
                          or unicodedata.category(next(c for c, v in table.items() if v == b)) == "Cf")
    for b in range(0x80, 0xA0):  # a byte shown as nothing may also survive as its C1 control
        if b not in shown:
            table.setdefault(chr(b), b)
    spaces = frozenset(b for b in range(0x80, 0x100) if b in shown and next(c for c, v in table.items() if v == b).isspace())
    if 0x85 in invisible:  # NEL: a control, but white space to a cleaner that turns it into a space
        spaces |= {0x85}
    folded = {}
    for ascii_quote, curly in (('"', "\u201c\u201d\u201e"), ("'", "\u2018\u2019\u201a")):
        found = frozenset(table[c] for c in curly if c in table)
        if found:
            folded[ascii_quote] = found
    return Page(codec + (f"+{fallback}" if fallback else ""), table, invisible, spaces, folded)


@lru_cache(maxsize=None)
def _leads(name: str) -> re.Pattern:
    page = next(pg for pg in pages() if pg.name == name)
    return re.compile("[" + re.escape("".join(c for c, b in page.table.items() if b in UTF8_LEADS)) + "]")


@lru_cache(maxsize=1)
def _any_leads() -> re.Pattern:
    chars = {c for page in pages() for c, b in page.table.items() if b in UTF8_LEADS}
    return re.compile("[" + re.escape("".join(sorted(chars))) + "]")


# pages text is shown through: every single-byte page of the code-page table
# (rules/codepages.json), and those whose tools fill their gaps with cp1252's glyphs
# (cp874, ISO-8859-7 in browsers and crawlers) also with that fallback
def _page_specs() -> tuple[tuple[str, str | None], ...]:
    out: list[tuple[str, str | None]] = []
    for page in codepages.pages("single"):
        out.append((page.name, None))
        if any(loss.startswith("fallback") for loss in page.losses):
            out.append((page.name, "cp1252"))
    return tuple(out)


PAGES = _page_specs()


@lru_cache(maxsize=1)
def pages() -> tuple[Page, ...]:
    return tuple(_page(codec, fallback) for codec, fallback in PAGES)


@lru_cache(maxsize=1)
def _pair_groups() -> tuple[tuple[frozenset[int], frozenset[int]], ...]:
    """(lead bytes, trail bytes): the byte pairs a CP949 reader cannot read and shows as
    one ``?``, grouped by lead bytes that reject the same trails."""
    groups: dict[frozenset[int], set[int]] = {}
    for lead in range(0x81, 0xFF):
        bad = []
        for trail in range(256):
            try:
                ok = len(bytes([lead, trail]).decode("cp949")) == 1
            except UnicodeDecodeError:
                ok = False
            if not ok:
                bad.append(trail)
        groups.setdefault(frozenset(bad), set()).add(lead)
    return tuple((frozenset(leads), bad) for bad, leads in groups.items() if bad)


def _qmark_alts(p: Params) -> list[Alt]:
    return [Alt((frozenset([0x3F]),), p.literal_qmark_cost)] + [Alt((l, t), 0.0, False) for l, t in _pair_groups()]


def _with_drops(alts: list[Alt], dropped: frozenset[int], p: Params) -> list[Alt]:
    if not dropped:
        return alts
    out = list(alts)
    for a in alts:  # one byte dropped before the character, or two (both trail bytes of a syllable)
        out.append(Alt((dropped, *a.sets), a.cost + p.drop_cost, a.known, (True, *a.assumed), True))
        out.append(Alt((dropped, dropped, *a.sets), a.cost + 2 * p.drop_cost, a.known, (True, True, *a.assumed), True))
    return out


def page_lattice(text: str, page: Page, qmarks: bool, p: Params, spaces: bool = True) -> list[list[Alt]] | None:
    """The lattice of ``text`` shown through ``page`` (bytes per character, with the losses;
    with ``spaces``, a space may also be a NBSP or NEL the text lost)."""
    lat = []
    for k, c in enumerate(text):
        if c == "\ufffd":
            alts = [Alt((page.invisible,), 0.0, True, (True,))] if page.invisible else []
        elif c == "?" and qmarks:
            alts = _qmark_alts(p)
        elif c in page.table:
            b = page.table[c]
            alts = [Alt((frozenset([b]),))]
            if c == " " and spaces:
                alts += [Alt((frozenset([s]),), p.space_cost, True, (True,)) for s in sorted(page.spaces)]
            elif c in page.folded:  # a curly quote folded to ASCII by a later clean-up
                alts.append(Alt((page.folded[c],), p.space_cost, True, (True,)))
        else:
            return None
        if not alts:
            return None
        lat.append(_with_drops(alts, page.invisible, p) if k else alts)
    if page.invisible and lat:  # a byte dropped after the last character
        lat[-1] = lat[-1] + [Alt((*a.sets, *(page.invisible,) * n), a.cost + n * p.drop_cost, a.known,
                                 (*a.assumed, *(False,) * (len(a.sets) - len(a.assumed)), *(True,) * n))
                             for n in (1, 2) for a in lat[-1]]
    return lat


@lru_cache(maxsize=1)
def _cp949_folded() -> dict[str, tuple[bytes, ...]]:
    """Per character, the CP949 pairs that decode to it once normalized: KS X 1001 repeats
    hanja under a second reading (U+F900 block) and NFC folds those into the unified
    ideograph, so a ``李`` seen in normalized text may have been EC B0 as well as D7 DD."""
    folded: dict[str, list[bytes]] = {}
    for lead in range(0x81, 0xFF):
        for trail in range(0x41, 0xFF):
            data = bytes([lead, trail])
            try:
                c = data.decode("cp949")
            except UnicodeDecodeError:
                continue
            nfc = unicodedata.normalize("NFC", c)
            if nfc != c:
                folded.setdefault(nfc, []).append(data)
    for c, pairs in folded.items():
        try:
            pairs.insert(0, c.encode("cp949"))
        except UnicodeEncodeError:
            pass  # only the folded pairs show it (Å: the Angstrom sign A1 CA)
    return {c: tuple(pairs) for c, pairs in folded.items()}


# Windows' code page 949 shows a lone 0x80 as U+0080, a control that does not survive display
_CP949_INVISIBLE = frozenset([0x80])


def cp949_lattice(text: str, p: Params) -> list[list[Alt]] | None:
    """The lattice of ``text`` read through CP949 with ``?`` for each pair it could not read
    (a character NFC folded may be any pair it folds from; a lost pair may follow an
    invisible 0x80)."""
    lat = []
    folded = _cp949_folded()
    for c in text:
        if c == "?":
            lat.append(_with_drops(_qmark_alts(p), _CP949_INVISIBLE, p))
            continue
        try:
            readings = folded.get(c) or (c.encode("cp949"),)
        except UnicodeEncodeError:
            return None
        lat.append([Alt(tuple(frozenset([b]) for b in data)) for data in readings])
    return lat


def _strict(text: str, page: Page) -> str | None:
    try:
        return bytes(page.table[c] for c in text).decode("utf-8")
    except (KeyError, UnicodeDecodeError):
        return None


# a region: the page's characters with short ASCII stretches inside, on one line
def _region_pattern(page: Page) -> re.Pattern:
    ch = page.pattern.pattern[1:-1]
    return re.compile(f"[{ch}?](?:[ -~]{{0,3}}[{ch}?])*[ '\"]?")


@lru_cache(maxsize=None)
def _regions_of(name: str) -> re.Pattern:
    page = next(pg for pg in pages() if pg.name == name)
    return _region_pattern(page)


_UNEXPLAINED = math.log(1e-4)  # a non-ASCII character the page cannot show at all
_NEVER = math.log(1e-6)  # a byte missing where the page shows every byte


def loss_loglik(text: str, page: Page) -> float:
    """How likely ``text`` is as UTF-8 shown through ``page``, judged by the continuation
    bytes after each lead byte: a page that cannot show some of the 64 continuation bytes
    (latin-1 with its C1 bytes dropped: 32) loses each with that chance, one that shows
    nearly all (cp1252: 59) almost never. A character the page cannot show costs
    ``_UNEXPLAINED``. So a text whose syllables lost a third of their bytes is latin-1's,
    not cp1252's, though both show its surviving characters alike::

        >>> lossy = "ì°ëì¼ë¡"  # 연동으로 with 0x80-0x9F dropped
        >>> by = {pg.name: loss_loglik(lossy, pg) for pg in pages()}
        >>> by["latin-1"] > by["cp1252"]
        True
    """
    missing_rate = len(page.invisible) / len(_CONT)
    visible = math.log(1 - missing_rate) if missing_rate < 1 else _NEVER
    missing = math.log(missing_rate) if missing_rate else _NEVER
    total, need = 0.0, 0
    for c in text:
        b = page.table.get(c)
        if b is None:
            if c >= "\x80" and c != "\ufffd":
                total += _UNEXPLAINED
            total += need * missing
            need = 0
            continue
        if 0x80 <= b < 0xC0 and need:
            total += visible
            need -= 1
            continue
        total += need * missing  # the sequence ended short: its other bytes were lost
        need = max(sequence_length(b) - 1, 0)  # continuation bytes the lead byte opens
    return total + need * missing


def choose_page(text: str, p: Params) -> tuple[Page, int] | None:
    """Of the pages under which at least ``min_syllables`` Hangul syllables of ``text``
    decode, the one that explains the text likeliest (``loss_loglik``); ties go to the
    page listed first. Returns the page and its count of decoded syllables."""
    best = None
    if not _any_leads().search(text):
        return None  # no page shows a Korean lead byte here
    for page in pages():
        if not page.leads.search(text):
            continue  # no character the page shows for a Korean lead byte (EA-ED): not this page
        n = 0
        regions = [m.group() for m in _regions_of(page.name).finditer(text)]
        for region in regions:
            data = bytes(page.table[c] for c in region if c in page.table)
            n += len(_HANGUL.findall(data.decode("utf-8", "replace")))
        if n < p.min_syllables:
            continue
        score = loss_loglik(text, page)
        if best is None or score > best[2]:
            best = (page, n, score)
    return best[:2] if best else None


_CP949_DAMAGE = re.compile(rf"[^\x00-\x7f{SYLLABLES}\s]")
_QMARK_GLUED = re.compile(r"[^\x00-\x7f]\?|\?[^\x00-\x7f]")


def _utf8_between_qmarks(region: str) -> str:
    """A quick look: the region's CP949 bytes read as UTF-8, each ``?`` two unknown bytes."""
    data = b"".join(b"\x80\x80" if c == "?" else c.encode("cp949", "replace") for c in region)
    return data.decode("utf-8", "replace")


def _readable(text: str) -> bool:
    """No control characters (other than white space) and no lone marks: text, not bytes."""
    return not any(unicodedata.category(c) in ("Cc", "Cs", "Co", "Cn") and c not in "\t\n\r" for c in text)


class LostBytes(Step):
    """Pipeline step: fill lost bytes back into UTF-8 Korean seen through a wrong page."""

    name = "lost-bytes"

    def __init__(self, params: Mapping[str, Any] | None = None, decoder: Mapping[str, Any] | None = None):
        """``params`` override the ``lost-bytes`` section of ``rules/steps.json``, ``decoder``
        the ``byte-lattice`` section (the decoder this step runs)."""
        self.params = load_params(Params, params)
        self.decoder = lattice_decoder(load_params(DecoderParams, decoder))

    def _apply(self, slide: Slide, start: int, segments, rule: str, stats: Counter) -> None:
        """Record the decoded segments: neighbouring ones as one repair (its margin the least of
        theirs), a lost one or one below ``min_margin`` as a quarantine."""
        run: list = []  # [start, end, text, margin, lost] of the repair being gathered

        def flush():
            if run:
                a, b, text, margin, lost = run
                margin = None if margin == float("inf") else margin
                slide.repair(a, b, text, rule=rule + ("+lost" if lost else ""), margin=margin)
                stats["filled"] += b - a
                run.clear()

        for seg in segments:
            a, b = start + seg.start, start + seg.end
            if seg.text == slide.raw[a:b] or not slide.is_free(a, b):
                flush()
                continue
            if set(seg.text) == {LOST} or (seg.margin < self.params.min_margin and _HANGUL.search(seg.text)):
                flush()
                slide.quarantine_span(a, b, "lost-bytes", seg.alternatives)
                stats["lost"] += 1
            elif run and run[1] == a:
                run[1:] = [b, run[2] + seg.text, min(run[3], seg.margin), run[4] or LOST in seg.text]
            else:
                flush()
                run[:] = [a, b, seg.text, seg.margin, LOST in seg.text]
        flush()

    @staticmethod
    def _too_complex(slide: Slide, start: int, region: str, stats: Counter) -> None:
        """A region the lattice could not search within its budget: quarantined, not left
        for a later stage to mend in pieces (cleaning the result again must change nothing)."""
        if slide.is_free(start, start + len(region)):
            slide.quarantine_span(start, start + len(region), "too-complex")
            stats["too_complex"] += 1

    def _read_region(self, region: str, page: Page, qmarks: bool, before: str = "", after: str = ""):
        """The region decoded, with its spaces read as spaces or, where that reads better to the
        sentence model, some of them as the NBSP (NEL) bytes the text lost. Which one is a
        decision about the whole region: a lost NBSP and a dropped byte before a real space
        both mend a broken syllable (``ì„ `` is 선 + NBSP or 을 + space)."""
        plain = page_lattice(region, page, qmarks, self.params, spaces=False)
        first = self.decoder.decode(plain, (before, after)) if plain else None
        if " " not in region or not page.spaces:
            return first
        lat = page_lattice(region, page, qmarks, self.params)
        second = self.decoder.decode(lat, (before, after)) if lat else None
        if first is None or second is None:
            return second or first
        texts = [before + "".join(s.text for s in segs).replace(LOST, " ") + after for segs in (first, second)]
        if texts[0] == texts[1]:
            return first
        model = self.decoder.sentence()
        return second if model.logp(texts[1]) > model.logp(texts[0]) else first

    def _cp949(self, slide: Slide, stats: Counter) -> None:
        """UTF-8 read as CP949 with ``?`` for unreadable pairs: lines with such runs."""
        text = slide.raw
        for m in re.finditer(r"[^\n]+", text):
            line = m.group()
            if not _QMARK_GLUED.search(line):
                continue
            for r in re.finditer(r"(?:[^\x00-\x7f]|\?)+(?:[ -~]{0,3}(?:[^\x00-\x7f]|\?)+)*", line):
                region = r.group()
                if "?" not in region or len(region) > self.params.max_region:
                    continue
                if not _HANGUL.search(_utf8_between_qmarks(region)):
                    continue  # no syllable decodes even between the lost pairs: genuine text
                lat = cp949_lattice(region, self.params)
                context = line[:r.start()], line[r.end():]
                try:
                    segs = self.decoder.decode(lat, context) if lat else None
                except TooComplex:
                    self._too_complex(slide, m.start() + r.start(), region, stats)
                    continue
                decoded = "".join(s.text for s in segs) if segs else ""
                # the whole region must read as UTF-8 (CP949 text rarely does), mostly Korean;
                # a region of Hangul only must also read better decoded than as it stands
                if len(_HANGUL.findall(decoded)) <= decoded.count(LOST):
                    continue
                if not _CP949_DAMAGE.search(region) and lm().score(decoded) <= lm().score(region):
                    continue
                self._apply(slide, m.start() + r.start(), segs, "utf-8>cp949?", stats)

    def on_slide(self, slide: Slide, stats: Stats) -> None:
        p = self.params
        text = slide.raw
        if "?" in text and _QMARK_GLUED.search(text):
            self._cp949(slide, stats)
        chosen = choose_page(text, p)
        if chosen is None:
            return
        page = chosen[0]
        qmarks = len(_QMARK_GLUED.findall(text)) >= p.min_qmarks
        regions = []
        for m in _regions_of(page.name).finditer(text):
            region = m.group()
            if region.isascii() or len(region) > p.max_region or not slide.is_free(m.start(), m.end()):
                continue
            whole = None if "\ufffd" in region or (qmarks and "?" in region) else _strict(region, page)
            regions.append((m.start(), region, whole))
        if all(whole is not None for _s, _r, whole in regions) and page.name in _LEGACY_PAGES:
            return  # nothing was lost, through a page the legacy stage reads: its case
        # the page is the text's: every region it explains is read through it
        for start, region, whole in regions:
            if whole is not None:
                if whole != region and _readable(whole):
                    slide.repair(start, start + len(region), whole, rule=f"utf-8>{page.name}")
                    stats["decoded"] += len(region)
                continue
            context = slide.raw[max(0, start - CONTEXT):start], slide.raw[start + len(region):start + len(region) + CONTEXT]
            try:
                segs = self._read_region(region, page, qmarks, *context)
            except TooComplex:
                self._too_complex(slide, start, region, stats)
                continue
            if segs and any(_HANGUL.search(s.text) for s in segs):
                self._apply(slide, start, segs, f"utf-8>{page.name}+lattice", stats)


def fix_and_explain(text: str) -> tuple[str, list[tuple[str, str, str]]]:
    """Run this stage on one string: the text and (rule, before, after) per change."""
    slide = Slide("-", 1, text)
    LostBytes()(Deck("-", [slide]))
    return slide.text(), [(r.rule, r.before, r.after) for r in sorted(slide.repairs, key=lambda r: r.start)]
