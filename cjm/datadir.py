"""The data folder: ``CJM_DATA_DIR`` (default ``./data``), home of the SQLite database and the
funnel cache. A module of its own so that the command line finds it without loading the store."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["data_dir"]


def data_dir(*, create: bool = True) -> Path:
    """The data folder as an absolute path, created when missing (unless ``create`` is false)."""
    folder = Path(os.environ.get("CJM_DATA_DIR", "").strip() or "data").expanduser().resolve()
    if create:
        folder.mkdir(parents=True, exist_ok=True)
    return folder
