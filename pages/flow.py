"""Journey flow: the map as a graph — network, Sankey, paths, bottlenecks, dead ends and loops."""

import streamlit as st

from cjm import flow, model
from cjm.charts import flow as flow_charts
from cjm.charts.theme import HIGHLIGHT_COLOURS
from cjm.i18n import t
from cjm.text import fmt_decimal, fmt_emotion, fmt_int, fmt_share
from cjm_ui import lang, require_map, show_figure, tr

L = lang()
stored = require_map()
G = stored.graph

st.title(tr("flow.title"))
st.caption(tr("flow.intro"))


@st.cache_data(max_entries=32, show_spinner=False)
def _analysis(map_id: str, version: int, targets: tuple[str, ...], cutoff: int | None, _G):
    # Keyed by map and version: a stored version never changes, so the cached answer stays right.
    return flow.analyse(_G, targets=list(targets), cutoff=cutoff)


def _names(path) -> str:
    return " → ".join(str(G.nodes[n].get("name") or n) for n in path)


def _name(n) -> str:
    return str(G.nodes[n].get("name") or n)


if G.number_of_nodes() == 0:
    st.info(tr("flow.empty_map"))
    st.stop()

if G.number_of_edges() == 0:
    st.info(tr("flow.no_transitions"))

conversions = model.conversion_points(G)
c_target, c_cut, c_high = st.columns([3, 2, 3])
target = c_target.selectbox(
    tr("flow.target"),
    ["", *conversions],
    format_func=lambda n: t("flow.target_all", L) if not n else _name(n),
    key="flow.target",
    disabled=not conversions,
    help=None if conversions else tr("flow.no_conversions"),
)
limit = c_cut.slider(tr("flow.cutoff"), 2, 40, 25, key="flow.cutoff", help=tr("flow.cutoff_help"))
res = _analysis(stored.map_id, stored.version, (target,) if target else (), limit, G)
choices = {
    "most_travelled": res.most_travelled,
    "worst_emotion": res.worst_emotion,
    "worst_drop_off": res.worst_drop_off,
}
available = ["none"] + [k for k, v in choices.items() if v is not None]
show = c_high.radio(
    tr("flow.highlight"),
    available,
    index=1 if len(available) > 1 else 0,
    format_func=lambda k: t(f"flow.highlight.{k}", L),
    horizontal=True,
    key=f"flow.highlight.{len(available)}",
)
highlight = choices[show].path if show in choices and choices[show] else None
color = HIGHLIGHT_COLOURS.get(show, HIGHLIGHT_COLOURS["most_travelled"])

m = st.columns(5)
m[0].metric(tr("flow.metric.entries"), fmt_int(len(res.entries), L))
m[1].metric(
    tr("flow.metric.targets") if res.targets_are_conversions else tr("flow.metric.exits"), fmt_int(len(res.targets), L)
)
m[2].metric(
    tr("flow.metric.paths"),
    fmt_int(len(res.stats), L) + ("+" if res.search.truncated else ""),
    help=tr("flow.metric.paths_truncated") if res.search.truncated else None,
)
m[3].metric(tr("flow.metric.loops"), fmt_int(len(res.loops), L))
m[4].metric(tr("flow.metric.unreachable"), fmt_int(len(res.unreachable), L))

tab_net, tab_sankey, tab_paths = st.tabs(
    [tr("flow.tab.network"), tr("flow.tab.sankey"), tr("flow.tab.paths")], key="flow.tab"
)

with tab_net:
    st.caption(tr("flow.network_help"))
    show_figure(
        flow_charts.network_figure(G, lang=L, analysis=res, highlight=highlight, highlight_color=color),
        width="stretch",
        key="flow.network",
        config={"displaylogo": False},
    )

with tab_sankey:
    st.caption(tr("flow.sankey_help"))
    show_figure(flow_charts.sankey_figure(G, lang=L), width="stretch", key="flow.sankey")
    if res.back_edges:
        st.markdown(tr("flow.back_edges", n=len(res.back_edges)))
        back = flow.back_edge_table(G)
        back["users"] = [fmt_int(v, L, missing="") for v in back["users"]]
        back = back.rename(
            columns={"source": tr("flow.col.from"), "target": tr("flow.col.to"), "users": tr("flow.col.users")}
        )
        st.dataframe(back, hide_index=True, width="stretch")

