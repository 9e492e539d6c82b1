"""Funnels computed where the events live: named ClickHouse and PostgreSQL connections.

A connection is named in configuration, never typed into a page:

- environment variables ``CJM_FUNNEL_DB_<NAME>=<url>`` (the name is what follows the prefix), or
- a ``[funnel_databases]`` section of ``.streamlit/secrets.toml`` (the project's, then the user's
  ``~/.streamlit/secrets.toml``): ``shop = "clickhouse://reader:…@ch.internal:8123/analytics"``.

URLs: ``postgresql://`` (``postgres://``, ``postgresql+psycopg://``), ``clickhouse://`` (HTTP, port
8123 by default; ``clickhouses://`` for HTTPS, 8443) and ``chdb://<folder>`` (ClickHouse's embedded
engine on a local data folder; one folder per process). The URL, and so the password, stays in this
module: pages and the CLI see the name and :meth:`DbSource.describe` (no user, no password).

Every statement is one ``SELECT`` made by :mod:`cjm.funnel.sql` with its values bound; PostgreSQL runs
it in a ``READ ONLY`` transaction with ``statement_timeout``, ClickHouse with ``readonly`` and
``max_execution_time``. Failures become :class:`~cjm.funnel.errors.FunnelSourceError` with a code the
UI translates (``problem.funnel.db_*``); no driver traceback and no URL reaches the user.
"""

from __future__ import annotations

import os
import re
import threading
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pandas as pd

from cjm.funnel import sql as fsql
from cjm.funnel.engine import EMPTY_SEGMENT, Exclusion, check_definition, funnel_warnings
from cjm.funnel.errors import FunnelParameterError, FunnelSourceError

__all__ = [
    "ENV_PREFIX",
    "DbFunnelResult",
    "DbSource",
    "Detected",
    "connection_names",
    "open_source",
    "default_timeout",
]

ENV_PREFIX = "CJM_FUNNEL_DB_"
SECRETS_SECTION = "funnel_databases"
_KINDS = {
    "postgresql": "postgresql",
    "postgres": "postgresql",
    "postgresql+psycopg": "postgresql",
    "clickhouse": "clickhouse",
    "clickhouse+http": "clickhouse",
    "clickhouses": "clickhouse",
    "clickhouse+https": "clickhouse",
    "chdb": "chdb",
}


def default_timeout() -> int:
    """Seconds a funnel statement may run (``CJM_FUNNEL_DB_TIMEOUT``, default 120)."""
    try:
        return max(1, int(os.environ.get("CJM_FUNNEL_DB_TIMEOUT", "120")))
    except ValueError:
        return 120


# --------------------------------------------------------------------------------------------
# Configuration
# --------------------------------------------------------------------------------------------


def _secrets_files() -> list[Path]:
    return [Path.cwd() / ".streamlit" / "secrets.toml", Path.home() / ".streamlit" / "secrets.toml"]


def _configured() -> dict[str, str]:
    """name -> URL; environment variables win over secrets files, the project's over the user's."""
    found: dict[str, str] = {}
    for path in reversed(_secrets_files()):
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
            continue
        section = data.get(SECRETS_SECTION)
        if isinstance(section, dict):
            for name, url in section.items():
                if isinstance(url, str) and url.strip():
                    found[str(name).lower()] = url.strip()
    for key, url in os.environ.items():
        if key.upper().startswith(ENV_PREFIX) and key.upper() != ENV_PREFIX + "TIMEOUT" and url.strip():
            found[key[len(ENV_PREFIX) :].lower()] = url.strip()
    return found


def connection_names() -> list[str]:
    """The configured connection names, sorted (never their URLs)."""
    return sorted(_configured())


