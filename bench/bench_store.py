"""Storage speed: what the library, the editor's save and the live editors' polling cost.

Prints milliseconds per call (median of repeated runs) on a temporary SQLite file, or on
``CJM_BENCH_DATABASE_URL`` when set (its maps and versions tables are emptied first!).
``BENCH_SMALL=1`` uses fewer maps and repeats.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cjm import model  # noqa: E402
from cjm.errors import ConflictError  # noqa: E402
from cjm.store import Store, maps_table, meta_table, versions_table  # noqa: E402

SMALL = os.environ.get("BENCH_SMALL") == "1"
N_MAPS = 10 if SMALL else 100
TOUCHPOINTS = 30
REPEATS = 10 if SMALL else 50
STAGES = ["awareness", "consideration", "interest", "intent", "purchase", "retention", "loyalty"]


def journey(i: int) -> object:
    G = model.new_map(f"Bench journey {i:03d}", map_id=f"bench-{i:03d}", persona={"name": "Olga"})
    ids = [
        model.add_touchpoint(
            G,
            f"Touchpoint {k}",
            STAGES[k % len(STAGES)],
            emotion=(k % 5) - 2.0,
            thought="I wonder whether this works " * 3,
            pain_point="Slow page" if k % 4 == 0 else "",
            comments=[{"author": "ann", "text": "seen in interviews", "time": "2026-11-26T10:00:00+00:00"}],
        )
        for k in range(TOUCHPOINTS)
    ]
    for a, b in zip(ids, ids[1:], strict=False):
        model.add_transition(G, a, b, users=1000)
    return G


def per_call_ms(fn, repeats: int = REPEATS) -> float:
    samples = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return statistics.median(samples)


def main() -> None:
    url = os.environ.get("CJM_BENCH_DATABASE_URL")
    tmp = None
    if not url:
        tmp = tempfile.TemporaryDirectory(prefix="cjm-bench-")
        url = f"sqlite:///{Path(tmp.name) / 'bench.db'}"
    store = Store(url)
    with store.engine.begin() as conn:
        for table in (versions_table, maps_table, meta_table):
            conn.execute(table.delete())
    graphs = [journey(i) for i in range(N_MAPS)]
    t0 = time.perf_counter()
    for G in graphs:
        store.create(G, author="bench")
    create_ms = (time.perf_counter() - t0) * 1000 / N_MAPS

    state = {"version": 1}
    G = store.load("bench-000").graph

    def save_once():
        G.nodes["tp-1"]["users"] = state["version"]
        state["version"] = store.save(G, expected_version=state["version"], author="bench")

    print(f"database: {store!r} ({N_MAPS} maps of {TOUCHPOINTS} touchpoints)")
    print(f"create:                       {create_ms:7.2f} ms/map")
    print(f"list_maps ({N_MAPS} maps):          {per_call_ms(store.list_maps):7.2f} ms")
    print(f"load latest:                  {per_call_ms(lambda: store.load('bench-000')):7.2f} ms")
    print(f"latest_version (polling):     {per_call_ms(lambda: store.latest_version('bench-000')):7.3f} ms")
    print(f"save (new version):           {per_call_ms(save_once):7.2f} ms")
    print(f"history ({state['version']} versions):      {per_call_ms(lambda: store.history('bench-000')):7.2f} ms")
    print(f"load version 1 of many:       {per_call_ms(lambda: store.load('bench-000', version=1)):7.2f} ms")

    # Contention: 4 threads, each making 10 successful saves on one map, reloading on conflict.
    writers, saves = 4, (5 if SMALL else 10)
    attempts = [0]
    lock = threading.Lock()

    def writer(name: str) -> None:
        done = 0
        while done < saves:
            stored = store.load("bench-001")
            stored.graph.nodes["tp-1"]["owner"] = f"{name} {done}"
            with lock:
                attempts[0] += 1
            try:
                store.save(stored.graph, expected_version=stored.version, author=name)
                done += 1
            except ConflictError:
                pass

    threads = [threading.Thread(target=writer, args=(f"w{i}",)) for i in range(writers)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    total = writers * saves
    print(
        f"contended saves ({writers} threads): {total / elapsed:7.1f} saves/s, "
        f"{attempts[0] / total:.2f} attempts per successful save"
    )
    store.close()
    if tmp:
        tmp.cleanup()


if __name__ == "__main__":
    main()
