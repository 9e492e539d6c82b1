"""A team server under load: 20 participants saving on one map, on SQLite and on PostgreSQL.

For each database: 20 threads (tests/load.py) save on one map for a minute, each thinking 0.2–1 s between
edits (a lively workshop), every save through the app's write path (merging with what others saved
meanwhile). Prints saves per second, how many saves were merged, how many had to be made again, the
save latency (median, p95, max), and checks that no version was lost or doubled.

PostgreSQL: a throwaway server like the tests' (Debian's package, ``make bench`` installs it), or
``CJM_BENCH_POSTGRES_URL``. ``BENCH_SMALL=1`` runs 10 s per database.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.load import check_nothing_lost, percentile, run_workshop  # noqa: E402
from tests.postgres import PostgresServer, find_pg_bin, pg_schema_url  # noqa: E402

SMALL = os.environ.get("BENCH_SMALL") == "1"
SECONDS = 10.0 if SMALL else 60.0
PARTICIPANTS = 20
THINK = (0.2, 1.0)


@contextlib.contextmanager
def postgres():
    """A PostgreSQL URL with an empty schema: ``CJM_BENCH_POSTGRES_URL`` or a throwaway server."""
    external = os.environ.get("CJM_BENCH_POSTGRES_URL", "").strip()
    if external:
        with pg_schema_url(external) as url:
            yield url
        return
    bin_dir = find_pg_bin()
    if bin_dir is None:
        yield None
        return
    server = PostgresServer(bin_dir)
    try:
        server.start()
        with pg_schema_url(server.url) as url:
            yield url
    finally:
        server.stop()


def load(name: str, url: str) -> None:
    store, result = run_workshop(url, participants=PARTICIPANTS, seconds=SECONDS, think=THINK)
    try:
        lat = result.latencies_ms()
        n = len(result.saves)
        merged = sum(s.merged for s in result.saves)
        print(
            f"{name:<10} {PARTICIPANTS} participants, {SECONDS:.0f} s: {n} saves ({n / SECONDS:.1f}/s), "
            f"{merged} merged with others' saves, {result.retries} made again (map kept changing)"
        )
        print(
            f"{'':<10} save latency: median {percentile(lat, 50):.0f} ms, p95 {percentile(lat, 95):.0f} ms, "
            f"max {lat[-1] if lat else float('nan'):.0f} ms"
        )
        check_nothing_lost(store, result)
        print(f"{'':<10} checked: {n + 1} versions, none lost or doubled, every participant's change kept")
    finally:
        store.close()


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="cjm-bench-live-") as tmp:
        load("SQLite", f"sqlite:///{Path(tmp) / 'live.db'}")
    with postgres() as url:
        if url is None:
            print("PostgreSQL    not installed (make bench installs Debian's postgresql): skipped")
        else:
            load("PostgreSQL", url)


if __name__ == "__main__":
    main()
