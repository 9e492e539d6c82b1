"""Live editing: the time from a committed table edit to the saved version and the refreshed preview.

For a 30- and a 300-touchpoint map (synthetic, fixed seed) stored in a fresh SQLite database, each
step the editor runs after a committed cell edit is timed: fold the data_editor delta into the map
(``apply_touchpoint_delta``, which validates), describe it for the version note (``diff_maps``),
save it (``store.save``), rebuild the table frame, and build the live preview (journey-map and
emotion-curve figures). A concurrent edit (``save_edit`` merging with a version saved meanwhile)
and an undo are timed too. Targets: the whole edit under 0.3 s at 30 touchpoints and under 1 s at
300. ``BENCH_SMALL=1`` runs the 30-touchpoint map only. A benchmark, not a test: it prints figures.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cjm import editing, history, model  # noqa: E402
from cjm.charts.synthetic import synthetic_map  # noqa: E402
from cjm.store import Store  # noqa: E402

SMALL = os.environ.get("BENCH_SMALL") == "1"
SIZES = (30,) if SMALL else (30, 300)
TARGETS = {30: 0.3, 300: 1.0}
REPEATS = 5


def _timed(fn):
    t0 = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - t0


def bench(n: int, store: Store) -> dict[str, float]:
    G = synthetic_map(n, title=f"Bench editing {n}")
    store.create(G, author="bench")
    map_id = G.graph["id"]
    steps: dict[str, list[float]] = {
        k: [] for k in ("apply+validate", "diff+note", "save", "frame", "preview", "total", "merge-save", "undo")
    }
    for i in range(REPEATS):
        stored = store.load(map_id)
        base = stored.graph
        row = (i * 7) % n
        delta = {"edited_rows": {row: {"emotion": round(-1.5 + 0.5 * (i % 6), 1), "pain_point": f"pain {i}"}}}
        t0 = time.perf_counter()
        applied, dt = _timed(lambda base=base, delta=delta: editing.apply_touchpoint_delta(base, delta))
        steps["apply+validate"].append(dt)
        note, dt = _timed(lambda base=base, applied=applied: history.summarize(history.diff_maps(base, applied.graph)))
        steps["diff+note"].append(dt)
        version, dt = _timed(
            lambda applied=applied, stored=stored, note=note: store.save(
                applied.graph, expected_version=stored.version, author="bench", note=note
            )
        )
        steps["save"].append(dt)
        saved = store.load(map_id, version).graph
        _, dt = _timed(lambda saved=saved: editing.touchpoint_frame(saved, "essentials"))
        steps["frame"].append(dt)
        _, dt = _timed(lambda saved=saved: editing.preview_figures(saved, "en", compact=True, window=3))
        steps["preview"].append(dt)
        steps["total"].append(time.perf_counter() - t0)

        # Someone saved meanwhile: the edit is merged with their version and saved again.
        latest = store.load(map_id)
        other = editing.apply_touchpoint_delta(latest.graph, {"edited_rows": {(row + 1) % n: {"thought": f"t{i}"}}})
        store.save(other.graph, expected_version=latest.version, author="other")
        mine = editing.apply_touchpoint_delta(latest.graph, {"edited_rows": {row: {"action": f"a{i}"}}}).graph
        _, dt = _timed(
            lambda latest=latest, mine=mine: editing.save_edit(
                store, map_id, latest.version, latest.graph, mine, author="bench"
            )
        )
        steps["merge-save"].append(dt)

        # Undo the last step on top of the latest version, and save it.
        stack = history.UndoStack()
        stack.push(latest.graph, mine)
        current = store.load(map_id)

        def undo(stack=stack, current=current):
            graph, _ = stack.undo(current.graph)
            store.save(graph, expected_version=current.version, author="bench", note="undo")
            stack.confirm()

        _, dt = _timed(undo)
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
                f"{k:>14}" for k in ("apply+validate", "diff+note", "save", "frame", "preview", "total")
            )
            print(head + f" {'target':>7} {'merge-save':>11} {'undo':>7}")
            for n in SIZES:
                r = bench(n, store)
                ok = "ok" if r["total"] <= TARGETS[n] else "SLOW"
                print(
                    f"{n:>11} "
                    + " ".join(
                        f"{r[k]:>14.3f}" for k in ("apply+validate", "diff+note", "save", "frame", "preview", "total")
                    )
                    + f" {TARGETS[n]:>5.1f}{ok:>3} {r['merge-save']:>10.3f} {r['undo']:>7.3f}"
                )
        finally:
            store.close()


if __name__ == "__main__":
    main()
