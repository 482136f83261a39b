#!/usr/bin/env python3
"""Throughput against ftfy, memory while streaming, and the speedup of worker processes.

    python bench/throughput.py [--mb 50] [--stream-gb 1] [--decks 400]

1. A corpus of decks (40 slides each) made from the project's own Korean text
   (``tests/data/korean_corpus*.txt`` and the sample sources, cycled to size), garbled by
   ``pipeline.simulate.garble`` (CIDs, some shifted Latin, NFC) until it holds ``--mb`` MB,
   and the same text clean. The pipeline's repair path (``clean_deck`` per deck) and
   ``ftfy.fix_text`` run on the same input in this process; MB/s for each and the ratio.
2. Peak RSS of ``python -m pipeline`` streaming a ``--stream-gb`` GB transcript (the clean
   corpus cycled into form-feed pages) to /dev/null.
3. ``clean-slides batch`` over ``--decks`` garbled deck files with ``--jobs 1`` and
   ``--jobs 2``: the speedup.
"""

from __future__ import annotations

import argparse
import glob
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import ftfy  # noqa: E402

import pipeline  # noqa: E402
from pipeline.simulate import garble  # noqa: E402

SLIDES_PER_DECK = 40


def source_lines() -> list[str]:
    lines = [x for p in sorted(glob.glob(str(ROOT / "tests/data/korean_corpus*.txt")))
             for x in Path(p).read_text(encoding="utf-8").splitlines() if x.strip()]
    for src in sorted((ROOT / "samples" / "src").glob("*.slides.txt")):
        lines += [" ".join(b.split()) for b in src.read_text(encoding="utf-8").split("\n---\n") if b.strip()]
    return lines


def corpus(mb: float) -> tuple[list[str], list[str]]:
    """(garbled decks, the same decks clean), plain text with form feeds, >= mb MB garbled."""
    lines = source_lines()
    garbled, clean, size, k = [], [], 0, 0
    while size < mb * 1e6:
        pages = [lines[(k + i) % len(lines)] for i in range(SLIDES_PER_DECK)]
        deck = "\f".join(garble(p, seed=k + i, shift_ascii=0.1) for i, p in enumerate(pages))
        garbled.append(deck)
        clean.append("\f".join(pages))
        size += len(deck.encode("utf-8"))
        k += SLIDES_PER_DECK
    return garbled, clean


def rate(fn, decks: list[str]) -> float:
    mb = sum(len(d.encode("utf-8")) for d in decks) / 1e6
    t = time.perf_counter()
    for d in decks:
        fn(d)
    return mb / (time.perf_counter() - t)


def repair(deck: str) -> None:
    pipeline.clean_deck(deck, name="bench", config=pipeline.Config(format="plain"))


def stage_seconds(decks: list[str]) -> dict[str, float]:
    """Seconds spent in each step over the garbled decks (reading apart, one pass each: the
    settling passes are left out), to see where the time goes."""
    from pipeline.clean import build_steps
    from pipeline.read.transcript import read_deck

    steps = build_steps(pipeline.Config(format="plain"))
    spent: dict[str, float] = {"read": 0.0}
    for text in decks:
        t = time.perf_counter()
        deck = read_deck(text, "bench", "plain")
        spent["read"] += time.perf_counter() - t
        for step in steps:
            t = time.perf_counter()
            step(deck)
            spent[step.name] = spent.get(step.name, 0.0) + time.perf_counter() - t
    return spent


def stream_rss(gb: float, clean_decks: list[str], tmp: Path) -> tuple[float, float, float]:
    """(peak RSS MB, seconds, MB) of the CLI streaming a gb-GB file to /dev/null."""
    path = tmp / "big.txt"
    target = gb * 1e9
    with open(path, "w", encoding="utf-8") as fh:
        size, k = 0, 0
        while size < target:
            page = clean_decks[k % len(clean_decks)] + "\f"
            fh.write(page)
            size += len(page.encode("utf-8"))
            k += 1
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pipeline", str(path), "-o", "-"], stdout=subprocess.DEVNULL, check=True)
    took = time.perf_counter() - t
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    mb = path.stat().st_size / 1e6
    path.unlink()
    return peak_kb / 1024, took, mb


def jobs_speedup(garbled: list[str], n: int, tmp: Path) -> tuple[float, float]:
    src = tmp / "decks"
    src.mkdir()
    for i, d in enumerate(garbled[:n]):
        (src / f"deck{i:03d}.txt").write_text(d, encoding="utf-8")
    times = []
    for jobs in (1, 2):
        out = tmp / f"out{jobs}"
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "pipeline", "batch", str(src), "-o", str(out), "--jobs", str(jobs),
                        "--no-progress", "--format", "plain"], check=True, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - t)
    return times[0], times[1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=float, default=50)
    ap.add_argument("--stream-gb", type=float, default=1.0)
    ap.add_argument("--decks", type=int, default=400)
    ap.add_argument("--stages", action="store_true", help="only the seconds per step on the garbled decks")
    a = ap.parse_args()
    garbled, clean = corpus(a.mb)
    if a.stages:
        repair(garbled[0])  # models loaded outside the timings
        spent = stage_seconds(garbled)
        mb = sum(len(d.encode()) for d in garbled) / 1e6
        total = sum(spent.values())
        for name, sec in sorted(spent.items(), key=lambda kv: -kv[1]):
            print(f"{name:18} {sec:7.2f} s  {sec / total:5.1%}")
        print(f"one pass: {mb / total:.2f} MB/s; without the cid step: {mb / (total - spent.get('cid', 0.0)):.2f} MB/s")
        return
    mb = sum(len(d.encode()) for d in garbled) / 1e6
    print(f"corpus: {len(garbled)} decks, {mb:.1f} MB garbled, {sum(len(d.encode()) for d in clean) / 1e6:.1f} MB clean")
    ours = rate(repair, garbled)
    theirs = rate(ftfy.fix_text, garbled)
    print(f"garbled: clean-slides {ours:.2f} MB/s, ftfy.fix_text {theirs:.2f} MB/s, ratio {ours / theirs:.2f}")
    ours_c = rate(repair, clean)
    theirs_c = rate(ftfy.fix_text, clean)
    print(f"clean:   clean-slides {ours_c:.2f} MB/s, ftfy.fix_text {theirs_c:.2f} MB/s, ratio {ours_c / theirs_c:.2f}")
    with tempfile.TemporaryDirectory() as tmp:
        if a.stream_gb > 0:
            peak, took, smb = stream_rss(a.stream_gb, clean, Path(tmp))
            print(f"streaming {smb:.0f} MB through the CLI: peak RSS {peak:.0f} MB, {smb / took:.1f} MB/s")
        one, two = jobs_speedup(garbled, a.decks, Path(tmp))
        print(f"batch of {a.decks} decks: --jobs 1 {one:.1f} s, --jobs 2 {two:.1f} s, speedup {one / two:.2f}")
    print(f"cores: {os.cpu_count()}")


if __name__ == "__main__":
    main()
