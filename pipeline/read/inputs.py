"""Reading input bytes, and the limits on what is read.

* UTF-8 (a BOM is dropped), UTF-16 and UTF-32 with a BOM; bytes that are not UTF-8 survive
  as surrogate escapes (and are quarantined as ``invalid-utf8``).
* NUL bytes in the first 8 KB mean a binary file (an image, an archive, UTF-16 without a
  BOM): rejected with a clear error.
* ``MAX_INPUT_BYTES`` per input file and ``MAX_SLIDE_CHARS`` per slide: past them the
  input is rejected, naming the file and the limit. Larger transcripts are streamed
  (``pipeline/io/stream.py``), so memory stays bounded below these limits.

    >>> decode_input("\\ufeffhi".encode("utf-16"), "a.txt")
    'hi'
    >>> decode_input(b"\\x89PNG\\r\\n\\x1a\\n\\x00\\x00", "a.png")
    Traceback (most recent call last):
    ...
    pipeline.read.inputs.InputRejected: a.png: binary file (NUL bytes), not a transcript
"""

from __future__ import annotations

import codecs

MAX_INPUT_BYTES = 2 * 1024**3  # 2 GiB
MAX_SLIDE_CHARS = 16_000_000
BINARY_SNIFF = 8192

_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


class InputRejected(ValueError):
    """An input the tool will not read; the message names the file and the reason."""


def sniff_encoding(head: bytes, name: str) -> str:
    """The encoding to read a file as, from its first bytes; raises for binary files."""
    for bom, enc in _BOMS:
        if head.startswith(bom):
            return enc
    if b"\x00" in head[:BINARY_SNIFF]:
        raise InputRejected(f"{name}: binary file (NUL bytes), not a transcript")
    return "utf-8"


def check_size(name: str, size: int) -> None:
    """The one input-size check: every reader (a whole file, a stream as it is read) calls it."""
    if size > MAX_INPUT_BYTES:
        raise InputRejected(f"{name}: {size:,} bytes, over the limit of {MAX_INPUT_BYTES:,}")


def decode_input(data: bytes, name: str) -> str:
    check_size(name, len(data))
    enc = sniff_encoding(data[:BINARY_SNIFF], name)
    if enc == "utf-8-sig":
        return data[3:].decode("utf-8", "surrogateescape")
    if enc == "utf-8":
        return data.decode("utf-8", "surrogateescape")
    try:
        text = data.decode(enc)
    except UnicodeDecodeError as exc:
        raise InputRejected(f"{name}: not valid {enc.upper()} after its byte-order mark ({exc.reason})") from exc
    return text.lstrip("\ufeff")


def check_slide(name: str, number: int, raw: str) -> None:
    if len(raw) > MAX_SLIDE_CHARS:
        raise InputRejected(f"{name}: slide {number} has {len(raw):,} characters, over the limit of "
                            f"{MAX_SLIDE_CHARS:,}")
