"""Benchmark: funnels counted inside ClickHouse (embedded, chdb) and PostgreSQL, beside the local engine.

The bench's generated event log (``bench_funnel.py``'s ``.bench/events_<N>.csv``, 10,000,000 events by
default; ``BENCH_SMALL=1`` for 200,000, ``BENCH_FUNNEL_EVENTS=N`` for any size) is loaded once into a
chdb data folder (``.bench/chdb_<N>``, a MergeTree table ordered by person and time) and, on every
run, into a throwaway PostgreSQL server (``COPY``; Debian's ``postgresql``, as for the tests). Each
funnel is then counted by ``cjm.funnel.sources`` in each database and by the local engine
(``compute_funnel`` on the same CSV, its columnar copy already made), and the wall times are printed
side by side. Exits 1 when any database's counts differ from the local engine's.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "scripts"))

QUESTIONS = [
    dict(steps=["view_product", "add_to_cart", "checkout", "payment", "order_confirmed"], window="14d"),
    dict(steps=["view_product", "add_to_cart", "checkout", "payment"], window="1d", mode="strict"),
    dict(steps=["add_to_cart", "checkout", "order_confirmed"], window="3d", mode="any"),
    dict(steps=["view_product", "checkout", "order_confirmed"], window="30d", by="device"),
    dict(steps=["view_product", "add_to_cart", "payment"], window="12h", exclusions=["remove_from_cart"]),
]


def events_wanted() -> int:
    if os.environ.get("BENCH_FUNNEL_EVENTS"):
        return int(os.environ["BENCH_FUNNEL_EVENTS"])
    return 200_000 if os.environ.get("BENCH_SMALL") else 10_000_000


def load_chdb(csv: Path, events: int) -> Path:
    from cjm.funnel.sources import _chdb_connection

    folder = ROOT / ".bench" / f"chdb_{events}"
    folder.mkdir(parents=True, exist_ok=True)
    conn = _chdb_connection(str(folder))
    have = str(conn.query("SELECT count() FROM system.tables WHERE database = currentDatabase() AND name = 'events'"))
    if have.strip() != "1":
        t0 = time.perf_counter()
        conn.query(
            "CREATE TABLE events (user_id String, event LowCardinality(String), timestamp DateTime64(6, 'UTC'), "
            "device LowCardinality(String)) ENGINE = MergeTree ORDER BY (user_id, timestamp)"
        )
        path = str(csv).replace("'", "\\'")
        conn.query(
            f"INSERT INTO events SELECT user_id, event, parseDateTime64BestEffort(timestamp, 6, 'UTC'), device "
            f"FROM file('{path}', 'CSVWithNames', 'user_id String, event String, timestamp String, device String')"
        )
        print(f"loaded {events:,} events into chdb in {time.perf_counter() - t0:.1f} s")
    return folder


def load_postgres(server_url: str, csv: Path) -> None:
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(server_url)
    t0 = time.perf_counter()
    with psycopg.connect(host=url.host, port=url.port, user=url.username, dbname=url.database) as conn:
        conn.execute("CREATE TABLE events (user_id text, event text, timestamp timestamptz, device text)")
        with conn.cursor().copy("COPY events FROM STDIN WITH (FORMAT csv, HEADER true)") as copy, open(csv, "rb") as f:
            while chunk := f.read(1 << 20):
                copy.write(chunk)
        conn.execute("ANALYZE events")
        conn.commit()
        conn.execute(f"ALTER DATABASE {url.database} SET work_mem = '256MB'")
        conn.commit()
    print(f"loaded into PostgreSQL in {time.perf_counter() - t0:.1f} s")


def main() -> int:
    from bench_funnel import make_log

    from cjm.funnel.engine import compute_funnel
    from cjm.funnel.readers import read_funnel_file
    from cjm.funnel.sources import DbSource
    from tests.postgres import PostgresServer, find_pg_bin

    events = events_wanted()
    csv = make_log(events)
    folder = load_chdb(csv, events)
    log = read_funnel_file(csv)
    compute_funnel(log, ["view_product"])  # the columnar copy is made once, as on the page
    bin_dir = find_pg_bin()
    server = PostgresServer(bin_dir) if bin_dir else None
    if server is None:
        print("PostgreSQL is not installed (make bench installs it): PostgreSQL skipped")
    else:
        server.start()
    try:
        if server is not None:
            load_postgres(server.url, csv)
        sources = {"chdb": DbSource("chdb", f"chdb://{folder}", timeout_s=3600)}
        if server is not None:
            sources["postgresql"] = DbSource("pg", server.url, timeout_s=3600)
        specs = {}
        for name, source in sources.items():
            specs[name] = source.table_spec(
                "events", user="user_id", event="event", time="timestamp", properties=["device"]
            )
        bad = 0
        print(f"{events:,} events; wall seconds (counts equal to the local engine's: yes/NO)")
        print(f"{'funnel':<58} {'local':>7} " + " ".join(f"{n:>16}" for n in sources))
        for q in QUESTIONS:
            kw = {k: v for k, v in q.items() if k != "steps"}
            t0 = time.perf_counter()
            local = compute_funnel(log, q["steps"], **kw)
            t_local = time.perf_counter() - t0
            cells = []
            for name, source in sources.items():
                t0 = time.perf_counter()
                result = source.funnel(specs[name], q["steps"], **kw)
                took = time.perf_counter() - t0
                same = result.counts == local.counts and result.segments == local.segments
                bad += not same
                cells.append(f"{took:>9.2f} ({'yes' if same else 'NO'})")
            label = f"{kw.get('mode', 'ordered')} {','.join(q['steps'])} {kw['window']}"
            if kw.get("by"):
                label += f" by {kw['by']}"
            if kw.get("exclusions"):
                label += " excl"
            print(f"{label[:58]:<58} {t_local:>7.2f} " + " ".join(f"{c:>16}" for c in cells))
            print(f"    counts {local.counts}")
        for source in sources.values():
            source.close()
    finally:
        if server is not None:
            server.stop()
    if bad:
        print(f"{bad} database funnel(s) gave other counts than the local engine")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
