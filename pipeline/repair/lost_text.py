"""Text that was lost before it reached us: quarantined, or recovered where bytes survive.

* UTF-8 Korean read as CP949 (and saved so): each character stands for two of the UTF-8
  bytes. Re-encoded as CP949 the bytes come back and are decoded as UTF-8; where a pair
  was replaced on the way, the characters around it that still decode are kept and the
  rest is quarantined. ``占쏙옙`` is the CP949 reading of U+FFFD itself: the text was
  already gone, so it is quarantined. A compatibility hanja that NFC turned into its
  unified twin (U+F9E1 → U+7559) is tried under both codes.
* each U+FFFD, and ``?`` runs inside a Korean word, are quarantined.

    >>> from pipeline.deck import Deck, Slide
    >>> s = Slide("d", 1, "寃곌낵 踰덉뿭 媛먯궗\ufffd빀\ufffd땲\ufffd떎 占쏙옙占쏙옙 세?요")
    >>> _ = LostText()(Deck("d", [s]))
    >>> s.text()
    '결과 번역 감사\ufffd \ufffd 세\ufffd요'
    >>> [q.reason for q in s.quarantine]
    ['lost-bytes', 'replacement-character-as-cp949', 'lost-characters']
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Mapping

from pipeline.deck import Slide
from pipeline.models.hangul import FIRST, LAST, SYLLABLES
from pipeline.models.hangul import HANGUL as _HANGUL
from pipeline.models.korean_lm import load_korean_lm
from pipeline.repair.mojibake import LOST, Decode, KoreanLegacy, plan_of, rule_of
from pipeline.repair.utf8 import sequence_length
from pipeline.step import Stats, Step, load_params

# characters a CP949 reading of UTF-8 bytes produces: hanja, Hangul, CP949 symbols
# (UTF-8 lead bytes read as CP949 lead bytes give hanja or symbols, never only Hangul)
_CP949_RUN = re.compile(rf"[^\x00-\x7f\s]*[^\x00-\x7f\s{SYLLABLES}][^\x00-\x7f\s]*")
_HANJA = re.compile(r"[\u4e00-\u9fff\uf900-\ufaff]")
_FFFD = re.compile(r"\ufffd")  # one span each, so the text keeps as many placeholders
_LOST_IN_WORD = re.compile(rf"(?<=[{SYLLABLES}])\?+(?=[{SYLLABLES}])")


@lru_cache(maxsize=1)
def _deeper_run() -> re.Pattern:
    """A run of two syllables or more whose first one's CP949 bytes could open a UTF-8
    character (a lead C2-F4, then a continuation byte): other runs are never UTF-8."""
    first = "".join(chr(cp) for cp in range(FIRST, LAST + 1)
                    if 0xC2 <= (d := chr(cp).encode("cp949"))[0] <= 0xF4 and 0x80 <= d[1] <= 0xBF)
    return re.compile(f"(?<![{SYLLABLES}])[{first}][{SYLLABLES}]+")


@lru_cache(maxsize=1)
def compat_twins() -> dict[str, list[str]]:
    """unified ideograph -> the compatibility ideographs NFC maps onto it (CP949-encodable)."""
    out: dict[str, list[str]] = {}
    for cp in range(0xF900, 0xFB00):
        c = chr(cp)
        n = unicodedata.normalize("NFC", c)
        if n != c:
            try:
                c.encode("cp949")
            except UnicodeEncodeError:
                continue
            out.setdefault(n, []).append(c)
    return out


def _byte_options(run: str) -> list[list[bytes]] | None:
    opts = []
    for c in run:
        if c == "\ufffd":  # a pair the CP949 reading already replaced: its bytes are gone
            opts.append([b"\xff"])
            continue
        alts = []
        for v in (c, *compat_twins().get(c, ())):
            try:
                alts.append(v.encode("cp949"))
            except UnicodeEncodeError:
                pass
        if not alts:
            return None
        opts.append(alts)
    return opts


def utf8_from_cp949(run: str) -> list[tuple[int, int, str | None]] | None:
    """Segments (start, end, text or None if lost) of ``run`` read back as UTF-8, or None if
    the run is not UTF-8 seen through CP949."""
    opts = _byte_options(run)
    if opts is None:
        return None
    # choose each character's code: the one that keeps the UTF-8 stream valid, if any
    chosen = [o[0] for o in opts]
    for k, alts in enumerate(opts):
        if len(alts) > 1:
            for a in alts:
                trial = chosen[:k] + [a] + chosen[k + 1 :]
                if b"".join(trial).decode("utf-8", "replace").count("\ufffd") < b"".join(chosen).decode(
                    "utf-8", "replace"
                ).count("\ufffd"):
                    chosen = trial
    data = b"".join(chosen)
    owner = [k for k, b in enumerate(chosen) for _ in b]  # byte -> character of run
    segments: list[tuple[int, int, str | None]] = []
    i = 0
    while i < len(data):
        b = data[i]
        need = sequence_length(b) or 1
        seq = data[i : i + need]
        try:
            ch = seq.decode("utf-8")
            ok = len(seq) == need and (need > 1 or b < 0x80)
        except UnicodeDecodeError:
            ch, ok = None, False
        if not ok or ch == "\ufffd":
            ch, need = None, 1
        lo, hi = owner[i], owner[i + need - 1] + 1
        if segments and segments[-1][1] > lo:  # shares a character with the previous segment
            s, _e, prev = segments.pop()
            text = None if prev is None or ch is None else prev + ch
            segments.append((s, hi, text))
        elif segments and segments[-1][2] is None and ch is None:
            segments[-1] = (segments[-1][0], hi, None)
        else:
            segments.append((lo, hi, ch))
        i += need
    merged: list[tuple[int, int, str | None]] = []
    for s, e, t in segments:  # join neighbouring decoded segments into one repair
        if merged and t is not None and merged[-1][2] is not None and merged[-1][1] == s:
            merged[-1] = (merged[-1][0], e, merged[-1][2] + t)
        else:
            merged.append((s, e, t))
    return merged


@dataclass(frozen=True)
class LostTextParams:
    """The step's parameters (``rules/steps.json``, section ``lost-text``)."""

    SECTION = "lost-text"
    min_score: float


