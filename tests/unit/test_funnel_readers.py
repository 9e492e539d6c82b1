"""Reading funnel files: every format, detection, column mapping, and broken variants."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from cjm.funnel.engine import EventLog, compute_funnel
from cjm.funnel.errors import (
    FunnelColumnError,
    FunnelEmptyFileError,
    FunnelEncodingError,
    FunnelInputError,
    FunnelValueError,
)
from cjm.funnel.readers import AggregatedFunnel, MappingNeeded, detect, load, parse_count, read_funnel_file

SAMPLES = Path(__file__).resolve().parents[2] / "sample_data" / "funnels"


def test_the_english_aggregated_sample_sums_its_device_segments():
    f = read_funnel_file(SAMPLES / "shop_funnel_en.csv")
    assert isinstance(f, AggregatedFunnel) and f.kind == "aggregated"
    assert f.steps[:2] == ("view_product", "add_to_cart")
    assert f.counts[0] == 6120 + 4380
    assert f.segments["desktop"][-1] == 840 and f.segment_column == "device"


def test_the_russian_sample_is_read_as_cp1251_with_semicolons_and_decimal_commas():
    det = detect((SAMPLES / "shop_funnel_ru.csv").read_bytes(), name="ru.csv")
    assert (det.encoding, det.delimiter, det.decimal) == ("cp1251", ";", ",")
    f = load(det)
    assert f.steps[0] == "Просмотр каталога" and f.counts[:2] == (18500, 11240)


def test_a_ga4_export_gives_totals_segments_and_its_date_range():
    det = detect(SAMPLES / "ga4_funnel_export.csv")
    assert det.kind == "ga4" and det.mapping["segment"] == "Device category"
    f = load(det)
    assert f.steps == ("view_item", "add_to_cart", "begin_checkout", "purchase")
    assert f.counts == (24310, 9286, 3854, 2405)
    assert set(f.segments) == {"mobile", "desktop", "tablet"} and f.segments["tablet"] == (1000, 380, 168, 98)
    assert f.notes == ("date range 2024-03-04 – 2024-04-28",)


def test_a_ga4_export_without_a_breakdown_has_one_row_per_step():
    data = (
        b"# Funnel exploration\n# Start date: 20240101\n# End date: 20240131\n"
        b"Step,Active users,Completion rate,Abandonments,Abandonment rate\n"
        b'1. first_visit,"1,200",50%,600,50%\n2. purchase,600,,,\n'
    )
    f = read_funnel_file(data, name="ga4.csv")
    assert f.steps == ("first_visit", "purchase") and f.counts == (1200, 600) and f.segments == {}


def test_a_metrica_export_skips_its_totals_row():
    det = detect((SAMPLES / "metrica_funnel_export.csv").read_bytes(), name="metrica.csv")
    assert det.kind == "metrica" and det.encoding == "utf-8-sig"
    assert det.mapping["users"] == "Посетители"
    f = load(det)
    assert "Итого и средние" not in f.steps and f.counts[0] == 14200 and len(f.steps) == 6


def test_an_event_log_is_detected_with_its_person_event_and_time_columns():
    det = detect(SAMPLES / "shop_events.csv")
    assert det.kind == "events" and not det.ambiguous
    assert det.mapping == {"user": "user_id", "event": "event", "time": "timestamp"}
    lg = load(det)
    assert isinstance(lg, EventLog) and lg.properties == ("channel", "device", "city")


def test_an_uploaded_cp1251_event_log_with_semicolons_and_russian_dates_is_read():
    text = "Пользователь;Событие;Время;Канал\nu1;Корзина;04.03.2024 10:00:00;реклама\nu1;Оплата;04.03.2024 10:05:00;реклама\n"
    det = detect(text.encode("cp1251"), name="log.csv")
    assert det.kind == "events" and det.delimiter == ";"
    lg = load(det, data=text.encode("cp1251"))
    result = compute_funnel(lg, ["Корзина", "Оплата"], by="Канал")
    assert result.counts == (1, 1) and result.segments == {"реклама": (1, 1)}


def test_an_xlsx_aggregated_funnel_is_read():
    buf = io.BytesIO()
    pd.DataFrame({"Step": ["visit", "signup"], "Users": [100, 40]}).to_excel(buf, index=False)
    f = read_funnel_file(buf.getvalue(), name="f.xlsx")
    assert f.steps == ("visit", "signup") and f.counts == (100, 40)


def test_a_parquet_event_log_is_read(tmp_path):
    frame = pd.DataFrame(
        {
            "user_id": ["a", "a", "b"],
            "event": ["A", "B", "A"],
            "timestamp": pd.to_datetime(["2024-03-04 10:00", "2024-03-04 10:01", "2024-03-04 11:00"]),
        }
    )
    path = tmp_path / "log.parquet"
    frame.to_parquet(path)
    lg = read_funnel_file(path)
    assert lg.time_kind == "timestamp"
    assert compute_funnel(lg, ["A", "B"]).counts == (2, 1)
    assert compute_funnel(read_funnel_file(path.read_bytes(), name="log.parquet"), ["A", "B"]).counts == (2, 1)


def test_unclear_columns_ask_for_a_mapping_and_an_explicit_mapping_reads_the_file():
    data = b"col1,col2\nvisit,100\nbuy,20\n"
    det = detect(data, name="x.csv")
    with pytest.raises(MappingNeeded) as err:
        load(det)
    assert "step" in err.value.detection.ambiguous
    f = load(det, {"step": "col1", "users": "col2"})
    assert f.steps == ("visit", "buy") and f.counts == (100, 20)


def test_a_mapping_that_names_a_missing_column_is_refused():
    det = detect(b"step,users\na,1\n", name="x.csv")
    with pytest.raises(FunnelColumnError, match="no column 'nope'"):
        load(det, {"users": "nope"})


def test_a_missing_count_column_is_a_named_error():
    with pytest.raises(FunnelColumnError) as err:
        load(detect(b"step,comment\nvisit,hello\nbuy,bye\n", name="x.csv"))
    assert "users" in str(err.value)


def test_text_in_a_count_names_the_line_and_the_column():
    with pytest.raises(FunnelValueError) as err:
        read_funnel_file(b"step,users\nvisit,100\nbuy,twenty\n", name="x.csv")
    assert (err.value.line, err.value.column) == (3, "users")
    assert "twenty" in str(err.value) and "line 3" in str(err.value)


def test_a_negative_count_is_refused():
    with pytest.raises(FunnelValueError, match="negative"):
        read_funnel_file(b"step,users\nvisit,-5\n", name="x.csv")


def test_a_utf16_file_is_a_wrong_encoding_error():
    with pytest.raises(FunnelEncodingError, match="UTF-16"):
        read_funnel_file("step,users\nvisit,1\n".encode("utf-16"), name="x.csv")


def test_a_binary_file_is_a_wrong_encoding_error():
    with pytest.raises(FunnelEncodingError):
        read_funnel_file(b"step,users\n\x00\x01\x02", name="x.csv")


@pytest.mark.parametrize("data", [b"", b"   \n\n"])
def test_an_empty_file_is_a_named_error(data):
    with pytest.raises(FunnelEmptyFileError, match="empty"):
        read_funnel_file(data, name="x.csv")


def test_a_header_without_rows_is_a_named_error():
    with pytest.raises(FunnelEmptyFileError, match="no data rows"):
        read_funnel_file(b"step,users\n", name="x.csv")


def test_a_count_that_rises_is_flagged_not_refused():
    f = read_funnel_file(b"step,users\nvisit,100\ncart,120\nbuy,10\n", name="x.csv")
    assert f.counts == (100, 120, 10)
    assert len(f.warnings) == 1 and "rises" in f.warnings[0] and "line 3" in f.warnings[0]


def test_a_step_listed_twice_names_both_lines():
    with pytest.raises(FunnelValueError, match="first on line 2") as err:
        read_funnel_file(b"step,users\nvisit,100\nvisit,90\n", name="x.csv")
    assert err.value.line == 3


def test_a_row_with_too_many_cells_is_refused_with_its_line():
    with pytest.raises(FunnelInputError) as err:
        read_funnel_file(b"step,users\nvisit,100,7\n", name="x.csv")
    assert err.value.line == 2


def test_a_missing_local_file_is_a_named_error(tmp_path):
    with pytest.raises(FunnelInputError, match="no such file"):
        detect(tmp_path / "nope.csv")


@pytest.mark.parametrize(
    "text,value", [("12,345", 12345), ("12 345", 12345), ("12\u00a0345", 12345), ("7", 7), ("7.0", 7), ("1.234", None)]
)
def test_counts_accept_thousands_separators(text, value):
    if value is None:
        with pytest.raises(FunnelValueError):
            parse_count(text)
    else:
        assert parse_count(text) == value


def test_an_xlsx_event_log_is_read_with_its_excel_dates():
    buf = io.BytesIO()
    pd.DataFrame(
        {
            "user_id": ["a", "a", "b"],
            "event": ["A", "B", "A"],
            "timestamp": pd.to_datetime(["2024-03-04 10:00", "2024-03-04 10:01", "2024-03-04 11:00"]),
        }
    ).to_excel(buf, index=False)
    lg = read_funnel_file(buf.getvalue(), name="log.xlsx")
    assert isinstance(lg, EventLog)
    assert compute_funnel(lg, ["A", "B"]).counts == (2, 1)
