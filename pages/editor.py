"""Edit map: live workshop editing. Every committed edit is validated and saved at once as a new
version through :mod:`cjm.services` (concurrent edits are merged there); other browsers' changes
arrive within a second (``cjm_ui.live.follow``). The tables follow the data-editor recipe of ``cjm_ui.tables``.
"""

from __future__ import annotations

import hashlib
import time
import uuid

import pandas as pd
import streamlit as st

from cjm import catalogue, editing, history, model, presence, schema, services
from cjm.errors import CJMError, ValidationError
from cjm.health import run_checks
from cjm.i18n import LANGUAGE_NAMES, error_text, label, t
from cjm.notes import VersionNote, ago_text, conflict_text, note_text
from cjm.text import fmt_date, fmt_emotion, md_escape
from cjm_ui import actor, can, date_format, get_store, lang, require_map, show_figure, signed_in_mode, tr, user_name
from cjm_ui.health import show_findings
from cjm_ui.live import follow
from cjm_ui.tables import LiveTables

L = lang()
store = get_store()
stored = require_map()
MAP_ID = stored.map_id
G = stored.graph
VERSION = stored.version
# What this person's role lets them use, read from the database at every run; the page only hides
# what they cannot use, the services refuse it anyway (a click made before the role was lowered).
CAN_EDIT = can("edit", MAP_ID)
CAN_COMMENT = CAN_EDIT or can("comment", MAP_ID)

SS = st.session_state
#: Pixels per touchpoint column of the live map: narrow beside the table, as on the map page below it.
PREVIEW_COLUMN_PX = {True: 150, False: 190}
#: The emotion column of the table: its header («Эмоция») stays whole beside its icon.
EMOTION_COLUMN_PX = 92
SS.setdefault("editor.session", uuid.uuid4().hex)
SS.setdefault("editor.undo", {})  # map id -> history.UndoStack (per session, per map)
SS.setdefault("editor.flash", [])  # (level, message) shown once on the next run


# ---- saving and telling the user ---------------------------------------------------------------


def _stack(map_id: str = MAP_ID) -> history.UndoStack:
    return SS["editor.undo"].setdefault(map_id, history.UndoStack())


def _flash(level: str, message: str) -> None:
    SS["editor.flash"].append((level, message))


def _not_saved(exc: CJMError) -> str:
    """The reason an edit was refused, naming touchpoints by name (as the user sees them)."""
    if isinstance(exc, ValidationError):
        shown = SS.get("editor.shown_graph")
        lines = [editing.describe_problem(p, shown, L) for p in exc.problems[:20]]
        return tr("editor.not_saved") + "\n\n" + "\n".join(f"- {md_escape(line)}" for line in lines)
    return md_escape(error_text(exc, L))


def _report(result: services.SaveResult | None, done: str | None = None) -> None:
    """Show what a save did (``done``: the message when it went through without a merge) and draw
    the page from the saved version."""
    if result is None or not result.changed:
        return
    SS["editor.base"] = (result.map_id, result.version)
    TABLES.rebuild()
    # Names and values are user text: escaped before they reach Markdown.
    who = md_escape(", ".join(result.others)) or tr("editor.someone")
    if result.conflicts:
        lines = "\n".join(f"- {md_escape(conflict_text(c, L))}" for c in result.conflicts)
        _flash("warning", tr("editor.conflict.head", who=who, version=result.version) + "\n\n" + lines)
    elif result.merged_with:
        _flash("toast", tr("editor.merged", who=who, version=result.version))
    else:
        _flash("toast", done or tr("editor.saved", version=result.version, what=md_escape(note_text(result.note, L))))


def _act(operation, *args, done=None, **kwargs) -> services.SaveResult | None:
    """Run a service operation on the current map; a refused change is shown on top, nothing is
    saved. ``done(result)`` words the message of a plain save."""
    try:
        result = operation(store, actor(), MAP_ID, *args, **kwargs)
    except CJMError as exc:
        _flash("error", _not_saved(exc))
        return None
    _report(result, done(result) if done and result is not None else None)
    return result


def _edit(version: int, operation, *args, **kwargs) -> services.SaveResult | None:
    """A button's edit, made on the version the button was drawn on, recorded for undo; ``None`` when
    it was refused (the reason is shown on top)."""
    return _act(operation, *args, base_version=version, undo=_stack(), **kwargs)


