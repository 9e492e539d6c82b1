"""The SQL of a database funnel, per dialect (ClickHouse, PostgreSQL).

One statement per funnel, read-only (``SELECT`` / ``WITH`` only), with the semantics of the local
engine (``cjm.funnel.engine``, docs/funnel.md): every step-1 event starts an attempt, the next
step is the first event of that step after the previous one within the window from step 1 (ordered),
or the very next event, repeats of the current step allowed (strict); an exclusion event discards an
attempt; each person counts through the latest attempt reaching their furthest step; any order is
the window ``[t - W, t]`` holding the most distinct steps. Only counts come back: one row per
(segment, furthest step, week of entry), and one total row with the time-to-convert quantiles.

Identifiers are quoted here; every value a person typed (step names, exclusions, dates) is a bound
parameter (``:name`` for SQLAlchemy, ``{name:Type}`` for ClickHouse); the numbers written into the
text (the window, step codes) are integers made here.

How each engine does the per-person work:

- **PostgreSQL**: window functions over the person's events in time order number the rows and give,
  for each row, the next row of each step's event (a running ``min`` read backwards); every step-1
  row is then followed step by step with one join per step (``LEFT JOIN`` on person and row number),
  and ``row_number()`` keeps each person's counted attempt.
- **ClickHouse**: one ``GROUP BY person`` gathers the person's events into sorted arrays; the same
  "next row of this event" arrays come from ``arrayReverseFill`` and the attempts are followed with
  ``arrayMap`` — no join and no window function, so on a ``Distributed`` table sharded by person each
  shard does its own people.
- **Any order** (both): window functions with a ``RANGE`` frame of W count each step's events in the
  window ending at every event.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

__all__ = [
    "DIALECTS",
    "TIME_KINDS",
    "dialect",
    "check_read_only",
    "DbTable",
    "FunnelSpec",
    "Query",
    "funnel_query",
    "columns_query",
    "tables_query",
    "events_query",
]

DIALECTS = ("clickhouse", "postgresql")
_OTHER = 255  # code of an event that is no step and no exclusion (sorted last at a timestamp, as locally)
_US = 1_000_000
TIME_KINDS = ("timestamp", "epoch_s", "epoch_ms", "epoch_us")


@dataclass(frozen=True)
class DbTable:
    """A table or view of events: ``table`` (``name`` or ``schema.name`` / ``database.name``), the
    person, event and time columns, the property columns that may break a funnel down, and how the
    time column holds time (``timestamp`` for a date-time type, or ``epoch_s`` / ``epoch_ms`` /
    ``epoch_us`` for numbers). ``event_is_text`` is False when the event column is not a text type
    (it is then cast to text)."""

    table: str
    user: str
    event: str
    time: str
    properties: tuple[str, ...] = ()
    time_kind: str = "timestamp"
    event_is_text: bool = True


@dataclass(frozen=True)
class FunnelSpec:
    """What to count: ``steps`` (names, a name may repeat), ``mode``, ``window_seconds``, ``by`` (a
    property column or None), ``exclusions`` as ``(event, after, before)`` with 1-based steps, and an
    optional date range ``[date_from, date_to)`` (UTC): attempts start inside it, later steps may
    follow up to one window after its end (any order: every event inside it)."""

    steps: tuple[str, ...]
    mode: str = "ordered"
    window_seconds: int = 14 * 86400
    by: str | None = None
    exclusions: tuple[tuple[str, int, int], ...] = ()
    date_from: datetime | None = None
    date_to: datetime | None = None


@dataclass
class Query:
    """A statement and its bound values."""

    sql: str
    params: dict = field(default_factory=dict)


class _Dialect:
    name = ""

    def __init__(self) -> None:
        self.params: dict = {}

    def bind(self, value, kind: str) -> str:
        key = f"p{len(self.params)}"
        self.params[key] = value
        return self.placeholder(key, kind)

    def table(self, dotted: str) -> str:
        parts = [p for p in str(dotted).split(".")]
        if not 1 <= len(parts) <= 2 or any(not p.strip() for p in parts):
            raise ValueError(f"not a table name: {dotted!r}")
        return ".".join(self.ident(p.strip()) for p in parts)


class _Postgres(_Dialect):
    name = "postgresql"

    def ident(self, name: str) -> str:
        return '"' + str(name).replace('"', '""') + '"'

    def placeholder(self, key: str, kind: str) -> str:
        return f":{key}"

    def text(self, expr: str) -> str:
        return f"CAST({expr} AS text)"

    def time_us(self, col: str, kind: str) -> str:
        if kind == "timestamp":
            return f"CAST(EXTRACT(EPOCH FROM {col}) * 1000000 AS BIGINT)"
        return f"(CAST({col} AS BIGINT) * {_EPOCH_SCALE[kind]})"

    def if_agg(self, func: str, expr: str, cond: str) -> str:
        return f"{func}({expr}) FILTER (WHERE {cond})"

    def blank(self, expr: str) -> str:
        return f"({expr} IS NULL OR {expr} ~ '^\\s*$')"

    def week_day(self, t_us: str) -> str:
        days = f"CAST(floor({t_us} / 86400000000.0) AS BIGINT)"
        return f"({days} - mod(mod({days} + 3, 7) + 7, 7))"

    def quantiles(self, expr: str, cond: str) -> str:
        return f"percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY {expr}) FILTER (WHERE {cond})"

    def lag_code(self, window: str) -> str:
        return f"lag(c) OVER {window}"

    def settings(self, timeout_s: int) -> str:
        return ""


class _ClickHouse(_Dialect):
    name = "clickhouse"

    def ident(self, name: str) -> str:
        return "`" + str(name).replace("\\", "\\\\").replace("`", "\\`") + "`"

    def placeholder(self, key: str, kind: str) -> str:
        return "{" + key + ":" + {"text": "String", "int": "Int64", "time": "DateTime64(6, 'UTC')"}[kind] + "}"

    def text(self, expr: str) -> str:
        return f"toString({expr})"

    def time_us(self, col: str, kind: str) -> str:
        if kind == "timestamp":
            return f"toUnixTimestamp64Micro(toDateTime64({col}, 6, 'UTC'))"
        return f"(toInt64({col}) * {_EPOCH_SCALE[kind]})"

    def if_agg(self, func: str, expr: str, cond: str) -> str:
        return f"{func}If({expr}, {cond})"

    def blank(self, expr: str) -> str:
        return f"({expr} IS NULL OR match({expr}, '^\\\\s*$'))"

    def week_day(self, t_us: str) -> str:
        days = f"intDiv({t_us} - if({t_us} < 0, 86399999999, 0), 86400000000)"
        return f"({days} - ((({days} + 3) % 7) + 7) % 7)"

    def quantiles(self, expr: str, cond: str) -> str:
        return f"quantilesExactInclusiveIf(0.5, 0.9)(toFloat64({expr}), {cond})"

    def lag_code(self, window: str) -> str:
        return f"lagInFrame(c, 1) OVER {window}"

    def settings(self, timeout_s: int) -> str:
        return f" SETTINGS max_execution_time = {int(timeout_s)}, readonly = 2"


_EPOCH_SCALE = {"epoch_s": 1_000_000, "epoch_ms": 1000, "epoch_us": 1}


def dialect(name: str) -> _Dialect:
    if name == "postgresql":
        return _Postgres()
    if name == "clickhouse":
        return _ClickHouse()
    raise ValueError(f"unknown SQL dialect {name!r}")


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _bound_time(d: _Dialect, table: DbTable, value: datetime) -> str:
    """A date-time bound compared with the raw time column (so an index or a partition key on it is
    used): a timestamp for a date-time column, an integer for epoch numbers."""
    value = _utc(value)
    if table.time_kind == "timestamp":
        if d.name == "clickhouse":
            return d.bind(value.strftime("%Y-%m-%d %H:%M:%S.%f"), "time")
        return d.bind(value, "time")
    us = int(round(value.timestamp() * _US))
    return d.bind(us // (_EPOCH_SCALE[table.time_kind] or 1), "int")


def _source(d: _Dialect, table: DbTable, spec: FunnelSpec, names: list[str], *, all_events: bool) -> str:
    """``SELECT u, t, c, p`` of the events the funnel needs: person, time in microseconds, the code
    (1 + index of the name among the step names then the exclusions; 255 for any other event) and the
    breakdown value (NULL without a breakdown)."""
    ev = d.ident(table.event)
    if not table.event_is_text:
        ev = d.text(ev)
    col_t = d.ident(table.time)
    whens = " ".join(f"WHEN {ev} = {d.bind(name, 'text')} THEN {i + 1}" for i, name in enumerate(names))
    code = f"CASE {whens} ELSE {_OTHER} END"
    prop = d.text(d.ident(spec.by)) if spec.by else "NULL"
    where = [f"{d.ident(table.user)} IS NOT NULL", f"{col_t} IS NOT NULL"]
    if not all_events:
        where.append(f"{ev} IN ({', '.join(d.bind(n, 'text') for n in names)})")
    if spec.date_from is not None:
        where.append(f"{col_t} >= {_bound_time(d, table, spec.date_from)}")
    if spec.date_to is not None:
        end = spec.date_to
        if spec.mode != "any":  # later steps of an attempt that starts in the range
            end = _utc(end).timestamp() + spec.window_seconds
            end = datetime.fromtimestamp(end, UTC)
        where.append(f"{col_t} < {_bound_time(d, table, end)}")
    return (
        f"SELECT {d.ident(table.user)} AS u, {d.time_us(col_t, table.time_kind)} AS t, {code} AS c, {prop} AS p "
        f"FROM {d.table(table.table)} WHERE {' AND '.join(where)}"
    )


def _codes(spec: FunnelSpec) -> tuple[list[str], list[int], dict[str, int]]:
    names = list(dict.fromkeys(spec.steps))
    extra = [e for e, _, _ in spec.exclusions if e not in names]
    names += list(dict.fromkeys(extra))
    code_of = {name: i + 1 for i, name in enumerate(names)}
    return names, [code_of[s] for s in spec.steps], code_of


def _start_limit(d: _Dialect, spec: FunnelSpec) -> str | None:
    """Attempts start before the end of the date range (an integer bound on ``t``)."""
    if spec.date_to is None or spec.mode == "any":
        return None
    return d.bind(int(round(_utc(spec.date_to).timestamp() * _US)), "int")


# --------------------------------------------------------------------------------------------
# Ordered and strict: PostgreSQL (window functions, one join per step)
# --------------------------------------------------------------------------------------------


def _people_pg(d: _Dialect, table: DbTable, spec: FunnelSpec) -> str:
    names, codes, code_of = _codes(spec)
    n, W, strict = len(codes), spec.window_seconds * _US, spec.mode == "strict"
    src = _source(d, table, spec, names, all_events=strict)
    order = "t, c, p" if spec.by else "t, c"
    back = "(PARTITION BY u ORDER BY rn DESC ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)"
    cols = []
    need_next = sorted({codes[k] for k in range(1, n)}) if not strict else []
    for x in need_next:
        cols.append(f"{d.if_agg('min', 'rn', f'c = {x}')} OVER {back} AS nx{x}")
    ex_codes = sorted({code_of[e] for e, _, _ in spec.exclusions})
    for x in ex_codes:
        if x not in need_next:
            cols.append(f"{d.if_agg('min', 'rn', f'c = {x}')} OVER {back} AS nx{x}")
        cols.append(f"{d.if_agg('min', 't', f'c = {x}')} OVER {back} AS nt{x}")
    if strict:  # the next row whose event differs from this row's (repeats of a step are skipped)
        cols.append(f"{d.if_agg('min', 'rn', 'rs = 1')} OVER {back} AS nd")
    rs = f", CASE WHEN {d.lag_code('w')} = c THEN 0 ELSE 1 END AS rs" if strict else ""
    ev = (
        f"ev AS MATERIALIZED (SELECT u, t, c, p, rn{''.join(', ' + c for c in cols)} FROM ("
        f"SELECT u, t, c, p, row_number() OVER w AS rn{rs} FROM ({src}) s "
        f"WINDOW w AS (PARTITION BY u ORDER BY {order})) r)"
    )
    alias = ["a"] + [f"r{k + 1}" for k in range(1, n)]
    joins = []
    for k in range(1, n):
        prev, cur = alias[k - 1], alias[k]
        if strict:
            nxt = f"{prev}.nd" if codes[k] != codes[k - 1] else f"{prev}.rn + 1"
            extra = f" AND {cur}.c = {codes[k]}"
        else:
            nxt, extra = f"{prev}.nx{codes[k]}", ""
        joins.append(f"LEFT JOIN ev {cur} ON {cur}.u = a.u AND {cur}.rn = {nxt} AND {cur}.t - a.t <= {W}{extra}")
    prog = " + ".join(["1"] + [f"CASE WHEN {alias[k]}.rn IS NULL THEN 0 ELSE 1 END" for k in range(1, n)])
    excluded = []
    for e, after, before in spec.exclusions:
        x, ra, rb = code_of[e], alias[after - 1], alias[before - 1]
        excluded.append(
            f"({ra}.rn IS NOT NULL AND {ra}.nx{x} IS NOT NULL AND "
            f"CASE WHEN {rb}.rn IS NOT NULL THEN {ra}.nx{x} < {rb}.rn ELSE {ra}.nt{x} - a.t <= {W} END)"
        )
    eff = f"CASE WHEN {' OR '.join(excluded)} THEN 0 ELSE {prog} END" if excluded else prog
    limit = _start_limit(d, spec)
    where = f"a.c = {codes[0]}" + (f" AND a.t < {limit}" if limit else "")
    times = ", ".join(f"{alias[k]}.t AS t{k + 1}" for k in range(n))
    attempts = f"SELECT a.u AS u, a.rn AS s, a.p AS seg, {times}, {eff} AS f FROM ev a {' '.join(joins)} WHERE {where}"
    tcols = ", ".join(f"t{k + 1}" for k in range(n))
    return f"WITH {ev}", (
        f"SELECT f, seg, {tcols} FROM ("
        f"SELECT f, seg, {tcols}, row_number() OVER (PARTITION BY u ORDER BY f DESC, s DESC) AS pick "
        f"FROM ({attempts}) att) best WHERE pick = 1"
    )


# --------------------------------------------------------------------------------------------
# Ordered and strict: ClickHouse (arrays per person)
# --------------------------------------------------------------------------------------------


def _staged(grouped: str, lets: list[str]) -> str:
    """Each ``expr AS name`` in a subquery of its own, on top of the one before: later expressions
    then read a column. (In one ``SELECT`` ClickHouse's analyser copies an alias's whole expression
    into every use, and the chains of arrays made planning take most of a second.)"""
    body = f"({grouped}) s0"
    for i, let in enumerate(lets, 1):
        body = f"(SELECT *, {let} FROM {body}) s{i}"
    return body


def _people_ch(d: _Dialect, table: DbTable, spec: FunnelSpec) -> str:
    names, codes, code_of = _codes(spec)
    n, W, strict = len(codes), spec.window_seconds * _US, spec.mode == "strict"
    src = _source(d, table, spec, names, all_events=strict)
    tup = "(t, c, p)" if spec.by else "(t, c)"
    grouped = f"SELECT u, arraySort(groupArray({tup})) AS e FROM ({src}) s GROUP BY u"

    def fill(cond: str, sentinel: str) -> str:
        """For each row i (1..N+1), the first row j >= i where ``cond`` holds (N + 1 if none)."""
        return f"arrayReverseFill((i, x) -> {cond}, arrayPushBack(idx, toUInt64(N + 1)), arrayPushBack(cs, {sentinel}))"

    lets = [
        "arrayMap(x -> x.1, e) AS ts",
        "arrayMap(x -> x.2, e) AS cs",
        "length(e) AS N",
        "arrayMap(i -> toUInt64(i), arrayEnumerate(e)) AS idx",
    ]
    if spec.by:
        lets.append("arrayMap(x -> x.3, e) AS ps")
    need_next = sorted({codes[k] for k in range(1, n)} | {code_of[e] for e, _, _ in spec.exclusions})
    if not strict:
        for x in need_next:
            lets.append(f"{fill(f'x = {x}', str(x))} AS nx{x}")
    else:
        for x in sorted({code_of[e] for e, _, _ in spec.exclusions}):
            lets.append(f"{fill(f'x = {x}', str(x))} AS nx{x}")
        # the next row whose event differs from the one before it: the start of the next run
        lets.append(
            "arrayReverseFill((i, x) -> x, arrayPushBack(idx, toUInt64(N + 1)), "
            "arrayPushBack(arrayMap(i -> i = 1 OR cs[i] != cs[i - 1], idx), 1)) AS nrs"
        )
    limit = _start_limit(d, spec)
    start_cond = f"cs[i] = {codes[0]}" + (f" AND ts[i] < {limit}" if limit else "")
    lets.append(f"arrayFilter(i -> {start_cond}, idx) AS g1")
    for k in range(1, n):
        if strict:
            j = "nrs[g + 1]" if codes[k] != codes[k - 1] else "(g + 1)"
            ok = f"{j} <= N AND cs[{j}] = {codes[k]} AND ts[{j}] - ts[s] <= {W}"
        else:
            j = f"nx{codes[k]}[g + 1]"
            ok = f"{j} <= N AND ts[{j}] - ts[s] <= {W}"
        lets.append(f"arrayMap((s, g) -> if(g = 0, toUInt64(0), if({ok}, {j}, toUInt64(0))), g1, g{k}) AS g{k + 1}")
    if n > 1:
        gs = ", ".join(f"g{k + 1}" for k in range(1, n))
        args = ", ".join(f"h{k + 1}" for k in range(1, n))
        lets.append(f"arrayMap(({args}) -> 1 + {' + '.join(f'(h{k + 1} > 0)' for k in range(1, n))}, {gs}) AS prog")
    else:
        lets.append("arrayMap(s -> 1, g1) AS prog")
    prog = "prog"
    for i, (e, after, before) in enumerate(spec.exclusions):
        x = code_of[e]
        j = f"nx{x}[ga + 1]"
        lets.append(
            f"arrayMap((s, ga, gb, pr) -> if(ga > 0 AND {j} <= N AND if(gb > 0, {j} < gb, ts[{j}] - ts[s] <= {W}), "
            f"0, pr), g1, g{after}, g{before}, {prog}) AS ex{i}"
        )
        prog = f"ex{i}"
    lets.append(f"if(empty({prog}), 0, arrayMax({prog})) AS f")
    lets.append(f"arrayLastIndex(x -> x = f, {prog}) AS ai")
    out = ["f", ("ps[g1[ai]]" if spec.by else "CAST(NULL AS Nullable(String))") + " AS seg"]
    for k in range(n):
        out.append(f"if(f >= {k + 1}, ts[g{k + 1}[ai]], NULL) AS t{k + 1}")
    tcols = ", ".join(f"t{k + 1}" for k in range(n))
    # people whose every attempt was excluded stay, with f = 0 (the warning says so)
    return (
        "",
        f"SELECT f, seg, {tcols} FROM (SELECT *, {', '.join(out)} FROM {_staged(grouped, lets)}) q WHERE notEmpty(g1)",
    )


# --------------------------------------------------------------------------------------------
# Any order: window functions (both)
# --------------------------------------------------------------------------------------------


def _people_any_ch(d: _Dialect, table: DbTable, spec: FunnelSpec) -> str:
    """Any order on ClickHouse, with arrays per person (its RANGE frames take 32-bit offsets only):
    the first row of each row's window comes from one sort of the times merged with the times less
    W, and a name's count in a window from its running count."""
    names, codes, _ = _codes(spec)
    n, W = len(codes), spec.window_seconds * _US
    mult = {c: codes.count(c) for c in dict.fromkeys(codes)}
    distinct = all(m == 1 for m in mult.values())
    src = _source(d, table, spec, names, all_events=False)
    tup = "(t, c, p)" if spec.by else "(t, c)"
    grouped = f"SELECT u, arraySort(groupArray({tup})) AS e FROM ({src}) s GROUP BY u"
    lets = [
        "arrayMap(x -> x.1, e) AS ts",
        "arrayMap(x -> x.2, e) AS cs",
        "arrayMap(i -> toUInt64(i), arrayEnumerate(e)) AS idx",
        # (t - W, 0) sorts before an event (t, 1) at the same time: the events before it are older than W
        f"arraySort(arrayConcat(arrayMap(x -> (x - {W}, 0), ts), arrayMap(x -> (x, 1), ts))) AS mix",
        "arrayFilter((k, x) -> x.2 = 0, arrayCumSum(arrayMap(x -> toUInt64(x.2), mix)), mix) AS older",
        "arrayMap(k -> k + 1, older) AS lo",
    ]
    if spec.by:
        lets.append("arrayMap(x -> x.3, e) AS ps")
    for x in mult:
        lets.append(f"arrayCumSum(arrayMap(y -> toUInt64(y = {x}), cs)) AS cum{x}")
    total = " + ".join(f"least(cum{x}[i] - cum{x}[lo[i] - 1], {m})" for x, m in mult.items())
    lets.append(f"arrayMap(i -> {total}, idx) AS tot")
    lets.append("arrayMax(tot) AS f")
    if distinct:
        lets.append("arrayLastIndex((x, i) -> x = f AND (i = 1 OR cs[i] != cs[i - 1]), tot, idx) AS hi")
    else:
        lets.append("arrayLastIndex(x -> x = f, tot) AS hi")
    done = ", ".join(f"cs[j] = {x}, cum{x}[j] - cum{x}[lo[hi] - 1] <= {m}" for x, m in mult.items())
    lets.append(f"arrayFilter(j -> j >= lo[hi] AND j <= hi AND multiIf({done}, 0), idx) AS comp")
    out = ["f", ("ps[comp[1]]" if spec.by else "CAST(NULL AS Nullable(String))") + " AS seg"]
    for k in range(n):
        out.append(f"if(f >= {k + 1}, ts[comp[{k + 1}]], NULL) AS t{k + 1}")
    tcols = ", ".join(f"t{k + 1}" for k in range(n))
    return "", f"SELECT f, seg, {tcols} FROM (SELECT *, {', '.join(out)} FROM {_staged(grouped, lets)}) q WHERE f > 0"


