"""The Funnel page through app.py: each sample file uploaded, the funnel and its biggest drop shown,
steps mapped to touchpoints and the counts saved onto the journey map."""

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import APP
from tests.hostile import plain

SAMPLES = Path(__file__).resolve().parents[2] / "sample_data" / "funnels"
PAGE = "pages/funnel.py"
SHOP = json.loads(
    (Path(__file__).resolve().parents[2] / "sample_data" / "maps" / "shop-current.json").read_text(encoding="utf-8")
)["graph"]["id"]


def _open(map_id: str | None = None, lang: str = "en") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if lang != "en":
        at.query_params["lang"] = lang
    if map_id:
        at.query_params["map"] = map_id
    at.switch_page(PAGE)
    return at.run()


def _upload(at: AppTest, name: str, data: bytes | None = None) -> AppTest:
    data = (SAMPLES / name).read_bytes() if data is None else data
    at.file_uploader(key="funnel.upload").upload(name, data, "text/csv").run()
    return at


def _metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def _picker(at: AppTest, step: str):
    """The touchpoint picker of a funnel step, found by its label as a user finds it."""
    return next(s for s in at.selectbox if s.label == f"Step “{step}”")


def test_the_page_asks_for_data_before_showing_a_funnel():
    at = _open()
    assert not at.exception
    assert at.title[0].value.startswith("Funnel")
    assert any("Choose data" in i.value for i in at.info)


@pytest.mark.parametrize(
    "name,entered,drop",
    [
        ("shop_funnel_en.csv", "10,500", ("61%", "−6,390", "“view_product” and “add_to_cart”")),
        ("shop_funnel_ru.csv", "18,500", ("66%", "−7,370", "“Карточка товара” and “Корзина”")),
        ("ga4_funnel_export.csv", "24,310", ("62%", "−15,024", "“view_item” and “add_to_cart”")),
        ("metrica_funnel_export.csv", "14,200", ("64%", "−3,380", "“Карточка товара” and “Корзина”")),
    ],
)
def test_uploading_an_aggregated_sample_shows_the_funnel_and_its_biggest_drop(name, entered, drop):
    at = _upload(_open(), name)
    assert not at.exception and not at.error
    assert _metric(at, "Entered (step 1)") == entered
    metric = next(m for m in at.metric if m.label == "Biggest drop")
    assert (metric.value, metric.delta) == drop[:2]
    assert any(drop[2] in md.value.replace("\\", "") and "Biggest drop" in md.value for md in at.markdown)
    charts = at.get("plotly_chart")
    assert charts, "no chart"
    spec = json.loads(charts[0].proto.spec)
    assert spec["data"][0]["type"] == "funnel"
    assert "Biggest drop" in spec["layout"]["annotations"][0]["text"]


def test_uploading_the_event_log_computes_the_funnel_with_time_to_convert_and_trend():
    at = _upload(_open(), "shop_events.csv")
    assert not at.exception and not at.error
    steps = next(m for m in at.multiselect if m.key and m.key.startswith("funnel.steps."))
    # everyone's first event is page_view: the suggested funnel starts where people come in
    assert steps.value == ["page_view", "view_product", "add_to_cart", "checkout", "payment", "order_confirmed"]
    assert _metric(at, "Entered (step 1)") == "4,800"
    assert _metric(at, "Completed (last step)") == "674"
    assert len(at.get("plotly_chart")) == 3  # funnel, time to convert, trend


def test_a_breakdown_of_the_event_log_draws_segments_side_by_side():
    at = _upload(_open(), "shop_events.csv")
    by = next(s for s in at.selectbox if s.key and s.key.startswith("funnel.by."))
    by.set_value("device").run()
    assert not at.exception
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    bars = [s for s in specs if s["data"] and s["data"][0]["type"] == "bar" and s["layout"].get("barmode") == "group"]
    assert bars and {d["name"].split(" (")[0] for d in bars[0]["data"]} == {"mobile", "desktop", "tablet"}


