"""Funnel: upload a funnel table, an analytics export or an event log; see where people drop off and
put the counts on the journey map."""

import os
import threading
import zlib
from collections import OrderedDict
from pathlib import Path

import streamlit as st

from cjm import services
from cjm.errors import CJMError
from cjm.funnel import charts, journey, stats
from cjm.funnel.engine import (
    EventLog,
    Exclusion,
    compute_funnel,
    conversion_by_week,
    conversion_times,
    dropped_off,
    event_counts,
    first_events,
    suggest_steps,
    time_to_convert,
)
from cjm.funnel.readers import ROLES, check_event_names, check_local_path, detect, load, save_upload
from cjm.funnel.table import ingest, is_ingested
from cjm.model import touchpoints_in_order
from cjm.text import fmt_date, fmt_emotion, fmt_int, fmt_share, md_escape
from cjm_ui import actor, can, current_map, get_store, lang, show_error, show_figure, tr

SAMPLES = Path(__file__).resolve().parents[1] / "sample_data" / "funnels"
STATE = "funnel.loaded"  # {"key", "det", "obj", "error"} of the file being analysed
UNITS = ("min", "h", "d", "w", "month")
PICKABLE_EVENTS = 2000  # event names offered in the step and exclusion pickers (most people first)
FUNNELS_KEPT = 8  # counted funnels kept per process (each holds a per-person table)

st.title(tr("funnel.title"))
st.caption(tr("funnel.intro"))
with st.expander(tr("funnel.not_modelled")):
    st.markdown(tr("funnel.not_modelled_text"))


def _remember(key: str, path: Path, name: str) -> None:
    """Detect and read a file once per source key (an upload's file_id, a path, a sample name)."""
    if st.session_state.get(STATE, {}).get("key") == key:
        return
    entry = {"key": key, "det": None, "obj": None, "error": None}
    try:
        entry["det"] = detect(path, name=name)
        if not entry["det"].ambiguous:
            entry["obj"] = load(entry["det"])
    except CJMError as exc:
        entry["error"] = exc
    st.session_state[STATE] = entry


# ---- 1. the data -----------------------------------------------------------------------------
# format functions look up texts made in this run: AppTest calls them after the run, in no language
SOURCE_LABELS = {s: tr(f"funnel.source.{s}") for s in ("upload", "path", "sample", "database")}
source = st.radio(
    tr("funnel.source"),
    tuple(SOURCE_LABELS),
    horizontal=True,
    key="funnel.source",
    format_func=SOURCE_LABELS.__getitem__,
)


def _settings(key: str, pickable: list, suggested: list, properties, events):
    """The funnel's settings (steps, order, window, breakdown, exclusions), the same widgets for a file
    and a database; ``events`` (name, people) feeds the caption of common events when known.
    Returns ``(steps, mode, window, by, exclude)``."""
    c_steps, c_mode = st.columns([3, 2])
    picked = c_steps.multiselect(
        tr("funnel.steps"),
        pickable,
        default=suggested,
        key=f"funnel.steps.{key}",
        help=tr("funnel.steps_help"),
        placeholder=tr("funnel.steps_none"),
    )
    typed = c_steps.text_input(tr("funnel.steps_text"), key=f"funnel.steps_text.{key}")
    if events is not None:
        st.caption(
            tr(
                "funnel.events_available",
                events=", ".join(
                    f"{md_escape(e)} ({fmt_int(p, lang())})"
                    for e, p in zip(events["event"].head(15), events["people"].head(15), strict=True)
                ),
            )
        )
    mode_labels = {m: tr(f"funnel.mode.{m}") for m in ("ordered", "strict", "any")}
    mode = c_mode.radio(
        tr("funnel.mode"),
        tuple(mode_labels),
        key="funnel.mode",
        format_func=mode_labels.__getitem__,
        help=tr("funnel.mode_help"),
    )
    c_win, c_unit, c_by, c_ex = st.columns([1, 1, 2, 2])
    amount = c_win.number_input(
        tr("funnel.window"),
        min_value=1,
        max_value=10_000,
        value=14,
        step=1,
        key="funnel.window",
        help=tr("funnel.window_help"),
    )
    unit_labels = {u: tr(f"funnel.unit.{u}") for u in UNITS}
    unit = c_unit.selectbox(" ", UNITS, index=2, key="funnel.unit", format_func=unit_labels.__getitem__)
    by_none = tr("funnel.by_none")
    by = c_by.selectbox(
        tr("funnel.by"),
        [None, *properties],
        key=f"funnel.by.{key}",
        format_func=lambda c: by_none if c is None else c,
        help=tr("funnel.by_help"),
    )
    exclude = c_ex.multiselect(
        tr("funnel.exclude"),
        pickable,
        key=f"funnel.exclude.{key}",
        help=tr("funnel.exclude_help"),
        placeholder=tr("funnel.exclude_none"),
    )
    steps = [s.strip() for s in typed.split(",") if s.strip()] if typed.strip() else list(picked)
    return steps, mode, f"{int(amount)}{unit}", by, exclude


