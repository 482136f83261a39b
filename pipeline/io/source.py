"""Sources: every input the command reads, as slides plus the deck's metadata.

``open_source(path)`` (``"-"`` for stdin) gives a ``Source`` whatever the input is: a
transcript file, a pipe, a PDF (by its content, not its name). Its ``slides`` are read
as they are needed, a block of bytes at a time (``BLOCK_BYTES``, or what a pipe has
ready), so a long transcript is never one string and its first records can be written
before its end has arrived. The layout and the page chrome (title, author, date) are
decided on the first ``SNIFF_CHARS`` characters. The size limit (``check_size``) is
checked as the bytes come, for files and pipes alike.
"""

from __future__ import annotations

import codecs
import io
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Iterator

from pipeline.deck import Slide
from pipeline.read.inputs import BINARY_SNIFF, InputRejected, check_size, sniff_encoding
from pipeline.read.transcript import (
    _SLIDE_HEAD,
    _SLIDE_TEXT_HEAD,
    _TRANSCRIPT,
    FORMATS,
    MIN_MARKERS,
    NoSlidesError,
    _chrome,
    detect_format,
    iter_slides,
    layout_scores,
    lines_of,
)

SNIFF_CHARS = 1024 * 1024  # the layout and the chrome are read from this much of the start
BLOCK_BYTES = 256 * 1024
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r(?!\Z)|\n)")  # a complete line (a final CR may be half a CRLF)


@dataclass
class Source:
    """One deck to clean: its name in the records, the label its messages carry, and its
    slides (an iterator, read lazily)."""

    name: str
    label: str
    format: str
    slides: Iterator[Slide]
    title: str | None = None
    author: str | None = None
    date: str | None = None
    size: int | None = None  # bytes, when known beforehand (a file)
    read: "_Counted" = field(default=None, repr=False)  # bytes read so far: ``read.count``
    forced: bool = False
    markers: int = 0  # layout lines in the sniffed start: a one-slide reading of many is refused

    def check_slides(self, slides: int, empty: int) -> None:
        """After the last slide: no slide at all, or one where the layout promised several."""
        if self.format == "pdf":
            return
        if slides == empty:
            raise NoSlidesError(f"{self.label}: no slide found (format {self.format})")
        if not self.forced and slides == 1 and self.markers >= MIN_MARKERS:
            raise NoSlidesError(f"{self.label}: {self.markers} layout lines, but read as {self.format} the page "
                                "is one slide (try --format; please report the page)")


class _Counted:
    """Bytes from a binary stream, counted against the size limit as they are read."""

    def __init__(self, raw: BinaryIO, label: str, owned: bool = False):
        self.raw, self.label, self.owned = raw, label, owned
        self.head = self.first = _read_head(raw, BINARY_SNIFF, label)  # ``first`` stays: the sniffed bytes
        self.count = len(self.head)
        check_size(label, self.count)

    def read(self) -> bytes:
        """The next block (what a pipe has ready, up to ``BLOCK_BYTES``); b"" at the end."""
        if self.head:
            data, self.head = self.head, b""
            return data
        reader = getattr(self.raw, "read1", self.raw.read)
        try:
            data = reader(BLOCK_BYTES)
        except OSError as exc:
            raise InputRejected(f"{self.label}: cannot read: {exc.strerror or exc}") from None
        if not data and self.owned:
            self.raw.close()
        self.count += len(data)
        check_size(self.label, self.count)
        return data

    def rest(self) -> bytes:
        return b"".join(iter(self.read, b""))


def _read_head(raw: BinaryIO, n: int, label: str) -> bytes:
    out = b""
    while len(out) < n:
        try:
            data = raw.read(n - len(out))
        except OSError as exc:
            raise InputRejected(f"{label}: cannot read: {exc.strerror or exc}") from None
        if not data:
            break
        out += data
    return out


def _texts(data: _Counted, enc: str, label: str) -> Iterator[str]:
    """Decoded blocks. Bytes that are not UTF-8 survive as surrogate escapes (quarantined
    later); UTF-16/32 after a byte-order mark must decode."""
    errors = "surrogateescape" if enc.startswith("utf-8") else "strict"
    decoder = codecs.getincrementaldecoder(enc)(errors)
    first = True
    try:
        for block in iter(data.read, b""):
            text = decoder.decode(block)
            if first and text:
                text, first = text.lstrip("\ufeff"), False
            if text:
                yield text
        text = decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        raise InputRejected(f"{label}: not valid {enc.upper()} after its byte-order mark ({exc.reason})") from None
    if text:
        yield text