def _save_table(table: str, edits: editing.RowEdits, built_from: tuple[str, int]) -> bool:
    map_id, version = built_from
    result = services.apply_table_edits(store, actor(), map_id, table, edits, base_version=version, undo=_stack(map_id))
    _report(result)
    return result.changed


TABLES = LiveTables("editor", _save_table, _not_saved, tr("editor.discard"))
# The version shown. Someone else's new version is not a reason to rebuild the widgets: tables and
# fields take the new values in place (a cell or field being typed is kept); our own saves rebuild.
SS["editor.base"] = (MAP_ID, VERSION)
NONCE = TABLES.nonce


def _undo_redo(direction: str) -> None:
    operation = services.undo if direction == "undo" else services.redo
    _act(operation, _stack(), done=lambda r: tr(f"editor.{direction}_done", version=r.version))
    TABLES.rebuild()


def _restore(version: int) -> None:
    done = lambda r: tr("editor.history.restored", version=version, new=r.version)  # noqa: E731
    result = _act(services.restore_version, version, undo=_stack(), done=done)
    if result is not None and not result.changed:
        _flash("info", tr("editor.history.same"))


def _map_field_changed(field: str, key: str, version: int) -> None:
    value = SS.get(key)
    if field.startswith("persona."):
        _edit(version, services.update_map_fields, persona={field.split(".", 1)[1]: value or ""})
    else:
        _edit(version, services.update_map_fields, **{field: value})


@st.cache_data(max_entries=64, show_spinner=False)
def _version_graph(map_id: str, version: int):
    """One stored version of a map (versions never change, so they are cached; callers get copies)."""
    return get_store().load(map_id, version).graph


# ---- labels ------------------------------------------------------------------------------------


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
    """A touchpoint as users see it: its name; a repeated name gets its place in the journey
    (internal ids are never shown)."""
    if tp_id not in G:
        return str(tp_id or "")
    name = G.nodes[tp_id].get("name") or "—"
    order = model.touchpoints_in_order(G)
    if sum(1 for n in order if G.nodes[n].get("name") == G.nodes[tp_id].get("name")) > 1:
        return tr("editor.tp_at", name=name, pos=order.index(tp_id) + 1)
    return name


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


def _touchpoint_column(f: schema.Field):
    head = t(f"field.{f.name}", L)
    cc = st.column_config
    special = {
        "id": lambda: cc.TextColumn(head, disabled=True, width="small"),
        "name": lambda: cc.TextColumn(head, required=True, max_chars=schema.NAME_MAX, width="medium", pinned=True),
        "stage": lambda: cc.SelectboxColumn(head, options=_stage_ids(), format_func=_stage_name),
        "order": lambda: cc.NumberColumn(head, step=0.5, format="%.1f", help=tr("editor.help.order"), width="small"),
        "emotion": lambda: cc.NumberColumn(
            head, step=0.1, format="%+.1f", help=tr("editor.help.emotion"), width=EMOTION_COLUMN_PX
        ),
    }
    if f.name in special:
        return special[f.name]()
    by_kind = {
        "choice": lambda: cc.SelectboxColumn(head, options=list(f.choices or ()), format_func=_choice(f.name)),
        "bool": lambda: cc.CheckboxColumn(head, width="small"),
        "date": lambda: cc.DateColumn(head, format=date_format()),
        "time": lambda: cc.TimeColumn(head, format="HH:mm"),
        "int": lambda: cc.NumberColumn(head, step=1, format="%d", width="small", help=_range_help(f)),
        "float": lambda: cc.NumberColumn(head),
    }
    return by_kind.get(f.kind, lambda: cc.TextColumn(head, max_chars=f.max_len))()


def _digest(value) -> str:
    return hashlib.blake2b(repr(value).encode(), digest_size=6).hexdigest()


def _rows_toggle() -> bool:
    """Whether the tables may add and delete rows. Off (the default), a table keeps its rows and is
    never redrawn while someone else's change arrives, so a cell being typed is not interrupted."""
    return st.toggle(tr("editor.rows"), key="editor.rows", help=tr("editor.rows_help"))