with tab_paths:

    def _path_block(title_key: str, stats, what_key: str) -> None:
        st.markdown(f"**{tr(title_key)}**")
        if stats is None:
            st.caption(tr(what_key))
            return
        st.text(_names(stats.path))
        facts = [tr("flow.steps", n=stats.steps)]
        if stats.mean_emotion is not None:
            facts.append(tr("flow.mean_emotion", v=fmt_emotion(stats.mean_emotion, L)))
        if stats.users is not None:
            facts.append(tr("flow.path_users", n=fmt_int(stats.users, L)))
        if stats.drop_off is not None and stats.drop_off_share is not None:
            facts.append(tr("flow.drop_off", n=fmt_int(stats.drop_off, L), share=fmt_share(stats.drop_off_share, L)))
        st.caption(" · ".join(facts))

    c1, c2, c3 = st.columns(3)
    with c1:
        _path_block("flow.most_travelled", res.most_travelled, "flow.no_counts")
    with c2:
        _path_block("flow.worst_emotion", res.worst_emotion, "flow.no_emotions")
    with c3:
        _path_block("flow.worst_drop_off", res.worst_drop_off, "flow.no_counts")

    st.subheader(tr("flow.paths_title", n=len(res.stats)))
    if res.search.truncated:
        st.warning(tr("flow.paths_truncated", n=len(res.stats), cutoff=limit))
    if res.stats:
        table = flow.paths_table(G, res.stats)
        # Emotions and counts as people read them in this language (cjm.text), like every other page.
        for c in ("mean_emotion", "min_emotion"):
            table[c] = [fmt_emotion(v, L) for v in table[c]]
        for c in ("users", "drop_off"):
            table[c] = [fmt_int(v, L) for v in table[c]]
        table["drop_off_share"] = [fmt_share(v, L) for v in table["drop_off_share"]]
        table = table.rename(
            columns={
                "path": tr("flow.col.path"),
                "steps": tr("flow.col.steps"),
                "mean_emotion": tr("flow.col.mean_emotion"),
                "min_emotion": tr("flow.col.min_emotion"),
                "users": tr("flow.col.users"),
                "drop_off": tr("flow.col.drop_off"),
                "drop_off_share": tr("flow.col.drop_off_share"),
            }
        )
        st.dataframe(
            table,
            hide_index=True,
            width="stretch",
            column_config={
                tr("flow.col.path"): st.column_config.TextColumn(width="large"),
            },
        )
    else:
        st.info(tr("flow.no_paths"))

    st.subheader(tr("flow.bottlenecks_title"))
    st.caption(tr("flow.bottlenecks_help"))
    bt = flow.bottleneck_table(G, res, lang=L)
    if not bt.empty:  # numbers as people read them in this language (cjm.text)
        bt["paths"] = [fmt_int(v, L) for v in bt["paths"]]
        bt["share"] = [fmt_share(v, L) for v in bt["share"]]
        bt["betweenness"] = [fmt_decimal(v, L, 2) for v in bt["betweenness"]]
    if bt.empty:
        st.caption(tr("flow.no_bottlenecks"))
    else:
        st.dataframe(
            bt.rename(
                columns={
                    "name": tr("flow.col.touchpoint"),
                    "stage": tr("flow.col.stage"),
                    "paths": tr("flow.col.paths"),
                    "share": tr("flow.col.share"),
                    "betweenness": tr("flow.col.betweenness"),
                }
            ),
            hide_index=True,
            width="stretch",
        )

    *c_lists, c_loop = st.columns(4)
    # The touchpoints where the journey breaks, each kind under its own name (docs/definitions.md).
    for col, (kind, nodes) in zip(
        c_lists,
        (("unreachable", res.unreachable), ("dead_ends", res.dead_ends), ("no_way", res.no_way_to_conversion)),
        strict=True,
    ):
        with col:
            st.markdown(f"**{tr(f'flow.{kind}_title', n=len(nodes))}**")
            st.caption(tr(f"flow.{kind}_help"))
            for n in nodes[:50]:
                st.text("• " + _name(n))
    with c_loop:
        st.markdown(f"**{tr('flow.loops_title', n=len(res.loops))}**")
        st.caption(tr("flow.loops_help"))
        for cycle in res.loops:
            st.text("↺ " + _names([*cycle, cycle[0]]))
