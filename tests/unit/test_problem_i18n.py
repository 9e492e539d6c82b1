"""Problems (validation and import errors) are shown in the interface language (issue #2)."""

import re
import string

import networkx as nx
import pytest

from cjm import schema
from cjm.editing import describe_problem
from cjm.errors import (
    PLACE_KINDS,
    ConflictError,
    FileFormatError,
    MapNotFoundError,
    Place,
    Problem,
    ValidationError,
    ValueProblem,
)
from cjm.i18n import catalog_problems, error_text, place_text, problem_line, problem_text
from cjm.io.tables import read_map_file, read_map_table
from cjm.validation import coerce_value, validate_map

FIELDS = {f.name: f for f in schema.TOUCHPOINT_FIELDS}


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _problems_of(text: str, **kwargs) -> list[Problem]:
    with pytest.raises(ValidationError) as info:
        read_map_table(text.encode("utf-8"), filename="bad.csv", **kwargs)
    return info.value.problems


def test_every_problem_text_exists_in_english_and_russian_with_the_same_placeholders():
    assert set(catalog_problems.EN) == set(catalog_problems.RU)
    for key, en in catalog_problems.EN.items():
        ru = catalog_problems.RU[key]
        # Russian never asks for a value English lacks (but "scales_list", the scales without an English "or")
        assert _placeholders(ru) - {"scales_list"} <= _placeholders(en), key
        if key.startswith("problem.") and not key.startswith(("problem.loc.", "problem.part", "problem.line")):
            assert ru != en, f"{key} is not translated"


@pytest.mark.parametrize(
    ("field", "value", "old_message"),
    [
        ("emotion", "7", "7 is outside -2 … 2"),
        ("emotion", "abc", "'abc' is not a number"),
        ("importance", "2.5", "'2.5' is not a whole number"),
        ("users", "-3", "-3 is outside at least 0"),
        ("channel", "pigeon", "'pigeon' is not one of: " + ", ".join(schema.CHANNELS)),
        ("key_touchpoint", "maybe", "'maybe' is not yes/no"),
        ("time_of_day", "25:00", "'25:00' is not a time of day (HH:MM)"),
        ("deadline", "tomorrow", "'tomorrow' is not a date (YYYY-MM-DD)"),
        ("name", "", "is required"),
        (
            "name",
            "x" * (schema.NAME_MAX + 5),
            f"is {schema.NAME_MAX + 5} characters long; the limit is {schema.NAME_MAX}",
        ),
    ],
)
def test_a_bad_value_keeps_its_english_message_and_gets_a_russian_one(field, value, old_message):
    with pytest.raises(ValueProblem) as info:
        coerce_value(FIELDS[field], value)
    exc = info.value
    assert isinstance(exc, ValueError) and str(exc) == old_message
    problem = Problem(Place("touchpoint", {"id": "tp-1"}), field, str(exc), exc.code, exc.params)
    assert problem_text(problem, "en") == old_message
    assert problem_line(problem, "en") == str(problem) == f"touchpoint 'tp-1', field '{field}': {old_message}"
    ru = problem_text(problem, "ru")
    assert ru and ru != old_message and re.search("[а-яё]", ru)


def test_a_russian_out_of_range_emotion_names_the_field_and_the_range():
    problems = _problems_of("name,stage,emotion\nA,awareness,9\n")
    assert [str(p) for p in problems] == ["line 2, field 'emotion': 9 is outside -2 … 2"]
    line = problem_line(problems[0], "ru")
    assert line == "строка 2, поле «Эмоция»: 9 — вне диапазона -2 … 2"


