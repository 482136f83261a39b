"""Classic mojibake as one step: readers propose, one decision per text disposes.

Text pushed through a wrong code page is read by four *readers*, each the evidence for
one family of readings: the byte lattice for UTF-8 that lost bytes (``lost_bytes.py``),
chains of lossless wrong decodes (``mojibake.py``), ftfy for UTF-8 of any language
(``ftfy_repair.py``), and UTF-8 seen through CP949 (``lost_text.py``). Their proposals
are not the answer. This step decides, for the whole text, with one code-page table
(``pipeline/models/codepages.py``)::

    >>> fix_and_explain("ì„¤ëª… ìžë£Œ")[0]     # one page for the text: UTF-8 as cp1252, 0x90 dropped
    '설명 자료'
    >>> fix_and_explain("ì¤ëª ìë£")[0]       # latin-1 without its C1 bytes: 자료 cannot be told
    '설명 �'

1. **One page per text.** The page a text was shown through last (``cp1252``) is one for
   the whole text, whatever bytes lay under each span; it is the page whose readings
   explain the most characters. A line keeps another only where its own evidence is
   clearly apart: no reading by the text's page on it and at least ``min_line_evidence``
   characters read by its own. Readings by any other page are withdrawn, unless they also
   garble back through the text's page (``ÆR`` is 힣 through latin-1 and cp1254 alike).
2. **Checked forward.** A reading is accepted only if garbling it back through its chain,
   with a loss and clean-ups the chain's page defines (``codepages.forward_matches``),
   gives the input exactly; ftfy's readings must replay their plan.
3. **Whole words or nothing.** A Korean word (a run of non-ASCII characters, joined where
   a reading spans it) that holds a reading beside a lost piece, or beside characters of
   garble left unread, is quarantined whole, its partial reading kept as the alternative:
   never a word of repaired syllables, misread ones and U+FFFD side by side. (A word of
   another script keeps ftfy's reading as ftfy gives it, U+FFFD included: ftfy is the
   reference there.)
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Mapping

from pipeline.deck import PLACEHOLDER, Deck, Quarantine, Repair, Slide
from pipeline.models import codepages
from pipeline.models.hangul import HANGUL
from pipeline.repair.ftfy_repair import FtfyRepair
from pipeline.repair.lost_bytes import LostBytes
from pipeline.repair.lost_text import LostText
from pipeline.repair.mojibake import KoreanLegacy
from pipeline.step import Stats, Step, load_params

_SPACE = re.compile(r"\s+")
# a reader's page name -> the table's page and the loss it implies (mojibake.View, lost_bytes.Page)
_PAGE_ALIASES = {"shift_jis": "shift-jis", "latin-1-c1": "latin-1", "cp874+cp1252": "cp874",
                 "iso-8859-7+cp1253": "iso-8859-7", "latin-1+cp1252": "latin-1"}
_FTFY_CODECS = {"sloppy-windows-": "cp", "windows-": "cp", "iso-8859-": "iso-8859-"}


@dataclass(frozen=True)
class Params:
    """The step's parameters (``rules/steps.json``, section ``bytes``)."""

    SECTION = "bytes"
    min_line_evidence: int


def _page_name(name: str) -> str | None:
    name = _PAGE_ALIASES.get(name.rstrip("~"), name.rstrip("~"))
    try:
        codepages.page(name)
    except KeyError:
        return None
    return name


def reader_chain(rule: str) -> codepages.Chain | None:
    """The table's chain of a reader's rule name (None for a rule no chain of pages names)::

        >>> codepages.chain_name(reader_chain("utf-8>cp1252|cp949>latin-1~"))
        'utf-8>cp1252|cp949>latin-1'
        >>> codepages.chain_name(reader_chain("utf-8-dropped>cp1252+lattice+lost"))
        'utf-8>cp1252'
    """
    steps = []
    for part in rule.split("|"):
        enc, sep, page = part.partition(">")
        if not sep:
            return None
        enc = enc.removesuffix("-dropped")
        page = page.split("+lattice")[0].split("+lost")[0].rstrip("?")
        name = _page_name(page)
        if enc not in codepages.ENCODINGS or name is None:
            return None
        steps.append(codepages.Step(enc, name))
    return tuple(steps)