def _table(table: str, frame: pd.DataFrame, config: dict, *, extra: str = "", **kwargs) -> None:
    """An editable table of the map. Without "add and delete rows", the widget is keyed by its rows
    (not by the version) and has a fixed number of rows: Streamlit then keeps it, with the cell being
    typed, while other participants' changes flow into its cells; it is rebuilt after our own save,
    and when rows are added, deleted or reordered (such a change waits while a cell is being typed,
    see ``_would_redraw``)."""
    extras = [extra] if extra else []
    row_ids = editing.table_rows(G, table)
    dynamic = _rows_toggle()
    if dynamic:
        key, num_rows = TABLES.key(table, MAP_ID, VERSION, *extras), "dynamic"
    else:
        key, num_rows = TABLES.key(table, MAP_ID, "rows", _digest(row_ids), *extras), "fixed"
    SS["editor.drawn"] = {"table": table, "dynamic": dynamic, "rows": row_ids}
    TABLES.show(
        table,
        frame,
        key=key,
        row_ids=row_ids,
        built_from=(MAP_ID, VERSION),
        what=table.removesuffix("s"),
        column_config=config,
        num_rows=num_rows,
        placeholder="—",  # a missing value (not assessed, no deadline …), in any language
        **kwargs,
    )


# ---- the watcher: others' changes and presence --------------------------------------------------


def _latest_info(version: int):
    """The history entry of the latest version (looked up once per version, by an indexed query)."""
    cached = SS.get("editor.info")
    if not cached or cached[0] != (MAP_ID, version):
        entries = store.history(MAP_ID, after=version - 1) or store.history(MAP_ID)  # the latter: MapNotFoundError
        SS["editor.info"] = ((MAP_ID, version), entries[0])
    return SS["editor.info"][1]


def _on_remote_change(latest: int | None) -> None:
    """Someone saved (or deleted the map): say who, before ``follow`` reruns the page."""
    if latest is None:
        return  # deleted meanwhile: the full run tells the user to pick another map
    try:
        info = _latest_info(latest)
    except CJMError:
        return
    if info.author != user_name():
        note = VersionNote.from_text(info.note)
        who = md_escape(info.author) or tr("editor.someone")
        message = tr("editor.remote", who=who, version=info.version, note=md_escape(note_text(note, L)))
        _flash("warning" if note.has_conflicts else "remote", message)


def _presence_line() -> None:
    """Heartbeat presence and show who else is here and when the map last changed (cheap: most checks
    touch no database; the list of editors is refreshed every 2 s)."""
    now = time.monotonic()
    try:
        if now - SS.get("editor.beat", 0.0) >= 4.0:  # presence is shown for 12 s after a beat
            presence.heartbeat(store, MAP_ID, SS["editor.session"], user_name())
            SS["editor.beat"] = now
        cached = SS.get("editor.others")
        if not cached or cached[0] != MAP_ID or now - cached[1] >= 2.0:
            others = presence.active_editors(store, MAP_ID, within_seconds=12, exclude=SS["editor.session"])
            SS["editor.others"] = (MAP_ID, now, ", ".join(dict.fromkeys(md_escape(e.user_name) for e in others)))
        info = _latest_info(SS["editor.base"][1])
    except CJMError:
        return
    names = SS["editor.others"][2]
    who = tr("editor.presence.others", names=names) if names else tr("editor.presence.alone")
    changed = tr(
        "editor.presence.changed",
        ago=ago_text(info.saved_at, L),
        who=md_escape(info.author) or "—",
        version=info.version,
    )
    st.caption(f":material/group: {who}  ·  {changed}")


def _would_redraw(latest: int) -> bool:
    """Whether showing version ``latest`` would draw the table on screen afresh, resetting a cell being
    typed in it: with "add and delete rows" on, any new version; else one whose rows differ (added,
    deleted, reordered). ``follow`` holds such a version while a cell editor is open."""
    drawn = SS.get("editor.drawn")
    if not drawn:
        return False
    if drawn["dynamic"]:
        return True
    try:
        return editing.table_rows(_version_graph(MAP_ID, latest), drawn["table"]) != drawn["rows"]
    except CJMError:
        return False  # deleted meanwhile: the page says so


def watcher() -> None:
    """Follow the map live (``cjm_ui.live.follow``: a check several times a second, the page reruns
    only when another version was saved, and waits while a table cell being typed would be redrawn)
    and show presence."""
    follow(
        MAP_ID,
        SS["editor.base"][1],
        key="editor",
        on_change=_on_remote_change,
        extra=_presence_line,
        hold=_would_redraw,
    )


# ---- parts of the page ------------------------------------------------------------------------------


