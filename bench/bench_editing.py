"""Live editing: the time from a committed table edit to the saved version and the refreshed preview.

For a 30- and a 300-touchpoint map (synthetic, fixed seed) stored in a fresh SQLite database, each
step the editor runs after a committed cell edit is timed: fold the table edits into the map
(``apply_touchpoint_edits``, which validates, timed alone for the breakdown), the whole save through
the service layer (``services.apply_table_edits``: apply, validate, diff for the version note,
save), rebuild the table frame, and build the live preview (journey-map and emotion-curve figures).
A concurrent edit (the service merging with a version saved meanwhile) and an undo
(``services.undo``) are timed too. Targets: the whole edit under 0.3 s at 30 touchpoints and under
1 s at 300. ``BENCH_SMALL=1`` runs the 30-touchpoint map only. A benchmark, not a test: it prints
figures.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cjm import editing, history, model, services  # noqa: E402
from cjm.charts.synthetic import synthetic_map  # noqa: E402
from cjm.editing import RowEdits  # noqa: E402
from cjm.store import Store  # noqa: E402

SMALL = os.environ.get("BENCH_SMALL") == "1"
SIZES = (30,) if SMALL else (30, 300)
TARGETS = {30: 0.3, 300: 1.0}
REPEATS = 5
BENCH, OTHER = services.Actor("bench"), services.Actor("other")


def _timed(fn):
    t0 = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - t0


def bench(n: int, store: Store) -> dict[str, float]:
    G = synthetic_map(n, title=f"Bench editing {n}")
    services.create_map(store, BENCH, G)
    map_id = G.graph["id"]
    steps: dict[str, list[float]] = {
        k: [] for k in ("apply+validate", "save", "frame", "preview", "total", "merge-save", "undo")
    }
    for i in range(REPEATS):
        stored = store.load(map_id)
        base = stored.graph
        tp = model.touchpoints_in_order(base)[(i * 7) % n]
        edits = RowEdits({tp: {"emotion": round(-1.5 + 0.5 * (i % 6), 1), "pain_point": f"pain {i}"}})
        _, dt = _timed(lambda base=base, edits=edits: editing.apply_touchpoint_edits(base, edits))
        steps["apply+validate"].append(dt)
        t0 = time.perf_counter()
        result, dt = _timed(
            lambda edits=edits, stored=stored: services.apply_table_edits(
                store, BENCH, map_id, "touchpoints", edits, base_version=stored.version
            )
        )
        steps["save"].append(dt)
        saved = store.load(map_id, result.version).graph
        _, dt = _timed(lambda saved=saved: editing.touchpoint_frame(saved, "essentials"))
        steps["frame"].append(dt)
        _, dt = _timed(lambda saved=saved: editing.preview_figures(saved, "en", compact=True, column_px=140))
        steps["preview"].append(dt)
        steps["total"].append(time.perf_counter() - t0)

        # Someone saved meanwhile: the edit is merged with their version and saved again.
        latest = store.load(map_id)
        order = model.touchpoints_in_order(latest.graph)
        other = RowEdits({order[(i * 7 + 1) % n]: {"thought": f"t{i}"}})
        services.apply_table_edits(store, OTHER, map_id, "touchpoints", other, base_version=latest.version)
        stack = history.UndoStack()
        mine = RowEdits({tp: {"action": f"a{i}"}})
        _, dt = _timed(
            lambda latest=latest, mine=mine, stack=stack: services.apply_table_edits(
                store, BENCH, map_id, "touchpoints", mine, base_version=latest.version, undo=stack
            )
        )
        steps["merge-save"].append(dt)

        # Undo that step on top of the latest version, and save it.
        _, dt = _timed(lambda stack=stack: services.undo(store, BENCH, map_id, stack))
        steps["undo"].append(dt)
    return {k: statistics.median(v) for k, v in steps.items()}


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{Path(tmp) / 'bench.db'}")
        try:
            # Warm up imports and the figure builders once, outside the measurements.
            editing.preview_figures(model.copy_map(synthetic_map(5)), "en")
            print(f"Live editing: median of {REPEATS} edits, seconds")
            head = f"{'touchpoints':>11} " + " ".join(
                f"{k:>14}" for k in ("apply+validate", "save", "frame", "preview", "total")
            )
            print(head + f" {'target':>7} {'merge-save':>11} {'undo':>7}")
            for n in SIZES:
                r = bench(n, store)
                ok = "ok" if r["total"] <= TARGETS[n] else "SLOW"
                print(
                    f"{n:>11} "
                    + " ".join(f"{r[k]:>14.3f}" for k in ("apply+validate", "save", "frame", "preview", "total"))
                    + f" {TARGETS[n]:>5.1f}{ok:>3} {r['merge-save']:>10.3f} {r['undo']:>7.3f}"
                )
        finally:
            store.close()


if __name__ == "__main__":
    main()
