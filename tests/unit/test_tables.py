"""Touchpoint tables (CSV and XLSX) both ways: encodings, delimiters, headers in two languages,
every broken variant named by line and column, exact round-trips, formula escaping."""

import io
import json
from pathlib import Path

import openpyxl
import pytest

from cjm import model
from cjm.errors import FileFormatError, ValidationError
from cjm.io import jsonio, tables
from cjm.io.tables import export_map, read_map_file, read_map_table, write_map_csv, write_map_xlsx
from cjm.limits import override
from cjm.validation import validate_map

DATA = Path(__file__).parent / "data"


def _problems(exc: ValidationError) -> list[str]:
    return [str(p) for p in exc.problems]


def _read_broken(text: str, **kw) -> list[str]:
    with pytest.raises(ValidationError) as info:
        read_map_table(text.encode("utf-8"), filename="broken.csv", **kw)
    return _problems(info.value)


def _rich_map():
    """A map using every kind of field, custom stage names, a branch, a loop and awkward text."""
    G = model.new_map(
        "Airline = trip",
        map_id="air",
        persona={"name": "Anna", "goals": "=cheap fares", "description": "Flies twice a year"},
        segment="business",
        baseline_id="air-current",
    )
    G.graph["map_type"] = "future_state"
    G.graph["stages"][0]["name"] = "Seeing ads"
    G.graph["stages"].append({"id": "complaint", "name": "Complaint; escalation", "phase": "after_purchase"})
    a = model.add_touchpoint(
        G,
        "See an ad",
        "awareness",
        emotion=1.0,
        channel="social",
        category="communications",
        pain_point="-5% only, and @everyone sees it",
        conversion_point=True,
        key_touchpoint=True,
        evidence="observed",
        comments=[{"author": "Ann", "text": '=HYPERLINK("x")', "time": "2026-01-01T10:00:00+00:00"}],
        votes=[{"participant": "p1", "score": -1.5, "time": "2026-01-01T10:01:00+00:00"}],
    )
    b = model.add_touchpoint(
        G,
        "Pay, then wait",
        "purchase",
        emotion=-1.5,
        time_of_day="09:30",
        deadline="2026-12-01",
        users=1200,
        importance=3,
        score=2,
        steps=7,
        evaluated_by="mystery_shopper",
        task_status="in_progress",
        owner="Oleg",
        action="Types the card number\nthen waits for the SMS",
        company_present=False,
    )
    c = model.add_touchpoint(G, "Support (phone)", "complaint", id="s;1", thought='He said "hi"', status="missing")
    d = model.add_touchpoint(G, "Точка с кириллицей", "loyalty", emotion=0.25, order=9.5)
    model.add_transition(G, a, b, users=120, label='yes "sure"')
    model.add_transition(G, a, d)
    model.add_transition(G, b, c)
    model.add_transition(G, c, a, label="loop back")
    return validate_map(G)


def _same_touchpoints_and_transitions(G, H) -> bool:
    return dict(G.nodes(data=True)) == dict(H.nodes(data=True)) and {(u, v): d for u, v, d in G.edges(data=True)} == {
        (u, v): d for u, v, d in H.edges(data=True)
    }


# --- reading good files ------------------------------------------------------------------------------


def test_a_utf8_csv_with_field_id_headers_reads_touchpoints_and_next_transitions_with_users():
    G = read_map_table(DATA / "touchpoints_utf8.csv", filename="touchpoints_utf8.csv")
    assert model.touchpoints_in_order(G) == ["ad", "site", "pay", "checkin"]
    assert G.nodes["pay"]["pain_point"] == "Card declined, twice"
    assert G.nodes["pay"]["emotion"] == -1.5 and G.nodes["ad"]["channel"] == "social"
    assert set(G.edges) == {("ad", "site"), ("site", "pay"), ("pay", "checkin"), ("pay", "site")}
    assert G.edges["pay", "checkin"]["users"] == 80 and G.edges["ad", "site"]["users"] is None
    assert G.graph["title"] == "touchpoints_utf8" and G.graph["map_type"] == "current_state"
    assert [s["id"] for s in G.graph["stages"]][:2] == ["awareness", "consideration"]


