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


def write_jsonl(records: Iterable[dict[str, Any]], path: str | Path) -> int:
    """Write atomically: a temporary file in the same folder, renamed when complete."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent or ".")
    n = 0
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            for rec in records:
                fh.write(dumps(rec) + "\n")
                n += 1
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return n