def toolbar() -> str:
    """Undo, redo, presenter and the preview layout; returns the layout chosen."""
    stack = _stack()
    with st.container(horizontal=True, vertical_alignment="center"):
        undo_help = note_text(stack.undo_label, L) if stack.can_undo else None
        redo_help = note_text(stack.redo_label, L) if stack.can_redo else None
        st.button(
            tr("editor.undo"),
            icon=":material/undo:",
            disabled=not (stack.can_undo and CAN_EDIT),
            key="editor.undo_btn",
            on_click=_undo_redo,
            args=("undo",),
            help=undo_help,
        )
        st.button(
            tr("editor.redo"),
            icon=":material/redo:",
            disabled=not (stack.can_redo and CAN_EDIT),
            key="editor.redo_btn",
            on_click=_undo_redo,
            args=("redo",),
            help=redo_help,
        )
        st.link_button(
            tr("editor.presenter"),
            f"presenter?map={MAP_ID}&lang={L}",
            icon=":material/co_present:",
            help=tr("editor.presenter_help"),
        )
        layout = st.segmented_control(
            tr("editor.preview_layout"),
            ["beside", "below", "off"],
            default="beside",
            key="editor.preview_layout",
            format_func=lambda v: t(f"editor.preview_layout.{v}", L),
            label_visibility="collapsed",
        )
    return layout or "beside"


def show_flash() -> None:
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


def _quick_add(version: int) -> None:
    """The quick-add form was submitted: add what was typed, then empty the box for the next call-out.

    The box is emptied here, once the text is on the map, not by the form on submit: a submit that
    meets another rerun (the live watcher's) would otherwise arrive with the box already empty, and
    what was typed would be gone. A refused or lost submit leaves the text in the box."""
    text = SS.get("editor.quick_text") or ""
    if not text.strip():
        SS["editor.quick_empty"] = True
        return
    kind = SS.get("editor.quick_kind") or "touchpoint"
    target = SS.get("editor.quick_target")
    target = target if kind != "touchpoint" and target in G else None
    result = _edit(
        version,
        services.quick_add,
        text,
        kind=kind,
        stage=SS.get("editor.quick_stage"),
        target=target,
        link_previous=bool(SS.get("editor.quick_link", True)),
    )
    if result is not None:
        SS["editor.quick_text"] = ""


def quick_add_box() -> None:
    """Type what someone just said; Enter adds it (a form; the box is emptied once it is added)."""
    with st.container(border=True):
        st.markdown(f"**{tr('editor.quick.title')}**")
        with st.form("editor.quick_form", border=False):
            # the button keeps its whole label («Добавить») beside the text box in the half-width column
            qa, qb = st.columns([5, 2], vertical_alignment="bottom")
            qa.text_input(
                tr("editor.quick.text"),
                key="editor.quick_text",
                placeholder=tr("editor.quick.placeholder"),
                max_chars=schema.TEXT_MAX,
            )
            qb.form_submit_button(
                tr("editor.quick.add"),
                type="primary",
                key="editor.quick_add",
                icon=":material/add:",
                width="stretch",
                on_click=_quick_add,
                args=(VERSION,),
            )
            qc = st.columns(2)  # what and where side by side; the target touchpoint's name gets a row of its own
            qc[0].selectbox(
                tr("editor.quick.kind"),
                list(editing.QUICK_KINDS),
                format_func=lambda k: t(f"editor.quick.kind.{k}", L),
                key="editor.quick_kind",
            )
            qc[1].selectbox(
                tr("field.stage"),
                _stage_ids(),
                format_func=_stage_option,
                key="editor.quick_stage",
                placeholder=tr("editor.quick.no_stages") if not _stage_ids() else tr("editor.quick.pick"),
            )
            st.selectbox(
                tr("editor.quick.target"),
                [None, *model.touchpoints_in_order(G)],
                key="editor.quick_target",
                format_func=lambda v: t("editor.quick.new_tp", L) if v is None else _tp_label(v),
                help=tr("editor.quick.target_help"),
                placeholder=tr("editor.quick.pick"),
            )
            st.checkbox(tr("editor.quick.link"), value=True, key="editor.quick_link", help=tr("editor.quick.link_help"))
        if SS.pop("editor.quick_empty", False):
            st.warning(tr("editor.quick.empty"))


