"""The ``clean-slides`` command (also ``python -m pipeline``): a thin shell over ``clean_deck``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import jsonl
from .clean import Config, clean_deck
from .deck import PLACEHOLDER
from .readers import FORMATS, NoSlidesError


class InputError(click.ClickException):
    """Bad input (no slide, unreadable file): message on stderr, exit code 2."""

    exit_code = 2


def _read_input(source: str) -> tuple[str, str]:
    """Return (name, text); bytes that are not UTF-8 survive as surrogate escapes."""
    if source == "-":
        data, name = sys.stdin.buffer.read(), "stdin"
    else:
        path = Path(source)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(f"{source}: cannot read: {exc.strerror or exc}") from exc
        name = path.name
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return name, data.decode("utf-8", "surrogateescape")


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("input", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@click.option("-o", "--output", default="-", show_default=True, type=click.Path(dir_okay=False, allow_dash=True),
              help="JSONL file to write, '-' for stdout.")
@click.option("--notes", multiple=True, type=click.Path(exists=True),
              help="Notes file or folder about the talk (repeatable); used by the alignment stage.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="Transcript layout. Default: detected.")
@click.option("--placeholder", default=PLACEHOLDER, show_default="U+FFFD",
              help="What a quarantined span shows as in 'text'; '' drops it.")
@click.option("--summary", is_flag=True, help="Print per-deck counts to stderr.")
def main(input: str, output: str, notes: tuple[str, ...], fmt: str | None, placeholder: str, summary: bool) -> None:
    """Clean a garbled slide-deck transcript INPUT ('-' for stdin) into one JSON record per slide."""
    name, text = _read_input(input)
    config = Config(format=fmt, placeholder=placeholder)
    try:
        deck = clean_deck(text, name=name, notes=[Path(n) for n in notes], config=config,
                          exclude=[] if input == "-" else [Path(input)])
    except NoSlidesError as exc:
        raise InputError(f"{input}: no slide found ({exc}); nothing written") from exc
    records = deck.records(placeholder)
    if output == "-":
        for rec in records:
            click.echo(jsonl.dumps(rec))
    else:
        jsonl.write_jsonl(records, output)
    if summary:
        click.echo(json.dumps(deck.summary(), ensure_ascii=False), err=True)