def test_a_utf8_csv_with_a_bom_and_english_label_headers_reads_without_a_bom_in_the_first_header():
    G = read_map_table((DATA / "touchpoints_utf8_bom.csv").read_bytes(), filename="x.csv", title="Shop")
    names = [G.nodes[n]["name"] for n in model.touchpoints_in_order(G)]
    assert names == ["Newsletter with a discount", "Landing page", "Order form"]
    assert [G.nodes[n]["stage"] for n in model.touchpoints_in_order(G)] == ["awareness", "interest", "purchase"]
    assert model.conversion_points(G) == ["tp-3"] and G.graph["title"] == "Shop"


def test_a_russian_excel_export_in_cp1251_with_semicolons_and_decimal_commas_reads_cyrillic_names():
    raw = (DATA / "touchpoints_cp1251_semicolon.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")  # the fixture really is cp1251
    G = read_map_table(raw, filename="магазин.csv")
    order = model.touchpoints_in_order(G)
    assert [G.nodes[n]["name"] for n in order][0] == "Реклама во ВКонтакте"
    assert [G.nodes[n]["emotion"] for n in order] == [0.5, 1.0, -1.5, -0.5]
    assert [G.nodes[n]["stage"] for n in order] == ["awareness", "consideration", "purchase", "post_purchase"]
    assert G.nodes[order[2]]["conversion_point"] is True and G.nodes[order[0]]["channel"] == "social"
    assert G.graph["language"] == "ru" and G.graph["title"] == "магазин"


def test_a_tab_delimited_file_reads_day_stages_for_a_day_in_the_life_map():
    G = read_map_table(DATA / "touchpoints_tab.tsv", filename="day.tsv", map_type="day_in_life")
    assert [s["id"] for s in G.graph["stages"]] == ["morning", "daytime", "evening"]
    assert G.nodes["m1"]["name"] == "Wake up, check the flight" and G.nodes["m2"]["emotion"] == -1.5
    assert set(G.edges) == {("m1", "m2"), ("m2", "m3")}


def test_day_stages_are_recognised_even_when_the_map_type_is_not_given():
    G = read_map_table(DATA / "touchpoints_tab.tsv", filename="day.tsv")
    assert [s["id"] for s in G.graph["stages"]] == ["morning", "daytime", "evening"]


def test_russian_and_english_headers_give_the_same_map():
    en = "Touchpoint,Stage,Emotion,Pain point\nAd,Awareness,1,\nCart,Purchase,-2,Registration\n"
    ru = "Точка контакта,Этап,Эмоция,Боль\nAd,Осведомлённость,1,\nCart,Покупка,-2,Registration\n"
    G, H = read_map_table(en, filename="en.csv"), read_map_table(ru, filename="ru.csv")
    assert _same_touchpoints_and_transitions(G, H)
    assert H.nodes["tp-2"]["pain_point"] == "Registration" and H.nodes["tp-2"]["emotion"] == -2.0


def test_headers_are_matched_case_insensitively_and_trimmed():
    G = read_map_table("  NAME , Stage ,PAIN POINT\nAd,awareness,x\n", filename="a.csv")
    assert G.nodes["tp-1"]["pain_point"] == "x"


def test_without_a_next_column_the_touchpoints_are_chained_in_journey_order():
    text = "name,stage\nPay,purchase\nSee an ad,awareness\nCompare,consideration\n"
    G = read_map_table(text, filename="a.csv")
    assert list(G.edges) == [("tp-2", "tp-3"), ("tp-3", "tp-1")]


def test_without_an_order_column_the_file_order_is_the_order_within_a_stage():
    G = read_map_table("name,stage\nB,awareness\nA,awareness\n", filename="a.csv")
    assert [G.nodes[n]["name"] for n in model.touchpoints_in_order(G)] == ["B", "A"]


def test_next_may_name_touchpoints_by_their_unique_name_and_separate_them_with_bars():
    text = 'name,stage,next\nAd,awareness,"Site | ""Pay, now"" (5)"\nSite,consideration,\n"Pay, now",purchase,\n'
    G = read_map_table(text, filename="a.csv")
    assert set(G.edges) == {("tp-1", "tp-2"), ("tp-1", "tp-3")} and G.edges["tp-1", "tp-3"]["users"] == 5