# --------------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DbFunnelResult:
    """The outcome of a funnel counted in a database: only counts and quantiles came back.

    ``counts[k-1]`` people reached step ``k``; ``segments`` maps each breakdown value to its counts
    (largest first). ``times`` has the columns of :func:`cjm.funnel.engine.time_to_convert`
    (``step_number``, ``step``, ``people``, ``median_seconds``, ``p90_seconds``; last row ``total``),
    ``weekly`` those of :func:`cjm.funnel.engine.conversion_by_week`.
    """

    steps: tuple[str, ...]
    mode: str
    window_seconds: int
    by: str | None
    counts: tuple[int, ...]
    segments: dict[str, tuple[int, ...]]
    times: pd.DataFrame = field(compare=False, repr=False)
    weekly: pd.DataFrame = field(compare=False, repr=False)
    source: str = ""
    warnings: tuple[str, ...] = ()


def _result(rows: list[tuple], cols: list[str], steps, mode, window_s, by, excl, source: str) -> DbFunnelResult:
    n = len(steps)
    ix = {c: i for i, c in enumerate(cols)}
    reached: dict[object, list[int]] = {}
    weeks: dict[int, list[int]] = {}
    total = None
    excluded = 0
    for row in rows:
        if row[ix["g"]]:  # the grouping set () of every person: the quantiles
            total = row
            continue
        f = row[ix["f"]]
        f, people = int(f), int(row[ix["people"]])
        if f == 0:  # every attempt of these people was excluded
            excluded += people
            continue
        seg = row[ix["seg"]]
        seg = EMPTY_SEGMENT if seg is None else str(seg)
        per = reached.setdefault(seg, [0] * n)
        for k in range(min(f, n)):
            per[k] += people
        wk = row[ix["wk"]]
        if wk is not None:
            w = weeks.setdefault(int(wk), [0, 0])
            w[0] += people
            w[1] += people if f >= n else 0
    counts = tuple(sum(v[k] for v in reached.values()) for k in range(n))
    segments: dict[str, tuple[int, ...]] = {}
    if by is not None:
        for seg in sorted(reached, key=lambda s: (-reached[s][0], s)):
            segments[seg] = tuple(reached[seg])
    out = []

    def q(name: str) -> tuple[float | None, float | None]:
        if total is None:
            return None, None
        v = total[ix[name]]
        if v is None or len(v) < 2 or v[0] is None or (isinstance(v[0], float) and v[0] != v[0]):
            return None, None
        return float(v[0]) / 1e6, float(v[1]) / 1e6

    for k in range(2, n + 1):
        med, p90 = q(f"q{k}")
        people = counts[k - 1]
        out.append(
            {
                "step_number": k,
                "step": steps[k - 1],
                "people": people,
                "median_seconds": med if people else None,
                "p90_seconds": p90 if people else None,
            }
        )
    med, p90 = q("qt")
    out.append(
        {
            "step_number": None,
            "step": "total",
            "people": counts[-1],
            "median_seconds": med if counts[-1] else None,
            "p90_seconds": p90 if counts[-1] else None,
        }
    )
    times = pd.DataFrame(out, columns=["step_number", "step", "people", "median_seconds", "p90_seconds"])
    times["step_number"] = times["step_number"].astype("Int64")
    epoch = pd.Timestamp("1970-01-01")
    wk_sorted = sorted(weeks)
    weekly = pd.DataFrame(
        {
            "week": [epoch + pd.Timedelta(days=w) for w in wk_sorted],
            "entered": [weeks[w][0] for w in wk_sorted],
            "converted": [weeks[w][1] for w in wk_sorted],
            "conversion": [weeks[w][1] / weeks[w][0] if weeks[w][0] else 0.0 for w in wk_sorted],
        }
    )
    warnings = funnel_warnings(steps, counts, mode, excl, bool(excluded))
    return DbFunnelResult(tuple(steps), mode, window_s, by, counts, segments, times, weekly, source, warnings)


# --------------------------------------------------------------------------------------------
# Sources
# --------------------------------------------------------------------------------------------

