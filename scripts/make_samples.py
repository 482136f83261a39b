#!/usr/bin/env python3
"""Build the garbled sample decks and their golden JSONL from the clean sources.

    python scripts/make_samples.py        # rewrites samples/*.txt and samples/*.expected.jsonl

Sources are ``samples/src/<deck>.slides.txt``: the clean slides, written by this
project, separated by lines holding only ``---``. Each slide is garbled with
``pipeline.simulate.garble`` (CIDs as code points, some Latin in the Korean font,
dropped control characters, then NFC) and the deck is laid out as a transcript
page: the first deck as a Speaker Deck page, the second in the player layout.

The golden record of a slide holds the record fields the pipeline must produce:
``raw`` (the garbled slide as the reader joins it), ``text`` (the clean source
minus characters the damage destroyed: ASCII whose CID is below 32 is dropped by
extractors and cannot come back), ``alignment`` (notes file and section, from
``samples/golden_alignment.json``, written with the notes), plus ``damage``:
the kinds of damage the simulator applied to that slide (``cid``,
``shifted-ascii``, ``dropped``, ``nfc``, and ``ambiguous-symbol`` where a symbol
came out as a character decks use as itself, e.g. √ as ``²``, or not glued to Korean:
both are left as they are, by design).
"""

from __future__ import annotations

import json
import sys
import textwrap
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.simulate import garble, shows_as_itself  # noqa: E402

SAMPLES = ROOT / "samples"
LAYOUTS = {  # deck -> (layout, author, date, seed)
    "talk_transformers_ko": ("speakerdeck", "Seulgi Han", "March 16, 2024", 1),
    "talk_speech_vision_ko": ("player", "Daon Jung", "October 19, 2024", 2),
}
SHIFT_ASCII = 0.25  # share of Korean-font tokens whose Latin is in the Korean font too


def read_slides(path: Path) -> list[str]:
    blocks, cur = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() == "---":
            blocks.append(cur)
            cur = []
        else:
            cur.append(line)
    blocks.append(cur)
    return [" ".join(x.strip() for x in b if x.strip()) for b in blocks if any(x.strip() for x in b)]


def is_syllable(ch: str) -> bool:
    return "\uac00" <= ch <= "\ud7a3"


def glued_to_syllable(text: str, i: int) -> bool:
    return any(0 <= j < len(text) and is_syllable(text[j]) for j in (i - 1, i + 1))


def damage(clean: str, seed: int) -> tuple[str, str, list[str]]:
    """(raw, recoverable clean text, damage kinds) for one slide."""
    kept = garble(clean, seed=seed, shift_ascii=SHIFT_ASCII, drop_controls=False, nfc=False)
    assert len(kept) == len(clean)  # one output character per input character before dropping
    raw_no_nfc = "".join(c for c in kept if ord(c) >= 0x20)
    raw = unicodedata.normalize("NFC", raw_no_nfc)
    recoverable = "".join(c for c, k in zip(clean, kept) if ord(k) >= 0x20)
    kinds = []
    if any(c != k and ord(c) >= 0x80 for c, k in zip(clean, kept)):
        kinds.append("cid")
    if any(c != k and not is_syllable(c) and ord(c) >= 0x80 and not glued_to_syllable(clean, i)
           or shows_as_itself(k) and c != k for i, (c, k) in enumerate(zip(clean, kept))):
        kinds.append("ambiguous-symbol")
    if any(c != k and ord(c) < 0x80 for c, k in zip(clean, kept)):
        kinds.append("shifted-ascii")
    if recoverable != clean:
        kinds.append("dropped")
    if raw != raw_no_nfc:
        kinds.append("nfc")
    return " ".join(raw.split()), " ".join(recoverable.split()), kinds


def layout_speakerdeck(title: str, author: str, date: str, raws: list[str]) -> str:
    head = [f"{title[:40]} ...", "", author, date, "", title, "", "Transcript", ""]
    body = []
    for n, raw in enumerate(raws, 1):
        lines = textwrap.wrap(raw, 70, break_long_words=False, break_on_hyphens=False) or [raw]
        body.append(f"  {n}. {lines[0]}")
        if len(lines) > 1:
            body.append("")
            body += [f"    {x}" for x in lines[1:]]
        if n % 10 == 0:
            body.append("  View Slide")
    return "\n".join(head + body) + "\n"


def layout_player(title: str, author: str, date: str, raws: list[str]) -> str:
    out = [author, date, title, ""]
    for n, raw in enumerate(raws, 1):
        out += [f"Slide {n}", f"Slide {n} text"]
        out += textwrap.wrap(raw, 70, break_long_words=False, break_on_hyphens=False) or [raw]
    return "\n".join(out) + "\n"


def gold_alignment(deck: str) -> dict[int, dict]:
    """slide -> {notes, section} from samples/golden_alignment.json (written with the notes)."""
    spec = json.loads((SAMPLES / "golden_alignment.json").read_text(encoding="utf-8"))[deck]
    out = {}
    for sec in spec["sections"]:
        lo, hi = sec["slides"]
        for n in range(lo, hi + 1):
            out[n] = {"notes": spec["notes"], "section": sec["section"]}
    return out


def main() -> None:
    for deck, (layout, author, date, seed) in LAYOUTS.items():
        slides = read_slides(SAMPLES / "src" / f"{deck}.slides.txt")
        damaged = [damage(s, seed * 1000 + i) for i, s in enumerate(slides, 1)]
        title = slides[0]
        make = layout_speakerdeck if layout == "speakerdeck" else layout_player
        name = f"{deck}.txt"
        (SAMPLES / name).write_text(make(title, author, date, [d[0] for d in damaged]), encoding="utf-8")
        gold = gold_alignment(name)
        with open(SAMPLES / f"{deck}.expected.jsonl", "w", encoding="utf-8") as fh:
            for n, (raw, text, kinds) in enumerate(damaged, 1):
                rec = {"deck": name, "slide": n, "raw": raw, "text": text, "alignment": gold.get(n),
                       "damage": kinds}
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        counts = {k: sum(k in d[2] for d in damaged) for k in ("cid", "ambiguous-symbol", "shifted-ascii", "dropped", "nfc")}
        print(f"{name}: {len(slides)} slides, damage per slide kind: {counts}")


if __name__ == "__main__":
    main()