def test_strict_mode_counts_fewer_or_equal_people_than_ordered():
    at = _upload(_open(), "shop_events.csv")
    ordered = int(_metric(at, "Completed (last step)").replace(",", ""))
    at.radio(key="funnel.mode").set_value("strict").run()
    assert not at.exception
    assert int(_metric(at, "Completed (last step)").replace(",", "")) <= ordered


def test_a_broken_file_shows_an_error_naming_the_line_and_no_traceback():
    at = _upload(_open(), "bad.csv", b"step,users\nvisit,100\nbuy,lots\n")
    assert not at.exception
    assert any("line 3" in e.value and "users" in e.value for e in at.error)


def test_unclear_columns_open_the_mapping_form_and_the_chosen_columns_give_the_funnel():
    at = _upload(_open(), "odd.csv", b"a,b\nvisit,100\nbuy,40\n")
    assert not at.exception
    assert any("not clear" in w.value for w in at.warning)
    role = {s.key.split(".")[2]: s for s in at.selectbox if s.key and s.key.startswith("funnel.role.")}
    role["step"].set_value("a")
    role["users"].set_value("b")
    submit = next(b for b in at.button if "Use these columns" in str(b.label))
    submit.click().run()
    assert not at.exception
    assert _metric(at, "Entered (step 1)") == "100"


def test_step_names_that_look_like_markdown_or_html_stay_text():
    at = _upload(_open(), "x.csv", b"step,users\n<b>visit</b>,100\n*buy* [x](y),40\n")
    assert not at.exception
    callout = next(md.value for md in at.markdown if "Biggest drop" in md.value)
    assert "\\<b\\>" in callout and "\\*buy\\*" in callout


def test_a_local_path_outside_the_allowed_folders_is_refused(monkeypatch, tmp_path):
    monkeypatch.setenv("CJM_FUNNEL_PATHS", str(tmp_path))
    at = _open()
    at.radio(key="funnel.source").set_value("path").run()
    at.text_input(key="funnel.path").input(str(SAMPLES / "shop_funnel_en.csv"))
    at.button(key="funnel.path_load").click().run()
    assert not at.exception
    assert any("outside the folders" in e.value for e in at.error)
    ok = tmp_path / "f.csv"
    ok.write_bytes((SAMPLES / "shop_funnel_en.csv").read_bytes())
    at.text_input(key="funnel.path").input(str(ok))
    at.button(key="funnel.path_load").click().run()
    assert not at.error and _metric(at, "Entered (step 1)") == "10,500"


def test_a_rising_count_is_flagged_on_the_page():
    at = _upload(_open(), "rise.csv", b"step,users\nvisit,100\ncart,120\nbuy,10\n")
    assert any("rises" in w.value for w in at.warning)


def test_steps_mapped_to_touchpoints_are_saved_onto_the_journey_map():
    at = _upload(_open(map_id=SHOP), "shop_funnel_en.csv")
    assert not at.exception
    assert _picker(at, "view_product").value == "view-product"
    assert _picker(at, "checkout").value == "checkout"
    at.button(key="funnel.save").click().run()
    assert not at.exception and at.success, [e.value for e in at.error]
    from cjm.store import get_store

    G = get_store().load(SHOP).graph
    assert G.nodes["view-product"]["users"] == 10500
    assert G.nodes["checkout"]["users"] == 2200
    assert G.edges["add-to-cart", "checkout"]["users"] == 2200
    assert G.edges["payment", "order-confirmed"]["users"] == 1345


def test_pain_meets_drop_off_on_the_shop_map():
    at = _upload(_open(map_id=SHOP), "shop_funnel_en.csv")
    tables = [d for d in at.dataframe if "Touchpoint" in d.value.columns]
    assert tables, "no pain x drop-off table"
    assert "Оформление заказа: обязательная регистрация" in tables[0].value.iloc[:, 0].tolist()


