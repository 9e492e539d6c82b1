"""The Funnel page's database source: a configured connection, a table, its columns (detected, then
confirmed), a date range, then the same funnel settings as for a file; the funnel is counted inside
the database (``cjm.funnel.sources``) and only its counts come back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import streamlit as st

from cjm.errors import CJMError
from cjm.funnel.engine import suggest_steps
from cjm.funnel.sources import DbFunnelResult, DbSource, connection_names, open_source
from cjm.text import fmt_int, md_escape
from cjm_ui import date_format, lang, show_error, tr

TIME_KINDS = ("timestamp", "epoch_s", "epoch_ms", "epoch_us")
EVENT_NAMES = 1000  # names the step picker lists (most frequent first); any other can be typed
CACHE_S = 300  # tables, columns and event names are asked again after this many seconds


@dataclass(frozen=True)
class DbLabel:
    """What the rest of the page shows and saves as the funnel's source."""

    name: str
    notes: tuple = ()


@st.cache_resource(show_spinner=False)
def _source(name: str) -> DbSource:
    """One source per connection name and process (a PostgreSQL source keeps a small pool)."""
    return open_source(name)


@st.cache_data(ttl=CACHE_S, show_spinner=False)
def _tables(name: str) -> list[str]:
    return _source(name).tables()


@st.cache_data(ttl=CACHE_S, show_spinner=False)
def _detect(name: str, table: str):
    return _source(name).detect(table)


@st.cache_data(ttl=CACHE_S, show_spinner=False)
def _event_names(name: str, _spec, spec_key: tuple, date_from, date_to):
    return _source(name).event_names(_spec, date_from=date_from, date_to=date_to, limit=EVENT_NAMES)


@st.cache_data(ttl=CACHE_S, show_spinner=False, max_entries=32)
def _count(name: str, _spec, key: tuple, steps, mode, window, by, exclude, date_from, date_to) -> DbFunnelResult:
    return _source(name).funnel(
        _spec, steps, mode=mode, window=window, by=by, exclusions=list(exclude), date_from=date_from, date_to=date_to
    )


def _stop_on(exc: CJMError):
    show_error(exc)
    st.stop()


def database_funnel(settings: Callable) -> tuple[DbLabel, DbFunnelResult]:
    """Draw the database source and return the counted funnel, or stop the page (with a message)
    until there is one. ``settings(key, pickable, suggested, properties, events)`` draws the funnel's
    settings and returns ``(steps, mode, window, by, exclude)``."""
    names = connection_names()
    if not names:
        st.info(tr("funnel.db.none"))
        st.stop()
    c_name, c_table = st.columns(2)
    name = c_name.selectbox(tr("funnel.db.connection"), names, key="funnel.db.name")
    try:
        source = _source(name)
        c_name.caption(md_escape(source.describe()))
        tables = _tables(name)
    except CJMError as exc:
        _stop_on(exc)
    if not tables:
        st.info(tr("funnel.db.no_tables"))
        st.stop()
    table = c_table.selectbox(tr("funnel.db.table"), tables, key=f"funnel.db.table.{name}")
    try:
        found = _detect(name, table)
    except CJMError as exc:
        _stop_on(exc)

    # which column is which: detected, shown in a form to confirm or change
    key = f"{name}.{table}"
    chosen_key = f"funnel.db.columns.{key}"
    chosen = st.session_state.get(chosen_key) or {
        "user": found.user,
        "event": found.event,
        "time": found.time,
        "time_kind": found.time_kind or "timestamp",
        "properties": list(found.properties),
    }
    unclear = not all(chosen[r] for r in ("user", "event", "time"))
    columns = list(found.columns)
    with st.expander(tr("funnel.db.columns"), expanded=unclear):
        if unclear:
            st.warning(tr("funnel.mapping_needed"))
        with st.form(f"funnel.db.form.{key}"):
            none_label = tr("funnel.mapping_none")
            picks = {}
            cols = st.columns(4)
            for i, role in enumerate(("user", "event", "time")):
                options = [None, *columns]
                picks[role] = cols[i].selectbox(
                    tr(f"funnel.db.{role}"),
                    options,
                    index=options.index(chosen[role]) if chosen[role] in options else 0,
                    format_func=lambda c, none_label=none_label: (
                        none_label if c is None else f"{c} ({found.columns[c]})"
                    ),
                    key=f"funnel.db.role.{role}.{key}",
                )
            kind_labels = {k: tr(f"funnel.db.time_kind.{k}") for k in TIME_KINDS}
            picks["time_kind"] = cols[3].selectbox(
                tr("funnel.db.time_kind"),
                TIME_KINDS,
                index=TIME_KINDS.index(chosen["time_kind"]),
                format_func=kind_labels.__getitem__,
                key=f"funnel.db.time_kind.{key}",
            )
            picks["properties"] = st.multiselect(
                tr("funnel.db.properties"),
                columns,
                default=[c for c in chosen["properties"] if c in columns],
                key=f"funnel.db.props.{key}",
            )
            if st.form_submit_button(tr("funnel.db.use")):
                st.session_state[chosen_key] = chosen = picks
    if not all(chosen[r] for r in ("user", "event", "time")):
        st.stop()
    try:
        spec = source.table_spec(
            table,
            user=chosen["user"],
            event=chosen["event"],
            time=chosen["time"],
            properties=[p for p in chosen["properties"] if p not in (chosen["user"], chosen["event"], chosen["time"])],
            time_kind=chosen["time_kind"],
        )
    except CJMError as exc:
        _stop_on(exc)
    spec_key = (spec.table, spec.user, spec.event, spec.time, spec.properties, spec.time_kind)

    # the date range of step 1 (pushed down into the query)
    c_all, c_from, c_to = st.columns([1, 1, 1], vertical_alignment="bottom")
    all_dates = c_all.checkbox(tr("funnel.db.all_dates"), value=True, key=f"funnel.db.all_dates.{key}")
    date_from = date_to = None
    if not all_dates:
        today = date.today()
        date_from = c_from.date_input(
            tr("funnel.db.from"), today - timedelta(days=30), key=f"funnel.db.from.{key}", format=date_format("input")
        )
        date_to = c_to.date_input(tr("funnel.db.to"), today, key=f"funnel.db.to.{key}", format=date_format("input"))
    st.subheader(tr("funnel.settings"))
    try:
        events = _event_names(name, spec, spec_key, date_from, date_to)
    except CJMError as exc:
        _stop_on(exc)
    names_ = events["event"].tolist()
    suggested = suggest_steps(names_)
    pickable = list(dict.fromkeys([*names_, *suggested]))
    if len(names_) >= EVENT_NAMES:
        st.caption(tr("funnel.db.events_listed", n=fmt_int(EVENT_NAMES, lang())))
    steps, mode, window, by, exclude = settings(f"db.{key}", pickable, suggested, spec.properties, None)
    if not steps:
        st.info(tr("funnel.steps_pick"))
        st.stop()
    try:
        with st.spinner(tr("funnel.computing"), show_time=True):
            result = _count(name, spec, spec_key, tuple(steps), mode, window, by, tuple(exclude), date_from, date_to)
    except CJMError as exc:
        _stop_on(exc)
    st.caption(tr("funnel.db.computed", where=md_escape(result.source)))
    return DbLabel(f"{name}: {table}"), result
