"""Damage simulator: turn clean text into what a CID-keyed PDF without ToUnicode gives.

The font is one of the collections of ``rules/cid_profiles/`` (``profile``; Adobe-Korea1 by
default). Tokens holding letters of the collection's language (Hangul for Adobe-Korea1,
kana and kanji for Adobe-Japan1, hanzi for Adobe-GB1 and Adobe-CNS1: the profile's
``letters`` classes) are taken to be set in that CJK font: each of their non-ASCII
characters that has a glyph in the collection comes out as its CID, CJK punctuation and
fullwidth forms included (``、`` is CID 634 in Adobe-Japan1), and so does an ideographic
space beside such a token. Glyphs whose CID is below 128 (the KS punctuation ``、。…“”``
and friends in Adobe-Korea1, ``、。“”`` in Adobe-GB1) would come out as plain ASCII, which
nobody can tell from real ASCII; decks set those in the Latin font, and so does the
simulator. Options add the rest of the damage seen in real transcripts::

    >>> garble("김준성 (Junseong)")
    'ӣળࢿ (Junseong)'
    >>> garble("Compose를", shift_ascii=1.0)
    '$PNQPTFܳ'
    >>> garble("세션들을")          # NFC-normalized afterwards, as the real transcripts were
    'ࣁٜ࣌ਸ'
    >>> garble("“품질” github.com/kim", korean_font=True)
    'tಿ\u0ad5uHJUIVCDPNLJN'
    >>> garble("開発のためのDX、技術", profile="adobe-japan1")
    '։ൃͷͨΊͷDXɺٕज़'
    >>> garble("持続的なアプリ開発 DroidKaigi", profile="adobe-japan1", cjk_font=True)
    '࣋ଓతͳΞϓϦ։ൃ%SPJE,BJHJ'

``shift_ascii``   probability that the ASCII of a CJK-font token is in the CJK font too
                  (CID = ord(c) - 31); characters whose CID is below 32 become control
                  characters.
``shift_words``   probability that a plain English word is in the CJK font.
``cjk_font``      the whole text is set in the CJK font: Latin is shifted, the symbols
                  whose CID is below 128 come out as ASCII (“ is ``t`` in Adobe-Korea1),
                  and spaces, digits and most punctuation (CIDs below 32) become control
                  characters. ``korean_font`` is its older name, and means the same.
``drop_controls`` drop those control characters, as extractors do (words run together).
``nfc``           NFC-normalize the result (composition exclusions decompose, combining
                  marks are reordered).
"""

from __future__ import annotations

import itertools
import random
import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

from pipeline.models import codepages
from pipeline.models.cid_profile import DEFAULT_PROFILE, load_profile

_TOKEN = re.compile(r"\S+")


@lru_cache(maxsize=8)
def letter_pattern(profile: str = DEFAULT_PROFILE) -> re.Pattern:
    """A regex matching the characters whose glyph in the collection is one of its letters
    (a CID of a ``letters`` class): the characters that put a token in the CJK font::

        >>> bool(letter_pattern().search("한")), bool(letter_pattern("adobe-japan1").search("の"))
        (True, True)
        >>> bool(letter_pattern("adobe-gb1").search("の")), bool(letter_pattern("adobe-gb1").search("中"))
        (False, True)
    """
    prof = load_profile(profile)
    cps = sorted(ord(ch) for ch, cid in prof.from_char.items()
                 if len(ch) == 1 and prof.cid_class.get(cid) in prof.letters)
    spans: list[list[int]] = []
    for cp in cps:
        if spans and cp == spans[-1][1] + 1:
            spans[-1][1] = cp
        else:
            spans.append([cp, cp])
    body = "".join(re.escape(chr(lo)) if lo == hi else f"{re.escape(chr(lo))}-{re.escape(chr(hi))}"
                   for lo, hi in spans)
    return re.compile(f"[{body}]")