def test_the_page_speaks_russian():
    at = _upload(_open(map_id=SHOP, lang="ru"), "shop_funnel_ru.csv")
    assert not at.exception
    assert at.title[0].value.startswith("Воронка")
    # Russian numbers: a no-break space before %, narrow no-break spaces between thousands (cjm.text)
    assert _metric(at, "Самый большой провал") == "66\u00a0%"
    assert _metric(at, "Вошли (шаг 1)") == "18\u202f500"
    # ... in the funnel chart, the step table and the pain threshold too
    funnel = json.loads(at.get("plotly_chart")[0].proto.spec)["data"][0]
    assert funnel["text"][0] == "18\u202f500<br>100\u00a0%"
    table = next(df.value for df in at.dataframe if "Людей" in df.value.columns)
    assert table["Людей"].iloc[0] == "18\u202f500"
    assert "30\u00a0%" in at.select_slider(key="funnel.pain_threshold").options


def test_the_journey_map_shows_the_saved_counts():
    at = _upload(_open(map_id=SHOP), "shop_funnel_en.csv")
    at.button(key="funnel.save").click().run()
    assert at.success
    at.switch_page("pages/journey_map.py").run()
    assert not at.exception
    spec = at.get("plotly_chart")[0].proto.spec
    assert "10,500" in spec or "10 500" in spec or "10\\u00a0500" in spec or "10\\u202f500" in spec


def test_a_broken_file_is_explained_in_russian_with_its_line_and_column():
    at = _upload(_open(lang="ru"), "bad.csv", b"step,users\nvisit,100\nbuy,lots\n")
    assert not at.exception
    assert any(
        plain(e.value) == "bad.csv, строка 3, столбец «users»: «lots» — не целое число людей" for e in at.error
    ), [e.value for e in at.error]


def _sample(at: AppTest, name: str = "shop_events.csv") -> AppTest:
    at.radio(key="funnel.source").set_value("sample").run()
    at.selectbox(key="funnel.sample").set_value(name).run()
    return at


