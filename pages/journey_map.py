"""Journey map: the current map drawn according to its type, a persona card, lane choice and exports."""

import streamlit as st

from cjm import charts, model, schema
from cjm.charts.future import comparison_tables, conversion_metrics, conversion_text
from cjm.errors import CJMError, MapNotFoundError
from cjm.i18n import label, t
from cjm.io import export
from cjm.text import is_blank, md_escape
from cjm_ui import can, get_store, lang, require_map, show_error, show_figure, tr

L = lang()
# Pixels per touchpoint column: card text is wrapped to the column, the screen shows as many columns
# as it holds (about five of the normal ones on a 1440 px screen beside the sidebar) and the map pans.
COLUMN_PX = {"narrow": 150, "normal": 190, "wide": 250}
# A map this many pixels wide or more does not fit a 1920 px screen: say it pans.
WIDE_MAP_PX = 1500
stored = require_map()
G = stored.graph
map_type = G.graph.get("map_type") or "current_state"


st.title(tr("mapview.title"))
st.caption(f"{md_escape(G.graph.get('title') or stored.map_id)} · {label('map_type', map_type, L)}")

# ---- persona card (plain text elements: user text never becomes HTML)
persona = G.graph.get("persona") or {}
with st.container(border=True):
    if not all(is_blank(v) for v in persona.values()):
        left, right = st.columns([1, 2])
        with left:
            st.markdown(f"#### {md_escape(persona.get('name') or tr('mapview.persona'))}")
            if G.graph.get("segment"):
                st.caption(f"{tr('mapview.segment')}: {md_escape(G.graph['segment'])}")
            if persona.get("description"):
                st.caption(md_escape(persona["description"]))
        with right:
            cols = st.columns(3)
            for col, key in zip(cols, ("goals", "demographics", "psychographics"), strict=True):
                col.markdown(f"**{tr(f'mapview.persona_{key}')}**")
                col.caption(md_escape(persona.get(key) or "—"))
    else:
        st.text(tr("mapview.persona_none"))

# ---- baseline of a future-state map
baseline = None
baseline_stored = None
if map_type == "future_state":
    baseline_id = G.graph.get("baseline_id")
    if not baseline_id or not can("view", baseline_id):
        st.info(tr("mapview.baseline_none"))
    else:
        try:
            baseline_stored = get_store().load(baseline_id)
            baseline = baseline_stored.graph
        except MapNotFoundError:
            st.warning(tr("mapview.baseline_missing", baseline_id=baseline_id))
        except CJMError as exc:
            show_error(exc)
elif map_type not in schema.MAP_TYPES:
    st.warning(tr("mapview.unknown_type", map_type=map_type))

# ---- controls
options = list(charts.available_lanes(map_type))
c_lanes, c_cols = st.columns([4, 1])
chosen = c_lanes.multiselect(
    tr("mapview.lanes"),
    options,
    default=options,
    format_func=lambda k: t(f"mapview.lane.{k}", L),
    key=f"journey_map.lanes.{map_type}",
    placeholder=tr("mapview.lanes_none"),
)
width_choice = c_cols.select_slider(
    tr("mapview.columns"),
    options=list(COLUMN_PX),
    value="normal",
    format_func=lambda v: t(f"mapview.columns.{v}", L),
    key="journey_map.columns",
    help=tr("mapview.columns_help"),
)
column_px = COLUMN_PX.get(width_choice, COLUMN_PX["normal"])
# Filters by the decision a touchpoint serves and its role (none chosen: every touchpoint).
c_dec, c_role = st.columns(2)
decisions = c_dec.multiselect(
    tr("field.decision"),
    schema.DECISIONS,
    format_func=lambda v: label("decision", v, L),
    key="journey_map.decision",
    placeholder=tr("mapview.filter_all"),
)
roles = c_role.multiselect(
    tr("field.role"),
    schema.ROLES,
    format_func=lambda v: label("role", v, L),
    key="journey_map.role",
    placeholder=tr("mapview.filter_all"),
)
if decisions or roles:
    G = model.filtered(G, decision=decisions, role=roles)
    st.caption(tr("mapview.filtered", n=G.number_of_nodes()))

if G.number_of_nodes() == 0:
    st.info(tr("mapview.empty_map"))
if not chosen:
    st.info(tr("mapview.no_lanes"))
    st.stop()

base_key = (baseline_stored.map_id, baseline_stored.version) if baseline_stored else None