def garble(
    text: str,
    *,
    profile: str = DEFAULT_PROFILE,
    seed: int = 0,
    shift_ascii: float = 0.0,
    shift_words: float = 0.0,
    cjk_font: bool = False,
    korean_font: bool = False,
    drop_controls: bool = True,
    nfc: bool = True,
) -> str:
    """Garble ``text`` as a CID-keyed font of ``profile``'s collection without ToUnicode
    would (deterministic per seed). ``korean_font`` is the older name of ``cjk_font``."""
    prof = load_profile(profile)
    letters = letter_pattern(profile)
    rng = random.Random(seed)

    def cid_char(ch: str) -> str:
        cid = prof.cid_of(ch) if ch >= "\x80" else None
        return ch if cid is None or cid < 128 else chr(cid)

    def shifted(ch: str) -> str:
        cid = prof.cid_of(ch) if "\x20" <= ch <= "\x7e" else None
        if cid is None:
            return ch
        return "" if cid < 32 and drop_controls else chr(cid)

    if cjk_font or korean_font:
        def glyph(ch: str) -> str:
            cid = prof.cid_of(ch)
            return ch if cid is None else "" if cid < 32 and drop_controls else chr(cid)

        result = "".join(map(glyph, text))
        return unicodedata.normalize("NFC", result) if nfc else result

    def gap(between: str, cjk: bool) -> str:
        # an ideographic space (U+3000) is a glyph of the font of the text beside it
        return "".join(cid_char(c) if c == "\u3000" else c for c in between) if cjk else between

    out, pos, cjk_before = [], 0, False
    for m in _TOKEN.finditer(text):
        tok = m.group()
        cjk = bool(letters.search(tok))
        out.append(gap(text[pos : m.start()], cjk or cjk_before))
        cjk_before = cjk
        if cjk:
            shift = rng.random() < shift_ascii
            out.append("".join(shifted(c) if shift and c < "\x80" else cid_char(c) for c in tok))
        elif tok.isascii() and tok.isalpha() and rng.random() < shift_words:
            out.append("".join(shifted(c) for c in tok))
        else:
            out.append(tok)
        pos = m.end()
    out.append(gap(text[pos:], cjk_before))
    result = "".join(out)
    return unicodedata.normalize("NFC", result) if nfc else result


# -- classic mojibake ------------------------------------------------------------------------

def show(data: bytes, page: str, fallback: str | None = "cp1252", drop: bool = False) -> str:
    """Bytes shown through single-byte ``page``; bytes it leaves undefined show through
    ``fallback`` (then as their latin-1 character), or vanish with ``drop``."""
    out = []
    for b in data:
        try:
            out.append(bytes([b]).decode(page))
            continue
        except UnicodeDecodeError:
            pass
        if drop:
            continue
        try:
            out.append(bytes([b]).decode(fallback or "latin-1"))
        except UnicodeDecodeError:
            out.append(chr(b))
    return "".join(out)


def ms949_qmarks(data: bytes) -> str:
    """Bytes read the way Windows' MS949 readers do: a lead byte and the byte after it that
    make no character become one ``?``, both bytes gone (an ASCII byte swallowed too): the
    code-page table's ``cp949`` page with its ``qmark`` loss."""
    from pipeline.models.codepages import page

    return page("cp949").show(data, "qmark")


def _hex_tokens(data: bytes) -> str:
    return "".join(f"<{b:02x}>" for b in data)


