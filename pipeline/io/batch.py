"""Batch ingest: many decks, worker processes, a progress bar, a summary, resumable.

``run_batch`` cleans each input file as a deck in a pool of worker processes (each loads
the models and the notes index once). Output is a folder with one ``<deck>.jsonl`` per
deck, or one ``.jsonl`` for all. A deck that fails (no slide, a binary file, an error)
is listed with its error in the summary and in the errors file (``batch.errors.jsonl``
in the folder, ``<name>.errors.jsonl`` beside a single file); it never stops the batch.
Re-running skips decks whose output is complete (``force`` redoes them): a folder's deck
file exists only once written in full; a single file is rewritten with the decks it
already holds kept.

Faults: an error of the output itself (disk full, a read-only or vanished folder, no
permission) stops the batch at once with ``OutputError``, instead of failing every deck.
SIGINT and SIGTERM stop it too: no new deck starts, the workers are ended, no partial file
is left, and ``Stopped`` carries the summary of what finished. Workers end by themselves
when the batch process dies (a parent-death signal on Linux, and a watchdog on the
parent's pid everywhere). A lock file keeps a second batch out of the same output.
"""

from __future__ import annotations

import ctypes
import errno
import glob
import json
import os
import signal
import sys
import threading
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from pathlib import Path
from typing import Iterable

from pipeline.clean import Config, make_aligner
from pipeline.deck import add_summary
from pipeline.io import jsonl
from pipeline.read.inputs import InputRejected

_worker: dict = {}
WATCHDOG_SECONDS = 0.5  # how often a worker checks that the batch process is still there
IN_FLIGHT = 2  # decks queued per worker: a stop leaves at most this many to cancel


class OutputError(OSError):
    """The output cannot be written (disk full, read-only, vanished folder, permission)."""


class Stopped(Exception):
    """The batch was stopped by a signal; ``result`` sums what finished."""

    def __init__(self, signum: int, result: dict):
        super().__init__(f"stopped by {signal.Signals(signum).name}")
        self.signum, self.result = signum, result


def output_error(path: Path, exc: OSError) -> OutputError:
    return OutputError(exc.errno, f"{path}: cannot write: {exc.strerror or exc}")