result = None
db_result = None
if source == "database":
    from cjm_ui.funnel_db import database_funnel

    det, db_result = database_funnel(_settings)
    steps_t, counts, segments, warnings, notes = (
        db_result.steps,
        db_result.counts,
        db_result.segments,
        db_result.warnings,
        det.notes,
    )
else:
    if source == "upload":
        uploaded = st.file_uploader(
            tr("funnel.upload"),
            type=["csv", "tsv", "txt", "xlsx", "parquet"],
            key="funnel.upload",
            help=tr("funnel.upload_help"),
        )
        if uploaded is not None:
            # parse only when a new file arrives: the widget hands back the same file on every rerun.
            # The key is the file's content (save_upload names the copy by it), so another session
            # uploading the same log shares its counted funnels.
            if st.session_state.get(STATE, {}).get("file_id") != uploaded.file_id:
                copy = save_upload(uploaded.getvalue(), uploaded.name)
                _remember(f"upload:{copy.stem}", copy, uploaded.name)
                st.session_state[STATE]["file_id"] = uploaded.file_id
        elif str(st.session_state.get(STATE, {}).get("key", "")).startswith("upload:"):
            st.session_state.pop(STATE)
    elif source == "path" and not os.environ.get("CJM_FUNNEL_PATHS", "").strip():
        # off until the server names the folders it may read (else any file the server can read shows)
        st.info(tr("funnel.paths_off"))
        st.stop()
    elif source == "path":
        st.caption(tr("funnel.paths_on", folders=md_escape(os.environ["CJM_FUNNEL_PATHS"])))
        c_path, c_go = st.columns([5, 1], vertical_alignment="bottom")
        path_text = c_path.text_input(tr("funnel.path"), key="funnel.path")
        if c_go.button(tr("funnel.path_load"), key="funnel.path_load") and path_text.strip():
            st.session_state.pop(STATE, None)
            try:
                p = check_local_path(path_text.strip(), os.environ.get("CJM_FUNNEL_PATHS"))
            except CJMError as exc:
                st.session_state[STATE] = {"key": f"path:{path_text}", "det": None, "obj": None, "error": exc}
            else:
                _remember(f"path:{p}:{p.stat().st_mtime}", p, p.name)
    elif source == "sample":
        samples = sorted(p.name for p in SAMPLES.iterdir() if p.suffix in (".csv", ".tsv"))
        pick = st.selectbox(
            tr("funnel.sample"),
            samples,
            key="funnel.sample",
            index=samples.index("shop_events.csv") if "shop_events.csv" in samples else 0,
        )
        _remember(f"sample:{pick}", SAMPLES / pick, pick)

    entry = st.session_state.get(STATE)
    if (
        not entry
        or (source == "upload" and not str(entry["key"]).startswith("upload:"))
        or (source == "sample" and not str(entry["key"]).startswith("sample:"))
        or (source == "path" and not str(entry["key"]).startswith("path:"))
    ):
        st.info(tr("funnel.no_data"))
        st.stop()
    if entry["error"] is not None:
        show_error(entry["error"])
        st.stop()
    det = entry["det"]
    st.markdown(
        tr(
            "funnel.detected",
            name=md_escape(det.name),
            kind=tr(f"funnel.kind.{det.kind}"),
            encoding=det.encoding,
            delimiter={"\t": "tab", "": "—"}.get(det.delimiter, f"“{det.delimiter}”"),
            decimal=f"“{det.decimal}”",
        )
    )

    # ---- 2. which column is which (asked when detection is unsure) --------------------------------
    with st.expander(
        tr("funnel.mapping") if det.ambiguous else tr("funnel.mapping_change"), expanded=bool(det.ambiguous)
    ):
        if det.ambiguous:
            st.warning(tr("funnel.mapping_needed"))
        with st.form(f"funnel.mapping.{entry['key']}"):
            chosen = {}
            none_label = tr("funnel.mapping_none")
            for role in ROLES[det.kind]:
                options = [None, *det.columns]
                current = det.mapping.get(role)
                chosen[role] = st.selectbox(
                    tr(f"funnel.role.{role}"),
                    options,
                    index=options.index(current) if current in options else 0,
                    format_func=lambda c, none_label=none_label: none_label if c is None else c,
                    key=f"funnel.role.{role}.{entry['key']}",
                )
            if st.form_submit_button(tr("funnel.mapping_apply")):
                try:
                    entry["obj"] = load(det, chosen)
                    entry["mapping"] = chosen
                except CJMError as exc:
                    show_error(exc)
    obj = entry["obj"]
    if obj is None:
        st.stop()
    map_key = str(sorted((entry.get("mapping") or {}).items(), key=lambda kv: kv[0]))

    # ---- 3. the funnel ----------------------------------------------------------------------------
    @st.cache_resource(max_entries=8, show_spinner=False)
    def _events(source_key: str, mapping_key: str, _log: EventLog):
        return event_counts(_log)

    @st.cache_resource(max_entries=8, show_spinner=False)
    def _first_events(source_key: str, mapping_key: str, _log: EventLog):
        return first_events(_log)

    @st.cache_resource(show_spinner=False)
    def _counted() -> dict:
        """Funnels already counted in this process, shared read-only by every session (the result
        holds a per-person table: never pickled). A plain LRU rather than a cached function, so the
        progress bar of a first count is drawn outside any cache (Streamlit cannot replay it)."""
        return {"lock": threading.Lock(), "items": OrderedDict()}

    def _funnel(key: tuple, log: EventLog, steps: list, mode: str, window: str, by, exclude: list):
        """The funnel for ``key`` from the process's LRU, else counted now with a progress bar."""
        store = _counted()
        with store["lock"]:
            hit = store["items"].get(key)
            if hit is not None:
                store["items"].move_to_end(key)
                return hit
        with st.spinner(tr("funnel.computing"), show_time=True):  # the log is read already: no phases
            result = compute_funnel(
                log, steps, mode=mode, window=window, by=by, exclusions=[Exclusion(e) for e in exclude]
            )
        with store["lock"]:
            store["items"][key] = result
            while len(store["items"]) > FUNNELS_KEPT:
                store["items"].popitem(last=False)
        return result

    def _read_once(log: EventLog) -> None:
        """The first look at an event log reads it into its stored table, with a progress bar by phase;
        later looks (any session, any question) find the table and show nothing."""
        if is_ingested(log):
            return
        bar = st.progress(0.0, text=tr("funnel.phase.reading"))
        try:
            ingest(log, progress=lambda f, phase: bar.progress(min(max(f, 0.0), 1.0), text=tr(f"funnel.phase.{phase}")))
        finally:
            bar.empty()

    if isinstance(obj, EventLog):
        st.subheader(tr("funnel.settings"))
        try:
            _read_once(obj)
            events = _events(entry["key"], map_key, obj)
            firsts = _first_events(entry["key"], map_key, obj)
            check_event_names(events["event"], obj)  # a huge name would freeze the browser tab
        except CJMError as exc:
            show_error(exc)
            st.stop()
        names = events["event"].tolist()
        first = firsts["event"].iloc[0] if len(firsts) else None
        suggested_steps = suggest_steps(names, first=first)
        # the pickers list the most common names (a log of page URLs can have tens of thousands); any
        # other name can be typed in the text box below
        pickable = list(dict.fromkeys([*names[:PICKABLE_EVENTS], *suggested_steps]))
        if len(names) > len(pickable):
            st.caption(tr("funnel.events_capped", shown=fmt_int(len(pickable), lang()), n=fmt_int(len(names), lang())))
        steps, mode, window, by, exclude = _settings(entry["key"], pickable, suggested_steps, obj.properties, events)
        if not steps:
            st.info(tr("funnel.steps_pick"))
            st.stop()
        if first is not None and steps[0] != first:
            # say why the funnel does not start where people come in: it counts only who did step 1
            st.caption(
                tr(
                    "funnel.first_event_differs",
                    n=fmt_int(firsts["people"].iloc[0], lang()),
                    total=fmt_int(firsts["people"].sum(), lang()),
                    first=md_escape(first),
                    step=md_escape(steps[0]),
                )
            )
        try:
            result = _funnel(
                (entry["key"], map_key, tuple(steps), mode, window, by, tuple(exclude)),
                obj,
                steps,
                mode,
                window,
                by,
                exclude,
            )
        except CJMError as exc:
            show_error(exc)
            st.stop()
        steps_t, counts, segments, warnings, notes = (
            result.steps,
            result.counts,
            result.segments,
            result.warnings,
            det.notes,
        )
    else:
        steps_t, counts, segments, warnings, notes = obj.steps, obj.counts, obj.segments, obj.warnings, obj.notes


