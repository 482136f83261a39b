"""The ``clean-slides`` command (also ``python -m pipeline``): a thin shell over the library.

``clean-slides INPUT -o OUT.jsonl`` cleans one deck; ``clean-slides batch INPUTS… -o OUT``
cleans many (``pipeline/io/batch.py``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from pipeline.clean import Config, clean_deck
from pipeline.deck import PLACEHOLDER
from pipeline.io import jsonl
from pipeline.read.inputs import (
    MAX_INPUT_BYTES,
    InputRejected,
    decode_input,
    sniff_encoding,
)
from pipeline.read.transcript import FORMATS, NoSlidesError


class InputError(click.ClickException):
    """Bad input (no slide, unreadable file): message on stderr, exit code 2."""

    exit_code = 2


class OutputFailure(click.ClickException):
    """The output could not be written (disk full, read-only, vanished folder): one line on
    stderr, exit code 2, nothing partial left."""

    exit_code = 2


def _cannot_write(path: str, exc: OSError) -> OutputFailure:
    return OutputFailure(f"{path}: cannot write: {exc.strerror or exc}; nothing written")


class CleanSlides(click.Group):
    """A group whose default command is ``clean``: ``clean-slides talk.txt`` cleans talk.txt."""

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["clean", *args]
        return super().parse_args(ctx, args)


def read_input(source: str) -> tuple[str, str]:
    """Return (name, text) (see ``pipeline/read/inputs.py``: encodings, binary files, limits)."""
    if source == "-":
        data, name = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1), "stdin"
    else:
        path = Path(source)
        try:
            if path.stat().st_size > MAX_INPUT_BYTES:
                raise InputError(f"{source}: {path.stat().st_size:,} bytes, over the limit of {MAX_INPUT_BYTES:,}")
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(f"{source}: cannot read: {exc.strerror or exc}") from exc
        name = path.name
    try:
        return name, decode_input(data, source)
    except InputRejected as exc:
        raise InputError(str(exc)) from exc


notes_option = click.option("--notes", multiple=True, type=click.Path(exists=True),
                            help="Notes file or folder about the talks (repeatable): slides are aligned with them.")
format_option = click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
                             help="Transcript layout. Default: detected.")
placeholder_option = click.option("--placeholder", default=PLACEHOLDER, show_default="U+FFFD",
                                  help="What a quarantined span shows as in 'text'; '' drops it.")


@click.group(cls=CleanSlides, context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Turn garbled slide-deck transcripts into clean, aligned JSONL."""