# kind -> (what it is, how to make it)
MOJIBAKE = {
    "euc-kr-as-latin-1": ("EUC-KR/CP949 bytes shown as latin-1", lambda t: show(t.encode("cp949"), "latin-1")),
    "euc-kr-as-cp1252": ("EUC-KR/CP949 bytes shown as cp1252", lambda t: show(t.encode("cp949"), "cp1252")),
    "euc-kr-as-cp1253": ("EUC-KR/CP949 bytes shown as cp1253 (Greek)", lambda t: show(t.encode("cp949"), "cp1253")),
    "euc-kr-as-iso-8859-7": ("EUC-KR/CP949 bytes shown as ISO-8859-7",
                             lambda t: show(t.encode("cp949"), "iso-8859-7")),
    "utf-8-as-cp874": ("UTF-8 shown as cp874 (Thai), cp1252 for its undefined bytes",
                       lambda t: show(t.encode("utf-8"), "cp874")),
    "utf-8-as-iso-8859-15": ("UTF-8 shown as ISO-8859-15", lambda t: show(t.encode("utf-8"), "iso-8859-15")),
    "utf-8-as-cp1252": ("UTF-8 shown as cp1252", lambda t: show(t.encode("utf-8"), "cp1252")),
    "utf-8-as-cp1252-dropped": ("UTF-8 shown as cp1252, its undefined bytes dropped",
                                lambda t: show(t.encode("utf-8"), "cp1252", drop=True)),
    "utf-8-as-latin-1-c1-dropped": ("UTF-8 shown as latin-1, C1 control characters stripped",
                                    lambda t: "".join(c for c in show(t.encode("utf-8"), "latin-1")
                                                      if not "\x80" <= c <= "\x9f")),
    "chain-2": ("EUC-KR as latin-1, then that text's UTF-8 as cp1252",
                lambda t: show(show(t.encode("cp949"), "latin-1").encode("utf-8"), "cp1252")),
    "chain-3": ("EUC-KR as ISO-8859-7, then UTF-8 as cp1252, twice",
                lambda t: show(show(show(t.encode("cp949"), "iso-8859-7").encode("utf-8"), "cp1252")
                               .encode("utf-8"), "cp1252")),
    "hex-bytes": ("UTF-8 bytes shown as <xx> tokens", lambda t: _hex_tokens(t.encode("utf-8"))),
    "utf-8-as-cp949": ("UTF-8 read as CP949", lambda t: t.encode("utf-8").decode("cp949", "replace")),
    "utf-8-as-cp949-resaved": ("U+FFFD saved as UTF-8, read as CP949 (占쏙옙)",
                               lambda t: ("\ufffd" * len(t)).encode("utf-8").decode("cp949", "replace")),
    "nfd-jamo": ("decomposed Hangul (NFD, macOS file names)", lambda t: unicodedata.normalize("NFD", t)),
    # losses on top of a wrong page (pipeline/repair/lost_bytes.py)
    "utf-8-as-cp1252-nbsp-space": ("UTF-8 shown as cp1252, then each NBSP (byte A0) turned into a space",
                                   lambda t: show(t.encode("utf-8"), "cp1252").replace("\xa0", " ")),
    "utf-8-as-cp1251-fffd": ("UTF-8 shown as cp1251, its undefined byte (98) as U+FFFD",
                             lambda t: t.encode("utf-8").decode("cp1251", "replace")),
    "utf-8-as-cp949-qmarks": ("UTF-8 read by an MS949 reader: ? for each pair it cannot read",
                              lambda t: ms949_qmarks(t.encode("utf-8"))),
    "utf-8-as-cp949-qmarks-as-cp1253": ("UTF-8 read by an MS949 reader (?), saved, shown as cp1253",
                                        lambda t: show(ms949_qmarks(t.encode("utf-8")).encode("cp949"), "cp1253",
                                                       drop=True)),
}


def mojibake(text: str, kind: str) -> str:
    """``text`` damaged the way ``kind`` (a key of ``MOJIBAKE``) describes::

        >>> mojibake("안녕하세요", "euc-kr-as-latin-1")
        '¾È³çÇÏ¼¼¿ä'
    """
    return MOJIBAKE[kind][1](text)


def shows_as_itself(ch: str, profile: str = DEFAULT_PROFILE) -> bool:
    """Whether a character the simulated font emitted is one decks also use as itself (a
    symbol, punctuation, kana: the ranges ``rules/cid_detection.json`` lists as genuine),
    or one no CID of the collection gives: garbled so, nobody can tell it was a CID.
    The sample builder labels such damage ``ambiguous-symbol`` from this record of what
    the simulator emitted::

        >>> shows_as_itself("²"), shows_as_itself("ӣ")
        (True, False)
    """
    from pipeline.models.rule_files import load_json

    cp = ord(ch)
    ranges = load_json("cid_detection.json")["genuine_common"]["ranges"]
    if any(int(lo, 16) <= cp <= int(hi, 16) for lo, hi in ranges):
        return True
    return cp >= 0x80 and load_profile(profile).char_class(ch) is None


# -- the grid of code-page mojibake (pipeline/models/codepages.py) ----------------------------

