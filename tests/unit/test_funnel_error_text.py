"""Funnel errors in the UI language: the place (file, line, column) and the message in Russian,
the English text exactly ``str(exc)``."""

from __future__ import annotations

import re

import networkx as nx
import pytest

from cjm.funnel.engine import EventLog, Exclusion, compute_funnel, dropped_off, parse_window
from cjm.funnel.errors import (
    FunnelColumnError,
    FunnelEmptyFileError,
    FunnelEncodingError,
    FunnelError,
    FunnelInputError,
    FunnelParameterError,
    FunnelValueError,
)
from cjm.funnel.journey import apply_counts
from cjm.funnel.readers import check_local_path, read_funnel_file
from cjm.i18n import catalogues, error_text

EVENT_LOG = b"user_id,event,timestamp\nu1,A,2024-03-04 10:00:00\nu1,B,2024-03-04 10:01:00\nu2,A,yesterday\n"
# English words that must not be left in a Russian message (file names and values aside)
ENGLISH = re.compile(r"\b(line|column|the|file|is|has|not|no|cannot|empty|row)\b", re.I)


def _raised(fn, *args, **kwargs) -> FunnelError:
    with pytest.raises(FunnelError) as err:
        fn(*args, **kwargs)
    return err.value


def _read(data: bytes, mapping: dict | None = None) -> FunnelError:
    return _raised(read_funnel_file, data, name="x.csv", mapping=mapping)


def _big_log_with_a_bad_time(tmp_path) -> FunnelError:
    rows = [f"u{i},A,2024-03-04 10:{i % 60:02d}:00" for i in range(2000)]
    rows[1500] = "u1500,A,not a time"
    path = tmp_path / "big.csv"
    path.write_text("user_id,event,timestamp\n" + "\n".join(rows) + "\n")
    return _raised(compute_funnel, read_funnel_file(path), ["A"])


def _broken_inputs(tmp_path) -> list[FunnelError]:
    """Errors raised by real broken files and bad funnel definitions."""
    frame_log = read_funnel_file(
        b"user_id,event,timestamp\nu1,A,2024-03-04 10:00:00\nu1,B,2024-03-04 10:01:00\n", name="log.csv"
    )
    result = compute_funnel(frame_log, ["A", "B"])
    return [
        _read(b""),
        _read(b"   \n\n"),
        _read("step,users\nvisit,1\n".encode("utf-16")),
        _read(b"step,users\n\x00\x01\x02"),
        _read(b"step,users\nvisit,1\n\xff\xfe\x98\n"),
        _read(b"step,users\n"),
        _read(b"step,step\na,1\n"),
        _read(b"step,,users\na,1,2\n"),
        _read(b"step,users\na,1\n", {"users": "nope"}),
        _read(b"step,users\na,1\n", {"colour": "users"}),
        _read(b"step,note\nvisit,x\n", {"step": "step"}),
        _read(b"step,users\na,1\n", {"step": "users", "users": "users"}),
        _read(b"step,users\nvisit,100\nbuy,twenty\n"),
        _read(b"step,users\nvisit,-5\n"),
        _read(b"step,users\nvisit,\n"),
        _read(b"step,users\nvisit,100\nvisit,90\n"),
        _read(b"step,users,segment\nvisit,100,mobile\nvisit,90,mobile\n"),
        _read(b"step,users,segment\nvisit,100,Total\nvisit,90,Total\n"),
        _read(b"step,users,segment\nvisit,100,Total\nbuy,9,mobile\n"),
        _read(b"step,users\nvisit,100,7\n"),
        _read(b"step,users\n,100\n"),
        _read(EVENT_LOG),
        _read(b"user_id,event,timestamp\nu1,A,\nu2,B,\n"),
        _big_log_with_a_bad_time(tmp_path),
        _raised(compute_funnel, EventLog("u", "e", "t", source_sql="read_csv('/no/such/x.csv')", name="x.csv"), ["A"]),
        _raised(read_funnel_file, tmp_path / "nope.csv"),
        _raised(check_local_path, "/etc/passwd", str(tmp_path)),
        _raised(parse_window, "3 fortnights"),
        _raised(parse_window, "soon"),
        _raised(compute_funnel, frame_log, ["A"], mode="sideways"),
        _raised(compute_funnel, frame_log, []),
        _raised(compute_funnel, frame_log, [f"s{i}" for i in range(61)]),
        _raised(compute_funnel, frame_log, ["A", "B"], mode="any", exclusions=["X"]),
        _raised(compute_funnel, frame_log, ["A", "B"], by="country"),
        _raised(compute_funnel, frame_log, ["A", "B"], exclusions=[Exclusion("X", 2, 1)]),
        _raised(dropped_off, result, 1),
        _raised(apply_counts, nx.DiGraph(), ["A", "B"], [2], {}),
        _raised(apply_counts, nx.DiGraph(), ["A"], [2], {"A": "tp-9"}),
    ]


