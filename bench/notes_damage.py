"""Damage real Korean text (the seed notes in ../shared/seeds) with every simulated kind and
count, line by line, what comes back: exact, quarantined, or neither (wrong or left).
Lines a kind cannot carry (emoji through CP949) are left out of that kind's counts.

    python bench/notes_damage.py

Not a speed benchmark: a recovery figure on text the project did not write. It needs the
shared seeds beside the checkout; the package does not.
"""

from __future__ import annotations

import glob
from pathlib import Path

import pipeline
from pipeline.simulate import MOJIBAKE, garble, mojibake

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
NOTES = ("000_", "002_", "003_", "004_")


def lines() -> list[str]:
    out = []
    for path in sorted(glob.glob(str(SEEDS / "*"))):
        if Path(path).name.startswith(NOTES):
            out += [x.strip() for x in Path(path).read_text(encoding="utf-8").splitlines() if x.strip()]
    return out


def damaged(text: list[str], kind: str):
    """(line, damaged line) for the lines ``kind`` can carry (CP949 has no emoji)."""
    for line in text:
        try:
            yield line, mojibake(line, kind)
        except UnicodeError:
            continue


def count(pairs) -> tuple[int, int, int]:
    exact = quarantined = other = 0
    for truth, bad in pairs:
        res = pipeline.clean_text(bad)
        if res["text"] == truth:
            exact += 1
        elif res["quarantine"]:
            quarantined += 1
        else:
            other += 1
    return exact, quarantined, other


def main() -> None:
    text = lines()
    print(f"{len(text)} lines of the seed notes")
    print("kind: exact / quarantined / neither")
    e, q, o = count((x, garble(x, seed=i, nfc=True)) for i, x in enumerate(text))
    print(f"cid+nfc: {e} / {q} / {o}")
    for kind in sorted(MOJIBAKE):
        e, q, o = count(damaged(text, kind))
        print(f"{kind}: {e} / {q} / {o}")


if __name__ == "__main__":
    main()
