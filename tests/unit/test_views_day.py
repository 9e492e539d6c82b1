"""Day in the life: the clock on the axis, company-absent moments, the emotion curve through the day."""

import pytest

from cjm import model
from cjm.charts import day_in_life_figure, map_figure
from cjm.io import jsonio


@pytest.fixture
def day():
    G = model.new_map("Anna's Tuesday", "day_in_life", map_id="day")
    # journey order differs from clock order on purpose: the clock wins
    model.add_touchpoint(G, "Lunch with a colleague", "daytime", id="lunch", time_of_day="12:30", emotion=1.0,
                         company_present=False)  # fmt: skip
    model.add_touchpoint(G, "Alarm, coffee", "morning", id="wake", time_of_day="07:00", emotion=0.0,
                         company_present=False)  # fmt: skip
    model.add_touchpoint(G, "Opens our app on the train", "morning", id="app", time_of_day="08:15", emotion=-1.0)
    model.add_touchpoint(G, "Courier calls", "evening", id="courier", time_of_day="19:40", emotion=2.0)
    model.add_transition(G, "wake", "app")
    model.add_transition(G, "app", "lunch")
    model.add_transition(G, "lunch", "courier")
    return G


def _trace(fig, role):
    return next(tr for tr in fig.data if (tr.meta or {}).get("role") == role)


def test_the_x_axis_is_the_time_of_day_in_clock_order(day):
    fig = day_in_life_figure(day)
    assert fig.layout.xaxis.title.text == "Time of day"
    assert list(fig.layout.xaxis.ticktext) == ["07:00", "08:15", "12:30", "19:40"]
    assert fig.layout.xaxis.showticklabels


def test_the_clock_strip_places_moments_at_their_true_time(day):
    fig = day_in_life_figure(day)
    clock = _trace(fig, "clock_moments")
    xs = list(clock.x)
    assert xs == sorted(xs)
    # 07:00→08:15 is a much shorter gap than 12:30→19:40
    assert (xs[1] - xs[0]) < (xs[3] - xs[2]) / 3
    assert any(a.text == "12:00" for a in fig.layout.annotations)


def test_company_absent_moments_are_grey_dashed_and_labelled(day):
    fig = day_in_life_figure(day)
    shapes = {s.name: s for s in fig.layout.shapes if s.name}
    assert shapes["tp:lunch:absent"].line.dash == "dash"
    assert shapes["tp:app:existing"].line.dash == "solid"
    assert sum("COMPANY ABSENT" in t for t in _trace(fig, "badges").text) == 2
    assert "Company absent (grey)" in [tr.name for tr in fig.data if tr.showlegend]


def test_the_emotion_curve_runs_through_the_day_in_clock_order(day):
    fig = day_in_life_figure(day)
    points = _trace(fig, "emotion_points")
    assert list(points.text) == ["0.0", "−1.0", "+1.0", "+2.0"]
    line = next(tr for tr in fig.data if (tr.meta or {}).get("lane") == "emotion" and tr.mode == "lines")
    assert len([x for x in line.x if x is None]) == 3  # three segments joining four moments


def test_moments_without_a_time_come_last_marked_time_unknown(day):
    model.add_touchpoint(day, "Scrolls social media", "evening", id="scroll")
    fig = day_in_life_figure(day)
    assert list(fig.layout.xaxis.ticktext)[-1] == "time ?"


def test_map_figure_dispatches_day_maps_and_leaves_them_unchanged(day):
    before = jsonio.dumps(day)
    fig = map_figure(day, lang="ru")
    assert fig.layout.xaxis.title.text == "Время суток"
    assert jsonio.dumps(day) == before
