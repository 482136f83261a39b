"""ftfy for the UTF-8 / cp125x family, in a restricted configuration.

ftfy 6.3.1's defaults would uncurl quotes, fold full-width characters and NFC-normalize,
each of which damages text this pipeline handles elsewhere (CID-garbled runs most of
all). Here it only fixes encodings, and only on text no earlier step has changed. Each
change becomes a repair located by diffing ftfy's output against its input, with ftfy's
plan recorded; a change that only leaves U+FFFD behind (a byte that is gone) is a
quarantine instead::

    >>> from pipeline.deck import Deck, Slide
    >>> s = Slide("d", 1, "Ã©tÃ© â€œquotedâ€\\x9d")
    >>> _ = FtfyRepair()(Deck("d", [s]))
    >>> s.text(), s.repairs[0].plan
    ('été “quoted”', [['encode', 'sloppy-windows-1252'], ['decode', 'utf-8']])
"""

from __future__ import annotations

import difflib

import ftfy
from ftfy.badness import is_bad
from ftfy.chardata import LOSSY_UTF8_RE

from pipeline.deck import PLACEHOLDER, Slide
from pipeline.step import Stats, Step

CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=False,
    fix_encoding=True,
    restore_byte_a0=True,
    replace_lossy_sequences=True,
    decode_inconsistent_utf8=True,
    fix_c1_controls=True,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    fix_surrogates=False,
    remove_control_chars=False,
    normalization=None,
    explain=True,
)


def diff_spans(before: str, after: str) -> list[tuple[int, int, str]]:
    """(start, end, replacement) for each changed stretch of ``before``; insertions are
    widened by one character so every span is non-empty."""
    out = []
    ops = difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes()
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal":
            continue
        if i1 == i2:  # pure insertion: take the previous (or next) character along
            if i1 > 0:
                i1, j1 = i1 - 1, j1 - 1
            else:
                i2, j2 = i2 + 1, j2 + 1
        if out and out[-1][1] >= i1:  # touching the previous change: merge
            s, _e, rep = out.pop()
            out.append((s, i2, rep + after[j1:j2]))
        else:
            out.append((i1, i2, after[j1:j2]))
    return out


def lossy_pieces(before: str, count: int, plan: list[list[str]], offset: int) -> list[tuple[int, int]]:
    """Where ftfy put ``count`` U+FFFD for ``before``: one span per lossy UTF-8 sequence, found
    the way ftfy finds them (its plan's single-byte encoding, ``LOSSY_UTF8_RE``), so the text
    keeps one placeholder per lost character. One span for all when they cannot be told apart."""
    whole = [(offset, offset + len(before))]
    if count < 2 or not plan or plan[0][0] != "encode":
        return whole
    try:
        data = before.encode(plan[0][1])
    except (LookupError, UnicodeEncodeError):
        return whole
    if len(data) != len(before):  # not one byte per character
        return whole
    pieces = [m.span() for m in LOSSY_UTF8_RE.finditer(data)]
    if len(pieces) != count or pieces[0][0] != 0 or pieces[-1][1] != len(data):
        return whole
    if any(a[1] != b[0] for a, b in zip(pieces, pieces[1:])):
        return whole
    return [(offset + a, offset + b) for a, b in pieces]


class FtfyRepair(Step):
    name = "ftfy"

    def on_slide(self, slide: Slide, stats: Stats) -> None:
        """ftfy on each stretch no other reader took; a stretch ftfy alone leaves (too little
        evidence: a line of emoji garble between Korean words another reader took) is read by
        ftfy's plan for the whole text, where that plan is pure re-decoding and replays on it."""
        whole_plan: list | None = None
        for seg_start, seg_end in slide.free_segments():
            text = slide.raw[seg_start:seg_end]
            if text.isascii():
                continue
            # ftfy's own quick test first: where it finds nothing bad it would fix nothing
            fixed, plan = ftfy.fix_and_explain(text, CONFIG) if is_bad(text) else (text, [])
            if fixed == text:
                if whole_plan is None:
                    whole_plan = _recoding_plan(slide.raw)
                fixed, plan = _by_plan(text, whole_plan)
                if fixed == text:
                    continue
            steps = [list(step) for step in plan or []]
            for start, end, after in diff_spans(text, fixed):
                start, end = seg_start + start, seg_start + end
                if after and set(after) == {PLACEHOLDER}:
                    for q_start, q_end in lossy_pieces(slide.raw[start:end], len(after), steps, start):
                        slide.quarantine_span(q_start, q_end, "lost-bytes")
                        stats["lost"] += 1
                else:  # ftfy's plan for the segment, where it also undoes this stretch of it
                    slide.repair(start, end, after, rule="ftfy", plan=steps if _replays(slide.raw[start:end], steps, after) else None)
                    stats["repaired"] += end - start


def _recoding_plan(text: str) -> list:
    """ftfy's plan for the whole text if it only re-decodes (encode, then decode), else []."""
    if text.isascii() or not is_bad(text):
        return []
    _fixed, plan = ftfy.fix_and_explain(text, CONFIG)
    plan = [tuple(step) for step in plan or []]
    if not plan or any(kind not in ("encode", "decode") for kind, _name in plan):
        return []
    return plan


def _by_plan(text: str, plan: list) -> tuple[str, list]:
    """``text`` read by ``plan``, each line apart (a line that does not replay stays)."""
    if not plan:
        return text, []
    out = []
    for line in text.split("\n"):
        try:
            out.append(ftfy.apply_plan(line, plan) if not line.isascii() else line)
        except (LookupError, UnicodeError, ValueError):
            out.append(line)
    return "\n".join(out), [list(step) for step in plan]


def _replays(before: str, plan: list[list[str]], after: str) -> bool:
    try:
        return ftfy.apply_plan(before, [tuple(step) for step in plan]) == after
    except (LookupError, UnicodeError, ValueError):
        return False
