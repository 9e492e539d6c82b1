"""Reading funnel files: every format, detection, column mapping, and broken variants."""

from __future__ import annotations

import io
import uuid
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


def test_an_xlsx_event_log_keeps_fractions_of_a_second():
    buf = io.BytesIO()
    pd.DataFrame(
        {
            "user_id": ["a", "a", "b", "b"],
            "event": ["A", "B", "A", "B"],
            "timestamp": pd.to_datetime(
                [
                    "2024-03-04 10:00:00.000",
                    "2024-03-04 10:00:01.500",
                    "2024-03-04 11:00:00.250",
                    "2024-03-04 11:00:01.000",
                ]
            ),
        }
    ).to_excel(buf, index=False)
    lg = read_funnel_file(buf.getvalue(), name="log.xlsx")
    # a 1-second window: a's B came 1.5 s after A (out), b's 0.75 s after (in)
    assert compute_funnel(lg, ["A", "B"], window="1s").counts == (2, 1)


@pytest.mark.parametrize("total", ["Итого", "Total", "ИТОГО:", "Всего"])
def test_a_trailing_total_row_is_skipped_with_a_note(total):
    data = f"step,users\nvisit,100\ncart,40\nbuy,10\n{total},150\n".encode()
    f = read_funnel_file(data, name="t.csv")
    assert f.steps == ("visit", "cart", "buy") and f.counts == (100, 40, 10)
    assert f.warnings == ()
    assert len(f.notes) == 1 and "line 5" in f.notes[0] and f.notes[0].code == "total_row_skipped"


def test_numbered_steps_lose_their_numbers_in_any_aggregated_file():
    f = read_funnel_file(b"step,users\n1. visit,100\n2. cart,40\n", name="n.csv")
    assert f.steps == ("visit", "cart")
    kept = read_funnel_file(b"step,users\n1. visit,100\ncart,40\n", name="m.csv")
    assert kept.steps == ("1. visit", "cart")  # not every step is numbered: the names are the names


def test_a_ga4_data_api_funnel_table_gives_totals_once_and_drops_step_numbers():
    det = detect(SAMPLES / "ga4_data_api_funnel.csv")
    assert det.kind == "ga4"
    assert (det.mapping["step"], det.mapping["users"], det.mapping["segment"]) == (
        "funnelStepName",
        "activeUsers",
        "deviceCategory",
    )
    f = load(det)
    assert f.steps == ("first_visit", "view_item", "add_to_cart", "begin_checkout", "purchase")
    assert f.counts == (12450, 7120, 2725, 1330, 833)  # the RESERVED_TOTAL rows, not doubled
    assert set(f.segments) == {"mobile", "desktop", "tablet"}
    assert f.counts[0] == sum(v[0] for v in f.segments.values())


def test_a_ga4_bigquery_export_reads_microsecond_timestamps_and_counts_pseudo_ids():
    det = detect(SAMPLES / "ga4_bigquery_events.csv")
    assert det.kind == "events"
    assert det.mapping == {"user": "user_pseudo_id", "event": "event_name", "time": "event_timestamp"}
    assert det.notes and det.notes[0].code == "pseudo_id"
    lg = load(det)
    assert lg.time_kind == "epoch_us"
    result = compute_funnel(lg, ["session_start", "view_item", "add_to_cart", "begin_checkout", "purchase"])
    assert result.counts == (60, 59, 54, 35, 11)
    assert str(result.people["step_1_at"].min()).startswith("2024-03-0")


def test_bigquery_microseconds_decide_a_one_second_window():
    data = (
        b"event_timestamp,event_name,user_pseudo_id,user_id\n"
        b"1709546400000000,a,p1,\n1709546401500000,b,p1,\n"
        b"1709546400000000,a,p2,\n1709546400750000,b,p2,\n"
    )
    lg = read_funnel_file(data, name="bq.csv")
    assert compute_funnel(lg, ["a", "b"], window="1s").counts == (2, 1)


def test_user_id_is_kept_when_it_is_filled_in():
    data = b"event_timestamp,event_name,user_pseudo_id,user_id\n1709546400000000,a,p1,U1\n1709546401000000,b,p2,U1\n"
    det = detect(data, name="bq.csv")
    assert det.mapping["user"] == "user_id" and det.notes == ()


def test_a_metrica_logs_api_hits_file_is_an_event_log_of_pages_and_goals():
    det = detect(SAMPLES / "metrica_logs_hits.tsv")
    assert (det.kind, det.layout, det.delimiter) == ("events", "metrica_hits", "\t")
    assert det.mapping == {"user": "ym:pv:clientID", "event": "(page or goal)", "time": "ym:pv:dateTime"}
    lg = load(det)
    assert "ym:pv:counterID" not in lg.properties and "ym:pv:regionCity" in lg.properties
    result = compute_funnel(lg, ["/", "/catalog/", "/product/*", "goal 31337001", "goal 31337002"])
    assert result.counts == (50, 50, 44, 26, 6)


def test_a_metrica_logs_api_visits_file_turns_goals_into_events_at_their_own_times():
    lg = read_funnel_file(SAMPLES / "metrica_logs_visits.tsv")
    result = compute_funnel(lg, ["visit", "goal 31337001", "goal 31337002"], window="1h")
    assert result.counts == (50, 26, 6)
    times = result.people.dropna(subset=["step_2_at"])
    assert (times["step_2_at"] > times["step_1_at"]).all()  # the goal's own time, not the visit's start


def test_a_metrica_counter_id_column_is_not_taken_for_a_count_of_people():
    data = b"ym:pv:counterID\tym:pv:clientID\tym:pv:dateTime\tym:pv:URL\n1\t7\t2024-03-04 10:00:00\thttps://x.ru/a\n"
    det = detect(data, name="hits.tsv")
    assert det.kind == "events" and det.layout == "metrica_hits"


def test_a_duration_column_is_never_taken_as_a_segment():
    data = ("\ufeffШаг воронки,Время на сайте,Посетители\nГлавная,00:01:23,1000\nКорзина,00:02:05,400\n").encode(
        "utf-8"
    )
    det = detect(data, name="metrica-ui.csv")
    assert det.mapping["segment"] is None
    f = load(det)
    assert f.segments == {} and f.warnings == () and f.counts == (1000, 400)


def test_a_date_column_is_never_taken_as_a_segment():
    det = detect(b"step,date,users\nvisit,2024-03-01,100\nbuy,2024-03-01,10\n", name="d.csv")
    assert det.mapping["segment"] is None


def test_the_same_upload_saved_by_many_sessions_at_once_is_whole_for_each_and_leaves_no_part_file():
    import threading

    from cjm.funnel.readers import save_upload

    data = b"user_id,event,timestamp\n" + b"".join(
        f"p{i},e{i % 7},2024-03-01 10:00:00\n".encode() for i in range(200_000)
    )
    data += uuid.uuid4().hex.encode()  # a name no earlier run left behind
    seen, errors = [], []
    barrier = threading.Barrier(8)

    def save():
        barrier.wait()
        try:
            path = save_upload(data, "log.csv")
            seen.append(path.read_bytes() == data)
        except OSError as exc:  # pragma: no cover - the failure this test is for
            errors.append(exc)

    threads = [threading.Thread(target=save) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and seen == [True] * 8
    path = save_upload(data, "log.csv")
    assert not list(path.parent.glob(path.stem + "*.part"))
    path.unlink()
