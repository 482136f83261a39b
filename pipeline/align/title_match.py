"""How well a notes heading names a paper title, in [0, 1], and by which method.

    >>> title_score("BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding", "BERT")
    (0.95, 'short-name')
    >>> title_score("The Evolved Transformer", "Evolved Transformet")[1]
    'fuzzy'
    >>> title_score("Streaming End-to-End Speech Recognition for Mobile Devices",
    ...             "스트리밍 엔드 투 엔드 스피치 인식 포 모바일 디바이스")[1]
    'transliteration'

Methods, tried in order: ``exact`` (after normalization), ``short-name`` (the part before
the colon, or a leading name like BERT), ``acronym`` (LoRA for Low-Rank Adaptation),
``contained`` (one is the other with words added), ``fuzzy`` (misspellings), and for a
Hangul heading ``transliteration``: each Hangul word is matched to an English word by a
phonetic key both sides share (스피치 ~ speech: S P C) or through the glossary of
translated ML terms in ``rules/ml_glossary.json`` (인식 = recognition).
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache

from pipeline.align.params import AlignParams, align_params
from pipeline.models.hangul import FIRST, SYLLABLES
from pipeline.models.hangul import HANGUL as _HANGUL
from pipeline.models.rule_files import load_json

_WORD = re.compile(f"[A-Za-z0-9]+|[{SYLLABLES}]+")
STOP = frozenset("a an the of for with via to in on and by from at".split())
GLOSS_PREFIX = 7


def words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def normalize(text: str) -> str:
    ws = words(text)
    while ws and ws[0] in ("the", "a", "an"):
        ws = ws[1:]
    return " ".join(ws)


@lru_cache(maxsize=1)
def glossary() -> dict[str, list[str]]:
    return load_json("ml_glossary.json")["terms"]


# -- phonetic keys -------------------------------------------------------------------------

_INITIAL = "K K N T T L M P P S S _ C C C K T P H".split()  # ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ
_FINAL = ["", "K", "K", "KS", "N", "NC", "NH", "T", "L", "LK", "LM", "LP", "LS", "LT", "LP", "LH", "M", "P", "PS",
          "T", "T", "NG", "T", "T", "K", "T", "P", "T"]
_EN_RULES = [("tion", "SN"), ("sion", "SN"), ("ph", "P"), ("th", "S"), ("sh", "S"), ("ch", "C"), ("ck", "K"),
             ("ng", "G"), ("qu", "K"), ("x", "KS")]
_EN_LETTER = {"b": "P", "p": "P", "f": "P", "v": "P", "d": "T", "t": "T", "g": "K", "k": "K", "q": "K",
              "j": "C", "z": "C", "s": "S", "l": "L", "m": "M", "n": "N", "h": "H"}


def hangul_key(word: str) -> str:
    """Consonant skeleton of a Hangul word as a Korean ear hears a loanword: 스피치 -> SPC."""
    out = []
    for ch in word:
        code = ord(ch) - FIRST
        if not 0 <= code < 11172:
            continue
        ini, fin = code // 588, code % 28
        if _INITIAL[ini] != "_":
            out.append(_INITIAL[ini])
        out.append(_FINAL[fin] if fin != 21 else "G")
    return _squeeze("".join(out))


def english_key(word: str) -> str:
    """The same skeleton for an English word: speech -> SPC, streaming -> STLMG."""
    w = word.lower()
    out, i = [], 0
    vowels = set("aeiouy")
    while i < len(w):
        for src, dst in _EN_RULES:
            if w.startswith(src, i):
                out.append(dst)
                i += len(src)
                break
        else:
            c = w[i]
            nxt = w[i + 1] if i + 1 < len(w) else ""
            if c == "c":
                out.append("S" if nxt in "eiy" and nxt else "K")
            elif c == "r":
                if nxt in vowels and nxt:  # r before a vowel is ㄹ; after one it is silent
                    out.append("L")
            elif c in _EN_LETTER:
                out.append(_EN_LETTER[c])
            i += 1
    return _squeeze("".join(out))


def _squeeze(key: str) -> str:
    return re.sub(r"(.)\1+", r"\1", key.replace("H", ""))


def _key_match(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def _gloss_match(korean: str, english: str) -> bool:
    for e in glossary().get(korean, ()):
        if english == e or (len(e) >= GLOSS_PREFIX and english[:GLOSS_PREFIX] == e[:GLOSS_PREFIX]):
            return True
    return False


def transliteration_score(title: str, heading: str, p: AlignParams | None = None) -> float:
    """Share of words matched between a Hangul heading and an English title, in order (a
    title with Hangul of its own is no English title: ``FE인프라TF`` transliterates to nothing)."""
    ko = [w for w in words(heading) if _HANGUL.search(w)]
    en = [w for w in words(title) if not _HANGUL.search(w)]
    if not ko or not en or _HANGUL.search(title):
        return 0.0
    p = p or align_params()
    # alignment of the two word lists, matches in order (longest common subsequence with weights)
    n, m = len(ko), len(en)
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            k, e = ko[i - 1], en[j - 1]
            match = 1.0 if _gloss_match(k, e) else _key_match(hangul_key(k), english_key(e))
            match = match if match >= p.phonetic_min else 0.0
            best[i][j] = max(best[i - 1][j], best[i][j - 1], best[i - 1][j - 1] + match)
    content_en = [w for w in en if w not in STOP] or en
    matched = best[n][m]
    recall_ko = matched / n
    recall_en = min(1.0, matched / len(content_en))
    return 2 * recall_ko * recall_en / (recall_ko + recall_en) if matched else 0.0


def acronym(title: str) -> str:
    caps = "".join(w[0] for w in re.findall(r"[A-Za-z][A-Za-z-]*", title) if w.lower() not in STOP)
    return caps.lower()


MAX_TITLE = 300  # characters of a title or heading compared (a 1 MB heading is not a title)


def title_score(title: str, heading: str, p: AlignParams | None = None) -> tuple[float, str]:
    """(score in [0, 1], method) for heading naming the paper ``title`` (the scores of
    each method: ``p``, the ``align`` parameters)."""
    p = p or align_params()
    title, heading = title[:MAX_TITLE], heading[:MAX_TITLE]
    t, h = normalize(title), normalize(heading)
    if not t or not h:
        return 0.0, "none"
    if t == h:
        return p.score_exact, "exact"
    short = normalize(title.split(":", 1)[0]) if ":" in title else ""
    heading_short = normalize(heading.split(":", 1)[0]) if ":" in heading else ""
    first = t.split()[0]
    if h == short or t == heading_short or (len(h.split()) == 1 and h == first and len(h) >= 3 and not h.isdigit()):
        return p.score_short_name, "short-name"  # either names the other by the part before its colon
    hw = h.replace(" ", "")
    if len(hw) >= 3 and hw == acronym(title):
        return p.score_acronym, "acronym"
    ratio = difflib.SequenceMatcher(None, t, h, autojunk=False).ratio()
    if ratio >= p.fuzzy_min:
        return round(ratio, 3), "fuzzy"
    tw, hw_ = set(t.split()) - STOP, set(h.split()) - STOP
    # "ResNet 리뷰" names ResNet; one word inside a longer heading (스트리밍 in 스트리밍 엔드 투
    # 엔드 스피치 인식) names no paper
    named = len(tw) >= 2 or (len(tw) == 1 and len(next(iter(tw))) >= 4 and len(hw_) <= 2)
    if len(hw_) >= 2 and hw_ <= tw or named and tw <= hw_:
        return p.score_contained, "contained"
    if _HANGUL.search(heading):
        s = transliteration_score(title, heading, p)
        if s:
            only_gloss = all(_HANGUL.search(w) for w in words(heading)) and len(words(heading)) == 1
            return round(min(s, p.transliteration_cap), 3), ("glossary" if only_gloss else "transliteration")
    return round(ratio * p.weak_factor, 3), "weak"