def test_a_phase_column_allows_custom_stages_in_first_appearance_order():
    text = (
        "name;stage;phase;emotion\n"
        "Ищет рейс;Поиск рейса;до покупки;0\n"
        "Оплата;Оплата;purchase;-1\n"
        "Ещё поиск;Поиск рейса;До покупки;1\n"
        "Полёт;Flight;after_purchase;2\n"
    )
    G = read_map_table(text.encode("cp1251"), filename="a.csv")
    assert [(s["name"], s["phase"]) for s in G.graph["stages"]] == [
        ("Поиск рейса", "before_purchase"),
        ("Оплата", "purchase"),
        ("Flight", "after_purchase"),
    ]
    ids = [s["id"] for s in G.graph["stages"]]
    assert ids == ["poisk_reysa", "oplata", "Flight"]
    assert G.nodes["tp-3"]["stage"] == "poisk_reysa"


def test_a_phase_column_with_only_template_stages_keeps_the_whole_template():
    G = read_map_table("name,stage,phase\nAd,awareness,before_purchase\n", filename="a.csv")
    assert len(G.graph["stages"]) == 9


def test_another_emotion_scale_is_converted_to_minus_two_to_two():
    text = "name,stage,emotion\nA,awareness,1\nB,interest,10\nC,purchase,5,5\n"
    G = read_map_table(text.replace(",5,5", ',"5,5"'), filename="a.csv", emotion_scale="1..10")
    assert [G.nodes[n]["emotion"] for n in ("tp-1", "tp-2", "tp-3")] == [-2.0, 2.0, 0.0]
    H = read_map_table("name,stage,emotion\nA,awareness,-3\nB,interest,1.5\n", filename="a.csv", emotion_scale="-3..3")
    assert [H.nodes[n]["emotion"] for n in ("tp-1", "tp-2")] == [-2.0, 1.0]


def test_an_emotion_outside_the_chosen_scale_is_a_problem_on_its_line():
    problems = _read_broken("name,stage,emotion\nA,awareness,11\n", emotion_scale="1..10")
    assert problems == ["line 2, field 'emotion': 11.0 is outside the scale 1..10"]


def test_an_unknown_emotion_scale_is_refused():
    with pytest.raises(ValueError, match="1..10"):
        read_map_table("name,stage\nA,awareness\n", filename="a.csv", emotion_scale="0..100")


# --- broken files: every problem, named ---------------------------------------------------------------


def test_an_emotion_out_of_range_on_line_4_names_line_4_and_the_emotion_column():
    text = "name,stage,emotion\nA,awareness,1\nB,interest,-1\nC,purchase,3\n"
    problems = _read_broken(text)
    assert len(problems) == 1 and "line 4" in problems[0] and "emotion" in problems[0]


def test_line_numbers_are_physical_lines_even_after_a_cell_with_a_line_break():
    text = 'name,stage,action,emotion\nA,awareness,"two\nlines",0\nB,purchase,,7\n'
    assert _read_broken(text) == ["line 4, field 'emotion': 7 is outside -2 … 2"]


def test_every_broken_row_is_reported_not_only_the_first():
    text = "id,name,stage,emotion,importance\na,A,awareness,5,1\nb,B,nowhere,0,1\nc,C,purchase,x,9\n"
    problems = _read_broken(text)
    assert any(p.startswith("line 2, field 'emotion'") for p in problems)
    assert any(p.startswith("line 3, field 'stage'") and "nowhere" in p for p in problems)
    assert any(p.startswith("line 4, field 'emotion'") and "not a number" in p for p in problems)
    assert any(p.startswith("line 4, field 'importance'") for p in problems)
    assert len(problems) == 4


def test_problems_name_the_column_as_written_in_the_file():
    problems = _read_broken("Точка контакта;Этап;Эмоция\nA;Покупка;9\n")
    assert problems == ["line 2, field 'Эмоция': 9 is outside -2 … 2"]


