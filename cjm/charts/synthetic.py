"""Deterministic synthetic maps of any size, for the view tests and ``bench/bench_views.py``.

A synthetic map has every lane filled in, forks (two touchpoints in parallel inside a stage), a
loop back every few steps, user counts that fall along the journey, conversion points and a
missing touchpoint, so every drawing path of the views is exercised.
"""

from __future__ import annotations

import random

import networkx as nx

from cjm import model, schema

__all__ = ["synthetic_map"]

_WORDS = tuple(
    [
        "customer",
        "compares",
        "prices",
        "checks",
        "reviews",
        "asks",
        "friends",
        "opens",
        "the",
        "site",
        "scrolls",
        "the",
        "catalogue",
        "waits",
        "for",
        "the",
        "courier",
        "calls",
        "support",
        "reads",
        "the",
        "email",
        "worries",
        "about",
        "delivery",
        "time",
        "hopes",
        "for",
        "a",
        "discount",
    ]
)


def _sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(n)).capitalize()


def synthetic_map(
    n: int = 20, *, map_type: str = "current_state", seed: int = 42, title: str | None = None, with_users: bool = True
) -> nx.DiGraph:
    """A valid map of ``n`` touchpoints spread over the nine stages (or the day, for ``day_in_life``).

    >>> G = synthetic_map(12)
    >>> G.number_of_nodes(), G.graph["map_type"]
    (12, 'current_state')
    """
    rng = random.Random(seed)
    G = model.new_map(
        title or f"Synthetic map ({n} touchpoints)",
        map_type,
        map_id=f"synthetic-{n}-{map_type}",
        persona={
            "name": "Anna, 34",
            "description": "Busy parent who shops online",
            "goals": "Save time",
            "demographics": "34, city",
            "psychographics": "Pragmatic",
        },
        segment="Online shoppers",
    )
    stage_ids = [s["id"] for s in model.stages(G)]
    ids: list[str] = []
    users = 10_000
    for k in range(n):
        stage = stage_ids[min(len(stage_ids) - 1, k * len(stage_ids) // max(n, 1))]
        emotion = None if k % 7 == 5 else round(rng.uniform(-2, 2) * 2) / 2
        minutes = 6 * 60 + k * (16 * 60 // max(n, 1))
        tp = model.add_touchpoint(
            G,
            f"{_sentence(rng, 2)} {k + 1}",
            stage,
            id=f"tp-{k + 1}",
            order=float(k),
            channel=rng.choice(schema.CHANNELS),
            category=rng.choice(schema.CATEGORIES),
            action=_sentence(rng, rng.randint(3, 12)),
            thought=_sentence(rng, rng.randint(3, 10)),
            emotion=emotion,
            pain_point=_sentence(rng, rng.randint(3, 9)) if k % 3 == 0 else "",
            opportunity=_sentence(rng, rng.randint(3, 9)) if k % 4 == 1 else "",
            conversion_point=(k == n * 2 // 3),
            status="missing" if k % 11 == 4 else "existing",
            evidence=schema.EVIDENCE_LEVELS[k % 4],
            time_of_day=f"{minutes // 60:02d}:{minutes % 60:02d}",
            company_present=(k % 5 != 2),
            physical_evidence=_sentence(rng, 3),
            frontstage=_sentence(rng, 4),
            backstage=_sentence(rng, 4),
            support_processes=_sentence(rng, 3),
            users=users if with_users else None,
        )
        users = int(users * rng.uniform(0.7, 0.97))
        ids.append(tp)
    for k in range(1, n):
        # every sixth touchpoint is a branch parallel to the previous one: both leave from k-2
        if k % 6 == 3 and k >= 2:
            model.add_transition(G, ids[k - 2], ids[k], label="alternative")
            if k + 1 < n:
                model.add_transition(G, ids[k], ids[k + 1])
            continue
        if k % 6 == 4:
            model.add_transition(G, ids[k - 2], ids[k])
            continue
        model.add_transition(G, ids[k - 1], ids[k])
        if k % 8 == 7:
            model.add_transition(G, ids[k], ids[k - 3], label="back")
    return G
