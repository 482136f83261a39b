"""The ``clean-slides`` command (also ``python -m pipeline``): a thin shell over the library.

``clean-slides INPUT -o OUT.jsonl`` cleans one deck; ``clean-slides batch INPUTS… -o OUT``
cleans many (``pipeline/io/batch.py``). Every input takes one path: a source
(``pipeline/io/source.py``: a file, stdin, a PDF) → the chunked steps
(``pipeline/io/stream.py``) → a sink (``pipeline/io/sink.py``: JSONL, Parquet, the review
page) → the summary; every error leaves through ``errors_mapped``.
"""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from pathlib import Path

import click

from pipeline.clean import Config
from pipeline.deck import PLACEHOLDER
from pipeline.models.cid_profile import available_profiles
from pipeline.repair.cid_repair import NEEDS_MODEL
from pipeline.repair.collection import UNKNOWN
from pipeline.read.inputs import InputRejected
from pipeline.read.transcript import FORMATS, NoSlidesError

class InputError(click.ClickException):
    """Bad input (no slide, unreadable file): message on stderr, exit code 2."""

    exit_code = 2


class OutputFailure(click.ClickException):
    """The output could not be written (disk full, read-only, vanished folder, a device that
    is not to be replaced): one line on stderr, exit code 2, nothing partial left."""

    exit_code = 2


INTERRUPTED = 130  # 128 + SIGINT, as a shell reports it


@contextmanager
def writing(path: str):
    """Name ``path`` in any write error raised inside (for ``errors_mapped``)."""
    try:
        yield
    except OSError as exc:
        exc.target = path
        raise


@contextmanager
def errors_mapped(command: str):
    """The one mapping of errors to messages and exit codes, for every command: bad input 2,
    an output that cannot be written 2, Ctrl-C 130; one line on stderr, no traceback."""
    from pipeline.io.batch import OutputError
    from pipeline.io.sink import OutputRefused
    from pipeline.read.pdf import PdfError

    try:
        yield
    except (NoSlidesError, InputRejected, PdfError) as exc:  # their message names the input
        raise InputError(f"{exc}; nothing written") from None
    except OutputError as exc:
        raise OutputFailure(f"{exc.strerror}; the batch stopped") from None
    except OutputRefused as exc:
        raise OutputFailure(f"{exc.strerror}; nothing written") from None
    except OSError as exc:
        target = getattr(exc, "target", None) or exc.filename or "output"
        raise OutputFailure(f"{target}: cannot write: {exc.strerror or exc}; nothing written") from None
    except KeyboardInterrupt:
        click.echo(f"clean-slides {command}: interrupted; nothing written", err=True)
        sys.exit(INTERRUPTED)


class CleanSlides(click.Group):
    """A group whose default command is ``clean``: ``clean-slides talk.txt`` cleans talk.txt."""

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["clean", *args]
        return super().parse_args(ctx, args)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:  # before a command's own handling (reading the arguments)
            click.echo("clean-slides: interrupted", err=True)
            sys.exit(INTERRUPTED)


def load_notes_said(notes: tuple[str, ...], exclude=()) -> tuple[list, int]:
    """The notes (``load_notes``), each skipped file said on stderr in one line; and how many were skipped."""
    from pipeline.read.notes import load_notes

    skipped: list[str] = []
    loaded = load_notes([Path(n) for n in notes], exclude=exclude, skipped=skipped)
    for line in skipped:
        click.echo(line, err=True)
    return loaded, len(skipped)


notes_option = click.option("--notes", multiple=True, type=click.Path(exists=True),
                            help="Notes file or folder about the talks (repeatable): slides are aligned with them. "
                                 "Empty and binary files are skipped, each said on stderr.")
format_option = click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
                             help="Transcript layout. Default: detected.")
profile_option = click.option("--profile", type=click.Choice(["auto", *available_profiles()]), default="auto",
                               show_default=True,
                               help="CID collection garbled decks are read through; auto decides per deck, by "
                                    "likelihood (a deck no profile explains is left, its garble quarantined).")
placeholder_option = click.option("--placeholder", default=PLACEHOLDER, show_default="U+FFFD",
                                  help="What a quarantined span shows as in 'text'; '' drops it.")