def ftfy_chain(plan: list[list[str]] | None) -> codepages.Chain | None:
    """The chain of an ftfy plan made only of (encode page, decode UTF-8) pairs, else None."""
    if not plan or len(plan) % 2:
        return None
    steps = []
    for (kind, codec), (kind2, enc) in zip(plan[::2], plan[1::2]):
        if kind != "encode" or kind2 != "decode" or enc != "utf-8":
            return None
        name = codec
        for prefix, short in _FTFY_CODECS.items():
            if codec.startswith(prefix):
                name = short + codec[len(prefix):]
                break
        name = _page_name(name)
        if name is None:
            return None
        steps.append(codepages.Step(enc, name))
    return tuple(steps)


@lru_cache(maxsize=4096)
def _chain_by_rule(rule: str, plan: tuple[tuple[str, ...], ...] | None) -> codepages.Chain | None:
    return ftfy_chain([list(s) for s in plan] if plan else None) if rule == "ftfy" else reader_chain(rule)


def chain_of(r: Repair) -> codepages.Chain | None:
    """The table's chain a repair names: by its plan for ftfy's, by its rule for the others'
    (a text's repairs share a few rules: parsed once)."""
    return _chain_by_rule(r.rule, tuple(map(tuple, r.plan)) if r.rule == "ftfy" and r.plan else None)


def outermost(change: Repair | Quarantine) -> str | None:
    """The page a change says the text was shown through last (``cp1252``): one for a whole
    text, whatever its spans' bytes were (UTF-8 lines and EUC-KR lines of a merge, both
    shown as Mac Roman; pairs a CP949 reader kept, beside its ``?``, are UTF-8 as they were)."""
    chain = chain_of(change) if isinstance(change, Repair) else None
    return chain[0].page if chain else None


def forward_ok(r: Repair) -> bool:
    """Whether a repair garbles back into its input through its chain (ftfy's: its plan replays)."""
    chain = chain_of(r)
    if r.rule == "ftfy":
        if chain is None:
            return True  # a plan with ftfy's own fixers: it replayed when the reader made it
        return codepages.forward_matches(r.before, r.after, chain) is not None or _replays(r)
    if chain is None:
        return True  # not a page's reading (hex tokens, U+FFFD read as CP949): the reader's own test
    if PLACEHOLDER in r.after:
        return True  # a reading with a lost character: its word is decided below
    return any(codepages.forward_matches(r.before, r.after, c) is not None for c in _with_lost_pairs(chain, r.before))


def _with_lost_pairs(chain: codepages.Chain, before: str) -> list[codepages.Chain]:
    """The chain, and where the text shows ``?`` beside UTF-8 shown through a single-byte
    page, the chain with a CP949 reader's ``?`` under it (UTF-8 read as CP949, lost pairs as
    ``?``, saved as CP949: the pairs it kept are the UTF-8 bytes as they were)."""
    out = [chain]
    first = chain[0]
    if "?" in before and first.encoding == "utf-8" and codepages.page(first.page).kind == "single":
        out.append((codepages.Step("cp949", first.page), codepages.Step("utf-8", "cp949", "qmark"), *chain[1:]))
    return out


def _explained_by(r: Repair, page: str | None) -> bool:
    """Whether the reading also garbles back through ``page`` as the outermost page (``ÆR``
    is 힣 by EUC-KR shown as latin-1 and as cp1254 alike): then it is the text's reading too."""
    chain = chain_of(r)
    if page is None or not chain:
        return False
    moved = (chain[0]._replace(page=page), *chain[1:])
    return codepages.forward_matches(r.before, r.after, moved) is not None