def tab_touchpoints() -> None:
    group = (
        st.segmented_control(
            tr("editor.columns"),
            list(editing.COLUMN_GROUPS),
            default="essentials",
            key="editor.group",
            format_func=lambda g: t(f"editor.group.{g}", L),
        )
        or "essentials"
    )
    cols = editing.touchpoint_columns(group)
    fields = {f.name: f for f in schema.TOUCHPOINT_FIELDS}
    _table(
        "touchpoints",
        editing.touchpoint_frame(G, group),
        {c: _touchpoint_column(fields[c]) for c in cols},
        extra=group,
        height=min(38 + 35 * (G.number_of_nodes() + 2), 620),
        column_order=[*cols[1:], "id"],
    )
    st.caption(tr("editor.tp_hint"))


def tab_transitions() -> None:
    ids = model.touchpoints_in_order(G)
    frame = editing.transition_frame(G)
    cc = st.column_config
    config = {
        "source": cc.SelectboxColumn(tr("editor.col.source"), options=ids, format_func=_tp_label, required=True),
        "target": cc.SelectboxColumn(tr("editor.col.target"), options=ids, format_func=_tp_label, required=True),
        "users": cc.NumberColumn(tr("field.users"), step=1, format="%d"),
        "label": cc.TextColumn(tr("field.label"), max_chars=schema.NAME_MAX),
    }
    if frame.empty:
        st.info(tr("editor.tr_empty"))
    _table("transitions", frame, config)
    st.caption(tr("editor.tr_hint"))
    connect_box()


def connect_box() -> None:
    """Link a stage's touchpoints (or the whole journey's) one to the next, in one click."""
    if G.number_of_nodes() < 2:
        return
    c1, c2 = st.columns([3, 2], vertical_alignment="bottom")
    stage = c1.selectbox(
        tr("editor.connect.stage"),
        [None, *_stage_ids()],
        key="editor.connect_stage",
        format_func=lambda s: t("editor.connect.all", L) if s is None else _stage_option(s),
        help=tr("editor.connect.help"),
    )
    c2.button(
        tr("editor.connect.button"),
        key="editor.connect_btn",
        icon=":material/linear_scale:",
        on_click=_edit,
        args=(VERSION, services.connect_in_order, stage),
        width="stretch",
    )


def tab_stages() -> None:
    frame = editing.stage_frame(G)
    cc = st.column_config
    config = {
        "position": cc.NumberColumn(
            tr("editor.col.position"), min_value=1, step=1, format="%d", help=tr("editor.help.position")
        ),
        "id": cc.TextColumn(tr("editor.col.stage_id"), help=tr("editor.help.stage_id")),
        "name": cc.TextColumn(tr("editor.col.stage_name"), max_chars=schema.NAME_MAX),
        "phase": cc.SelectboxColumn(tr("editor.col.phase"), options=list(schema.PHASES), format_func=_choice("phase")),
        "touchpoints": cc.NumberColumn(tr("editor.col.tp_count"), disabled=True),
    }
    _table("stages", frame, config)
    st.caption(tr("editor.st_hint"))


def _field_input(widget: str, column, field: str, **kwargs) -> None:
    """A map or persona field (``persona.<name>``) that saves when it loses focus; ``widget`` names
    the Streamlit input (``text_input``, ``text_area``, ``selectbox``) drawn in ``column``."""
    # Keyed by the field's stored value: a change to another field leaves this one (and what is
    # being typed into it) alone; a change to this very field shows the new value.
    key = f"editor.{field if field.startswith('persona.') else 'map.' + field}.{_digest(kwargs.get('value', kwargs.get('index')))}.{NONCE}"
    label_key = f"editor.{field if field.startswith('persona.') else 'map.' + field}"
    draw = getattr(column, widget)
    draw(tr(label_key), key=key, on_change=_map_field_changed, args=(field, key, VERSION), **kwargs)


