"""Map library (home page): list, open, create, duplicate, rename, delete (to the trash), import,
download, history; sharing (roles, read-only links), the activity log and the trash."""

from datetime import UTC, datetime, timedelta

import streamlit as st

from cjm import access, i18n, model, schema, services
from cjm.errors import CJMError
from cjm.notes import note_text
from cjm.text import fmt_date, md_escape
from cjm_ui import (
    actor,
    can,
    current_map_id,
    get_store,
    lang,
    set_current_map,
    show_error,
    signed_in_mode,
    tr,
    visible_maps,
)

store = get_store()
L = lang()

st.title(tr("library.title"))
st.caption(tr("library.subtitle"))

maps = visible_maps()  # only the maps this person may open
current = current_map_id()
ME = actor()


def _open(map_id: str) -> None:
    set_current_map(map_id)


def _when(moment) -> str:
    """A stored timestamp (UTC) as the language writes it: '3 Dec 2026, 14:47'."""
    return fmt_date(moment, L, with_time=True, missing="") if moment else ""


# ---- The list of maps ------------------------------------------------------------------------
# Relative widths of map, type, persona, touchpoints, last change, open: the touchpoint count's
# header ("Touchpoints") keeps its word whole and the Open button («Открыть») its label on a 1440 px screen.
LIBRARY_COLUMNS = [3.4, 2, 3, 1.6, 2, 1.4]
if not maps:
    st.info(tr("library.empty"))
head = st.columns(LIBRARY_COLUMNS)
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
    cols = st.columns(LIBRARY_COLUMNS, vertical_alignment="center")
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


def _share_tab(info) -> None:
    """Who has which role on the map (owners change them) and its read-only share links."""
    if signed_in_mode():
        rows = access.grants(store, info.map_id)
        st.dataframe(
            [{tr("library.share.email"): e, tr("library.share.role"): tr(f"library.role.{r}")} for e, r in rows],
            hide_index=True,
            width="stretch",
        )
        with st.form(f"library.share_form.{info.map_id}", clear_on_submit=True):
            c1, c2 = st.columns([3, 2])
            email = c1.text_input(tr("library.share.email"), key="library.share_email", max_chars=320)
            role = c2.selectbox(
                tr("library.share.role"), access.ROLES, index=0, format_func=lambda r: tr(f"library.role.{r}")
            )
            if st.form_submit_button(tr("library.share.give")):
                try:
                    services.share_map(store, ME, info.map_id, email, role)
                    st.session_state["library.flash"] = tr(
                        "library.share.given", email=md_escape(email.strip()), role=tr(f"library.role.{role}")
                    )
                    st.rerun()
                except CJMError as exc:
                    show_error(exc)
        if rows:
            c1, c2 = st.columns([3, 2], vertical_alignment="bottom")
            gone = c1.selectbox(tr("library.share.remove_who"), [e for e, _ in rows], key="library.share_remove_who")
            if c2.button(tr("library.share.remove"), key="library.share_remove"):
                try:
                    services.unshare_map(store, ME, info.map_id, gone)
                    st.rerun()
                except CJMError as exc:
                    show_error(exc)
    else:
        st.caption(tr("library.share.open_mode"))
    st.markdown(f"**{tr('library.link.title')}**")
    st.caption(tr("library.link.help"))
    fresh = st.session_state.get("library.new_link")
    if fresh and fresh[0] == info.map_id:
        st.success(tr("library.link.made"))
        st.code(fresh[1], language=None)
    c1, c2 = st.columns([2, 2], vertical_alignment="bottom")
    days = c1.number_input(
        tr("library.link.days"), min_value=0, max_value=3650, value=0, step=1, key="library.link_days"
    )
    if c2.button(tr("library.link.create"), key="library.link_create", icon=":material/link:"):
        expires = datetime.now(UTC) + timedelta(days=int(days)) if days else None
        try:
            token = services.create_share_link(store, ME, info.map_id, expires_at=expires)
        except CJMError as exc:
            show_error(exc)
        else:
            st.session_state["library.new_link"] = (info.map_id, f"{_base_url()}/?share={token}")
            st.rerun()
    for link in access.share_links(store, info.map_id):
        c1, c2 = st.columns([4, 1], vertical_alignment="center")
        if link.revoked_at:
            state = tr("library.link.revoked", when=_when(link.revoked_at))
        elif not link.active():
            state = tr("library.link.expired", when=_when(link.expires_at))
        elif link.expires_at:
            state = tr("library.link.until", when=_when(link.expires_at))
        else:
            state = tr("library.link.no_expiry")
        c1.text(tr("library.link.row", id=link.link_id, who=link.created_by, when=_when(link.created_at), state=state))
        if link.active() and c2.button(tr("library.link.revoke"), key=f"library.link_revoke.{link.link_id}"):
            try:
                services.revoke_share_link(store, ME, info.map_id, link.link_id)
                st.session_state.pop("library.new_link", None)
                st.rerun()
            except CJMError as exc:
                show_error(exc)


def _base_url() -> str:
    """This app's address as the browser sees it (share links are made from it)."""
    url = str(st.context.url or "").split("?", 1)[0].rstrip("/")
    return url.rsplit("/", 1)[0] if url.count("/") > 2 else url


def _activity_rows(map_id: str) -> list[dict]:
    return [
        {
            tr("library.activity.when"): _when(e.at),
            tr("library.activity.who"): e.actor,
            tr("library.activity.what"): tr(f"library.activity.{e.action}"),
            tr("library.activity.detail"): (
                f"v{e.detail.get('version')} · {note_text(e.detail.get('note', ''), L)}"
                if e.action == "saved"
                else " ".join(
                    str(e.detail[k]) if k != "role" else tr(f"library.role.{e.detail[k]}")
                    for k in ("email", "role", "link")
                    if e.detail.get(k)
                )
            ),
        }
        for e in services.activity_log(store, ME, map_id)
    ]


