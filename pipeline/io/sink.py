"""Sinks: where records go, chunk by chunk, whatever the input was.

``open_output(path)`` is a context manager giving an object with ``write_records`` (and
``write_text``, for the review page):

* ``"-"``: stdout, flushed after each chunk;
* a path ending in ``.parquet``: Parquet (``pip install 'clean-slides[parquet]'``), a row
  group per chunk; the nested columns (``repairs``, ``quarantine``, ``papers``,
  ``alignment``) as JSON text and ``raw`` as its UTF-8 bytes (undecodable input bytes kept
  as they were), so nothing is lost (``pipeline.io.frames.read_frame`` reads it back);
* any other path: JSONL;
* an existing FIFO or character device (``/dev/stdout``, ``/dev/null``): written in place,
  never replaced by a file; any other existing non-regular file is refused
  (``OutputRefused``);
* a regular file (or a new one, or a symlink to one): written to a temporary file beside
  it and renamed over it only when complete, so a partial result never stands.

Write errors are ``OSError``; the command turns every one into one line and exit code 2.
"""

from __future__ import annotations

import os
import stat
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterable, Iterator

from pipeline.deck import RECORD_COLUMNS
from pipeline.io import jsonl

NESTED = ("repairs", "quarantine", "papers", "alignment")  # stored as JSON text in Parquet


class OutputRefused(OSError):
    """An output that will not be written (not replaceable, or a format without its library)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.strerror = message


def parquet_schema():
    import pyarrow as pa

    types = {"slide": pa.int64(), "raw": pa.binary()}
    return pa.schema([(c, types.get(c, pa.string())) for c in RECORD_COLUMNS])


def parquet_value(column: str, value: Any) -> Any:
    if column in NESTED:
        return jsonl.dumps(value)  # JSON with \\udcXX escapes: json.loads gives the value back
    if column == "raw" and isinstance(value, str):
        return value.encode("utf-8", "surrogateescape")
    return value


def records_table(records: list[dict]):
    import pyarrow as pa

    schema = parquet_schema()
    return pa.table({c: [parquet_value(c, r[c]) for r in records] for c in RECORD_COLUMNS}, schema=schema)


def _need_pyarrow(path: str) -> None:
    try:
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        raise OutputRefused(f"{path}: writing Parquet needs pyarrow (pip install 'clean-slides[parquet]')") from None


class _Lines:
    def __init__(self, fh):
        self.fh, self.count = fh, 0

    def write_records(self, records: Iterable[dict[str, Any]]) -> None:
        self.fh.write("".join(jsonl.dumps(r) + "\n" for r in records).encode("utf-8"))
        self.fh.flush()

    def write_text(self, text: str) -> None:
        self.fh.write(text.encode("utf-8"))
        self.fh.flush()


class _Parquet:
    def __init__(self, fh):
        import pyarrow.parquet as pq

        self.writer = pq.ParquetWriter(fh, parquet_schema())

    def write_records(self, records: list[dict]) -> None:
        if records:
            self.writer.write_table(records_table(list(records)))

    def write_text(self, text: str) -> None:
        raise OutputRefused("a review page is HTML, not Parquet")

    def close(self) -> None:
        self.writer.close()


def output_kind(path: str) -> str:
    """``stdout``, ``in-place`` (an existing FIFO or character device) or ``file``; raises
    ``OutputRefused`` for an existing output that is neither a regular file nor those."""
    if path == "-":
        return "stdout"
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "file"
    except OSError as exc:
        raise OutputRefused(f"{path}: cannot write: {exc.strerror or exc}") from None
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISFIFO(mode) or stat.S_ISCHR(mode):
        return "in-place"
    raise OutputRefused(f"{path}: not a regular file, a FIFO or a character device; not replaced")


@contextmanager
def open_output(path: str | Path, fmt: str | None = None) -> Iterator[Any]:
    """The sink for ``path`` (see the module docstring); ``fmt`` "parquet" or "jsonl"
    overrides the suffix."""
    path = str(path)
    fmt = fmt or ("parquet" if path.lower().endswith(".parquet") else "jsonl")
    if fmt == "parquet":
        _need_pyarrow(path)
    kind = output_kind(path)
    if kind == "stdout":
        fh = getattr(sys.stdout, "buffer", None)
        if fh is None:
            raise OutputRefused("-: stdout takes no bytes here")
        if fmt == "parquet":
            raise OutputRefused("-: Parquet is not written to stdout; give a .parquet file")
        sys.stdout.flush()
        yield _Lines(fh)
        return
    if kind == "in-place":
        with open(path, "wb") as fh:
            sink = _Parquet(fh) if fmt == "parquet" else _Lines(fh)
            yield sink
            if fmt == "parquet":
                sink.close()
        return
    target = Path(os.path.realpath(path))  # a symlink stays a symlink; its target is replaced
    with jsonl.AtomicWriter(target, binary=True) as out:
        sink = _Parquet(out.fh) if fmt == "parquet" else _Lines(out.fh)
        yield sink
        if fmt == "parquet":
            sink.close()
