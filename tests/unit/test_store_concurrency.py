"""Concurrent writers, threads and processes, on one database: no version is lost, none is doubled.

Each writer owns one touchpoint and adds 1 to its ``users`` count per successful save, reloading and
retrying when it gets a conflict. If the store serialises saves correctly, version ``v`` of the map
holds counts that add up to exactly ``v - 1`` and every writer's final count equals its number of
successful saves. A lost update (two writers both winning against one version) breaks both.

The thread hammer saves through the store itself (its compare-and-set, reloading on a conflict); the
process hammer, like app servers, through the one write path (``cjm.services``), each process editing
on the version it last saw, so most saves are merged with the others' under the store's lock. Both run
on SQLite and on PostgreSQL (``db_url`` in tests/postgres.py).
"""

from __future__ import annotations

import multiprocessing
import threading
from collections import Counter

import networkx as nx
from sqlalchemy import func, select

from cjm import model, services
from cjm.errors import ConflictError
from cjm.io import jsonio
from cjm.notes import VersionNote
from cjm.store import Store, versions_table

MAP_ID = "hammered"


def hammer_map(writers: list[str]) -> nx.DiGraph:
    G = model.new_map("Hammered journey", map_id=MAP_ID)
    for w in writers:
        model.add_touchpoint(G, f"Touchpoint of {w}", "purchase", id=w, users=0)
    return G


def write(store: Store, writer: str, saves: int) -> list[tuple[str, int, int]]:
    """Make ``saves`` successful saves, retrying on conflict; return (writer, nth save, version)."""
    done: list[tuple[str, int, int]] = []
    while len(done) < saves:
        stored = store.load(MAP_ID)
        G = stored.graph
        G.nodes[writer]["users"] += 1
        try:
            version = store.save(
                G, expected_version=stored.version, author=writer, note=f"{writer} save {len(done) + 1}"
            )
        except ConflictError as exc:
            assert exc.actual > stored.version
            continue
        done.append((writer, len(done) + 1, version))
    return done


def service_write(store: Store, writer: str, saves: int) -> list[tuple[str, int, int]]:
    """Make ``saves`` saves through ``cjm.services``, each on the version this writer saw last (so
    usually not the latest: the service merges); return (writer, nth save, version)."""
    done: list[tuple[str, int, int]] = []
    seen = store.latest_version(MAP_ID)
    while len(done) < saves:

        def change(G: nx.DiGraph) -> nx.DiGraph:
            G.nodes[writer]["users"] += 1
            return G

        note = VersionNote("text", {"text": f"{writer} save {len(done) + 1}"})
        result = services.edit_map(store, services.Actor(writer), MAP_ID, change, base_version=seen, note=note)
        assert result.changed
        done.append((writer, len(done) + 1, result.version))
        seen = result.version
    return done


def check_nothing_lost(store: Store, writers: list[str], saves: int, log: list[tuple[str, int, int]]) -> None:
    total = len(writers) * saves
    versions = [v for _, _, v in log]
    # every successful save produced exactly one version, and the versions are 1..N without a gap
    assert sorted(versions) == list(range(2, total + 2))
    assert [h.version for h in store.history(MAP_ID)] == list(range(total + 1, 0, -1))
    assert store.latest_version(MAP_ID) == total + 1
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(versions_table)).scalar_one() == total + 1
    # no update was lost: each writer's count is its number of saves
    final = store.load(MAP_ID).graph
    assert {w: final.nodes[w]["users"] for w in writers} == dict.fromkeys(writers, saves)
    # each version was built on the one before it, and is the one its writer saved
    by_version = {v: (w, n) for w, n, v in log}
    notes = {h.version: (h.author, VersionNote.from_text(h.note).params["text"]) for h in store.history(MAP_ID)}
    for v in range(2, total + 2):
        G = store.load(MAP_ID, version=v).graph
        assert sum(G.nodes[w]["users"] for w in writers) == v - 1
        w, n = by_version[v]
        assert G.nodes[w]["users"] == n
        assert notes[v] == (w, f"{w} save {n}")


def test_threads_hammering_one_map_lose_no_update_and_no_version(db_url):
    url = db_url
    writers = [f"thread-{i}" for i in range(8)]
    saves = 20
    store = Store(url)
    store.create(hammer_map(writers), author="setup")
    log: list[tuple[str, int, int]] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(writers))
    lock = threading.Lock()

    def run(writer: str) -> None:
        barrier.wait()
        try:
            result = write(store, writer, saves)
        except BaseException as exc:  # reported below with the thread's name
            errors.append(exc)
            return
        with lock:
            log.extend(result)

    threads = [threading.Thread(target=run, args=(w,), name=w) for w in writers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    assert not any(t.is_alive() for t in threads)
    check_nothing_lost(store, writers, saves, log)
    store.close()


def _process_writer(url: str, writer: str, saves: int, barrier, queue) -> None:
    store = Store(url)
    barrier.wait()
    try:
        queue.put(("ok", service_write(store, writer, saves)))
    except BaseException as exc:  # the parent fails the test with this message
        queue.put(("error", f"{writer}: {exc!r}"))
    finally:
        store.close()


def test_processes_hammering_one_database_lose_no_update_and_no_version(db_url):
    url = db_url
    writers = ["process-a", "process-b", "process-c"]
    saves = 15
    store = Store(url)
    store.create(hammer_map(writers), author="setup")
    ctx = multiprocessing.get_context("spawn")
    barrier, queue = ctx.Barrier(len(writers)), ctx.Queue()
    procs = [ctx.Process(target=_process_writer, args=(url, w, saves, barrier, queue)) for w in writers]
    for p in procs:
        p.start()
    results = [queue.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=30)
    assert [msg for kind, msg in results if kind == "error"] == []
    assert all(p.exitcode == 0 for p in procs)
    log = [entry for _, entries in results for entry in entries]
    check_nothing_lost(store, writers, saves, log)
    assert any(VersionNote.from_text(h.note).merged_with for h in store.history(MAP_ID))  # they did overlap
    store.close()


def _process_seeder(url: str, folder: str, barrier, queue) -> None:
    barrier.wait()
    try:
        store = Store(url)  # creating the tables races too
        queue.put(("ok", store.seed_samples(folder)))
        store.close()
    except BaseException as exc:
        queue.put(("error", repr(exc)))


def test_processes_starting_at_once_on_a_fresh_database_seed_each_sample_once(tmp_path, db_url):
    folder = tmp_path / "samples"
    folder.mkdir()
    for i in range(4):
        G = model.new_map(f"Sample {i}", map_id=f"sample-{i}")
        model.add_touchpoint(G, "Visit", "awareness", emotion=1)
        jsonio.write_json(G, folder / f"sample_{i}.json")
    url = db_url
    ctx = multiprocessing.get_context("spawn")
    barrier, queue = ctx.Barrier(2), ctx.Queue()
    procs = [ctx.Process(target=_process_seeder, args=(url, str(folder), barrier, queue)) for _ in range(2)]
    for p in procs:
        p.start()
    results = [queue.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=30)
    assert [msg for kind, msg in results if kind == "error"] == []
    created = Counter(map_id for _, ids in results for map_id in ids)
    assert created == Counter({f"sample-{i}": 1 for i in range(4)})
    store = Store(url)
    assert [m.map_id for m in store.list_maps()] == [f"sample-{i}" for i in range(4)]
    assert all(m.version == 1 for m in store.list_maps())
    assert store.seed_samples(folder) == []
    store.close()