def _replays(r: Repair) -> bool:
    import ftfy

    try:
        return ftfy.apply_plan(r.before, [tuple(s) for s in r.plan]) == r.after
    except (LookupError, UnicodeError, ValueError):
        return False


def _garble_left(c: str) -> bool:
    """A character that, left unread inside a word with a reading, is garble: a letter that is
    not Hangul, a mark, a control or U+FFFD (punctuation and symbols stand beside Korean)."""
    if c.isascii() or HANGUL.match(c):
        return False
    return c == PLACEHOLDER or unicodedata.category(c)[0] in "LMC"


class ByteRepair(Step):
    """Pipeline step ``bytes``: classic mojibake, read by four readers, decided once per text."""

    name = "bytes"

    def __init__(self, params: Mapping[str, Any] | None = None, *, lost_bytes=None, byte_lattice=None,
                 legacy=None, lost_text=None):
        """``params`` override section ``bytes`` of ``rules/steps.json``; the others the
        sections of the readers (``lost-bytes``, ``byte-lattice``, ``legacy-mojibake``, ``lost-text``)."""
        self.params = load_params(Params, params)
        self.readers = (LostBytes(lost_bytes, byte_lattice), KoreanLegacy(legacy), FtfyRepair(),
                        LostText(lost_text, legacy))

    def run(self, deck: Deck, stats: Stats) -> None:
        proposed: list[tuple[Slide, int, int]] = []
        for slide in deck.suspects():
            marks = len(slide.repairs), len(slide.quarantine)
            for reader in self.readers:
                reader.on_slide(slide, stats)
            proposed.append((slide, *marks))
        page = self._text_page(proposed)
        for slide, r0, q0 in proposed:
            if len(slide.repairs) == r0 and len(slide.quarantine) == q0:
                continue
            self._decide(slide, r0, q0, page, stats)

    @staticmethod
    def _text_page(proposed) -> str | None:
        """The page the whole text was shown through last: the one whose readings explain the
        most characters (ties: the first met)."""
        weight: Counter[str] = Counter()
        for slide, r0, _q0 in proposed:
            for r in slide.repairs[r0:]:
                shown = outermost(r)
                if shown is not None:
                    weight[shown] += r.end - r.start
        return weight.most_common(1)[0][0] if weight else None

    def _decide(self, slide: Slide, r0: int, q0: int, text_page: str | None, stats: Stats) -> None:
        mine = slide.repairs[r0:]
        line_of = _line_index(slide.raw)
        lines = _line_pages(mine, line_of, text_page, self.params.min_line_evidence)
        for r in mine:
            shown = outermost(r)
            page = lines.get(line_of(r.start), text_page)
            if shown is not None and shown != page and not _explained_by(r, page):
                stats["other_page_withdrawn"] += 1
                slide.withdraw(r)
            elif not forward_ok(r):
                stats["forward_check_failed"] += 1
                slide.withdraw(r)
        self._whole_words(slide, r0, q0, stats)

    def _whole_words(self, slide: Slide, r0: int, q0: int, stats: Stats) -> None:
        raw = slide.raw
        mine = sorted([*slide.repairs[r0:], *slide.quarantine[q0:]], key=lambda c: c.start)
        if not mine:
            return
        every = [*slide.repairs, *slide.quarantine]  # a word this step touched is its to decide whole
        for start, end in _words(raw, mine):
            inside = [c for c in every if start <= c.start and c.end <= end]
            repairs = [c for c in inside if isinstance(c, Repair)]
            if not repairs:
                continue
            lost = any(isinstance(c, Quarantine) for c in inside) or any(PLACEHOLDER in r.after for r in repairs)
            covered = set()
            for c in inside:
                covered.update(range(c.start, c.end))
            left = any(_garble_left(raw[i]) for i in range(start, end) if i not in covered)
            if not lost and not left:
                continue
            partial = _applied(raw, start, end, inside)
            if not HANGUL.search(partial):
                continue  # not a Korean word: ftfy's reading stands as ftfy gives it (българ�ки)
            readings = _word_readings(raw, start, end, inside)
            for c in inside:
                slide.withdraw(c)
            if slide.is_free(start, end):
                slide.quarantine_span(start, end, "lost-bytes", readings)
            else:  # a change reaches past the word: its pieces are quarantined
                for c in inside:
                    slide.quarantine_span(c.start, c.end, "lost-bytes", readings)
            stats["words_quarantined_whole"] += 1