# Korean tech prose with English words, digits and punctuation, written for the grid
# (bench/mojibake_grid.py, which takes the first two paragraphs by default: they hold
# digits, %, brackets, curly quotes and 똠, a UHC syllable outside KS X 1001 whose CP949
# trail byte is ASCII). Every character is in CP949: the EUC-KR kinds save it losslessly.
MOJIBAKE_SOURCE = """\
지난 분기에 우리 팀은 검색 서비스의 응답 시간을 줄이는 일에 매달렸습니다. 평균 지연은 240ms에서 95ms로 내려갔고, 상위 1% 요청도 절반 가까이 빨라졌습니다. 핵심은 캐시(cache) 계층을 새로 설계한 것입니다: 자주 묻는 질의는 메모리에 두고, 드문 질의는 디스크 색인에서 곧장 읽도록 나눴습니다.

그리고 소소한 소식 하나: 점심 메뉴 투표에서 똠얌꿍이 김치찌개를 7표 차로 이겼습니다. “꽥” 소리를 낸 사람이 누구인지는 비밀입니다. 다음 모임은 3월 14일(목) 오후 2시, 2층 회의실에서 엽니다.

발표가 끝난 뒤 질문도 몇 개 받았습니다. “왜 Redis 대신 직접 만든 저장소를 썼나요?”라는 물음에는, 키가 너무 많아 비용이 맞지 않았다고 답했습니다. “테스트는 어떻게 하나요?”에는 매일 새벽 3시에 시나리오 800여 개를 자동으로 돌린다고 했습니다.

배포 방식도 바꿨습니다. 예전에는 금요일 밤마다 서버 12대를 손으로 하나씩 껐다 켰지만, 이제는 Kubernetes가 롤링 업데이트를 맡습니다. 새 버전이 실패하면 5분 안에 이전 상태로 되돌립니다. 덕분에 야근이 눈에 띄게 줄었고, 장애 보고서도 석 달째 한 건도 없습니다.

다음 목표는 로그 분석입니다. 하루에 쌓이는 로그가 약 3.5TB인데, 지금은 그중 일부만 훑어봅니다. Spark 작업을 잘게 쪼개 병렬로 돌리고, 이상 징후를 찾는 작은 모델을 붙여 볼 계획입니다. 혹시 비슷한 경험이 있다면 꼭 알려 주세요!"""
MOJIBAKE_PARAGRAPHS: tuple[str, ...] = tuple(MOJIBAKE_SOURCE.split("\n\n"))


class MojibakeKind(NamedTuple):
    """One kind of the grid: ``name`` is ``codepages.chain_name(chain)`` (so it round-trips
    through ``codepages.parse_chain``), ``chain`` its steps outermost first, ``family`` which
    group of ``mojibake_kinds`` it comes from."""

    name: str
    chain: tuple
    family: str


def _one_step_kinds():
    for p in codepages.pages():
        for enc in codepages.ENCODINGS:
            if enc == p.name:
                continue  # UTF-8 read as UTF-8, CP949 as CP949: no damage
            for loss in (None, *p.losses):
                for after in ((), *((c,) for c in p.after)):
                    yield (codepages.Step(enc, p.name, loss, after),), "one-step"


def _chain_kinds():
    Step = codepages.Step
    for p in codepages.pages("single"):
        for loss in p.losses or (None,):  # None gives what c1 gives wherever it garbles at all
            inner = Step("cp949", p.name, loss)
            for outer in ("c1", "dropped"):
                yield (Step("utf-8", "cp1252", outer), inner), "euc-kr-then-utf-8-as-cp1252"
                yield (Step("utf-8", "cp1252", outer),) * 2 + (inner,), "euc-kr-then-utf-8-as-cp1252-twice"
    qmarks = Step("utf-8", "cp949", "qmark")
    for name in ("cp1253", "mac-roman", "cp1252"):
        for loss in codepages.page(name).losses or (None,):
            yield (Step("cp949", name, loss), qmarks), "ms949-qmarks-resaved"
    fffd = Step("cp949", "utf-8", "fffd")
    yield (fffd,), "euc-kr-as-utf-8"
    yield (Step("utf-8", "cp949", "fffd"), fffd), "fffd-resaved-as-cp949"