_TEXT_TYPES = re.compile(r"(string|char|text|uuid|enum|fixedstring|citext|name)", re.I)
_TIME_TYPES = re.compile(r"(datetime|timestamp|^date)", re.I)
_INT_TYPES = re.compile(r"(int|bigint|smallint|integer|numeric|decimal|double|float|real)", re.I)


def _base_type(type_name: str) -> str:
    t = str(type_name)
    while True:
        m = re.fullmatch(r"\s*(?:Nullable|LowCardinality)\((.*)\)\s*", t)
        if not m:
            return t
        t = m.group(1)


@dataclass(frozen=True)
class Detected:
    """A table's columns (``name -> type``) and the first guess at the roles: ``user``, ``event``,
    ``time`` (each a column name or None), ``time_kind`` and the property columns (text columns that
    are none of the three)."""

    columns: dict[str, str]
    user: str | None
    event: str | None
    time: str | None
    time_kind: str | None
    properties: tuple[str, ...]


class DbSource:
    """One named connection. Cheap to make; it connects on first use."""

    def __init__(self, name: str, url: str, *, timeout_s: int | None = None):
        self.name = name
        self._url = url
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in _KINDS:
            raise FunnelSourceError(
                f"database '{name}': unknown kind of URL (use postgresql://, clickhouse:// or chdb://)",
                code="db_bad_url",
                params={"name": name},
            )
        self.kind = _KINDS[scheme]
        self.dialect = "postgresql" if self.kind == "postgresql" else "clickhouse"
        self._parts = parts
        self.timeout_s = timeout_s or default_timeout()
        self._engine = None
        self._client = None
        self._ch_readonly: str | None = None

    # -- what may be shown -------------------------------------------------------------------
    def describe(self) -> str:
        """Kind and place, never the user or the password: ``PostgreSQL at db.internal:5432/shop``."""
        p = self._parts
        if self.kind == "chdb":
            return f"ClickHouse (embedded) at {self._chdb_path()}"
        host = p.hostname or "localhost"
        port = f":{p.port}" if p.port else ""
        db = p.path.lstrip("/")
        label = "PostgreSQL" if self.kind == "postgresql" else "ClickHouse"
        return f"{label} at {host}{port}{'/' + db if db else ''}"

    def __repr__(self) -> str:  # never the URL
        return f"DbSource({self.name!r}, {self.describe()!r})"

    # -- running statements ------------------------------------------------------------------
    def _chdb_path(self) -> str:
        p = self._parts
        return unquote((p.netloc + p.path) if p.netloc else p.path)

    def _scrub(self, text: str) -> str:
        text = str(text).replace(self._url, "<url>")
        if self._parts.password:
            text = text.replace(self._parts.password, "***").replace(unquote(self._parts.password), "***")
        return text

    def _run(self, query: fsql.Query, timeout_s: int | None = None) -> tuple[list[str], list[tuple]]:
        fsql.check_read_only(query.sql)
        timeout_s = timeout_s or self.timeout_s
        try:
            if self.kind == "postgresql":
                return self._run_pg(query, timeout_s)
            if self.kind == "chdb":
                return self._run_chdb(query)
            return self._run_ch(query, timeout_s)
        except FunnelSourceError:
            raise
        except Exception as exc:  # noqa: BLE001 - every driver error becomes a named, translated one
            raise self._translate(exc) from None

    def _run_pg(self, query: fsql.Query, timeout_s: int):
        from sqlalchemy import create_engine, text
        from sqlalchemy.engine import make_url

        if self._engine is None:
            url = make_url(self._url)
            if url.drivername in ("postgresql", "postgres"):
                url = url.set(drivername="postgresql+psycopg")
            self._engine = create_engine(url, pool_pre_ping=True, pool_size=2, connect_args={"connect_timeout": 10})
        with self._engine.connect() as conn:
            try:
                conn.exec_driver_sql("SET TRANSACTION READ ONLY")
                conn.exec_driver_sql(f"SET LOCAL statement_timeout = {int(timeout_s) * 1000}")
                conn.exec_driver_sql("SET LOCAL TIME ZONE 'UTC'")
                result = conn.execute(text(query.sql), query.params)
                cols = list(result.keys())
                rows = [tuple(r) for r in result.fetchall()]
            finally:
                conn.rollback()
        return cols, rows

    def _run_chdb(self, query: fsql.Query):
        conn = _chdb_connection(self._chdb_path())
        params = {k: str(v) for k, v in query.params.items()}
        with _CHDB_LOCK:
            table = conn.query(query.sql, "Arrowtable", params=params)
        cols = list(table.column_names)
        return cols, [tuple(r.values()) for r in table.to_pylist()]

    def _run_ch(self, query: fsql.Query, timeout_s: int):
        import clickhouse_connect

        if self._client is None:
            p = self._parts
            secure = p.scheme.lower() in ("clickhouses", "clickhouse+https") or "true" in parse_qs(p.query).get(
                "secure", []
            )
            self._client = clickhouse_connect.get_client(
                host=p.hostname or "localhost",
                port=p.port or (8443 if secure else 8123),
                username=unquote(p.username) if p.username else "default",
                password=unquote(p.password) if p.password else "",
                database=p.path.lstrip("/") or "__default__",
                secure=secure,
                connect_timeout=10,
                send_receive_timeout=timeout_s + 10,
                autogenerate_session_id=False,
            )
        sql = query.sql
        if self._ch_readonly is None:
            self._ch_readonly = str(self._client.command("SELECT getSetting('readonly')")).strip()
        if self._ch_readonly == "1":  # a read-only profile may change no setting: send none (its limits hold)
            sql = _without_settings(sql)
        result = self._client.query(sql, parameters=query.params)
        return list(result.column_names), [tuple(r) for r in result.result_rows]

    def _translate(self, exc: BaseException) -> FunnelSourceError:
        text = self._scrub(str(exc))
        sqlstate = getattr(getattr(exc, "orig", None), "sqlstate", None) or getattr(exc, "sqlstate", None)
        m = re.search(r"Code: (\d+)", text)
        code = int(m.group(1)) if m else None
        first = text.strip().splitlines()[0][:300] if text.strip() else type(exc).__name__
        if sqlstate == "57014" or code in (159, 394) or "statement timeout" in text:
            return FunnelSourceError(
                f"database '{self.name}': the query took longer than {self.timeout_s} s and was stopped",
                code="db_timeout",
                params={"name": self.name, "seconds": self.timeout_s},
            )
        if sqlstate == "42P01" or code in (60, 81):
            return FunnelSourceError(
                f"database '{self.name}': the table does not exist", code="db_no_table", params={"name": self.name}
            )
        if sqlstate == "42703" or code in (16, 47):
            return FunnelSourceError(
                f"database '{self.name}': a column does not exist in the table",
                code="db_no_column",
                params={"name": self.name},
            )
        if sqlstate in ("25006", "42501") or code in (164, 497):
            return FunnelSourceError(
                f"database '{self.name}': the database refused the query (permissions)",
                code="db_refused_query",
                params={"name": self.name},
            )
        connect_words = ("connection refused", "could not connect", "connection failed", "name or service not known",
                         "timed out", "password authentication", "failed to create connection", "no route")  # fmt: skip
        if (sqlstate or "").startswith("08") or sqlstate == "28P01" or any(w in text.lower() for w in connect_words):
            return FunnelSourceError(
                f"database '{self.name}': cannot connect ({self.describe()})",
                code="db_connect",
                params={"name": self.name, "where": self.describe()},
            )
        return FunnelSourceError(
            f"database '{self.name}': the query failed: {first}",
            code="db_query_failed",
            params={"name": self.name, "detail": first},
        )

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
        if self._client is not None:
            try:
                self._client.close()
            finally:
                self._client = None

    # -- schema ------------------------------------------------------------------------------
    def tables(self) -> list[str]:
        """Tables and views of the connection's current schema (database), by name."""
        _, rows = self._run(fsql.tables_query(self.dialect))
        return [str(r[0]) for r in rows]

    def columns(self, table: str) -> dict[str, str]:
        """``name -> type`` of the table's columns, in order; a missing table is an error."""
        try:
            q = fsql.columns_query(self.dialect, table)
        except ValueError:
            raise self._no_table(table) from None
        _, rows = self._run(q)
        if not rows:
            raise self._no_table(table)
        return {str(r[0]): str(r[1]) for r in rows}

    def _no_table(self, table: str) -> FunnelSourceError:
        return FunnelSourceError(
            f"database '{self.name}': there is no table or view '{table}'",
            code="db_table_missing",
            params={"name": self.name, "table": table},
        )

    def detect(self, table: str) -> Detected:
        """The table's columns and a first guess at the person, event and time columns (by name, then
        by type: the time column is the date-time column), to be confirmed by the person."""
        from cjm.funnel.readers import _by_name

        cols = self.columns(table)
        names = tuple(cols)
        taken: set[str] = set()
        times = [c for c in names if _TIME_TYPES.search(_base_type(cols[c]))]
        time = next((c for c in _by_name(names, "time", taken) if c in times), None) or (times[0] if times else None)
        if time is None:
            time = next(iter(_by_name(names, "time", taken)), None)
        if time:
            taken.add(time)
        user = next(iter(_by_name(names, "user", taken)), None)
        if user:
            taken.add(user)
        event = next(iter(_by_name(names, "event", taken)), None)
        if event:
            taken.add(event)
        props = tuple(c for c in names if c not in taken and _TEXT_TYPES.search(_base_type(cols[c])))
        return Detected(cols, user, event, time, self.time_kind(cols[time]) if time else None, props)

    @staticmethod
    def time_kind(type_name: str) -> str:
        """``timestamp`` for a date-time type, else ``epoch_s`` (numbers are taken as Unix seconds
        unless the caller says ms or µs)."""
        return "timestamp" if _TIME_TYPES.search(_base_type(type_name)) else "epoch_s"

    def table_spec(
        self,
        table: str,
        *,
        user: str,
        event: str,
        time: str,
        properties: Sequence[str] = (),
        time_kind: str | None = None,
    ) -> fsql.DbTable:
        """A checked :class:`~cjm.funnel.sql.DbTable`: the table exists and has these columns (a
        wrong name is an error naming it); the time column holds date-times or numbers."""
        cols = self.columns(table)
        for col in (user, event, time, *properties):
            if not col or col not in cols:
                raise FunnelSourceError(
                    f"database '{self.name}': table '{table}' has no column '{col}'",
                    code="db_column_missing",
                    params={"name": self.name, "table": table, "column": col},
                )
        kind = time_kind or self.time_kind(cols[time])
        base = _base_type(cols[time])
        if (
            kind not in fsql.TIME_KINDS
            or (kind == "timestamp" and not _TIME_TYPES.search(base))
            or (kind != "timestamp" and not _INT_TYPES.search(base))
        ):
            raise FunnelSourceError(
                f"database '{self.name}': column '{time}' ({base}) holds no date-time or Unix time",
                code="db_time_type",
                params={"name": self.name, "column": time, "type": base},
            )
        return fsql.DbTable(
            table,
            user,
            event,
            time,
            tuple(properties),
            kind,
            event_is_text=bool(re.search(r"(string|char|text|citext|name)", _base_type(cols[event]), re.I)),
        )

    def event_names(self, table: fsql.DbTable, *, date_from=None, date_to=None, limit: int = 1000) -> pd.DataFrame:
        """Each row is an event name of the table: ``event``, ``events`` (rows in the date range),
        most frequent first, at most ``limit`` (a bounded ``GROUP BY``)."""
        q = fsql.events_query(
            self.dialect, table, date_from=_when(date_from), date_to=_when(date_to, end=True), limit=limit
        )
        _, rows = self._run(q)
        return pd.DataFrame([(str(r[0]), int(r[1])) for r in rows], columns=["event", "events"])

    # -- the funnel --------------------------------------------------------------------------
    def funnel(
        self,
        table: fsql.DbTable,
        steps: Sequence[str],
        *,
        mode: str = "ordered",
        window: str | int | float | None = None,
        by: str | None = None,
        exclusions: Sequence[Exclusion | str] = (),
        date_from: date | datetime | None = None,
        date_to: date | datetime | None = None,
    ) -> DbFunnelResult:
        """Count people through ``steps`` inside the database (same arguments and meaning as
        :func:`cjm.funnel.engine.compute_funnel`, plus a date range: a ``date`` for ``date_to``
        includes that whole day)."""
        steps, window_s, excl = check_definition(
            steps, mode, window, exclusions, by, (*table.properties, table.user, table.event, table.time)
        )
        spec = fsql.FunnelSpec(
            steps,
            mode,
            window_s,
            by,
            tuple((e, a + 1, b + 1) for e, a, b in excl),
            _when(date_from),
            _when(date_to, end=True),
        )
        if spec.date_from and spec.date_to and spec.date_to <= spec.date_from:
            raise FunnelParameterError("the date range ends before it starts", code="date_range_order", params={})
        q = fsql.funnel_query(self.dialect, table, spec, timeout_s=self.timeout_s)
        cols, rows = self._run(q)
        return _result(rows, cols, steps, mode, window_s, by, excl, self.describe())


