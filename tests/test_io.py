"""Every input through one path: outputs that are devices, streaming as it reads, notes that
are no notes, one unit of counting, Ctrl-C, batch names, Parquet, frames."""

from __future__ import annotations

import json
import os
import select
import signal
import socket
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.simulate import garble

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
DECK = "Transcript\n  1. " + garble("오늘 발표는 김준성입니다", nfc=False) + "\n  2. Second slide\n"


def cmd(*args, **kw):
    return subprocess.run([sys.executable, "-m", "pipeline", *args], capture_output=True, text=True, timeout=120, **kw)


@pytest.fixture
def deck_file(tmp_path):
    p = tmp_path / "talk.txt"
    p.write_text(DECK, encoding="utf-8")
    return p


# 1. outputs that are not regular files
def test_dev_full_is_one_line_and_stays_a_device(deck_file):
    res = cmd(str(deck_file), "-o", "/dev/full")
    assert res.returncode == 2 and "cannot write" in res.stderr and "Traceback" not in res.stderr, res.stderr
    assert len(res.stderr.strip().splitlines()) == 1
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_a_fifo_is_written_in_place(deck_file, tmp_path):
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(open(fifo, "rb").read()))
    reader.start()
    res = cmd(str(deck_file), "-o", str(fifo))
    reader.join(30)
    assert res.returncode == 0, res.stderr
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert [json.loads(x)["slide"] for x in got[0].decode().splitlines()] == [1, 2]


def test_a_socket_is_refused_not_replaced(deck_file, tmp_path):
    path = tmp_path / "s.sock"
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(path))
    try:
        res = cmd(str(deck_file), "-o", str(path))
        assert res.returncode == 2 and "not replaced" in res.stderr and len(res.stderr.strip().splitlines()) == 1
        assert stat.S_ISSOCK(os.stat(path).st_mode)
    finally:
        sock.close()


# 2. long inputs: written as they are cleaned, progress only on a terminal
def plain_slides(n: int, start: int = 0) -> bytes:
    return "".join(f"Slide {k} plain text about streams and chunks, " * 12 + "\f" for k in range(start, start + n)).encode()


def test_records_come_out_before_the_input_ends():
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "-", "-o", "-"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out: list[bytes] = []
    drain = threading.Thread(target=lambda: out.extend(proc.stdout))
    drain.start()
    try:
        proc.stdin.write(plain_slides(2600))  # > one chunk of slides, > the sniffed start; the pipe stays open
        proc.stdin.flush()
        deadline = time.monotonic() + 90
        while len(out) < 2000 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(out) >= 2000, "no record before the input ended"
        assert json.loads(out[0])["slide"] == 1 and proc.poll() is None  # still reading
        proc.stdin.write(plain_slides(10, 2600))
        proc.stdin.close()
        assert proc.wait(60) == 0
        drain.join(30)
        assert len(out) == 2610
        assert proc.stderr.read() == b""  # stderr is no terminal: no progress
    finally:
        proc.kill()
        proc.wait()


# 3. notes that are no notes
def test_binary_and_empty_notes_are_said_and_counted(deck_file, tmp_path):
    (tmp_path / "n").mkdir()
    (tmp_path / "n" / "empty.md").write_bytes(b"")
    (tmp_path / "n" / "image.md").write_bytes(b"\x89PNG\x00\x00\x00")
    (tmp_path / "n" / "good.md").write_text("# 노트\n본문입니다", encoding="utf-8")
    res = CliRunner().invoke(main, [str(deck_file), "--notes", str(tmp_path / "n"), "--summary"])
    assert res.exit_code == 0, res.output
    lines = res.stderr.strip().splitlines()
    said = [x for x in lines if "notes skipped" in x]
    assert len(said) == 2 and any("empty.md" in x and "empty" in x for x in said)
    assert any("image.md" in x and "binary" in x for x in said)
    assert json.loads(lines[-1])["notes_skipped"] == 2


# 4. one unit: repairs per rule, the same on the summary and the review page
def test_summary_and_review_page_count_the_same_repairs(deck_file, tmp_path):
    import re

    page = tmp_path / "r.html"
    res = CliRunner().invoke(main, [str(deck_file), "-o", str(tmp_path / "o.jsonl"), "--summary", "--report", str(page)])
    assert res.exit_code == 0, res.output
    summary = json.loads(res.stderr.strip().splitlines()[-1])
    html = page.read_text(encoding="utf-8")
    on_page = {m[0]: int(m[1]) for m in re.findall(r'data-count-rule="([^"]+)">(\d+)<', html)}
    assert summary["repairs"] == on_page and sum(on_page.values()) > 0
    assert sum(summary["characters_repaired"].values()) > sum(summary["repairs"].values())


def test_summary_keys_are_the_same_for_a_pdf_and_a_transcript(deck_file, tmp_path):
    from pdf_maker import write_pdf
    from test_pdf import lines

    pdf = tmp_path / "t.pdf"
    pdf.write_bytes(write_pdf([lines("Hello world"), lines("Second page")]))
    keys = []
    for src in (deck_file, pdf):
        res = CliRunner().invoke(main, [str(src), "-o", str(tmp_path / "o.jsonl"), "--summary"])
        assert res.exit_code == 0, res.output
        keys.append(list(json.loads(res.stderr.strip().splitlines()[-1])))
    assert keys[0] == keys[1] and "streamed" not in keys[0]


