"""Decode UTF-8 whose bytes are partly unknown: a beam over a byte lattice, scored by the Korean model.

Mojibake whose bytes were lost on the way (a page that could not show some bytes and
dropped them, a NBSP that became a space, a U+FFFD or a ``?`` put where a byte pair
went) still pins most of the text: a Hangul syllable is three UTF-8 bytes, lead EA–ED,
two continuation bytes 80–BF, so one missing byte leaves a few dozen candidates and the
syllables around choose among them. The observed text is turned into a *lattice*: per
observed character, its alternatives, each a short sequence of byte sets (a known byte is
a set of one) with a cost in nats. The decoder walks it left to right, forms characters
as UTF-8 allows, and scores each path by its costs plus the syllable model::

    >>> lat = [[Alt((frozenset([0xEC]),))], [Alt((frozenset([0x8B]),))],   # EC 8B, then
    ...        [Alt((frozenset([0x20]),)), Alt((frozenset([0xA0]),), -1.0)]]  # a space, or a NBSP?
    >>> [(s.start, s.end, s.text) for s in decode(lat)]
    [(0, 3, '신')]

A character whose bytes leave more than ``max_candidates`` readings, or a byte that was
an unknown ASCII character, is *lost* (``LOST``); each chosen syllable gets a margin, the
log-odds of the best candidate over the next with its neighbours fixed, so a caller can
quarantine what the model cannot tell.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from functools import lru_cache

from pipeline.models.hangul import FIRST, LAST, UTF8_LEADS
from pipeline.models.korean_lm import END, START, KoreanLM, is_syllable, load_korean_lm
from pipeline.repair.utf8 import sequence_length
from pipeline.step import load_params

LOST = "\ufffd"
_CONT = frozenset(range(0x80, 0xC0))
LIKELY_MEMO = 20_000  # (context, byte sets) whose likeliest syllables a process remembers
ALTERNATIVES = 3  # readings a quarantined segment lists
_CUT = frozenset(("\n", LOST))  # where the sentence model's view of a line stops


class TooComplex(Exception):
    """The search made more paths than its budget allows: the caller quarantines the span."""


@dataclass(frozen=True)
class Alt:
    """One way an observed character may have come from bytes: byte sets, and a cost (nats, ≤ 0)."""

    sets: tuple[frozenset[int], ...]
    cost: float = 0.0
    known: bool = True  # False: the bytes are a guess within the sets (a lost pair), not read
    assumed: tuple[bool, ...] = ()  # per set, whether it is an assumption (a dropped byte put back)
    inserted: bool = False  # the first set is a byte the page dropped, put back before the character

    def guessed(self, i: int) -> bool:
        return not self.known or len(self.sets[i]) > 1 or (i < len(self.assumed) and self.assumed[i])


@dataclass(frozen=True)
class Segment:
    """``observed[start:end]`` decodes as ``text``; ``margin`` is the least syllable margin
    (inf where every byte was known); ``filled`` counts bytes the path had to assume."""

    start: int
    end: int
    text: str
    margin: float
    filled: int
    alternatives: tuple[str, ...] = ()  # the text with its least sure syllable read as its rivals


@dataclass(frozen=True)
class Params:
    """The decoder's parameters (``rules/steps.json``, section ``byte-lattice``)."""

    SECTION = "byte-lattice"
    beam: int
    max_candidates: int
    lost_cost: float  # per character the path gives up on
    unknown_ascii_cost: float
    rivals: int  # readings of a syllable the sentence model compares (0: the syllable model decides)
    window: int  # characters of the line on each side the sentence model sees
    shortlist: int  # of a syllable's many readings, the commonest this many are weighed in context
    budget: int  # paths a decoding may extend before it gives up (the text is left to other stages)
    swallowed: dict[str, float]  # what an ASCII byte a lost pair swallowed may be read as: log prior
                                 # (any other character is never guessed)
    swallowed_margin: float  # the lead such a reading needs, or the character stays lost


@lru_cache(maxsize=4096)
def _bysequence_length(byteset: frozenset[int]) -> tuple[tuple[int, frozenset[int]], ...]:
    """A lead byte set split by the length of the sequence each byte starts."""
    by_need: dict[int, set[int]] = {}
    for b in byteset:
        n = sequence_length(b)
        if n:
            by_need.setdefault(n, set()).add(b)
    return tuple((n, frozenset(leads)) for n, leads in sorted(by_need.items()))


