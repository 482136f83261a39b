#!/usr/bin/env python3
"""A long PDF is read and cleaned page by page: peak memory and time for 30 and 300 pages.

    python bench/pdf_pages.py [--pages 300]

The PDFs are made by ``tests/pdf_maker.py`` (Korean in a CID font without ToUnicode, eight
lines a page from the project's own corpus). Each is cleaned by ``clean-slides`` in a
fresh process; the peak RSS of that process and its time are printed, and their ratio
between the long and the short PDF (memory should stay nearly flat: pages are read,
cleaned and written a chunk at a time, never all held).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from pdf_maker import cids, write_pdf  # noqa: E402

from pipeline.models.cid_profile import load_profile  # noqa: E402


def pages(n: int) -> list[list[list[int]]]:
    prof = load_profile()
    lines = [x for x in (ROOT / "tests" / "data" / "korean_corpus.txt").read_text(encoding="utf-8").splitlines()
             if x.strip()]
    out = []
    for k in range(n):
        page = []
        for j in range(8):
            text = "".join(c for c in lines[(8 * k + j) % len(lines)][:60] if prof.cid_of(c) is not None)
            page.append(cids(text))
        out.append(page)
    return out


CHILD = ("import re, sys\nfrom pipeline.cli import main\n"
         "try:\n    main(sys.argv[1:])\nexcept SystemExit as e:\n    code = e.code\n"
         "hwm = re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read())\n"
         "print(int(hwm.group(1)) // 1024)\nsys.exit(code)")


def run(pdf: Path, out: Path) -> tuple[float, float]:
    """Seconds, and the peak memory of the cleaning process itself (VmHWM: ru_maxrss would
    also count this bench's own memory at the fork, which Linux keeps across exec)."""
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", CHILD, "clean", str(pdf), "-o", str(out)],
                          capture_output=True, text=True)
    if proc.returncode:
        raise SystemExit(f"clean-slides failed on {pdf}: {proc.stderr}")
    return time.perf_counter() - t, float(proc.stdout.split()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=300)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        rows = []
        for n in (a.pages // 10, a.pages):
            pdf = Path(tmp) / f"deck{n}.pdf"
            pdf.write_bytes(write_pdf(pages(n)))
            seconds, mb = run(pdf, Path(tmp) / f"deck{n}.jsonl")
            records = sum(1 for _ in open(Path(tmp) / f"deck{n}.jsonl", encoding="utf-8"))
            rows.append((n, pdf.stat().st_size, seconds, mb, records))
    for n, size, seconds, mb, records in rows:
        print(f"{n:4} pages ({size / 1e6:.2f} MB): {records} records, {seconds:.2f} s "
              f"({1000 * seconds / n:.1f} ms a page), peak RSS {mb:.0f} MB")
    print(f"peak RSS, {rows[1][0]} pages / {rows[0][0]} pages: {rows[1][3] / rows[0][3]:.2f}")


if __name__ == "__main__":
    main()
