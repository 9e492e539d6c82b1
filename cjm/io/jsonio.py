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
from cjm.limits import limits
from cjm.text import fmt_int
from cjm.validation import shown, validate_map

__all__ = [
    "to_data",
    "from_data",
    "dumps",
    "loads",
    "parse_json",
    "json_depth",
    "read_json",
    "write_json",
    "graphs_equal",
]

_LINKS = "edges"  # networkx 3.6 default key, so plain node_link_graph(data) loads a file


def to_data(G: nx.DiGraph) -> dict[str, Any]:
    """The node-link dict of a map (loadable with ``networkx.node_link_graph``)."""
    data = nx.node_link_data(G, edges=_LINKS)
    data["cjm_format"] = schema.FORMAT_VERSION
    return data


def _key(value: Any) -> str | None:
    """A node id or a transition end as text; ``None`` when it is not a plain value (a record, a
    list, null, a yes/no) or is too long to be an id."""
    if value is None or isinstance(value, (bool, dict, list)):
        return None
    if isinstance(value, int) and value.bit_length() > 128:
        return None
    text = str(value)
    return text if len(text) <= 10 * limits().max_id_chars else None


def _raw_problems(data: dict[str, Any]) -> list[Problem]:
    """Problems that ``node_link_graph`` would hide or trip over: the shape of the file (lists,
    records, counts), ids that are not plain values, duplicate ids and dangling transitions."""
    problems: list[Problem] = []
    lim = limits()
    nodes = data.get("nodes")
    links = data.get(_LINKS, data.get("links", []))
    if not isinstance(nodes, list) or not isinstance(links, list):
        return [Problem(Place("file"), None, "'nodes' and 'edges' must be lists", "nodes_edges_lists")]
    if "graph" in data and not isinstance(data["graph"], dict):
        problems.append(Problem(Place("file"), "graph", "is not a record", "not_a_record"))
    for items, limit, what in (
        (nodes, lim.max_touchpoints, "touchpoints"),
        (links, lim.max_transitions, "transitions"),
    ):
        if len(items) > limit:
            n, most = fmt_int(len(items)), fmt_int(limit)
            message = f"has {n} {what}; the limit is {most}"
            params = (("n", len(items)), ("limit", limit))
            return [*problems, Problem(Place("map"), None, message, f"too_many_{what}", params)]
    seen: set[str] = set()
    for i, node in enumerate(nodes):
        if not isinstance(node, dict) or "id" not in node:
            problems.append(Problem(Place("node", {"n": i + 1}), "id", "is missing", "missing"))
            continue
        key = _key(node["id"])
        if key is None:
            value = shown(node["id"])
            message = f"{value} is not an id"
            problems.append(Problem(Place("node", {"n": i + 1}), "id", message, "not_an_id", (("value", value),)))
            continue
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
            if _key(link.get(end)) not in seen:
                ends = {"source": shown(link.get("source")), "target": shown(link.get("target"))}
                problems.append(
                    Problem(
                        Place("transition_n_ends", {"n": i + 1, **ends}),
                        end,
                        f"no touchpoint {shown(link.get(end))}",
                        "missing_touchpoint",
                        (("id", shown(link.get(end))),),
                    )
                )
    return problems


def from_data(data: Any, *, source: str | None = None) -> nx.DiGraph:
    """A validated map from node-link data; raises ``ValidationError`` with every problem."""
    if not isinstance(data, dict):
        raise FileFormatError("a map file must hold a JSON object", "not_object", source=source)
    version = data.get("cjm_format", schema.FORMAT_VERSION)
    if version != schema.FORMAT_VERSION or isinstance(version, bool):
        raise FileFormatError(
            f"format version {shown(version)} is not supported (this cjm reads {schema.FORMAT_VERSION})",
            "format_version",
            source=source,
            version=shown(version),
            supported=schema.FORMAT_VERSION,
        )
    problems = _raw_problems(data)  # counts first: a file over the limits is refused without a walk
    if not problems and json_depth(data) > limits().max_json_depth:
        raise _too_deep(source, limits().max_json_depth)
    if problems:
        raise ValidationError(problems, source=source)
    clean = {k: v for k, v in data.items() if k not in ("cjm_format", "directed", "multigraph", "graph")}
    clean["graph"] = dict(data.get("graph") or {})
    clean["directed"], clean["multigraph"] = True, False
    clean["nodes"] = [dict(node, id=_key(node["id"])) for node in data["nodes"]]
    edges_key = _LINKS if _LINKS in clean else "links"
    clean[edges_key] = [
        dict(link, source=_key(link["source"]), target=_key(link["target"])) for link in clean.get(edges_key, [])
    ]
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
    return from_data(parse_json(text, source=source, check_depth=False), source=source)


def _too_deep(source: str | None, limit: int) -> FileFormatError:
    return FileFormatError(
        f"objects and lists are nested more than {limit} deep", "too_deep", source=source, limit=limit
    )


def _parse_int(text: str) -> int | str:
    """A JSON integer; one with more digits than the limit stays text (a later check refuses it
    where a number is expected), so no 4,300-digit conversion error and no huge ``int``."""
    return int(text) if len(text) <= limits().max_number_digits + 1 else text


def parse_json(text: str, *, source: str | None = None, check_depth: bool = True) -> Any:
    """JSON text parsed within cjm's limits (size, nesting depth, digits of a number), or
    ``FileFormatError`` saying where it is wrong. ``check_depth=False`` leaves the depth (beyond
    what the parser itself refuses) to the caller, as :func:`from_data` checks it."""
    lim = limits()
    if len(text) > lim.max_file_bytes:
        limit = lim.max_file_bytes // 2**20
        raise FileFormatError(f"the file is larger than {limit} MB", "larger_than", source=source, limit=limit)
    if not text.strip():
        raise FileFormatError("the file is empty", "empty", source=source)
    try:
        data = json.loads(text, parse_int=_parse_int)
    except json.JSONDecodeError as exc:
        raise FileFormatError(
            f"not valid JSON: {exc.msg}",
            "not_json",
            source=source,
            line=exc.lineno,
            column=exc.colno,
            detail=exc.msg,
        ) from None
    except RecursionError:
        raise _too_deep(source, lim.max_json_depth) from None
    if check_depth and json_depth(data) > lim.max_json_depth:
        raise _too_deep(source, lim.max_json_depth)
    return data


def json_depth(data: Any) -> int:
    """How deeply objects and lists nest in parsed JSON (a scalar is 0, ``[]`` is 1), without recursion.

    >>> json_depth({"a": [1, {"b": []}]}), json_depth("x")
    (4, 0)
    """
    deepest = 0
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return deepest


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
