"""Edit map: live workshop editing. Every committed edit is validated and saved at once as a new
version; concurrent edits are merged; other browsers' changes arrive within a few seconds.

Data-editor pattern (docs/testing.md): each table's widget key carries the map version and a nonce.
A committed edit reaches ``_on_table_change`` (on_change), is folded into the version the table
was built from, saved, and the nonce is bumped so the widget is rebuilt from the saved map: no edit
is ever applied twice or silently dropped. An edit that arrives without the callback (AppTest
writes the widget state directly) is processed right after the widget is drawn, once.
"""

from __future__ import annotations

import json
import time
import uuid
from datetime import UTC, datetime

import pandas as pd
import streamlit as st

from cjm import catalogue, editing, history, model, presence, schema
from cjm.errors import CJMError, ConflictError, MapNotFoundError, ValidationError
from cjm.i18n import error_text, has, label, t
from cjm.text import fmt_emotion, md_escape
from cjm_ui import get_store, lang, require_map, tr, user_name

L = lang()
store = get_store()
stored = require_map()
MAP_ID = stored.map_id
G = stored.graph
VERSION = stored.version

# ---- session state ---------------------------------------------------------------------------
SS = st.session_state
SS.setdefault("editor.session", uuid.uuid4().hex)
SS.setdefault("editor.nonce", 0)
SS.setdefault("editor.undo", {})  # map id -> history.UndoStack (per session, per map)
SS.setdefault("editor.errors", {})  # table -> list of messages about the last invalid edit
SS.setdefault("editor.flash", [])  # (level, message) shown once on the next run
SS.setdefault("editor.seen", {})  # widget key -> the delta already processed

# A new version (someone else's edit, or ours) rebuilds the tables from it.
if SS.get("editor.base") != (MAP_ID, VERSION):
    SS["editor.base"] = (MAP_ID, VERSION)
    SS["editor.nonce"] += 1
NONCE = SS["editor.nonce"]


def _stack(map_id: str | None = None) -> history.UndoStack:
    map_id = map_id or MAP_ID
    stacks = SS["editor.undo"]
    if map_id not in stacks:
        stacks[map_id] = history.UndoStack()
    return stacks[map_id]


def _flash(level: str, message: str) -> None:
    SS["editor.flash"].append((level, message))


def _conflict_lines(outcome: editing.SaveOutcome) -> list[str]:
    lines = []
    for c in outcome.conflicts:
        where = t(f"editor.kind.{c.kind}", L) + (f" “{c.name}”" if c.name else "")
        field = c.field or ""
        if field and not field.startswith("votes["):
            field = t(f"field.{field}", L) if has(f"field.{field}") else field
        lines.append(
            tr("editor.conflict.line", where=where, field=field or "—", kept=_show(c.kept), replaced=_show(c.replaced))
        )
    return lines


def _show(value) -> str:
    if value is None or value == "":
        return "—"
    text = str(value)
    return text if len(text) <= 60 else text[:59] + "…"


def _report(outcome: editing.SaveOutcome, what: str) -> None:
    if outcome.conflicts:
        who = ", ".join(outcome.others) or tr("editor.someone")
        _flash(
            "warning",
            tr("editor.conflict.head", who=who, version=outcome.version)
            + "\n\n"
            + "\n".join(f"- {line}" for line in _conflict_lines(outcome)),
        )
    elif outcome.merged_with:
        who = ", ".join(outcome.others) or tr("editor.someone")
        _flash("toast", tr("editor.merged", who=who, version=outcome.version))
    else:
        _flash("toast", tr("editor.saved", version=outcome.version, what=what))


def commit(map_id: str, base_version: int, base, edited) -> editing.SaveOutcome | None:
    """Save an edit at once (merging with concurrent edits) and record it for undo."""
    diff = history.diff_maps(base, edited)
    if diff.empty:
        return None
    note = history.summarize(diff, L)
    outcome = editing.save_edit(store, map_id, base_version, base, edited, author=user_name(), note=note)
    _stack(map_id).push(base, edited, note)
    SS["editor.base"] = (map_id, outcome.version)
    SS["editor.nonce"] += 1
    _report(outcome, note)
    return outcome