def mojibake_kinds(max_chain: int | None = None):
    """Every (chain, loss) kind of code-page mojibake, as ``MojibakeKind(name, chain, family)``,
    each name once, chains of at most ``max_chain`` steps (``codepages.MAX_CHAIN`` by default).

    ``one-step``: for every page of ``rules/codepages.json`` and every encoding, the text's
    bytes shown through the page with no loss (strict: where an undefined byte is hit,
    ``codepages.garble`` raises UnicodeError and the cell does not exist for that text) and
    with each of the page's own losses, each alone and with each of its clean-ups. Skipped:
    UTF-8 read as UTF-8 and CP949 as CP949 (no damage). Then the real chains: EUC-KR shown
    through a single-byte page (each of its losses; no loss where it has none) and that
    text's UTF-8 shown through cp1252 once or twice (c1 or dropped); UTF-8 read by an MS949
    reader (``?``), saved as CP949 and shown through cp1253, mac-roman or cp1252; EUC-KR read
    as UTF-8 (U+FFFD), and that text saved as UTF-8 and read as CP949 (占쏙옙)::

        >>> kinds = {k.name: k for k in mojibake_kinds()}
        >>> "cp949>latin-1" in kinds, "utf-8>cp1252/dropped+nbsp-space" in kinds
        (True, True)
        >>> kinds["utf-8>cp949/fffd|cp949>utf-8/fffd"].family
        'fffd-resaved-as-cp949'
        >>> max(len(k.chain) for k in mojibake_kinds(max_chain=1))
        1
    """
    limit = codepages.MAX_CHAIN if max_chain is None else max_chain
    seen = set()
    for chain, family in itertools.chain(_one_step_kinds(), _chain_kinds()):
        name = codepages.chain_name(chain)
        if len(chain) <= limit and name not in seen:
            seen.add(name)
            yield MojibakeKind(name, chain, family)


def _unshow(shown: str, p, loss: str | None) -> bytes | None:
    """The bytes ``shown`` came from through page ``p`` with ``loss``, or None where a
    character cannot be read back to one byte sequence."""
    if p.kind == "double":
        try:
            return shown.encode(p.codec)
        except UnicodeEncodeError:
            return None
    back: dict[str, int | None] = dict(p.chars)
    for b in p.undefined if loss else ():
        c = p.loss_char(b, loss)  # c1, fallback: a character of its own for the byte
        if len(c) == 1 and c not in "\ufffd?":  # U+FFFD and ? always mean lost
            back[c] = None if c in back else b  # a page character (or another byte's) too: ambiguous
    out = bytearray()
    for c in shown:
        b = back.get(c)
        if b is None:
            return None
        out.append(b)
    return bytes(out)


def determinable(text: str, chain) -> bool:
    """Whether ``codepages.garble(text, chain)`` loses nothing: every step, innermost first,
    can be read back exactly on this text. A step is lossless when its encoding saves the
    text as is (CP949 has every character), the shown text reads back through the page to
    exactly the bytes (no byte dropped or shown as U+FFFD or ``?``; a c1 or fallback
    character is read back unless the page shows another byte as it too), and its clean-ups
    change nothing (a tool's output does not tell a space from a folded NBSP). Raises
    UnicodeError where ``chain`` cannot garble ``text`` (a strict step hits an undefined
    byte), as ``garble`` does::

        >>> P = codepages.parse_chain
        >>> determinable("자료", P("utf-8>cp1252/c1")), determinable("자료", P("utf-8>cp1252/dropped"))
        (True, False)
        >>> determinable("안녕", P("utf-8>cp1252/dropped"))    # EC 95 88 EB 85 95: nothing to drop
        True
        >>> determinable("저", P("utf-8>cp1252/c1+nbsp-space"))  # EC A0 80: its NBSP became a space
        False
        >>> determinable("안녕", P("utf-8>cp949/fffd|cp949>utf-8/fffd"))
        False
    """
    ok = True
    for step in reversed(chain):
        p = codepages.page(step.page)
        out = step.apply(text)  # raises where the chain cannot garble text
        if ok:
            try:
                data = text.encode(step.encoding, "strict" if step.encoding == "cp949" else "surrogatepass")
            except UnicodeEncodeError:
                ok = False
            else:
                shown = p.show(data, step.loss)
                ok = codepages.clean_up(shown, step.after) == shown and _unshow(shown, p, step.loss) == data
        text = out
    return ok
