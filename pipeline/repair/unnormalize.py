"""Undo Unicode normalization applied to CID-garbled text.

The real transcripts were NFC-normalized while garbled. To Unicode, garbled
syllables are Bengali letters, Arabic marks, Hebrew points...; normalization
changed them in three ways, and each has an inverse here:

* **canonical reordering**: a run of adjacent combining marks is sorted by
  combining class, so ``세션들을`` (… U+08CC U+065C …) reads ``세들션을``. The
  originals are the interleavings of the classes that a stable sort maps onto
  the observed order;
* **composition exclusions and singletons decompose**: U+09DF (오) becomes
  U+09AF U+09BC (어, 엉);
* **composition** (and, for NFKC, compatibility folding): two garbled syllables
  that form a canonical pair become one code point.

``Unnormalizer.best`` searches those readings with the Korean model::

    >>> from pipeline.models.korean_lm import load_korean_lm
    >>> from pipeline.models.cid_profile import load_profile
    >>> u = Unnormalizer(load_profile(), load_korean_lm())
    >>> p = load_profile()
    >>> observed = "\\u08c1\\u065c\\u08cc\\u0a38"          # NFC of 세션들을
    >>> "".join(p.decode_char(c) for c in observed)
    '세들션을'
    >>> "".join(p.decode_char(c) for c in u.best(observed).garbled)
    '세션들을'

``normalization_form`` tells which form a deck went through, if any: a transcript
that is not normalized at all keeps its order.

The search is a beam over the run, scored incrementally with the syllable
trigram, so long runs (words run together when spaces were dropped) stay cheap;
the morpheme model re-ranks the readings the beam kept. Only readings that the
deck's normalization form really maps onto the observed run are kept.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from pipeline.models.cid_profile import CidProfile
from pipeline.models.korean_lm import END, START, KoreanLM

FORMS = ("NFC", "NFD", "NFKC", "NFKD")


@dataclass(frozen=True)
class Reading:
    garbled: str  # the garbled text before normalization, as this reading has it
    logp: float  # total log-probability of its decoded syllables, boundaries included
    rival: float = float("-inf")  # the same of the next reading the search kept (-inf: none)


def normalization_form(texts) -> str | None:
    """The first of NFKC, NFC, NFKD, NFD that every text is in, or None. A text in NFKC is in
    NFC too; the readings NFKC allows include NFC's, so the wider form is tried first."""
    texts = list(texts)
    for form in ("NFKC", "NFC", "NFKD", "NFD"):
        if all(unicodedata.is_normalized(form, t) for t in texts):
            return form
    return None


def _ccc(ch: str) -> int:
    return unicodedata.combining(ch)


