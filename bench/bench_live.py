"""A team server: how fast a change reaches the others' screens, and 20 participants saving on one map.

Change to other browsers: a participant's save (made straight into the database) is timed until an
editor and a presenter view in other browsers show it (tests/e2e/live_latency.py: the browsers stamp the
moment the new text appears). On PostgreSQL two Streamlit processes share the database (editor on one,
presenter on the other); on SQLite one process serves both. Prints the median and p95, and where the
time went (medians): *noticed* — the save until the page's watcher saw it (the servers run with
``CJM_LIVE_TRACE=1`` and log that moment); *rerun* — until the browser had the page's whole rerun;
*drawn* — until the new text was on screen. The machine's load average is printed with the figures:
the one-second goal is for an idle machine.

``python bench/bench_live.py latency`` (``make bench-live``) measures only the change to other
browsers, on both databases, in about three minutes.

Load:
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
ROUNDS = 5 if SMALL else 20
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


def _noticed(logs: list[Path]) -> dict[tuple[str, int], float]:
    """{(watcher key, version): the first moment a server's watcher saw that version} from servers' logs."""
    seen: dict[tuple[str, int], float] = {}
    for log in logs:
        for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
            parts = line.split()
            if len(parts) == 5 and parts[0] == "cjm-live" and parts[1] == "detected" and parts[3].isdigit():
                seen.setdefault((parts[2], int(parts[3])), float(parts[4]))
    return seen


def _phases(rounds, noticed: dict[tuple[str, int], float], key: str) -> str:
    """Medians of where the time went: noticed / rerun / drawn (ms)."""
    notice, rerun, drawn = [], [], []
    for r in rounds:
        at = noticed.get((key, r.version))
        if at is None or r.run_done is None or at > r.run_done:
            continue
        notice.append(max(0.0, at - r.saved))  # a notification may beat the saver's own clock reading
        rerun.append(r.run_done - at)
        drawn.append(r.seen - r.run_done)
    if not notice:
        return "phases not recorded"
    med = {k: percentile(sorted(v), 50) for k, v in (("noticed", notice), ("rerun", rerun), ("drawn", drawn))}
    return (
        f"noticed {med['noticed']:.0f} + rerun {med['rerun']:.0f} + drawn {med['drawn']:.0f} ms ({len(notice)} saves)"
    )


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min), {os.cpu_count()} cores"


def browsers_latency(name: str, url: str, tmp: Path) -> None:
    """Median and p95 of change-to-screen latency in an editor and a presenter (two processes on PostgreSQL)."""
    from playwright.sync_api import sync_playwright

    from cjm.store import Store
    from tests.e2e.conftest import ARGS, CHROMIUM, streamlit_server
    from tests.e2e.live_latency import EDITOR_FIRST_NAME, PRESENTER_MAP, measure, wait_settled
    from tests.e2e.test_editor_e2e import NAME, cell, new_map

    if not Path(CHROMIUM).exists():
        print(f"{name:<10} change to other browsers: chromium missing (make bench installs it): skipped")
        return
    two = not url.startswith("sqlite")
    os.environ["CJM_LIVE_TRACE"] = "1"  # the servers log when their watchers see a new version
    logs = [tmp / f"{name}-1.log", tmp / f"{name}-2.log"]
    details: dict = {}
    with contextlib.ExitStack() as stack:
        app1 = stack.enter_context(streamlit_server(tmp / "d1", tmp / f"{name}-1.log", url))
        app2 = stack.enter_context(streamlit_server(tmp / "d2", tmp / f"{name}-2.log", url)) if two else app1
        store = Store(url)
        stack.callback(store.close)
        map_id = new_map(store, f"Latency bench {name}")
        p = stack.enter_context(sync_playwright())
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        stack.callback(browser.close)
        editor = browser.new_context(viewport={"width": 1400, "height": 1100}).new_page()
        editor.set_default_timeout(60_000)
        editor.goto(f"{app2}/editor?map={map_id}")
        cell(editor, NAME, 0).wait_for(state="attached", timeout=60_000)
        presenter = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
        presenter.set_default_timeout(60_000)
        presenter.goto(f"{app1}/presenter?map={map_id}&view=map")
        presenter.get_by_test_id("stPlotlyChart").first.wait_for(timeout=60_000)
        for pg in (editor, presenter):
            wait_settled(pg)
        watchers = {"editor": (editor, EDITOR_FIRST_NAME), "presenter": (presenter, PRESENTER_MAP)}
        measure(store, map_id, watchers, rounds=1)  # warm-up: first figures, first queries
        load_before = _load()
        latencies = measure(store, map_id, watchers, rounds=ROUNDS, details=details)
        load_after = _load()
    noticed = _noticed([log for log in logs if log.exists()])
    where = "two app processes" if two else "one app process"
    print(f"{name:<10} {load_before} before, {load_after} after")
    for view, values in latencies.items():
        values.sort()
        print(
            f"{name:<10} change to another browser's {view:<9} ({where}, {len(values)} saves): "
            f"median {percentile(values, 50):.0f} ms, p95 {percentile(values, 95):.0f} ms"
        )
        print(f"{'':<10}   where the time went (medians): {_phases(details.get(view, []), noticed, view)}")


def main(latency_only: bool = False) -> None:
    with tempfile.TemporaryDirectory(prefix="cjm-bench-live-") as tmp:
        browsers_latency("SQLite", f"sqlite:///{Path(tmp) / 'latency.db'}", Path(tmp))
        if not latency_only:
            load("SQLite", f"sqlite:///{Path(tmp) / 'live.db'}")
    with postgres() as url:
        if url is None:
            print("PostgreSQL    not installed (make bench installs Debian's postgresql): skipped")
        else:
            with tempfile.TemporaryDirectory(prefix="cjm-bench-live-") as tmp:
                browsers_latency("PostgreSQL", url, Path(tmp))
            if not latency_only:
                with pg_schema_url(url.split("?")[0]) as fresh:
                    load("PostgreSQL", fresh)


if __name__ == "__main__":
    main(latency_only=sys.argv[1:] == ["latency"])
