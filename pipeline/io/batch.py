"""Batch ingest: many decks, worker processes, a progress bar, a summary, resumable.

``run_batch`` cleans each input file as a deck in a pool of worker processes (each loads
the models and the notes index once). Output is a folder with one ``<deck>.jsonl`` per
deck, or one ``.jsonl`` for all. A deck that fails (no slide, a binary file, an error)
is listed with its error in the summary and in the errors file (``batch.errors.jsonl``
in the folder, ``<name>.errors.jsonl`` beside a single file); it never stops the batch.
Re-running skips decks whose output is complete (``force`` redoes them): a folder's deck
file exists only once written in full; a single file is rewritten with the decks it
already holds kept.
"""

from __future__ import annotations

import glob
import json
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Iterable

from pipeline.align.aligner import Aligner
from pipeline.clean import Config, clean_deck
from pipeline.deck import add_summary
from pipeline.io import jsonl
from pipeline.read.inputs import MAX_INPUT_BYTES, InputRejected, decode_input
from pipeline.read.notes import load_notes

_worker: dict = {}


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


def _init(notes: list[Path], exclude: list[Path], config: Config) -> None:
    """Worker start: the notes index is built once per process."""
    _worker["aligner"] = Aligner(load_notes(notes, exclude=exclude)) if notes else None
    _worker["config"] = config


def clean_file(path: Path, out: Path | None) -> dict:
    """Clean one deck file; write its JSONL to ``out`` (or return the records). Never raises:
    a failure comes back as ``{"error": …}``."""
    config, aligner = _worker.get("config", Config()), _worker.get("aligner")
    try:
        if path.stat().st_size > MAX_INPUT_BYTES:
            raise InputRejected(f"{path}: {path.stat().st_size:,} bytes, over the limit of {MAX_INPUT_BYTES:,}")
        deck = clean_deck(decode_input(path.read_bytes(), str(path)), name=path.name, config=config, aligner=aligner)
        records = deck.records(config.placeholder)
        if out is not None:
            jsonl.write_jsonl(records, out)
            records = []
        return {"path": str(path), "summary": deck.summary(), "records": records}
    except Exception as exc:  # reported, never fatal to the batch
        return {"path": str(path), "error": f"{type(exc).__name__}: {exc}"}


def _complete_in(single: Path) -> set[str]:
    if not single.exists():
        return set()
    with open(single, encoding="utf-8") as fh:
        return {json.loads(line)["deck"] for line in fh if line.strip()}


def run_batch(paths: list[Path], out: Path, *, notes: list[Path] = (), jobs: int | None = None,
              force: bool = False, config: Config | None = None, progress: bool = True) -> dict:
    config = config or Config()
    single = out.suffix == ".jsonl"
    if single:
        out.parent.mkdir(parents=True, exist_ok=True)
        done = set() if force else _complete_in(out)
        todo = [p for p in paths if p.name not in done]
        targets = {p: None for p in todo}
        errors_path = out.with_name(out.stem + ".errors.jsonl")
    else:
        out.mkdir(parents=True, exist_ok=True)
        targets = {p: out / f"{p.name}.jsonl" for p in paths}
        todo = [p for p in paths if force or not targets[p].exists()]
        errors_path = out / "batch.errors.jsonl"
    skipped = len(paths) - len(todo)
    jobs = jobs or os.cpu_count() or 1
    results: list[dict] = []
    bar = _progress(len(todo), progress)
    init_args = (list(notes), list(paths), config)
    if jobs == 1:
        _init(*init_args)
        for p in todo:
            results.append(clean_file(p, targets[p]))
            bar.update(1)
    else:
        with ProcessPoolExecutor(max_workers=jobs, initializer=_init, initargs=init_args) as pool:
            for res in pool.map(clean_file, todo, [targets[p] for p in todo], chunksize=1):
                results.append(res)
                bar.update(1)
    bar.close()
    if single:
        kept = [] if force else _kept_records(out, {p.name for p in todo})
        new = [r for res in results for r in res.get("records", [])]
        jsonl.write_jsonl(kept + new, out)
    failures = [{"deck": Path(r["path"]).name, "path": r["path"], "error": r["error"]} for r in results if "error" in r]
    if failures:
        jsonl.write_jsonl(failures, errors_path)
    return _total(results, failures, skipped, errors_path if failures else None)


def _kept_records(single: Path, redo: set[str]) -> list[dict]:
    if not single.exists():
        return []
    with open(single, encoding="utf-8") as fh:
        return [r for r in (json.loads(x) for x in fh if x.strip()) if r["deck"] not in redo]


def _total(results: list[dict], failures: list[dict], skipped: int, errors_path: Path | None) -> dict:
    total = {"decks": 0, "slides": 0, "quarantined_spans": 0, "aligned_slides": 0, "characters_repaired": {}}
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
    rows += [(f"characters repaired: {rule}", n) for rule, n in result["characters_repaired"].items()]
    width = max(len(k) for k, _ in rows)
    lines = [f"{k.ljust(width)}  {v}" for k, v in rows]
    for f in result["failures"]:
        lines.append(f"failed: {f['path']}: {f['error']}")
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

    return tqdm(total=total, unit="deck", desc="clean-slides", file=__import__("sys").stderr)
