#!/usr/bin/env python3
"""Print the mojibake table of docs/measurements.md: each kind, an example, ftfy 6.3.1, clean-slides.

    python scripts/mojibake_table.py

``tests/test_mojibake.py`` checks that docs/measurements.md holds exactly this output.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import ftfy  # noqa: E402

import pipeline  # noqa: E402
from pipeline.simulate import MOJIBAKE, mojibake  # noqa: E402

EXAMPLES = {"utf-8-as-cp949": "결과 번역", "hex-bytes": "안녕", "nfd-jamo": "한국어",
            "utf-8-as-cp1252-nbsp-space": "데이터 공유", "utf-8-as-cp1251-fffd": "오늘 발표",
            "utf-8-as-cp949-qmarks": "로그인이 필요합니다.", "utf-8-as-cp949-qmarks-as-cp1253": "로그인이 필요합니다."}
DEFAULT = "설명 자료"


def cell(text: str) -> str:
    """Code-formatted, with invisible and conjoining characters spelled out."""
    shown = "".join(
        f"\\u{ord(c):04x}" if "\u1100" <= c <= "\u11ff" else c if c.isprintable() else f"\\x{ord(c):02x}"
        for c in text
    )
    return "`" + shown.replace("|", "\\|").replace("`", "'") + "`"


def table() -> str:
    rows = ["| kind | clean | damaged | ftfy 6.3.1 `fix_text` | clean-slides `clean_text` |",
            "|---|---|---|---|---|"]
    for kind, (what, _make) in MOJIBAKE.items():
        clean = EXAMPLES.get(kind, DEFAULT)
        damaged = mojibake(clean, kind)
        ours = pipeline.clean_text(damaged)
        note = "" if ours["text"] == clean else (" (quarantined)" if ours["quarantine"] else " (left)")
        rows.append(f"| {what} | {clean} | {cell(damaged)} | {cell(ftfy.fix_text(damaged))} | "
                    f"{cell(ours['text'])}{note} |")
    return "\n".join(rows)


if __name__ == "__main__":
    print(table())
