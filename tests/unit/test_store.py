"""The store: versions, conflicts, listing, samples; each ``db`` test runs on an empty SQLite file and on an
empty PostgreSQL schema of the session's throwaway server."""

from __future__ import annotations

import threading
from datetime import UTC
from pathlib import Path

import networkx as nx
import pytest
from sqlalchemy import Column, Integer, Table, func, insert, select, text

from cjm import migrations, model, store
from cjm.errors import CJMError, ConflictError, MapNotFoundError, ValidationError
from cjm.io import jsonio
from cjm.notes import VersionNote
from cjm.store import MapInfo, Store, StoredMap, database_url, get_store, maps_table, versions_table
from cjm.validation import validate_map


def journey(title: str = "Coffee to go", *, map_id: str | None = None, n: int = 3, persona: str = "Olga") -> nx.DiGraph:
    """A small valid map with ``n`` touchpoints in a chain and one loop back."""
    G = model.new_map(title, map_id=map_id or model.new_map_id(title), persona={"name": persona}, segment="commuters")
    stages = ["awareness", "consideration", "purchase", "retention", "loyalty"]
    ids = [
        model.add_touchpoint(G, f"Step {i + 1}", stages[i % len(stages)], emotion=(i % 5) - 2.0, channel="website")
        for i in range(n)
    ]
    for a, b in zip(ids, ids[1:], strict=False):
        model.add_transition(G, a, b, users=100)
    if n > 2:
        model.add_transition(G, ids[-1], ids[0], label="comes back")
    return G


def rich_journey() -> nx.DiGraph:
    """A map using every kind of field: Cyrillic text, comments, votes, None values, a baseline."""
    G = model.new_map(
        "Интернет-магазин: покупка",
        map_type="future_state",
        map_id="shop-future",
        persona={"name": "Ольга", "goals": "Купить быстро", "demographics": "35 лет"},
        segment="B2C",
        baseline_id="shop-current",
        language="ru",
    )
    a = model.add_touchpoint(
        G,
        "Поиск товара",
        "consideration",
        emotion=-1.25,
        pain_point="Фильтры не работают",
        opportunity="Умный поиск",
        channel="website",
        category="technology",
        status="existing",
        evidence="observed",
        importance=5,
        score=2,
        owner="Иван",
        task="Починить фильтры",
        deadline="2026-12-31",
        task_status="in_progress",
        users=1200,
        key_touchpoint=True,
        comments=[{"author": "Анна", "text": "Видно в записи сессии", "time": "2026-11-26T10:00:00+00:00"}],
        votes=[{"participant": "p1", "score": -1, "time": "2026-11-26T10:01:00+00:00"}],
    )
    b = model.add_touchpoint(G, "Оплата", "purchase", conversion_point=True, emotion=None, time_of_day="09:30")
    c = model.add_touchpoint(G, "Чат поддержки", "post_purchase", status="missing", evidence="assumed")
    model.add_transition(G, a, b, users=300, label="в корзину")
    model.add_transition(G, b, c)
    model.add_transition(G, c, a, label="возврат")
    return G


@pytest.fixture
def db(db_url) -> Store:
    """An empty store, once on SQLite and once on PostgreSQL (``db_url`` in tests/postgres.py)."""
    s = Store(db_url)
    yield s
    s.close()


@pytest.fixture
def sqlite_db(tmp_path) -> Store:
    s = Store(f"sqlite:///{tmp_path / 'cjm.db'}")
    yield s
    s.close()


def row_counts(s: Store) -> tuple[int, int]:
    with s.engine.connect() as conn:
        return (
            conn.execute(select(func.count()).select_from(maps_table)).scalar_one(),
            conn.execute(select(func.count()).select_from(versions_table)).scalar_one(),
        )


def same_map_ignoring_updated_at(G: nx.DiGraph, H: nx.DiGraph) -> bool:
    G2, H2 = validate_map(G), validate_map(H)
    G2.graph["updated_at"] = H2.graph["updated_at"] = None
    return jsonio.graphs_equal(G2, H2)