def tab_map() -> None:
    a = G.graph
    persona = a.get("persona") or {}
    m1, m2 = st.columns(2)
    _field_input("text_input", m1, "title", value=a.get("title", ""), max_chars=schema.NAME_MAX)
    _field_input(
        "selectbox",
        m2,
        "map_type",
        options=schema.MAP_TYPES,
        index=schema.MAP_TYPES.index(a.get("map_type")),
        format_func=lambda v: t(f"map_type.{v}", L),
    )
    _field_input("text_input", m1, "segment", value=a.get("segment") or "")
    all_maps = store.list_maps()
    others = [None] + [m.map_id for m in all_maps if m.map_id != MAP_ID]
    titles = {m.map_id: m.title for m in all_maps}
    _field_input(
        "selectbox",
        m2,
        "baseline_id",
        options=others,
        index=others.index(a.get("baseline_id")) if a.get("baseline_id") in others else 0,
        format_func=lambda v: t("editor.map.no_baseline", L) if v is None else f"{titles.get(v, v)} ({v})",
    )
    _field_input(
        "text_input",
        m2,
        "competitor",
        value=a.get("competitor") or "",
        max_chars=schema.NAME_MAX,
        help=tr("editor.map.competitor_help"),
    )
    languages = ["en", "ru"]
    current = a.get("language") if a.get("language") in languages else "en"
    _field_input(
        "selectbox",
        m1,
        "language",
        options=languages,
        index=languages.index(current),
        format_func=LANGUAGE_NAMES.__getitem__,
    )
    st.markdown(f"**{tr('editor.persona')}**")
    for f in schema.PERSONA_FIELDS:
        widget, extra = ("text_input", {}) if f.kind == "str" else ("text_area", {"height": 80})
        value = persona.get(f.name) or ""
        _field_input(widget, st, f"persona.{f.name}", value=value, max_chars=f.max_len, **extra)
    st.caption(tr("editor.map_hint"))


def _votes_box(chosen: str) -> None:
    d = G.nodes[chosen]
    st.markdown(f"**{tr('editor.ws.votes')}**")
    votes = d.get("votes") or []
    me = user_name()
    mine = next((v for v in votes if v.get("participant") == me), None)
    score = st.slider(
        tr("editor.ws.your_score", name=me),
        min_value=-2.0,
        max_value=2.0,
        step=0.5,
        value=float(mine["score"]) if mine else 0.0,
        key=f"editor.ws_score.{chosen}.{VERSION}.{NONCE}",
    )
    v1, v2 = st.columns(2)
    v1.button(
        tr("editor.ws.vote"),
        key="editor.ws_vote",
        type="primary",
        on_click=_edit,
        args=(VERSION, services.cast_vote, chosen, score),
        width="stretch",
    )
    v2.button(
        tr("editor.ws.unvote"),
        key="editor.ws_unvote",
        disabled=mine is None,
        on_click=_edit,
        args=(VERSION, services.remove_vote, chosen),
        width="stretch",
    )
    if votes:
        table = {
            tr("editor.ws.participant"): [v.get("participant") for v in votes],
            tr("editor.ws.score"): [float(v.get("score")) for v in votes],
        }
        st.dataframe(pd.DataFrame(table), hide_index=True, width="stretch")
        st.caption(tr("editor.ws.mean", n=len(votes), mean=fmt_emotion(d.get("emotion"), L)))
    else:
        st.caption(tr("editor.ws.no_votes"))


def _comments_box(chosen: str) -> None:
    st.markdown(f"**{tr('editor.ws.comments')}**")
    for i, c in enumerate(G.nodes[chosen].get("comments") or []):
        cc = st.columns([6, 1], vertical_alignment="center")
        cc[0].markdown(
            f"**{md_escape(c.get('author') or '—')}** · {md_escape(fmt_date(c.get('time'), L, with_time=True))}"
        )
        cc[0].text(c.get("text") or "")
        author = str(c.get("author") or "").strip()
        own = not author or author == user_name()
        # The rule itself is services.delete_comment: here the button only says who may use it.
        may = own or (CAN_EDIT and signed_in_mode())
        cc[1].button(
            "",
            icon=":material/delete:",
            key=f"editor.ws_del.{chosen}.{i}.{VERSION}",
            help=tr("editor.ws.delete_comment") if may else tr("editor.ws.delete_not_yours", author=author),
            disabled=not may,
            on_click=_edit,
            args=(VERSION, services.delete_comment, chosen, i),
        )
    with st.form(f"editor.ws_comment_form.{chosen}", clear_on_submit=True, border=False):
        text = st.text_area(tr("editor.ws.new_comment"), height=70, max_chars=schema.TEXT_MAX)
        if st.form_submit_button(tr("editor.ws.add_comment")):
            if text.strip():
                _edit(VERSION, services.add_comment, chosen, text)
                st.rerun()
            else:
                st.warning(tr("editor.ws.empty_comment"))


