"""Funnel tables: conversion, drop-off and 95% Wilson intervals, the biggest drop, plain-Python summaries."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from statistics import NormalDist

from cjm.funnel._pandas import pd
from cjm.text import fmt_int, fmt_share, formula_safe

__all__ = [
    "wilson_interval",
    "funnel_rows",
    "funnel_table",
    "segment_table",
    "biggest_drop",
    "funnel_summary",
    "TABLE_COLUMNS",
    "format_duration",
    "display_table",
    "table_to_xlsx",
    "table_to_csv",
    "spreadsheet_safe",
]

TABLE_COLUMNS = (
    "step_number",
    "step",
    "users",
    "step_conversion",
    "step_conversion_low",
    "step_conversion_high",
    "overall_conversion",
    "overall_conversion_low",
    "overall_conversion_high",
    "drop_off",
    "drop_off_rate",
    "drop_off_rate_low",
    "drop_off_rate_high",
    "biggest_drop",
    "rises",
)


def wilson_interval(successes: int, trials: int, confidence: float = 0.95) -> tuple[float, float]:
    """The Wilson score interval of a proportion ``successes / trials``.

    Returns ``(nan, nan)`` when there are no trials or more successes than trials.

    >>> lo, hi = wilson_interval(50, 100)
    >>> round(lo, 4), round(hi, 4)
    (0.4038, 0.5962)
    >>> wilson_interval(0, 10)[0]
    0.0
    """
    if trials <= 0 or successes < 0 or successes > trials:
        return (math.nan, math.nan)
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    p = successes / trials
    denom = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denom
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denom
    lo = 0.0 if successes == 0 else max(0.0, centre - half)  # exact ends, no rounding dust
    hi = 1.0 if successes == trials else min(1.0, centre + half)
    return (lo, hi)


def _ratio(a: int, b: int) -> float:
    return a / b if b > 0 else math.nan


def funnel_rows(steps: Sequence[str], counts: Sequence[int]) -> list[dict]:
    """The rows of :func:`funnel_table` as plain Python dicts (no pandas): ``drop_off`` is ``None``
    on step 1, the ratios ``nan`` where undefined."""
    counts = [int(c) for c in counts]
    rows = []
    first = counts[0] if counts else 0
    for k, (step, users) in enumerate(zip(steps, counts, strict=False), start=1):
        prev = counts[k - 2] if k > 1 else None
        if prev is None:
            sc = sl = sh = dr = dl = dh = math.nan
            drop = None
        else:
            sc = _ratio(users, prev)
            sl, sh = wilson_interval(users, prev)
            drop = prev - users
            dr = _ratio(drop, prev) if drop >= 0 else math.nan
            dl, dh = (1 - sh, 1 - sl) if not math.isnan(sl) else (math.nan, math.nan)
        oc = _ratio(users, first)
        ol, oh = wilson_interval(users, first)
        rows.append(
            {
                "step_number": k,
                "step": str(step),
                "users": users,
                "step_conversion": sc,
                "step_conversion_low": sl,
                "step_conversion_high": sh,
                "overall_conversion": oc,
                "overall_conversion_low": ol,
                "overall_conversion_high": oh,
                "drop_off": drop,
                "drop_off_rate": dr,
                "drop_off_rate_low": dl,
                "drop_off_rate_high": dh,
                "biggest_drop": False,
                "rises": prev is not None and users > prev,
            }
        )
    worst = _worst([r["drop_off_rate"] for r in rows])
    if worst is not None:
        rows[worst - 1]["biggest_drop"] = True
    return rows


def _worst(rates: Sequence[float]) -> int | None:
    """The step number (1-based) of the highest drop-off rate, the earliest on a tie; ``None`` when
    no step loses anyone."""
    best = None
    for k, r in enumerate(rates, start=1):
        if r is not None and not math.isnan(r) and r > 0 and (best is None or r > rates[best - 1]):
            best = k
    return best


def funnel_table(steps: Sequence[str], counts: Sequence[int]) -> pd.DataFrame:
    """Each row is a funnel step: ``step_number`` (1-based), ``step``, ``users`` (people who reached
    it), ``step_conversion`` (users / users of the previous step) and ``overall_conversion`` (users /
    users of step 1) each with ``_low``/``_high`` 95% Wilson bounds, ``drop_off`` (previous users −
    users), ``drop_off_rate`` (drop_off / previous users) with bounds, ``biggest_drop`` (True on the
    step with the highest drop-off rate; the first one on a tie) and ``rises`` (users went up, which a
    funnel should not do). Step 1 has no step conversion or drop-off (NaN)."""
    table = pd.DataFrame(funnel_rows(steps, counts), columns=list(TABLE_COLUMNS))
    table["drop_off"] = table["drop_off"].astype("Int64")
    return table


def biggest_drop(table: pd.DataFrame) -> int | None:
    """The step number with the highest drop-off rate (people lost relative to the step before),
    the earliest on a tie; ``None`` when no step loses anyone."""
    worst = _worst([float(r) for r in table["drop_off_rate"]])
    return None if worst is None else int(table["step_number"].iloc[worst - 1])


def segment_table(steps: Sequence[str], segments: Mapping[str, Sequence[int]]) -> pd.DataFrame:
    """Each row is a step of one segment: ``segment`` then the columns of :func:`funnel_table`
    (the biggest drop is marked within each segment)."""
    frames = []
    for seg, counts in segments.items():
        t = funnel_table(steps, counts)
        t.insert(0, "segment", seg)
        frames.append(t)
    if not frames:
        return pd.DataFrame(columns=["segment", *TABLE_COLUMNS])
    return pd.concat(frames, ignore_index=True)


def _plain(v):
    if v is None or (isinstance(v, float) and math.isnan(v)) or str(v) == "<NA>":
        return None
    if hasattr(v, "item"):
        v = v.item()
    return round(v, 6) if isinstance(v, float) else v


def funnel_summary(
    steps: Sequence[str], counts: Sequence[int], segments: Mapping[str, Sequence[int]] | None = None
) -> dict:
    """The funnel as plain Python (JSON-ready): ``{"steps": [{"step", "users", "step_conversion",
    "overall_conversion", "drop_off", "drop_off_rate", ...}], "biggest_drop_step": k | None,
    "overall_conversion": float | None, "segments": {name: {...same...}}}``."""
    rows = funnel_rows(steps, counts)
    out = {
        "steps": [{k: _plain(v) for k, v in row.items()} for row in rows],
        "biggest_drop_step": next((r["step_number"] for r in rows if r["biggest_drop"]), None),
        "overall_conversion": _plain(rows[-1]["overall_conversion"]) if rows else None,
    }
    if segments:
        out["segments"] = {str(seg): funnel_summary(steps, c) for seg, c in segments.items()}
    return out


def format_duration(seconds: float | None, lang: str = "en") -> str:
    """A short human duration in ``lang``: ``"45 s"``, ``"12 min"``, ``"3.5 h"``, ``"2.1 d"``
    (``"97 мин"``, ``"3,5 ч"`` in Russian); ``""`` for None.

    >>> format_duration(45), format_duration(720), format_duration(12600), format_duration(181440)
    ('45 s', '12 min', '3.5 h', '2.1 d')
    >>> format_duration(5820, "ru"), format_duration(12600, "ru")
    ('97 мин', '3,5 ч')
    """
    from cjm.i18n import t
    from cjm.text import fmt_decimal

    if seconds is None or (isinstance(seconds, float) and math.isnan(seconds)):
        return ""
    s = float(seconds)
    if s < 120:
        return t("unit.seconds", lang, n=fmt_int(round(s), lang))
    if s < 2 * 3600:
        return t("unit.minutes", lang, n=fmt_int(round(s / 60), lang))
    if s < 2 * 86400:
        return t("unit.hours", lang, n=fmt_decimal(s / 3600, lang))
    return t("unit.days", lang, n=fmt_decimal(s / 86400, lang))


def display_table(
    table: pd.DataFrame, headers: Mapping[str, str], *, biggest_mark: str = "◀", lang: str = "en"
) -> pd.DataFrame:
    """Each row is a step of :func:`funnel_table`, ready to show: ``#``, step, people, conversion
    from the previous step and from step 1, dropped off, drop-off rate with its 95% range, and the
    biggest-drop mark; column titles come from ``headers`` (keys are ``funnel_table`` columns);
    numbers and shares as ``lang`` writes them (``18 455``, ``7,3 %`` in Russian)."""

    def pct(v) -> str:
        return fmt_share(v, lang, 1, missing="")

    out = pd.DataFrame(
        {
            headers.get("step_number", "#"): table["step_number"].astype(int),
            headers.get("step", "step"): table["step"],
            headers.get("users", "users"): [fmt_int(v, lang) for v in table["users"]],
            headers.get("step_conversion", "step_conversion"): [pct(v) for v in table["step_conversion"]],
            headers.get("overall_conversion", "overall_conversion"): [pct(v) for v in table["overall_conversion"]],
            headers.get("drop_off", "drop_off"): [fmt_int(v, lang, missing="") for v in table["drop_off"]],
            headers.get("drop_off_rate", "drop_off_rate"): [
                "" if pd.isna(r) else f"{pct(r)} ({pct(lo)}–{pct(hi)})"
                for r, lo, hi in zip(
                    table["drop_off_rate"], table["drop_off_rate_low"], table["drop_off_rate_high"], strict=True
                )
            ],
            headers.get("biggest_drop", "biggest_drop"): [biggest_mark if b else "" for b in table["biggest_drop"]],
        }
    )
    return out


def spreadsheet_safe(table: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``table`` a spreadsheet will not run: every text cell (and column name) that would
    start a formula gets a leading ``'`` (:func:`cjm.text.formula_safe`); numbers stay numbers."""
    out = table.rename(columns=lambda c: formula_safe(c) if isinstance(c, str) else c)
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(formula_safe)
    return out


def table_to_csv(table: pd.DataFrame) -> bytes:
    """The table as UTF-8 CSV (bytes), formula cells neutralised (see :func:`spreadsheet_safe`)."""
    # CRLF line ends (RFC 4180): a cell holding a carriage return is then quoted, not a line break
    return spreadsheet_safe(table).to_csv(index=False, lineterminator="\r\n").encode("utf-8")


def table_to_xlsx(table: pd.DataFrame, sheet: str = "funnel") -> bytes:
    """The table as an Excel workbook (bytes), one sheet, formula cells neutralised (openpyxl would
    store a text starting with ``=`` as a formula)."""
    import io

    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        spreadsheet_safe(table).to_excel(writer, index=False, sheet_name=sheet[:31])
    return buf.getvalue()