def test_every_common_import_problem_has_a_code_and_reads_the_same_in_english():
    text = (
        "id,name,stage,emotion,next,colour\n"
        "tp-1,A,awareness,9,tp-9,\n"
        "tp-1,B,awareness,1,,\n"
        "tp-3,C,nowhere,x,tp-1 (many),\n"
        'tp-4,D,purchase,1,"tp-1,\n'
    )
    problems = _problems_of(text)
    assert len(problems) >= 5
    for p in problems:
        assert p.code, f"no code: {p}"
        assert problem_text(p, "en") == p.message
        assert problem_line(p, "en") == str(p)
        assert re.search("[а-яё]", problem_line(p, "ru")), problem_line(p, "ru")
    ru = "\n".join(problem_line(p, "ru") for p in problems)
    assert "строка 1, поле «colour»: неизвестный столбец" in ru
    assert "id 'tp-1' повторяется (впервые: строка 2)" in ru
    assert "в файле нет точки контакта 'tp-9'" in ru
    assert "неизвестный этап 'nowhere'" in ru
    assert "пользователи: 'many' — не число" in ru


def test_a_missing_required_column_is_translated():
    problems = _problems_of("stage,emotion\nawareness,1\n")
    assert any(p.code == "required_column" for p in problems)
    assert "нет обязательного столбца" in "\n".join(problem_line(p, "ru") for p in problems)


def test_map_level_problems_are_translated_and_keep_english_messages():
    G = nx.DiGraph(id="m", title="", map_type="nonsense", stages=[{"id": "s", "name": "S", "phase": "purchase"}])
    G.add_node("a", name="A", stage="s", emotion=5)
    G.add_edge("a", "a", users="many")
    with pytest.raises(ValidationError) as info:
        validate_map(G)
    problems = info.value.problems
    en = [problem_line(p, "en") for p in problems]
    assert en == [str(p) for p in problems]
    ru = "\n".join(problem_line(p, "ru") for p in problems)
    assert "карта, поле «title»: обязательно для заполнения" in ru
    assert "точка контакта 'a', поле «Эмоция»: 5 — вне диапазона -2 … 2" in ru
    assert "переход 'a' → 'a', поле «users»: 'many' — не число" in ru


def test_places_are_data_rendered_in_either_language_with_ids_kept():
    cases = [
        (Place("touchpoint", {"id": "tp-1"}), "touchpoint 'tp-1'", "точка контакта 'tp-1'"),
        (Place("line", {"n": 5}), "line 5", "строка 5"),
        (
            Place("sheet_row", {"sheet": "touchpoints", "n": 4}),
            "sheet 'touchpoints', row 4",
            "лист 'touchpoints', строка 4",
        ),
        (Place("stage", {"n": 2}), "stage 2", "этап 2"),
        (Place("transition", {"source": "a", "target": "b"}), "transition 'a' → 'b'", "переход 'a' → 'b'"),
        (Place("map"), "map", "карта"),
        (Place("persona"), "persona", "персона"),
    ]
    for place, en, ru in cases:
        assert (str(place), place_text(place, "en"), place_text(place, "ru")) == (en, en, ru)


def test_every_kind_of_place_has_a_text_in_both_languages_with_exactly_its_params():
    for kind, names in PLACE_KINDS.items():
        for lang, cat in (("en", catalog_problems.EN), ("ru", catalog_problems.RU)):
            assert _placeholders(cat[f"problem.loc.{kind}"]) == set(names), (lang, kind)


def test_a_place_of_an_unknown_kind_or_with_wrong_params_is_refused():
    with pytest.raises(ValueError, match="unknown kind"):
        Place("somewhere new")
    with pytest.raises(ValueError, match="takes"):
        Place("line", {"row": 5})
    with pytest.raises(TypeError):
        Problem("line 5", None, "text as a place")


def test_a_hostile_id_in_a_place_is_quoted_not_parsed():
    place = Place("touchpoint", {"id": "x', field 'emotion"})
    assert place_text(place, "ru") == "точка контакта \"x', field 'emotion\""
    assert Place("touchpoint", {"id": "a"}) != Place("touchpoint", {"id": "b"})