def test_an_unknown_stage_without_a_phase_column_is_a_problem_suggesting_a_phase_column():
    problems = _read_broken("name,stage\nA,awareness\nB,Boarding\n")
    assert len(problems) == 1
    assert problems[0].startswith("line 3, field 'stage': unknown stage 'Boarding'") and "'phase' column" in problems[0]


def test_a_custom_stage_without_a_phase_and_inconsistent_phases_are_problems_on_their_lines():
    text = "name,stage,phase\nA,Boarding,\nB,Flight,purchase\nC,Flight,after_purchase\nD,Taxi,someday\n"
    problems = _read_broken(text)
    assert problems[0].startswith("line 2, field 'phase': stage 'Boarding' needs a phase")
    assert problems[1].startswith("line 4, field 'phase': stage 'Flight' is in phase 'purchase' on line 3")
    assert problems[2].startswith("line 5, field 'phase': 'someday' is not one of")


def test_a_duplicate_id_is_reported_on_each_duplicate_line():
    text = "id,name,stage\na,A,awareness\nb,B,interest\na,C,purchase\na,D,loyalty\n"
    problems = _read_broken(text)
    assert problems == [
        "line 4, field 'id': duplicate id 'a' (first on line 2)",
        "line 5, field 'id': duplicate id 'a' (first on line 2)",
    ]


def test_next_pointing_at_a_touchpoint_not_in_the_file_names_the_line_and_the_target():
    text = "id,name,stage,next\na,A,awareness,b\nb,B,interest,zzz; a\n"
    assert _read_broken(text) == ["line 3, field 'next': no touchpoint 'zzz' in the file"]


def test_a_malformed_next_cell_and_bad_users_are_problems():
    text = 'id,name,stage,next\na,A,awareness,"b (many)"\nb,B,interest,a (12\nc,C,purchase,a "x" y\n'
    problems = _read_broken(text)
    assert problems[0].startswith("line 2, field 'next': users 'many' is not a number")
    assert problems[1].startswith("line 3, field 'next': '(' after 'a' is not closed")
    assert problems[2].startswith("line 4, field 'next': unexpected 'y'")


def test_an_ambiguous_name_in_next_asks_for_the_id():
    problems = _read_broken("id,name,stage,next\na,Twin,awareness,\nb,Twin,interest,\nc,C,purchase,Twin\n")
    assert problems == ["line 4, field 'next': 'Twin' names 2 touchpoints (a, b); use the id"]


def test_a_missing_required_column_is_reported_once_naming_it():
    problems = _read_broken("name,emotion\nA,1\nB,2\nC,0\n")
    assert len(problems) == 1
    assert problems[0].startswith("line 1, field 'stage': the required column is missing") and "Этап" in problems[0]


def test_an_unknown_column_is_refused_listing_the_known_columns():
    problems = _read_broken("name,stage,emoton\nA,awareness,1\n")
    assert len(problems) == 1
    assert problems[0].startswith("line 1, field 'emoton': unknown column") and "emotion" in problems[0]


def test_two_headers_meaning_the_same_field_are_a_problem():
    problems = _read_broken("name,stage,Touchpoint\nA,awareness,B\n")
    assert problems == ["line 1, field 'Touchpoint': means the same as column 'name' (name)"]


def test_text_in_a_numeric_field_is_a_problem_on_its_line():
    problems = _read_broken("name,stage,users,importance\nA,awareness,many,3\nB,interest,10,2.5\n")
    assert problems == [
        "line 2, field 'users': 'many' is not a number",
        "line 3, field 'importance': '2.5' is not a whole number",
    ]


def test_a_blank_required_cell_and_a_row_wider_than_the_header_are_problems():
    problems = _read_broken("name,stage\n,awareness\nB,interest,extra\n")
    assert problems[0] == "line 2, field 'name': is required"
    assert problems[1].startswith("line 3: has 3 cells but the header has 2 columns")


def test_blank_lines_and_rows_of_empty_cells_are_skipped():
    G = read_map_table("name;stage\r\n\r\nA;awareness\r\n;;\r\nB;purchase\r\n", filename="a.csv")
    assert G.number_of_nodes() == 2


