"""Journey-map view speed: what drawing the map costs, per builder, for 20 and 200 touchpoints.

Prints milliseconds per call (median of repeats) for each builder, for serialising the figure to the
browser (``to_json``), for the self-contained HTML export and the Mermaid texts; with a renderer
present (kaleido + Chromium), one PNG render of the 20-touchpoint grid. ``BENCH_SMALL=1`` runs fewer
repeats and skips the PNG.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cjm import model  # noqa: E402
from cjm.charts import (  # noqa: E402
    blueprint_figure,
    compare_maps,
    current_state_figure,
    day_in_life_figure,
    export,  # noqa: E402
    future_state_figure,
)
from cjm.charts.synthetic import synthetic_map  # noqa: E402

SMALL = os.environ.get("BENCH_SMALL") == "1"
REPEATS = 2 if SMALL else 5


def _ms(fn, repeats: int = REPEATS) -> float:
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def _future(n: int):
    base = synthetic_map(n)
    fut = model.copy_map(base, title="Future", map_id=f"future-{n}")
    fut.graph.update(map_type="future_state", baseline_id=base.graph["id"])
    fut.remove_node("tp-2")
    for node, d in fut.nodes(data=True):
        if d.get("emotion") is not None and node.endswith("3"):
            d["emotion"] = min(2.0, d["emotion"] + 1)
            d["pain_point"] = ""
    return fut, base


def main() -> None:
    current_state_figure(synthetic_map(5))  # warm-up: imports, plotly validators
    print(f"{'builder':<34}{'20 tp (ms)':>12}{'200 tp (ms)':>13}")
    rows = []
    for n in (20, 200):
        cur, day, bp = (
            synthetic_map(n),
            synthetic_map(n, map_type="day_in_life"),
            synthetic_map(n, map_type="service_blueprint"),
        )
        fut, base = _future(n)
        fig = current_state_figure(cur)
        rows.append(
            {
                "current_state_figure": _ms(lambda cur=cur: current_state_figure(cur)),
                "day_in_life_figure": _ms(lambda day=day: day_in_life_figure(day)),
                "future_state_figure": _ms(lambda fut=fut, base=base: future_state_figure(fut, base)),
                "compare_maps": _ms(lambda fut=fut, base=base: compare_maps(fut, base)),
                "blueprint_figure": _ms(lambda bp=bp: blueprint_figure(bp)),
                "grid for a page (column_px=190)": _ms(lambda cur=cur: current_state_figure(cur, column_px=190)),
                "figure to_json (sent to browser)": _ms(lambda fig=fig: fig.to_json()),
                "export.to_html": _ms(lambda fig=fig: export.to_html(fig)),
                "export.mermaid_flowchart": _ms(lambda cur=cur: export.mermaid_flowchart(cur)),
                "export.mermaid_journey": _ms(lambda cur=cur: export.mermaid_journey(cur)),
            }
        )
    for key in rows[0]:
        print(f"{key:<34}{rows[0][key]:>12.1f}{rows[1][key]:>13.1f}")
    ok, info = export.image_export_status()
    if SMALL:
        print("PNG export: skipped (BENCH_SMALL=1)")
    elif not ok:
        print(f"PNG export: unavailable ({info})")
    else:
        fig = current_state_figure(synthetic_map(20))
        t = time.perf_counter()
        png = export.to_image(fig, "png")
        print(
            f"PNG export, 20 tp (browser start included): {(time.perf_counter() - t) * 1000:.0f} ms, {len(png)} bytes"
        )


if __name__ == "__main__":
    main()
