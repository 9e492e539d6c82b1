"""Hostile and careless funnel files: every problem is one of the project's own errors naming its
place, nothing hangs, and the app's own database is never opened by a reader."""

from __future__ import annotations

import builtins
import io
import os
import pathlib
import sqlite3

import openpyxl
import pytest

from cjm.errors import CJMError
from cjm.funnel.engine import compute_funnel
from cjm.funnel.errors import FunnelInputError, FunnelValueError
from cjm.funnel.readers import MAX_FILE_STEPS, check_local_path, detect, read_funnel_file
from cjm.i18n import error_text


def test_a_count_with_thousands_of_digits_is_a_clear_error_not_a_conversion_crash():
    data = b"step,users\nvisit," + b"9" * 5000 + b"\nbuy,1\n"
    with pytest.raises(FunnelValueError) as err:
        read_funnel_file(data, name="huge.csv")
    assert err.value.code == "count_too_large" and err.value.line == 2 and err.value.column == "users"


@pytest.mark.parametrize("size", [20_000, 200_000])
def test_an_oversized_cell_is_a_clear_error_naming_its_line(size):
    data = b"user_id,event,timestamp\nu1,view,2024-03-04 10:00:00\nu1," + b"x" * size + b",2024-03-04 10:01:00\n"
    with pytest.raises(FunnelValueError) as err:
        read_funnel_file(data, name="big-cell.csv")
    assert err.value.code == "cell_too_long" and err.value.line == 3


def test_an_aggregated_file_of_100000_steps_is_refused_at_the_step_limit():
    data = "step,users\n" + "".join(f"step {i},{100_000 - i}\n" for i in range(100_000))
    with pytest.raises(FunnelValueError) as err:
        read_funnel_file(data.encode(), name="steps.csv")
    assert err.value.code == "too_many_file_steps" and err.value.line == MAX_FILE_STEPS + 2


@pytest.mark.parametrize("when", ["0001-01-01 00:00:00", "9999-12-31 23:59:59"])
def test_an_out_of_range_time_is_reported_by_its_line_not_for_the_whole_file(when):
    data = (
        "user_id,event,timestamp\nu1,a,2024-03-04 10:00:00\nu1,b,2024-03-04 10:01:00\n"
        + "".join(f"u{i},a,2024-03-04 10:00:00\n" for i in range(2, 700))
        + f"u9,a,{when}\n"
    ).encode()
    lg = read_funnel_file(data, name="far.csv")
    with pytest.raises(FunnelValueError) as err:
        compute_funnel(lg, ["a", "b"])
    assert err.value.code == "time_out_of_range" and err.value.line == 702 and err.value.column == "timestamp"
    assert when in str(err.value)


def test_a_mixed_format_time_column_blames_the_line_that_differs():
    data = (
        b"user_id,event,timestamp\n"
        b"u1,a,2024-03-04 10:00:00\nu2,a,2024-03-04 11:00:00\nu3,a,04.03.2024 12:00:00\nu4,a,2024-03-04 13:00:00\n"
    )
    with pytest.raises(FunnelValueError) as err:
        read_funnel_file(data, name="mixed.csv")
    assert err.value.code == "time_mixed" and err.value.line == 4 and "04.03.2024 12:00:00" in str(err.value)


def test_an_sqlite_file_is_refused_by_its_header(tmp_path):
    db = tmp_path / "elsewhere.sqlite"
    with sqlite3.connect(db) as con:
        con.execute("create table t (x)")
    for source in (db, db.read_bytes()):
        with pytest.raises(FunnelInputError) as err:
            detect(source, name="elsewhere.sqlite")
        assert err.value.code == "sqlite_file"


def test_the_apps_own_database_is_refused_without_being_opened(tmp_path, monkeypatch):
    data = tmp_path / "data"
    data.mkdir()
    db = data / "cjm.db"
    with sqlite3.connect(db) as con:
        con.execute("create table t (x)")
    alias = tmp_path / "innocent.csv"
    os.link(db, alias)  # the same file under another name
    monkeypatch.setenv("CJM_DATA_DIR", str(data))
    opened = []
    real_open, real_path_open = builtins.open, pathlib.Path.open

    def spy_open(file, *a, **kw):
        opened.append(os.path.realpath(file) if isinstance(file, (str, os.PathLike)) else file)
        return real_open(file, *a, **kw)

    def spy_path_open(self, *a, **kw):
        opened.append(os.path.realpath(self))
        return real_path_open(self, *a, **kw)

    monkeypatch.setattr(builtins, "open", spy_open)
    monkeypatch.setattr(pathlib.Path, "open", spy_path_open)
    for path in (db, alias, data, str(db) + "-wal"):
        with pytest.raises(FunnelInputError) as err:
            detect(path)
        assert err.value.code == "store_file"
        with pytest.raises(FunnelInputError) as err:
            check_local_path(path, str(tmp_path))
        assert err.value.code == "store_file"
    assert not [f for f in opened if f in (str(db), str(alias))]


def test_an_xlsx_dimension_bomb_is_refused_before_its_rows_are_read():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"], ws["B1"] = "step", "users"
    ws.cell(row=1_000_000, column=1, value="x")  # declares a million rows
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(FunnelInputError) as err:
        detect(buf.getvalue(), name="bomb.xlsx")
    assert err.value.code == "too_many_rows"
    # the message reads in the page's language, its numbers written as that language writes them
    assert "1,000,000 rows" in error_text(err.value, "en")
    assert "1\u202f000\u202f000 строк" in error_text(err.value, "ru")


def test_an_xlsx_with_trailing_blank_rows_reads_its_funnel():
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in (("step", "users"), ("visit", 100), ("buy", 10)):
        ws.append(row)
    ws.cell(row=5000, column=1, value="")
    buf = io.BytesIO()
    wb.save(buf)
    f = read_funnel_file(buf.getvalue(), name="blank.xlsx")
    assert f.steps == ("visit", "buy") and f.counts == (100, 10)


@pytest.mark.parametrize(
    "data",
    [
        b'step,users\n"visit,100\nbuy,10\n',
        b"step,users\nvisit,1e400\n",
        b"step,users\nvisit,-0\n",
        b"\xef\xbb\xbf",
        b"user_id,event,timestamp\nu1,a,not a time\n",
        b"user_id,event,timestamp\n,a,2024-03-04 10:00:00\n",
    ],
)
def test_broken_files_raise_only_the_projects_own_errors(data):
    try:
        got = read_funnel_file(data, name="broken.csv")
        if hasattr(got, "user"):
            compute_funnel(got, ["a"])
    except CJMError:
        pass


def test_an_event_name_too_long_to_show_is_refused_even_past_the_head_of_a_big_file(tmp_path):
    from cjm.funnel.engine import event_counts
    from cjm.funnel.readers import check_event_names

    big = tmp_path / "long-name.csv"  # over 5 MB: detection reads only its head
    with big.open("w") as f:
        f.write("user_id,event,timestamp\n")
        f.writelines(f"u{i},view,2024-03-04 10:00:00\n" for i in range(200_000))
        f.write("u1," + "x" * 100_000 + ",2024-03-04 10:01:00\n")
    lg = read_funnel_file(big)
    with pytest.raises(FunnelValueError) as err:
        check_event_names(event_counts(lg)["event"], lg)
    assert err.value.code == "cell_too_long" and err.value.column == "event"