@click.group(cls=CleanSlides, context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Turn garbled slide-deck transcripts into clean, aligned JSONL."""


CLEAN_HELP = "Clean a garbled slide-deck transcript INPUT ('-' for stdin) into one JSON record per slide."


@main.command("clean", short_help=CLEAN_HELP, help=CLEAN_HELP + """

A transcript or a deck's PDF (told apart by content), read and cleaned a chunk of slides at
a time: records are written as each chunk is done. -o ending in .parquet writes Parquet.
Progress (slides, MB/s) shows on stderr when it is a terminal.""")
@click.argument("input", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@click.option("-o", "--output", default="-", show_default=True, type=click.Path(dir_okay=False, allow_dash=True),
              help="File to write, '-' for stdout: JSONL, or Parquet for a .parquet name. An existing FIFO or "
                   "device is written in place, never replaced.")
@notes_option
@format_option
@profile_option
@placeholder_option
@click.option("--summary", is_flag=True, help="Print per-deck counts to stderr (one JSON line).")
@click.option("--report", "report_path", type=click.Path(dir_okay=False), default=None,
              help="Also write a review page (HTML) for the deck.")
def clean_command(input: str, output: str, notes: tuple[str, ...], fmt: str | None, profile: str, placeholder: str,
                  summary: bool, report_path: str | None) -> None:
    with errors_mapped("clean"):
        counts = clean_one(input, output, notes, Config(format=fmt, placeholder=placeholder, profile=profile),
                           report_path)
    if summary:
        click.echo(json.dumps(counts, ensure_ascii=False), err=True)


def clean_one(input: str, output: str, notes: tuple[str, ...], config: Config, report_path: str | None) -> dict:
    """One input, any kind, through the one path: source → chunked steps → sink(s); the summary."""
    from pipeline.clean import make_aligner
    from pipeline.io.sink import open_output, output_kind
    from pipeline.io.source import open_source
    from pipeline.io.stream import clean_source

    loaded, skipped = load_notes_said(notes, exclude=[] if input == "-" else [Path(input)])
    aligner = make_aligner(loaded)
    for path in (output, report_path):
        if path:
            output_kind(path)  # an output that will be refused is refused before any work
    source = open_source(input, config.format, config.profile)
    kept: list[dict] = []  # for the review page only

    with writing(output), open_output(output) as sink:
        def write(records):
            sink.write_records(records)
            if report_path:
                kept.extend(records)
        counts = clean_source(source, config, aligner, write)
    counts["notes_skipped"] = skipped
    for line in quarantine_notices(input, counts):
        click.echo(line, err=True)
    if counts["format"] == "pdf" and counts["slides"] == counts["empty_slides"]:
        click.echo(f"{input}: {counts['slides']} page(s) and no text in the PDF (scanned images?): "
                   "the records are empty", err=True)
    if report_path:
        from pipeline.io.report import render

        used = {f"{r['alignment']['notes']}: {r['alignment']['section']}" for r in kept if r["alignment"]}
        page = render(kept, sorted(used) + counts["sections_without_slides"], counts["title"])
        with writing(report_path), open_output(report_path, "jsonl") as out:
            out.write_text(page)
    return counts


def quarantine_notices(input: str, counts: dict) -> list[str]:
    """One stderr line per kind of quarantine a user must act on: garble no profile explains,
    text whose reading needs a language model that is not installed."""
    reasons = counts.get("quarantine_reasons", {})
    lines = []
    if reasons.get(UNKNOWN):
        lines.append(f"{input}: {reasons[UNKNOWN]} span(s) look like CID garble of a collection no profile "
                     f"explains: left as they are and quarantined ({UNKNOWN}); --profile NAME forces one")
    if reasons.get(NEEDS_MODEL):
        lines.append(f"{input}: {reasons[NEEDS_MODEL]} span(s) have more than one reading and no model of their "
                     f"language that can choose is installed: quarantined ({NEEDS_MODEL}); for Japanese, "
                     "pip install 'clean-slides[ja]' reads them")
    return lines


BATCH_HELP = "Clean many decks: INPUTS are files, folders or globs."


@main.command("batch", short_help=BATCH_HELP, help=BATCH_HELP + """

Each deck is written to OUTPUT/<name>.jsonl, <name> the input's file name without its
suffix; inputs sharing a name (talk.txt and talk.pdf, a/talk.txt and b/talk.txt) get
<name>-2.jsonl, <name>-3.jsonl… in the order given. An OUTPUT ending in .jsonl gets all
decks in one file.""")
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", required=True, type=click.Path(),
              help="A folder (one JSONL per deck) or a single .jsonl file; not '-'.")
@notes_option
@format_option
@profile_option
@placeholder_option
@click.option("--jobs", type=click.IntRange(min=1), default=None, help="Worker processes. Default: all cores.")
@click.option("--force", is_flag=True, help="Clean decks whose output is already complete, too.")
@click.option("--no-progress", is_flag=True, help="No progress bar.")
def batch_command(inputs, output, notes, fmt, profile, placeholder, jobs, force, no_progress) -> None:
    from pipeline.io.batch import Stopped, expand_inputs, run_batch, summary_table

    if output == "-":
        raise click.UsageError("batch writes files: -o - (stdout) is not an output here; give a folder or a "
                               ".jsonl file (clean writes one deck to stdout)")
    paths = expand_inputs(inputs)
    if not paths:
        raise InputError("no input file matches " + " ".join(inputs))
    with errors_mapped("batch"):
        _, skipped = load_notes_said(notes)
        try:
            result = run_batch(paths, Path(output), notes=[Path(n) for n in notes], jobs=jobs, force=force,
                               config=Config(format=fmt, placeholder=placeholder, profile=profile),
                               progress=not no_progress)
        except Stopped as stop:  # SIGINT or SIGTERM: one line with what finished, then 128 + the signal
            done = stop.result
            click.echo(f"clean-slides batch: {stop} after {done['decks']} deck(s) cleaned, "
                       f"{len(done['failures'])} failed; decks not finished were not written", err=True)
            sys.exit(128 + stop.signum)
    result["notes_skipped"] = skipped
    click.echo(summary_table(result), err=True)


REPORT_HELP = "Write a self-contained review page (HTML) for the deck in RECORDS (a clean-slides JSONL)."


@main.command("report", short_help=REPORT_HELP, help=REPORT_HELP)
@click.argument("records", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="HTML file to write.")
@notes_option
def report_command(records: str, output: str, notes: tuple[str, ...]) -> None:
    from pipeline.io.report import read_records, render, sections_of
    from pipeline.io.sink import open_output

    try:
        recs = read_records(records)
    except (ValueError, KeyError) as exc:
        raise InputError(f"{records}: not clean-slides records ({exc})") from exc
    if not recs:
        raise InputError(f"{records}: no record")
    with errors_mapped("report"):
        sections = sections_of(load_notes_said(notes)[0], recs) if notes else []
        with writing(output), open_output(output, "jsonl") as out:
            out.write_text(render(recs, sections))