def _order_box(chosen: str, order: list[str]) -> None:
    st.markdown(f"**{tr('editor.ws.order')}**")
    o1, o2, o3 = st.columns([1, 1, 3], vertical_alignment="center")
    pos = order.index(chosen)
    for column, key, offset, icon, disabled in (
        (o1, "up", -1, "arrow_back", pos == 0),
        (o2, "down", 1, "arrow_forward", pos == len(order) - 1),
    ):
        column.button(
            tr("editor.ws.earlier" if offset < 0 else "editor.ws.later"),
            icon=f":material/{icon}:",
            key=f"editor.ws_{key}",
            disabled=disabled,
            on_click=_edit,
            args=(VERSION, services.move_touchpoint, chosen, offset),
            width="stretch",
        )
    stage = _stage_name(G.nodes[chosen].get("stage"))
    o3.caption(tr("editor.ws.position", pos=pos + 1, n=len(order), stage=md_escape(stage)))


def _catalogue_box() -> None:
    st.markdown(f"**{tr('editor.cat.title')}**")
    st.caption(tr("editor.cat.hint"))
    c1, c2 = st.columns(2)
    status = c1.selectbox(
        tr("field.status"), catalogue.ADDABLE_STATUSES, format_func=_choice("status"), key="editor.cat_status"
    )
    stage = c2.selectbox(
        tr("editor.cat.stage"),
        [None, *_stage_ids()],
        key="editor.cat_stage",
        format_func=lambda s: t("editor.cat.suggested", L) if s is None else _stage_option(s),
    )
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
            where = (
                f"{label('channel', e.channel, L)} · {label('category', e.category, L)} · {t(f'stage.{e.stage}', L)}"
            )
            gcols[i % 2].button(
                e.name,
                icon=":material/add:",
                key=f"editor.cat.{e.key}",
                width="stretch",
                help=where,
                on_click=_edit,
                args=(VERSION, services.add_from_catalogue, e.key),
                kwargs={"stage": stage, "status": status, "lang": map_lang},
            )


def tab_workshop() -> None:
    order = model.touchpoints_in_order(G)
    if not order:
        st.info(tr("editor.ws.no_touchpoints"))
    else:
        chosen = st.selectbox(tr("editor.ws.touchpoint"), order, format_func=_tp_label, key="editor.ws_tp")
        chosen = chosen if chosen in G else order[0]
        w1, w2 = st.columns(2)
        with w1, st.container(border=True):
            _votes_box(chosen)
        with w2, st.container(border=True):
            _comments_box(chosen)
        if CAN_EDIT:
            with st.container(border=True):
                _order_box(chosen, order)
    if CAN_EDIT:
        with st.container(border=True):
            _catalogue_box()


def tab_history() -> None:
    versions = store.history(MAP_ID)
    table = {
        tr("editor.history.version"): [v.version for v in versions],
        tr("editor.history.saved_at"): [fmt_date(v.saved_at, L, with_time=True) for v in versions],
        tr("editor.history.author"): [v.author for v in versions],
        tr("editor.history.note"): [note_text(v.note, L) for v in versions],
        tr("editor.history.touchpoints"): [v.touchpoints for v in versions],
    }
    st.dataframe(pd.DataFrame(table), hide_index=True, width="stretch", height=min(38 + 35 * len(versions), 300))
    numbers = [v.version for v in versions]
    h1, h2 = st.columns(2)
    old_v = h1.selectbox(
        tr("editor.history.from"), numbers, index=min(1, len(numbers) - 1), key=f"editor.hist_from.{VERSION}"
    )
    new_v = h2.selectbox(tr("editor.history.to"), numbers, index=0, key=f"editor.hist_to.{VERSION}")
    if len(numbers) < 2:
        st.info(tr("editor.history.only_one"))
        return
    if old_v is None or new_v is None:
        return
    A, B = _version_graph(MAP_ID, old_v), _version_graph(MAP_ID, new_v)
    names = {n: d.get("name") or n for g in (A, B) for n, d in g.nodes(data=True)}
    diff = history.diff_table(history.diff_maps(A, B), L, names=names)
    if diff.empty:
        st.info(tr("editor.history.no_diff", a=old_v, b=new_v))
    else:
        st.markdown(f"**{tr('editor.history.diff_head', a=old_v, b=new_v, n=len(diff))}**")
        headers = {c: tr(f"editor.diff.col.{c}") for c in diff.columns}
        st.dataframe(diff.rename(columns=headers), hide_index=True, width="stretch")
    if old_v == numbers[0]:
        return
    # Restoring replaces what everyone sees: it asks first (a popover with the confirming button).
    with st.popover(tr("editor.history.restore", version=old_v), icon=":material/history:"):
        old = next(v for v in versions if v.version == old_v)
        st.warning(
            tr(
                "editor.history.restore_confirm",
                version=old_v,
                latest=numbers[0],
                saved=fmt_date(old.saved_at, L, with_time=True),
                author=md_escape(old.author) or "—",
            )
        )
        st.button(
            tr("editor.history.restore_yes", version=old_v),
            key="editor.hist_restore",
            type="primary",
            on_click=_restore,
            args=(old_v,),
        )