def _guard(fn, *args, table: str | None = None, **kwargs):
    """Run an edit; an invalid one is reported next to ``table`` (or on top) and nothing is saved."""
    try:
        result = fn(*args, **kwargs)
        if table:
            SS["editor.errors"].pop(table, None)
        return result
    except ValidationError as exc:
        shown = SS.get("editor.shown_graph")
        msgs = [editing.describe_problem(p, shown, L) for p in exc.problems[:20]]
        if table:
            SS["editor.errors"][table] = msgs
        else:
            _flash("error", tr("editor.not_saved") + "\n\n" + "\n".join(f"- {m}" for m in msgs))
    except CJMError as exc:
        _flash("error", error_text(exc, L))
    return None


# ---- tables ------------------------------------------------------------------------------------
APPLY = {
    "touchpoints": editing.apply_touchpoint_delta,
    "transitions": editing.apply_transition_delta,
    "stages": editing.apply_stage_delta,
}


def _process_table(table: str, key: str, map_id: str, version: int) -> None:
    """Fold the delta of ``table``'s editor into the version it was built from and save it."""
    delta = SS.get(key)
    if editing.delta_is_empty(delta):
        return
    signature = json.dumps(delta, sort_keys=True, default=str)
    if SS["editor.seen"].get(key) == signature:
        return  # already handled (by the callback, or an unchanged invalid edit)
    SS["editor.seen"][key] = signature
    base = _version_graph(map_id, version)

    def run():
        applied = APPLY[table](base, delta)
        if applied.changed:
            commit(map_id, version, base, applied.graph)
        return applied

    _guard(run, table=table)


def _on_table_change(table: str, key: str, map_id: str, version: int) -> None:
    _process_table(table, key, map_id, version)


def _editor_key(table: str, extra: str = "") -> str:
    return f"editor.{table}.{MAP_ID}.{VERSION}.{NONCE}{extra}"


def _table_errors(table: str) -> None:
    msgs = SS["editor.errors"].get(table)
    if msgs:
        st.error(tr("editor.not_saved") + "\n\n" + "\n".join(f"- {m}" for m in msgs), icon=":material/error:")
        st.button(tr("editor.discard"), key=f"editor.discard.{table}.{NONCE}", on_click=_discard, args=(table,))


def _discard(table: str) -> None:
    SS["editor.errors"].pop(table, None)
    SS["editor.nonce"] += 1


def _stage_ids() -> list[str]:
    return [s["id"] for s in model.stages(G)]


def _stage_name(sid) -> str:
    for s in model.stages(G):
        if s["id"] == sid:
            return model.stage_label(s, L)
    return str(sid or "")


def _stage_option(sid) -> str:
    """A stage as a select option. Streamlit 1.67 keeps a selectbox's choice by its label, so two
    stages with the same name get their id added to stay distinguishable."""
    name = _stage_name(sid)
    same = sum(1 for s in model.stages(G) if model.stage_label(s, L) == name)
    return f"{name} ({sid})" if same > 1 else name


def _tp_label(tp_id) -> str:
    if tp_id in G:
        return f"{G.nodes[tp_id].get('name') or tp_id} ({tp_id})"
    return str(tp_id or "")


def _choice(kind: str):
    return lambda v: label(kind, v, L) if v else ""


def _range_help(f) -> str | None:
    # No min/max on the grid's number columns: the grid would silently clamp 7 to 2 and save
    # that. Out-of-range values reach the validator instead, which refuses them with a message.
    if f.minimum is None:
        return None
    if f.maximum is None:
        return tr("editor.help.at_least", low=int(f.minimum))
    return tr("editor.help.range", low=int(f.minimum), high=int(f.maximum))


def _touchpoint_config(columns: list[str]) -> dict:
    fields = {f.name: f for f in schema.TOUCHPOINT_FIELDS}
    cfg: dict = {}
    for c in columns:
        f = fields[c]
        head = t(f"field.{c}", L)
        if c == "id":
            cfg[c] = st.column_config.TextColumn(head, disabled=True, width="small")
        elif c == "name":
            cfg[c] = st.column_config.TextColumn(
                head, required=True, max_chars=schema.NAME_MAX, width="medium", pinned=True
            )
        elif c == "stage":
            cfg[c] = st.column_config.SelectboxColumn(head, options=_stage_ids(), format_func=_stage_name)
        elif c == "order":
            cfg[c] = st.column_config.NumberColumn(
                head, step=0.5, format="%.1f", help=tr("editor.help.order"), width="small"
            )
        elif c == "emotion":
            cfg[c] = st.column_config.NumberColumn(
                head, step=0.1, format="%+.1f",
                help=tr("editor.help.emotion"), width="small",
            )  # fmt: skip
        elif f.kind == "choice":
            cfg[c] = st.column_config.SelectboxColumn(head, options=list(f.choices or ()), format_func=_choice(c))
        elif f.kind == "bool":
            cfg[c] = st.column_config.CheckboxColumn(head, width="small")
        elif f.kind == "date":
            cfg[c] = st.column_config.DateColumn(head, format="YYYY-MM-DD")
        elif f.kind == "time":
            cfg[c] = st.column_config.TimeColumn(head, format="HH:mm")
        elif f.kind == "int":
            cfg[c] = st.column_config.NumberColumn(head, step=1, format="%d", width="small", help=_range_help(f))
        elif f.kind == "float":
            cfg[c] = st.column_config.NumberColumn(head)
        else:
            cfg[c] = st.column_config.TextColumn(head, max_chars=f.max_len)
    return cfg


