"""Quoted mojibake: a garble shown beside its own repair is an example, not damage.

Documentation, test fixtures and bug reports quote mojibake next to the text it stands
for (``吏?뺣맂 ... = 지정된 ...``, ``("Ã© Ã¨", "é è")``, ``'테스트파일'(NFC) <--> '테스트파일'(NFD)``).
When most of what the mojibake repairs of a line mended (by characters: each mended word,
or a repair's own result of two characters or more) already stands, untouched by any
change, elsewhere on that line, the line is such a quotation, and every mojibake change on
it is taken back; a word of the quote the repairs read wrongly does not outvote the rest.
A line where only a few mended words also stand clean is mixed damage, and stays repaired. The
CID stages are not second-guessed: decks mix a clean and a garbled font in one slide.

    >>> from pipeline.deck import Deck, Slide
    >>> s = Slide("d", 1, "寃곌낵 = 결과\\n寃곌낵")
    >>> s.repair(0, 3, "결과", rule="utf-8>cp949", step="bytes"); s.repair(9, 12, "결과", rule="utf-8>cp949", step="bytes")
    >>> _ = QuotedExamples()(Deck("d", [s]))
    >>> s.text()
    '寃곌낵 = 결과\\n결과'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from pipeline.deck import Slide
from pipeline.step import Stats, Step, load_params

_PUNCTUATION = frozenset("\"'`()[]{}<>,;:=|")  # what separates a quoted word from its neighbours
# the steps whose changes a quotation takes back (the CID steps are not second-guessed)
MOJIBAKE_STEPS = frozenset({"hex-bytes", "bytes", "nfd-jamo"})


def _mojibake_change(change) -> bool:
    return change.step in MOJIBAKE_STEPS


def _word(raw: str, start: int, end: int) -> tuple[int, int]:
    """The word around ``raw[start:end]``: out to white space or ASCII punctuation."""
    while start and not (raw[start - 1].isspace() or raw[start - 1] in _PUNCTUATION):
        start -= 1
    while end < len(raw) and not (raw[end].isspace() or raw[end] in _PUNCTUATION):
        end += 1
    return start, end


@dataclass(frozen=True)
class QuotedParams:
    """The step's parameters (``rules/steps.json``, section ``quoted``)."""

    SECTION = "quoted"
    min_quoted: int
    share: float


class QuotedExamples(Step):
    """Pipeline step: take back mojibake repairs on lines that quote their own repair."""

    name = "quoted"

    def __init__(self, params: Mapping[str, Any] | None = None):
        """``params`` override the ``quoted`` section of ``rules/steps.json``."""
        self.params = load_params(QuotedParams, params)

    def on_slide(self, slide: Slide, stats: Stats) -> None:
        changes = sorted((r for r in slide.repairs if _mojibake_change(r)), key=lambda r: r.start)
        if not changes:
            return
        raw = slide.raw
        verdicts: dict[tuple[int, int], list[tuple[bool, int]]] = {}  # line -> (quoted there?, length) per mended word
        for r in changes:
            ws, we = _word(raw, r.start, r.end)
            repaired = "".join(_applied(raw, ws, we, [c for c in changes if ws <= c.start and c.end <= we]))
            start = raw.rfind("\n", 0, ws) + 1
            end = raw.find("\n", we)
            end = len(raw) if end < 0 else end
            untouched = _untouched(raw, start, end, ws, we, changes + slide.quarantine)
            quoted = [repaired] + ([r.after] if len(r.after) >= self.params.min_quoted else [])
            verdicts.setdefault((start, end), []).append(
                (any(q.strip("\ufffd \t") and q in piece for q in quoted for piece in untouched), len(repaired)))
        lines = dict(line for line, words in verdicts.items()
                     if sum(n for quoted, n in words if quoted) > self.params.share * sum(n for _q, n in words))
        for start, end in lines.items():
            taken = [c for c in slide.repairs + slide.quarantine
                     if start <= c.start and c.end <= end and _mojibake_change(c)]
            for c in taken:
                slide.release(c.start, c.end)
            stats["lines"] += 1
            stats["changes_taken_back"] += len(taken)


def _untouched(raw: str, start: int, end: int, ws: int, we: int, changes) -> list[str]:
    """The stretches of ``raw[start:end]`` outside the word ``raw[ws:we]`` that no change touches."""
    cuts = sorted([(ws, we)] + [(c.start, c.end) for c in changes if start <= c.start and c.end <= end])
    pieces, pos = [], start
    for a, b in cuts:
        pieces.append(raw[pos:a])
        pos = max(pos, b)
    return pieces + [raw[pos:end]]


def _applied(raw: str, start: int, end: int, repairs) -> list[str]:
    out, pos = [], start
    for r in repairs:
        out += [raw[pos : r.start], r.after]
        pos = r.end
    return out + [raw[pos:end]]