def _people_any(d: _Dialect, table: DbTable, spec: FunnelSpec) -> str:
    names, codes, _ = _codes(spec)
    n, W = len(codes), spec.window_seconds * _US
    mult = {c: codes.count(c) for c in dict.fromkeys(codes)}
    distinct = all(m == 1 for m in mult.values())
    src = _source(d, table, spec, names, all_events=False)
    order = "t, c, p" if spec.by else "t, c"
    win = f"(PARTITION BY u ORDER BY t RANGE BETWEEN {W} PRECEDING AND CURRENT ROW)"
    if d.name == "clickhouse":
        counts = ", ".join(f"countIf(c = {x}) OVER {win} AS n{x}" for x in mult)
        lag = f"lagInFrame(c, 1) OVER (PARTITION BY u ORDER BY {order} ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)"
    else:
        counts = ", ".join(f"count(*) FILTER (WHERE c = {x}) OVER {win} AS n{x}" for x in mult)
        lag = f"lag(c) OVER (PARTITION BY u ORDER BY {order})"
    total = " + ".join(f"least(n{x}, {m})" for x, m in mult.items())
    lvl1 = (
        f"SELECT u, t, c, p, {total} AS tot, CASE WHEN lg = c THEN 0 ELSE 1 END AS cand FROM ("
        f"SELECT u, t, c, p, {counts}, {lag} AS lg FROM ({src}) s) w1"
    )
    lvl2 = f"SELECT u, t, c, p, tot, cand, max(tot) OVER (PARTITION BY u) AS best FROM ({lvl1}) w2"
    hi_cond = "tot = best AND cand = 1" if distinct else "tot = best"
    lvl3 = f"SELECT u, t, c, p, best, max(CASE WHEN {hi_cond} THEN t END) OVER (PARTITION BY u) AS thi FROM ({lvl2}) w3"
    occ = f"row_number() OVER (PARTITION BY u, c ORDER BY {order})"
    lvl4 = f"SELECT u, t, c, p, best, {occ} AS occ FROM ({lvl3}) w4 WHERE t >= thi - {W} AND t <= thi"
    mcase = "CASE c " + " ".join(f"WHEN {x} THEN {m}" for x, m in mult.items()) + " ELSE 0 END"
    lvl5 = (
        f"SELECT u, t, p, best, row_number() OVER (PARTITION BY u ORDER BY {order}) AS k "
        f"FROM ({lvl4}) w5 WHERE occ <= {mcase}"
    )
    tcols = ", ".join(f"min(CASE WHEN k = {k + 1} THEN t END) AS t{k + 1}" for k in range(n))
    return "", f"SELECT max(best) AS f, max(CASE WHEN k = 1 THEN p END) AS seg, {tcols} FROM ({lvl5}) w6 GROUP BY u"


