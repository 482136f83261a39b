"""The clean-slides command: files and pipes, clear errors, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.simulate import garble

DECK = "Transcript\n  1. " + garble("오늘 발표는 김준성입니다", nfc=False) + "\n  2. Second slide\n"


@pytest.fixture
def deck_file(tmp_path):
    p = tmp_path / "talk.txt"
    p.write_text(DECK, encoding="utf-8")
    return p


def records(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_file_to_file(deck_file, tmp_path):
    out = tmp_path / "out.jsonl"
    res = CliRunner().invoke(main, [str(deck_file), "-o", str(out)])
    assert res.exit_code == 0, res.output
    recs = records(out.read_text(encoding="utf-8"))
    assert [(r["deck"], r["slide"], r["text"]) for r in recs] == [
        ("talk.txt", 1, "오늘 발표는 김준성입니다"), ("talk.txt", 2, "Second slide")]
    assert not list(tmp_path.glob("*.part")), "no temporary file is left behind"


def test_stdin_to_stdout():
    res = CliRunner().invoke(main, ["-", "-o", "-"], input=DECK.encode("utf-8"))
    assert res.exit_code == 0
    assert records(res.stdout)[0]["deck"] == "stdin"


def test_python_dash_m_is_the_same_command(deck_file, tmp_path):
    out = tmp_path / "o.jsonl"
    proc = subprocess.run([sys.executable, "-m", "pipeline", str(deck_file), "-o", str(out)], capture_output=True)
    assert proc.returncode == 0, proc.stderr
    assert len(records(out.read_text(encoding="utf-8"))) == 2


@pytest.mark.parametrize("content", [b"", b"  \n\n", b"Transcript\n"])
def test_no_slide_exits_2_and_writes_nothing(tmp_path, content):
    src, out = tmp_path / "empty.txt", tmp_path / "out.jsonl"
    src.write_bytes(content)
    res = CliRunner().invoke(main, [str(src), "-o", str(out)])
    assert res.exit_code == 2
    assert "no slide" in res.output and "empty.txt" in res.output
    assert not out.exists()


def test_missing_file_is_a_usage_error(tmp_path):
    res = CliRunner().invoke(main, [str(tmp_path / "nope.txt")])
    assert res.exit_code == 2
    assert "does not exist" in res.output
    assert "Traceback" not in res.output


def test_invalid_utf8_is_quarantined_and_raw_round_trips(tmp_path):
    src, out = tmp_path / "bad.txt", tmp_path / "out.jsonl"
    src.write_bytes(b"page one \xff\xfe end\fpage two")
    res = CliRunner().invoke(main, [str(src), "-o", str(out)])
    assert res.exit_code == 0, res.output
    out.read_text(encoding="utf-8")  # the file is valid UTF-8
    first = records(out.read_text(encoding="utf-8"))[0]
    assert first["text"] == "page one \ufffd end"
    (q,) = first["quarantine"]
    assert (q["start"], q["end"], q["reason"]) == (9, 11, "invalid-utf8")
    assert first["raw"].encode("utf-8", "surrogateescape") == b"page one \xff\xfe end"


def test_placeholder_and_summary(tmp_path):
    src, out = tmp_path / "p.txt", tmp_path / "out.jsonl"
    src.write_text("a (cid:8100) b", encoding="utf-8")
    res = CliRunner().invoke(main, [str(src), "-o", str(out), "--placeholder", "", "--summary"])
    assert res.exit_code == 0
    assert records(out.read_text(encoding="utf-8"))[0]["text"] == "a  b"
    summary = json.loads(res.stderr.strip().splitlines()[-1])
    assert summary["slides"] == 1 and summary["quarantined_spans"] == 1


def test_forced_format(deck_file):
    res = CliRunner().invoke(main, [str(deck_file), "--format", "plain"])
    assert res.exit_code == 0
    assert len(records(res.stdout)) == 1


def test_notes_option_accepts_files(deck_file, tmp_path):
    notes = tmp_path / "notes.md"
    notes.write_text("# 노트\n본문", encoding="utf-8")
    res = CliRunner().invoke(main, [str(deck_file), "--notes", str(notes), "--notes", str(tmp_path)])
    assert res.exit_code == 0