def _said(text: str) -> str:
    """A warning or note of the reader or the engine in the page's language (English text of an
    uncoded one), escaped for Markdown."""
    code = getattr(text, "code", None)
    if not code:
        return md_escape(str(text))
    params = {k: fmt_int(v, lang()) if isinstance(v, int) and k != "line" else v for k, v in text.params}
    return md_escape(tr(f"funnel.note.{code}", **params))


for w in warnings:
    st.warning(tr("funnel.warning", text=_said(w)))
for n in notes:  # the reader's own notes are whole sentences; others are what the file says
    st.caption(_said(n) if getattr(n, "code", None) else tr("funnel.notes", text=_said(n)))

table = stats.funnel_table(steps_t, counts)
worst = stats.biggest_drop(table)
STEPS_ID = zlib.crc32("\x1f".join(steps_t).encode("utf-8"))  # step pickers restart when the steps change
m = st.columns(4)
m[0].metric(tr("funnel.metric.entered"), fmt_int(counts[0], lang()))
m[1].metric(tr("funnel.metric.completed"), fmt_int(counts[-1], lang()))
m[2].metric(tr("funnel.metric.conversion"), fmt_share(counts[-1] / counts[0], lang(), 1) if counts[0] else "—")
if worst is not None:
    row = table.loc[table["step_number"] == worst].iloc[0]
    m[3].metric(
        tr("funnel.metric.biggest_drop"),
        fmt_share(row["drop_off_rate"], lang(), 0),
        delta=fmt_int(-int(row["drop_off"]), lang()),
        delta_color="red",
        delta_arrow="down",
    )
    prev_step = table.loc[table["step_number"] == worst - 1, "step"].iloc[0]
    st.markdown(
        ":red[**"
        + tr(
            "funnel.biggest_callout",
            rate=fmt_share(float(row["drop_off_rate"]), lang()),
            n=fmt_int(row["drop_off"], lang()),
            before=md_escape(prev_step),
            step=md_escape(row["step"]),
        )
        + "**]"
    )
