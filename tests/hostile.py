"""A journey map full of hostile text (issue 18): Markdown images and links, raw HTML, scripts, bare URLs
and spreadsheet formulas in every text field. Used by the browser test that crawls every page and by
the test that checks every download for formula cells."""

from __future__ import annotations

import re

import networkx as nx

from cjm import model

#: A documentation-only address (TEST-NET-2, RFC 5737): never loopback, never a real host.
HOST = "198.51.100.7"

MARKDOWN = [
    f"![x](http://{HOST}/title.png)",
    f"[click](http://{HOST}/phish)",
    f"<img src=http://{HOST}/i.png onerror=\"window.__pwned='img'\">",
    "<script>window.__pwned='script'</script>",
    f'<a href="http://{HOST}/a">html link</a>',
    f"http://{HOST}/bare and www.evil-{HOST.replace('.', '-')}.example",
    f"<http://{HOST}/angle>",
    f"[ref][1]\n\n[1]: http://{HOST}/ref",
    ":red[colour] **bold** $x^2$ :material/home:",
    f'<iframe src="http://{HOST}/frame"></iframe>',
    f"<svg onload=\"window.__pwned='svg'\"><image href='http://{HOST}/s.png'/></svg>",
]
FORMULAS = ['=HYPERLINK("http://198.51.100.7","x")', "-2+3+cmd|' /C calc'!A0", "@SUM(A1:A9)", "+1+1", "\tTAB", "\rCR"]

TITLE = f"![x](http://{HOST}/title.png) [click](http://{HOST}/phish) <b>bold</b>"
PERSONA = f"[persona](http://{HOST}/p) ![p](http://{HOST}/p.png)"
MAP_ID = "hostile"


def hostile_map(map_id: str = MAP_ID) -> nx.DiGraph:
    """A valid map whose every text field holds Markdown/HTML payloads and formulas."""
    long = " ".join(MARKDOWN)
    G = model.new_map(
        TITLE,
        map_id=map_id,
        persona={
            "name": PERSONA,
            "description": long,
            "goals": long,
            "demographics": MARKDOWN[2],
            "psychographics": FORMULAS[0],
        },
        segment=f"[seg](http://{HOST}/seg) <img src=http://{HOST}/seg.png>",
    )
    G.graph["stages"][0]["name"] = f"[stage](http://{HOST}/st) ![s](http://{HOST}/s.png)"
    stages = [s["id"] for s in G.graph["stages"]]
    ids = []
    for i, payload in enumerate(MARKDOWN + FORMULAS):
        ids.append(
            model.add_touchpoint(
                G,
                payload[:200],
                stages[i % len(stages)],
                emotion=float((i % 5) - 2),
                action=long,
                thought=payload,
                pain_point=payload,
                opportunity=long,
                physical_evidence=payload,
                frontstage=payload,
                backstage=payload,
                support_processes=payload,
                evaluation_note=payload,
                owner=FORMULAS[i % len(FORMULAS)],
                task=FORMULAS[(i + 1) % len(FORMULAS)] + " " + payload,
                deadline="2020-01-01",
                task_status="todo",
                importance=1 + i % 5,
                score=1 + (i + 2) % 5,
                key_touchpoint=True,
                evaluated_by="expert",
                channel="website",
                category="technology",
                status="missing" if i % 3 == 0 else "existing",
                users=100 - i,
                conversion_point=i % 4 == 0,
                comments=[{"author": payload[:80], "text": payload, "time": "2024-01-01T10:00:00+00:00"}],
                votes=[{"participant": FORMULAS[i % len(FORMULAS)], "score": 1, "time": "2024-01-01T10:00:00+00:00"}],
            )
        )
    for i, (a, b) in enumerate(zip(ids, ids[1:], strict=False)):
        model.add_transition(G, a, b, users=50 - i, label=(MARKDOWN + FORMULAS)[i][:200])
    return G


def plain(markdown: str) -> str:
    """What a reader sees of escaped Markdown source (``cjm.text.md_escape``): backslash escapes
    removed and the invisible word joiners that break bare links dropped."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "")