def _without_settings(sql: str) -> str:
    """A ClickHouse statement without the settings cjm appends (for a user whose profile is
    ``readonly = 1``: such a user may change no setting, and is read-only already)."""
    return re.sub(r" SETTINGS max_execution_time = \d+, readonly = 2$", "", sql)


def _when(value, *, end: bool = False) -> datetime | None:
    """A date or date-time as an aware UTC date-time; a plain ``date`` as an end means the next
    midnight (the whole day is in)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    if isinstance(value, date):
        d = value + timedelta(days=1) if end else value
        return datetime(d.year, d.month, d.day, tzinfo=UTC)
    raise FunnelParameterError(f"not a date: {value!r}", code="date_value", params={"value": str(value)})


_CHDB_LOCK = threading.RLock()
_CHDB: dict[str, object] = {}


def _chdb_connection(path: str):
    """The process's one embedded ClickHouse (chdb opens a single data folder per process)."""
    import chdb

    with _CHDB_LOCK:
        key = str(Path(path).resolve()) if path else ":memory:"
        if key in _CHDB:
            return _CHDB[key]
        if _CHDB:
            raise FunnelSourceError(
                "the embedded ClickHouse already uses another data folder in this process",
                code="db_chdb_other_folder",
                params={},
            )
        if path and not Path(path).is_dir():
            raise FunnelSourceError(
                f"no ClickHouse data folder at {path}", code="db_chdb_no_folder", params={"path": path}
            )
        conn = chdb.connect(key)
        _CHDB[key] = conn
        return conn


def open_source(name: str, *, timeout_s: int | None = None) -> DbSource:
    """The configured connection ``name`` (case-insensitive); an unknown name is an error that
    lists the known ones."""
    key = str(name).strip().lower()
    urls = _configured()
    if key not in urls:
        known = ", ".join(sorted(urls)) or "none"
        raise FunnelSourceError(
            f"no database connection named '{name}' (configured: {known})",
            code="db_unknown_name",
            params={"name": name, "known": known},
        )
    return DbSource(key, urls[key], timeout_s=timeout_s)