def _data_editor(
    table: str, frame: pd.DataFrame, config: dict, *, key: str, num_rows: str = "dynamic", height="auto", order=None
):
    SS.setdefault("editor.keys", {})[table] = key
    registry = SS.setdefault("editor.registry", {})
    registry[key] = (table, MAP_ID, VERSION)
    for old in list(registry)[:-12]:  # only the last few editor widgets can still hold an edit
        registry.pop(old, None)
        SS["editor.seen"].pop(old, None)
    slot = st.container()  # the reason of an invalid edit goes right above its table
    st.data_editor(
        frame,
        column_order=order,
        key=key,
        column_config=config,
        num_rows=num_rows,
        hide_index=True,
        width="stretch",
        height=height,
        placeholder="—",  # a missing value (not assessed, no deadline …), in any language
        on_change=_on_table_change,
        args=(table, key, MAP_ID, VERSION),
    )
    # Without the callback (AppTest sets the widget state directly), handle the delta here, once.
    if not editing.delta_is_empty(SS.get(key)):
        before = SS["editor.nonce"]
        _process_table(table, key, MAP_ID, VERSION)
        if SS["editor.nonce"] != before:
            st.rerun()
    with slot:
        _table_errors(table)


# ---- actions used by buttons -------------------------------------------------------------------


def _latest():
    return store.load(MAP_ID)


@st.cache_data(max_entries=64, show_spinner=False)
def _version_graph(map_id: str, version: int):
    """One stored version of a map (versions never change, so they are cached; callers get copies)."""
    return get_store().load(map_id, version).graph


def _apply_now(fn, *args, **kwargs) -> None:
    """Apply a helper edit to the latest version and save it (button callbacks)."""

    def run():
        latest = _latest()
        edited = fn(latest.graph, *args, **kwargs)
        if isinstance(edited, tuple):
            edited = edited[0]
        commit(MAP_ID, latest.version, latest.graph, edited)

    _guard(run)


def _undo_redo(direction: str) -> None:
    stack = _stack()

    def run():
        for _ in range(5):
            latest = _latest()
            planned = stack.undo(latest.graph) if direction == "undo" else stack.redo(latest.graph)
            if planned is None:
                return
            graph, _conflicts = planned
            if history.diff_maps(latest.graph, graph).empty:
                stack.confirm()
                SS["editor.nonce"] += 1
                return
            note = tr(f"editor.{direction}_note", what=stack.undo_label if direction == "undo" else stack.redo_label)
            try:
                version = store.save(graph, expected_version=latest.version, author=user_name(), note=note)
            except ConflictError:
                continue  # someone saved meanwhile: plan the undo again on top of their version
            stack.confirm()
            SS["editor.base"] = (MAP_ID, version)
            SS["editor.nonce"] += 1
            _flash("toast", tr(f"editor.{direction}_done", version=version))
            return

    _guard(run)


def _restore(version: int) -> None:
    def run():
        old = _version_graph(MAP_ID, version)
        latest = _latest()
        restored = old.copy()
        restored.graph["id"] = MAP_ID
        diff = history.diff_maps(latest.graph, restored)
        if diff.empty:
            _flash("info", tr("editor.history.same"))
            return
        new = store.save(
            restored,
            expected_version=latest.version,
            author=user_name(),
            note=tr("editor.history.restored_note", version=version),
        )
        _stack().push(latest.graph, restored, tr("editor.history.restored_note", version=version))
        SS["editor.base"] = (MAP_ID, new)
        SS["editor.nonce"] += 1
        _flash("toast", tr("editor.history.restored", version=version, new=new))

    _guard(run)


