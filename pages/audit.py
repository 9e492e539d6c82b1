"""Touchpoint audit: the six steps of the audit plan on the current map (inventory across maps).

Every edit is saved at once through :mod:`cjm.services` (merged with what others saved meanwhile);
the tables follow the data-editor recipe of ``cjm_ui.tables``."""

import hashlib
from datetime import date

import streamlit as st

from cjm import audit, catalogue, i18n, schema, services
from cjm.charts import audit as audit_charts
from cjm.editing import RowEdits, describe_problem
from cjm.errors import CJMError, Place, Problem, ValidationError
from cjm.notes import conflict_text, note_text
from cjm.text import fmt_date, fmt_int, md_escape
from cjm_ui import actor, can, date_format, get_store, lang, require_map, show_figure, tr
from cjm_ui.tables import LiveTables

L = lang()
store = get_store()
stored = require_map()
G = stored.graph
today = date.today()

st.title(tr("audit.title"))
if not can("edit", stored.map_id):  # changes here are refused by the services for this role
    st.info(tr("audit.read_only"), icon=":material/visibility:")
st.caption(tr("audit.intro"))


def _describe(exc: CJMError) -> str:
    """Why a change was refused, naming touchpoints by name and fields by label."""
    if isinstance(exc, ValidationError):
        lines = "\n".join(f"- {md_escape(describe_problem(p, G, L))}" for p in exc.problems[:30])
        return tr("audit.not_saved", n=len(exc.problems)) + "\n\n" + lines
    return md_escape(i18n.error_text(exc, L))


def _report(result: services.SaveResult) -> bool:
    """Tell the user (on the next run) what a save stored; True when a new version was stored."""
    if not result.changed:
        return False
    # The note and the conflicts name touchpoints and values (user text): escaped for Markdown.
    note = md_escape(note_text(result.note, L, with_conflicts=False))
    text = tr("audit.saved", version=result.version, note=note)
    if result.conflicts:
        lines = "\n".join(f"- {md_escape(conflict_text(c, L))}" for c in result.conflicts)
        st.session_state["audit.flash"] = ("warn", f"{text}\n\n{tr('audit.replaced')}\n{lines}")
    else:
        st.session_state["audit.flash"] = ("ok", text)
    return True


def _act(operation, *args, **kwargs) -> None:
    """Run a service operation on the current map (as shown) and rerun to show the result."""
    try:
        result = operation(store, actor(), stored.map_id, *args, base_version=stored.version, **kwargs)
    except CJMError as exc:
        st.error(_describe(exc))
        return
    if _report(result):
        TABLES.rebuild()
        st.rerun()


def _save_table(step: str, edits: RowEdits, built_from: tuple[str, int]) -> bool:
    """Save the edits of an audit table made on the version it was built from."""
    if edits.added or edits.deleted:  # the tables have a fixed set of rows
        problems = [
            Problem(Place("table"), None, "rows cannot be added here; add touchpoints in the editor", "rows_no_add"),
            Problem(
                Place("table"), None, "rows cannot be deleted here; delete touchpoints in the editor", "rows_no_delete"
            ),
        ]
        raise ValidationError([p for p, flag in zip(problems, (edits.added, edits.deleted), strict=True) if flag])
    map_id, version = built_from
    return _report(services.apply_audit_edits(store, actor(), map_id, edits.changed, base_version=version))


TABLES = LiveTables("audit", _save_table, _describe, tr("editor.discard"))
TABLES.handle_pending()  # edits left in a table rebuilt since (new version, other filters)

flash = st.session_state.pop("audit.flash", None)
if flash:
    kind, text = flash
    (st.success if kind == "ok" else st.warning)(text)


def _choice(kind: str):
    return lambda v: i18n.label(kind, v, L) if v else ""


def _column_config(fields):
    cfg = {
        "id": None,
        "name": st.column_config.TextColumn(tr("field.name"), disabled=True, width="medium", pinned=True),
        "stage_name": st.column_config.TextColumn(tr("field.stage"), disabled=True, width="small"),
        "key_touchpoint": st.column_config.CheckboxColumn(tr("field.key_touchpoint"), help=tr("audit.help.key")),
        "importance": st.column_config.NumberColumn(
            tr("field.importance"), min_value=1, max_value=5, step=1, format="%d", help=tr("audit.help.importance")
        ),
        "score": st.column_config.NumberColumn(
            tr("field.score"), min_value=1, max_value=5, step=1, format="%d", help=tr("audit.help.score")
        ),
        "evaluated_by": st.column_config.SelectboxColumn(
            tr("field.evaluated_by"), options=list(schema.EVALUATORS), format_func=_choice("evaluated_by")
        ),
        "evaluation_note": st.column_config.TextColumn(tr("field.evaluation_note"), max_chars=schema.TEXT_MAX),
        "task": st.column_config.TextColumn(tr("field.task"), width="medium", max_chars=schema.TEXT_MAX),
        "owner": st.column_config.TextColumn(tr("field.owner"), max_chars=schema.NAME_MAX),
        "deadline": st.column_config.DateColumn(tr("field.deadline"), format=date_format()),
        "task_status": st.column_config.SelectboxColumn(
            tr("field.task_status"), options=list(schema.TASK_STATUSES), format_func=_choice("task_status")
        ),
    }
    return {k: v for k, v in cfg.items() if k in ("id", "name", "stage_name", *fields)}


