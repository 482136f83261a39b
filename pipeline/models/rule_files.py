"""Find and load the data files in ``rules/``.

In a checkout the folder sits beside the package; in an installed wheel it is
shipped as ``pipeline/rules`` (see ``pyproject.toml``). Either way a stage asks
for a file by its path inside ``rules/``::

    >>> load_json("cid_profiles/adobe-korea1.json")["name"]
    'Adobe-Korea1-2'
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent  # pipeline/


@lru_cache(maxsize=1)
def rules_dir() -> Path:
    """The ``rules/`` folder: installed copy first, then the checkout's."""
    for candidate in (_PACKAGE / "rules", _PACKAGE.parent / "rules"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("clean-slides: the rules/ data folder is missing from this installation")


def rules_path(name: str) -> Path:
    return rules_dir() / name


def load_json(name: str):
    with open(rules_path(name), encoding="utf-8") as fh:
        return json.load(fh)