def _activity_tab(info) -> None:
    """Who did what to the map, when; downloadable as CSV."""
    import pandas as pd

    from cjm.funnel.stats import table_to_csv  # the formula-neutralising CSV writer

    try:
        rows = _activity_rows(info.map_id)
    except CJMError as exc:
        show_error(exc)
        return
    st.download_button(
        tr("library.activity.csv"),
        data=table_to_csv(pd.DataFrame(rows)),
        file_name=f"{info.map_id}-activity.csv",
        mime="text/csv",
        icon=":material/download:",
        key="library.activity_csv",
    )
    st.dataframe(rows, hide_index=True, width="stretch")


# ---- The selected map: rename, duplicate, download, history, share, activity, delete -------------
selected = next((m for m in maps if m.map_id == current), None)
if selected is not None:
    st.subheader(tr("library.selected", title=md_escape(selected.title)))
    # Each tab is shown only to a role that can use it; the services check the role again.
    allowed = {
        name: can(action, selected.map_id)
        for name, action in (
            ("rename", "rename"),
            ("duplicate", "duplicate"),
            ("share", "share"),
            ("activity", "activity"),
            ("delete", "delete"),
        )
    }
    names = [n for n in ("rename", "duplicate", "download", "history", "share", "activity", "delete")]
    names = [n for n in names if allowed.get(n, True)]
    tabs = dict(zip(names, st.tabs([tr(f"library.{n}") for n in names]), strict=True))
    if "rename" in tabs:
        with tabs["rename"], st.form(f"library.rename_form.{selected.map_id}"):
            new_title = st.text_input(tr("library.new_title"), value=selected.title, max_chars=schema.NAME_MAX)
            if st.form_submit_button(tr("library.rename")):
                try:
                    services.rename_map(store, ME, selected.map_id, new_title.strip(), base_version=selected.version)
                    st.session_state["library.flash"] = tr("library.renamed", title=new_title.strip())
                    st.rerun()
                except CJMError as exc:
                    show_error(exc)
    if "duplicate" in tabs:
        with tabs["duplicate"], st.form(f"library.dup_form.{selected.map_id}"):
            dup_title = st.text_input(
                tr("library.new_title"), value=tr("library.copy_of", title=selected.title), max_chars=schema.NAME_MAX
            )
            if st.form_submit_button(tr("library.duplicate")):
                try:
                    new_id = services.duplicate_map(store, ME, selected.map_id, title=dup_title.strip()).map_id
                    set_current_map(new_id)
                    st.session_state["library.flash"] = tr("library.duplicated", title=dup_title.strip())
                    st.rerun()
                except CJMError as exc:
                    show_error(exc)
    with tabs["download"]:
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
    with tabs["history"]:
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
    if "share" in tabs:
        with tabs["share"]:
            _share_tab(selected)
    if "activity" in tabs:
        with tabs["activity"]:
            _activity_tab(selected)
    if "delete" in tabs:
        with tabs["delete"]:
            st.warning(tr("library.delete_warning", title=md_escape(selected.title)))
            confirm = st.checkbox(tr("library.delete_confirm"), key=f"library.delete_confirm.{selected.map_id}")
            if st.button(tr("library.delete"), disabled=not confirm, key=f"library.delete_button.{selected.map_id}"):
                try:
                    services.delete_map(store, ME, selected.map_id)
                except CJMError as exc:
                    show_error(exc)
                else:
                    set_current_map(None)
                    st.session_state["library.flash"] = tr("library.deleted", title=selected.title)
                    st.rerun()

flash = st.session_state.pop("library.flash", None)
if flash:
    st.success(flash)

# ---- The trash: maps deleted by their owners, restored or purged by them or an administrator -------
in_trash = [item for item in access.trash(store) if can("untrash", item.map_id)]
if in_trash:
    with st.expander(tr("library.trash.title", n=len(in_trash)), icon=":material/delete:"):
        for item in in_trash:
            c1, c2, c3 = st.columns([5, 1.5, 1.5], vertical_alignment="center")
            c1.text(tr("library.trash.row", title=item.title, who=item.deleted_by, when=_when(item.deleted_at)))
            if c2.button(tr("library.trash.restore"), key=f"library.trash_restore.{item.map_id}"):
                try:
                    services.restore_map(store, ME, item.map_id)
                    st.session_state["library.flash"] = tr("library.trash.restored", title=md_escape(item.title))
                    st.rerun()
                except CJMError as exc:
                    show_error(exc)
            sure = c3.checkbox(tr("library.trash.purge_confirm"), key=f"library.trash_sure.{item.map_id}")
            if sure and c3.button(tr("library.trash.purge"), key=f"library.trash_purge.{item.map_id}", type="primary"):
                try:
                    services.purge_map(store, ME, item.map_id)
                    st.session_state["library.flash"] = tr("library.trash.purged", title=md_escape(item.title))
                    st.rerun()
                except CJMError as exc:
                    show_error(exc)

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
                services.create_map(store, ME, G)
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
            new_id = services.import_map(store, ME, G, source=upload.name).map_id
            st.session_state["library.upload_done"] = upload.file_id
            set_current_map(new_id)
            st.session_state["library.flash"] = tr("library.imported", title=G.graph["title"], n=G.number_of_nodes())
            st.rerun()
        except CJMError as exc:
            show_error(exc)
