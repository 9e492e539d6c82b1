"""Hostile and careless map files (issue 18): every file named there gets a clear ``CJMError`` naming
the place, or a valid map, never a traceback, a hang or a process-wide side effect; limits are the
same for JSON, CSV and XLSX."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile

import pytest

from cjm import model
from cjm.errors import CJMError, FileFormatError, ValidationError
from cjm.i18n import error_text, problem_text
from cjm.io import jsonio
from cjm.io.tables import read_map_file, read_map_table, write_map_xlsx
from cjm.limits import limits, override
from cjm.validation import validate_map


def small_map():
    G = model.new_map("Demo", map_id="demo")
    a = model.add_touchpoint(G, "See an ad", "awareness", emotion=1.0)
    b = model.add_touchpoint(G, "Pay", "purchase")
    model.add_transition(G, a, b, users=3)
    return G


def node_link(change=None) -> dict:
    data = json.loads(jsonio.dumps(small_map()))
    if change:
        change(data)
    return data


def refused(text: str | bytes, filename: str = "map.json") -> CJMError:
    with pytest.raises(CJMError) as info:
        read_map_file(text.encode() if isinstance(text, str) else text, filename=filename)
    return info.value


def problems_of(exc: CJMError) -> list[str]:
    assert isinstance(exc, ValidationError), exc
    return [str(p) for p in exc.problems]


# --- JSON ----------------------------------------------------------------------------------------


def test_deeply_nested_json_is_refused_as_too_deep_not_a_recursion_error():
    exc = refused("[" * 100_000 + "]" * 100_000)
    assert isinstance(exc, FileFormatError) and exc.code == "too_deep"
    assert "nested more than 32 deep" in str(exc)
    assert "вложены глубже 32" in error_text(exc, "ru")


def test_a_deeply_nested_value_inside_a_touchpoint_is_refused_too():
    data = node_link(lambda d: d["nodes"][0].__setitem__("extra", json.loads("[" * 200 + "]" * 200)))
    assert refused(json.dumps(data)).code == "too_deep"


@pytest.mark.parametrize(
    ("where", "field"),
    [
        (lambda d: d["nodes"][0], "emotion"),
        (lambda d: d["nodes"][0], "order"),
        (lambda d: d["nodes"][0], "importance"),
        (lambda d: d["edges"][0], "users"),
    ],
)
def test_a_5000_digit_integer_is_a_problem_of_its_field(where, field):
    data = node_link(lambda d: where(d).__setitem__(field, 0))
    text = json.dumps(data).replace(f'"{field}": 0', f'"{field}": ' + "9" * 5000)
    problems = problems_of(refused(text))
    assert len(problems) == 1 and f"field '{field}'" in problems[0]
    assert len(problems[0]) < 300  # the value is quoted short, not 5,000 digits


def test_a_huge_vote_score_and_float_overflow_are_problems_not_overflow_errors():
    data = node_link(lambda d: d["nodes"][0].__setitem__("votes", [{"participant": "ann", "score": 0}]))
    text = json.dumps(data).replace('"score": 0', '"score": ' + "9" * 5000)
    assert any("vote 1" in p for p in problems_of(refused(text)))
    data = node_link(lambda d: d["edges"][0].__setitem__("users", 0))
    assert "inf is not a number" in problems_of(refused(json.dumps(data).replace('"users": 0', '"users": 1e400')))[0]


def test_huge_python_integers_given_to_validation_are_problems():
    G = small_map()
    G.nodes["tp-1"]["emotion"] = 10**5000
    G.edges["tp-1", "tp-2"]["users"] = 10**400
    with pytest.raises(ValidationError) as info:
        jsonio.from_data(jsonio.to_data(G))
    assert [p.code for p in info.value.problems] == ["number_too_large", "number_too_large"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d.__setitem__("graph", 5), "file, field 'graph': is not a record"),
        (lambda d: d["nodes"][0].__setitem__("comments", 3), "field 'comments': expected a list"),
        (lambda d: d["nodes"][0].__setitem__("comments", [3]), "expected a list of records"),
        (lambda d: d["nodes"][0].__setitem__("votes", ["x"]), "expected a list of records"),
        (lambda d: d["graph"].__setitem__("created_at", {}), "field 'created_at': a record is not a date and time"),
        (lambda d: d["graph"].__setitem__("updated_at", 5), "field 'updated_at': 5 is not a date and time"),
        (lambda d: d["graph"].__setitem__("title", {"a": 1}), "field 'title': expected text, not a record"),
        (lambda d: d["graph"].__setitem__("persona", [1]), "persona: is not a record"),
        (lambda d: d["graph"]["persona"].__setitem__("name", ["x"]), "expected text, not a list"),
        (lambda d: d["graph"].__setitem__("language", [1]), "field 'language': expected text"),
        (lambda d: d["graph"]["stages"][0].__setitem__("name", {"a": 1}), "stage 1, field 'name': expected text"),
        (lambda d: d["nodes"][0].__setitem__("id", {}), "node 1, field 'id': a record is not an id"),
        (lambda d: d["nodes"][0].__setitem__("name", [1, 2]), "field 'name': expected text, not a list"),
        (lambda d: d["nodes"][0].__setitem__("time_of_day", 5), "5 is not a time of day"),
        (lambda d: d["nodes"][0].__setitem__("deadline", {}), "a record is not a date"),
        (lambda d: d["edges"][0].__setitem__("source", [1]), "field 'source': no touchpoint a list"),
        (lambda d: d["edges"][0].__setitem__("label", {"x": 1}), "field 'label': expected text"),
        (
            lambda d: d["nodes"][0].__setitem__("comments", [{"text": "hi", "author": {"a": 1}}]),
            "comment 1, 'author': expected text or a number",
        ),
    ],
)
def test_every_field_of_a_node_link_file_is_type_checked(change, expected):
    exc = refused(json.dumps(node_link(change)))
    assert any(expected in p for p in problems_of(exc)), problems_of(exc)


def test_a_wrong_format_version_of_another_type_is_refused_with_a_short_message():
    exc = refused(json.dumps(node_link(lambda d: d.__setitem__("cjm_format", ["x" * 1000]))))
    assert isinstance(exc, FileFormatError) and exc.code == "format_version" and len(str(exc)) < 200


@pytest.mark.parametrize("field", ["title", "segment"])
@pytest.mark.parametrize("char", ["\x00", "\x07", "\ud800"])
def test_text_a_database_refuses_is_refused_by_validation(field, char):
    exc = refused(json.dumps(node_link(lambda d: d["graph"].__setitem__(field, f"a{char}b"))))
    assert [p.code for p in exc.problems] == ["control_char"]
    assert "cannot be stored" in str(exc)
    assert "нельзя сохранить" in problem_text(exc.problems[0], "ru")


def test_control_characters_are_refused_in_touchpoints_persona_stages_and_comments():
    def change(d):
        d["nodes"][0]["task"] = "call \x00 back"
        d["graph"]["persona"]["name"] = "Ann\x1b"
        d["graph"]["stages"][0]["name"] = "Aw\x0bare"
        d["nodes"][1]["comments"] = [{"author": "bob\x00", "text": "hi", "time": ""}]
        d["edges"][0]["label"] = "go\x08"

    problems = problems_of(refused(json.dumps(node_link(change))))
    assert len(problems) == 5 and all("cannot be stored" in p for p in problems)


def test_tab_and_line_breaks_stay_allowed_in_text():
    G = jsonio.loads(json.dumps(node_link(lambda d: d["nodes"][0].__setitem__("thought", "a\tb\r\nc"))))
    assert G.nodes["tp-1"]["thought"] == "a\tb\r\nc"


def test_a_map_id_longer_than_the_database_column_is_refused_by_validate():
    exc = refused(json.dumps(node_link(lambda d: d["graph"].__setitem__("id", "x" * 256))))
    assert problems_of(exc) == ["map, field 'id': is longer than 255 characters"]
    G = jsonio.loads(json.dumps(node_link(lambda d: d["graph"].__setitem__("id", "x" * 255))))
    assert len(G.graph["id"]) == 255


def test_json_has_the_same_touchpoint_cap_as_csv_and_xlsx():
    G = model.new_map("Many", map_id="many")
    for i in range(6):
        G.add_node(f"n{i}", name=f"t{i}", stage="awareness")
    text = jsonio.dumps(G)
    csv_text = "name,stage\n" + "t,awareness\n" * 6
    with override(max_touchpoints=5):
        exc = refused(text)
        assert problems_of(exc) == ["map: has 6 touchpoints; the limit is 5"]
        assert "точек контакта: 6" in problem_text(exc.problems[0], "ru")
        assert refused(csv_text, "m.csv").code == "too_many_rows"
        with pytest.raises(ValidationError, match="has 6 touchpoints"):
            validate_map(G)  # the editor and the store: the same cap
    assert limits().max_touchpoints == 10_000


def test_a_20000_touchpoint_json_is_refused_over_the_cap_only_when_it_is_over():
    nodes = [{"id": f"n{i}", "name": f"t{i}", "stage": "awareness"} for i in range(10_001)]
    data = node_link(lambda d: d.update(nodes=nodes, edges=[]))
    exc = refused(json.dumps(data))
    assert problems_of(exc) == ["map: has 10,001 touchpoints; the limit is 10,000"]


def test_limits_come_from_environment_variables(monkeypatch):
    from cjm import limits as limits_module

    monkeypatch.setenv("CJM_MAX_TOUCHPOINTS", "20_000")
    limits_module.reset()
    try:
        assert limits().max_touchpoints == 20_000
        monkeypatch.setenv("CJM_MAX_TOUCHPOINTS", "many")
        limits_module.reset()
        with pytest.raises(ValueError, match="CJM_MAX_TOUCHPOINTS"):
            limits()
    finally:
        monkeypatch.delenv("CJM_MAX_TOUCHPOINTS")
        limits_module.reset()
    assert limits().max_touchpoints == 10_000


# --- CSV -----------------------------------------------------------------------------------------


def test_a_csv_cell_over_128_kb_is_a_clear_error_and_the_process_csv_limit_is_unchanged():
    before = csv.field_size_limit()
    text = "name,stage,thought\nA,awareness," + "x" * 200_000 + "\n"
    exc = refused(text, "big.csv")
    assert isinstance(exc, FileFormatError) and exc.code == "cell_too_long"
    assert str(exc) == "big.csv, line 2: a cell is longer than 131,072 characters"
    assert error_text(exc, "ru") == "big.csv, строка 2: ячейка длиннее 131\u202f072 символов"
    assert csv.field_size_limit() == before == 131_072


def test_reading_a_table_never_changes_the_process_wide_csv_limit():
    before = csv.field_size_limit()
    read_map_table("name,stage\nA,awareness\n", filename="a.csv")
    read_map_table('name,stage,comments\nA,awareness,"[{""text"": ""hi""}]"\n', filename="a.csv")
    assert csv.field_size_limit() == before


def test_a_csv_with_too_many_columns_is_refused():
    with override(max_columns=10):
        exc = refused("name,stage" + ",x" * 20 + "\n", "wide.csv")
    assert exc.code == "too_many_columns" and str(exc) == "wide.csv, line 1: 22 columns; the limit is 10"


def test_huge_numbers_and_hostile_json_cells_in_a_csv_are_problems_of_their_line():
    text = (
        "name,stage,emotion,users,comments\n"
        f"A,awareness,{'9' * 5000},1,\n"
        f"B,purchase,1,{'9' * 4000},\n"
        f'C,purchase,1,1,"{"[" * 5000}"\n'
        f'D,purchase,1,1,"[{"9" * 5000}]"\n'
    )
    problems = problems_of(refused(text, "n.csv"))
    assert [p.split(",")[0] for p in problems] == ["line 2", "line 3", "line 4", "line 5"]
    assert "nested more than 32 deep" in problems[2]


def test_control_characters_in_a_csv_cell_are_refused_with_their_line():
    problems = problems_of(refused("name,stage,task\nA,awareness,ring\x07\n", "c.csv"))
    assert problems == ["line 2, field 'task': holds a character that cannot be stored (U+0007) at position 5"]


# --- XLSX ----------------------------------------------------------------------------------------


def _patched_xlsx(patch) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(write_map_xlsx(small_map())))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = patch(data.decode()).encode()
            dst.writestr(info, data)
    return out.getvalue()


def test_an_xlsx_dimension_bomb_is_refused_before_any_row_is_read():
    bomb = _patched_xlsx(lambda xml: xml.replace("</sheetPr>", '</sheetPr><dimension ref="A1:XFD1048576"/>', 1))
    exc = refused(bomb, "bomb.xlsx")
    assert exc.code == "too_many_columns_sheet"
    assert str(exc) == "bomb.xlsx: sheet 'touchpoints': 16,384 columns; the limit is 1,000"
    assert (
        error_text(exc, "ru") == "bomb.xlsx: лист 'touchpoints': столбцов 16\u202f384, а допустимо не более 1\u202f000"
    )
    tall = _patched_xlsx(lambda xml: xml.replace("</sheetPr>", '</sheetPr><dimension ref="A1:C1048576"/>', 1))
    assert refused(tall, "tall.xlsx").code == "sheet_too_many_rows"


def test_an_xlsx_with_300000_blank_rows_is_refused_quickly_by_counting_rows():
    blank = "".join(f'<row r="{n}"/>' for n in range(10, 300_010))
    exc = refused(_patched_xlsx(lambda xml: xml.replace("</sheetData>", blank + "</sheetData>")), "blank.xlsx")
    assert exc.code == "sheet_too_many_rows" and "more than 100,000 rows" in str(exc)
    gap = _patched_xlsx(
        lambda xml: xml.replace(
            "</sheetData>", '<row r="900000"><c r="A900000" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
        )
    )
    assert refused(gap, "gap.xlsx").code == "sheet_too_many_rows"


def test_an_xlsx_cell_that_openpyxl_cannot_convert_is_a_file_error():
    huge = _patched_xlsx(lambda xml: re.sub(r"</row>", f'<c r="AZ2"><v>{"9" * 5000}</v></c></row>', xml, count=2))
    exc = refused(huge, "n.xlsx")
    assert isinstance(exc, FileFormatError)


def test_an_xlsx_cell_over_the_cell_limit_is_refused():
    with override(max_cell_chars=1_000):
        long = _patched_xlsx(lambda xml: xml.replace("See an ad", "y" * 2_000))
        exc = refused(long, "long.xlsx")
    assert exc.code == "cell_too_long_sheet" and "sheet 'touchpoints', row 2" in str(exc)
