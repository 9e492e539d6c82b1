"""The map library through app.py, in both languages."""

import json
from pathlib import Path

import pytest

SAMPLES = sorted((Path(__file__).resolve().parents[2] / "sample_data" / "maps").glob("*.json"))
SAMPLE_TITLES = [json.loads(p.read_text(encoding="utf-8"))["graph"]["title"] for p in SAMPLES]


def _texts(at):
    """Every plain text of the page, without the ▶ that marks the current map."""
    return [t.value.removeprefix("▶ ") for t in at.text]


def _button(at, label):
    return next(b for b in at.button if b.label == label)


def test_the_library_lists_every_sample_map_on_a_fresh_database(make_app):
    at = make_app()
    assert not at.exception
    assert at.title[0].value == "Map library"
    texts = _texts(at)
    assert len(SAMPLE_TITLES) == 7
    for title in SAMPLE_TITLES:
        assert title in texts


def test_the_library_speaks_russian_when_asked(make_app):
    at = make_app(lang="ru")
    assert not at.exception
    assert at.title[0].value == "Библиотека карт"
    assert "Текущее состояние" in _texts(at)
    assert any(b.label == "Открыть" for b in at.button)


def test_opening_a_map_makes_it_current_and_puts_it_in_the_url(make_app):
    at = make_app()
    at.button(key="library.open.airline-current").click().run()
    assert not at.exception
    assert at.query_params["map"] == ["airline-current"] or at.query_params["map"] == "airline-current"
    assert at.session_state["app.map_id"] == "airline-current"
    assert any("Selected map:" in s.value for s in at.subheader)


def test_a_link_with_a_map_opens_it(make_app):
    at = make_app(map_id="shop-current")
    assert not at.exception
    assert at.session_state["app.map_id"] == "shop-current"


def test_creating_a_map_from_a_template_stores_it_and_makes_it_current(make_app):
    at = make_app()
    at.text_input(key="library.new_title").input("Coffee shop")
    at.selectbox(key="library.new_template").set_value("day")
    _button(at, "Create map").click().run()
    assert not at.exception
    assert "Coffee shop" in _texts(at)
    assert at.success[0].value.startswith("Created “Coffee shop”")
    from cjm.store import get_store

    stored = get_store().load(at.session_state["app.map_id"])
    assert [s["id"] for s in stored.graph.graph["stages"]] == ["morning", "daytime", "evening"]


def test_a_map_without_a_title_is_not_created(make_app):
    at = make_app()
    _button(at, "Create map").click().run()
    assert at.error and "title" in at.error[0].value
    assert len([b for b in at.button if b.key and b.key.startswith("library.open.")]) == len(SAMPLE_TITLES)


def test_renaming_the_current_map_makes_a_new_version(make_app):
    at = make_app(map_id="airline-current")
    field = next(w for w in at.text_input if w.label == "Title" and w.value and w.key != "library.new_title")
    field.input("Airline — renamed")
    _button(at, "Rename").click().run()
    assert not at.exception
    assert "Airline — renamed" in _texts(at)
    from cjm.store import get_store

    assert get_store().load("airline-current").version == 2


def test_deleting_needs_a_confirmation(make_app):
    at = make_app(map_id="airline-day")
    delete = at.button(key="library.delete_button.airline-day")
    assert delete.disabled
    at.checkbox(key="library.delete_confirm.airline-day").check().run()
    at.button(key="library.delete_button.airline-day").click().run()
    assert not at.exception
    from cjm.store import get_store

    assert "airline-day" not in [m.map_id for m in get_store().list_maps()]


def test_a_malformed_import_shows_every_problem_and_changes_nothing(make_app):
    at = make_app()
    before = len(at.button)
    bad = "name;stage;emotion\nСайт;consideration;7\n;purchase;1\n".encode("cp1251")
    at.file_uploader(key="library.upload").upload("bad.csv", bad, "text/csv").run()
    assert not at.exception
    message = at.error[0].value
    assert "emotion" in message and "line 2" in message and "line 3" in message
    from cjm.store import get_store

    assert len(get_store().list_maps()) == len(SAMPLE_TITLES)
    assert len(at.button) == before


def test_a_cp1251_semicolon_csv_with_cyrillic_names_imports(make_app):
    at = make_app(lang="ru")
    good = "Точка контакта;Этап;Эмоция\nРеклама в соцсети;awareness;0,5\nОплата;purchase;-1,5\n".encode("cp1251")
    at.file_uploader(key="library.upload").upload("магазин.csv", good, "text/csv").run()
    assert not at.exception, at.exception
    from cjm.store import get_store

    stored = get_store().load(at.session_state["app.map_id"])
    assert sorted(d["name"] for _, d in stored.graph.nodes(data=True)) == ["Оплата", "Реклама в соцсети"]
    assert stored.graph.nodes["tp-2"]["emotion"] == -1.5


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_version_history_and_downloads_render(make_app, lang):
    at = make_app(lang=lang, map_id="shop-current")
    assert not at.exception
    assert len(at.dataframe) >= 1