def _editor(step: str, *, only_key: bool, visible: set[str]) -> None:
    """An audit table of the current map; every edit is validated and saved as a new version."""
    fields = audit.STEP_FIELDS[step]
    frame = audit.audit_frame(G, fields, only_key=only_key, lang=L)
    frame = frame[frame["id"].isin(visible)].reset_index(drop=True)
    if frame.empty:
        st.info(tr("audit.no_key") if only_key else tr("audit.no_rows"))
        return
    ids = frame["id"].tolist()
    # The key changes with the stored version and with the rows shown (filters), so an edit's row
    # numbers always refer to the table it was made on.
    digest = hashlib.sha1("\n".join(ids).encode()).hexdigest()[:10]
    TABLES.show(
        step,
        frame,
        key=TABLES.key(step, stored.map_id, stored.version, digest),
        row_ids=ids,
        built_from=(stored.map_id, stored.version),
        num_rows="fixed",
        column_config=_column_config(fields),
        column_order=["name", "stage_name", *fields],
        height=min(36 * len(frame) + 42, 760),  # every row visible up to ~20, then the table scrolls
    )


# ---- Which maps, which touchpoints --------------------------------------------------------------
infos = store.list_maps()
titles = {m.map_id: m.title for m in infos}
with st.container(border=True):
    c_maps, c_phase, c_stage = st.columns([3, 2, 2])
    chosen = c_maps.multiselect(
        tr("audit.filter.maps"),
        list(titles),
        default=[stored.map_id],
        format_func=lambda m: titles.get(m, m),
        key=f"audit.maps.{stored.map_id}",  # a new current map starts a new inventory
        placeholder=tr("audit.filter.maps_none"),
    )
    maps = [G if m == stored.map_id else store.load(m).graph for m in chosen] or [G]
    inv = audit.inventory(maps, L)
    opts = audit.filter_options(inv)
    stage_names = dict(zip(inv["stage"], inv["stage_name"], strict=True))
    phases = c_phase.multiselect(
        tr("audit.filter.phases"),
        opts["phases"],
        format_func=_choice("phase"),
        key="audit.phases",
        placeholder=tr("audit.filter.all"),
    )
    stages = c_stage.multiselect(
        tr("audit.filter.stages"),
        opts["stages"],
        format_func=lambda s: stage_names.get(s, s),
        key="audit.stages",
        placeholder=tr("audit.filter.all"),
    )
    c_chan, c_cat, c_status = st.columns([3, 2, 2])
    channels = c_chan.multiselect(
        tr("audit.filter.channels"),
        opts["channels"],
        format_func=_choice("channel"),
        key="audit.channels",
        placeholder=tr("audit.filter.all"),
    )
    categories = c_cat.multiselect(
        tr("audit.filter.categories"),
        opts["categories"],
        format_func=_choice("category"),
        key="audit.categories",
        placeholder=tr("audit.filter.all"),
    )
    statuses = c_status.multiselect(
        tr("audit.filter.statuses"),
        opts["statuses"],
        format_func=_choice("status"),
        key="audit.statuses",
        placeholder=tr("audit.filter.all"),
    )
view = audit.filter_inventory(
    inv, phases=phases, stages=stages, channels=channels, categories=categories, statuses=statuses
)
# The editing steps work on the current map, with the same filters (whether or not it is listed).
own = audit.filter_inventory(
    audit.inventory([G], L), phases=phases, stages=stages, channels=channels, categories=categories, statuses=statuses
)
visible = set(own["id"])
if len(view) < len(inv):
    st.caption(tr("audit.filtered", shown=fmt_int(len(view), L), total=fmt_int(len(inv), L)))

progress = audit.audit_progress(view, today)
m = st.columns(6)
m[0].metric(
    tr("audit.metric.touchpoints"),
    fmt_int(progress.touchpoints, L),
    help=tr("audit.metric.missing", n=progress.missing),
)
m[1].metric(tr("audit.metric.key"), fmt_int(progress.key, L))
m[2].metric(tr("audit.metric.ranked"), f"{progress.ranked} / {progress.key}")
m[3].metric(tr("audit.metric.evaluated"), f"{progress.evaluated} / {progress.key}")
m[4].metric(tr("audit.metric.tasks"), f"{progress.tasks_done} / {progress.tasks}", help=tr("audit.metric.tasks_help"))
m[5].metric(tr("audit.metric.overdue"), fmt_int(progress.overdue, L))

