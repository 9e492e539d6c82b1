"""Service blueprint: five lanes, three labelled lines, touchpoints in journey order."""

import html
import re

import pytest

from cjm import model
from cjm.charts import blueprint_figure, map_figure
from cjm.io import jsonio


def _plain(text: str) -> str:
    """Figure text as a reader sees it: tags dropped, line breaks as spaces, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", text.replace("<br>", " ")))


@pytest.fixture
def flight():
    G = model.new_map("Flight", "service_blueprint", map_id="flight")
    model.add_touchpoint(G, "Check in online", "purchase", id="checkin", action="Enters booking code",
                         physical_evidence="Boarding pass PDF", frontstage="Check-in page",
                         backstage="Seat allocation", support_processes="Departure control system")  # fmt: skip
    model.add_touchpoint(G, "Book a ticket", "intent", id="book", action="Chooses a fare",
                         frontstage="Booking site", backstage="Fare rules engine", support_processes="Payments")  # fmt: skip
    model.add_transition(G, "book", "checkin")
    return G


def _lines(fig):
    return {s.name: s for s in fig.layout.shapes if (s.name or "").startswith("line_of_")}


def test_blueprint_has_its_three_labelled_lines_in_order(flight):
    fig = blueprint_figure(flight)
    lines = _lines(fig)
    assert set(lines) == {"line_of_interaction", "line_of_visibility", "line_of_internal_interaction"}
    assert lines["line_of_interaction"].y0 < lines["line_of_visibility"].y0 < lines["line_of_internal_interaction"].y0
    assert all(s.line.dash == "dash" for s in lines.values())
    labels = {a.text for a in fig.layout.annotations if (a.name or "").startswith("line_of_")}
    assert labels == {"<b>Line of interaction</b>", "<b>Line of visibility</b>", "<b>Line of internal interaction</b>"}


def test_blueprint_lanes_hold_the_delivery_text_and_the_lines_separate_them(flight):
    fig = blueprint_figure(flight)
    ticks = [_plain(t) for t in fig.layout.yaxis.ticktext]
    assert ticks == ["Physical evidence", "Customer actions", "Frontstage", "Backstage", "Support processes"]
    lane_y = dict(zip(ticks, fig.layout.yaxis.tickvals, strict=True))
    lines = _lines(fig)
    assert lane_y["Customer actions"] < lines["line_of_interaction"].y0 < lane_y["Frontstage"]
    assert lane_y["Frontstage"] < lines["line_of_visibility"].y0 < lane_y["Backstage"]
    assert lane_y["Backstage"] < lines["line_of_internal_interaction"].y0 < lane_y["Support processes"]
    text = {tr.meta["lane"]: "".join(tr.text) for tr in fig.data if (tr.meta or {}).get("lane") and tr.mode == "text"}
    assert "Seat allocation" in text["backstage"] and "Departure control" in text["support_processes"]
    assert "Boarding pass PDF" in text["physical_evidence"] and "Booking site" in text["frontstage"]


def test_blueprint_columns_follow_journey_order(flight):
    fig = blueprint_figure(flight)
    tps = next(tr for tr in fig.data if (tr.meta or {}).get("role") == "touchpoints")
    xs = {text.split("</b>")[0]: x for x, text in zip(tps.x, tps.text, strict=True)}
    assert xs["<b>Book a ticket"] < xs["<b>Check in online"]
    assert "Chooses a fare" in "".join(tps.text)  # the customer's action sits in the box


def test_hiding_lanes_keeps_the_three_lines(flight):
    fig = blueprint_figure(flight, lanes=["customer_action", "support_processes"])
    assert len(_lines(fig)) == 3
    assert len(fig.layout.yaxis.ticktext) == 2


def test_map_figure_draws_a_blueprint_for_blueprint_maps_without_changing_them(flight):
    before = jsonio.dumps(flight)
    fig = map_figure(flight, lang="ru")
    assert "Линия видимости" in "".join(a.text for a in fig.layout.annotations)
    assert jsonio.dumps(flight) == before
