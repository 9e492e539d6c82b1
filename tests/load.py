"""A simulated workshop: participants (threads) saving on one map at once, and the check that no version
was lost or doubled. Used by tests/unit/test_load.py (a short run on each database) and by
bench/bench_live.py (a full minute, with the save latencies).

Each participant owns one touchpoint and, on every save, adds 1 to its ``users`` count on top of the
latest version it has seen (its screen follows the map live), after some "thinking" time in which
others save too. The save goes through the app's write path, which merges with whatever was saved
meanwhile. If saves are serialised correctly, version ``v`` holds counts adding up to ``v - 1``, each
participant's count equals its number of saves, and every version was stored once.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import networkx as nx

from cjm import model, services
from cjm.errors import ConflictError
from cjm.notes import VersionNote
from cjm.store import Store

MAP_ID = "workshop"

__all__ = ["MAP_ID", "Save", "LoadResult", "workshop_map", "run_workshop", "check_nothing_lost", "percentile"]


@dataclass(frozen=True)
class Save:
    participant: str
    nth: int  # the participant's 1st, 2nd … save
    version: int
    seconds: float  # from pressing save to the version stored (merges and retries included)
    merged: bool


@dataclass
class LoadResult:
    participants: list[str]
    seconds: float
    saves: list[Save] = field(default_factory=list)
    retries: int = 0  # saves that had to be made again because the map kept changing
    errors: list[str] = field(default_factory=list)

    def latencies_ms(self) -> list[float]:
        return sorted(s.seconds * 1000 for s in self.saves)


def percentile(sorted_values: list[float], p: float) -> float:
    """The ``p``-th percentile (nearest rank) of already sorted values."""
    if not sorted_values:
        return float("nan")
    rank = max(0, min(len(sorted_values) - 1, round(p / 100 * len(sorted_values) + 0.5) - 1))
    return sorted_values[rank]


def workshop_map(participants: list[str]) -> nx.DiGraph:
    G = model.new_map("Workshop under load", map_id=MAP_ID)
    for p in participants:
        model.add_touchpoint(G, f"Touchpoint of {p}", "purchase", id=p, users=0, emotion=0)
    return G


SaveFn = Callable[..., services.SaveResult]


def service_save(store: Store, name: str, version: int, note: str) -> services.SaveResult:
    """The app's write path: the participant adds 1 to its touchpoint's count on the version it sees."""

    def change(G: nx.DiGraph) -> nx.DiGraph:
        G.nodes[name]["users"] += 1
        return G

    note_data = VersionNote("text", {"text": note})
    return services.edit_map(store, services.Actor(name), MAP_ID, change, base_version=version, note=note_data)


def run_workshop(
    url: str,
    *,
    participants: int = 20,
    seconds: float = 3.0,
    think: tuple[float, float] = (0.0, 0.05),
    save: SaveFn = service_save,
    seed: int = 7,
) -> tuple[Store, LoadResult]:
    """Create the map on ``url`` and let ``participants`` threads save on it for ``seconds``.

    ``save(store, participant, base_version, note)`` is the write path under test.
    Returns the store (for checking) and what happened.
    """
    names = [f"p{i:02d}" for i in range(participants)]
    store = Store(url)
    store.create(workshop_map(names), author="facilitator")
    result = LoadResult(names, seconds)
    lock = threading.Lock()
    start = threading.Barrier(participants)

    def participant(name: str, rng: random.Random) -> None:
        start.wait()
        deadline = time.monotonic() + seconds
        nth = 0
        try:
            while time.monotonic() < deadline:
                shown = store.latest_version(MAP_ID)  # the version the participant's screen shows
                time.sleep(rng.uniform(*think))
                t0 = time.perf_counter()
                try:
                    outcome = save(store, name, shown, f"{name} save {nth + 1}")
                except ConflictError:
                    with lock:
                        result.retries += 1
                    continue  # the map kept changing: the participant makes the edit again
                nth += 1
                with lock:
                    result.saves.append(
                        Save(name, nth, outcome.version, time.perf_counter() - t0, outcome.merged_with is not None)
                    )
        except BaseException as exc:  # reported by the caller
            with lock:
                result.errors.append(f"{name}: {exc!r}")

    threads = [
        threading.Thread(target=participant, args=(n, random.Random(seed * 1000 + i)), name=n)
        for i, n in enumerate(names)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + 120)
    if any(t.is_alive() for t in threads):
        result.errors.append("a participant did not finish")
    return store, result


def check_nothing_lost(store: Store, result: LoadResult) -> None:
    """Every save is exactly one version, versions run 1…N, and no participant's change was lost."""
    assert result.errors == []
    total = len(result.saves)
    versions = sorted(s.version for s in result.saves)
    assert versions == list(range(2, total + 2)), "a version was doubled or skipped"
    history = store.history(MAP_ID)
    assert [h.version for h in history] == list(range(total + 1, 0, -1))
    by_version = {s.version: s for s in result.saves}
    for h in history[:-1]:
        s = by_version[h.version]
        assert h.author == s.participant
        note = VersionNote.from_text(h.note)
        assert note.params == {"text": f"{s.participant} save {s.nth}"}
        assert (note.merged_with is not None) == s.merged
    counts: dict[str, int] = dict.fromkeys(result.participants, 0)
    for s in result.saves:
        counts[s.participant] += 1
    final = store.load(MAP_ID).graph
    assert {p: final.nodes[p]["users"] for p in result.participants} == counts, "an update was lost"
    for v in range(2, total + 2):  # each version adds exactly one save to the one before
        G = store.load(MAP_ID, version=v).graph
        assert sum(G.nodes[p]["users"] for p in result.participants) == v - 1
        s = by_version[v]
        assert G.nodes[s.participant]["users"] == s.nth