@main.command("clean")
@click.argument("input", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@click.option("-o", "--output", default="-", show_default=True, type=click.Path(dir_okay=False, allow_dash=True),
              help="JSONL file to write, '-' for stdout.")
@notes_option
@format_option
@placeholder_option
@click.option("--summary", is_flag=True, help="Print per-deck counts to stderr.")
@click.option("--report", "report_path", type=click.Path(dir_okay=False), default=None,
              help="Also write a review page (HTML) for the deck.")
def clean_command(input: str, output: str, notes: tuple[str, ...], fmt: str | None, placeholder: str,
                  summary: bool, report_path: str | None) -> None:
    """Clean a garbled slide-deck transcript INPUT ('-' for stdin) into one JSON record per slide."""
    from pipeline.io.stream import STREAM_BYTES

    config = Config(format=fmt, placeholder=placeholder)
    exclude = [] if input == "-" else [Path(input)]
    if input != "-" and _is_pdf_file(input):
        counts = _clean_pdf(input, output, notes, config, report_path)
    elif input != "-" and Path(input).stat().st_size > STREAM_BYTES:
        counts = _clean_streamed(input, output, notes, config, exclude)
    else:
        name, text = read_input(input)
        try:
            deck = clean_deck(text, name=name, notes=[Path(n) for n in notes], config=config, exclude=exclude)
        except NoSlidesError as exc:
            raise InputError(f"{input}: no slide found ({exc}); nothing written") from exc
        except InputRejected as exc:
            raise InputError(f"{exc}; nothing written") from exc
        records = deck.records(placeholder)
        if output == "-":
            for rec in records:
                click.echo(jsonl.dumps(rec))
        else:
            try:
                jsonl.write_jsonl(records, output)
            except OSError as exc:
                raise _cannot_write(output, exc) from None
        counts = deck.summary()
        if report_path:
            from pipeline.io.report import render

            used = {f"{r['alignment']['notes']}: {r['alignment']['section']}" for r in records if r["alignment"]}
            _write_text(report_path, render(records, sorted(used) + counts["sections_without_slides"], deck.title))
    if summary:
        click.echo(json.dumps(counts, ensure_ascii=False), err=True)


def _is_pdf_file(path: str) -> bool:
    from pipeline.read.pdf import is_pdf

    try:
        with open(path, "rb") as fh:
            return is_pdf(fh.read(1024))
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from exc


def _clean_pdf(input: str, output: str, notes, config: Config, report_path: str | None) -> dict:
    """A deck's PDF (detected by its content): one record per page, read and cleaned a chunk
    of pages at a time and written as it goes (``clean_chunks``, as a streamed transcript)."""
    from pipeline.clean import make_aligner
    from pipeline.io.stream import clean_chunks
    from pipeline.read.pdf import PdfError, open_pdf

    name = Path(input).name
    aligner = make_aligner([Path(n) for n in notes])
    kept: list[dict] = []  # for the review page only

    def run(write) -> dict:
        (title, author), pages = open_pdf(input, name, config.profile)

        def keep(recs):
            write(recs)
            if report_path:
                kept.extend(recs)
        return clean_chunks(pages, name, "pdf", config, aligner, keep, title, author)

    try:
        if output == "-":
            summary = run(lambda recs: [click.echo(jsonl.dumps(r)) for r in recs])
        else:
            try:
                with jsonl.AtomicWriter(output) as out:
                    summary = run(out.write_records)
            except OSError as exc:
                raise _cannot_write(output, exc) from None
    except PdfError as exc:
        raise InputError(f"{input}: {exc.reason}; nothing written") from None
    if summary["slides"] == summary["empty_slides"]:
        click.echo(f"{input}: {summary['slides']} page(s) and no text in the PDF (scanned images?): "
                   "the records are empty", err=True)
    if report_path:
        from pipeline.io.report import render

        _write_text(report_path, render(kept, [], summary["title"]))
    return summary


def _clean_streamed(input: str, output: str, notes, config: Config, exclude) -> dict:
    """A large input: read and cleaned in chunks, written as it goes (atomically)."""
    from pipeline.clean import make_aligner
    from pipeline.io.stream import clean_stream

    aligner = make_aligner([Path(n) for n in notes], exclude)
    with open(input, "rb") as raw:
        head = raw.read(8192)
    try:
        enc = sniff_encoding(head, input)
        if Path(input).stat().st_size > MAX_INPUT_BYTES:
            raise InputRejected(f"{input}: {Path(input).stat().st_size:,} bytes, over the limit of {MAX_INPUT_BYTES:,}")
    except InputRejected as exc:
        raise InputError(str(exc)) from exc
    errors = "surrogateescape" if enc.startswith("utf-8") else "strict"
    with open(input, encoding=enc, errors=errors, newline="") as fh:
        try:
            if output == "-":
                return clean_stream(fh, Path(input).name, config, aligner,
                                    lambda recs: [click.echo(jsonl.dumps(r)) for r in recs])
            try:
                with jsonl.AtomicWriter(output) as out:
                    return clean_stream(fh, Path(input).name, config, aligner, out.write_records)
            except OSError as exc:
                raise _cannot_write(output, exc) from None
        except NoSlidesError as exc:
            raise InputError(f"{input}: no slide found ({exc}); nothing written") from exc
        except (InputRejected, UnicodeDecodeError) as exc:
            raise InputError(f"{input}: {exc}; nothing written") from exc


@main.command("batch")
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", required=True, type=click.Path(),
              help="A folder (one JSONL per deck) or a single .jsonl file.")
@notes_option
@format_option
@placeholder_option
@click.option("--jobs", type=click.IntRange(min=1), default=None, help="Worker processes. Default: all cores.")
@click.option("--force", is_flag=True, help="Clean decks whose output is already complete, too.")
@click.option("--no-progress", is_flag=True, help="No progress bar.")
def batch_command(inputs, output, notes, fmt, placeholder, jobs, force, no_progress) -> None:
    """Clean many decks: INPUTS are files, folders or globs."""
    from pipeline.io.batch import (
        OutputError,
        Stopped,
        expand_inputs,
        run_batch,
        summary_table,
    )

    paths = expand_inputs(inputs)
    if not paths:
        raise InputError("no input file matches " + " ".join(inputs))
    try:
        result = run_batch(paths, Path(output), notes=[Path(n) for n in notes], jobs=jobs, force=force,
                           config=Config(format=fmt, placeholder=placeholder), progress=not no_progress)
    except OutputError as exc:
        raise OutputFailure(f"{exc.strerror}; the batch stopped") from None
    except Stopped as stop:  # SIGINT or SIGTERM: what finished, then 128 + the signal
        click.echo(summary_table(stop.result), err=True)
        click.echo(f"clean-slides batch: {stop}; decks not finished were not written", err=True)
        sys.exit(128 + stop.signum)
    click.echo(summary_table(result), err=True)


def _write_text(path: str, text: str) -> None:
    """Write a text file atomically (a temporary file renamed when complete)."""
    try:
        with jsonl.AtomicWriter(path) as out:
            out.fh.write(text)
    except OSError as exc:
        raise _cannot_write(path, exc) from None


@main.command("report")
@click.argument("records", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="HTML file to write.")
@notes_option
def report_command(records: str, output: str, notes: tuple[str, ...]) -> None:
    """Write a self-contained review page (HTML) for the deck in RECORDS (a clean-slides JSONL)."""
    from pipeline.io.report import read_records, render, sections_of
    from pipeline.read.notes import load_notes

    try:
        recs = read_records(records)
    except (ValueError, KeyError) as exc:
        raise InputError(f"{records}: not clean-slides records ({exc})") from exc
    if not recs:
        raise InputError(f"{records}: no record")
    sections = sections_of(load_notes([Path(n) for n in notes]), recs) if notes else []
    _write_text(output, render(recs, sections))