else:
    m[3].metric(tr("funnel.metric.biggest_drop"), tr("funnel.metric.no_drop"))

chart_labels = {
    k: tr(f"funnel.chart.{k}")
    for k in (
        "users",
        "biggest_drop",
        "overall",
        "minutes",
        "hours",
        "days",
        "seconds",
        "count",
        "week",
        "conversion",
        "entered",
    )
}
show_figure(charts.funnel_figure(table, labels=chart_labels, lang=lang()), key="funnel.chart")
headers = {
    k: tr(f"funnel.col.{k}")
    for k in (
        "step_number",
        "step",
        "users",
        "step_conversion",
        "overall_conversion",
        "drop_off",
        "drop_off_rate",
        "biggest_drop",
    )
}
st.subheader(tr("funnel.table"))
shown = stats.display_table(table, headers, biggest_mark=tr("funnel.biggest_mark"), lang=lang())
marked = table["biggest_drop"].tolist()
st.dataframe(
    shown.style.apply(lambda r: ["background-color: #fde2e1" if marked[r.name] else "" for _ in r], axis=1),
    hide_index=True,
    key="funnel.table",
)
st.caption(tr("funnel.table_caption"))

if segments:
    st.subheader(tr("funnel.segments"))
    st.caption(tr("funnel.segments_caption"))
    seg_table = stats.segment_table(steps_t, segments)
    show_figure(charts.segments_figure(seg_table, labels=chart_labels, lang=lang()), key="funnel.segments_chart")

