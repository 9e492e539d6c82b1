"""Exports and escaping: self-contained HTML, Mermaid text, the image renderer's status, user text
that looks like HTML."""

import json

import pytest

from cjm import model
from cjm.charts import map_figure
from cjm.charts.synthetic import synthetic_map
from cjm.io import export

XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture
def evil():
    G = model.new_map(f"Map {XSS}", map_id="evil", persona={"name": XSS})
    model.add_touchpoint(G, XSS, "awareness", id="a", action=XSS, thought=XSS, pain_point=XSS, opportunity=XSS,
                         emotion=-1.0, physical_evidence=XSS, frontstage=XSS, backstage=XSS,
                         support_processes=XSS, time_of_day="09:00")  # fmt: skip
    model.add_touchpoint(G, 'B "quoted" [x]', "purchase", id="b")
    model.add_transition(G, "a", "b", label=XSS)
    model.add_transition(G, "b", "a", label=XSS)
    return G


@pytest.mark.parametrize("map_type", ["current_state", "day_in_life", "future_state", "service_blueprint"])
def test_user_text_that_looks_like_html_is_escaped_in_every_figure(evil, map_type):
    evil.graph["map_type"] = map_type
    fig = map_figure(evil, baseline=evil if map_type == "future_state" else None)
    text = json.dumps(fig.to_plotly_json(), ensure_ascii=False)
    assert "<img" not in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in text


def test_html_export_is_self_contained():
    html = export.to_html(map_figure(synthetic_map(6)))
    assert html.lstrip().lower().startswith("<!doctype html>") and "</html>" in html
    assert '<script src="http' not in html and '<script src="//' not in html
    assert "Plotly.newPlot" in html and len(html) > 1_000_000  # plotly.js is inline


def test_mermaid_journey_has_a_section_per_used_stage_and_scores_from_emotions(evil):
    text = export.mermaid_journey(evil)
    lines = text.splitlines()
    assert lines[0] == "journey"
    assert "    section Awareness" in lines and "    section Purchase" in lines
    task = next(line for line in lines if line.startswith("        ") and "img" in line)
    assert task.count(":") == 2 and task.split(":")[1].strip() == "2"  # emotion −1 → score 2
    assert "<img" in task  # journey text is plain text; only the separators are replaced


def test_mermaid_flowchart_escapes_quotes_brackets_and_angle_brackets(evil):
    text = export.mermaid_flowchart(evil)
    assert text.startswith("flowchart LR\n")
    assert '"B #quot;quoted#quot; #91;x#93;"' in text
    assert "<img" not in text and "#lt;img src=x onerror=alert#40;1#41;#gt;" in text
    assert " -.->|" in text  # the loop b → a is dotted


def test_mermaid_flowchart_marks_missing_and_conversion_points():
    G = model.new_map("m")
    model.add_touchpoint(G, "Chat", "interest", id="c", status="missing")
    model.add_touchpoint(G, "Order", "purchase", id="o", conversion_point=True)
    text = export.mermaid_flowchart(G)
    assert "class n0 missing" in text and "class n1 conversion" in text


def test_image_export_reports_a_missing_browser_clearly(monkeypatch):
    monkeypatch.setenv("CJM_CHROMIUM", "/nonexistent/chromium")
    ok, reason = export.image_export_status()
    assert not ok and "/nonexistent/chromium" in reason
    with pytest.raises(export.ImageExportUnavailable, match="no browser"):
        export.to_images(map_figure(synthetic_map(3)))


def test_unknown_image_formats_are_refused():
    with pytest.raises(ValueError, match="unknown image formats"):
        export.to_images(map_figure(synthetic_map(3)), ["gif"])


def test_export_file_names_are_safe():
    G = model.new_map("x", map_id="../../etc/passwd map")
    assert export.export_file_name(G, "png") == "etc-passwd-map.png"
