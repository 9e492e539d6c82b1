"""Cells of every CSV and XLSX file cjm writes: the one place that makes them safe to open.

**Every writer of a CSV or XLSX uses this module** (the map's tables in :mod:`cjm.io.tables`, the
audit's task list in :mod:`cjm.audit`; the Funnel page's downloads should too): call
:func:`safe_cell` on each value (or :func:`safe_frame` on a DataFrame before ``to_csv`` /
``to_excel``), and for XLSX also :func:`xlsx_text`, so that

- a spreadsheet never runs user text as a formula (CSV/formula injection, OWASP's rule): text
  starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading ``'``
  (:func:`cjm.text.formula_safe`, the one definition of the rule); numbers, yes/no values and
  dates stay what they are (``-5`` stays the number −5);
- an XLSX never fails on a stored value: characters that XML cannot hold (control characters
  other than tab and line breaks) are dropped from the workbook's text, where openpyxl would
  raise ``IllegalCharacterError``.

>>> safe_cell("=HYPERLINK(\\"http://x\\")"), safe_cell("-2+3+cmd|' /C calc'!A0"), safe_cell(-5), safe_cell("fine")
('\\'=HYPERLINK("http://x")', "'-2+3+cmd|' /C calc'!A0", -5, 'fine')
>>> xlsx_text("bell\\x07 and NUL\\x00"), is_formula("@SUM(A1)"), is_formula(3)
('bell and NUL', True, False)
"""

from __future__ import annotations

import re
from typing import Any

from cjm.text import FORMULA_START, formula_safe

__all__ = ["FORMULA_START", "is_formula", "safe_cell", "xlsx_text", "safe_frame"]

#: Characters an XLSX (XML 1.0) cannot hold: openpyxl's ``ILLEGAL_CHARACTERS_RE``, and lone surrogates.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

#: ``value`` as a cell no spreadsheet runs (formula-like text gets a leading ``'``; others unchanged).
safe_cell = formula_safe


def is_formula(value: Any) -> bool:
    """True when a spreadsheet would read ``value`` (written as text) as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_START)


def xlsx_text(value: Any) -> Any:
    """``value`` with the characters an XLSX cannot hold removed (text only; others unchanged)."""
    return _XML_ILLEGAL.sub("", value) if isinstance(value, str) else value


def safe_frame(frame: Any, *, xlsx: bool = False) -> Any:
    """A copy of a pandas DataFrame whose text cells (and headers) are :func:`safe_cell` (and
    :func:`xlsx_text` with ``xlsx=True``); numeric columns are left as they are."""
    out = frame.copy()

    def fix(value: Any) -> Any:
        value = safe_cell(value)
        return xlsx_text(value) if xlsx else value

    for col in out.columns:
        if out[col].dtype == object or str(out[col].dtype) in ("string", "str"):
            out[col] = out[col].map(fix)
    out.columns = [fix(c) if isinstance(c, str) else c for c in out.columns]
    return out
