"""The code pages text is misread through, and what each loses: one table for every stage.

A page's table comes from its Python codec (``rules/codepages.json`` names the pages and
the tools' loss behaviours); a *step* of damage is "text encoded as ``encoding``, its
bytes shown through ``page``, the bytes the page cannot show become ``loss``, then the
clean-ups ``after``", and a chain is up to three steps, **outermost first** (the last
wrong decode first, as the repairs' rule names read)::

    >>> garble("자료", parse_chain("utf-8>cp1252/c1"))        # 0x90 is undefined: its C1 control
    'ìž\\x90ë£Œ'
    >>> garble("자료", parse_chain("utf-8>cp1252/dropped"))   # a tool that drops it
    'ìžë£Œ'
    >>> garble("설명", parse_chain("utf-8>cp1252|cp949>latin-1"))  # EUC-KR as latin-1, then UTF-8 as cp1252
    'Â¼Â³Â¸Ã\\xad'

The same table reads text back: ``byte_of`` is the byte a page shows as a character, and
``forward_matches`` is the acceptance test of a repair: garbled again through its chain
(some loss and clean-up the chain's page defines), the reading gives the input exactly.
"""

from __future__ import annotations

import itertools
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from pipeline.models.rule_files import load_json

LOSSES = ("c1", "fallback", "fallback-dropped", "fffd", "dropped", "qmark")
CLEANUPS = ("nel-space", "controls-stripped", "nbsp-space", "quotes-folded", "nfc")
_FOLDED = str.maketrans({"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2018": "'", "\u2019": "'", "\u201a": "'"})


@dataclass(frozen=True)
class CodePage:
    """One page: its codec's table, the bytes it leaves undefined, the losses tools show them with."""

    name: str
    codec: str
    kind: str  # "single" or "double"
    losses: tuple[str, ...]
    after: tuple[str, ...]
    table: dict[int, str] = field(default_factory=dict, compare=False, repr=False)  # byte -> char (single)

    @property
    def undefined(self) -> frozenset[int]:
        """Bytes the page's definition shows as nothing (single-byte pages)."""
        return frozenset(b for b in range(256) if b not in self.table)

    @property
    def chars(self) -> dict[str, int]:
        """Character -> the byte the page shows as it (single-byte pages)."""
        return _chars(self.name)

    def loss_char(self, b: int, loss: str | None) -> str:
        """What a tool with ``loss`` shows for undefined byte ``b``."""
        if loss == "c1":
            return chr(b)
        if loss is not None and loss.startswith("fallback"):
            try:
                return bytes([b]).decode("cp1252")
            except UnicodeDecodeError:  # cp1252 has no glyph either: the loss after the dash, or its latin-1 character
                rest = loss.partition("-")[2]
                return self.loss_char(b, rest) if rest else chr(b)
        if loss == "fffd":
            return "\ufffd"
        if loss == "qmark":
            return "?"
        if loss == "dropped":
            return ""
        raise UnicodeDecodeError(self.codec, bytes([b]), 0, 1, f"byte {b:#04x} undefined in {self.name}")

    def show(self, data: bytes, loss: str | None = None) -> str:
        """``data`` shown through the page; undefined bytes (pairs) as ``loss`` says::

            >>> page("cp874").show("자".encode("utf-8"), "fallback")
            '์ž\\x90'
        """
        if self.kind == "double":
            if loss == "qmark":
                return _qmark_pairs(data, self.codec)
            return data.decode(self.codec, "replace" if loss == "fffd" else "strict")
        table = self.table
        return "".join(table[b] if b in table else self.loss_char(b, loss) for b in data)

    def byte_of(self, ch: str) -> int | None:
        return self.chars.get(ch)


def _qmark_pairs(data: bytes, codec: str) -> str:
    """A double-byte reader that puts one ``?`` for a lead byte and the byte after it that
    make no character (both gone, an ASCII trail too): Windows' and Java's MS949 readers."""
    out, i = [], 0
    while i < len(data):
        b = data[i]
        if b < 0x80:
            out.append(chr(b))
            i += 1
            continue
        try:
            ch = data[i:i + 2].decode(codec)
            ok = len(ch) == 1
        except UnicodeDecodeError:
            ok = False
        out.append(ch if ok else "?")
        i += 2
    return "".join(out)


