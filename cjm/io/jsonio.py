"""The JSON file format: networkx node-link data plus ``cjm_format`` (the format version).

``loads(dumps(G))`` gives a graph equal to ``G`` (nodes, edges, every attribute), and
``dumps(loads(text)) == text`` for any file ``dumps`` wrote.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import networkx as nx

from cjm import schema
from cjm.errors import FileFormatError, Place, Problem, ValidationError
from cjm.validation import validate_map

__all__ = ["to_data", "from_data", "dumps", "loads", "read_json", "write_json", "graphs_equal"]

_LINKS = "edges"  # networkx 3.6 default key, so plain node_link_graph(data) loads a file


def to_data(G: nx.DiGraph) -> dict[str, Any]:
    """The node-link dict of a map (loadable with ``networkx.node_link_graph``)."""
    data = nx.node_link_data(G, edges=_LINKS)
    data["cjm_format"] = schema.FORMAT_VERSION
    return data


def _raw_problems(data: dict[str, Any]) -> list[Problem]:
    """Problems that ``node_link_graph`` would hide: duplicate ids and dangling transitions."""
    problems: list[Problem] = []
    nodes = data.get("nodes")
    links = data.get(_LINKS, data.get("links", []))
    if not isinstance(nodes, list) or not isinstance(links, list):
        return [Problem(Place("file"), None, "'nodes' and 'edges' must be lists", "nodes_edges_lists")]
    seen: set[str] = set()
    for i, node in enumerate(nodes):
        if not isinstance(node, dict) or "id" not in node:
            problems.append(Problem(Place("node", {"n": i + 1}), "id", "is missing", "missing"))
            continue
        key = str(node["id"])
        if key in seen:
            problems.append(
                Problem(Place("touchpoint", {"id": key}), "id", "duplicate touchpoint id", "duplicate_touchpoint_id")
            )
        seen.add(key)
    for i, link in enumerate(links):
        if not isinstance(link, dict):
            problems.append(Problem(Place("transition_n", {"n": i + 1}), None, "is not a record", "not_a_record"))
            continue
        for end in ("source", "target"):
            if str(link.get(end)) not in seen:
                problems.append(
                    Problem(
                        Place(
                            "transition_n_ends",
                            {"n": i + 1, "source": link.get("source"), "target": link.get("target")},
                        ),
                        end,
                        f"no touchpoint {link.get(end)!r}",
                        "missing_touchpoint",
                        (("id", repr(link.get(end))),),
                    )
                )
    return problems


def from_data(data: Any, *, source: str | None = None) -> nx.DiGraph:
    """A validated map from node-link data; raises ``ValidationError`` with every problem."""
    if not isinstance(data, dict):
        raise FileFormatError("a map file must hold a JSON object", "not_object", source=source)
    version = data.get("cjm_format", schema.FORMAT_VERSION)
    if version != schema.FORMAT_VERSION:
        raise FileFormatError(
            f"format version {version!r} is not supported (this cjm reads {schema.FORMAT_VERSION})",
            "format_version",
            source=source,
            version=repr(version),
            supported=schema.FORMAT_VERSION,
        )
    problems = _raw_problems(data)
    if problems:
        raise ValidationError(problems, source=source)
    clean = {k: v for k, v in data.items() if k != "cjm_format"}
    clean["directed"], clean["multigraph"] = True, False
    for node in clean["nodes"]:
        node["id"] = str(node["id"])
    edges_key = _LINKS if _LINKS in clean else "links"
    for link in clean.get(edges_key, []):
        link["source"], link["target"] = str(link["source"]), str(link["target"])
    try:
        G = nx.node_link_graph(clean, directed=True, multigraph=False, edges=edges_key)
    except (KeyError, TypeError, nx.NetworkXError) as exc:
        raise FileFormatError(
            f"not a node-link graph ({exc})",
            "not_node_link",
            source=source,
            detail=str(exc),
        ) from None
    return validate_map(G, source=source)


def dumps(G: nx.DiGraph) -> str:
    """The map as JSON text: stable key order, UTF-8 characters kept, two-space indent."""
    return json.dumps(to_data(G), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def loads(text: str | bytes, *, source: str | None = None) -> nx.DiGraph:
    """Parse and validate a map from JSON text or bytes."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise FileFormatError(
                f"not UTF-8 text (byte {exc.start})",
                "not_utf8",
                source=source,
                position=exc.start,
            ) from None
    if not text.strip():
        raise FileFormatError("the file is empty", "empty", source=source)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FileFormatError(
            f"not valid JSON: {exc.msg}",
            "not_json",
            source=source,
            line=exc.lineno,
            column=exc.colno,
            detail=exc.msg,
        ) from None
    return from_data(data, source=source)


def read_json(path: str | Path) -> nx.DiGraph:
    """Read and validate a map file."""
    path = Path(path)
    return loads(path.read_bytes(), source=path.name)


def write_json(G: nx.DiGraph, path: str | Path) -> None:
    """Write a map file (UTF-8)."""
    Path(path).write_text(dumps(G), encoding="utf-8")


def graphs_equal(G: nx.DiGraph, H: nx.DiGraph) -> bool:
    """True when two maps have the same attributes, touchpoints and transitions."""
    return (
        G.graph == H.graph
        and dict(G.nodes(data=True)) == dict(H.nodes(data=True))
        and {(u, v): d for u, v, d in G.edges(data=True)} == {(u, v): d for u, v, d in H.edges(data=True)}
    )
