"""Journey-flow and audit speed on a large map: what opening the flow and audit pages costs.

Builds a synthetic map of 1,000 touchpoints and 3,000 transitions (mostly forward, a few loops,
user counts and emotions on everything, conversion points at the purchase stage) with a fixed seed,
then prints the seconds taken by the flow analysis (paths, most travelled and worst paths,
bottlenecks, unreachable touchpoints, loops), by building the network and Sankey figures, and by
the audit tables and charts. Target: analysis + figures under 2 s. ``BENCH_SMALL=1`` uses 200
touchpoints and 600 transitions.
"""

from __future__ import annotations

import os
import random
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cjm import audit, flow, model, schema  # noqa: E402
from cjm.charts import audit as audit_charts
from cjm.charts import flow as flow_charts

SMALL = os.environ.get("BENCH_SMALL") == "1"
NODES, EDGES = (200, 600) if SMALL else (1_000, 3_000)
STAGES = [s[0] for s in schema.DEFAULT_STAGES]


def synthetic_map(n: int, m: int, seed: int = 42):
    """n touchpoints spread over the nine stages in journey order; m transitions, 95 % of them
    forward to one of the next 40 touchpoints, 5 % back (loops); counts and emotions everywhere."""
    rng = random.Random(seed)
    G = model.new_map(f"Bench {n}", map_id=f"bench-{n}")
    ids = []
    for k in range(n):
        stage = STAGES[k * len(STAGES) // n]
        ids.append(
            model.add_touchpoint(
                G,
                f"Touchpoint {k} of the journey",
                stage,
                order=float(k),
                emotion=rng.choice([-2.0, -1.5, -1.0, 0.0, 0.5, 1.0, 2.0]),
                users=rng.randint(10, 10_000),
                channel=rng.choice(schema.CHANNELS),
                category=rng.choice(schema.CATEGORIES),
                conversion_point=stage == "purchase" and k % 7 == 0,
                key_touchpoint=k % 5 == 0,
                importance=rng.randint(1, 5) if k % 5 == 0 else None,
                score=rng.randint(1, 5) if k % 5 == 0 else None,
                task="Improve it" if k % 10 == 0 else "",
                owner="Ann" if k % 10 == 0 else "",
                deadline="2024-01-31" if k % 10 == 0 else None,
            )
        )
    while G.number_of_edges() < m:
        i = rng.randrange(n - 1)
        if rng.random() < 0.05:
            j = rng.randrange(max(0, i - 40), i + 1)
        else:
            j = min(n - 1, i + rng.randint(1, 40))
        if i != j and not G.has_edge(ids[i], ids[j]):
            model.add_transition(G, ids[i], ids[j], users=rng.randint(1, 5_000))
    return G


def timed(label: str, fn):
    start = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - start
    print(f"{label:<44} {seconds:7.3f} s")
    return result, seconds


def main() -> None:
    G = synthetic_map(NODES, EDGES)
    print(f"map: {G.number_of_nodes()} touchpoints, {G.number_of_edges()} transitions")
    res, t_analysis = timed("flow analysis (all of it)", lambda: flow.analyse(G, cutoff=25))
    print(
        f"  paths {len(res.stats)}{'+' if res.search.truncated else ''}, loops {len(res.loops)}, "
        f"unreachable {len(res.unreachable)}, bottlenecks {len(res.bottlenecks)}"
    )
    _, t_net = timed("network figure (built + JSON)", lambda: flow_charts.network_figure(G, analysis=res).to_json())
    _, t_sankey = timed("Sankey figure (built + JSON)", lambda: flow_charts.sankey_figure(G).to_json())
    total = t_analysis + t_net + t_sankey
    print(f"{'flow page total (target < 2 s)':<44} {total:7.3f} s  {'OK' if total < 2 else 'SLOW'}")

    def audit_all():
        inv = audit.inventory([G])
        prio = audit.priority_table(inv)
        audit_charts.priority_matrix_figure(prio).to_json()
        for rows, cols in (("phase", "category"), ("stage", "channel")):
            audit_charts.coverage_heatmap_figure(audit.coverage_table(inv, rows, cols)).to_json()
        tasks = audit.task_table(inv, date(2024, 3, 1))
        audit.audit_progress(inv, date(2024, 3, 1))
        for step, fields in audit.STEP_FIELDS.items():
            audit.audit_frame(G, fields, only_key=step != "select")
        return tasks

    tasks, _ = timed("audit tables and charts", audit_all)
    timed("task list as XLSX", lambda: audit.tasks_xlsx(tasks))


if __name__ == "__main__":
    main()
