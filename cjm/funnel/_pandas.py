"""``pd``: pandas, imported when first used. ``python -m cjm funnel`` on an event log prints counts
without ever needing it, and importing it takes a quarter of a second of every run."""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["pd"]


class _Pandas:
    def __getattr__(self, name: str) -> Any:
        module = importlib.import_module("pandas")
        globals()["pd"] = module  # later `from cjm.funnel._pandas import pd` get pandas itself
        return getattr(module, name)


pd: Any = _Pandas()