def test_an_empty_file_is_a_file_format_error():
    for data in (b"", b"\r\n  \r\n", "\ufeff".encode()):
        with pytest.raises(FileFormatError, match="empty"):
            read_map_table(data, filename="empty.csv")


def test_garbage_bytes_are_refused_as_binary_data():
    garbage = bytes(range(256)) * 4
    with pytest.raises(FileFormatError, match="binary|not a text file"):
        read_map_table(garbage, filename="junk.csv")
    with pytest.raises(FileFormatError, match="not a readable XLSX"):
        read_map_table(b"PK\x03\x04" + garbage, filename="junk.xlsx")
    with pytest.raises(FileFormatError, match="not an XLSX"):
        read_map_table(b"name,stage\nA,awareness\n", filename="renamed.xlsx")
    with pytest.raises(FileFormatError, match=r"\.xls"):
        read_map_table(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + garbage, filename="old.xls.csv")


def test_files_over_the_size_or_row_limit_are_refused():
    with override(max_file_bytes=100), pytest.raises(FileFormatError, match="limit is"):
        read_map_table(b"name,stage\n" + b"A,awareness\n" * 20, filename="big.csv")
    with override(max_touchpoints=3), pytest.raises(FileFormatError, match="more than 3 rows"):
        read_map_table(b"name,stage\n" + b"A,awareness\n" * 4, filename="long.csv")


def test_a_problem_file_yields_no_map_at_all():
    text = "name,stage,emotion\nA,awareness,1\nB,interest,9\n"
    result = None
    with pytest.raises(ValidationError):
        result = read_map_table(text, filename="a.csv")
    assert result is None


# --- writing and round-trips --------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_xlsx_write_then_read_gives_back_the_whole_map_exactly(lang):
    G = _rich_map()
    H = read_map_table(write_map_xlsx(G, lang=lang), filename="whatever.xlsx")
    assert jsonio.graphs_equal(G, H)


@pytest.mark.parametrize(("lang", "sep"), [("en", ","), ("en", "\t"), ("ru", ";"), ("ru", ",")])
def test_csv_write_then_read_gives_back_every_touchpoint_field_and_transition(lang, sep):
    G = _rich_map()
    H = read_map_table(write_map_csv(G, lang=lang, sep=sep), filename="m.csv")
    assert _same_touchpoints_and_transitions(G, H)
    assert ("complaint", "Complaint; escalation", "after_purchase") in [
        (s["id"], s["name"], s["phase"]) for s in H.graph["stages"]
    ]


def test_a_cp1251_csv_round_trips_cyrillic():
    G = _rich_map()
    data = write_map_csv(G, lang="ru", sep=";", encoding="cp1251")
    assert "Точка с кириллицей".encode("cp1251") in data
    assert _same_touchpoints_and_transitions(G, read_map_table(data, filename="m.csv"))


def test_a_map_that_cp1251_cannot_hold_is_a_clear_error():
    G = model.new_map("x")
    model.add_touchpoint(G, "Flight ✈", "awareness")
    with pytest.raises(FileFormatError, match="cp1251 cannot hold"):
        write_map_csv(G, encoding="cp1251")


def test_english_csv_headers_are_field_ids_and_russian_ones_are_labels_with_decimal_commas():
    G = _rich_map()
    en = write_map_csv(G).decode().splitlines()
    ru = write_map_csv(G, lang="ru", sep=";").decode().splitlines()
    assert en[0].startswith("id,name,stage,stage_name,phase,order,channel")
    assert ru[0].startswith("ID;Точка контакта;Этап;Название этапа;Фаза;Порядок;Канал")
    assert ";-1,5;" in write_map_csv(G, lang="ru", sep=";").decode()
    assert ",-1.5," in "\n".join(en)
    assert ";Соцсеть;Коммуникации;" in "\n".join(ru)


