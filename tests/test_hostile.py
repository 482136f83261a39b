"""The catalogue of hostile inputs: each has a clear outcome (README, "Limits and bad input")."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner

import pipeline
from paths import ROOT
from pipeline.cli import main
from pipeline.read.inputs import MAX_SLIDE_CHARS
from pipeline.simulate import garble

DECK = "Transcript\n  1. " + garble("오늘 발표는 세션들을 소개합니다", nfc=False) + "\n  2. Second slide\n"


def run(tmp_path, data: bytes, *args):
    src, out = tmp_path / "input.txt", tmp_path / "out.jsonl"
    src.write_bytes(data)
    res = CliRunner().invoke(main, [str(src), "-o", str(out), *args])
    recs = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()] if out.exists() else None
    return res, recs


@pytest.mark.parametrize("data, reason", [
    (b"", "no slide"), (b" \n\t\n  \r\n", "no slide"), (b"\x00\x01\x02binary\x00", "binary file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary file"), (b"Transcript\n\n", "no slide"),
])
def test_rejected_inputs_exit_2_name_the_file_and_write_nothing(tmp_path, data, reason):
    res, recs = run(tmp_path, data)
    assert res.exit_code == 2 and reason in res.output and "input.txt" in res.output
    assert recs is None and not list(tmp_path.glob("*.part"))


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig", "utf-32"])
def test_byte_order_marks(tmp_path, encoding):
    res, recs = run(tmp_path, DECK.encode(encoding))
    assert res.exit_code == 0, res.output
    assert [r["text"] for r in recs] == ["오늘 발표는 세션들을 소개합니다", "Second slide"]


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_crlf_and_lone_cr(tmp_path, newline):
    _, want = run(tmp_path, DECK.encode())
    res, recs = run(tmp_path, DECK.replace("\n", newline).encode())
    assert res.exit_code == 0 and recs == want


def test_a_100_mb_line_is_rejected_with_bounded_memory(tmp_path):
    src = tmp_path / "line.txt"
    with open(src, "wb") as fh:
        block = ("가나다 abc " * 100_000).encode()
        while fh.tell() < 100 * 1024 * 1024:
            fh.write(block)
    # the peak of this process's own memory (VmHWM): ru_maxrss would also count the test
    # runner's memory at the fork, which Linux keeps across exec
    code = ("import re,sys; from pipeline.cli import main\n"
            "try:\n main([sys.argv[1], '-o', sys.argv[2]])\nexcept SystemExit as e:\n"
            " hwm = re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read())\n"
            " print(e.code, int(hwm.group(1)) // 1024)")
    proc = subprocess.run([sys.executable, "-c", code, str(src), str(tmp_path / "o.jsonl")],
                          capture_output=True, text=True)
    status, peak_mb = map(int, proc.stdout.split())
    assert status == 2 and "over the limit" in proc.stderr and f"{MAX_SLIDE_CHARS:,}" in proc.stderr
    assert peak_mb < 300, peak_mb
    assert not (tmp_path / "o.jsonl").exists()


def test_100000_slides(tmp_path):
    pages = "\f".join(f"slide {i} " + ("설명" if i % 3 else garble("발표 자료")) for i in range(100_000))
    res, recs = run(tmp_path, pages.encode(), "--format", "plain")
    assert res.exit_code == 0, res.output
    assert len(recs) == 100_000 and recs[-1]["slide"] == 100_000
    assert recs[3]["text"] == "slide 3 발표 자료" and recs[2]["text"] == "slide 2 설명"


def test_slide_numbers_out_of_order_or_repeated(tmp_path):
    deck = "Transcript\n  3. third\n  1. first\n    continued\n  1. first again\n  7. seventh\n"
    res, recs = run(tmp_path, deck.encode())
    assert res.exit_code == 0
    assert [(r["slide"], r["text"]) for r in recs] == [(3, "third"), (1, "first continued"), (1, "first again"),
                                                         (7, "seventh")]


def test_hostile_notes(tmp_path):
    nested = "\n".join("  " * k + "- item" for k in range(10_000))
    huge_heading = "## " + "Attention " * 100_000
    notes = [("nested.md", "# Talk\n" + nested + "\n## BERT\n본문"), ("heading.md", huge_heading + "\n본문")]
    deck = ("Transcript\n  1. Agenda\n  2. BERT: Pre-training of Deep Bidirectional Transformers Motivation a\n"
            "  3. BERT Model b\n  4. BERT Result c\n")
    d = pipeline.clean_deck(deck, name="d", notes=notes)
    assert [s.alignment["section"] if s.alignment else None for s in d.slides][1:] == ["BERT"] * 3


@pytest.mark.parametrize("s", [
    "\udc80\udcff broken", "lone \ud800 and \udfff surrogates", "private \ue000\U000f0000 use",
    "unassigned \u0378\u0a49\U000e0080", "controls \x00\x01\x07\x1b\x7f\x85 here",
])
def test_odd_code_points_never_crash_and_stay_lossless(s):
    res = pipeline.clean_text(s)
    assert res["raw"] == s
    out = pipeline.clean_deck(s, name="d").records()[0]
    from pipeline.io.jsonl import dumps

    assert json.loads(dumps(out))["raw"] == s


def test_private_use_and_controls_in_clean_text_pass_through():
    for s in ("private \ue000\U000f0000 use", "bell \x07 and escape \x1b kept"):
        assert pipeline.clean_text(s)["text"] == s


def test_control_cids_in_a_garbled_slide_are_shifted_latin():
    raw = garble("오늘 발표는 세션", nfc=False) + "\x13\x11\x12\x1a" + garble("년", nfc=False)  # digits: CIDs 17-26
    assert pipeline.clean_text(raw)["text"] == "오늘 발표는 세션2019년"


def test_fuzz_smoke(tmp_path):
    """The atheris harness runs a short coverage-guided session without a crash."""
    pytest.importorskip("atheris")
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "fuzz" / "corpus", corpus)
    proc = subprocess.run([sys.executable, str(ROOT / "fuzz" / "fuzz_clean.py"), str(corpus), "-runs=2000",
                           "-max_total_time=120"], capture_output=True, text=True, env={**os.environ})
    assert proc.returncode == 0, proc.stderr[-2000:]
    done = [line for line in proc.stderr.splitlines() if line.startswith("Done")]
    print("fuzz smoke:", done)
    assert done and "2000 runs" in done[-1]
