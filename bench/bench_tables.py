"""Touchpoint-table speed: what an import button and a download button cost.

Prints milliseconds per call (median of repeats) for writing and reading CSV and XLSX at a typical
map size (30 touchpoints) and at the row limit (10,000 touchpoints). ``BENCH_SMALL=1`` uses 1,000
touchpoints for the large case and fewer repeats.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cjm import model  # noqa: E402
from cjm.io import tables
from cjm.limits import limits  # noqa: E402
from cjm.validation import validate_map  # noqa: E402

SMALL = os.environ.get("BENCH_SMALL") == "1"
LARGE = 1_000 if SMALL else limits().max_touchpoints
STAGES = [s[0] for s in model.schema.DEFAULT_STAGES]


def journey(n: int):
    rng = random.Random(42)
    G = model.new_map(f"Bench {n}", map_id=f"bench-{n}", persona={"name": "Olga"})
    ids = []
    for k in range(n):
        ids.append(
            model.add_touchpoint(
                G,
                f"Touchpoint {k}",
                STAGES[k * len(STAGES) // n],
                emotion=rng.choice([-2.0, -1.5, -1.0, 0.0, 0.5, 1.0, 2.0]),
                channel=rng.choice(model.schema.CHANNELS),
                thought="I wonder whether this works " * 3,
                pain_point="Slow page" if k % 4 == 0 else "",
                users=rng.randint(0, 5000),
            )
        )
    for a, b in zip(ids, ids[1:], strict=False):
        model.add_transition(G, a, b, users=rng.randint(0, 1000))
    for k in range(0, n - 3, 7):
        model.add_transition(G, ids[k + 3], ids[k], label="back")
    return validate_map(G)


def timed(fn, repeats: int) -> float:
    runs = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - start) * 1000)
    return statistics.median(runs)


def main() -> None:
    for n, repeats in ((30, 20 if SMALL else 50), (LARGE, 1 if SMALL else 3)):
        G = journey(n)
        csv_ru = tables.write_map_csv(G, lang="ru", sep=";", encoding="cp1251")
        xlsx = tables.write_map_xlsx(G)
        print(f"{n:>6} touchpoints  CSV {len(csv_ru) / 1024:8.0f} KB  XLSX {len(xlsx) / 1024:8.0f} KB")
        print(f"  write CSV   {timed(lambda G=G: tables.write_map_csv(G), repeats):9.1f} ms")
        print(f"  write XLSX  {timed(lambda G=G: tables.write_map_xlsx(G), repeats):9.1f} ms")
        print(
            f"  read CSV (cp1251, ';', decimal commas) {timed(lambda d=csv_ru: tables.read_map_table(d, filename='b.csv'), repeats):9.1f} ms"
        )
        print(f"  read XLSX   {timed(lambda d=xlsx: tables.read_map_table(d, filename='b.xlsx'), repeats):9.1f} ms")


if __name__ == "__main__":
    main()