class LostText(Step):
    name = "lost-text"

    def __init__(self, params: Mapping[str, Any] | None = None, legacy: Mapping[str, Any] | None = None):
        """``params`` override the ``lost-text`` section of ``rules/steps.json``; ``legacy``
        the ``legacy-mojibake`` section, for the reader of older mojibake this step builds."""
        self.lm = load_korean_lm()
        self.params = load_params(LostTextParams, params)
        self.legacy = KoreanLegacy(legacy)

    def _utf8_as_cp949(self, slide: Slide, stats) -> None:
        for m in list(slide.free_matches(_CP949_RUN)):
            quick = m.group().encode("cp949", "replace").decode("utf-8", "replace")
            if not _HANGUL.search(quick) and "占" not in m.group():
                continue  # genuine text: its CP949 bytes are no UTF-8 Korean
            segments = utf8_from_cp949(m.group())
            if not segments:
                continue
            if "占" in m.group() and any(t is None for _s, _e, t in segments):
                self._replacement_run(slide, m, segments, stats)
                continue
            decoded = "".join(t for _s, _e, t in segments if t)
            all_lost = all(t is None for _s, _e, t in segments)
            fffd_only = all_lost and "\ufffd" in m.group().encode("cp949", "ignore").decode("utf-8", "replace")
            if all_lost and set(m.group().encode("cp949", "ignore").decode("utf-8", "replace")) == {"\ufffd"}:
                # 占쏙옙: the bytes of U+FFFD: nothing was there to recover
                if re.fullmatch(r"(?:占쏙옙)+(?:占쏙|占)?\ufffd?", m.group()):
                    slide.quarantine_span(m.start(), m.end(), "replacement-character-as-cp949")
                    stats["replacement_as_cp949"] += 1
                continue
            if fffd_only or not _HANGUL.search(decoded) or self.lm.score(decoded) < self.params.min_score:
                continue
            if _HANGUL.search(m.group()) and self.lm.score(m.group()) >= self.lm.score(decoded):
                continue  # genuine Korean reads at least as well as the alternative
            # the margin: the reading over its rival, leaving the run (what a reading must reach,
            # or what the run scores as it stands where it holds Hangul)
            rival = max(self.params.min_score, self.lm.score(m.group()) if _HANGUL.search(m.group()) else float("-inf"))
            margin = self.lm.score(decoded) - rival
            for s, e, t in segments:
                start, end = m.start() + s, m.start() + e
                if t is None:
                    slide.quarantine_span(start, end, "lost-bytes")
                    stats["lost"] += 1
                else:
                    slide.repair(start, end, t, rule="utf-8>cp949", margin=margin)
                    stats["utf8_as_cp949"] += end - start

    def _replacement_run(self, slide: Slide, m, segments, stats) -> None:
        """U+FFFD read as CP949 (``占쏙옙``): the bytes were already gone. Each lost piece is
        quarantined; a character that survived the first wrong decode stands as it was read
        (``占쏙옙품``: 품's bytes were valid UTF-8 by chance). Where the survivors read as
        Korean the text went round more than once: the whole run is quarantined."""
        if any(t is not None and _HANGUL.search(t) for _s, _e, t in segments):
            segments = [(0, m.end() - m.start(), None)]
        for s, e, t in segments:
            if t is None:
                slide.quarantine_span(m.start() + s, m.start() + e, "replacement-character-as-cp949")
                stats["replacement_as_cp949"] += 1

    def _hangul_of_deeper_chain(self, slide: Slide, stats) -> None:
        """A run of odd Hangul (``횁짖짹횢``) that is the CP949 reading of UTF-8 bytes of older
        mojibake (``Á¢±Ù``, EUC-KR shown as latin-1): both readings undone, when the result
        is Korean by the legacy stage's standard and the run itself is not."""
        for m in list(slide.free_matches(_deeper_run())):
            try:
                inner = m.group().encode("cp949").decode("utf-8")
            except UnicodeError:
                continue  # the usual case: Korean's CP949 bytes are not UTF-8
            if inner.isascii() or _HANGUL.search(inner):
                continue
            found = self.legacy.best(inner)
            if found is None or found[0] == LOST or self.lm.score(found[0]) <= self.lm.score(m.group()):
                continue
            chain = (Decode("utf-8", "cp949"), *found[1])  # outermost first: the CP949 reading
            slide.repair(m.start(), m.end(), found[0], rule=rule_of(chain), margin=found[2],
                         plan=plan_of(chain, m.group(), found[0]))
            stats["utf8_as_cp949"] += m.end() - m.start()

    def on_slide(self, slide: Slide, stats: Stats) -> None:
        self._utf8_as_cp949(slide, stats)
        if _HANJA.search(slide.raw):  # UTF-8 read as CP949 leaves hanja: EA-ED lead its hanja rows
            self._hangul_of_deeper_chain(slide, stats)
        for pattern, reason in ((_FFFD, "replacement-character"), (_LOST_IN_WORD, "lost-characters")):
            for m in list(slide.free_matches(pattern)):
                slide.quarantine_span(m.start(), m.end(), reason)
                stats[reason] += 1