def clean_up(text: str, cleanups: tuple[str, ...]) -> str:
    """The clean-ups a tool applies to shown text: NEL turned into a space (it is white
    space to Unicode), controls stripped,
    NBSP as a space, curly quotes folded, NFC (a CP949 hanja of a second reading folded
    into the unified ideograph)::

        >>> clean_up("a\\x85b\\x81c\\xa0d", ("nel-space", "controls-stripped", "nbsp-space"))
        'a bc d'
        >>> clean_up("a\\x85b\\x81c", ("controls-stripped",))
        'abc'
    """
    if "nel-space" in cleanups:
        text = text.replace("\x85", " ")
    if "controls-stripped" in cleanups:
        text = "".join(c for c in text if c in "\t\n\r" or unicodedata.category(c) != "Cc")
    if "nbsp-space" in cleanups:
        text = text.replace("\xa0", " ")
    if "quotes-folded" in cleanups:
        text = text.translate(_FOLDED)
    if "nfc" in cleanups:
        text = unicodedata.normalize("NFC", text)
    return text


@lru_cache(maxsize=1)
def _rules() -> dict:
    return load_json("codepages.json")


ENCODINGS: tuple[str, ...] = tuple(_rules()["encodings"])
MAX_CHAIN: int = _rules()["max_chain"]


@lru_cache(maxsize=None)
def page(name: str) -> CodePage:
    """The page named ``name`` in ``rules/codepages.json``; a clear KeyError otherwise."""
    spec = _rules()["pages"].get(name)
    if spec is None:
        raise KeyError(f"unknown code page {name!r}: known are {', '.join(_rules()['pages'])}")
    table = {}
    if spec["kind"] == "single":
        for b in range(256):
            try:
                table[b] = bytes([b]).decode(spec["codec"])
            except UnicodeDecodeError:
                pass
    return CodePage(name, spec["codec"], spec["kind"], tuple(spec["losses"]), tuple(spec["after"]), table)


@lru_cache(maxsize=None)
def _chars(name: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for b, c in page(name).table.items():
        out.setdefault(c, b)
    return out


def pages(kind: str | None = None) -> tuple[CodePage, ...]:
    """Every page of the table (of one ``kind``), in the table's order."""
    return tuple(p for p in map(page, _rules()["pages"]) if kind is None or p.kind == kind)


class Step(NamedTuple):
    """One wrong decode: text encoded as ``encoding``, shown through ``page`` with ``loss``
    for what it cannot show, then ``after`` clean-ups. ``str`` is the rule-name form,
    ``utf-8>cp1252/dropped+nbsp-space``."""

    encoding: str
    page: str
    loss: str | None = None
    after: tuple[str, ...] = ()

    def __str__(self) -> str:
        out = f"{self.encoding}>{self.page}"
        if self.loss:
            out += f"/{self.loss}"
        return out + "".join(f"+{a}" for a in self.after)

    def apply(self, text: str) -> str:
        if self.encoding == "cp949":
            data = text.encode("cp949", "replace")  # what CP949 has no pair for is saved as ?
        else:
            data = text.encode(self.encoding, "surrogatepass")
        return clean_up(page(self.page).show(data, self.loss), self.after)


Chain = tuple  # of Step, outermost first


def parse_chain(rule: str) -> Chain:
    """A chain from its rule name: ``utf-8>cp1252/dropped|cp949>latin-1`` (outermost first)."""
    steps = []
    for part in rule.split("|"):
        enc, _, rest = part.partition(">")
        name, *afters = rest.split("+")
        name, _, loss = name.partition("/")
        steps.append(Step(enc, name, loss or None, tuple(afters)))
    return tuple(steps)


def chain_name(chain: Chain) -> str:
    return "|".join(map(str, chain))


def garble(text: str, chain: Chain) -> str:
    """``text`` damaged by ``chain`` (outermost first: the innermost step is applied first)."""
    for step in reversed(chain):
        text = step.apply(text)
    return text


def variants(step: Step) -> list[Step]:
    """The step with each loss and set of clean-ups its page defines (the step's own first)."""
    p = page(step.page)
    losses = [step.loss] + [x for x in (None, *p.losses) if x != step.loss]
    cleanups = [tuple(c) for n in range(len(p.after) + 1) for c in itertools.combinations(p.after, n)]
    return [Step(step.encoding, step.page, loss, after) for loss in losses for after in cleanups]


def forward_matches(before: str, after: str, chain: Chain) -> Chain | None:
    """The acceptance test of a reading: the variant of ``chain`` (each step with some loss
    and clean-ups its page defines) that garbles ``after`` back into ``before`` exactly, or
    None::

        >>> chain_name(forward_matches("ìžë£Œ", "자료", parse_chain("utf-8>cp1252")))
        'utf-8>cp1252/dropped'
        >>> forward_matches("ìžë£Œ", "자로", parse_chain("utf-8>cp1252")) is None
        True
    """
    for combo in itertools.product(*(variants(s) for s in chain)):
        try:
            if garble(after, combo) == before:
                return tuple(combo)
        except (UnicodeError, LookupError):
            continue
    return None