# --------------------------------------------------------------------------------------------
# The funnel statement
# --------------------------------------------------------------------------------------------


def funnel_query(dialect_name: str, table: DbTable, spec: FunnelSpec, *, timeout_s: int = 120) -> Query:
    """The one statement of a funnel. Each row of its result is either a group — ``seg`` (the
    breakdown value, NULL for none or a blank one), ``f`` (furthest step; 0 for people whose every
    attempt was excluded), ``wk`` (the Monday of
    the week of entry, as days since 1970-01-01), ``people`` — or, where ``g`` (``grouping()``) is
    not 0, the total row with ``q2`` … ``qn`` (median and 90th percentile of the seconds from step k-1 to k, in
    microseconds) and ``qt`` (step 1 to the last)."""
    d = dialect(dialect_name)
    n = len(spec.steps)
    if spec.mode == "any":
        prefix, people = (_people_any_ch if d.name == "clickhouse" else _people_any)(d, table, spec)
    elif d.name == "clickhouse":
        prefix, people = _people_ch(d, table, spec)
    else:
        prefix, people = _people_pg(d, table, spec)
    q = [d.quantiles(f"t{k} - t{k - 1}", f"f >= {k}") + f" AS q{k}" for k in range(2, n + 1)]
    q.append(d.quantiles(f"t{n} - t1", f"f >= {n}") + " AS qt")
    seg = f"CASE WHEN {d.blank('seg')} THEN NULL ELSE seg END"
    people_from = f"({people})"
    sql = (
        f"{prefix + ' ' if prefix else ''}SELECT sg AS seg, f, wk, grouping(sg, f, wk) AS g, count(*) AS people, "
        f"{', '.join(q)} FROM ("
        f"SELECT {seg} AS sg, f, {d.week_day('t1')} AS wk, "
        f"{', '.join(f't{k + 1}' for k in range(n))} FROM {people_from} pp) ppl "
        f"GROUP BY GROUPING SETS ((sg, f, wk), ())"
    )
    sql += d.settings(timeout_s)
    check_read_only(sql)
    return Query(sql, d.params)