def _lines(blocks: Iterator[str]) -> Iterator[str]:
    """Lines with their ends (LF, CRLF or CR), whatever the blocks' boundaries."""
    rest = ""
    for block in blocks:
        rest += block
        pos = 0
        for m in _LINE.finditer(rest):
            yield m.group()
            pos = m.end()
        rest = rest[pos:]
    if rest:
        yield rest


def _head(blocks: Iterator[str]) -> tuple[str, Iterator[str]]:
    """The first ``SNIFF_CHARS`` characters (fewer at the end), and all the text again as blocks."""
    got: list[str] = []
    size = 0
    for block in blocks:
        got.append(block)
        size += len(block)
        if size >= SNIFF_CHARS:
            break
    text = "".join(got)

    def again():
        yield text
        yield from blocks
    return text[:SNIFF_CHARS], again()


def _meta(head: str, fmt: str) -> dict:
    """Title, author and date from the chrome above the transcript (as ``read_deck``)."""
    if fmt not in ("player", "speakerdeck"):
        return {}
    lines = lines_of(head)
    if fmt == "player":
        first = next((i for i, x in enumerate(lines) if _SLIDE_HEAD.match(x) or _SLIDE_TEXT_HEAD.match(x)), 0)
    else:
        first = next((i for i, x in enumerate(lines) if _TRANSCRIPT.match(x)), 0)
    return _chrome(lines[:first])


def text_source(data: _Counted, name: str, label: str, fmt: str | None, size: int | None = None) -> Source:
    """A transcript read from counted bytes (see the module docstring)."""
    if fmt is not None and fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    enc = sniff_encoding(data.first, label)
    head, blocks = _head(_texts(data, enc, label))
    forced = fmt is not None
    fmt = fmt or detect_format(head)
    slides = iter_slides(blocks if fmt == "plain" else _lines(blocks), fmt, name)
    return Source(name, label, fmt, slides, size=size, read=data, forced=forced,
                  markers=max(layout_scores(lines_of(head)).values()), **_meta(head, fmt))


def pdf_source(source: str | Path | bytes, name: str, label: str, profile: str, data: _Counted | None = None,
               size: int | None = None) -> Source:
    from pipeline.read.pdf import PdfError, open_pdf

    def said(pages):  # a page that cannot be read: the same message, naming the input as given
        try:
            yield from pages
        except PdfError as exc:
            raise InputRejected(f"{label}: {exc.reason}") from None

    try:
        (title, author), pages = open_pdf(source, name, profile)
    except PdfError as exc:
        raise InputRejected(f"{label}: {exc.reason}") from None
    return Source(name, label, "pdf", said(pages), title=title, author=author, size=size, read=data)


def open_source(path: str | Path, fmt: str | None = None, profile: str | None = None,
                stdin: BinaryIO | None = None) -> Source:
    """The source for a path (``"-"``: stdin). Raises ``InputRejected`` (binary, too large,
    bad encoding) and ``OSError`` (cannot read); ``PdfError`` for a PDF that cannot be read."""
    from pipeline.models.cid_profile import DEFAULT_PROFILE
    from pipeline.read.pdf import is_pdf

    profile = profile or DEFAULT_PROFILE
    if str(path) == "-":
        raw, name, label, size = stdin or sys.stdin.buffer, "stdin", "stdin", None
    else:
        path = Path(path)
        name, label = path.name, str(path)
        try:
            raw = open(path, "rb")  # noqa: SIM115 (closed when the slides are read, or by the GC)
            size = os.fstat(raw.fileno()).st_size if path.is_file() else None
        except OSError as exc:
            raise InputRejected(f"{label}: cannot read: {exc.strerror or exc}") from None
        if size is not None:
            check_size(label, size)
    data = _Counted(raw, label, owned=str(path) != "-")
    if is_pdf(data.first):  # by content, not by name
        if size is not None:
            raw.close()
            return pdf_source(path, name, label, profile, data, size)
        return pdf_source(data.rest(), name, label, profile, data)
    return text_source(data, name, label, fmt, size)


def source_of_text(text: str, name: str, fmt: str | None = None) -> Source:
    """A transcript given as a string (``slides_frame``)."""
    return text_source(_Counted(io.BytesIO(text.encode("utf-8", "surrogateescape")), name), name, name, fmt)