def _map_field_changed(field: str, key: str) -> None:
    value = SS.get(key)
    if field.startswith("persona."):
        _apply_now(editing.update_map_fields, persona={field.split(".", 1)[1]: value or ""})
    else:
        _apply_now(editing.update_map_fields, **{field: value})


# ---- the watcher: others' changes and presence --------------------------------------------------


def _ago(moment: datetime) -> str:
    seconds = max(0, int((datetime.now(UTC) - moment).total_seconds()))
    if seconds < 60:
        return tr("editor.ago.seconds", n=seconds)
    if seconds < 3600:
        return tr("editor.ago.minutes", n=seconds // 60)
    return tr("editor.ago.hours", n=seconds // 3600)


def _latest_info(version: int):
    """The history entry of the latest version (looked up once per version)."""
    cached = SS.get("editor.info")
    if not cached or cached[0] != (MAP_ID, version):
        SS["editor.info"] = ((MAP_ID, version), store.history(MAP_ID)[0])
    return SS["editor.info"][1]


@st.fragment(run_every="1s")
def watcher() -> None:
    """Poll the stored version (one indexed lookup) and heartbeat presence; rerun on a change."""
    now = time.monotonic()
    try:
        if now - SS.get("editor.beat", 0.0) >= 4.0:  # presence is shown for 12 s after a beat
            presence.heartbeat(store, MAP_ID, SS["editor.session"], user_name())
            SS["editor.beat"] = now
        latest = store.latest_version(MAP_ID)
    except MapNotFoundError:
        st.rerun()  # deleted meanwhile: the full run tells the user to pick another map
    except CJMError:
        return
    info = _latest_info(latest)
    if latest != SS["editor.base"][1]:
        if info.author != user_name():
            level = "warning" if "conflicts" in info.note else "remote"
            _flash(
                level,
                tr("editor.remote", who=info.author or tr("editor.someone"), version=info.version, note=info.note),
            )
        st.rerun()
    others = presence.active_editors(store, MAP_ID, within_seconds=12, exclude=SS["editor.session"])
    names = ", ".join(dict.fromkeys(e.user_name for e in others))
    who = tr("editor.presence.others", names=names) if names else tr("editor.presence.alone")
    st.caption(
        f":material/group: {who}  ·  "
        + tr("editor.presence.changed", ago=_ago(info.saved_at), who=info.author or "—", version=info.version)
    )


# ---- edits not yet handled --------------------------------------------------------------------
# A committed edit normally reaches _on_table_change before this run. If one arrived without the
# callback (AppTest writes widget state directly) and its table has been rebuilt since, fold it in
# now against the version it was made on: no edit is dropped.
_before = SS["editor.nonce"]
for _key, (_table, _map_id, _version) in list(SS.get("editor.registry", {}).items()):
    if _key in SS:
        _process_table(_table, _key, _map_id, _version)
if SS["editor.nonce"] != _before:
    st.rerun()

# ---- the page ------------------------------------------------------------------------------------
SS["editor.shown_graph"] = G
st.caption(tr("editor.nav"))
st.header(G.graph.get("title", ""), anchor=False)
with st.container(horizontal=True, vertical_alignment="center"):
    stack = _stack()
    st.button(
        tr("editor.undo"), icon=":material/undo:", disabled=not stack.can_undo, key="editor.undo_btn",
        on_click=_undo_redo, args=("undo",), help=stack.undo_label or None,
    )  # fmt: skip
    st.button(
        tr("editor.redo"), icon=":material/redo:", disabled=not stack.can_redo, key="editor.redo_btn",
        on_click=_undo_redo, args=("redo",), help=stack.redo_label or None,
    )  # fmt: skip
    st.link_button(
        tr("editor.presenter"), f"presenter?map={MAP_ID}&lang={L}", icon=":material/co_present:",
        help=tr("editor.presenter_help"),
    )  # fmt: skip
    layout = st.segmented_control(
        tr("editor.preview_layout"), ["beside", "below", "off"], default="beside", key="editor.preview_layout",
        format_func=lambda v: t(f"editor.preview_layout.{v}", L), label_visibility="collapsed",
    ) or "beside"  # fmt: skip
watcher()

for level, message in SS["editor.flash"]:
    if level == "toast":
        st.toast(message, icon=":material/check_circle:", duration="long")
    elif level == "remote":
        st.toast(message, icon=":material/sync:", duration=10)
    elif level == "warning":
        st.warning(message, icon=":material/merge:")
    elif level == "info":
        st.info(message)
    else:
        st.error(message)
SS["editor.flash"] = []

if layout == "beside":
    left, right = st.columns([1, 1], gap="medium")
else:
    left, right = st.container(), (st.container() if layout == "below" else None)

with left:
    # ---- quick add ----
    with st.container(border=True):
        st.markdown(f"**{tr('editor.quick.title')}**")
        kinds = list(editing.QUICK_KINDS)
        # A form: Enter in the text box adds at once, and the box is cleared for the next call-out.
        with st.form("editor.quick_form", clear_on_submit=True, border=False):
            qa, qb = st.columns([3, 1], vertical_alignment="bottom")
            q_text = qa.text_input(
                tr("editor.quick.text"), key="editor.quick_text", placeholder=tr("editor.quick.placeholder"),
                max_chars=schema.TEXT_MAX,
            )  # fmt: skip
            submitted = qb.form_submit_button(
                tr("editor.quick.add"), type="primary", key="editor.quick_add", icon=":material/add:", width="stretch"
            )
            qc = st.columns([2, 2, 3])
            q_kind = qc[0].selectbox(
                tr("editor.quick.kind"),
                kinds,
                format_func=lambda k: t(f"editor.quick.kind.{k}", L),
                key="editor.quick_kind",
            )
            q_stage = qc[1].selectbox(
                tr("field.stage"), _stage_ids(), format_func=_stage_option, key="editor.quick_stage"
            )
            targets = [None, *model.touchpoints_in_order(G)]
            q_target = qc[2].selectbox(
                tr("editor.quick.target"), targets, key="editor.quick_target",
                format_func=lambda v: t("editor.quick.new_tp", L) if v is None else _tp_label(v),
                help=tr("editor.quick.target_help"),
            )  # fmt: skip
        if submitted:
            if not q_text.strip():
                st.warning(tr("editor.quick.empty"))
            else:
                target = q_target if q_kind != "touchpoint" and q_target in G else None
                _apply_now(editing.quick_add, q_text, kind=q_kind, stage=q_stage, target=target)
                st.rerun()

    tabs = st.tabs(
        [tr("editor.tab.touchpoints"), tr("editor.tab.transitions"), tr("editor.tab.stages"),
         tr("editor.tab.map"), tr("editor.tab.workshop"), tr("editor.tab.history")],
        key="editor.tab", on_change="rerun",
    )  # fmt: skip

    # ---- touchpoints ----
    with tabs[0]:
        if tabs[0].open:  # lazy: only the selected tab runs
            groups = list(editing.COLUMN_GROUPS)
            group = st.segmented_control(
                tr("editor.columns"), groups, default="essentials", key="editor.group",
                format_func=lambda g: t(f"editor.group.{g}", L),
            ) or "essentials"  # fmt: skip
            cols = editing.touchpoint_columns(group)
            _data_editor(
                "touchpoints", editing.touchpoint_frame(G, group), _touchpoint_config(cols),
                key=_editor_key("touchpoints", f".{group}"), height=min(38 + 35 * (G.number_of_nodes() + 2), 620),
                order=[*cols[1:], "id"],
            )  # fmt: skip
            st.caption(tr("editor.tp_hint"))

    # ---- transitions ----
    with tabs[1]:
        if tabs[1].open:  # lazy: only the selected tab runs
            ids = model.touchpoints_in_order(G)
            _data_editor(
                "transitions",
                editing.transition_frame(G),
                {
                    "source": st.column_config.SelectboxColumn(
                        tr("editor.col.source"), options=ids, format_func=_tp_label, required=True
                    ),
                    "target": st.column_config.SelectboxColumn(
                        tr("editor.col.target"), options=ids, format_func=_tp_label, required=True
                    ),
                    "users": st.column_config.NumberColumn(tr("field.users"), step=1, format="%d"),
                    "label": st.column_config.TextColumn(tr("field.label"), max_chars=schema.NAME_MAX),
                },
                key=_editor_key("transitions"),
            )
            st.caption(tr("editor.tr_hint"))

    # ---- stages ----
    with tabs[2]:
        if tabs[2].open:  # lazy: only the selected tab runs
            _data_editor(
                "stages",
                editing.stage_frame(G),
                {
                    "position": st.column_config.NumberColumn(
                        tr("editor.col.position"), min_value=1, step=1, format="%d", help=tr("editor.help.position")
                    ),
                    "id": st.column_config.TextColumn(tr("editor.col.stage_id"), help=tr("editor.help.stage_id")),
                    "name": st.column_config.TextColumn(tr("editor.col.stage_name"), max_chars=schema.NAME_MAX),
                    "phase": st.column_config.SelectboxColumn(
                        tr("editor.col.phase"), options=list(schema.PHASES), format_func=_choice("phase")
                    ),
                    "touchpoints": st.column_config.NumberColumn(tr("editor.col.tp_count"), disabled=True),
                },
                key=_editor_key("stages"),
            )
            st.caption(tr("editor.st_hint"))

    # ---- map & persona (each field saves when it loses focus) ----
    with tabs[3]:
        if tabs[3].open:  # lazy: only the selected tab runs
            a = G.graph
            persona = a.get("persona") or {}
            m1, m2 = st.columns(2)
            k = f"editor.map.title.{NONCE}"
            m1.text_input(tr("editor.map.title"), value=a.get("title", ""), key=k, max_chars=schema.NAME_MAX,
                          on_change=_map_field_changed, args=("title", k))  # fmt: skip
            k = f"editor.map.map_type.{NONCE}"
            m2.selectbox(tr("editor.map.map_type"), schema.MAP_TYPES, index=schema.MAP_TYPES.index(a.get("map_type")),
                         format_func=lambda v: t(f"map_type.{v}", L), key=k, on_change=_map_field_changed, args=("map_type", k))  # fmt: skip
            k = f"editor.map.segment.{NONCE}"
            m1.text_input(
                tr("editor.map.segment"),
                value=a.get("segment") or "",
                key=k,
                on_change=_map_field_changed,
                args=("segment", k),
            )
            all_maps = store.list_maps()
            others = [None] + [m.map_id for m in all_maps if m.map_id != MAP_ID]
            titles = {m.map_id: m.title for m in all_maps}
            k = f"editor.map.baseline_id.{NONCE}"
            base_id = a.get("baseline_id")
            m2.selectbox(
                tr("editor.map.baseline_id"), others, index=others.index(base_id) if base_id in others else 0,
                format_func=lambda v: t("editor.map.no_baseline", L) if v is None else f"{titles.get(v, v)} ({v})",
                key=k, on_change=_map_field_changed, args=("baseline_id", k),
            )  # fmt: skip
            k = f"editor.map.language.{NONCE}"
            m1.selectbox(tr("editor.map.language"), ["en", "ru"], index=["en", "ru"].index(a.get("language") or "en") if (a.get("language") or "en") in ("en", "ru") else 0,
                         format_func=lambda c: {"en": "English", "ru": "Русский"}[c], key=k, on_change=_map_field_changed, args=("language", k))  # fmt: skip
            st.markdown(f"**{tr('editor.persona')}**")
            for f in schema.PERSONA_FIELDS:
                k = f"editor.persona.{f.name}.{NONCE}"
                widget = st.text_input if f.kind == "str" else st.text_area
                extra = {} if f.kind == "str" else {"height": 80}
                widget(tr(f"editor.persona.{f.name}"), value=persona.get(f.name) or "", key=k, max_chars=f.max_len,
                       on_change=_map_field_changed, args=(f"persona.{f.name}", k), **extra)  # fmt: skip
            st.caption(tr("editor.map_hint"))

    # ---- workshop: votes, comments, order, catalogue ----
    with tabs[4]:
        if tabs[4].open:  # lazy: only the selected tab runs
            order = model.touchpoints_in_order(G)
            if not order:
                st.info(tr("editor.ws.no_touchpoints"))
            else:
                chosen = st.selectbox(tr("editor.ws.touchpoint"), order, format_func=_tp_label, key="editor.ws_tp")
                if chosen not in G:
                    chosen = order[0]
                d = G.nodes[chosen]
                w1, w2 = st.columns(2)
                with w1, st.container(border=True):
                    st.markdown(f"**{tr('editor.ws.votes')}**")
                    votes = d.get("votes") or []
                    me = user_name()
                    mine = next((v for v in votes if v.get("participant") == me), None)
                    score = st.slider(
                        tr("editor.ws.your_score", name=me), min_value=-2.0, max_value=2.0, step=0.5,
                        value=float(mine["score"]) if mine else 0.0, key=f"editor.ws_score.{chosen}.{NONCE}",
                    )  # fmt: skip
                    v1, v2 = st.columns(2)
                    v1.button(tr("editor.ws.vote"), key="editor.ws_vote", type="primary", on_click=_apply_now,
                              args=(editing.cast_vote, chosen, me, score), width="stretch")  # fmt: skip
                    v2.button(tr("editor.ws.unvote"), key="editor.ws_unvote", disabled=mine is None, on_click=_apply_now,
                              args=(editing.remove_vote, chosen, me), width="stretch")  # fmt: skip
                    if votes:
                        st.dataframe(
                            pd.DataFrame({tr("editor.ws.participant"): [v.get("participant") for v in votes],
                                          tr("editor.ws.score"): [float(v.get("score")) for v in votes]}),
                            hide_index=True, width="stretch",
                        )  # fmt: skip
                        emo = d.get("emotion")
                        st.caption(tr("editor.ws.mean", n=len(votes), mean=fmt_emotion(emo, L)))
                    else:
                        st.caption(tr("editor.ws.no_votes"))
                with w2, st.container(border=True):
                    st.markdown(f"**{tr('editor.ws.comments')}**")
                    for i, c in enumerate(d.get("comments") or []):
                        cc = st.columns([6, 1], vertical_alignment="center")
                        cc[0].markdown(
                            f"**{md_escape(c.get('author') or '—')}** · {md_escape(str(c.get('time') or '')[:16])}"
                        )
                        cc[0].text(c.get("text") or "")
                        cc[1].button("", icon=":material/delete:", key=f"editor.ws_del.{chosen}.{i}.{NONCE}",
                                     help=tr("editor.ws.delete_comment"), on_click=_apply_now, args=(editing.delete_comment, chosen, i))  # fmt: skip
                    with st.form(f"editor.ws_comment_form.{chosen}", clear_on_submit=True, border=False):
                        text = st.text_area(tr("editor.ws.new_comment"), height=70, max_chars=schema.TEXT_MAX)
                        if st.form_submit_button(tr("editor.ws.add_comment")):
                            if text.strip():
                                _apply_now(editing.add_comment, chosen, user_name(), text)
                                st.rerun()
                            else:
                                st.warning(tr("editor.ws.empty_comment"))
                with st.container(border=True):
                    st.markdown(f"**{tr('editor.ws.order')}**")
                    o1, o2, o3 = st.columns([1, 1, 3], vertical_alignment="center")
                    pos = order.index(chosen)
                    o1.button(tr("editor.ws.earlier"), icon=":material/arrow_back:", key="editor.ws_up", disabled=pos == 0,
                              on_click=_apply_now, args=(editing.move_touchpoint, chosen, -1), width="stretch")  # fmt: skip
                    o2.button(tr("editor.ws.later"), icon=":material/arrow_forward:", key="editor.ws_down", disabled=pos == len(order) - 1,
                              on_click=_apply_now, args=(editing.move_touchpoint, chosen, 1), width="stretch")  # fmt: skip
                    o3.caption(tr("editor.ws.position", pos=pos + 1, n=len(order), stage=_stage_name(d.get("stage"))))

            with st.container(border=True):
                st.markdown(f"**{tr('editor.cat.title')}**")
                st.caption(tr("editor.cat.hint"))
                c1, c2 = st.columns(2)
                cat_status = c1.selectbox(
                    tr("field.status"),
                    catalogue.ADDABLE_STATUSES,
                    format_func=_choice("status"),
                    key="editor.cat_status",
                )
                cat_stage = c2.selectbox(tr("editor.cat.stage"), [None, *_stage_ids()], key="editor.cat_stage",
                                         format_func=lambda s: t("editor.cat.suggested", L) if s is None else _stage_option(s))  # fmt: skip
                # Names go onto the map, so they are in the map's language.
                map_lang = G.graph.get("language") if G.graph.get("language") in ("en", "ru") else L
                missing = catalogue.missing_from_catalogue(G, map_lang)
                if not missing:
                    st.success(tr("editor.cat.all_there"))
                for grp in catalogue.GROUPS:
                    entries = [e for e in missing if e.group == grp]
                    if not entries:
                        continue
                    st.caption(tr(f"editor.cat.group.{grp}"))
                    gcols = st.columns(2)
                    for i, e in enumerate(entries):
                        gcols[i % 2].button(
                            e.name, icon=":material/add:", key=f"editor.cat.{e.key}", width="stretch",
                            help=f"{label('channel', e.channel, L)} · {label('category', e.category, L)} · {t(f'stage.{e.stage}', L)}",
                            on_click=_apply_now,
                            args=(editing.add_catalogue_touchpoint, e.key),
                            kwargs={"stage": cat_stage, "status": cat_status, "lang": map_lang},
                        )  # fmt: skip

    # ---- history ----
    with tabs[5]:
        if tabs[5].open:  # lazy: only the selected tab runs
            versions = store.history(MAP_ID)
            st.dataframe(
                pd.DataFrame(
                    {
                        tr("editor.history.version"): [v.version for v in versions],
                        tr("editor.history.saved_at"): [v.saved_at.strftime("%Y-%m-%d %H:%M:%S") for v in versions],
                        tr("editor.history.author"): [v.author for v in versions],
                        tr("editor.history.note"): [v.note for v in versions],
                        tr("editor.history.touchpoints"): [v.touchpoints for v in versions],
                    }
                ),
                hide_index=True, width="stretch", height=min(38 + 35 * len(versions), 300),
            )  # fmt: skip
            numbers = [v.version for v in versions]
            h1, h2 = st.columns(2)
            old_v = h1.selectbox(
                tr("editor.history.from"), numbers, index=min(1, len(numbers) - 1), key=f"editor.hist_from.{VERSION}"
            )
            new_v = h2.selectbox(tr("editor.history.to"), numbers, index=0, key=f"editor.hist_to.{VERSION}")
            if len(numbers) < 2:
                st.info(tr("editor.history.only_one"))
            elif old_v is not None and new_v is not None:
                A = _version_graph(MAP_ID, old_v)
                B = _version_graph(MAP_ID, new_v)
                names = {n: d.get("name") or n for g in (A, B) for n, d in g.nodes(data=True)}
                table = history.diff_table(history.diff_maps(A, B), L, names=names)
                if table.empty:
                    st.info(tr("editor.history.no_diff", a=old_v, b=new_v))
                else:
                    st.markdown(f"**{tr('editor.history.diff_head', a=old_v, b=new_v, n=len(table))}**")
                    st.dataframe(
                        table.rename(columns={c: tr(f"editor.diff.col.{c}") for c in table.columns}),
                        hide_index=True,
                        width="stretch",
                    )
                st.button(
                    tr("editor.history.restore", version=old_v), key="editor.hist_restore", icon=":material/history:",
                    on_click=_restore, args=(old_v,), disabled=old_v == numbers[0],
                )  # fmt: skip


# ---- live preview -------------------------------------------------------------------------------
@st.cache_data(max_entries=24, show_spinner=False)
def _preview_figure(map_id: str, version: int, language: str, narrow: bool, baseline: tuple | None, which: str):
    """One preview figure of one stored version (cached: a version never changes), or None."""
    base_graph = _version_graph(*baseline) if baseline else None
    figures = editing.preview_figures(
        _version_graph(map_id, version), language, compact=narrow, window=3 if narrow else 10,
        baseline=base_graph, which=(which,),
    )  # fmt: skip
    fig = figures.get(which)
    if fig is not None and narrow and which == "map":
        fig.update_layout(showlegend=False)
    return fig


def _baseline_ref() -> tuple | None:
    """(id, latest version) of the map this one improves on, when it is stored."""
    base_id = G.graph.get("baseline_id")
    try:
        return (base_id, store.latest_version(base_id)) if base_id else None
    except CJMError:
        return None


if right is not None:
    with right:
        if G.number_of_nodes():
            names = ["map", "emotion"]
            ptabs = st.tabs([tr(f"editor.preview.{n}") for n in names], key="editor.preview_tab", on_change="rerun")
            for tab, name in zip(ptabs, names, strict=True):
                with tab:
                    if not tab.open:
                        continue  # only the selected preview is built
                    fig = _preview_figure(MAP_ID, VERSION, L, layout == "beside", _baseline_ref(), name)
                    if fig is not None:
                        st.plotly_chart(fig, width="stretch", key=f"editor.preview_{name}.{VERSION}")
                    else:
                        table = editing.preview_table(G, L)
                        st.dataframe(
                            table.rename(columns={c: tr(f"editor.preview.col.{c}") for c in table.columns}),
                            hide_index=True,
                        )
        else:
            st.info(tr("editor.ws.no_touchpoints"))