@st.cache_data(max_entries=24, show_spinner=False)
def _preview_figure(
    map_id: str, version: int, language: str, narrow: bool, baseline: tuple | None, which: str, _graph=None
):
    """One preview figure of one stored version (cached: a version never changes), or None. ``_graph``
    is that version when the caller has it already (not part of the cache key)."""
    base_graph = _version_graph(*baseline) if baseline else None
    figures = editing.preview_figures(
        _graph if _graph is not None else _version_graph(map_id, version),
        language,
        compact=narrow,
        column_px=PREVIEW_COLUMN_PX[narrow],
        baseline=base_graph,
        which=(which,),
    )
    fig = figures.get(which)
    if fig is not None and narrow and which == "map":
        # no legend, so no room kept for it (the plot keeps its height: one y unit is one pixel)
        fig.update_layout(showlegend=False, height=fig.layout.height - fig.layout.margin.t + 16, margin_t=16)
    return fig


def _baseline_ref() -> tuple | None:
    """(id, latest version) of the map this one improves on, when it is stored."""
    base_id = G.graph.get("baseline_id")
    try:
        return (base_id, store.latest_version(base_id)) if base_id else None
    except CJMError:
        return None


def preview(narrow: bool) -> None:
    if not G.number_of_nodes():
        st.info(tr("editor.ws.no_touchpoints"))
        return
    names = ["map", "emotion"]
    tabs = st.tabs([tr(f"editor.preview.{n}") for n in names], key="editor.preview_tab", on_change="rerun")
    for tab, name in zip(tabs, names, strict=True):
        with tab:
            if not tab.open:
                continue  # only the selected preview is built
            fig = _preview_figure(MAP_ID, VERSION, L, narrow, _baseline_ref(), name, _graph=G)
            if fig is not None:
                # One key for every version: the browser updates the chart in place (sooner than a new one).
                show_figure(fig, width="stretch", key=f"editor.preview_{name}")
            else:
                table = editing.preview_table(G, L)
                headers = {c: tr(f"editor.preview.col.{c}") for c in table.columns}
                st.dataframe(table.rename(columns=headers), hide_index=True)


# ---- the page ------------------------------------------------------------------------------------
TABLES.handle_pending()  # edits left in a table rebuilt since, against the version they were made on
SS["editor.shown_graph"] = G
SS["editor.drawn"] = None  # the editable table on screen, set by _table
st.caption(tr("editor.nav"))
st.header(md_escape(G.graph.get("title", "")), anchor=False)
if not CAN_COMMENT:  # a viewer: nothing here to use
    show_flash()
    st.info(tr("editor.read_only"), icon=":material/visibility:")
    st.page_link("pages/journey_map.py", label=tr("mapview.nav"), icon=":material/map:")
    st.stop()
layout = toolbar()
watcher()
show_flash()
_findings = run_checks(G, L)
if _findings:
    _errors = sum(f.level == "error" for f in _findings)
    with st.expander(tr("editor.health", n=len(_findings), errors=_errors), icon=":material/health_and_safety:"):
        show_findings(_findings, L, boxes=False)

if layout == "beside":
    left, right = st.columns([1, 1], gap="medium")
else:
    left, right = st.container(), (st.container() if layout == "below" else None)

TABS = {
    "touchpoints": tab_touchpoints,
    "transitions": tab_transitions,
    "stages": tab_stages,
    "map": tab_map,
    "workshop": tab_workshop,
    "history": tab_history,
}
if not CAN_EDIT:  # a commenter: votes and comments only
    st.info(tr("editor.comment_only"), icon=":material/forum:")
    TABS = {"workshop": tab_workshop}
with left:
    if CAN_EDIT:
        quick_add_box()
    tabs = st.tabs([tr(f"editor.tab.{name}") for name in TABS], key="editor.tab", on_change="rerun")
    for tab, draw in zip(tabs, TABS.values(), strict=True):
        with tab:
            if tab.open:  # lazy: only the selected tab runs
                draw()

if right is not None:
    with right:
        preview(narrow=layout == "beside")