if result is not None or db_result is not None:
    # a file's funnel has each person's times; a database sends back the quantiles and weeks only
    times = conversion_times(result) if result is not None else None
    if len(steps_t) > 1 and counts[1] > 0:
        c_time, c_trend = st.columns(2)
        c_time.subheader(tr("funnel.time"))
        c_time.caption(tr("funnel.time_caption"))
        ttc = time_to_convert(result) if result is not None else db_result.times
        c_time.dataframe(
            {
                tr("funnel.col.step"): [tr("funnel.time.total") if s == "total" else s for s in ttc["step"]],
                tr("funnel.time.people"): [fmt_int(v, lang()) for v in ttc["people"]],
                tr("funnel.time.median"): [stats.format_duration(v, lang()) for v in ttc["median_seconds"]],
                tr("funnel.time.p90"): [stats.format_duration(v, lang()) for v in ttc["p90_seconds"]],
            },
            hide_index=True,
            key="funnel.time_table",
        )
        if times is not None:
            moves = list(range(2, len(steps_t) + 1))
            move_labels = {k: f"{steps_t[k - 2]} → {steps_t[k - 1]}" for k in moves}
            move = c_time.selectbox(
                tr("funnel.time_step"),
                moves,
                key=f"funnel.time_step.{STEPS_ID}",
                index=moves.index(worst) if worst in moves else 0,
                format_func=move_labels.__getitem__,
            )
            with c_time:
                show_figure(
                    charts.time_to_convert_figure(times, step_number=move, labels=chart_labels, lang=lang()),
                    key="funnel.time_chart",
                )
        else:
            c_time.caption(tr("funnel.db.not_here"))
        c_trend.subheader(tr("funnel.trend"))
        weekly = conversion_by_week(result) if result is not None else db_result.weekly
        with c_trend:
            show_figure(charts.trend_figure(weekly, labels=chart_labels, lang=lang()), key="funnel.trend_chart")

# ---- 4. downloads ------------------------------------------------------------------------------
st.subheader(tr("funnel.downloads"))
d1, d2, d3 = st.columns([1, 1, 2], vertical_alignment="bottom")
export = stats.segment_table(steps_t, segments) if segments else table
d1.download_button(
    tr("funnel.download_csv"),
    stats.table_to_csv(export),
    "funnel.csv",
    "text/csv",
    key="funnel.download_csv",
)
d2.download_button(
    tr("funnel.download_xlsx"),
    stats.table_to_xlsx(export),
    "funnel.xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="funnel.download_xlsx",
)
if result is not None and len(steps_t) > 1:
    at_step = d3.selectbox(
        tr("funnel.dropped_step"),
        list(range(2, len(steps_t) + 1)),
        index=(worst - 2) if worst else 0,
        key=f"funnel.dropped_step.{STEPS_ID}",
        format_func=lambda k: f"{k}. {steps_t[k - 1]}",
    )
    lost = dropped_off(result, at_step)
    d3.download_button(
        tr("funnel.download_dropped", n=fmt_int(len(lost), lang())),
        stats.table_to_csv(lost),
        f"dropped_before_step_{at_step}.csv",
        "text/csv",
        key="funnel.download_dropped",
    )

# ---- 5. on the journey map ----------------------------------------------------------------------
st.subheader(tr("funnel.journey"))
stored = current_map()
if stored is None:
    st.info(tr("funnel.journey_no_map"))
    st.stop()
G = stored.graph
st.caption(tr("funnel.journey_caption", title=md_escape(G.graph.get("title", stored.map_id))))
earlier = G.graph.get("counts_source")
if earlier:
    st.caption(
        tr(
            "funnel.journey_source",
            source=md_escape(earlier.get("source") or "?"),
            date=md_escape(fmt_date(earlier.get("saved_at"), lang(), with_time=True, missing="?")),
        )
    )
