"""Exports of a journey map: self-contained HTML, images (PNG/SVG/PDF) and Mermaid text.

Images are rendered by kaleido (pinned in requirements.txt) driving a Chromium that is already on
the machine (Debian's ``/usr/bin/chromium``, which ``make run`` installs); nothing is downloaded at
run time. When no renderer is available, :class:`ImageExportUnavailable` says why.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import threading
from collections.abc import Sequence
from pathlib import Path

import networkx as nx
import plotly.graph_objects as go

from cjm import model
from cjm.errors import CJMError
from cjm.i18n import label
from cjm.text import fmt_int

__all__ = [
    "IMAGE_FORMATS",
    "ImageExportUnavailable",
    "ImageExportError",
    "to_html",
    "chromium_path",
    "image_export_status",
    "to_images",
    "to_image",
    "mermaid_journey",
    "mermaid_flowchart",
    "export_file_name",
]

IMAGE_FORMATS = ("png", "svg", "pdf")
MAX_IMAGE_PX = 12_000  # Chromium's canvas limit is ~16k px; a 200-touchpoint map is scaled to fit
_BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")


class ImageExportUnavailable(CJMError):
    """No image renderer here (kaleido not installed or no Chromium/Chrome found)."""


class ImageExportError(CJMError):
    """The renderer is there but failed on this figure."""


def to_html(fig: go.Figure) -> str:
    """The figure as one self-contained HTML page (plotly.js inline, no CDN, works offline)."""
    return fig.to_html(include_plotlyjs=True, full_html=True, config={"displaylogo": False, "responsive": True})


def chromium_path() -> str | None:
    """The browser kaleido should drive: ``$CJM_CHROMIUM`` or ``$BROWSER_PATH`` if set, else
    Chromium/Chrome on ``PATH`` or at ``/usr/bin/chromium``; ``None`` when there is none."""
    for var in ("CJM_CHROMIUM", "BROWSER_PATH"):
        value = os.environ.get(var)
        if value:
            return value if Path(value).is_file() and os.access(value, os.X_OK) else None
    for name in _BROWSER_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None


def image_export_status() -> tuple[bool, str]:
    """``(True, browser path)`` when images can be rendered here, else ``(False, the reason)``."""
    try:
        import kaleido  # noqa: F401
    except ImportError:
        return False, "the 'kaleido' package is not installed (pip install -r requirements.txt)"
    path = chromium_path()
    if path is None:
        configured = os.environ.get("CJM_CHROMIUM") or os.environ.get("BROWSER_PATH")
        if configured:
            return False, f"no browser at {configured}"
        return False, "no Chromium found (install Debian's 'chromium' package, or set CJM_CHROMIUM)"
    return True, path


def _size(fig: go.Figure) -> tuple[int, int, float]:
    width = int(fig.layout.width or 1400)
    height = int(fig.layout.height or 800)
    scale = min(2.0, MAX_IMAGE_PX / max(width, height))
    return width, height, scale


async def _render(spec: dict, formats: Sequence[str], width: int, height: int, scale: float, browser: str):
    import kaleido

    out: dict[str, bytes] = {}
    async with kaleido.Kaleido(n=1, mathjax=False, path=browser, timeout=120) as k:
        for fmt in formats:
            opts = dict(format=fmt, width=width, height=height, scale=scale if fmt == "png" else 1)
            out[fmt] = await k.calc_fig(spec, opts=opts)
    return out


def _run(coro):
    """Run a coroutine to completion even if this thread already has an event loop running."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    box: dict[str, object] = {}

    def target():
        try:
            box["value"] = asyncio.run(coro)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
            box["error"] = exc

    th = threading.Thread(target=target)
    th.start()
    th.join()
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["value"]


def to_images(fig: go.Figure, formats: Sequence[str] = IMAGE_FORMATS) -> dict[str, bytes]:
    """Render the figure in each of ``formats`` (png, svg, pdf) with one browser start.

    PNGs are drawn at 2× (scaled down for very wide maps so they stay under Chromium's limits).
    Raises :class:`ImageExportUnavailable` when there is no renderer, :class:`ImageExportError`
    when rendering fails.
    """
    bad = [f for f in formats if f not in IMAGE_FORMATS]
    if bad:
        raise ValueError(f"unknown image formats: {bad}")
    ok, info = image_export_status()
    if not ok:
        raise ImageExportUnavailable(info)
    width, height, scale = _size(fig)
    try:
        return _run(_render(fig.to_plotly_json(), list(formats), width, height, scale, info))
    except ImageExportUnavailable:
        raise
    except Exception as exc:  # kaleido/choreographer raise many kinds; the page needs one, and short
        first = str(exc.args[0]) if exc.args else str(exc)
        raise ImageExportError(
            f"the browser at {info} could not render it ({type(exc).__name__}: {first[:160]})"
        ) from exc


def to_image(fig: go.Figure, fmt: str = "png") -> bytes:
    """One image of the figure (see :func:`to_images`)."""
    return to_images(fig, (fmt,))[fmt]


# ---- Mermaid ---------------------------------------------------------------------------------------


def _journey_text(value: object) -> str:
    """Text safe inside a Mermaid ``journey`` line: no line breaks, and no ``:`` / ``;`` / ``#``,
    which the journey syntax reads as separators or comments."""
    text = " ".join(str(value or "").split())
    return text.replace(":", " -").replace(";", ",").replace("#", "No.").strip() or "-"