def test_a_parent_heading_without_text_is_no_section_without_slides():
    from pipeline.align.aligner import Aligner
    from pipeline.read.notes import read_notes

    notes = read_notes("# Part one\n## BERT\nBERT 이야기 본문\n## Empty leaf\n\n# Part two\nits own text here", "n.md")
    al = Aligner([notes])
    listed = [notes.sections[sid].heading for sid in range(len(al.sections)) if al.listed(sid)]
    assert listed == ["BERT", "Empty leaf", "Part two"]


# 5. Ctrl-C, batch -o -, help, messages said once, batch names
def test_ctrl_c_exits_130_with_one_line(tmp_path):
    for args in (["-", "-o", "-"],):  # batch's Ctrl-C: tests/test_faults.py (SIGINT, 130)
        proc = subprocess.Popen([sys.executable, "-m", "pipeline", *args], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path)
        time.sleep(3)  # imports done; waiting on stdin
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 130, err
        assert len(err.decode().strip().splitlines()) == 1 and "interrupted" in err.decode()


def test_ctrl_c_in_clean_exits_130(deck_file, monkeypatch):
    import pipeline.io.stream as stream

    def interrupted(*a, **k):
        raise KeyboardInterrupt
    monkeypatch.setattr(stream, "run_steps", interrupted)
    res = CliRunner().invoke(main, [str(deck_file)])
    assert res.exit_code == 130 and res.stderr.strip().count("\n") == 0 and "interrupted" in res.stderr


def test_batch_to_stdout_is_an_error(deck_file, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # where a folder named '-' would appear
    res = CliRunner().invoke(main, ["batch", str(deck_file), "-o", "-"], catch_exceptions=False)
    assert res.exit_code == 2 and "-o -" in res.output
    assert not Path("-").exists()


def test_help_shows_whole_descriptions():
    res = CliRunner().invoke(main, ["--help"])
    text = " ".join(res.output.split())
    assert "into one JSON record per slide." in text and "...)" not in text and ". report" in text
    assert "(a clean-slides JSONL)." in text


def test_the_empty_file_message_names_the_file_once(tmp_path):
    src = tmp_path / "x.txt"
    src.write_bytes(b"")
    res = CliRunner().invoke(main, [str(src)])
    assert res.exit_code == 2 and res.output.count("x.txt") == 1, res.output


def test_batch_writes_stems_and_keeps_same_stems_apart(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "talk.txt").write_text(DECK, encoding="utf-8")
    (tmp_path / "b" / "talk.txt").write_text(DECK.replace("Second", "Other"), encoding="utf-8")
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["batch", str(tmp_path / "a" / "talk.txt"), str(tmp_path / "b" / "talk.txt"),
                                    "-o", str(out), "--jobs", "1", "--no-progress"])
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in out.glob("*.jsonl")) == ["talk-2.jsonl", "talk.jsonl"]
    assert "Other slide" in (out / "talk-2.jsonl").read_text(encoding="utf-8")
    assert "Second slide" in (out / "talk.jsonl").read_text(encoding="utf-8")


# 6. Parquet by the suffix, frames
def test_parquet_by_the_suffix_round_trips(tmp_path):
    from pipeline.io.frames import read_frame

    src, out, ref = tmp_path / "bad.txt", tmp_path / "o.parquet", tmp_path / "o.jsonl"
    src.write_bytes(DECK.encode())
    assert CliRunner().invoke(main, [str(src), "-o", str(out)]).exit_code == 0
    assert CliRunner().invoke(main, [str(src), "-o", str(ref)]).exit_code == 0
    assert out.read_bytes()[:4] == b"PAR1"
    expected = [json.loads(x) for x in ref.read_text(encoding="utf-8").splitlines()]
    assert read_frame(out).to_dict(orient="records") == expected


def test_parquet_without_pyarrow_is_a_clear_error(deck_file, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    out = tmp_path / "o.parquet"
    res = CliRunner().invoke(main, [str(deck_file), "-o", str(out)])
    assert res.exit_code == 2 and "pyarrow" in res.output and res.output.strip().count("\n") == 0
    assert list(tmp_path.iterdir()) == [deck_file]


def test_clean_frame_keeps_the_callers_columns():
    from pipeline.clean import clean_frame

    df = pd.DataFrame({"id": [7, 8], "deck": ["d", "d"], "slide": [1, 2], "text": ["ӣળࢿ", "plain"]}, index=[5, 6])
    out = clean_frame(df)
    assert list(out.columns)[:4] == ["id", "deck", "slide", "text"] and out["id"].tolist() == [7, 8]
    assert out["text"].tolist() == ["김준성", "plain"] and out["raw"].tolist() == ["ӣળࢿ", "plain"]


def test_slides_frame_feeds_clean_frame(tmp_path):
    from pipeline.clean import clean_frame
    from pipeline.io.frames import slides_frame

    deck = SAMPLES / "talk_transformers_ko.txt"
    df = slides_frame([deck, ("b.txt", "one\ftwo")])
    assert list(df.columns) == ["deck", "slide", "text"] and len(df) == 38
    out = tmp_path / "o.jsonl"
    assert CliRunner().invoke(main, [str(deck), "-o", str(out)]).exit_code == 0
    cli = [json.loads(x)["text"] for x in out.read_text(encoding="utf-8").splitlines()]
    assert clean_frame(df)["text"].tolist()[:36] == cli
