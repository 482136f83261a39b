"""Running ``clean_frame`` on a distributed engine (``pip install 'clean-slides[dask]'``).

Dask::

    import dask.dataframe as dd
    from pipeline.io.distributed import clean_dask_frame
    cleaned = clean_dask_frame(dd.read_parquet("slides/*.parquet"), column="text")

Each partition is cleaned by ``clean_frame`` in a worker (models load once per worker
process). Partition the frame by deck (``set_index("deck")`` or ``shuffle``) so a deck's
slides are cleaned together. A Dask bag of strings goes through ``clean_text``.
"""

from __future__ import annotations

import pandas as pd

from pipeline.clean import clean_frame, clean_text
from pipeline.deck import RECORD_COLUMNS

COLUMNS = list(RECORD_COLUMNS)


def _meta(given: pd.DataFrame | None = None) -> pd.DataFrame:
    """The empty frame ``clean_frame`` gives for a partition like ``given``: its columns kept,
    the record columns set (see ``clean_frame``)."""
    out = (given if given is not None else pd.DataFrame()).iloc[:0].copy()
    for c in COLUMNS:
        out[c] = pd.Series(dtype="int64" if c == "slide" else "object")
    return out


def clean_dask_frame(ddf, column: str = "text"):
    """A Dask DataFrame of records, one row per input row, partitions kept."""
    return ddf.map_partitions(clean_frame, column=column, meta=_meta(ddf._meta))


def clean_dask_bag(bag):
    """A Dask bag of ``clean_text`` results, one per string."""
    return bag.map(clean_text)