def test_every_funnel_error_from_a_broken_input_reads_in_english_exactly_as_str_and_is_translated(tmp_path):
    errors = _broken_inputs(tmp_path)
    for exc in errors:
        assert exc.code, f"no code: {exc!r}"
        assert f"problem.funnel.{exc.code}" in catalogues()["en"], exc.code
        assert error_text(exc, "en") == str(exc)
        assert error_text(exc, "ru") != str(exc), f"not translated: {exc}"
    assert len({e.code for e in errors}) >= 25


@pytest.mark.parametrize(
    ("data", "mapping", "kind", "where", "says"),
    [
        (b"", None, FunnelEmptyFileError, "x.csv: ", "файл пустой"),
        (
            b"step,users\na,1\n",
            {"users": "nope"},
            FunnelColumnError,
            "x.csv, строка 1: ",
            "в файле нет столбца «nope» (есть: step, users)",
        ),
        (
            b"step,users\nvisit,100\nbuy,twenty\n",
            None,
            FunnelValueError,
            "x.csv, строка 3, столбец «users»: ",
            "«twenty» — не целое число людей",
        ),
        (EVENT_LOG, None, FunnelValueError, "x.csv, строка 4, столбец «timestamp»: ", "«yesterday» — дата и время"),
        ("step,users\nvisit,1\n".encode("utf-16"), None, FunnelEncodingError, "x.csv, строка 1: ", "UTF-16"),
    ],
)
def test_a_broken_funnel_file_is_explained_in_russian_with_its_line_and_column(data, mapping, kind, where, says):
    exc = _read(data, mapping)
    assert isinstance(exc, kind)
    text = error_text(exc, "ru")
    assert text.startswith(where) and says in text
    assert not ENGLISH.search(text.replace("x.csv", "")), text


def test_a_bad_time_found_by_duckdb_is_explained_in_russian_with_its_line_and_column(tmp_path):
    text = error_text(_big_log_with_a_bad_time(tmp_path), "ru")
    assert text == "big.csv, строка 1502, столбец «timestamp»: значение ('not a time') — не дата и время"


def test_duckdb_s_own_message_stays_as_it_is_inside_a_russian_sentence():
    log = EventLog("u", "e", "t", source_sql="read_csv('/no/such/x.csv')", name="x.csv")
    exc = _raised(compute_funnel, log, ["A"])
    detail = str(exc).split("cannot be read: ", 1)[1]
    assert error_text(exc, "ru") == f"x.csv: журнал событий не читается: {detail}"


def test_a_funnel_parameter_error_is_explained_in_russian():
    exc = _raised(parse_window, "3 fortnights")
    assert error_text(exc, "ru") == (
        "окно конверсии «3 fortnights»: неизвестная единица «fortnights» (используйте s, min, h, d, w, month)"
    )


def test_an_upload_without_a_name_is_called_an_uploaded_file_in_russian():
    exc = _raised(read_funnel_file, b"")
    assert str(exc) == "upload: the file is empty"
    assert error_text(exc, "ru") == "загруженный файл: файл пустой"


def test_a_funnel_error_without_a_code_keeps_its_english_text():
    exc = FunnelValueError("something odd", line=2, column="users", source="x.csv")
    assert error_text(exc, "ru") == str(exc) == "x.csv, line 2, column 'users': something odd"
    assert error_text(FunnelParameterError("odd"), "ru") == "odd"


@pytest.mark.parametrize(
    "exc",
    [
        FunnelInputError("no such file: a.csv", code="no_file"),  # a param is missing
        FunnelInputError("no such file: a.csv", code="no_file", params={"path": "b.csv"}),  # says something else
        FunnelInputError("no such file: a.csv", code="no_such_code", params={"path": "a.csv"}),
    ],
)
def test_a_code_whose_params_do_not_rebuild_the_english_message_falls_back_to_it(exc):
    assert error_text(exc, "ru") == str(exc) == "no such file: a.csv"


def test_params_are_kept_as_name_value_pairs():
    exc = FunnelParameterError("x", code="time_format", params={"kind": "x"})
    assert exc.params == (("kind", "x"),)
    assert FunnelInputError("x", code="empty").params == ()
