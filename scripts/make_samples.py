#!/usr/bin/env python3
"""Build the garbled sample decks and their golden JSONL from the clean sources.

    python scripts/make_samples.py        # rewrites samples/*.txt, samples/cjk/*.txt and their *.expected.jsonl
    python scripts/make_samples.py OUT    # writes them under OUT instead (OUT/… and OUT/cjk/…)

Sources are ``samples/src/<deck>.slides.txt`` (the Korean talks) and
``samples/cjk/src/<deck>.slides.txt`` (a Japanese, a simplified-Chinese and a
traditional-Chinese talk): the clean slides, written by this project, separated by lines
holding only ``---``; they are the clean versions of the decks. Each slide is garbled with
``pipeline.simulate.garble`` in its deck's CID collection (Adobe-Korea1, -Japan1, -GB1,
-CNS1: CIDs as code points, some Latin in the CJK font, dropped control characters, then
NFC) and the deck is laid out as a transcript page, as a Speaker Deck page or in the
player layout. Everything is seeded: the same sources give the same bytes.

The golden record of a slide holds the record fields the pipeline must produce:
``raw`` (the garbled slide as the reader joins it), ``text`` (the clean source
minus characters the damage destroyed: ASCII whose CID is below 32 is dropped by
extractors and cannot come back), ``alignment`` (notes file and section, from
``samples/golden_alignment.json``, written with the notes), plus ``damage``:
the kinds of damage the simulator applied to that slide (``cid``,
``shifted-ascii``, ``dropped``, ``nfc``, and ``ambiguous-symbol`` where a symbol
came out as a character decks use as itself, e.g. √ as ``²``, or not glued to a letter of
the deck's language: both are left as they are, by design). The CJK decks have no notes:
their ``alignment`` is null.
"""

from __future__ import annotations

import json
import sys
import textwrap
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.models.cid_profile import DEFAULT_PROFILE  # noqa: E402
from pipeline.simulate import garble, letter_pattern, shows_as_itself  # noqa: E402

SAMPLES = ROOT / "samples"
LAYOUTS = {  # deck -> (layout, author, date, seed)
    "talk_transformers_ko": ("speakerdeck", "Seulgi Han", "March 16, 2024", 1),
    "talk_speech_vision_ko": ("player", "Daon Jung", "October 19, 2024", 2),
}
CJK_DIR = "cjk"  # samples/cjk: decks in the other collections, no notes
CJK_LAYOUTS = {  # deck -> (layout, author, date, seed, CID profile)
    "talk_observability_ja": ("speakerdeck", "Haruka Morikawa", "June 14, 2024", 3, "adobe-japan1"),
    "talk_vector_search_zh_hans": ("player", "Siyuan Lin", "May 18, 2024", 4, "adobe-gb1"),
    "talk_web_performance_zh_hant": ("speakerdeck", "Boyu Chen", "September 7, 2024", 5, "adobe-cns1"),
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


def is_letter(ch: str, profile: str = DEFAULT_PROFILE) -> bool:
    """A letter of the collection's language (a Hangul syllable for Adobe-Korea1)."""
    return bool(letter_pattern(profile).match(ch))


def glued_to_letter(text: str, i: int, profile: str = DEFAULT_PROFILE) -> bool:
    return any(0 <= j < len(text) and is_letter(text[j], profile) for j in (i - 1, i + 1))


def damage(clean: str, seed: int, profile: str = DEFAULT_PROFILE) -> tuple[str, str, list[str]]:
    """(raw, recoverable clean text, damage kinds) for one slide."""
    kept = garble(clean, profile=profile, seed=seed, shift_ascii=SHIFT_ASCII, drop_controls=False, nfc=False)
    assert len(kept) == len(clean)  # one output character per input character before dropping
    raw_no_nfc = "".join(c for c in kept if ord(c) >= 0x20)
    raw = unicodedata.normalize("NFC", raw_no_nfc)
    recoverable = "".join(c for c, k in zip(clean, kept) if ord(k) >= 0x20)
    kinds = []
    if any(c != k and ord(c) >= 0x80 for c, k in zip(clean, kept)):
        kinds.append("cid")
    if any(c != k and not is_letter(c, profile) and ord(c) >= 0x80 and not glued_to_letter(clean, i, profile)
           or shows_as_itself(k, profile) and c != k for i, (c, k) in enumerate(zip(clean, kept))):
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


def decks() -> list[tuple[str, str, str, str, str, int, str]]:
    """(folder under samples/, deck, layout, author, date, seed, CID profile) of every sample deck."""
    out = [("", deck, *spec, DEFAULT_PROFILE) for deck, spec in LAYOUTS.items()]
    return out + [(CJK_DIR, deck, *spec) for deck, spec in CJK_LAYOUTS.items()]


def build(folder: str, deck: str, layout: str, author: str, date: str, seed: int,
          profile: str) -> tuple[str, str, list[tuple[str, str, list[str]]]]:
    """(page text, expected JSONL text, damaged slides) of one sample deck."""
    slides = read_slides(SAMPLES / folder / "src" / f"{deck}.slides.txt")
    damaged = [damage(s, seed * 1000 + i, profile) for i, s in enumerate(slides, 1)]
    title = slides[0]
    make = layout_speakerdeck if layout == "speakerdeck" else layout_player
    name = f"{deck}.txt"
    page = make(title, author, date, [d[0] for d in damaged])
    gold = gold_alignment(name) if not folder else {}
    lines = []
    for n, (raw, text, kinds) in enumerate(damaged, 1):
        rec = {"deck": name, "slide": n, "raw": raw, "text": text, "alignment": gold.get(n), "damage": kinds}
        lines.append(json.dumps(rec, ensure_ascii=False) + "\n")
    return page, "".join(lines), damaged


def main(out: Path = SAMPLES) -> None:
    for folder, deck, layout, author, date, seed, profile in decks():
        page, expected, damaged = build(folder, deck, layout, author, date, seed, profile)
        where = out / folder
        where.mkdir(parents=True, exist_ok=True)
        name = f"{deck}.txt"
        with open(where / name, "w", encoding="utf-8") as fh:
            fh.write(page)
        with open(where / f"{deck}.expected.jsonl", "w", encoding="utf-8") as fh:
            fh.write(expected)
        counts = {k: sum(k in d[2] for d in damaged) for k in ("cid", "ambiguous-symbol", "shifted-ascii", "dropped", "nfc")}
        print(f"{Path(folder) / name}: {len(damaged)} slides ({profile}), damage per slide kind: {counts}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else SAMPLES)
