"""The review page, rendered in headless Chromium: no console errors, counts equal the JSONL's."""

from __future__ import annotations

import html.parser
import json
import shutil
import subprocess
from collections import Counter

import pytest
from click.testing import CliRunner

from paths import ROOT, SEED_DECK, SHARED
from pipeline.cli import main

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--enable-logging=stderr", "--v=0"]


class DataAttrs(html.parser.HTMLParser):
    """Collects the data-* attributes of the rendered DOM, with the text of counted cells."""

    def __init__(self):
        super().__init__()
        self.attrs: list[dict] = []
        self._open: dict | None = None

    def handle_starttag(self, tag, attrs):
        d = {k: v for k, v in attrs if k.startswith("data-")}
        if d:
            d["_tag"] = tag
            self.attrs.append(d)
            self._open = d if tag == "td" else None

    def handle_data(self, data):
        if self._open is not None and data.strip():
            self._open["_text"] = data.strip()
            self._open = None


def chromium(tmp_path, page, *extra):
    if CHROMIUM is None:
        pytest.fail("Chromium is missing: the README's test command installs Debian's chromium package")
    profile = tmp_path / "profile"
    return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *extra, page.as_uri()],
                          capture_output=True, text=True, timeout=120)


def test_seed_report_in_headless_chromium(shared, tmp_path):
    out, page = tmp_path / "seed.jsonl", tmp_path / "report.html"
    res = CliRunner().invoke(main, [str(SEED_DECK), "-o", str(out), "--notes", str(SHARED / "seeds"),
                                    "--report", str(page)])
    assert res.exit_code == 0, res.output
    recs = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    dom = chromium(tmp_path, page, "--dump-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    console = [line for line in dom.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]
    assert console == []
    parser = DataAttrs()
    parser.feed(dom.stdout)
    head = next(a for a in parser.attrs if "data-slides" in a)
    rules = Counter(r["rule"] for rec in recs for r in rec["repairs"])
    assert int(head["data-slides"]) == len(recs) == 59
    assert int(head["data-repairs"]) == sum(rules.values())
    assert int(head["data-quarantined"]) == sum(len(rec["quarantine"]) for rec in recs)
    assert int(head["data-aligned"]) == sum(1 for rec in recs if rec["alignment"])
    shown = {a["data-count-rule"]: int(a["_text"]) for a in parser.attrs if "data-count-rule" in a}
    assert shown == dict(rules)
    marks = Counter(a["data-rule"] for a in parser.attrs if "data-rule" in a)
    assert marks == Counter({k: 2 * v for k, v in rules.items()})  # marked in raw and in clean
    slides = [int(a["data-slide"]) for a in parser.attrs if "data-slide" in a]
    assert slides == [rec["slide"] for rec in recs]
    unused = [a["data-unused-section"] for a in parser.attrs if "data-unused-section" in a]
    assert "000_01a281d0afb4a851.txt: AllReduce Distributed Learning" in unused
    shot = tmp_path / "shot.png"
    run = chromium(tmp_path, page, f"--screenshot={shot}", "--window-size=1280,1600", "--hide-scrollbars")
    assert run.returncode == 0 and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000


def test_report_command_and_bad_records(tmp_path):
    out, page = tmp_path / "t.jsonl", tmp_path / "t.html"
    sample = ROOT / "samples" / "talk_transformers_ko.txt"
    assert CliRunner().invoke(main, [str(sample), "-o", str(out), "--notes", str(ROOT / "samples" / "notes")]).exit_code == 0
    res = CliRunner().invoke(main, ["report", str(out), "-o", str(page), "--notes", str(ROOT / "samples" / "notes")])
    assert res.exit_code == 0, res.output
    text = page.read_text(encoding="utf-8")
    assert "<script" not in text and "http" not in text.split("</style>")[0]  # self-contained
    assert "Noto Sans KR" in text and "sans-serif" in text
    assert "두 번째 발표" in text  # the second talk's sections are listed without slides
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["report", str(bad), "-o", str(page)])
    assert res.exit_code == 2 and "bad.jsonl" in res.output