def _flow_label(value: object) -> str:
    """A quoted flowchart label with Mermaid entity codes for characters that break the syntax
    (quotes, brackets, braces, pipes, angle brackets, ``#``)."""
    text = " ".join(str(value or "").split())
    codes = {
        "#": "#35;",
        '"': "#quot;",
        "[": "#91;",
        "]": "#93;",
        "(": "#40;",
        ")": "#41;",
        "{": "#123;",
        "}": "#125;",
        "|": "#124;",
        "<": "#lt;",
        ">": "#gt;",
        "`": "#96;",
    }
    return '"' + re.sub(r'[#"\[\](){}|<>`]', lambda m: codes[m.group()], text) + '"'


def _score(emotion: float | None) -> int:
    """Emotion −2…+2 as Mermaid's journey score 1…5 (unassessed = 3, the neutral middle)."""
    if emotion is None:
        return 3
    return max(1, min(5, int(round(float(emotion))) + 3))


def mermaid_journey(G: nx.DiGraph, *, lang: str = "en") -> str:
    """The map as a Mermaid ``journey`` diagram: a section per stage, a task per touchpoint with its
    emotion as the 1–5 score and its channel as the actor.

    >>> from cjm.model import new_map, add_touchpoint
    >>> G = new_map("Buy: fast"); _ = add_touchpoint(G, "Pay; now", "purchase", emotion=-2.0, channel="website")
    >>> print(mermaid_journey(G))
    journey
        title Buy - fast
        section Purchase
            Pay, now: 1: Website
    """
    lines = ["journey", f"    title {_journey_text(G.graph.get('title') or G.graph.get('id'))}"]
    stages = {s["id"]: s for s in model.stages(G)}
    for stage_id, nodes in model.touchpoints_by_stage(G).items():
        if not nodes:
            continue
        stage = stages.get(stage_id, {"id": stage_id, "name": stage_id})
        lines.append(f"    section {_journey_text(model.stage_label(stage, lang))}")
        for n in nodes:
            d = G.nodes[n]
            actor = label("channel", d.get("channel"), lang) or (G.graph.get("persona") or {}).get("name") or "-"
            lines.append(f"        {_journey_text(d.get('name'))}: {_score(d.get('emotion'))}: {_journey_text(actor)}")
    return "\n".join(lines) + "\n"


def mermaid_flowchart(G: nx.DiGraph, *, lang: str = "en") -> str:
    """The map as a Mermaid ``flowchart LR``: a subgraph per stage, a node per touchpoint, every
    transition (loops dotted, with their label and user count); missing touchpoints dashed,
    conversion points highlighted.

    >>> from cjm.model import new_map, add_touchpoint, add_transition
    >>> G = new_map("d"); a = add_touchpoint(G, 'Say "hi" [now]', "awareness"); b = add_touchpoint(G, "B", "intent")
    >>> add_transition(G, a, b, users=10); add_transition(G, b, a, label="back")
    >>> print(mermaid_flowchart(G))  # doctest: +ELLIPSIS
    flowchart LR
        subgraph s0["Awareness"]
            n0["Say #quot;hi#quot; #91;now#93;"]
        end
    ...
        n0 -->|"10"| n1
        n1 -.->|"back"| n0
    ...
    """
    order = model.touchpoints_in_order(G)
    ids = {n: f"n{i}" for i, n in enumerate(order)}
    stages = {s["id"]: s for s in model.stages(G)}
    lines = ["flowchart LR"]
    for k, (stage_id, nodes) in enumerate(model.touchpoints_by_stage(G).items()):
        if not nodes:
            continue
        stage = stages.get(stage_id, {"id": stage_id, "name": stage_id})
        lines.append(f"    subgraph s{k}[{_flow_label(model.stage_label(stage, lang))}]")
        for n in nodes:
            lines.append(f"        {ids[n]}[{_flow_label(G.nodes[n].get('name'))}]")
        lines.append("    end")
    back = set(model.back_edges(G))
    for u, v, d in sorted(G.edges(data=True), key=lambda e: (order.index(e[0]), order.index(e[1]))):
        text = " · ".join(
            x for x in (str(d.get("label") or "").strip(), fmt_int(d.get("users"), lang, missing="")) if x
        )
        arrow = "-.->" if (u, v) in back else "-->"
        lines.append(f"    {ids[u]} {arrow}{f'|{_flow_label(text)}|' if text else ''} {ids[v]}")
    lines.append("    classDef missing stroke:#dc2626,stroke-width:2px,stroke-dasharray: 5 5")
    lines.append("    classDef conversion stroke:#d97706,stroke-width:3px,fill:#fef3c7")
    missing = [ids[n] for n in model.missing_touchpoints(G)]
    conv = [ids[n] for n in model.conversion_points(G)]
    if missing:
        lines.append(f"    class {','.join(missing)} missing")
    if conv:
        lines.append(f"    class {','.join(conv)} conversion")
    return "\n".join(lines) + "\n"


def export_file_name(G: nx.DiGraph, ext: str) -> str:
    """A safe download file name from the map id: ``<id>.<ext>``."""
    base = re.sub(r"[^A-Za-z0-9._-]+", "-", str(G.graph.get("id") or "journey-map")).strip("-.") or "journey-map"
    return f"{base[:80]}.{ext}"
