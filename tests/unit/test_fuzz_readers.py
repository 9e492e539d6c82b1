"""Property-based fuzzing of every file reader (issue 18): node-link JSON, touchpoint tables (CSV and XLSX)
and funnel files. Whatever the bytes, a reader gives a valid result or a clear ``CJMError``, within a
time bound (a hang guard, not a speed test), and an import that fails stores nothing.

``derandomize=True`` makes every run use the same examples (hypothesis derives them from the test), so
a failure here is reproducible; ``FUZZ_EXAMPLES`` (default 500 per reader) changes how many.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from cjm import schema, services  # noqa: E402
from cjm.errors import CJMError  # noqa: E402
from cjm.io import jsonio  # noqa: E402
from cjm.io.tables import read_map_file, read_map_table  # noqa: E402
from cjm.store import Store  # noqa: E402
from cjm.validation import validate_map  # noqa: E402

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "500"))
#: Seconds one read may take before it counts as a hang (generous: a busy 2-core machine).
HANG_SECONDS = 20
FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)


@contextlib.contextmanager
def hang_guard(seconds: int = HANG_SECONDS):
    """Fail (instead of hanging the suite) when the block runs longer than ``seconds``."""

    def _alarm(_signum, _frame):
        raise AssertionError(f"a reader ran for more than {seconds} s (a hang)")

    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


@pytest.fixture(scope="module")
def store():
    s = Store("sqlite://")
    yield s
    s.close()


def read_and_import(store: Store, read) -> None:
    """``read()`` then import the map: a clear CJMError (and nothing stored) or a stored, valid map."""
    before = {m.map_id for m in store.list_maps()}
    with hang_guard():
        try:
            G = read()
            validate_map(G)
            map_id = services.import_map(store, services.Actor("fuzz"), G, source="fuzz").map_id
        except CJMError as exc:
            assert str(exc)  # a message to show
            assert {m.map_id for m in store.list_maps()} == before, "an error left something stored"
            return
    assert {m.map_id for m in store.list_maps()} == before | {map_id}
    store.delete(map_id)


# --- values a hostile file may hold ------------------------------------------------------------------

hostile_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "a\x07b",
            "\ud800",
            '=HYPERLINK("http://x")',
            "-1,5",
            "1e400",
            "9" * 5000,
            "NaN",
            "[" * 100,
            '[{"text": "hi"}]',
            "awareness",
            "purchase",
            "Осведомлённость",
            "before_purchase",
            "website",
            "yes",
            "12:30",
            "2024-02-30",
            "tp-1 (3); tp-2",
            "x" * 3000,
        ]
    ),
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**60), max_value=10**60),
    st.floats(allow_nan=True, allow_infinity=True),
    hostile_text,
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
field_names = st.sampled_from([f.name for f in schema.TOUCHPOINT_FIELDS] + ["x", "", "id"])


@st.composite
def node_link_documents(draw):
    """A node-link document: mostly map-shaped, with hostile values anywhere."""
    ids = draw(st.lists(st.one_of(st.text(max_size=6), st.integers(-3, 30), json_values), max_size=8))
    nodes = [{"id": i, **draw(st.dictionaries(field_names, st.one_of(scalars, json_values), max_size=6))} for i in ids]
    if draw(st.booleans()):
        nodes += draw(st.lists(json_values, max_size=2))
    ends = st.one_of(st.sampled_from(ids) if ids else st.nothing(), json_values)
    links = draw(
        st.lists(
            st.fixed_dictionaries(
                {"source": ends, "target": ends}, optional={"users": scalars, "label": scalars, "extra": json_values}
            ),
            max_size=8,
        )
    )
    stages = [{"id": s, "name": n, "phase": p} for s, n, p in schema.DEFAULT_STAGES]
    graph = {
        "id": draw(st.one_of(st.just("fuzz"), scalars)),
        "title": draw(st.one_of(st.just("Fuzz"), scalars, json_values)),
        "map_type": draw(st.one_of(st.just("current_state"), scalars)),
        "stages": draw(st.one_of(st.just(stages), json_values)),
    }
    graph.update(draw(st.dictionaries(st.sampled_from(schema.MAP_FIELDS), json_values, max_size=3)))
    doc = {"graph": draw(st.one_of(st.just(graph), json_values)), "nodes": nodes, "edges": links}
    doc.update(
        draw(st.dictionaries(st.sampled_from(["cjm_format", "directed", "links", "nodes"]), json_values, max_size=2))
    )
    text = json.dumps(doc)
    how = draw(st.sampled_from(["as is", "as is", "as is", "cut", "nest", "big int"]))
    if how == "cut":
        text = text[: draw(st.integers(0, len(text)))]
    elif how == "nest":
        depth = draw(st.integers(1, 3000))
        text = text[:-1] + ', "deep": ' + "[" * depth + "]" * depth + "}"
    elif how == "big int":
        text = text[:-1] + ', "nodes": [{"id": 1, "emotion": ' + "9" * draw(st.integers(20, 6000)) + "}]}"
    return text.encode("utf-8", "surrogatepass")


columns = st.sampled_from(
    ["id", "name", "stage", "phase", "stage_name", "emotion", "order", "users", "next", "comments", "votes", "task",
     "Эмоция", "Этап", "Точка контакта", "steps", "deadline", "time_of_day", "unknown", ""]
)  # fmt: skip


@st.composite
def tables(draw):
    """A touchpoint table as a grid of cells (header first)."""
    header = draw(st.lists(columns, min_size=1, max_size=7))
    rows = draw(
        st.lists(st.lists(st.one_of(hostile_text, st.integers(-(10**30), 10**30), st.floats()), max_size=8), max_size=8)
    )
    return [header, *rows]


def _csv_bytes(grid, delimiter: str, encoding: str) -> bytes:
    import csv

    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter)
    for row in grid:
        writer.writerow(["" if c is None else c for c in row])
    return buf.getvalue().encode(encoding, "ignore")


def _xlsx_bytes(grid) -> bytes:
    from openpyxl import Workbook

    from cjm.io.cells import xlsx_text

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("touchpoints")
    for row in grid:
        ws.append([xlsx_text(c) if isinstance(c, str) else c for c in row])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# --- the properties ------------------------------------------------------------------------------


@FUZZ
@given(doc=node_link_documents())
def test_any_node_link_json_gives_a_valid_map_or_a_clear_error_and_stores_nothing_on_error(store, doc):
    read_and_import(store, lambda: jsonio.loads(doc, source="fuzz.json"))


@FUZZ
@given(
    grid=tables(), delimiter=st.sampled_from([",", ";", "\t"]), encoding=st.sampled_from(["utf-8", "cp1251", "utf-16"])
)
def test_any_csv_touchpoint_table_gives_a_valid_map_or_a_clear_error(store, grid, delimiter, encoding):
    data = _csv_bytes(grid, delimiter, encoding)
    read_and_import(store, lambda: read_map_table(data, filename="fuzz.csv"))


@FUZZ
@given(grid=tables())
def test_any_xlsx_touchpoint_table_gives_a_valid_map_or_a_clear_error(store, grid):
    data = _xlsx_bytes(grid)
    read_and_import(store, lambda: read_map_file(data, filename="fuzz.xlsx"))


@FUZZ
@given(data=st.binary(max_size=300), name=st.sampled_from(["x.json", "x.csv", "x.xlsx", "x.tsv"]))
def test_any_bytes_under_any_map_file_name_give_a_map_or_a_clear_error(store, data, name):
    read_and_import(store, lambda: read_map_file(data, filename=name))


event_cells = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        [
            "2024-01-01 10:00:00",
            "0001-01-01",
            "9999-12-31 23:59:59",
            "1700000000",
            "2024-13-45",
            "",
            "u1",
            "=cmd",
            "9" * 400,
        ]
    ),
    st.integers(-(10**20), 10**20).map(str),
)


@FUZZ
@given(
    rows=st.lists(st.tuples(event_cells, event_cells, event_cells), max_size=6),
    header=st.sampled_from([("user_id", "event", "timestamp"), ("step", "users", "segment"), ("a", "b", "c")]),
)
def test_any_funnel_file_gives_a_result_or_a_clear_error(rows, header):
    """Only the public funnel reader API; anything but a CJMError is a bug to report to the funnel readers."""
    from cjm.funnel.readers import read_funnel_file

    data = _csv_bytes([list(header), *[list(r) for r in rows]], ",", "utf-8")
    with hang_guard():
        try:
            result = read_funnel_file(data, name="fuzz.csv")
        except CJMError as exc:
            assert str(exc)
            return
    assert result is not None