def _die_with_parent() -> None:
    """In a worker: end when the batch process ends, however it ends."""
    parent = os.getppid()
    if sys.platform.startswith("linux"):
        try:  # PR_SET_PDEATHSIG = 1: the kernel sends SIGKILL when the parent thread exits
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)
        except (OSError, AttributeError):
            pass

    def watch():
        while os.getppid() == parent:
            time.sleep(WATCHDOG_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the batch process decides what a Ctrl-C does
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the batch's handler, inherited by fork


def expand_inputs(inputs: Iterable[str]) -> list[Path]:
    """Files as given, the files in given folders, and the files globs match; in order, once."""
    out: list[Path] = []
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            found = sorted(x for x in p.iterdir() if x.is_file() and not x.name.startswith("."))
        elif p.exists():
            found = [p]
        else:
            found = sorted(Path(x) for x in glob.glob(item, recursive=True) if Path(x).is_file())
        out += [f for f in found if f not in out]
    return out


def _init(notes: list[Path], exclude: list[Path], config: Config, worker: bool = True) -> None:
    """Worker start (or the one-process batch's, ``worker`` False: no watchdog): the notes
    index is built once per process."""
    if worker:
        _die_with_parent()
    _worker["aligner"] = make_aligner(notes, exclude)
    _worker["config"] = config


def clean_file(path: Path, out: Path | None) -> dict:
    """Clean one deck file through the command's one path (``open_source`` → ``clean_source``);
    write its JSONL to ``out`` (or return the records). Never raises: a failure comes back
    as ``{"error": …}``, a message naming the file once."""
    from pipeline.io.source import open_source
    from pipeline.io.stream import clean_source
    from pipeline.read.pdf import PdfError
    from pipeline.read.transcript import NoSlidesError

    config, aligner = _worker.get("config", Config()), _worker.get("aligner")
    try:
        records: list[dict] = []
        summary = clean_source(open_source(path, config.format, config.profile), config, aligner, records.extend,
                               progress=False)
        if out is not None:
            try:
                jsonl.write_jsonl(records, out)
            except OSError as exc:  # the output's fault, not the deck's: the batch stops
                return {"path": str(path), "output_error": str(output_error(out, exc))}
            records = []
        return {"path": str(path), "summary": summary, "records": records}
    except (InputRejected, NoSlidesError, PdfError) as exc:  # the message names the file
        return {"path": str(path), "error": str(exc)}
    except Exception as exc:  # reported, never fatal to the batch
        return {"path": str(path), "error": f"{path}: {type(exc).__name__}: {exc}"}


RESERVED = ("batch.errors",)  # names in the folder that are not a deck's


def output_names(paths: list[Path]) -> dict[Path, str]:
    """Each input's file name in the output folder: ``<stem>.jsonl``; a stem already taken
    (two inputs ``talk.txt`` and ``talk.pdf``, or ``a/talk.txt`` and ``b/talk.txt``) gets
    ``<stem>-2.jsonl``, ``-3``… in the order given, so no deck overwrites another and a
    re-run with the same inputs finds the same files.

        >>> output_names([Path("a/talk.txt"), Path("b/talk.txt"), Path("talk.pdf"), Path("x.md")])
        {PosixPath('a/talk.txt'): 'talk.jsonl', PosixPath('b/talk.txt'): 'talk-2.jsonl', PosixPath('talk.pdf'): 'talk-3.jsonl', PosixPath('x.md'): 'x.jsonl'}
    """
    taken = {r.casefold() for r in RESERVED}  # casefolded: one file on a case-insensitive disk
    names = {}
    for p in paths:
        stem, k = p.stem or p.name, 1
        name = stem
        while name.casefold() in taken:
            k += 1
            name = f"{stem}-{k}"
        taken.add(name.casefold())
        names[p] = name + ".jsonl"
    return names


def _complete_in(single: Path) -> set[str]:
    if not single.exists():
        return set()
    with open(single, encoding="utf-8") as fh:
        return {json.loads(line)["deck"] for line in fh if line.strip()}


def run_batch(paths: list[Path], out: Path, *, notes: list[Path] = (), jobs: int | None = None,
              force: bool = False, config: Config | None = None, progress: bool = True) -> dict:
    config = config or Config()
    single = out.suffix == ".jsonl"
    try:
        (out.parent if single else out).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise output_error(out, exc) from exc
    with _Lock(out.with_name(out.name + ".lock") if single else out / ".clean-slides.lock"):
        return _run(paths, out, single, notes, jobs, force, config, progress)


def _run(paths, out, single, notes, jobs, force, config, progress) -> dict:
    if single:
        done = set() if force else _complete_in(out)
        todo = [p for p in paths if p.name not in done]
        targets = {p: None for p in todo}
        errors_path = out.with_name(out.stem + ".errors.jsonl")
    else:
        names = output_names(paths)
        targets = {p: out / names[p] for p in paths}
        todo = [p for p in paths if force or not targets[p].exists()]
        errors_path = out / "batch.errors.jsonl"
    skipped = len(paths) - len(todo)
    jobs = jobs or os.cpu_count() or 1
    results: list[dict] = []
    bar = _progress(len(todo), progress)
    init_args = (list(notes), list(paths), config)
    stop = _StopOnSignal()
    folder = out.parent if single else out
    try:
        with stop:
            if jobs == 1:
                _init(*init_args, worker=False)
                for p in todo:
                    stop.check()
                    results.append(clean_file(p, targets[p]))
                    bar.update(1)
                    _raise_output_error(results[-1])
            else:
                _pool_map(todo, targets, jobs, init_args, results, bar, stop)
    except _Signalled as sig:
        bar.close()
        _remove_parts(folder)
        raise Stopped(sig.signum, _total(results, [], skipped, None)) from None
    except OutputError:
        bar.close()
        _remove_parts(folder)  # a worker ended mid-write leaves its temporary file
        raise
    bar.close()
    try:
        if single:
            kept = [] if force else _kept_records(out, {p.name for p in todo})
            new = [r for res in results for r in res.get("records", [])]
            jsonl.write_jsonl(kept + new, out)
        failures = [{"deck": Path(r["path"]).name, "path": r["path"], "error": r["error"]} for r in results if "error" in r]
        if failures:
            jsonl.write_jsonl(failures, errors_path)
    except OSError as exc:
        raise output_error(out if single else errors_path, exc) from exc
    return _total(results, failures, skipped, errors_path if failures else None)


def _raise_output_error(result: dict) -> None:
    if "output_error" in result:
        raise OutputError(errno.EIO, result["output_error"])


def _pool_map(todo, targets, jobs, init_args, results, bar, stop) -> None:
    """Decks to the workers, a few in flight each, so that a stop cancels little; the first
    output error or signal ends the pool and its workers at once."""
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_init, initargs=init_args)
    pending, queue = set(), list(todo)
    try:
        while queue or pending:
            stop.check()
            while queue and len(pending) < jobs * IN_FLIGHT:
                p = queue.pop(0)
                pending.add(pool.submit(clean_file, p, targets[p]))
            done, pending = wait(pending, timeout=WATCHDOG_SECONDS, return_when=FIRST_COMPLETED)
            for fut in done:
                results.append(fut.result())
                bar.update(1)
                _raise_output_error(results[-1])
        pool.shutdown(wait=True)
    except BaseException:
        _end_pool(pool)
        raise