steps = [f"{i}. {tr(f'audit.step.{s}')}" for i, s in enumerate(audit.AUDIT_STEPS, start=1)]
tab_identify, tab_select, tab_rank, tab_evaluate, tab_tasks, tab_carry = st.tabs(steps, key="audit.tab")

# ---- 1. Identify every touchpoint -------------------------------------------------------------------
with tab_identify:
    st.markdown(tr("audit.identify.lead"))
    st.dataframe(
        audit.display_frame(
            view,
            ["map_title", "name", "phase", "stage_name", "channel", "category", "status", "key_touchpoint"]
            if len(chosen) > 1
            else ["name", "phase", "stage_name", "channel", "category", "status", "key_touchpoint"],
            L,
        ),
        hide_index=True,
        width="stretch",
    )
    st.subheader(tr("audit.coverage.title"))
    st.caption(tr("audit.coverage.help"))
    with_planned = st.toggle(tr("audit.coverage.with_planned"), key="audit.with_planned")
    counted = ("existing", "planned") if with_planned else ("existing",)
    pc = audit.coverage_table(view, "phase", "category", statuses=counted)
    # Channels the journey never uses are listed, not drawn: a column of red would hide the real gaps.
    sc = audit.coverage_table(view, "stage", "channel", statuses=counted, used_columns_only=True)
    show_figure(
        audit_charts.coverage_heatmap_figure(pc, lang=L, title=tr("audit.coverage.phase_category")),
        width="stretch",
        key="audit.heat_pc",
    )
    st.caption(tr("audit.coverage.gaps", n=len(audit.coverage_gaps(pc)), total=pc.size))
    show_figure(
        audit_charts.coverage_heatmap_figure(sc, lang=L, title=tr("audit.coverage.stage_channel")),
        width="stretch",
        key="audit.heat_sc",
    )
    st.caption(tr("audit.coverage.gaps", n=len(audit.coverage_gaps(sc)), total=sc.size))
    unused = audit.unused_choices(view, "channel", statuses=counted)
    if unused:
        st.caption(tr("audit.coverage.unused", channels=", ".join(i18n.label("channel", c, L) for c in unused)))

    st.subheader(tr("audit.catalogue.title"))
    st.caption(tr("audit.catalogue.help"))
    similar = [m for m in catalogue.catalogue_matches(G) if m.how == "similar"]
    if similar:
        with st.expander(tr("audit.catalogue.matches", n=len(similar)), icon=":material/join_inner:"):
            for m in similar:
                entry = catalogue.catalogue_entry(m.key, L)
                c_text, c_yes, c_no = st.columns([4, 1, 1], vertical_alignment="center")
                c_text.markdown(
                    md_escape(tr("audit.catalogue.match", name=G.nodes[m.touchpoint].get("name"), entry=entry.name))
                )
                if c_yes.button(tr("audit.catalogue.confirm"), key=f"audit.match_yes.{m.touchpoint}.{m.key}"):
                    _act(services.apply_audit_edits, {m.touchpoint: {"catalogue_id": m.key}})
                if c_no.button(tr("audit.catalogue.reject"), key=f"audit.match_no.{m.touchpoint}.{m.key}"):
                    rejected = catalogue.reject_match(G, m.touchpoint, m.key).nodes[m.touchpoint]["catalogue_rejected"]
                    _act(services.apply_audit_edits, {m.touchpoint: {"catalogue_rejected": rejected}})
    missing = catalogue.missing_from_catalogue(G, L)
    add_status = st.radio(
        tr("audit.catalogue.add_as"),
        ["missing", "planned", "existing"],
        format_func=_choice("status"),
        horizontal=True,
        key="audit.add_status",
    )
    if not missing:
        st.success(tr("audit.catalogue.complete"))
    for group in catalogue.GROUPS:
        entries = [e for e in missing if e.group == group]
        if not entries:
            continue
        with st.expander(f"{tr(f'catalogue.group.{group}')} · {len(entries)}", expanded=group == "phase"):
            cols = st.columns(3)
            for i, entry in enumerate(entries):
                col = cols[i % 3]
                clicked = col.button(
                    entry.name,
                    icon=":material/add:",
                    key=f"audit.add.{entry.key}",
                    help=tr(
                        "audit.catalogue.entry_help",
                        phase=i18n.label("phase", entry.phase, L),
                        channel=i18n.label("channel", entry.channel, L),
                        category=i18n.label("category", entry.category, L),
                    ),
                    width="stretch",
                )
                if clicked:
                    _act(services.add_from_catalogue, entry.key, status=add_status, lang=L)

