#!/usr/bin/env python3
"""Coverage-guided fuzzing of the readers and ``clean_text`` with atheris.

    python fuzz/fuzz_clean.py -runs=200000        # a longer run (libFuzzer flags)
    python fuzz/fuzz_clean.py fuzz/corpus -max_total_time=3600

Each input is decoded as the CLI decodes files and read as a transcript in every layout
(``read_deck``), cleaned (``clean_deck``), and its string cleaned alone (``clean_text``).
Expected failures (no slide, a rejected input) are fine; any other exception is a crash.
Every record must also stay lossless: its change lists rebuild ``text`` from ``raw``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

with atheris.instrument_imports():
    import pipeline
    from pipeline.read.inputs import InputRejected, decode_input
    from pipeline.read.transcript import FORMATS, NoSlidesError


def check(rec: dict) -> None:
    text = rec["raw"]
    changes = sorted([(r["start"], r["end"], r["after"]) for r in rec["repairs"]]
                     + [(q["start"], q["end"], "\ufffd") for q in rec["quarantine"]])
    for start, end, after in reversed(changes):
        text = text[:start] + after + text[end:]
    assert text == rec["text"], rec


def one_input(data: bytes) -> None:
    try:
        text = decode_input(data, "fuzz")
    except InputRejected:
        return
    for fmt in FORMATS:
        try:
            deck = pipeline.clean_deck(text, name="fuzz", config=pipeline.Config(format=fmt))
        except (NoSlidesError, InputRejected):
            continue
        for rec in deck.records():
            check(rec)
    res = pipeline.clean_text(text[:4000])
    check(res)


def main() -> None:
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