def test_next_cells_quote_awkward_ids_and_carry_users_and_labels():
    G = _rich_map()
    rows = list(__import__("csv").DictReader(io.StringIO(write_map_csv(G).decode())))
    by_id = {r["id"]: r for r in rows}
    assert by_id["tp-1"]["next"] == 'tp-2 (120) "yes ""sure"""; tp-4'
    assert by_id["tp-2"]["next"] == '"s;1"'
    assert json.loads(by_id["tp-1"]["comments"])[0]["author"] == "Ann"


def test_text_that_a_spreadsheet_would_run_as_a_formula_is_escaped_but_numbers_are_not():
    G = _rich_map()
    text = write_map_csv(G).decode()
    assert "'-5% only, and @everyone sees it" in text
    assert ",-1.5," in text  # a negative number stays a number
    wb = openpyxl.load_workbook(io.BytesIO(write_map_xlsx(G)))
    ws = wb["touchpoints"]
    header = [c.value for c in ws[1]]
    row = {h: c.value for h, c in zip(header, ws[2], strict=True)}
    assert row["pain_point"] == "'-5% only, and @everyone sees it" and row["emotion"] == 1
    assert all(c.data_type != "f" for sheet in wb for r in sheet.iter_rows() for c in r)
    meta = {r[0].value: r[1].value for r in wb["map"].iter_rows(min_row=2)}
    assert meta["title"] == "Airline = trip" and meta["persona.goals"] == "'=cheap fares"
    assert wb["comments"]["C2"].value == '\'=HYPERLINK("x")'


def test_the_xlsx_has_the_documented_sheets_with_headers_in_the_chosen_language():
    wb = openpyxl.load_workbook(io.BytesIO(write_map_xlsx(_rich_map(), lang="ru")))
    assert wb.sheetnames == ["touchpoints", "transitions", "map", "stages", "comments", "votes"]
    assert [c.value for c in wb["transitions"][1]] == ["Откуда", "Куда", "Пользователи", "Подпись"]
    assert wb["touchpoints"]["B1"].value == "Точка контакта"
    assert [c.value for c in wb["stages"][1]] == ["id", "name", "phase"]


def test_an_edited_xlsx_with_a_broken_cell_names_the_sheet_row_and_column():
    wb = openpyxl.load_workbook(io.BytesIO(write_map_xlsx(_rich_map())))
    ws = wb["touchpoints"]
    col = [c.value for c in ws[1]].index("emotion") + 1
    ws.cell(row=3, column=col, value=5)
    wt = wb["transitions"]
    wt.cell(row=2, column=2, value="nobody")
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(ValidationError) as info:
        read_map_table(buf.getvalue(), filename="edited.xlsx")
    assert _problems(info.value) == [
        "sheet 'touchpoints', row 3, field 'emotion': 5 is outside -2 … 2",
        "sheet 'transitions', row 2, field 'target': no touchpoint 'nobody' in the file",
    ]


def test_a_plain_single_sheet_xlsx_is_read_like_a_csv():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Лист1"
    ws.append(["Точка контакта", "Этап", "Эмоция", "Срок", "Время дня"])
    ws.append(["Реклама", "Осведомлённость", -1.5, __import__("datetime").datetime(2026, 3, 1), None])
    ws.append(["Корзина", "Покупка", 2, None, __import__("datetime").time(9, 5)])
    buf = io.BytesIO()
    wb.save(buf)
    G = read_map_table(buf.getvalue(), filename="plain.xlsx")
    assert G.nodes["tp-1"]["deadline"] == "2026-03-01" and G.nodes["tp-2"]["time_of_day"] == "09:05"
    assert list(G.edges) == [("tp-1", "tp-2")]


def test_a_csv_file_that_is_really_an_xlsx_is_read_by_its_content():
    G = read_map_table(write_map_xlsx(_rich_map()), filename="misnamed.csv")
    assert G.graph["id"] == "air"


# --- dispatch and export ------------------------------------------------------------------------------


