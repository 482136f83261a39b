"""Tables in and out for ``clean_frame`` users: Parquet (pandas with pyarrow) and JSONL.

    >>> import pandas as pd, tempfile, os
    >>> df = pd.DataFrame({"deck": ["d", "d"], "slide": [1, 2], "text": ["ӣળࢿ", "plain"]})
    >>> out = clean_frame(df)
    >>> path = os.path.join(tempfile.mkdtemp(), "clean.jsonl")
    >>> write_frame(out, path); read_frame(path)["text"].tolist()
    ['김준성', 'plain']

The change lists and the alignment are nested; Parquet stores them as JSON strings and
``raw`` as its UTF-8 bytes (undecodable input bytes kept; ``read_frame`` turns them back),
the same columns ``clean-slides -o x.parquet`` writes; JSONL stores them as they are.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from pipeline.clean import clean_frame  # noqa: F401  (re-exported for the doctest and users)
from pipeline.io.jsonl import write_jsonl
from pipeline.io.sink import NESTED, parquet_value


def read_frame(path: str | Path) -> pd.DataFrame:
    """A DataFrame from ``.parquet`` or ``.jsonl``."""
    path = Path(path)
    if path.suffix == ".parquet":
        df = pd.read_parquet(path)
        for col in NESTED:
            if col in df.columns:
                df[col] = [json.loads(v) if isinstance(v, str) else v for v in df[col]]
        if "raw" in df.columns:  # stored as its UTF-8 bytes, undecodable input bytes kept
            df["raw"] = [v.decode("utf-8", "surrogateescape") if isinstance(v, bytes) else v for v in df["raw"]]
        return df
    if path.suffix in (".jsonl", ".ndjson"):  # json itself: exact floats, nested values as they are
        with open(path, encoding="utf-8") as fh:
            return pd.DataFrame([json.loads(line) for line in fh if line.strip()])
    raise ValueError(f"{path}: use .parquet or .jsonl")


def write_frame(df: pd.DataFrame, path: str | Path) -> None:
    """Write ``.parquet`` (nested columns as JSON strings) or ``.jsonl``."""
    path = Path(path)
    if path.suffix == ".parquet":
        out = df.copy()
        for col in NESTED:
            if col in out.columns:
                out[col] = [parquet_value(col, v) for v in out[col]]
        if "raw" in out.columns:
            out["raw"] = [parquet_value("raw", v) for v in out["raw"]]
        out.to_parquet(path, index=False)
    elif path.suffix in (".jsonl", ".ndjson"):
        write_jsonl(df.to_dict(orient="records"), path)
    else:
        raise ValueError(f"{path}: use .parquet or .jsonl")


def slides_frame(items) -> pd.DataFrame:
    """One row per slide (``deck``, ``slide``, ``text``: the slide's text as read) from
    transcript or PDF files (paths, ``str`` or ``Path``) and ``(name, text)`` pairs of
    transcripts given as strings; ``clean_frame`` (or ``clean_dask_frame``) then cleans it.
    Files are read as the command reads them (``pipeline/io/source.py``)::

        >>> df = slides_frame([("a.txt", "first\\fsecond")])
        >>> df.values.tolist()
        [['a.txt', 1, 'first'], ['a.txt', 2, 'second']]
        >>> clean_frame(df)["text"].tolist()
        ['first', 'second']

    For a PDF, ``text`` is what its pages show before the PDF's own repairs
    (``clean_pdf`` keeps those); raises as the command does (``InputRejected``, ``NoSlidesError``).
    """
    from pipeline.io.source import open_source, source_of_text

    rows = []
    for item in items:
        source = source_of_text(item[1], item[0]) if isinstance(item, tuple) else open_source(item)
        count = empty = 0
        for s in source.slides:
            rows.append((s.deck, s.number, s.raw))
            count, empty = count + 1, empty + (not s.raw)
        source.check_slides(count, empty)
    return pd.DataFrame(rows, columns=["deck", "slide", "text"]).astype({"slide": "int64"})