# --- configuration -----------------------------------------------------------------------------


def test_database_url_comes_from_cjm_database_url_when_set(monkeypatch):
    monkeypatch.setenv("CJM_DATABASE_URL", "postgresql+psycopg://cjm:secret@db.example/cjm")
    assert database_url() == "postgresql+psycopg://cjm:secret@db.example/cjm"


def test_database_url_defaults_to_a_sqlite_file_in_cjm_data_dir_and_creates_the_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("CJM_DATABASE_URL", raising=False)
    folder = tmp_path / "nested" / "data"
    monkeypatch.setenv("CJM_DATA_DIR", str(folder))
    assert database_url() == f"sqlite:///{folder / 'cjm.db'}"
    assert folder.is_dir()


def test_database_url_defaults_to_data_folder_in_the_working_directory(monkeypatch, tmp_path):
    monkeypatch.delenv("CJM_DATABASE_URL", raising=False)
    monkeypatch.delenv("CJM_DATA_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    assert database_url() == f"sqlite:///{tmp_path.resolve() / 'data' / 'cjm.db'}"


def test_get_store_returns_one_store_per_url_and_seeds_it_once(monkeypatch, tmp_path):
    samples = tmp_path / "samples"
    samples.mkdir()
    jsonio.write_json(journey("Sample A", map_id="sample-a"), samples / "a.json")
    monkeypatch.setattr(store, "SAMPLES_DIR", samples)
    url1, url2 = f"sqlite:///{tmp_path / 'one.db'}", f"sqlite:///{tmp_path / 'two.db'}"
    first = get_store(url1)
    try:
        assert get_store(url1) is first
        assert get_store(url2) is not first
        assert [m.map_id for m in first.list_maps()] == ["sample-a"]
        assert first.history("sample-a")[0].author == "cjm"
        assert VersionNote.from_text(first.history("sample-a")[0].note).kind == "sample"
    finally:
        for url in (url1, url2):
            store._stores.pop((store.os.getpid(), url)).close()


def test_get_store_uses_the_environment_url_by_default(monkeypatch, tmp_path):
    monkeypatch.setattr(store, "SAMPLES_DIR", tmp_path / "no-samples")
    url = f"sqlite:///{tmp_path / 'env.db'}"
    monkeypatch.setenv("CJM_DATABASE_URL", url)
    s = get_store()
    try:
        assert s is get_store(url)
        assert (tmp_path / "env.db").exists()
    finally:
        store._stores.pop((store.os.getpid(), url)).close()


def test_a_file_database_uses_wal_journal_and_a_busy_timeout(sqlite_db):
    with sqlite_db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 30_000
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


# --- create / load -----------------------------------------------------------------------------


def test_create_then_load_round_trips_a_map_exactly(db):
    G = rich_journey()
    assert db.create(G, author="ann", note="first draft") == 1
    stored = db.load("shop-future")
    assert isinstance(stored, StoredMap)
    assert (stored.map_id, stored.version, stored.author, stored.note) == ("shop-future", 1, "ann", "first draft")
    assert same_map_ignoring_updated_at(G, stored.graph)
    # and the stored graph survives another save → load unchanged, updated_at included
    db.save(stored.graph, expected_version=1, author="ann")
    again = db.load("shop-future")
    assert again.graph.graph["updated_at"] >= stored.graph.graph["updated_at"]
    again.graph.graph["updated_at"] = stored.graph.graph["updated_at"]
    assert jsonio.graphs_equal(stored.graph, again.graph)


def test_the_stored_data_is_the_json_file_format(db):
    db.create(rich_journey(), author="ann")
    with db.engine.connect() as conn:
        data = conn.execute(select(versions_table.c.data)).scalar_one()
    assert data == jsonio.dumps(db.load("shop-future").graph)
    assert '"cjm_format"' in data and "Ольга" in data


def test_save_stamps_updated_at_in_the_stored_map_but_not_in_the_callers_graph(db):
    G = journey(map_id="m")
    G.graph["updated_at"] = "2000-01-01T00:00:00+00:00"
    db.create(G, author="ann")
    assert G.graph["updated_at"] == "2000-01-01T00:00:00+00:00"
    stored = db.load("m")
    assert stored.graph.graph["updated_at"] > "2026"
    assert stored.graph.graph["updated_at"] == stored.saved_at.isoformat()
    assert stored.saved_at.tzinfo is not None and stored.saved_at.utcoffset() == UTC.utcoffset(None)


def test_load_returns_a_fresh_graph_each_time(db):
    db.create(journey(map_id="m"), author="ann")
    first = db.load("m").graph
    first.nodes["tp-1"]["name"] = "changed in memory"
    first.remove_node("tp-2")
    second = db.load("m").graph
    assert second.nodes["tp-1"]["name"] == "Step 1"
    assert "tp-2" in second


def test_load_of_an_unknown_map_or_version_raises_map_not_found(db):
    db.create(journey(map_id="m"), author="ann")
    with pytest.raises(MapNotFoundError, match="no map 'nope'"):
        db.load("nope")
    with pytest.raises(MapNotFoundError, match="no version 7"):
        db.load("m", version=7)
    with pytest.raises(MapNotFoundError):
        db.latest_version("nope")
    with pytest.raises(MapNotFoundError):
        db.history("nope")


def test_create_rejects_an_invalid_map_and_writes_nothing(db):
    G = journey(map_id="bad")
    G.nodes["tp-1"]["emotion"] = 9
    G.nodes["tp-2"]["stage"] = "no-such-stage"
    with pytest.raises(ValidationError) as info:
        db.create(G, author="ann")
    assert len(info.value.problems) == 2
    assert row_counts(db) == (0, 0)
    assert db.list_maps() == []


def test_create_rejects_a_map_id_longer_than_the_database_key(db):
    G = journey(map_id="x" * 256)
    G.graph["baseline_id"] = "y" * 300
    with pytest.raises(ValidationError) as info:
        db.create(G, author="ann")
    assert [(p.field, p.message) for p in info.value.problems] == [
        ("id", "is longer than 255 characters"),
        ("baseline_id", "is longer than 255 characters"),
    ]
    assert row_counts(db) == (0, 0)
    assert db.create(journey(map_id="x" * 255), author="ann") == 1


def test_create_refuses_an_id_that_exists_and_keeps_the_stored_map(db):
    db.create(journey("Original", map_id="m"), author="ann")
    with pytest.raises(CJMError, match="exists already"):
        db.create(journey("Intruder", map_id="m"), author="eve")
    assert db.load("m").graph.graph["title"] == "Original"
    assert row_counts(db) == (1, 1)


# --- save, versions, conflicts -------------------------------------------------------------------


def test_every_save_is_a_new_version_and_history_lists_them_newest_first(db):
    G = journey(map_id="m", n=2)
    db.create(G, author="ann", note="created")
    for i, who in enumerate(["bob", "cid"], start=2):
        H = db.load("m").graph
        model.add_touchpoint(H, f"Extra {i}", "retention")
        assert db.save(H, expected_version=i - 1, author=who, note=f"added extra {i}") == i
    history = db.history("m")
    assert [(v.version, v.author, v.note, v.touchpoints) for v in history] == [
        (3, "cid", "added extra 3", 4),
        (2, "bob", "added extra 2", 3),
        (1, "ann", "created", 2),
    ]
    assert history[0].saved_at >= history[-1].saved_at
    assert db.latest_version("m") == 3


def test_old_versions_stay_readable_with_their_own_content(db):
    G = journey(map_id="m", n=2)
    db.create(G, author="ann")
    for v in range(1, 4):
        H = db.load("m").graph
        H.nodes["tp-1"]["name"] = f"Name in version {v + 1}"
        db.save(H, expected_version=v, author="bob", note=f"v{v + 1}")
    assert db.load("m", version=1).graph.nodes["tp-1"]["name"] == "Step 1"
    for v in range(2, 5):
        old = db.load("m", version=v)
        assert old.version == v and old.note == f"v{v}"
        assert old.graph.nodes["tp-1"]["name"] == f"Name in version {v}"
    assert db.load("m").version == 4


def test_saving_an_invalid_map_leaves_the_database_unchanged(db):
    db.create(journey(map_id="m"), author="ann")
    H = db.load("m").graph
    H.nodes["tp-1"]["emotion"] = -7
    H.add_edge("tp-1", "ghost")
    before = (row_counts(db), db.list_maps(), db.history("m"))
    with pytest.raises(ValidationError):
        db.save(H, expected_version=1, author="eve")
    assert (row_counts(db), db.list_maps(), db.history("m")) == before
    assert db.load("m").graph.nodes["tp-1"]["emotion"] == -2.0


def test_two_saves_against_the_same_version_one_wins_and_the_other_gets_a_conflict(db):
    db.create(journey(map_id="m"), author="ann")
    mine, theirs = db.load("m").graph, db.load("m").graph
    mine.nodes["tp-1"]["name"] = "Mine"
    theirs.nodes["tp-1"]["name"] = "Theirs"
    assert db.save(mine, expected_version=1, author="ann") == 2
    with pytest.raises(ConflictError) as info:
        db.save(theirs, expected_version=1, author="bob")
    assert (info.value.map_id, info.value.expected, info.value.actual) == ("m", 1, 2)
    assert db.load("m").graph.nodes["tp-1"]["name"] == "Mine"
    assert [v.version for v in db.history("m")] == [2, 1]


def test_two_threads_saving_against_the_same_version_at_once_never_both_win(db):
    db.create(journey(map_id="m"), author="ann")
    for round_ in range(1, 6):
        barrier = threading.Barrier(2)
        outcomes: list[str] = []

        def writer(name: str, base: int = round_, barrier=barrier, outcomes=outcomes) -> None:
            G = db.load("m", version=base).graph
            G.nodes["tp-1"]["name"] = name
            barrier.wait()
            try:
                db.save(G, expected_version=base, author=name)
                outcomes.append("won")
            except ConflictError:
                outcomes.append("conflict")

        threads = [threading.Thread(target=writer, args=(f"w{i}",)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(outcomes) == ["conflict", "won"]
        assert db.latest_version("m") == round_ + 1


def test_a_save_with_rebase_is_stored_on_top_of_what_was_saved_meanwhile(db):
    db.create(journey(map_id="m"), author="ann")
    mine = db.load("m").graph
    theirs = db.load("m").graph
    theirs.nodes["tp-2"]["name"] = "Theirs"
    db.save(theirs, expected_version=1, author="bob", note="b1")
    theirs.nodes["tp-3"]["name"] = "Theirs again"
    db.save(theirs, expected_version=2, author="cid", note="c1")
    mine.nodes["tp-1"]["name"] = "Mine"
    seen = []

    def rebase(latest, since):
        seen.append((latest.version, [(h.version, h.author) for h in since]))
        G = latest.graph
        G.nodes["tp-1"]["name"] = "Mine"
        return G, "mine, on top of version 3"

    assert db.save(mine, expected_version=1, author="ann", note="mine", rebase=rebase) == 4
    assert seen == [(3, [(3, "cid"), (2, "bob")])]
    stored = db.load("m")
    assert [stored.graph.nodes[n]["name"] for n in ("tp-1", "tp-2", "tp-3")] == ["Mine", "Theirs", "Theirs again"]
    assert (stored.author, stored.note) == ("ann", "mine, on top of version 3")
    assert db.history("m", after=2)[0].version == 4 and len(db.history("m", after=2)) == 2
    # without a conflict the rebase is not called
    assert db.save(stored.graph, expected_version=4, author="ann", rebase=lambda *a: 1 / 0) == 5


def test_a_rebase_that_yields_an_invalid_map_or_another_id_writes_nothing(db):
    db.create(journey(map_id="m"), author="ann")
    stale = db.load("m").graph
    db.save(db.load("m").graph, expected_version=1, author="bob")

    def invalid(latest, since):
        latest.graph.nodes["tp-1"]["emotion"] = 9
        return latest.graph, "bad"

    def other_id(latest, since):
        latest.graph.graph["id"] = "elsewhere"
        return latest.graph, "moved"

    with pytest.raises(ValidationError):
        db.save(stale, expected_version=1, author="eve", rebase=invalid)
    with pytest.raises(CJMError, match="changed its id"):
        db.save(stale, expected_version=1, author="eve", rebase=other_id)
    assert db.latest_version("m") == 2 and row_counts(db) == (1, 2)
    db.delete("m")
    with pytest.raises(MapNotFoundError):
        db.save(stale, expected_version=1, author="eve", rebase=invalid)


def test_saving_a_map_that_is_not_stored_raises_map_not_found(db):
    with pytest.raises(MapNotFoundError):
        db.save(journey(map_id="ghost"), expected_version=1, author="ann")
    assert row_counts(db) == (0, 0)


def test_a_unique_version_clash_is_reported_as_a_conflict(db):
    db.create(journey(map_id="m"), author="ann")
    # Simulate a writer whose version row landed while the maps row still says version 1.
    with db.engine.begin() as conn:
        conn.execute(
            insert(versions_table).values(
                map_id="m",
                version=2,
                data=jsonio.dumps(db.load("m").graph),
                title="x",
                touchpoints=0,
                author="ghost",
                note="",
                saved_at=db.load("m").saved_at,
            )
        )
    with pytest.raises(ConflictError):
        db.save(db.load("m").graph, expected_version=1, author="ann")
    assert db.latest_version("m") == 1


# --- listing -----------------------------------------------------------------------------------


def test_list_maps_gives_library_rows_sorted_by_title(db):
    db.create(journey("banana route", map_id="b", n=4, persona="Bob"), author="ann")
    db.create(rich_journey(), author="ann")
    db.create(journey("Apple route", map_id="a", n=2), author="ann")
    H = db.load("b").graph
    model.add_touchpoint(H, "One more", "loyalty")
    db.save(H, expected_version=1, author="cid")
    rows = db.list_maps()
    assert all(isinstance(r, MapInfo) for r in rows)
    assert [r.title for r in rows] == ["Apple route", "banana route", "Интернет-магазин: покупка"]
    b = rows[1]
    assert (b.map_id, b.map_type, b.persona, b.segment, b.touchpoints, b.version, b.updated_by) == (
        "b",
        "current_state",
        "Bob",
        "commuters",
        5,
        2,
        "cid",
    )
    assert b.updated_at.tzinfo is not None
    shop = rows[2]
    assert (shop.map_type, shop.persona, shop.baseline_id, shop.touchpoints) == (
        "future_state",
        "Ольга",
        "shop-current",
        3,
    )


def test_list_maps_does_not_parse_map_json(db, monkeypatch):
    db.create(journey(map_id="m"), author="ann")

    def boom(*args, **kwargs):
        raise AssertionError("list_maps parsed a map")

    monkeypatch.setattr(jsonio, "loads", boom)
    assert [r.map_id for r in db.list_maps()] == ["m"]


# --- delete (rename, duplicate and import are services: tests/unit/test_services.py) ----------------------------------------------------------


def test_delete_removes_a_map_and_all_its_versions(db):
    db.create(journey(map_id="m"), author="ann")
    db.save(db.load("m").graph, expected_version=1, author="ann")
    db.create(journey("Keep me", map_id="keep"), author="ann")
    db.delete("m")
    assert [r.map_id for r in db.list_maps()] == ["keep"]
    assert row_counts(db) == (1, 1)
    with pytest.raises(MapNotFoundError):
        db.load("m")
    with pytest.raises(MapNotFoundError):
        db.delete("m")
    # an editor still holding the deleted map cannot resurrect it by saving
    with pytest.raises(MapNotFoundError):
        db.save(journey(map_id="m"), expected_version=2, author="ann")
    assert db.create(journey(map_id="m"), author="ann") == 1


# --- samples -----------------------------------------------------------------------------------


@pytest.fixture
def samples(tmp_path):
    folder = tmp_path / "samples"
    folder.mkdir()
    jsonio.write_json(journey("Airline: current state", map_id="air-current"), folder / "air_current.json")
    future = journey("Airline: future state", map_id="air-future")
    future.graph.update(map_type="future_state", baseline_id="air-current")
    jsonio.write_json(future, folder / "air_future.json")
    jsonio.write_json(rich_journey(), folder / "shop_future.json")
    return folder


def test_seed_samples_creates_every_sample_map_once(db, samples):
    created = db.seed_samples(samples)
    assert sorted(created) == ["air-current", "air-future", "shop-future"]
    assert [v.author for v in db.history("air-future")] == ["cjm"]
    assert db.load("air-future").graph.graph["baseline_id"] == "air-current"
    assert db.seed_samples(samples) == []
    assert row_counts(db) == (3, 3)


def test_deleted_samples_are_not_seeded_again(db, samples):
    db.seed_samples(samples)
    for info in db.list_maps():
        db.delete(info.map_id)
    assert db.seed_samples(samples) == []
    assert db.list_maps() == []


def test_a_database_that_already_has_maps_is_not_seeded(db, samples):
    db.create(journey(map_id="mine"), author="ann")
    assert db.seed_samples(samples) == []
    assert [r.map_id for r in db.list_maps()] == ["mine"]


def test_seeding_skips_a_broken_sample_and_stores_the_rest(db, samples, caplog):
    (samples / "broken.json").write_text('{"nodes": [', encoding="utf-8")
    assert sorted(db.seed_samples(samples)) == ["air-current", "air-future", "shop-future"]
    assert "broken.json" in caplog.text


def test_two_stores_seeding_one_database_at_once_store_each_sample_once(db_url, samples):
    url = db_url
    stores = [Store(url) for _ in range(3)]
    barrier = threading.Barrier(len(stores))
    results: list[list[str]] = []
    errors: list[BaseException] = []

    def seed(s: Store) -> None:
        barrier.wait()
        try:
            results.append(s.seed_samples(samples))
        except BaseException as exc:  # noqa: BLE001 - the test reports any failure below
            errors.append(exc)

    threads = [threading.Thread(target=seed, args=(s,)) for s in stores]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(sum(results, [])) == ["air-current", "air-future", "shop-future"]
    assert row_counts(stores[0]) == (3, 3)
    for s in stores:
        s.close()


def test_a_fresh_database_is_seeded_with_every_repository_sample_map(tmp_path):
    repo_root = Path(__file__).resolve().parents[2]
    assert repo_root / "sample_data" / "maps" == store.SAMPLES_DIR
    files = sorted(store.SAMPLES_DIR.glob("*.json"))
    assert files, "sample_data/maps/ holds no sample maps"
    expected = {jsonio.read_json(f).graph["id"] for f in files}
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    s = get_store(url)
    try:
        assert {m.map_id for m in s.list_maps()} == expected
        assert all(m.version == 1 and m.updated_by == "cjm" for m in s.list_maps())
    finally:
        store._stores.pop((store.os.getpid(), url)).close()


# --- sharing the database --------------------------------------------------------------------------


def test_another_module_can_add_its_own_table_and_write_it_in_a_store_transaction(db):
    presence = Table("test_presence", db.metadata, Column("id", Integer, primary_key=True), extend_existing=True)
    try:
        db.metadata.create_all(db.engine, tables=[presence])
        with db.writing() as conn:
            conn.execute(insert(presence).values(id=1))
        assert db.write_engine.pool is db.engine.pool
        with pytest.raises(RuntimeError), db.writing() as conn:
            conn.execute(insert(presence).values(id=2))
            raise RuntimeError("rolled back")
        with db.engine.connect() as conn:
            assert conn.execute(select(presence.c.id)).scalars().all() == [1]
    finally:
        presence.drop(db.engine, checkfirst=True)
        db.metadata.remove(presence)


def test_the_database_records_its_schema_revision(db):
    assert db.schema_status().current == migrations.head()
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == migrations.head()
    Store(db.url).close()  # opening an existing database again changes nothing
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar_one() == 1