def test_a_problem_without_a_code_or_with_unfit_params_shows_its_english_message():
    where = Place("map")
    assert problem_text(Problem(where, None, "legacy text"), "ru") == "legacy text"
    assert problem_text(Problem(where, None, "odd", "no_such_code"), "ru") == "odd"
    assert problem_text(Problem(where, None, "short", "out_of_range", (("value", "3"),)), "ru") == "short"


def test_code_and_params_do_not_change_equality_hashing_or_str():
    plain = Problem(Place("line", {"n": 2}), "emotion", "9 is outside -2 … 2")
    coded = Problem(
        Place("line", {"n": 2}),
        "emotion",
        "9 is outside -2 … 2",
        "out_of_range",
        (("value", "9"), ("lo", "-2"), ("hi", "2")),
    )
    assert plain == coded and hash(plain) == hash(coded) and str(plain) == str(coded)
    assert len({plain, coded}) == 1


def test_the_editor_message_of_a_problem_is_translated():
    p = Problem(
        Place("touchpoint", {"id": "tp-1"}),
        "emotion",
        "7 is outside -2 … 2",
        "out_of_range",
        (("value", "7"), ("lo", "-2"), ("hi", "2")),
    )
    assert describe_problem(p, None, "ru").endswith("Эмоция: 7 — вне диапазона -2 … 2")
    assert describe_problem(p, None, "en").endswith("7 is outside -2 … 2")
    assert "этап 2" in describe_problem(Problem(Place("stage", {"n": 2}), "id", "is required", "required"), None, "ru")


@pytest.mark.parametrize(
    ("data", "filename", "ru_part"),
    [
        (b"", "a.csv", "файл пустой"),
        (b"\x00\x01\x02\x03" * 50, "a.csv", "двоичные данные"),
        (b'{"nodes": []}', "a.csv", "похоже на JSON"),
        (b"name,stage\n", "old.xlsx", "старая книга Excel"),
        (b"name,stage\nA,awareness\n", "a.xlsx", "не книга XLSX"),
        (b"x", "a.pdf", "неизвестный тип файла '.pdf'"),
        (b"   ", "m.json", "m.json: файл пустой"),
        (b"{oops", "m.json", "m.json, строка 1, столбец 2: некорректный JSON"),
        (b"[1, 2]", "m.json", "файл карты должен содержать объект JSON"),
        (b'{"cjm_format": 99, "nodes": []}', "m.json", "версия формата 99 не поддерживается"),
    ],
)
def test_an_unreadable_file_keeps_its_english_message_and_gets_a_russian_one(data, filename, ru_part):
    if filename == "old.xlsx":
        data = b"\xd0\xcf\x11\xe0" + data
    with pytest.raises(FileFormatError) as info:
        read_map_file(data, filename=filename)
    exc = info.value
    assert exc.code, f"no code: {exc}"
    assert error_text(exc, "en") == str(exc)
    assert ru_part in error_text(exc, "ru"), error_text(exc, "ru")


def test_an_error_without_a_code_shows_its_message():
    assert error_text(FileFormatError("something odd", source="x.csv"), "ru") == "x.csv: something odd"
    assert error_text(ValueError("plain"), "ru") == "plain"


def test_editor_and_audit_problems_are_translated_and_keep_english_messages():
    from cjm import audit, editing, model

    G = model.new_map("demo", map_id="demo")
    model.add_touchpoint(G, "Ad", "awareness")
    cases = [
        (
            lambda: editing.quick_add(G, "  ", kind="touchpoint"),
            "быстрое добавление, поле «text»: сначала введите текст",
        ),
        (lambda: editing.cast_vote(G, "tp-1", "", 1), "поле «Голоса»"),
        (lambda: editing.delete_comment(G, "tp-1", 4), "нет комментария 5"),
        (
            lambda: editing.apply_touchpoint_edits(G, editing.RowEdits({"tp-7": {"emotion": 1}})),
            "такой точки контакта нет",
        ),
        (lambda: audit.apply_audit_edits(G, {"tp-1": {"score": "nine"}}), "'nine' — не число"),
    ]
    for action, ru_part in cases:
        with pytest.raises(ValidationError) as info:
            action()
        problems = info.value.problems
        assert all(p.code for p in problems), problems
        assert [problem_line(p, "en") for p in problems] == [str(p) for p in problems]
        assert ru_part in "\n".join(problem_line(p, "ru") for p in problems)


