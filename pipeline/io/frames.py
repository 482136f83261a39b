"""Tables in and out for ``clean_frame`` users: Parquet (pandas with pyarrow) and JSONL.

    >>> import pandas as pd, tempfile, os
    >>> df = pd.DataFrame({"deck": ["d", "d"], "slide": [1, 2], "text": ["ӣળࢿ", "plain"]})
    >>> out = clean_frame(df)
    >>> path = os.path.join(tempfile.mkdtemp(), "clean.jsonl")
    >>> write_frame(out, path); read_frame(path)["text"].tolist()
    ['김준성', 'plain']

The change lists and the alignment are nested; Parquet stores them as JSON strings
(``read_frame`` turns them back), JSONL as they are.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from pipeline.clean import clean_frame  # noqa: F401  (re-exported for the doctest and users)
from pipeline.io.jsonl import write_jsonl

NESTED = ("repairs", "quarantine", "papers", "alignment")


def read_frame(path: str | Path) -> pd.DataFrame:
    """A DataFrame from ``.parquet`` or ``.jsonl``."""
    path = Path(path)
    if path.suffix == ".parquet":
        df = pd.read_parquet(path)
        for col in NESTED:
            if col in df.columns:
                df[col] = [json.loads(v) if isinstance(v, str) else v for v in df[col]]
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
                out[col] = [json.dumps(v, ensure_ascii=False) for v in out[col]]
        out.to_parquet(path, index=False)
    elif path.suffix in (".jsonl", ".ndjson"):
        write_jsonl(df.to_dict(orient="records"), path)
    else:
        raise ValueError(f"{path}: use .parquet or .jsonl")
