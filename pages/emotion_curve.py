"""Emotion curve (read-only): how the customer feels along the journey, other maps overlaid to compare."""

import streamlit as st

from cjm import i18n
from cjm.charts.emotion import emotion_curve_figure
from cjm.competitors import comparison_table, competitors_for
from cjm.emotion import curve_table, stage_emotion_table
from cjm.io.jsonio import dumps, loads
from cjm.store import database_url
from cjm.text import fmt_decimal, fmt_emotion, md_escape, shorten
from cjm_ui import get_store, lang, require_map, show_figure, tr, visible_maps

L = lang()
store = get_store()
stored = require_map()
G = stored.graph
map_id = stored.map_id


@st.cache_data(max_entries=64, show_spinner=False)
def _map_json(other_id: str, version: int, url: str) -> str:
    """A stored map version as JSON text (versions never change, so this caches safely)."""
    return dumps(store.load(other_id, version).graph)


st.title(tr("curve.title"))
st.caption(tr("curve.caption"))

infos = {i.map_id: i for i in visible_maps()}  # only maps this person may open
others = [i for i in infos if i != map_id]
# By default compare with the related map: the baseline of a future state, or the future states of
# this map, so "current vs future" is one click away (or none).
related = [i for i in others if i == G.graph.get("baseline_id") or infos[i].baseline_id == map_id]
url = database_url()
# Competitors' journeys for the same persona and stages (rules 1 and 4) are compared by default too.
rivals = competitors_for(G, [loads(_map_json(i, infos[i].version, url)) for i in others])
rival_ids = [H.graph["id"] for H in rivals]
related += [i for i in rival_ids if i not in related]
key = f"curve.compare.{map_id}"  # per map: a new current map starts from its own related maps
compare = st.multiselect(
    tr("curve.compare"),
    others,
    default=related[:3],
    format_func=lambda i: f"{infos[i].title} · {i18n.label('map_type', infos[i].map_type, L)}",
    key=key,
    help=tr("curve.compare_help"),
    placeholder=tr("curve.compare"),
)
graphs = [G] + [loads(_map_json(i, infos[i].version, url)) for i in compare if i in infos]

if G.number_of_nodes() == 0:
    st.info(tr("curve.no_touchpoints"))

show_figure(
    emotion_curve_figure(graphs, lang=L),
    key="curve.figure",
    config={"displayModeBar": False},
    theme=None,
)

table = curve_table(G, lang=L)
missing = table[table["emotion"].isna()]
if not missing.empty:
    names = ", ".join(f"«{md_escape(n)}»" for n in missing["name"])
    st.caption(tr("curve.unassessed_note", n=len(missing), names=names))

st.subheader(tr("curve.competitors_title"), anchor=False)
st.caption(tr("curve.competitors_caption"))
if not rivals:
    st.info(tr("curve.competitors_none"), icon=":material/info:")
else:
    cmp = comparison_table(G, rivals, lang=L)
    st.dataframe(
        {
            tr("curve.col.stage"): cmp["stage_name"],
            tr("curve.col.map"): cmp["map"],
            tr("curve.col.touchpoints"): cmp["touchpoints"],
            tr("curve.col.emotion"): [fmt_emotion(v, L) for v in cmp["emotion"]],
            tr("curve.col.channels"): [", ".join(c) for c in cmp["channels"]],
            tr("curve.col.names"): ["; ".join(n) for n in cmp["names"]],
        },
        hide_index=True,
        width="stretch",
        key="curve.competitors",
    )

with st.expander(tr("curve.how_to_read"), icon=":material/help:"):
    st.markdown(tr("curve.how_to_read_text"))

# One above the other: side by side, each table would hide its comparison columns at 1440 px.
left, right = st.container(), st.container()
with left:
    st.subheader(tr("curve.stage_table"), anchor=False)
    by_stage = stage_emotion_table(graphs, lang=L)
    map_cols = [c for c in by_stage.columns if c not in ("stage", "stage_name", "phase", "change")]
    view = {
        tr("curve.col.stage"): by_stage["stage_name"],
        tr("curve.col.phase"): [i18n.label("phase", p, L) for p in by_stage["phase"]],
    }
    # Map titles are long: each map's column gets a short header with the full title in its
    # tooltip, so the comparison columns stay on screen.
    config = {
        tr("curve.col.stage"): st.column_config.Column(width="medium"),
        tr("curve.col.phase"): st.column_config.Column(width="small"),
    }
    for c in map_cols:
        head = shorten(c, 18)
        while head in view:  # two titles cut to the same text stay two columns
            head += "​"
        view[head] = [fmt_emotion(v, L) for v in by_stage[c]]
        config[head] = st.column_config.Column(head, help=str(c), width="small")
    if "change" in by_stage:
        view[tr("curve.col.change")] = [fmt_emotion(v, L) for v in by_stage["change"]]
        config[tr("curve.col.change")] = st.column_config.Column(width="small")
    st.dataframe(view, hide_index=True, width="stretch", column_config=config)
with right:
    voted = table[table["votes"] > 0]
    if not voted.empty:
        st.subheader(tr("curve.votes_table"), anchor=False)
        st.dataframe(
            {
                tr("field.name"): voted["name"],
                tr("curve.col.votes"): voted["votes"],
                tr("curve.col.mean"): [fmt_emotion(v, L) for v in voted["vote_mean"]],
                tr("curve.col.std"): [fmt_decimal(v, L, 2) for v in voted["vote_std"]],
                tr("curve.col.min"): [fmt_emotion(v, L) for v in voted["vote_min"]],
                tr("curve.col.max"): [fmt_emotion(v, L) for v in voted["vote_max"]],
            },
            hide_index=True,
            width="stretch",
        )