def _line_index(raw: str):
    """``raw`` offset -> its line number (bisect over the line breaks, found once)."""
    breaks = [m.start() for m in re.finditer("\n", raw)]
    return lambda offset: bisect.bisect_left(breaks, offset)


def _line_pages(repairs: list[Repair], line_of, text_page: str | None, min_evidence: int) -> dict[int, str]:
    """Lines whose evidence is clearly apart from the text's page: no reading by it, and at
    least ``min_evidence`` characters read by their own: line -> that page."""
    per_line: dict[int, Counter[str]] = {}
    for r in repairs:
        shown = outermost(r)
        if shown is not None:
            per_line.setdefault(line_of(r.start), Counter())[shown] += r.end - r.start
    out = {}
    for line, weight in per_line.items():
        if text_page in weight:
            continue
        shown, n = weight.most_common(1)[0]
        if n >= min_evidence:
            out[line] = shown
    return out


def _in_word(c: str) -> bool:
    """Whether ``c`` continues a word of Korean text: not white space, and not ASCII other
    than ``?`` (a lost pair's mark): an identifier or a bracket glued to Korean is its own word."""
    return not c.isspace() and (not c.isascii() or c == "?")


def _words(raw: str, changes) -> list[tuple[int, int]]:
    """Spans of the words that hold changes: runs of non-ASCII characters (and ``?``) between
    white space and ASCII, joined where a change spans them."""
    spans = []
    for c in changes:
        a, b = c.start, c.end
        while a > 0 and _in_word(raw[a - 1]):
            a -= 1
        while b < len(raw) and _in_word(raw[b]):
            b += 1
        if spans and a <= spans[-1][1] and (a < spans[-1][1] or c.start < spans[-1][1]):
            spans[-1] = (spans[-1][0], max(b, spans[-1][1]))
        else:
            spans.append((a, b))
    return spans


ALTERNATIVES = 3  # readings a word quarantined whole lists


def _word_readings(raw: str, start: int, end: int, changes) -> tuple[str, ...]:
    """The word's best readings, best first: the readings around it, each lost piece read as
    one of the rivals its reader listed (the others as their best): none where a lost piece
    had no rivals (nothing the model could offer)."""
    lost = [c for c in changes if isinstance(c, Quarantine)]
    if not lost or any(not q.alternatives for q in lost):
        return ()
    out: list[str] = []
    for q in lost:
        for rival in q.alternatives:
            picks = {id(x): (rival if x is q else x.alternatives[0]) for x in lost}
            text = _applied(raw, start, end, changes, picks)
            if text not in out and PLACEHOLDER not in text:
                out.append(text)
    return tuple(out[:ALTERNATIVES]) if len(out) > 1 else ()


def _applied(raw: str, start: int, end: int, changes, picks: dict | None = None) -> str:
    out, pos = [], start
    for c in sorted(changes, key=lambda c: c.start):
        out.append(raw[pos:c.start])
        out.append(c.after if isinstance(c, Repair) else (picks or {}).get(id(c), PLACEHOLDER))
        pos = c.end
    out.append(raw[pos:end])
    return "".join(out)


def fix_and_explain(text: str) -> tuple[str, list[tuple[str, str, str]]]:
    """Run this step on one string: the text and (rule, before, after) per repair."""
    slide = Slide("-", 1, text)
    ByteRepair()(Deck("-", [slide]))
    return slide.text(), [(r.rule, r.before, r.after) for r in sorted(slide.repairs, key=lambda r: r.start)]