def check_read_only(sql: str) -> None:
    """Refuse anything but one ``SELECT`` / ``WITH`` statement (defence in depth: every statement
    is made here, and the connection is read-only as well)."""
    head = sql.lstrip().split(None, 1)[0].upper() if sql.strip() else ""
    if head not in ("SELECT", "WITH") or ";" in _strip_literals(sql):
        raise ValueError("only a single SELECT statement may be sent to a funnel database")


def _strip_literals(sql: str) -> str:
    return re.sub(r"'(?:[^'\\]|\\.|'')*'", "''", sql)


# --------------------------------------------------------------------------------------------
# Schema, tables, event names
# --------------------------------------------------------------------------------------------


def tables_query(dialect_name: str, *, limit: int = 500) -> Query:
    """Each row: ``name`` of a table or view the connection sees (current schema / database)."""
    d = dialect(dialect_name)
    if d.name == "clickhouse":
        sql = (
            "SELECT name FROM system.tables WHERE database = currentDatabase() AND NOT is_temporary "
            f"ORDER BY name LIMIT {int(limit)}" + d.settings(30)
        )
    else:
        sql = (
            "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() "
            f"ORDER BY table_name LIMIT {int(limit)}"
        )
    check_read_only(sql)
    return Query(sql, d.params)


def columns_query(dialect_name: str, table: str) -> Query:
    """Each row: ``name``, ``type`` of a column of ``table`` (``name`` or ``schema.name``), in order."""
    d = dialect(dialect_name)
    parts = [p.strip() for p in str(table).split(".")]
    if d.name == "clickhouse":
        db = d.bind(parts[0], "text") if len(parts) == 2 else "currentDatabase()"
        sql = (
            f"SELECT name, type FROM system.columns WHERE database = {db} AND table = {d.bind(parts[-1], 'text')} "
            "ORDER BY position" + d.settings(30)
        )
    else:
        schema = d.bind(parts[0], "text") if len(parts) == 2 else "current_schema()"
        sql = (
            "SELECT column_name AS name, data_type AS type FROM information_schema.columns "
            f"WHERE table_schema = {schema} AND table_name = {d.bind(parts[-1], 'text')} ORDER BY ordinal_position"
        )
    check_read_only(sql)
    return Query(sql, d.params)


def events_query(
    dialect_name: str,
    table: DbTable,
    *,
    date_from: datetime | None = None,
    date_to: datetime | None = None,
    limit: int = 1000,
    timeout_s: int = 60,
) -> Query:
    """Each row: ``event`` (a distinct event name), ``events`` (rows); most frequent first, at most
    ``limit`` names, within the date range."""
    d = dialect(dialect_name)
    ev = d.ident(table.event)
    if not table.event_is_text:
        ev = d.text(ev)
    col_t = d.ident(table.time)
    where = [f"{ev} IS NOT NULL"]
    if date_from is not None:
        where.append(f"{col_t} >= {_bound_time(d, table, date_from)}")
    if date_to is not None:
        where.append(f"{col_t} < {_bound_time(d, table, date_to)}")
    sql = (
        f"SELECT {ev} AS event, count(*) AS events FROM {d.table(table.table)} WHERE {' AND '.join(where)} "
        f"GROUP BY {ev} ORDER BY events DESC, event LIMIT {int(limit)}" + d.settings(timeout_s)
    )
    check_read_only(sql)
    return Query(sql, d.params)
