"""Operations under faults: a full disk, a read-only or vanished output, signals to a batch,
a batch process that dies, two batches into one folder. Each ends with one line and a
documented exit code, no traceback, nothing partial left, no worker left running."""

from __future__ import annotations

import errno
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.io import jsonl
from pipeline.simulate import garble

DECK = "Transcript\n  1. " + garble("오늘 발표는 세션들을 소개합니다") + "\n  2. Second slide\n"


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith((".part", ".jsonl")))


def no_traceback(text: str) -> bool:
    return "Traceback" not in text and text.strip().count("\n") == 0


def fail_writes(monkeypatch, code: int) -> None:
    """Every atomic write fails as the disk would: on the rename that completes it."""
    def refuse(src, dst):
        raise OSError(code, os.strerror(code))
    monkeypatch.setattr(jsonl.os, "replace", refuse)


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS, errno.EACCES])
def test_clean_into_a_failing_disk_says_so_in_one_line(tmp_path, monkeypatch, code):
    src = tmp_path / "deck.txt"
    src.write_text(DECK, encoding="utf-8")
    out = tmp_path / "out" / "deck.jsonl"
    out.parent.mkdir()
    fail_writes(monkeypatch, code)
    res = CliRunner().invoke(main, [str(src), "-o", str(out)])
    assert res.exit_code == 2 and res.exc_info[0] is SystemExit
    assert os.strerror(code) in res.output and str(out) in res.output and no_traceback(res.output)
    assert leftovers(out.parent) == []


def test_clean_into_a_vanished_folder(tmp_path):
    src = tmp_path / "deck.txt"
    src.write_text(DECK, encoding="utf-8")
    out = tmp_path / "gone" / "deck.jsonl"
    res = CliRunner().invoke(main, [str(src), "-o", str(out)])
    assert res.exit_code == 2 and "cannot write" in res.output and no_traceback(res.output)


def real_file_size_limit(args: list[str], limit: int) -> subprocess.CompletedProcess:
    """The command with a real write error: a file size limit (EFBIG) set in the process."""
    code = ("import resource, signal, sys; signal.signal(signal.SIGXFSZ, signal.SIG_IGN); "
            f"resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit})); "
            "from pipeline.cli import main; sys.argv[0] = 'clean-slides'; main()")
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=300)


def test_a_real_write_error_ends_clean_and_batch_with_one_line(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for k in range(4):
        (src / f"deck{k}.txt").write_text(DECK * 40, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    res = real_file_size_limit([str(src / "deck0.txt"), "-o", str(out / "one.jsonl")], 2000)
    assert res.returncode == 2 and "File too large" in res.stderr and no_traceback(res.stderr), res.stderr
    assert leftovers(out) == []
    res = real_file_size_limit(["batch", str(src), "-o", str(out / "many"), "--jobs", "2", "--no-progress"], 2000)
    assert res.returncode == 2 and "the batch stopped" in res.stderr and no_traceback(res.stderr), res.stderr
    assert leftovers(out / "many") == []


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS])
def test_batch_stops_at_the_first_output_error_not_per_deck(tmp_path, monkeypatch, code):
    src = tmp_path / "in"
    src.mkdir()
    for k in range(5):
        (src / f"deck{k}.txt").write_text(DECK, encoding="utf-8")
    calls = []
    real = jsonl.write_jsonl

    def full(records, path):
        calls.append(path)
        raise OSError(code, os.strerror(code))
    monkeypatch.setattr(jsonl, "write_jsonl", full)
    res = CliRunner().invoke(main, ["batch", str(src), "-o", str(tmp_path / "out"), "--jobs", "1", "--no-progress"])
    assert res.exit_code == 2 and os.strerror(code) in res.output and no_traceback(res.output), res.output
    assert len(calls) == 1  # stopped at once; no errors file written deck after deck
    assert real is not full


def test_two_batches_into_one_folder(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        (out / ".clean-slides.lock").write_text(str(holder.pid))
        src = tmp_path / "deck.txt"
        src.write_text(DECK, encoding="utf-8")
        res = CliRunner().invoke(main, ["batch", str(src), "-o", str(out), "--jobs", "1", "--no-progress"])
        assert res.exit_code == 2 and "another batch is writing here" in res.output
    finally:
        holder.kill()
        holder.wait()
    # the lock of a batch that is gone is taken over
    res = CliRunner().invoke(main, ["batch", str(src), "-o", str(out), "--jobs", "1", "--no-progress"])
    assert res.exit_code == 0 and (out / "deck.jsonl").exists() and not (out / ".clean-slides.lock").exists()


def children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def alive(pids: set[int]) -> set[int]:
    out = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            out.add(pid)
    return out


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to see the workers")
@pytest.mark.parametrize("sig,code", [(signal.SIGTERM, 143), (signal.SIGINT, 130), (signal.SIGKILL, -9)])
def test_a_signalled_batch_leaves_no_worker_and_no_partial_file(tmp_path, sig, code):
    src = tmp_path / "in"
    src.mkdir()
    rng = random.Random(7)
    for k in range(12):  # slow decks: long runs of random syllables
        text = "".join(chr(rng.randint(0xAC00, 0xD7A3)) for _ in range(30000))
        (src / f"deck{k:02}.txt").write_text(garble(text, seed=k), encoding="utf-8")
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "batch", str(src), "-o", str(out), "--jobs", "2",
                             "--no-progress"], stderr=subprocess.PIPE, text=True)
    workers: set[int] = set()
    deadline = time.time() + 60
    while len(workers) < 2 and time.time() < deadline:
        workers |= children(proc.pid)
        time.sleep(0.1)
    assert len(workers) >= 2, "the workers did not start"
    time.sleep(1.0)
    os.kill(proc.pid, sig)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == code, err
    end = time.time() + 5
    while alive(workers) and time.time() < end:
        time.sleep(0.1)
    assert not alive(workers), "workers left running"
    if sig != signal.SIGKILL:
        assert "stopped by" in err and "Traceback" not in err, err
        assert not list(out.glob(".*.part")) and not (out / ".clean-slides.lock").exists()