def _replaced(syllable: str, dropped: frozenset[int], options: tuple[str, ...]) -> tuple[str, ...]:
    """``options`` and every syllable whose bytes are this one's with a byte of ``dropped``
    taken out and one put back anywhere after the lead (where the page lost it is unknown)."""
    data = syllable.encode("utf-8")
    out = dict.fromkeys(options)
    for i in range(1, len(data)):
        if data[i] not in dropped:
            continue
        rest = data[:i] + data[i + 1:]
        for j in range(1, len(data)):
            for d in dropped:
                try:
                    c = (rest[:j] + bytes([d]) + rest[j:]).decode("utf-8")
                except UnicodeDecodeError:
                    continue
                if is_syllable(c):
                    out.setdefault(c)
    return tuple(out)


@dataclass(frozen=True)
class _Char:
    text: str
    first: int  # observed index of its first byte
    last: int  # observed index of its last byte
    options: tuple[str, ...]  # the readings it was chosen among (one where all bytes were known)
    filled: int
    dropped: frozenset[int] | None = None  # the set a dropped byte put back into it came from


@dataclass(frozen=True)
class _Hyp:
    score: float
    chars: tuple  # linked list: (char, previous chars) or ()
    ctx: str  # the model's state (KoreanLM.extend): START outside a word
    pending: tuple[frozenset[int], ...]  # byte sets of the character being read
    pending_first: int
    need: int
    filled: int  # unknown bytes assumed by the pending character
    guessed: bool = False  # some byte of the pending character is a guess
    dropped: frozenset[int] | None = None  # the set of a dropped byte put back into it


@lru_cache(maxsize=4096)
def _chars_of(sets: tuple[frozenset[int], ...], limit: int, guessed: bool) -> tuple[list[str], bool]:
    """The characters a complete UTF-8 sequence of byte sets can be; (chars, lost). Only a
    Hangul syllable is read from guessed bytes: the model can judge nothing else."""
    if all(len(s) == 1 for s in sets) and not guessed:
        try:
            return [bytes(next(iter(s)) for s in sets).decode("utf-8")], False
        except UnicodeDecodeError:
            return [], False
    if len(sets) == 3:
        leads = sorted(b for b in sets[0] if b in UTF8_LEADS)
        if not leads:
            return [], True
        total = len(leads) * len(sets[1]) * len(sets[2])
        if total > limit * 2:
            return [], True
        out = []
        for a in leads:
            for b in sorted(sets[1]):
                for c in sorted(sets[2]):
                    cp = ((a & 0x0F) << 12) | ((b & 0x3F) << 6) | (c & 0x3F)
                    if FIRST <= cp <= LAST:
                        out.append(chr(cp))
        if len(out) > limit:
            return [], True
        return out, False
    return [], True  # a non-Korean character with an unknown byte: not the model's to guess


def _words_of(chars: list[_Char], uncertain: list[int]) -> list[tuple[int, int]]:
    """(lo, hi) of each word (a run of syllables) holding an uncertain syllable, in order."""
    out: list[tuple[int, int]] = []
    for k in uncertain:
        if out and out[-1][0] <= k < out[-1][1]:
            continue
        lo, hi = k, k + 1
        while lo > 0 and is_syllable(chars[lo - 1].text):
            lo -= 1
        while hi < len(chars) and is_syllable(chars[hi].text):
            hi += 1
        out.append((lo, hi))
    return out