def test_save_conflicts_and_missing_maps_are_translated():
    conflict = ConflictError("demo", 3, 5)
    assert error_text(conflict, "en") == str(conflict)
    assert (
        error_text(conflict, "ru") == "карта 'demo' тем временем изменилась: вы правили версию 3, последняя — версия 5"
    )
    missing = MapNotFoundError("no map 'x'", "no_map", id="'x'")
    assert (error_text(missing, "en"), error_text(missing, "ru")) == ("no map 'x'", "нет карты 'x'")
    assert error_text(MapNotFoundError("gone"), "ru") == "gone"


def test_a_funnel_input_error_is_a_file_error_with_source_line_and_column():
    from cjm.funnel.errors import FunnelValueError

    exc = FunnelValueError(
        "the count 'x' is negative", line=3, column="users", source="upload", code="count_negative", params={"raw": "x"}
    )
    assert isinstance(exc, FileFormatError) and (exc.source, exc.line, exc.column) == ("upload", 3, "users")
    assert str(exc) == error_text(exc, "en") == "upload, line 3, column 'users': the count 'x' is negative"
    assert error_text(exc, "ru") == "загруженный файл, строка 3, столбец «users»: число людей «x» отрицательное"


def test_errors_are_recognised_by_type_wherever_their_class_is_defined():
    class ElsewhereError(FileFormatError):
        catalog = "problem.funnel"

    exc = ElsewhereError("the file has no header row", "no_header", source="x.csv", line=1)
    assert ElsewhereError.__module__ != "cjm.funnel.errors"
    assert error_text(exc, "ru") == "x.csv, строка 1: в файле нет строки заголовков"


# ---- numbers in messages are written per language at rendering (issue 17) ---------------------------


def test_limit_errors_group_digits_as_the_page_language_does():
    from cjm.io.tables import _cell_too_long, _too_many_columns
    from cjm.validation import _too_many

    wide = _too_many_columns("a.csv", 16384, 1000, line=1)
    assert error_text(wide, "en") == "a.csv, line 1: 16,384 columns; the limit is 1,000"
    assert "16\u202f384" in error_text(wide, "ru") and "1\u202f000" in error_text(wide, "ru")
    long = _cell_too_long("b.xlsx", 131072, sheet="s", row=1234)
    assert "row 1,234" in error_text(long, "en") and "131,072" in error_text(long, "en")
    assert "1\u202f234" in error_text(long, "ru") and "131\u202f072" in error_text(long, "ru")
    many = _too_many(Place("map"), None, 2500, 2000, "touchpoints")
    assert problem_text(many, "en") == "has 2,500 touchpoints; the limit is 2,000"
    assert problem_text(many, "ru") == "точек контакта: 2\u202f500, а допустимо не более 2\u202f000"


def test_a_too_large_file_gives_its_size_with_a_decimal_comma_in_russian():
    from cjm.limits import override

    with override(max_file_bytes=2**20), pytest.raises(FileFormatError) as err:
        read_map_table(b"x" * (3 * 2**19), filename="big.csv")
    assert error_text(err.value, "en") == "big.csv: the file is 1.5 MB; the limit is 1 MB"
    assert "1,5" in error_text(err.value, "ru") and "1.5" not in error_text(err.value, "ru")


def test_a_message_that_writes_a_number_plainly_is_still_translated():
    exc = FileFormatError("more than 5000 rows; split the map into smaller files", "too_many_rows", limit=5000)
    assert error_text(exc, "en") == "more than 5000 rows; split the map into smaller files"
    ru = error_text(exc, "ru")
    assert ru != error_text(exc, "en") and "5000" in ru, "the Russian text, the number as the English wrote it"
