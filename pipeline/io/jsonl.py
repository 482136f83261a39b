"""Write records as JSON Lines, one object per line, UTF-8.

Undecodable input bytes live in ``raw`` as lone surrogates (see ``invalid_bytes``);
they are written as ``\\udcXX`` escapes so the file stays valid UTF-8 and
``json.loads`` gives the exact string back::

    >>> dumps({"raw": "a\\udcff"})
    '{"raw": "a\\\\udcff"}'
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any, Iterable

_SURROGATE = re.compile(r"[\ud800-\udfff]")


def dumps(record: dict[str, Any]) -> str:
    line = json.dumps(record, ensure_ascii=False)
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", line)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


class AtomicWriter:
    """A JSONL file written to a temporary file beside it and renamed only when complete,
    so a partial result never stands as if complete."""

    def __init__(self, path: str | Path, binary: bool = False):
        self.path = Path(path)
        self.count = 0
        self.binary = binary  # ``fh`` takes bytes

    def __enter__(self) -> "AtomicWriter":
        fd, self.tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".part", dir=self.path.parent or ".")
        os.chmod(self.tmp, 0o666 & ~_umask())  # the mode a plain open() would give
        self.fh = os.fdopen(fd, "wb") if self.binary else os.fdopen(fd, "w", encoding="utf-8", newline="\n")
        return self

    def write_records(self, records: Iterable[dict[str, Any]]) -> None:
        for rec in records:
            self.fh.write(dumps(rec) + "\n")
            self.count += 1

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            self.fh.close()  # a full disk may refuse the last buffered bytes here
            if exc_type is None:
                os.replace(self.tmp, self.path)
        finally:
            Path(self.tmp).unlink(missing_ok=True)  # gone once renamed; else never left behind


def write_jsonl(records: Iterable[dict[str, Any]], path: str | Path) -> int:
    """Write atomically (see ``AtomicWriter``); returns the number of records."""
    with AtomicWriter(path) as out:
        out.write_records(records)
    return out.count