matches = journey.match_steps(G, steps_t)
# the preview: what each step would be matched to and how sure that is; only sure ones are pre-selected
st.dataframe(
    {
        tr("funnel.match.step"): matches["step"].tolist(),
        tr("funnel.match.touchpoint"): [t or "—" for t in matches["touchpoint"]],
        tr("funnel.match.confidence"): [
            tr(
                "funnel.match.sure" if ok else ("funnel.match.unsure" if tp else "funnel.match.none"),
                score=fmt_share(score, lang(), 0),
            )
            for tp, score, ok in zip(matches["touchpoint"], matches["score"], matches["confident"], strict=True)
        ],
    },
    hide_index=True,
    key="funnel.match_table",
)
st.caption(tr("funnel.match_caption"))
options = [None, *touchpoints_in_order(G)]
tp_labels = {n: (tr("funnel.journey_unmapped") if n is None else str(G.nodes[n].get("name") or n)) for n in options}
mapping = {}
# The pickers belong to this funnel's steps (STEPS_ID): another file's funnel starts from its own
# suggestions. Kept across funnels, a step's picker could move to another column, where the browser
# draws it afresh with its default while the page went on using the earlier choice.
cols = st.columns(min(len(matches), 4) or 1)
for i, row in enumerate(matches.itertuples(index=False)):
    step = row.step
    default = row.touchpoint_id if row.confident else None
    mapping[step] = cols[i % len(cols)].selectbox(
        tr("funnel.journey_step", step=step),
        options,
        index=options.index(default) if default in options else 0,
        format_func=tp_labels.__getitem__,
        key=f"funnel.tp.{stored.map_id}.{STEPS_ID}.{step}",
    )

threshold = st.select_slider(  # a select slider: its values are written per language (30 %), a slider's are not
    tr("funnel.pain_threshold"),
    options=[round(k / 100, 2) for k in range(5, 100, 5)],
    value=0.3,
    format_func=lambda v: fmt_share(v, lang(), 0),
    key="funnel.pain_threshold",
)
pain = journey.pain_dropoff(G, steps_t, counts, mapping, leave_rate_at_least=threshold)
st.markdown(f"**{tr('funnel.pain')}** — " + tr("funnel.pain_caption", rate=fmt_share(threshold, lang(), 0)))
flagged = pain[pain["flag"]]
if len(flagged):
    st.dataframe(
        {
            tr("funnel.pain.touchpoint"): flagged["touchpoint"].tolist(),
            tr("funnel.pain.emotion"): [fmt_emotion(v, lang()) for v in flagged["emotion"]],
            tr("funnel.pain.leave_rate"): [fmt_share(v, lang(), 0) for v in flagged["leave_rate"]],
            tr("funnel.pain.pain_point"): flagged["pain_point"].tolist(),
        },
        hide_index=True,
        key="funnel.pain_table",
    )
else:
    st.caption(tr("funnel.pain_none"))

preview = journey.apply_counts(G, steps_t, counts, mapping, source=det.name)
add_edges = False
if preview.missing_transitions:
    pairs = "; ".join(
        f"{md_escape(G.nodes[u].get('name', u))} → {md_escape(G.nodes[v].get('name', v))}"
        for u, v in preview.missing_transitions
    )
    st.caption(tr("funnel.journey_missing_edges", pairs=pairs))
    add_edges = st.checkbox(tr("funnel.journey_add_edges"), key="funnel.add_edges")
if preview.cleared:
    st.caption(tr("funnel.journey_replaces", n=len(preview.cleared)))
clear_others = False
if preview.others:
    # counts this funnel does not set (typed by hand, or from elsewhere): kept unless the user asks
    clear_others = st.checkbox(
        tr("funnel.journey_clear_others", n=len(preview.others)), key="funnel.clear_others", value=False
    )
if not can("edit", stored.map_id):  # the page hides what the role cannot use; the service checks again
    st.caption(tr("funnel.journey_read_only"))
elif st.button(tr("funnel.journey_save"), type="primary", key="funnel.save"):
    if not any(mapping.values()):
        st.warning(tr("funnel.journey_nothing"))
    else:
        try:
            result = services.apply_funnel_counts(
                get_store(),
                actor(),
                stored.map_id,
                steps=steps_t,
                counts=counts,
                mapping=mapping,
                source=det.name,
                add_missing_transitions=add_edges,
                clear_others=clear_others,
                base_version=stored.version,
            )
        except CJMError as exc:
            show_error(exc)
        else:
            applied = result.detail
            st.success(
                tr(
                    "funnel.journey_saved",
                    version=result.version,
                    tps=len(applied.touchpoints),
                    edges=len(applied.transitions),
                )
                + (" " + tr("funnel.journey_cleared", n=len(applied.cleared)) if applied.cleared else "")
            )