def test_read_map_file_dispatches_by_extension():
    G = _rich_map()
    assert jsonio.graphs_equal(read_map_file(jsonio.dumps(G).encode(), filename="m.JSON", lang="ru"), G)
    assert jsonio.graphs_equal(read_map_file(write_map_xlsx(G), filename="m.xlsx"), G)
    H = read_map_file(write_map_csv(G, sep="\t"), filename="m.tsv", title="From TSV")
    assert H.graph["title"] == "From TSV" and _same_touchpoints_and_transitions(G, H)
    with pytest.raises(FileFormatError, match="unknown file type '.pdf'"):
        read_map_file(b"%PDF", filename="m.pdf")


@pytest.mark.parametrize(
    ("fmt", "mime", "ext"),
    [("json", "application/json", "json"), ("csv", "text/csv", "csv"), ("xlsx", tables.XLSX_MIME, "xlsx")],
)
@pytest.mark.parametrize("lang", ["en", "ru"])
def test_export_map_gives_bytes_that_read_back(fmt, mime, ext, lang):
    G = _rich_map()
    data, got_mime, got_ext = export_map(G, fmt, lang=lang)
    assert (got_mime, got_ext) == (mime, ext)
    H = read_map_file(data, filename=f"m.{ext}")
    assert _same_touchpoints_and_transitions(G, H)
    if fmt == "csv" and lang == "ru":
        assert data.startswith(b"\xef\xbb\xbf") and b";" in data.splitlines()[0]


def test_the_header_aliases_never_map_one_text_to_two_columns():
    seen: dict[str, str] = {}
    from cjm.i18n import catalogues

    cats = catalogues()
    for col in (*model.schema.TOUCHPOINT_FIELD_NAMES, *tables.EXTRA_COLUMNS):
        for lang in ("en", "ru"):
            text = cats[lang].get(f"field.{col}", col).strip().lower()
            assert seen.setdefault(text, col) == col, f"{text!r} means both {seen[text]} and {col}"


def test_text_that_already_starts_with_an_apostrophe_round_trips_exactly():
    G = model.new_map("Quotes", map_id="q")
    model.add_touchpoint(G, "'quoted", "awareness", thought="''=twice", pain_point="'plain")
    G = validate_map(G)
    assert _same_touchpoints_and_transitions(G, read_map_table(write_map_csv(G), filename="q.csv"))
    assert jsonio.graphs_equal(G, read_map_table(write_map_xlsx(G), filename="q.xlsx"))


def test_a_hand_typed_leading_apostrophe_is_kept():
    G = read_map_table("name,stage,thought\n'Hello,awareness,'99 problems\n", filename="a.csv")
    assert G.nodes["tp-1"]["name"] == "'Hello" and G.nodes["tp-1"]["thought"] == "'99 problems"


def test_the_map_sheet_language_wins_over_the_language_of_the_importing_user():
    G = _rich_map()
    assert read_map_table(write_map_xlsx(G), filename="m.xlsx", lang="ru").graph["language"] == "en"
    assert read_map_table(write_map_csv(G), filename="m.csv", lang="ru").graph["language"] == "ru"


def test_broken_stages_and_map_sheets_name_their_sheet_and_row():
    wb = openpyxl.load_workbook(io.BytesIO(write_map_xlsx(_rich_map())))
    wb["stages"]["C3"] = "someday"
    ws = wb["map"]
    for row in ws.iter_rows(min_row=2):
        if row[0].value == "map_type":
            row[1].value = "wish_list"
    ws.append(["colour", "blue"])
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(ValidationError) as info:
        read_map_table(buf.getvalue(), filename="m.xlsx")
    problems = _problems(info.value)
    assert any(p.startswith("sheet 'map', row 15, field 'colour': unknown map attribute") for p in problems)
    assert (
        "sheet 'map', field 'map_type': 'wish_list' is not one of: current_state, day_in_life, future_state, service_blueprint"
        in problems
    )
    assert any(p.startswith("sheet 'stages', row 3, field 'phase': 'someday'") for p in problems)


def test_comments_and_votes_sheets_must_point_at_existing_touchpoints():
    wb = openpyxl.load_workbook(io.BytesIO(write_map_xlsx(_rich_map())))
    wb["votes"]["A2"] = "ghost"
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(ValidationError) as info:
        read_map_table(buf.getvalue(), filename="m.xlsx")
    assert _problems(info.value) == ["sheet 'votes', row 2, field 'touchpoint': no touchpoint 'ghost'"]