class Unnormalizer:
    """Candidate readings of a normalized garbled run, and the best by the model."""

    def __init__(self, profile: CidProfile, lm: KoreanLM, beam: int = 24):
        self.profile, self.lm, self.beam = profile, lm, beam
        self.symbol_logp = lm.symbol_logp  # a symbol inside a run (Korean decks: all but impossible)
        # per form: what it turns a garbled code point into -> the code point(s) it came from.
        # Plain ASCII is never a merge: "40" is text, not a folded ㊵.
        self.merges: dict[str, dict[str, list[str]]] = {form: {} for form in FORMS}
        for cid in profile.to_char:
            c = chr(cid)
            for form in FORMS:
                n = unicodedata.normalize(form, c)
                if n != c and not n.isascii() and all(ord(x) in profile.to_char for x in n):
                    alts = self.merges[form].setdefault(n, [])
                    if c not in alts:
                        alts.append(c)
        self.max_merge = max((len(k) for m in self.merges.values() for k in m), default=1)
        self._interesting: dict[str, re.Pattern] = {}
        # a composed code point that may stand for the garbled pair it composes
        self.splits: dict[str, str] = {}
        for cid in profile.to_char:
            c = chr(cid)
            d = unicodedata.normalize("NFD", c)
            if len(d) > 1 and all(ord(x) in profile.to_char for x in d):
                self.splits[c] = d

    def _dec(self, ch: str) -> str:
        return self.profile.decode_char(ch) or ""

    def _step(self, prev: str, ch: str) -> tuple[float, str]:
        """log P of appending garbled ``ch`` after the decoded context ``prev`` (its last two
        syllables); returns (logp, new context)."""
        d = self._dec(ch)
        if len(d) != 1 or not self.lm.is_letter(d):
            return self.symbol_logp, prev
        return self.lm.logp(prev, d), self.lm.extend(prev, d)

    def _segments(self, garbled: str, word_start: bool = False) -> list[tuple[float, bool]]:
        words = "".join(d if len(d := self._dec(c)) == 1 and self.lm.is_letter(d) else " " for c in garbled)
        return [self.lm.segment(w, word_start) for w in words.split()]

    def _morph(self, garbled: str) -> float:
        """The morpheme model's log-probability of the decoded syllables (of the whole decoded
        run, symbols included, for a model that analyses running text: Japanese)."""
        if self.lm.analyses_text:
            return self.lm.segment("".join(self._dec(c) for c in garbled))[0]
        return sum(lp for lp, _ in self._segments(garbled))

    def well_formed(self, garbled: str, word_start: bool = False) -> bool:
        """Whether the decoded text is all syllables that split into known morphemes in a
        grammatical order."""
        if not all(len(d := self._dec(c)) == 1 and self.lm.is_letter(d) for c in garbled):
            return False
        return all(good for _, good in self._segments(garbled, word_start))

    def logp(self, garbled: str, prev: str = START, nxt: str = END) -> float:
        """Score of one reading (e.g. the observed text itself): syllable trigram plus morphemes."""
        total, context = 0.0, prev
        for ch in garbled:
            s, context = self._step(context, ch)
            total += s
        return total + (self.lm.logp(context, nxt) if context != START else 0.0) + self._morph(garbled)

    def has_alternatives(self, run: str, form: str) -> bool:
        """Whether ``run`` has any reading but itself: it holds combining marks, a sequence some
        form makes of another code point, or a composed code point."""
        pattern = self._interesting.get(form)
        if pattern is None:
            chars = set(self.splits)
            for key in self.merges[form]:
                chars.update(key)
            chars = {c for c in chars} | {chr(cid) for cid in self.profile.to_char if _ccc(chr(cid))}
            if form in ("NFD", "NFKD"):  # searched through the composed form: any composable pair
                chars |= {c for c in map(chr, range(0x300, 0x370))}
            pattern = self._interesting[form] = re.compile("[" + "".join(re.escape(c) for c in sorted(chars)) + "]")
        return pattern.search(run) is not None or any(_ccc(c) for c in run)

    def merge_at(self, text: str, i: int, form: str) -> tuple[int, list[str]]:
        """The longest sequence (two or more characters) at ``text[i]`` that ``form`` makes of
        other code points: (its length, those code points); (0, []) if none."""
        table = self.merges[form]
        for k in range(min(self.max_merge, len(text) - i), 1, -1):
            alts = table.get(text[i : i + k])
            if alts:
                return k, alts
        return 0, []

    def _units(self, run: str, form: str) -> list[list[str]]:
        """Split the observed run into units, each a list of alternative garbled strings.

        A unit is a single starter, a merge (a sequence normalization produced from one
        code point), or a run of combining marks (its alternatives are generated lazily
        by the beam, marked by a leading "\\x00")."""
        units: list[list[str]] = []
        i, n = 0, len(run)
        while i < n:
            k, alts = self.merge_at(run, i, form)
            if k:
                units.append([run[i : i + k], *alts])
                i += k
                continue
            if _ccc(run[i]):
                j = i
                while j < n and _ccc(run[j]):
                    j += 1
                units.append(["\x00" + run[i:j]])
                i = j
                continue
            c = run[i]
            alts = [c]
            if c in self.splits:
                alts.append(self.splits[c])
            if c in self.merges[form]:  # singleton decompositions: Ω may have been Ω
                alts += [a for a in self.merges[form][c] if a not in alts]
            units.append(alts)
            i += 1
        return units

    def _interleavings(self, hyps, marks: str):
        """Extend each hypothesis with every interleaving of the mark classes (beam-pruned)."""
        classes: dict[int, list[str]] = {}
        for m in marks:
            classes.setdefault(_ccc(m), []).append(m)
        queues = list(classes.values())
        # state: (text, logp, prev, positions per queue)
        states = [(t, lp, prev, (0,) * len(queues)) for t, lp, prev in hyps]
        for _ in range(len(marks)):
            nxt = []
            for t, lp, prev, pos in states:
                for q, queue in enumerate(queues):
                    if pos[q] < len(queue):
                        ch = queue[pos[q]]
                        step, new_prev = self._step(prev, ch)
                        nxt.append((t + ch, lp + step, new_prev, pos[:q] + (pos[q] + 1,) + pos[q + 1 :]))
            states = self._prune(nxt)
        return [(t, lp, prev) for t, lp, prev, _ in states]

    def _prune(self, hyps):
        best: dict[str, tuple] = {}
        for h in hyps:  # identical garbled text: keep one
            if h[0] not in best or h[1] > best[h[0]][1]:
                best[h[0]] = h
        return sorted(best.values(), key=lambda h: -h[1])[: self.beam]

    def readings(self, run: str, form: str = "NFC", prev: str = START, nxt: str = END) -> list[tuple[str, float]]:
        """Candidate garbled originals of ``run`` with their log-probabilities, best first: only
        texts that normalization ``form`` turns into ``run`` (the run itself, if it is in that form).

        For a decomposing form the search runs on the composed run: the original X satisfies
        NFC(X) = NFC(NFD(X)) = NFC(run), so NFC's readings of NFC(run) hold every candidate."""
        target = run
        if form in ("NFD", "NFKD"):
            search_form = "NFC" if form == "NFD" else "NFKC"
            run = unicodedata.normalize(search_form, run)
        else:
            search_form = form
        hyps = [("", 0.0, prev)]
        for unit in self._units(run, search_form):
            if unit[0].startswith("\x00"):
                hyps = self._interleavings(hyps, unit[0][1:])
                continue
            ext = []
            for t, lp, p in hyps:
                for alt in unit:
                    step_total, q = 0.0, p
                    for ch in alt:
                        s, q = self._step(q, ch)
                        step_total += s
                    ext.append((t + alt, lp + step_total, q))
            hyps = self._prune(ext)
        # the beam ran on the syllable trigram; the morpheme model re-ranks what it kept
        final = [(t, lp + (self.lm.logp(p, nxt) if p != START else 0.0) + self._morph(t))
                 for t, lp, p in hyps if unicodedata.normalize(form, t) == target]
        return sorted(final, key=lambda h: -h[1])

    def best(self, run: str, form: str = "NFC", prev: str = START, nxt: str = END) -> Reading:
        ranked = self.readings(run, form, prev, nxt) or [(run, self.logp(run, prev, nxt))]
        return Reading(*ranked[0], ranked[1][1] if len(ranked) > 1 else float("-inf"))
