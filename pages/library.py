"""Map library (home page): list, open, create, duplicate, rename, delete, import, download, history."""

import streamlit as st

from cjm import i18n, model, schema, services
from cjm.errors import CJMError
from cjm.notes import note_text
from cjm.text import md_escape
from cjm_ui import actor, current_map_id, get_store, lang, set_current_map, show_error, tr

store = get_store()
L = lang()

st.title(tr("library.title"))
st.caption(tr("library.subtitle"))

maps = store.list_maps()
current = current_map_id()


def _open(map_id: str) -> None:
    set_current_map(map_id)


def _when(moment) -> str:
    """A stored timestamp as 'YYYY-MM-DD HH:MM' (UTC)."""
    return moment.strftime("%Y-%m-%d %H:%M") if moment else ""


# ---- The list of maps ------------------------------------------------------------------------
if not maps:
    st.info(tr("library.empty"))
head = st.columns([4, 2, 3, 1, 2, 1.2])
for col, key in zip(
    head,
    (
        "library.col.title",
        "library.col.type",
        "library.col.persona",
        "library.col.touchpoints",
        "library.col.updated",
        None,
    ),
    strict=True,
):
    if key:
        col.markdown(f"**{tr(key)}**")
for info in maps:
    cols = st.columns([4, 2, 3, 1, 2, 1.2], vertical_alignment="center")
    is_current = info.map_id == current
    # Titles are user text: shown through st.text / st.markdown of escaped-free plain strings only.
    cols[0].text(("▶ " if is_current else "") + info.title)
    cols[1].text(i18n.t(f"map_type.{info.map_type}", L))
    cols[2].text(info.persona or "—")
    cols[3].text(str(info.touchpoints))
    cols[4].text(f"{_when(info.updated_at)} · v{info.version}")
    cols[5].button(
        tr("library.opened") if is_current else tr("library.open"),
        key=f"library.open.{info.map_id}",
        on_click=_open,
        args=(info.map_id,),
        disabled=is_current,
        width="stretch",
    )

st.divider()

# ---- The selected map: rename, duplicate, download, history, delete ------------------------------
selected = next((m for m in maps if m.map_id == current), None)
if selected is not None:
    st.subheader(tr("library.selected", title=md_escape(selected.title)))
    t_rename, t_dup, t_download, t_history, t_delete = st.tabs(
        [
            tr("library.rename"),
            tr("library.duplicate"),
            tr("library.download"),
            tr("library.history"),
            tr("library.delete"),
        ]
    )
    with t_rename, st.form(f"library.rename_form.{selected.map_id}"):
        new_title = st.text_input(tr("library.new_title"), value=selected.title, max_chars=schema.NAME_MAX)
        if st.form_submit_button(tr("library.rename")):
            try:
                services.rename_map(store, actor(), selected.map_id, new_title.strip(), base_version=selected.version)
                st.session_state["library.flash"] = tr("library.renamed", title=new_title.strip())
                st.rerun()
            except CJMError as exc:
                show_error(exc)
    with t_dup, st.form(f"library.dup_form.{selected.map_id}"):
        dup_title = st.text_input(
            tr("library.new_title"), value=tr("library.copy_of", title=selected.title), max_chars=schema.NAME_MAX
        )
        if st.form_submit_button(tr("library.duplicate")):
            try:
                new_id = services.duplicate_map(store, actor(), selected.map_id, title=dup_title.strip()).map_id
                set_current_map(new_id)
                st.session_state["library.flash"] = tr("library.duplicated", title=dup_title.strip())
                st.rerun()
            except CJMError as exc:
                show_error(exc)
    with t_download:
        from cjm.io.tables import export_map

        G = store.load(selected.map_id).graph
        cols = st.columns(3)
        for col, fmt in zip(cols, ("json", "csv", "xlsx"), strict=True):
            data, mime, ext = export_map(G, fmt, lang=L)
            col.download_button(
                f"{fmt.upper()}",
                data=data,
                file_name=f"{selected.map_id}.{ext}",
                mime=mime,
                key=f"library.download.{fmt}",
                icon=":material/download:",
                width="stretch",
            )
        st.caption(tr("library.download_help"))
    with t_history:
        rows = [
            {
                tr("library.col.version"): v.version,
                tr("library.col.saved"): _when(v.saved_at),
                tr("library.col.author"): v.author,
                tr("library.col.note"): note_text(v.note, L),
                tr("library.col.touchpoints"): v.touchpoints,
            }
            for v in store.history(selected.map_id)
        ]
        st.dataframe(rows, hide_index=True, width="stretch")
    with t_delete:
        st.warning(tr("library.delete_warning", title=md_escape(selected.title)))
        confirm = st.checkbox(tr("library.delete_confirm"), key=f"library.delete_confirm.{selected.map_id}")
        if st.button(tr("library.delete"), disabled=not confirm, key=f"library.delete_button.{selected.map_id}"):
            try:
                services.delete_map(store, actor(), selected.map_id)
            except CJMError as exc:
                show_error(exc)
            else:
                set_current_map(None)
                st.session_state["library.flash"] = tr("library.deleted", title=selected.title)
                st.rerun()

flash = st.session_state.pop("library.flash", None)
if flash:
    st.success(flash)

# ---- Create and import ---------------------------------------------------------------------------
t_new, t_import = st.tabs([tr("library.new_map"), tr("library.import")])
TEMPLATES = {
    "nine_stages": "library.template.nine_stages",
    "day": "library.template.day",
    "phases": "library.template.phases",
}
with t_new, st.form("library.new_form", clear_on_submit=True):
    title = st.text_input(tr("library.new_title"), key="library.new_title", max_chars=schema.NAME_MAX)
    c1, c2 = st.columns(2)
    map_type = c1.selectbox(
        tr("library.map_type"),
        schema.MAP_TYPES,
        format_func=lambda v: i18n.t(f"map_type.{v}", L),
        key="library.new_type",
    )
    template = c2.selectbox(
        tr("library.template"),
        list(TEMPLATES),
        format_func=lambda v: i18n.t(TEMPLATES[v], L),
        key="library.new_template",
    )
    persona = st.text_input(tr("library.persona"), key="library.new_persona", max_chars=schema.NAME_MAX)
    if st.form_submit_button(tr("library.create"), type="primary"):
        if not title.strip():
            st.error(tr("library.title_required"))
        else:
            G = model.new_map(
                title.strip(), map_type, stages_template=template, persona={"name": persona.strip()}, language=L
            )
            try:
                services.create_map(store, actor(), G)
                set_current_map(G.graph["id"])
                st.session_state["library.flash"] = tr("library.created", title=title.strip())
                st.rerun()
            except CJMError as exc:
                show_error(exc)

with t_import:
    st.caption(tr("library.import_help"))
    upload = st.file_uploader(
        tr("library.import_file"), type=["json", "csv", "tsv", "txt", "xlsx"], key="library.upload"
    )
    if upload is not None and st.session_state.get("library.upload_done") != upload.file_id:
        from cjm.io.tables import read_map_file

        try:
            G = read_map_file(upload.getvalue(), filename=upload.name, lang=L)
            new_id = services.import_map(store, actor(), G, source=upload.name).map_id
            st.session_state["library.upload_done"] = upload.file_id
            set_current_map(new_id)
            st.session_state["library.flash"] = tr("library.imported", title=G.graph["title"], n=G.number_of_nodes())
            st.rerun()
        except CJMError as exc:
            show_error(exc)