def _end_pool(pool: ProcessPoolExecutor) -> None:
    """Cancel what has not started and end the workers now."""
    procs = list(getattr(pool, "_processes", {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in procs:
        proc.terminate()
    for proc in procs:
        proc.join(timeout=5)
        if proc.is_alive():
            proc.kill()


def _remove_parts(folder: Path) -> None:
    """The temporary files of writes a stop cut short (``AtomicWriter``'s ``.part`` files)."""
    for part in folder.glob(".*.part"):
        part.unlink(missing_ok=True)


class _Signalled(BaseException):
    def __init__(self, signum: int):
        self.signum = signum


class _StopOnSignal:
    """SIGINT and SIGTERM, while the batch runs, become ``_Signalled`` at the next check
    (or at once, in the main loop's wait)."""

    def __enter__(self):
        self.signum = None
        self.saved = {}
        self.owner = os.getpid()
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM):
                self.saved[sig] = signal.signal(sig, self._handle)
        return self

    def _handle(self, signum, frame):
        if os.getpid() != self.owner:  # a worker forked before its own handlers were set
            os._exit(128 + signum)
        self.signum = signum
        raise _Signalled(signum)

    def check(self) -> None:
        if self.signum is not None:
            raise _Signalled(self.signum)

    def __exit__(self, *exc):
        for sig, handler in self.saved.items():
            signal.signal(sig, handler)
        return False


class _Lock:
    """One batch per output: a lock file holding the pid; a lock whose process is gone is
    taken over."""

    def __init__(self, path: Path):
        self.path = path

    def __enter__(self):
        for _ in range(2):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                if _alive(self.path):
                    raise OutputError(errno.EBUSY, f"{self.path.parent}: another batch is writing here "
                                                   f"(pid {self.path.read_text().strip()}; lock {self.path.name})") from None
                self.path.unlink(missing_ok=True)  # stale: its batch is gone
                continue
            except OSError as exc:
                raise output_error(self.path.parent, exc) from exc
            with os.fdopen(fd, "w") as fh:
                fh.write(str(os.getpid()))
            return self
        raise OutputError(errno.EBUSY, f"{self.path}: cannot take the lock")

    def __exit__(self, *exc):
        self.path.unlink(missing_ok=True)
        return False


def _alive(lock: Path) -> bool:
    try:
        pid = int(lock.read_text().strip())
        os.kill(pid, 0)
    except (ValueError, OSError):
        return False
    return True


def _kept_records(single: Path, redo: set[str]) -> list[dict]:
    if not single.exists():
        return []
    with open(single, encoding="utf-8") as fh:
        return [r for r in (json.loads(x) for x in fh if x.strip()) if r["deck"] not in redo]


def _total(results: list[dict], failures: list[dict], skipped: int, errors_path: Path | None) -> dict:
    total = {"decks": 0, "slides": 0, "quarantined_spans": 0, "aligned_slides": 0, "repairs": {},
             "characters_repaired": {}}
    for r in results:
        if r.get("summary"):
            total["decks"] += 1
            add_summary(total, r["summary"])
    return {**total, "skipped": skipped,
            "failures": failures, "errors_file": str(errors_path) if errors_path else None}


def summary_table(result: dict) -> str:
    """The end-of-batch table for stderr."""
    rows = [("decks cleaned", result["decks"]), ("decks skipped (already complete)", result["skipped"]),
            ("slides", result["slides"]), ("quarantined spans", result["quarantined_spans"]),
            ("aligned slides", result["aligned_slides"]), ("failures", len(result["failures"]))]
    if result.get("notes_skipped"):
        rows.append(("notes files skipped", result["notes_skipped"]))
    rows += [(f"repairs: {rule} (characters)", f"{n} ({result['characters_repaired'].get(rule, 0)})")
             for rule, n in result["repairs"].items()]
    width = max(len(k) for k, _ in rows)
    lines = [f"{k.ljust(width)}  {v}" for k, v in rows]
    for f in result["failures"]:
        lines.append(f"failed: {f['error']}")
    if result["errors_file"]:
        lines.append(f"errors written to {result['errors_file']}")
    return "\n".join(lines)


class _NoBar:
    def update(self, n: int) -> None:
        pass

    def close(self) -> None:
        pass


def _progress(total: int, on: bool):
    if not on:
        return _NoBar()
    from tqdm import tqdm

    return tqdm(total=total, unit="deck", desc="clean-slides", file=sys.stderr)