def test_the_event_log_funnel_survives_reruns_with_the_same_and_with_changed_settings():
    at = _upload(_open(map_id=SHOP), "shop_events.csv")
    assert not at.exception
    completed = _metric(at, "Completed (last step)")
    at.run()  # the very same settings again: the counted funnel is reused
    assert not at.exception and _metric(at, "Completed (last step)") == completed
    at.radio(key="funnel.mode").set_value("strict").run()
    assert not at.exception
    at.radio(key="funnel.mode").set_value("ordered").run()  # back to a funnel counted before
    assert not at.exception, [e.value for e in at.exception]
    assert _metric(at, "Completed (last step)") == completed
    at.select_slider(key="funnel.pain_threshold").set_value(0.5).run()
    assert not at.exception
    dropped = next(s for s in at.selectbox if s.key and s.key.startswith("funnel.dropped_step."))
    dropped.set_value(3).run()
    assert not at.exception
    at.button(key="funnel.save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.success, [e.value for e in at.error]
    from cjm.store import get_store

    G = get_store().load(SHOP).graph
    assert G.nodes["view-product"]["users"] == 4274
    assert _metric(at, "Completed (last step)") == completed


def test_a_second_session_on_the_same_log_reuses_the_counted_funnel_without_an_error():
    first = _sample(_open())
    assert not first.exception
    second = _sample(_open())
    assert not second.exception, [e.value for e in second.exception]
    assert _metric(second, "Entered (step 1)") == _metric(first, "Entered (step 1)") == "4,800"
    third = _upload(_open(), "shop_events.csv")
    fourth = _upload(_open(), "shop_events.csv")  # the same upload in another session
    assert not third.exception and not fourth.exception
    assert _metric(fourth, "Completed (last step)") == _metric(third, "Completed (last step)")


def test_after_the_first_look_at_an_event_log_other_questions_read_no_file(monkeypatch):
    from cjm.funnel import table

    table._MEMORY.clear()  # a log this process has not seen: read and stored in this test's data folder
    at = _upload(_open(), "shop_events.csv")
    assert not at.exception and not at.error

    def refuse(*_a, **_kw):
        raise AssertionError("the event log was read again")

    monkeypatch.setattr(table, "read_table", refuse)
    table.wait_for_writes()
    table._MEMORY.clear()  # as after a restart: only the stored copy is left
    at.radio(key="funnel.mode").set_value("any").run()
    assert not at.exception, [e.value for e in at.exception]
    at.number_input(key="funnel.window").set_value(2).run()
    by = next(s for s in at.selectbox if s.key and s.key.startswith("funnel.by."))
    by.set_value("device").run()
    assert not at.exception and not at.error, [e.value for e in at.exception]
    assert not at.get("progress")  # nothing to show: no first read
    other = _upload(_open(), "shop_events.csv")  # another session, the same log
    assert not other.exception and _metric(other, "Entered (step 1)") == "4,800"


def test_a_funnel_that_does_not_start_with_the_most_common_first_event_says_so():
    at = _upload(_open(), "shop_events.csv")
    assert not any("begin with" in c.value for c in at.caption)
    steps = next(m for m in at.multiselect if m.key and m.key.startswith("funnel.steps."))
    steps.set_value(["view_product", "add_to_cart"]).run()
    assert not at.exception
    said = [c.value for c in at.caption if "begin with" in c.value]
    assert said and "4,800 of 4,800 people begin with “page\\_view”" in said[0], said
    assert _metric(at, "Entered (step 1)") == "4,274"


def test_reading_files_on_the_server_is_off_until_cjm_funnel_paths_names_folders(monkeypatch):
    monkeypatch.delenv("CJM_FUNNEL_PATHS", raising=False)
    at = _open()
    at.radio(key="funnel.source").set_value("path").run()
    assert not at.exception
    assert any("CJM_FUNNEL_PATHS" in i.value and "off" in i.value for i in at.info)
    assert not [t for t in at.text_input if t.key == "funnel.path"]  # nothing to type a path into
    ru = _open(lang="ru")
    ru.radio(key="funnel.source").set_value("path").run()
    assert any("выключено" in i.value for i in ru.info)


@pytest.mark.parametrize(
    "name,kind,entered",
    [
        ("ga4_data_api_funnel.csv", "GA4", "12,450"),
        ("ga4_bigquery_events.csv", "event log", "60"),
        ("metrica_logs_hits.tsv", "event log", "50"),
        ("metrica_logs_visits.tsv", "event log", "50"),
    ],
)
def test_each_analytics_export_sample_uploads_and_gives_a_funnel(name, kind, entered):
    at = _upload(_open(), name)
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert any(kind in md.value for md in at.markdown), [md.value for md in at.markdown][:3]
    assert _metric(at, "Entered (step 1)") == entered


def test_a_bigquery_export_says_people_are_counted_by_their_pseudo_id():
    at = _upload(_open(), "ga4_bigquery_events.csv")
    assert any("counted by “user_pseudo_id”" in c.value.replace("\\", "") for c in at.caption)


def test_step_matches_are_previewed_with_a_confidence_and_only_sure_ones_are_pre_selected():
    at = _upload(_open(map_id=SHOP), "metrica_funnel_export.csv")
    assert not at.exception
    preview = next(d.value for d in at.dataframe if "Suggested touchpoint" in d.value.columns)
    row = preview.set_index("Step").loc["Главная страница"]
    assert row["Suggested touchpoint"] == "Страница отзывов" and row["Match"].startswith("a guess")
    # a guess is shown, never pre-selected: the pain × drop-off table cannot blame the wrong touchpoint
    assert _picker(at, "Главная страница").value is None
    assert _picker(at, "Карточка товара").value is None
    assert _picker(at, "Корзина").value == "add-to-cart"
    assert preview.set_index("Step").loc["Корзина", "Match"].startswith("sure")


def test_another_files_funnel_starts_from_its_own_suggestions_not_the_last_files_picks():
    # The analyst bound "purchase" for one GA4 export; the next export (other steps) shows its own
    # suggestion, and the page uses what the picker shows (a kept pick would move to another column,
    # be drawn with its default there and still be saved).
    at = _upload(_open(map_id=SHOP), "ga4_data_api_funnel.csv")
    _picker(at, "purchase").set_value("order-confirmed").run()
    assert _picker(at, "purchase").value == "order-confirmed"
    at = _upload(at, "ga4_funnel_export.csv")
    assert not at.exception
    assert _picker(at, "purchase").value is None
    assert not any("Заказ подтверждён" in c.value for c in at.caption)  # no missing transition to it


def test_saving_a_second_funnel_replaces_the_first_ones_counts_and_records_its_source():
    from cjm.store import get_store

    at = _upload(_open(map_id=SHOP), "shop_funnel_en.csv")
    at.button(key="funnel.save").click().run()
    assert at.success, [e.value for e in at.error]
    G = get_store().load(SHOP).graph
    assert G.graph["counts_source"]["source"] == "shop_funnel_en.csv"
    assert G.graph["counts_source"]["saved_at"][:4].isdigit()
    assert G.nodes["payment"]["users"] == 1440
    # a second funnel that reaches only two of those touchpoints
    data = b"step,users\nview_product,900\nadd_to_cart,300\n"
    at = _upload(_open(map_id=SHOP), "small.csv", data)
    assert any("came from “shop_funnel_en.csv”" in c.value.replace("\\", "") for c in at.caption)
    assert any("replaces the counts of the earlier funnel" in c.value for c in at.caption)
    at.button(key="funnel.save").click().run()
    assert at.success and "cleared" in at.success[0].value
    G = get_store().load(SHOP).graph
    assert (G.nodes["view-product"]["users"], G.nodes["add-to-cart"]["users"]) == (900, 300)
    assert G.nodes["payment"]["users"] is None  # the first funnel's count, not left behind
    assert G.edges["social-ad", "view-product"]["users"] == 5200  # typed on the sample map: kept
    assert G.graph["counts_source"]["source"] == "small.csv"


def test_on_request_saving_clears_every_other_count_on_the_map():
    from cjm.store import get_store

    at = _upload(_open(map_id=SHOP), "small.csv", b"step,users\nview_product,900\nadd_to_cart,300\n")
    at.checkbox(key="funnel.clear_others").check().run()
    at.button(key="funnel.save").click().run()
    assert at.success, [e.value for e in at.error]
    G = get_store().load(SHOP).graph
    assert G.edges["social-ad", "view-product"]["users"] is None
    assert G.nodes["add-to-cart"]["users"] == 300 and G.edges["add-to-cart", "checkout"]["users"] is None


def test_the_apps_own_database_typed_as_a_path_is_refused_and_the_library_still_works(monkeypatch, fresh_data_dir):
    monkeypatch.setenv("CJM_FUNNEL_PATHS", str(fresh_data_dir.parent))
    from cjm.store import get_store

    at = _open()
    assert len(get_store().list_maps()) == 7  # the server's store, open and seeded
    db = fresh_data_dir / "cjm.db"
    assert db.is_file()
    at.radio(key="funnel.source").set_value("path").run()
    at.text_input(key="funnel.path").input(str(db))
    at.button(key="funnel.path_load").click().run()
    assert not at.exception
    assert any("own data folder or database" in e.value for e in at.error), [e.value for e in at.error]
    at.switch_page("pages/library.py").run()
    assert not at.exception and not at.error
    assert len(get_store().list_maps()) == 7
    G = get_store().load(SHOP).graph  # and a save still goes through
    G.graph["title"] = "Still writable"
    get_store().save(G, expected_version=get_store().load(SHOP).version, author="test")
    assert get_store().load(SHOP).graph.graph["title"] == "Still writable"