# ---- 2. Select the key touchpoints -------------------------------------------------------------------
with tab_select:
    st.markdown(tr("audit.select.lead"))
    proposals = [s for s in audit.key_touchpoint_suggestions(G) if s.id in visible]
    suggested = [s.id for s in proposals]
    if suggested:
        names = md_escape("; ".join(s.text(G, L) for s in proposals))
        c_text, c_button = st.columns([4, 1], vertical_alignment="center")
        c_text.info(tr("audit.select.suggested", n=len(suggested), names=names))
        if c_button.button(tr("audit.select.mark"), key="audit.mark_suggested", width="stretch"):
            _act(services.apply_audit_edits, {n: {"key_touchpoint": True} for n in suggested})
    _editor("select", only_key=False, visible=visible)

# ---- 3. Rank them by value to the business -----------------------------------------------------------
with tab_rank:
    st.markdown(tr("audit.rank.lead"))
    ranked = audit.ranking(view)
    if ranked.empty:
        st.info(tr("audit.no_key"))
    else:
        cols = ["rank", "name", "stage_name", "importance", "score", "channel"]
        if len(chosen) > 1:
            cols.insert(1, "map_title")
        st.dataframe(audit.display_frame(ranked, cols, L), hide_index=True, width="stretch")

# ---- 4. Evaluate -----------------------------------------------------------------------------------
with tab_evaluate:
    st.markdown(tr("audit.evaluate.lead"))
    _editor("evaluate", only_key=True, visible=visible)
    st.subheader(tr("audit.matrix.title"))
    st.caption(tr("audit.matrix.help", importance=audit.IMPORTANCE_HIGH, score=audit.SCORE_GOOD))
    prio = audit.priority_table(view)
    show_figure(
        audit_charts.priority_matrix_figure(prio, lang=L, show_map=len(chosen) > 1),
        width="stretch",
        key="audit.matrix",
    )
    if not prio.empty:
        st.dataframe(
            audit.display_frame(prio, ["quadrant", "name", "stage_name", "importance", "score", "evaluated_by"], L),
            hide_index=True,
            width="stretch",
        )
    summary = audit.evaluation_summary(view)
    if not summary.empty:
        st.caption(tr("audit.evaluate.by_whom"))
        st.dataframe(audit.display_frame(summary, list(summary.columns), L), hide_index=True)

# ---- 5. Improvement tasks ------------------------------------------------------------------------------
with tab_tasks:
    st.markdown(tr("audit.tasks.lead"))
    only_key = st.toggle(tr("audit.tasks.only_key"), value=False, key="audit.tasks_only_key")
    late = audit.task_table(own, today, overdue_only=True)
    if len(late):
        st.error(
            tr(
                "audit.tasks.overdue",
                n=len(late),
                names=", ".join(
                    f"{md_escape(r.name)} ({tr('audit.days', n=int(r.days_overdue))})"
                    for r in late.head(6).itertuples()
                ),
            )
        )
    _editor("tasks", only_key=only_key, visible=visible)

# ---- 6. Carry out the plan -------------------------------------------------------------------------------
with tab_carry:
    st.markdown(tr("audit.carry.lead", today=fmt_date(today, L)))
    tasks = audit.task_table(view, today)
    if tasks.empty:
        st.info(tr("audit.carry.none"))
    else:
        if progress.tasks:
            st.progress(progress.tasks_done / progress.tasks, text=tr("audit.carry.progress", done=progress.tasks_done,
                                                                       total=progress.tasks))  # fmt: skip
        # Who does what by when comes first; the long task text last, so nothing needs scrolling sideways.
        cols = ["name", "owner", "deadline", "days_overdue", "task_status", "task", "stage_name"]
        if len(chosen) > 1:
            cols.insert(0, "map_title")
        st.dataframe(
            audit.style_overdue(audit.display_frame(tasks, cols, L), tasks["overdue"].tolist()),
            hide_index=True,
            width="stretch",
            height=min(36 * len(tasks) + 42, 760),
        )
        c_csv, c_xlsx, _ = st.columns([1, 1, 2])
        stem = f"{stored.map_id}-tasks-{today.isoformat()}"
        c_csv.download_button(
            tr("audit.carry.csv"),
            data=lambda: audit.tasks_csv(tasks, L),  # built on click, not on every rerun
            file_name=f"{stem}.csv",
            mime="text/csv",
            key="audit.download_csv",
            icon=":material/download:",
            width="stretch",
        )
        c_xlsx.download_button(
            tr("audit.carry.xlsx"),
            data=lambda: audit.tasks_xlsx(tasks, L),
            file_name=f"{stem}.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key="audit.download_xlsx",
            icon=":material/download:",
            width="stretch",
        )
