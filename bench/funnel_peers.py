"""The peers of ``bench_funnel.py``: the same ordered funnel counted by DuckDB SQL (window functions)
and by ClickHouse's ``windowFunnel`` (embedded, through the ``chdb`` package). Each runs as its own
process and prints the people per step as JSON, so the bench times and measures it like cjm:

    python bench/funnel_peers.py duckdb FILE --steps a,b,c --window 1209600
    python bench/funnel_peers.py chdb FILE --steps a,b,c --window 1209600

FILE is a CSV written by ``scripts/gen_events.py`` (``user_id,event,timestamp[,props]``).
"""

from __future__ import annotations

import argparse
import json
import sys


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def duckdb_sql(path: str, steps: list[str], window_s: int) -> str:
    """An ordered funnel in one DuckDB query. For each event of step k, the latest start of a
    chain through steps 1..k-1 strictly before it (rows ordered by time, then step number, the tie
    rule of docs/funnel.md) is a running maximum over the rows before: one window function per step.
    A person reaches step k when some step-k event lies within the window of its latest start;
    the furthest such k is the person's furthest step (the same as following every attempt)."""
    n = len(steps)
    case = " ".join(f"WHEN {_lit(s)} THEN {i + 1}" for i, s in enumerate(steps))
    names = ", ".join(_lit(s) for s in dict.fromkeys(steps))
    w = window_s * 1_000_000
    sql = (
        f"WITH e0 AS (SELECT user_id AS u, epoch_us(CAST(timestamp AS TIMESTAMP)) AS t, CASE event {case} END AS s "
        f"FROM read_csv({_lit(path)}, header=true, all_varchar=true) WHERE event IN ({names})),\n"
    )
    for k in range(1, n):
        start = "t" if k == 1 else f"l{k}"
        sql += (
            f"e{k} AS (SELECT *, CASE WHEN s = {k + 1} THEN max(CASE WHEN s = {k} THEN {start} END) "
            f"OVER (PARTITION BY u ORDER BY t, s ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) END AS l{k + 1} "
            f"FROM e{k - 1}),\n"
        )
    reach = " ".join(f"WHEN s = {k} AND t - l{k} <= {w} THEN {k}" for k in range(n, 1, -1))
    sql += f"p AS (SELECT u, max(CASE {reach} WHEN s = 1 THEN 1 ELSE 0 END) AS f FROM e{n - 1} GROUP BY u)\n"
    sql += "SELECT " + ", ".join(f"count(*) FILTER (WHERE f >= {k})" for k in range(1, n + 1)) + " FROM p"
    return sql


def run_duckdb(path: str, steps: list[str], window_s: int) -> list[int]:
    import duckdb

    con = duckdb.connect()
    con.execute("SET enable_progress_bar=false")
    return [int(x) for x in con.sql(duckdb_sql(path, steps, window_s)).fetchall()[0]]


def run_chdb(path: str, steps: list[str], window_s: int) -> list[int]:
    """``windowFunnel`` per person over the step events (times in UTC microseconds), then people
    per level."""
    import chdb

    with open(path, encoding="utf-8") as f:
        header = f.readline().strip().split(",")
    structure = ", ".join(f"{c} String" for c in header)
    conds = ", ".join(f"event = {_lit(s)}" for s in steps)
    names = ", ".join(_lit(s) for s in dict.fromkeys(steps))
    sql = (
        f"SELECT level, count() FROM (SELECT user_id, windowFunnel({int(window_s) * 1_000_000})"
        f"(toUInt64(toUnixTimestamp64Micro(toDateTime64(timestamp, 6, 'UTC'))), {conds}) AS level "
        f"FROM file({_lit(path)}, 'CSVWithNames', {_lit(structure)}) WHERE event IN ({names}) GROUP BY user_id) "
        "GROUP BY level"
    )
    by_level = {}
    for line in str(chdb.query(sql, "CSV")).strip().splitlines():
        level, people = line.split(",")
        by_level[int(level)] = int(people)
    return [sum(p for lv, p in by_level.items() if lv >= k) for k in range(1, len(steps) + 1)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("peer", choices=("duckdb", "chdb"))
    parser.add_argument("file")
    parser.add_argument("--steps", required=True)
    parser.add_argument("--window", type=int, default=14 * 86400, help="seconds")
    args = parser.parse_args(argv)
    steps = args.steps.split(",")
    counts = (run_duckdb if args.peer == "duckdb" else run_chdb)(args.file, steps, args.window)
    json.dump({"counts": counts}, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
