"""Emotion curve, executive overview, health checks and the one-page summary: what opening the pages
and downloading the summary costs.

Builds synthetic maps (20, 200 and 1,000 touchpoints, with votes, user counts, pain points, a few
loops) with a fixed seed and prints the seconds taken by the curve figure (one map, and the map
overlaid with a future state), the overview figures (metrics, fix-first ranking), the health checks,
and the summary HTML (for one map and a portfolio of six). Targets: each under 0.5 s at 200
touchpoints. ``BENCH_SMALL=1`` skips the 1,000-touchpoint map.
"""

from __future__ import annotations

import copy
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cjm import model, schema  # noqa: E402
from cjm.charts.emotion import emotion_curve_figure  # noqa: E402
from cjm.health import run_checks  # noqa: E402
from cjm.io.report import summary_html  # noqa: E402
from cjm.overview import map_metrics, moments_to_fix, portfolio_metrics, touchpoint_drop_offs  # noqa: E402

SMALL = os.environ.get("BENCH_SMALL") == "1"
SIZES = (20, 200) if SMALL else (20, 200, 1_000)
STAGES = [s[0] for s in schema.DEFAULT_STAGES]
CHANNELS = ("website", "mobile_app", "phone", "email", "messenger", "social", "office")


def synthetic_map(n: int, seed: int = 42):
    rng = random.Random(seed)
    G = model.new_map(f"Bench {n}", map_id=f"bench-{n}")
    users = 100_000
    ids = []
    for k in range(n):
        users = max(10, int(users * rng.uniform(0.85, 1.0)))
        votes = [
            {"participant": f"p{j}", "score": float(rng.randint(-2, 2)), "time": ""}
            for j in range(rng.choice((0, 0, 5)))
        ]
        ids.append(
            model.add_touchpoint(
                G,
                f"Touchpoint {k} of the journey",
                STAGES[k * len(STAGES) // n],
                channel=rng.choice(CHANNELS),
                emotion=None if rng.random() < 0.05 else round(rng.uniform(-2, 2), 1),
                pain_point="Too many steps" if rng.random() < 0.4 else "",
                opportunity="Fewer steps" if rng.random() < 0.3 else "",
                conversion_point=(k == n * 5 // 9),
                importance=rng.randint(1, 5),
                users=users,
                votes=votes,
                evidence=rng.choice(schema.EVIDENCE_LEVELS),
            )
        )
    for k in range(n - 1):
        model.add_transition(G, ids[k], ids[k + 1])
        if rng.random() < 0.05 and k > 3:
            model.add_transition(G, ids[k], ids[k - 3])  # a loop back
    return G


def timed(label: str, fn) -> None:
    start = time.perf_counter()
    fn()
    print(f"  {label:<42} {time.perf_counter() - start:7.3f} s")


def main() -> None:
    for n in SIZES:
        G = synthetic_map(n)
        future = copy.deepcopy(G)
        future.graph.update(id=f"bench-{n}-future", map_type="future_state", baseline_id=G.graph["id"])
        print(f"{n} touchpoints, {G.number_of_edges()} transitions")
        timed("emotion curve figure", lambda G=G: emotion_curve_figure(G).to_json())
        timed("curve, current vs future overlay", lambda G=G, F=future: emotion_curve_figure([G, F]).to_json())
        timed("drop-offs", lambda G=G: touchpoint_drop_offs(G))
        timed("map metrics", lambda G=G: map_metrics(G))
        timed("moments to fix (ranking)", lambda G=G: moments_to_fix(G))
        timed("health checks", lambda G=G: run_checks(G))
        timed("summary HTML, one map", lambda G=G: summary_html(G))
        portfolio = [synthetic_map(n, seed) for seed in range(6)]
        timed("portfolio metrics, 6 maps", lambda P=portfolio: portfolio_metrics(P))
        timed("summary HTML, portfolio of 6 maps", lambda P=portfolio: summary_html(P))


if __name__ == "__main__":
    main()