class Decoder:
    def __init__(self, lm: KoreanLM | None = None, params: Params | None = None):
        self.lm = lm or load_korean_lm()
        self.p = params or load_params(Params)

    def _emit(self, h: _Hyp, ch: _Char, extra: float) -> _Hyp:
        lm, score, ctx = self.lm, h.score + extra, h.ctx
        if is_syllable(ch.text):
            score += lm.logp(ctx, ch.text)
            ctx = lm.extend(ctx, ch.text)
        else:
            if ctx != START:
                score += lm.logp(ctx, END)
            ctx = START
        return _Hyp(score, (ch, h.chars), ctx, (), -1, 0, 0)

    def _feed(self, h: _Hyp, byteset: frozenset[int], pos: int, unknown: bool, guessed: bool,
              dropped: frozenset[int] | None = None) -> list[_Hyp]:
        out: list[_Hyp] = []
        if not h.pending:
            for n, leads in _bysequence_length(byteset):
                if n == 1:
                    if len(leads) == 1 and not guessed:
                        c = chr(next(iter(leads)))
                        out.append(self._emit(h, _Char(c, pos, pos, (c,), 0), 0.0))
                    else:  # an ASCII character that was swallowed: lost, unless the sentence model can tell
                        options = tuple(chr(b) for b in sorted(leads) if 0x20 <= b < 0x7F)
                        out.append(self._emit(h, _Char(LOST, pos, pos, options, 1), self.p.unknown_ascii_cost))
                else:
                    out.append(_Hyp(h.score, h.chars, h.ctx, (frozenset(leads),), pos, n, int(unknown), guessed))
            return out
        conts = byteset if byteset <= _CONT else byteset & _CONT
        if not conts:
            return out
        sets = h.pending + (frozenset(conts),)
        filled = h.filled + int(unknown)
        guessed = guessed or h.guessed
        dropped = dropped or h.dropped
        if len(sets) < h.need:
            return [_Hyp(h.score, h.chars, h.ctx, sets, h.pending_first, h.need, filled, guessed, dropped)]
        base = _Hyp(h.score, h.chars, h.ctx, (), -1, 0, 0)
        chars, lost = _chars_of(sets, self.p.max_candidates, guessed)
        chars = list(chars)
        if lost:
            return [self._emit(base, _Char(LOST, h.pending_first, pos, (), filled), self.p.lost_cost)]
        options = tuple(chars)
        if len(chars) > self.p.beam:  # only the syllables this path could keep survive pruning
            chars = self._likeliest(h.ctx, sets, options)
        for c in chars:
            out.append(self._emit(base, _Char(c, h.pending_first, pos, options, filled, dropped), 0.0))
        return out

    def _likeliest(self, ctx: str, sets: tuple[frozenset[int], ...], options: tuple[str, ...]) -> list[str]:
        """The ``beam`` likeliest of a syllable's many readings after ``ctx``: the commonest
        ``shortlist`` first, then in context. Remembered per (context, byte sets): paths
        that share the last two syllables share the answer."""
        memo = self.__dict__.setdefault("_likely", {})
        key = (ctx, sets)
        top = memo.get(key)
        if top is None:
            chars = options
            if len(chars) > self.p.shortlist:
                chars = heapq.nlargest(self.p.shortlist, chars, key=self._unigram().__getitem__)
            lm = self.lm
            top = heapq.nlargest(self.p.beam, chars, key=lambda c: lm.logp(ctx, c))
            if len(memo) >= LIKELY_MEMO:
                memo.clear()
            memo[key] = top
        return list(top)

    def _unigram(self) -> dict[str, float]:
        table = self.__dict__.get("_unigrams")
        if table is None:
            table = self.__dict__["_unigrams"] = {chr(c): self.lm.logp("", chr(c)) for c in range(FIRST, LAST + 1)}
        return table

    def _prune(self, hyps: list[_Hyp]) -> list[_Hyp]:
        best: dict[tuple, _Hyp] = {}
        for h in hyps:
            key = (h.ctx, h.pending, h.need, h.chars[0].text if h.chars else "")
            if key not in best or h.score > best[key].score:
                best[key] = h
        # the best few of each shape (how far into a character a path is): a shape that
        # scores worse now may be the only one the next bytes allow
        shapes: dict[tuple[int, int], list[_Hyp]] = {}
        for h in sorted(best.values(), key=lambda h: -h.score):
            group = shapes.setdefault((len(h.pending), h.need), [])
            if len(group) < self.p.beam:
                group.append(h)
        return [h for group in shapes.values() for h in group]

    def best_paths(self, lattice: list[list[Alt]]) -> list[tuple[float, list[_Char]]]:
        hyps = [_Hyp(0.0, (), START, (), -1, 0, 0)]
        work = 0  # paths made: the search gives up at the budget (rules/steps.json)
        for pos, alts in enumerate(lattice):
            nxt: list[_Hyp] = []
            for h0 in hyps:
                for alt in alts:
                    cur = [_Hyp(h0.score + alt.cost, h0.chars, h0.ctx, h0.pending, h0.pending_first, h0.need,
                                h0.filled, h0.guessed, h0.dropped)]
                    for i, s in enumerate(alt.sets):
                        guess = alt.guessed(i)
                        drop = s if alt.inserted and i == 0 else None
                        cur = [g for h in cur for g in self._feed(h, s, pos, guess, guess, drop)]
                        if not cur:
                            break
                    nxt += cur
            work += len(nxt)
            if work > self.p.budget:
                raise TooComplex(work)
            hyps = self._prune(nxt)
            if not hyps:
                return []
        done = []
        for h in hyps:
            if h.pending:
                continue
            score = h.score + (self.lm.logp(h.ctx, END) if h.ctx != START else 0.0)
            chars, node = [], h.chars
            while node:
                chars.append(node[0])
                node = node[1]
            done.append((score, chars[::-1]))
        return sorted(done, key=lambda d: -d[0])

    def _local_scores(self, chars: list[_Char], k: int) -> list[tuple[float, str]]:
        """Each reading of ``chars[k]`` scored by the syllable model with its neighbours fixed, best first."""
        ch = chars[k]
        left = ""
        for c in reversed(chars[max(0, k - 2):k]):
            if not is_syllable(c.text):
                break
            left = c.text + left
        right = ""
        for c in chars[k + 1:k + 3]:
            if not is_syllable(c.text):
                break
            right += c.text

        def local(x: str) -> float:
            ctx, total = START, 0.0  # left holds the word's syllables before k (two at most)
            for s in left:
                ctx = self.lm.extend(ctx, s)
            for s in x + right:
                total += self.lm.logp(ctx, s)
                ctx = self.lm.extend(ctx, s)
            if len(right) < 2:
                total += self.lm.logp(ctx, END)
            return total

        return sorted(((local(o), o) for o in ch.options), reverse=True)

    def _line(self, chars: list[_Char], k: int, context: tuple[str, str]) -> tuple[str, str]:
        """What the sentence model sees around ``chars[k]``: up to ``window`` characters of its
        line on each side, reaching into the text around the decoded region."""
        lo, hi = k, k + 1
        while lo > 0 and chars[lo - 1].text not in _CUT and k - lo < self.p.window:
            lo -= 1
        while hi < len(chars) and chars[hi].text not in _CUT and hi - k < self.p.window:
            hi += 1
        before = "".join(c.text for c in chars[lo:k])
        after = "".join(c.text for c in chars[k + 1:hi])
        room = self.p.window - len(before)
        if lo == 0 and room > 0:
            before = context[0].rpartition("\n")[2][-room:] + before
        room = self.p.window - len(after)
        if hi == len(chars) and room > 0:
            after += context[1].partition("\n")[0][:room]
        return before, after

    def refine(self, chars: list[_Char], context: tuple[str, str] = ("", "")) -> tuple[list[float], dict[int, list[str]]]:
        """Choose each uncertain syllable again with the sentence model, its neighbours as
        chosen so far and the line around it as context; returns each character's margin
        (log-odds of the chosen reading over the next, inf where its bytes were known) and,
        per uncertain character, its best readings. Swallowed ASCII is read first, so the
        syllables are judged in a line with its spaces."""
        margins = [float("inf")] * len(chars)
        rivals: dict[int, list[str]] = {}  # character -> its readings, best first
        model = self.sentence() if self.p.rivals else None
        if model is not None:
            for k, ch in enumerate(chars):
                if ch.text == LOST and ch.options:
                    margins[k] = self._swallowed(chars, k, model, context)
        for k, ch in enumerate(chars):
            if ch.dropped and len(ch.options) > 1:  # the dropped byte may have been elsewhere in the character
                chars[k] = _Char(ch.text, ch.first, ch.last, _replaced(ch.text, ch.dropped, ch.options),
                                 ch.filled, ch.dropped)
        uncertain = [k for k, ch in enumerate(chars) if len(ch.options) > 1 and is_syllable(ch.options[0])]
        if model is None:
            for k in uncertain:
                ranked = self._local_scores(chars, k)
                mine = next(sc for sc, o in ranked if o == chars[k].text)
                margins[k] = mine - max(sc for sc, o in ranked if o != chars[k].text)
            return margins, rivals
        for lo, hi in _words_of(chars, uncertain):
            self._read_word(chars, lo, hi, model, margins, rivals)
        return margins, rivals

    def _word_readings(self, chars: list[_Char], lo: int, hi: int) -> list[tuple[float, str]]:
        """The syllable model's best ``rivals`` readings of the word ``chars[lo:hi]``, whole:
        a beam over its syllables, each uncertain one among its ``shortlist`` commonest readings
        (the trigram weighs a word's syllables together, so ``읽기/쓰기`` is not read ``코기/연기``
        one syllable at a time)."""
        lm, width = self.lm, self.p.rivals
        unigram = self._unigram()
        beam: list[tuple[float, str, str]] = [(0.0, "", START)]  # (score, text, model state)
        for ch in chars[lo:hi]:
            options = ch.options if len(ch.options) > 1 else (ch.text,)
            if len(options) > self.p.shortlist:
                options = heapq.nlargest(self.p.shortlist, options, key=unigram.__getitem__)
            grown = [(score + lm.logp(state, o), text + o, lm.extend(state, o))
                     for score, text, state in beam for o in options]
            beam = heapq.nlargest(width, grown, key=lambda b: b[0])
        ended = [(score + lm.logp(state, END), text) for score, text, state in beam]
        return sorted(ended, reverse=True)

    def _read_word(self, chars: list[_Char], lo: int, hi: int, model, margins: list[float],
                   rivals: dict[int, list[str]]) -> None:
        """Read the word ``chars[lo:hi]`` whole: its syllable-model readings weighed by the
        sentence model in its line (the words around as read so far). Every uncertain syllable
        of the word takes the word's margin: the lead of the best reading over the next."""
        readings = self._word_readings(chars, lo, hi)
        before, _ = self._line(chars, lo, ("", ""))
        _, after = self._line(chars, hi - 1, ("", ""))
        scored = sorted(((model.logp(before + text + after), text) for _s, text in readings), reverse=True)
        best = scored[0][1]
        margin = scored[0][0] - scored[1][0] if len(scored) > 1 else float("inf")
        top = [text for _s, text in scored[:ALTERNATIVES]]
        for i, k in enumerate(range(lo, hi)):
            ch = chars[k]
            if len(ch.options) <= 1:
                continue
            margins[k] = margin
            rivals[k] = list(dict.fromkeys(t[i] for t in top))
            if best[i] != ch.text:
                chars[k] = _Char(best[i], ch.first, ch.last, ch.options, ch.filled, ch.dropped)

    def _swallowed(self, chars: list[_Char], k: int, model, context: tuple[str, str]) -> float:
        """Read a swallowed ASCII byte as the character the sentence model, with a prior per
        character, likes best in its line (``다?`` before a closing quote hides a full stop,
        ``에?`` between words a space) if that leads the next by ``swallowed_margin``; else it
        stays lost. Returns its margin (inf where nothing was guessed)."""
        before, after = self._line(chars, k, context)
        ch = chars[k]
        prior = self.p.swallowed
        # the readings weighed: the characters with a prior of their own (no space ends a line)
        options = tuple(o for o in ch.options if o in prior and (after or o != " "))
        if not options:
            return float("inf")
        scored = sorted(((model.logp(before + o + after) + prior[o], o) for o in options), reverse=True)
        margin = scored[0][0] - scored[1][0] if len(scored) > 1 else float("inf")
        if margin < self.p.swallowed_margin:
            return float("inf")  # left lost: nothing guessed
        chars[k] = _Char(scored[0][1], ch.first, ch.last, ch.options, ch.filled)
        return margin

    @staticmethod
    def sentence():
        from pipeline.models.korean_sentence import load_sentence_model

        return load_sentence_model()

    def decode(self, lattice: list[list[Alt]], context: tuple[str, str] = ("", "")) -> list[Segment] | None:
        """The best path as segments of the observed text (characters that share an observed
        character are one segment), or None if no path reads the lattice as UTF-8.
        ``context``: the text before and after the region, for the sentence model."""
        paths = self.best_paths(lattice)
        if not paths:
            return None
        chars = paths[0][1]
        margins, rivals = self.refine(chars, context)
        segs: list[list] = []  # [start, end, text, margin, filled, alternatives]
        for k, ch in enumerate(chars):
            m = margins[k]
            if segs and segs[-1][1] > ch.first:
                s = segs[-1]
            else:
                s = [ch.first, ch.last + 1, "", float("inf"), 0, ()]
                segs.append(s)
            if m < s[3] and k in rivals:  # the least sure syllable names the alternatives
                at = len(s[2])
                s[5] = (at, rivals[k])
            s[1], s[2], s[3], s[4] = max(s[1], ch.last + 1), s[2] + ch.text, min(s[3], m), s[4] + ch.filled
        out = []
        for start, end, text, margin, filled, alt in segs:
            options = tuple(text[:alt[0]] + o + text[alt[0] + 1:] for o in alt[1]) if alt else ()
            out.append(Segment(start, end, text, margin, filled, options))
        return out


def decoder(params: Params | None = None) -> Decoder:
    """The decoder with these parameters: the process's shared one for the defaults."""
    if params is None or params == load_params(Params):
        return _shared_decoder()
    return Decoder(params=params)


@lru_cache(maxsize=1)
def _shared_decoder() -> Decoder:
    return Decoder()


def decode(lattice: list[list[Alt]], context: tuple[str, str] = ("", "")) -> list[Segment] | None:
    """Decode with the shared decoder (see ``Decoder.decode``)."""
    return decoder().decode(lattice, context)