@st.cache_data(max_entries=64, show_spinner=False)
def _figure(map_id: str, version: int, base: tuple | None, lanes: tuple, lang_: str, px: int, shown: tuple, _G, _B):
    # Keyed by map and version (a stored version never changes); the graphs themselves are not hashed.
    return charts.map_figure(_G, baseline=_B, lang=lang_, lanes=list(lanes), column_px=px)


try:
    shown = (tuple(decisions), tuple(roles))  # the filters: part of the cache key
    fig = _figure(stored.map_id, stored.version, base_key, tuple(chosen), L, column_px, shown, G, baseline)
except CJMError as exc:
    show_error(exc)
    st.stop()

if (fig.layout.meta or {}).get("columns", 0) * column_px >= WIDE_MAP_PX:
    st.caption(tr("mapview.pan_hint"))
show_figure(fig, width="stretch", config={"displaylogo": False, "scrollZoom": False}, key="journey_map.chart")

# ---- future vs baseline details
if baseline is not None:
    cmp = charts.compare_maps(G, baseline)
    metrics = conversion_metrics(cmp, L)
    if metrics:
        for col, (name, value) in zip(st.columns(len(metrics)), metrics, strict=True):
            col.metric(name, value)
        st.caption(conversion_text(cmp, L))
    tables = comparison_tables(cmp, G, baseline, L)
    left, right = st.columns(2)
    for col, key, title_key in (
        (left, "resolved", "mapview.resolved_title"),
        (left, "stages", "mapview.stage_delta_title"),
        (right, "added", "mapview.added_title"),
        (right, "removed", "mapview.removed_title"),
        (right, "changed", "mapview.changed_title"),
    ):
        col.subheader(tr(title_key))
        if len(tables[key]):
            col.dataframe(tables[key], hide_index=True, width="stretch")
        else:
            col.text(tr("mapview.none"))

# ---- exports
st.subheader(tr("mapview.export"))


@st.cache_data(max_entries=16, show_spinner=False)
def _full_figure(map_id: str, version: int, base: tuple | None, lanes: tuple, lang_: str, _G, _B):
    return charts.map_figure(_G, baseline=_B, lang=lang_, lanes=list(lanes))


def _full():
    return _full_figure(stored.map_id, stored.version, base_key, tuple(chosen), L, G, baseline)


e1, e2, e3 = st.columns(3)
e1.download_button(
    tr("mapview.download_html"),
    data=lambda: export.to_html(_full()),
    file_name=export.export_file_name(G, "html"),
    mime="text/html",
    icon=":material/html:",
    key="journey_map.download_html",
    on_click="ignore",
)
journey_text = export.mermaid_journey(G, lang=L)
flow_text = export.mermaid_flowchart(G, lang=L)
e2.download_button(
    tr("mapview.download_mermaid_journey"),
    data=journey_text,
    file_name=export.export_file_name(G, "journey.mmd"),
    mime="text/plain",
    icon=":material/schema:",
    key="journey_map.download_mermaid_journey",
    on_click="ignore",
)
e3.download_button(
    tr("mapview.download_mermaid_flowchart"),
    data=flow_text,
    file_name=export.export_file_name(G, "flowchart.mmd"),
    mime="text/plain",
    icon=":material/account_tree:",
    key="journey_map.download_mermaid_flowchart",
    on_click="ignore",
)

image_key = (stored.map_id, stored.version, base_key, tuple(chosen), L)
images = st.session_state.get("journey_map.images")
ok, reason = export.image_export_status()
if not ok:
    st.info(tr("mapview.image_unavailable", reason=reason))
else:
    if st.button(tr("mapview.render_image"), icon=":material/image:", key="journey_map.render_image"):
        with st.spinner(tr("mapview.render_image")):
            try:
                images = {"key": image_key, **export.to_images(_full())}
                st.session_state["journey_map.images"] = images
            except CJMError as exc:
                st.error(tr("mapview.image_failed", reason=str(exc)))
    if images and images.get("key") == image_key:
        i1, i2, i3 = st.columns(3)
        for col, fmt, mime in ((i1, "png", "image/png"), (i2, "svg", "image/svg+xml"), (i3, "pdf", "application/pdf")):
            col.download_button(
                tr(f"mapview.download_{fmt}"),
                data=images[fmt],
                file_name=export.export_file_name(G, fmt),
                mime=mime,
                icon=":material/download:",
                key=f"journey_map.download_{fmt}",
                on_click="ignore",
            )

with st.expander(tr("mapview.mermaid_preview")):
    st.code(journey_text, language="text")
    st.code(flow_text, language="text")