def test_excel_unicode_text_in_utf16_with_tabs_and_a_sep_hint_line_are_read():
    text = "name\tstage\temotion\r\nПоиск\tawareness\t-0,5\r\n"
    G = read_map_table(text.encode("utf-16"), filename="unicode.txt")
    assert G.nodes["tp-1"]["name"] == "Поиск" and G.nodes["tp-1"]["emotion"] == -0.5
    H = read_map_table(b"sep=;\r\nname;stage\r\nA, B;awareness\r\n", filename="hint.csv")
    assert H.nodes["tp-1"]["name"] == "A, B"


def test_an_xlsx_with_too_many_touchpoint_rows_is_refused():
    data = write_map_xlsx(_rich_map())
    with override(max_touchpoints=2), pytest.raises(FileFormatError, match="sheet 'touchpoints' has more than 2 rows"):
        read_map_table(data, filename="m.xlsx")


SAMPLES = sorted((Path(__file__).resolve().parents[2] / "sample_data" / "maps").glob("*.json"))


@pytest.mark.parametrize("path", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_every_sample_map_round_trips_through_xlsx_exactly_and_through_a_russian_csv(path):
    G = jsonio.read_json(path)
    assert jsonio.graphs_equal(G, read_map_table(write_map_xlsx(G, lang="ru"), filename="s.xlsx"))
    data, _, _ = export_map(G, "csv", lang="ru")
    H = read_map_table(data, filename="s.csv", map_type=G.graph["map_type"])
    assert _same_touchpoints_and_transitions(G, H)
    assert [s["id"] for s in H.graph["stages"]] == [s["id"] for s in G.graph["stages"]]


def test_a_header_without_rows_is_a_problem():
    assert _read_broken("name,stage\n") == ["line 1: there are no touchpoint rows below the header"]


def test_numeric_ids_typed_into_a_spreadsheet_link_up():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["id", "name", "stage", "next"])
    ws.append([1, "A", "awareness", 2.0])
    ws.append([2.0, "B", "purchase", None])
    buf = io.BytesIO()
    wb.save(buf)
    G = read_map_table(buf.getvalue(), filename="n.xlsx")
    assert list(G.edges) == [("1", "2")]


def test_one_stage_named_differently_on_two_rows_is_a_problem():
    text = "name,stage,stage_name,phase\nA,boarding,Boarding,purchase\nB,boarding,Gate,purchase\n"
    assert _read_broken(text) == [
        "line 3, field 'stage_name': stage 'boarding' is named 'Boarding' on line 2, here 'Gate'"
    ]


def test_headers_and_stages_match_without_yo_and_with_dashes_or_underscores():
    G = read_map_table("Точка контакта;Этап;pain-point\nА;Осведомленность;x\nБ;post purchase;y\n", filename="a.csv")
    assert [G.nodes[n]["stage"] for n in ("tp-1", "tp-2")] == ["awareness", "post_purchase"]
    assert G.nodes["tp-2"]["pain_point"] == "y"


def test_a_new_map_without_touchpoints_round_trips_through_xlsx():
    G = validate_map(model.new_map("Blank", map_id="blank", map_type="day_in_life"))
    assert jsonio.graphs_equal(G, read_map_table(write_map_xlsx(G), filename="blank.xlsx"))


def test_a_json_map_under_a_csv_name_is_refused_with_a_hint():
    with pytest.raises(FileFormatError, match="looks like JSON"):
        read_map_table(jsonio.dumps(_rich_map()).encode(), filename="map.csv")


def test_emotions_on_another_scale_get_a_hint_naming_the_scales_that_fit():
    problems = _read_broken("name,stage,emotion\nA,awareness,7\nB,interest,10\nC,purchase,1\n")
    assert problems[:3] == [
        "line 2, field 'emotion': 7 is outside -2 … 2",
        "line 3, field 'emotion': 10 is outside -2 … 2",
        "line 1, field 'emotion': 2 of 3 emotions are outside -2 … 2; if the file uses another scale, "
        "choose it when importing (the values fit 1..10)",
    ]
