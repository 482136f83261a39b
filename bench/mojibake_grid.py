"""The grid of code-page mojibake: every kind of ``pipeline.simulate.mojibake_kinds`` (every
page, encoding, loss and clean-up of ``rules/codepages.json``, and the real two- and
three-step chains) over paragraphs of ``pipeline.simulate.MOJIBAKE_SOURCE``, each garbled
paragraph through ``pipeline.clean_text``.

    python bench/mojibake_grid.py [--kinds SUBSTR] [--paragraphs N] [--jobs N] [--timeout S] [--markdown]

One row per kind:

``determinable``  yes / no / mixed over the paragraphs: whether the garbling lost nothing
                  on the paragraph (``pipeline.simulate.determinable``); n/a where the
                  kind cannot garble any of them (a strict step hits an undefined byte).
``paragraphs``    the paragraphs the kind garbles (the rest raise UnicodeError: skipped).
``repair rate``   1 - sum(characters left wrong) / sum(edit distance of the garbled text to
                  the original). Characters left wrong is the edit distance of the output
                  to the original, except that on a paragraph that is not determinable a
                  run of U+FFFD placeholders standing where the original has a span (a
                  replace in the ``difflib`` alignment of output to original) counts as
                  right: the pipeline was right to quarantine what was lost.
``misread``       characters of the output that are neither aligned with an equal
                  character of the original nor a U+FFFD placeholder: text the pipeline
                  (or the damage, left as it was) put in that was never there.

The summary counts the determinable cells (kinds determinable on every paragraph), those of
them at a repair rate of 0.98 or more, and the lossy cells (no or mixed) with misread
characters. Every distinct garbled text goes through the pipeline once (``--jobs``
processes; a text the pipeline has not cleaned in ``--timeout`` seconds counts as left
as it was, and the summary says how many). The ``?`` kinds are by far the slowest (several
seconds a paragraph): two paragraphs by default keep the grid to a few minutes.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial
from difflib import SequenceMatcher
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pipeline  # noqa: E402
from pipeline.evaluate import edit_distance  # noqa: E402
from pipeline.models import codepages  # noqa: E402
from pipeline.simulate import MOJIBAKE_PARAGRAPHS, MojibakeKind, determinable, mojibake_kinds  # noqa: E402

PLACEHOLDER = "\ufffd"


class Timeout(BaseException):  # not an Exception: nothing in the pipeline catches it
    pass


def _alarm(signum, frame):
    raise Timeout


def clean(text: str, timeout: float = 0) -> tuple[str, str | None, float]:
    """The pipeline's text for ``text`` (or ``text`` unchanged), the error it raised
    (``timeout`` when it took more than ``timeout`` seconds) or None, and the seconds taken."""
    start = time.perf_counter()
    if timeout:
        signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        out, error = pipeline.clean_text(text)["text"], None
    except Timeout:
        out, error = text, "timeout"
    except Exception as exc:  # noqa: BLE001 - a bench reports a broken pipeline, it does not stop
        out, error = text, f"{type(exc).__name__}: {exc}"
    finally:
        if timeout:
            signal.setitimer(signal.ITIMER_REAL, 0)
    return out, error, time.perf_counter() - start


def score(original: str, output: str, lossy: bool) -> tuple[int, int]:
    """(characters left wrong, misread characters) of ``output`` against ``original``."""
    adjusted, misread = [], 0
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, output, original, autojunk=False).get_opcodes():
        seg = output[i1:i2]
        if tag != "equal":
            misread += sum(c != PLACEHOLDER for c in seg)
            if lossy and tag == "replace" and set(seg) == {PLACEHOLDER}:
                seg = original[j1:j2]  # the lost span, quarantined: right
        adjusted.append(seg)
    return edit_distance("".join(adjusted), original), misread


@dataclass
class Row:
    kind: MojibakeKind
    garbled: int = 0  # paragraphs the kind garbles
    determinable: int = 0
    wrong: int = 0
    input_edits: int = 0
    misread: int = 0
    errors: int = 0
    seconds: float = 0.0  # the slowest of its texts through the pipeline

    @property
    def det(self) -> str:
        if not self.garbled:
            return "n/a"
        return "yes" if self.determinable == self.garbled else "no" if not self.determinable else "mixed"

    @property
    def rate(self) -> float | None:
        return 1 - self.wrong / self.input_edits if self.input_edits else None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--kinds", help="only the kinds whose name holds this substring")
    ap.add_argument("--paragraphs", type=int, default=2, help="paragraphs of MOJIBAKE_SOURCE (default 2)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="pipeline processes")
    ap.add_argument("--timeout", type=float, default=30, help="seconds a text may take (0: no limit)")
    ap.add_argument("--markdown", action="store_true", help="a Markdown table")
    args = ap.parse_args(argv)

    start = time.perf_counter()
    paragraphs = MOJIBAKE_PARAGRAPHS[: args.paragraphs]
    kinds = [k for k in mojibake_kinds() if not args.kinds or args.kinds in k.name]
    cells: list[tuple[Row, list[tuple[str, str, bool]]]] = []  # row, (original, garbled, lossless)
    for kind in kinds:
        done = []
        for text in paragraphs:
            try:
                done.append((text, codepages.garble(text, kind.chain), determinable(text, kind.chain)))
            except UnicodeError:
                continue
        cells.append((Row(kind, garbled=len(done)), done))

    # the slow texts (many ?) first, so that the processes finish together
    texts = sorted({g for _, done in cells for _, g, _ in done}, key=lambda t: (-t.count("?"), t))
    run = partial(clean, timeout=args.timeout)
    t0 = time.perf_counter()
    if args.jobs > 1 and len(texts) > 1:
        with ProcessPoolExecutor(args.jobs) as pool:
            outputs = dict(zip(texts, pool.map(run, texts)))
    else:
        outputs = {t: run(t) for t in texts}
    pipeline_time = time.perf_counter() - t0

    errors: dict[str, str] = {}
    for row, done in cells:
        for original, garbled, lossless in done:
            output, error, seconds = outputs[garbled]
            row.seconds = max(row.seconds, seconds)
            if error:
                row.errors += 1
                errors.setdefault(error, row.kind.name)
            wrong, misread = score(original, output, lossy=not lossless)
            row.determinable += lossless
            row.wrong += wrong
            row.input_edits += edit_distance(garbled, original)
            row.misread += misread

    rows = [row for row, _ in cells]
    n = len(paragraphs)
    width = max((len(r.kind.name) for r in rows), default=4)
    if args.markdown:
        print("| kind | determinable | paragraphs | repair rate | misread |")
        print("|---|---|---:|---:|---:|")
    else:
        print(f"{'kind':<{width}}  {'determinable':<12}  {'paras':>5}  {'rate':>6}  {'misread':>7}")
    for r in rows:
        rate = "n/a" if r.rate is None else f"{r.rate:.3f}"
        paras = f"{r.garbled}/{n}"
        note = f" ({r.errors} not cleaned: timeout or error)" if r.errors else ""
        if args.markdown:
            cell = r.kind.name.replace("|", "\\|")  # a | inside a table cell
            print(f"| `{cell}` | {r.det} | {paras} | {rate}{note} | {r.misread} |")
        else:
            print(f"{r.kind.name:<{width}}  {r.det:<12}  {paras:>5}  {rate:>6}  {r.misread:>7}{note}")

    ran = [r for r in rows if r.garbled]
    det = [r for r in ran if r.det == "yes"]
    good = [r for r in det if r.rate is not None and r.rate >= 0.98]
    lossy = [r for r in ran if r.det != "yes"]
    misreading = [r for r in lossy if r.misread]
    below = [r.kind.name for r in det if r not in good]
    print()
    print(f"kinds: {len(rows)} ({len(rows) - len(ran)} garble none of the {n} paragraphs, "
          f"{sum(0 < r.garbled < n for r in ran)} only some)")
    print(f"determinable cells: {len(det)}; at repair rate >= 0.98: {len(good)}")
    if below:
        print("  below 0.98: " + ", ".join(below[:12]) + (f", ... ({len(below) - 12} more)" if len(below) > 12 else ""))
    print(f"lossy cells: {len(lossy)}; with misread > 0: {len(misreading)} "
          f"({sum(r.misread for r in misreading)} characters)")
    timeouts = sum(e == "timeout" for _, e, _ in outputs.values())
    if timeouts:
        print(f"timeouts: {timeouts} texts took more than {args.timeout:g} s (counted as left as they were); "
              f"first in {errors.pop('timeout')}")
    if errors:
        print(f"pipeline errors: {sum(e is not None and e != 'timeout' for _, e, _ in outputs.values())} texts; " +
              "; ".join(f"{e} (first in {k})" for e, k in list(errors.items())[:3]))
    slowest = sorted(rows, key=lambda r: -r.seconds)[:5]
    print("slowest kinds (one text): " + ", ".join(f"{r.kind.name} {r.seconds:.1f} s" for r in slowest))
    total = time.perf_counter() - start
    busy = sum(s for _, _, s in outputs.values())
    print(f"time: {total:.1f} s ({len(texts)} distinct garbled texts through the pipeline in "
          f"{pipeline_time:.1f} s, {busy:.1f} s of work over {args.jobs} job{'s' if args.jobs != 1 else ''})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
