"""Large legitimate map files stay fast, hostile ones are refused fast (issue 18).

Prints seconds for reading + validating a node-link JSON file and importing it into a fresh SQLite
store at 5,000, 10,000 and 20,000 touchpoints (20,000 with ``CJM_MAX_TOUCHPOINTS`` raised, as a team
would), so a quadratic step shows as a time that quadruples when the size doubles; then how long the
refusals of a 100,000-touchpoint JSON (over the limit), a 300,000-blank-row XLSX and a dimension-bomb
XLSX take. ``BENCH_SMALL=1`` uses a tenth of the sizes.
"""

from __future__ import annotations

import io
import json
import os
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cjm import schema, services  # noqa: E402
from cjm.errors import CJMError  # noqa: E402
from cjm.io import jsonio  # noqa: E402
from cjm.io.tables import read_map_file, write_map_xlsx  # noqa: E402
from cjm.limits import override  # noqa: E402
from cjm.store import Store  # noqa: E402

SMALL = os.environ.get("BENCH_SMALL") == "1"
SIZES = [500, 1_000, 2_000] if SMALL else [5_000, 10_000, 20_000]


def node_link(n: int) -> bytes:
    stages = [s for s, _, _ in schema.DEFAULT_STAGES]
    nodes = [
        {"id": f"tp-{i}", "name": f"Touchpoint {i}", "stage": stages[i * len(stages) // n], "emotion": (i % 5) - 2}
        for i in range(n)
    ]
    edges = [{"source": f"tp-{i}", "target": f"tp-{i + 1}", "users": n - i} for i in range(n - 1)]
    graph = {
        "id": f"big-{n}",
        "title": f"Big map {n}",
        "map_type": "current_state",
        "stages": [{"id": s, "name": name, "phase": p} for s, name, p in schema.DEFAULT_STAGES],
    }
    return json.dumps({"cjm_format": 1, "graph": graph, "nodes": nodes, "edges": edges}).encode()


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def patched_xlsx(patch) -> bytes:
    from cjm import model

    G = model.new_map("x", map_id="x")
    model.add_touchpoint(G, "A", "awareness")
    src = zipfile.ZipFile(io.BytesIO(write_map_xlsx(G)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            dst.writestr(info, patch(data.decode()).encode() if info.filename == "xl/worksheets/sheet1.xml" else data)
    return out.getvalue()


def refused(data: bytes, name: str) -> float:
    def run():
        try:
            read_map_file(data, filename=name)
        except CJMError:
            return
        raise AssertionError(f"{name} was not refused")

    return timed(run)


def main() -> None:
    print("JSON map: read + validate, then import into a fresh SQLite store (seconds)")
    with tempfile.TemporaryDirectory() as tmp, override(max_touchpoints=max(SIZES)):
        for n in SIZES:
            data = node_link(n)
            start = time.perf_counter()
            G = jsonio.loads(data, source="big.json")
            t_read = time.perf_counter() - start
            store = Store(f"sqlite:///{Path(tmp) / f'b{n}.db'}")
            start = time.perf_counter()
            services.import_map(store, services.Actor("bench"), G, source="big.json")
            t_import = time.perf_counter() - start
            store.close()
            print(f"  {n:>6,} touchpoints: read+validate {t_read:6.2f} s   import {t_import:6.2f} s")
    big = 100_000
    print("Refusals (seconds)")
    print(f"  JSON with {big:,} touchpoints (over the limit): {refused(node_link(big), 'huge.json'):.2f}")
    blank = "".join(f'<row r="{n}"/>' for n in range(10, 300_010))
    rows = patched_xlsx(lambda xml: xml.replace("</sheetData>", blank + "</sheetData>"))
    print(f"  XLSX with 300,000 blank rows: {refused(rows, 'blank.xlsx'):.2f}")
    bomb = patched_xlsx(lambda xml: xml.replace("</sheetPr>", '</sheetPr><dimension ref="A1:XFD1048576"/>', 1))
    print(f"  XLSX declaring 1,048,576 x 16,384 cells: {refused(bomb, 'bomb.xlsx'):.2f}")


if __name__ == "__main__":
    main()
