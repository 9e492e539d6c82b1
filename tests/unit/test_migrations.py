"""Schema migrations: an older database meets a newer cjm and keeps every map and every version.

Each test runs on SQLite and on PostgreSQL (``db_url``). The first release's schema is rebuilt here from
its own table definitions (cjm/store.py as of the first release, commit 609afeb), never from the
migrations under test.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import (
    Column,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    func,
    insert,
    inspect,
    select,
    text,
)

from cjm import cli, migrations, model, presence
from cjm.i18n import error_text
from cjm.io import jsonio
from cjm.migrations import SchemaTooNewError
from cjm.store import Store, metadata

# --- the first release's tables, as cjm/store.py declared them then ----------------------------------

first = MetaData()
first_maps = Table(
    "maps",
    first,
    Column("map_id", String(255), primary_key=True),
    Column("title", Text, nullable=False),
    Column("map_type", String(40), nullable=False),
    Column("persona", Text, nullable=False, default=""),
    Column("segment", Text, nullable=False, default=""),
    Column("touchpoints", Integer, nullable=False, default=0),
    Column("baseline_id", String(255), nullable=True),
    Column("language", String(16), nullable=False, default="en"),
    Column("current_version", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("updated_by", Text, nullable=False, default=""),
)
first_versions = Table(
    "map_versions",
    first,
    Column("map_id", String(255), ForeignKey("maps.map_id", ondelete="CASCADE"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("data", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("touchpoints", Integer, nullable=False, default=0),
    Column("author", Text, nullable=False, default=""),
    Column("note", Text, nullable=False, default=""),
    Column("saved_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("map_id", "version", name="uq_map_versions_map_id_version"),
)
first_meta = Table(
    "cjm_meta",
    first,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

T0 = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def journey_version(map_id: str, title: str, v: int):
    """Version ``v`` of a map: ``v`` touchpoints, named after the version."""
    G = model.new_map(title, map_id=map_id, persona={"name": "Ольга"}, language="ru")
    for i in range(v):
        model.add_touchpoint(G, f"{title}: step {i + 1} of version {v}", "purchase", emotion=1)
    G.graph["updated_at"] = (T0 + timedelta(minutes=v)).isoformat()
    return G


MAPS = {"airline": ("Авиакомпания", 3), "shop": ("Shop <b>&amp;</b> 'quotes'", 2), "empty-one": ("Empty", 1)}


def make_first_release_database(url: str) -> dict[tuple[str, int], str]:
    """A database exactly as the first release left it, with maps and versions; returns the stored JSON."""
    engine = create_engine(url)
    stored: dict[tuple[str, int], str] = {}
    try:
        first.create_all(engine)
        with engine.begin() as conn:
            conn.execute(insert(first_meta).values(key="seeded_at", value=T0.isoformat()))
            for map_id, (title, versions) in MAPS.items():
                conn.execute(
                    insert(first_maps).values(
                        map_id=map_id, title=title, map_type="current_state", persona="Ольга", segment="",
                        touchpoints=versions, baseline_id=None, language="ru", current_version=versions,
                        created_at=T0, updated_at=T0 + timedelta(minutes=versions), updated_by=f"author {versions}",
                    )
                )  # fmt: skip
                for v in range(1, versions + 1):
                    data = jsonio.dumps(journey_version(map_id, title, v))
                    stored[(map_id, v)] = data
                    conn.execute(
                        insert(first_versions).values(
                            map_id=map_id, version=v, data=data, title=title, touchpoints=v,
                            author=f"author {v}", note=f"note {v}", saved_at=T0 + timedelta(minutes=v),
                        )
                    )  # fmt: skip
    finally:
        engine.dispose()
    return stored


def assert_every_map_and_version_kept(store: Store, stored: dict[tuple[str, int], str]) -> None:
    assert sorted(m.map_id for m in store.list_maps()) == sorted(MAPS)
    for map_id, (title, versions) in MAPS.items():
        assert store.latest_version(map_id) == versions
        history = store.history(map_id)
        assert [(h.version, h.author, h.note, h.touchpoints) for h in history] == [
            (v, f"author {v}", f"note {v}", v) for v in range(versions, 0, -1)
        ]
        assert history[-1].saved_at == T0 + timedelta(minutes=1)
        for v in range(1, versions + 1):
            loaded = store.load(map_id, version=v)
            assert jsonio.graphs_equal(loaded.graph, jsonio.loads(stored[(map_id, v)]))
            assert loaded.graph.graph["title"] == title
            assert loaded.graph.number_of_nodes() == v
    with store.engine.connect() as conn:  # the stored JSON itself is byte for byte what was written
        rows = conn.execute(text("SELECT map_id, version, data FROM map_versions")).all()
    assert {(r.map_id, r.version): r.data for r in rows} == stored
    info = {m.map_id: m for m in store.list_maps()}
    assert (info["airline"].title, info["airline"].persona, info["airline"].version) == ("Авиакомпания", "Ольга", 3)


def table_names(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


# --- upgrading --------------------------------------------------------------------------------------


def test_the_app_upgrades_a_first_release_database_keeping_every_map_and_version(db_url):
    stored = make_first_release_database(db_url)
    s = Store(db_url)  # what the app does on start (get_store opens a Store)
    try:
        assert s.schema_status().current == migrations.head()
        assert {"alembic_version", "cjm_presence"} <= table_names(db_url)
        assert_every_map_and_version_kept(s, stored)
        # the upgraded database is fully usable: versions go on, presence works, nothing is re-seeded
        G = s.load("airline").graph
        model.add_touchpoint(G, "After the upgrade", "loyalty")
        assert s.save(G, expected_version=3, author="ann") == 4
        assert s.load("airline", version=3).graph.number_of_nodes() == 3
        presence.heartbeat(s, "airline", "session-1", "Ann")
        assert [e.user_name for e in presence.active_editors(s, "airline")] == ["Ann"]
        assert s.seed_samples() == []
    finally:
        s.close()


def test_db_upgrade_on_the_command_line_upgrades_a_first_release_database(db_url, capsys):
    stored = make_first_release_database(db_url)
    assert cli.main(["--database", db_url, "db", "status"]) == 0
    assert "made before migrations" in capsys.readouterr().out
    assert cli.main(["--database", db_url, "db", "upgrade"]) == 0
    assert f"schema upgraded from 0001_first_release (made before migrations) to {migrations.head()}" in (
        capsys.readouterr().out
    )
    assert cli.main(["--database", db_url, "db", "upgrade"]) == 0
    assert f"schema is up to date ({migrations.head()})" in capsys.readouterr().out
    s = Store(db_url, upgrade=False)
    try:
        assert s.schema_status().up_to_date
        assert_every_map_and_version_kept(s, stored)
    finally:
        s.close()


def test_a_database_from_before_migrations_with_presence_and_schema_version_rows_is_upgraded(db_url):
    # the last release before migrations: language as TEXT, a schema_version row, a presence table
    old = MetaData()
    for table in first.tables.values():
        table.to_metadata(old)
    old.tables["maps"].c.language.type = Text()
    presence_old = presence.presence_table(old)
    engine = create_engine(db_url)
    try:
        old.create_all(engine)
        with engine.begin() as conn:
            conn.execute(insert(old.tables["cjm_meta"]).values(key="schema_version", value="1"))
            conn.execute(insert(presence_old).values(map_id="m", session_id="s", user_name="Ann", last_seen=T0))
    finally:
        engine.dispose()
    s = Store(db_url)
    try:
        assert s.schema_status().up_to_date
        with s.engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(presence_old)).scalar_one() == 1
            keys = conn.execute(text("SELECT key FROM cjm_meta")).scalars().all()
        assert keys == []  # the Alembic revision is the schema version now
    finally:
        s.close()


def test_a_new_database_gets_exactly_the_schema_the_code_declares(db_url):
    s = Store(db_url)
    try:
        with s.engine.connect() as conn:
            diffs = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)
        if s.engine.dialect.name == "sqlite":
            # SQLite has one text type (no length is enforced): language stays VARCHAR(16) there, since
            # changing a column means rebuilding `maps`, which would cascade-delete its versions.
            diffs = [
                d for d in diffs if not (isinstance(d, list) and d[0][0] == "modify_type" and d[0][3] == "language")
            ]
        assert diffs == []
    finally:
        s.close()


def test_opening_an_up_to_date_database_changes_nothing(db_url):
    Store(db_url).close()
    s = Store(db_url)
    try:
        assert s.upgrade() == (migrations.head(), migrations.head())
    finally:
        s.close()


def test_a_failed_upgrade_leaves_the_database_as_it_was(db_url, monkeypatch):
    stored = make_first_release_database(db_url)
    before = table_names(db_url)
    from alembic import command

    real = command.upgrade

    def upgrade_then_fail(cfg, revision, **kwargs):
        real(cfg, revision, **kwargs)
        raise RuntimeError("power cut")

    monkeypatch.setattr(command, "upgrade", upgrade_then_fail)
    with pytest.raises(RuntimeError, match="power cut"):
        Store(db_url)
    assert table_names(db_url) == before  # all or nothing: no alembic_version, no presence table
    monkeypatch.setattr(command, "upgrade", real)
    s = Store(db_url)
    try:
        assert_every_map_and_version_kept(s, stored)
    finally:
        s.close()


def test_a_database_from_a_newer_cjm_is_refused_and_left_untouched(db_url):
    Store(db_url).close()
    engine = create_engine(db_url)
    try:
        with engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = '0099_from_the_future'"))
    finally:
        engine.dispose()
    with pytest.raises(SchemaTooNewError) as info:
        Store(db_url)
    assert "0099_from_the_future" in str(info.value)
    assert "0099_from_the_future" in error_text(info.value, "ru") and "обновите cjm" in error_text(info.value, "ru")
    s = Store(db_url, upgrade=False)
    try:
        assert s.schema_status().current == "0099_from_the_future"
    finally:
        s.close()


def test_several_stores_opening_an_old_database_at_once_upgrade_it_once(db_url):
    stored = make_first_release_database(db_url)
    barrier = threading.Barrier(4)
    stores: list[Store] = []
    errors: list[BaseException] = []

    def open_store() -> None:
        barrier.wait()
        try:
            stores.append(Store(db_url))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=open_store) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    try:
        assert errors == []
        assert len(stores) == 4
        assert_every_map_and_version_kept(stores[0], stored)
    finally:
        for s in stores:
            s.close()
