"""Versioned storage of journey maps in a SQL database (SQLite by default, PostgreSQL for a team).

Every save is a new immutable version (who, when, note); older versions stay readable. A save names
the version it was based on and fails with :class:`~cjm.errors.ConflictError` when someone saved
in between (optimistic concurrency), across threads and processes alike.

These are the storage primitives (create, save, delete). The application changes maps through
:mod:`cjm.services`, which adds access control, the merge of concurrent edits and version notes.

>>> from cjm import model
>>> store = Store("sqlite://")
>>> G = model.new_map("Coffee to go", map_id="coffee")
>>> _ = model.add_touchpoint(G, "Order at the counter", "purchase", emotion=1)
>>> store.create(G, author="ann")
1
>>> store.save(G, expected_version=1, author="bob", note="checked")
2
>>> store.save(G, expected_version=1, author="eve")
Traceback (most recent call last):
...
cjm.errors.ConflictError: map 'coffee' changed meanwhile: you edited version 1, the latest is version 2
>>> [(v.version, v.author) for v in store.history("coffee")]
[(2, 'bob'), (1, 'ann')]
>>> store.load("coffee", version=1).graph.nodes["tp-1"]["name"]
'Order at the counter'
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import networkx as nx
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
    delete,
    event,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.pool import StaticPool

from cjm import migrations
from cjm.access import access_tables
from cjm.datadir import data_dir
from cjm.errors import CJMError, ConflictError, MapNotFoundError, Place, ValidationError, problem_from
from cjm.io import jsonio
from cjm.limits import ID_COLUMN_CHARS
from cjm.notes import VersionNote
from cjm.presence import presence_table
from cjm.validation import check_text, scrub, validate_map

__all__ = [
    "MapInfo",
    "StoredMap",
    "VersionInfo",
    "Store",
    "database_url",
    "get_store",
    "is_open",
    "SAMPLES_DIR",
]

log = logging.getLogger(__name__)

SAMPLES_DIR = Path(__file__).resolve().parent.parent / "sample_data" / "maps"
SQLITE_BUSY_TIMEOUT_S = 30.0
ID_MAX = ID_COLUMN_CHARS  # map ids are primary keys: VARCHAR(255) works on every database
_WRITE = "cjm_write"  # execution option: this connection's transaction will write


# --- value objects ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MapInfo:
    """One row of the map library: what is listed without parsing the map itself."""

    map_id: str
    title: str
    map_type: str
    persona: str
    segment: str
    touchpoints: int
    version: int
    updated_at: datetime
    updated_by: str
    baseline_id: str | None


@dataclass(frozen=True)
class StoredMap:
    """One version of a map as loaded: a fresh graph the caller may change, and its provenance."""

    graph: nx.DiGraph
    map_id: str
    version: int
    author: str
    note: str
    saved_at: datetime


@dataclass(frozen=True)
class VersionInfo:
    """One entry of a map's version history."""

    version: int
    author: str
    note: str
    saved_at: datetime
    touchpoints: int


#: ``rebase(latest, since)`` of :meth:`Store.save`: the graph and note to store on top of ``latest``.
Rebase = Callable[[StoredMap, list[VersionInfo]], tuple[nx.DiGraph, str]]


# --- tables ----------------------------------------------------------------------------------

metadata = MetaData()

maps_table = Table(
    "maps",
    metadata,
    Column("map_id", String(ID_MAX), primary_key=True),
    Column("title", Text, nullable=False),
    Column("map_type", String(40), nullable=False),
    Column("persona", Text, nullable=False, default=""),
    Column("segment", Text, nullable=False, default=""),
    Column("touchpoints", Integer, nullable=False, default=0),
    Column("baseline_id", String(ID_MAX), nullable=True),
    Column("language", Text, nullable=False, default="en"),
    Column("current_version", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("updated_by", Text, nullable=False, default=""),
)

versions_table = Table(
    "map_versions",
    metadata,
    Column("map_id", String(ID_MAX), ForeignKey("maps.map_id", ondelete="CASCADE"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("data", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("touchpoints", Integer, nullable=False, default=0),
    Column("author", Text, nullable=False, default=""),
    Column("note", Text, nullable=False, default=""),
    Column("saved_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("map_id", "version", name="uq_map_versions_map_id_version"),
)

# Facts about the database itself, e.g. whether the sample maps were seeded once already.
meta_table = Table(
    "cjm_meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

# Who has which map open (cjm.presence); declared here so that the schema, and so its migrations
# (cjm/migrations), know every table cjm keeps.
presence_table(metadata)
# Roles, share links, the trash and the activity log (cjm.access).
_access = access_tables(metadata)


# --- configuration ---------------------------------------------------------------------------


def database_url() -> str:
    """``CJM_DATABASE_URL`` if set, else a SQLite file ``cjm.db`` in ``CJM_DATA_DIR`` (default ``./data``).

    The data folder is created when missing.
    """
    url = os.environ.get("CJM_DATABASE_URL", "").strip()
    if url:
        return url
    return f"sqlite:///{data_dir() / 'cjm.db'}"


_stores: dict[tuple[int, str], Store] = {}
_stores_lock = threading.Lock()


def is_open(url: str | None = None) -> bool:
    """True when this process has already opened (and seeded) the store for ``url``: the next
    :func:`get_store` returns at once, so there is nothing to wait for."""
    return (os.getpid(), url or database_url()) in _stores


def get_store(url: str | None = None) -> Store:
    """The process-wide :class:`Store` for ``url`` (default :func:`database_url`).

    The first call for a URL creates the tables and seeds an empty database with the sample maps.
    """
    url = url or database_url()
    key = (os.getpid(), url)  # a forked child must not reuse its parent's pooled connections
    with _stores_lock:
        store = _stores.get(key)
        if store is None:
            store = Store(url)
            try:
                store.seed_samples()
            except Exception:
                store.engine.dispose()
                raise
            _stores[key] = store
        return store


# --- engine set-up ---------------------------------------------------------------------------


def _is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def _enable_wal(dbapi_connection) -> None:
    """Put the database file in WAL mode: readers never block the writer and vice versa.

    The mode is a property of the file, so once set there is nothing to do and no lock is taken.
    Switching needs the file to itself, and while other processes are setting up the same fresh
    file it can fail at once with "database is locked" (seen with 8 processes opening a new file
    together), so it is retried within the busy timeout.
    """
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_S
    delay = 0.005
    while True:
        cur = dbapi_connection.cursor()
        try:
            if cur.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal":
                return
            if cur.execute("PRAGMA journal_mode = WAL").fetchone()[0].lower() == "wal":
                return
            error = None  # the switch was refused without an error: try again
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            error = exc
        finally:
            cur.close()
        if time.monotonic() > deadline:
            if error is not None:
                raise error
            log.warning("SQLite database could not be switched to WAL mode; using its journal mode as it is")
            return
        time.sleep(delay)
        delay = min(delay * 2, 0.1)


def _sqlite_engine(url: str) -> Engine:
    u = make_url(url)
    in_memory = u.database in (None, "", ":memory:") or "mode=memory" in str(u)
    kwargs: dict[str, Any] = {
        "connect_args": {"timeout": SQLITE_BUSY_TIMEOUT_S, "check_same_thread": False},
    }
    if in_memory:
        # One shared connection, or every pooled connection would see its own empty database.
        kwargs["poolclass"] = StaticPool
    else:
        Path(u.database).expanduser().resolve().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # pysqlite opens transactions lazily (only before DML) and never for reads, which breaks
        # transaction isolation; hand BEGIN over to SQLAlchemy (the recipe in SQLAlchemy's
        # pysqlite docs, "Serializable isolation / Savepoints / Transactional DDL").
        dbapi_connection.isolation_level = None
        cur = dbapi_connection.cursor()
        try:
            cur.execute(f"PRAGMA busy_timeout = {int(SQLITE_BUSY_TIMEOUT_S * 1000)}")
            cur.execute("PRAGMA foreign_keys = ON")
            if not in_memory:
                _enable_wal(dbapi_connection)
                cur.execute("PRAGMA synchronous = NORMAL")
        finally:
            cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection):
        # A write takes the write lock up front: a deferred transaction that upgrades from read to
        # write fails at once with "database is locked" in WAL mode instead of waiting its turn.
        if conn.get_execution_options().get(_WRITE):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")

    return engine


def _make_engine(url: str) -> Engine:
    if _is_sqlite(url):
        return _sqlite_engine(url)
    return create_engine(url, pool_pre_ping=True)


def _utc(value: datetime | str | None) -> datetime:
    """A timezone-aware UTC datetime from what the driver returns (SQLite gives naive UTC)."""
    if value is None:
        return datetime.now(UTC)
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def _parse_time(value: Any, default: datetime) -> datetime:
    """A map's own ISO timestamp as UTC, or ``default`` when it is missing or unreadable."""
    try:
        return _utc(value) if value else default
    except (TypeError, ValueError):
        return default


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _summary_columns(H: nx.DiGraph) -> dict[str, Any]:
    a = H.graph
    return {
        "title": a["title"],
        "map_type": a["map_type"],
        "persona": (a.get("persona") or {}).get("name", "") or "",
        "segment": a.get("segment") or "",
        "touchpoints": H.number_of_nodes(),
        "baseline_id": a.get("baseline_id") or None,
        "language": a.get("language") or "en",
    }


# --- the store -------------------------------------------------------------------------------


class Store:
    """Maps and their versions in one database. Thread-safe; safe across processes.

    ``Store(url)`` creates the tables when missing and upgrades an older schema (``cjm.migrations``);
    it does not seed (:func:`get_store` does).
    ``engine`` and ``metadata`` are public so that other modules can keep their own tables in the
    same database (``Table(..., store.metadata)`` then ``store.metadata.create_all(store.engine)``),
    writing through :meth:`writing`.
    """

    def __init__(self, url: str, *, upgrade: bool = True):
        self.url = url
        self.engine: Engine = _make_engine(url)
        self.metadata: MetaData = metadata
        self._write_engine = self.engine.execution_options(**{_WRITE: True})
        if upgrade:
            try:
                self.upgrade()
            except BaseException:
                self.engine.dispose()
                raise

    def upgrade(self) -> tuple[str | None, str]:
        """Bring the database's schema up to date (``cjm.migrations``); returns (revision before, after).

        Runs when the store opens a database, so an older database is upgraded before its first use.
        """
        return migrations.upgrade(self.engine, self._write_engine)

    def schema_status(self) -> migrations.SchemaStatus:
        """The database's schema revision and the newest one this cjm knows (nothing is changed)."""
        with self.engine.connect() as conn:
            return migrations.status(conn)

    def __repr__(self) -> str:
        return f"Store({self.engine.url.render_as_string(hide_password=True)!r})"

    def writing(self) -> AbstractContextManager[Connection]:
        """A connection in a write transaction, committed on exit, rolled back on an exception.

        Other modules writing their own tables in this database use it instead of
        ``engine.begin()``: on SQLite it takes the write lock up front (``BEGIN IMMEDIATE``), so
        concurrent writers queue for up to 30 s rather than fail with "database is locked".
        """
        return self._write_engine.begin()

    @property
    def write_engine(self) -> Engine:
        """The engine whose transactions write (``BEGIN IMMEDIATE`` on SQLite); shares ``engine``'s pool."""
        return self._write_engine

    def close(self) -> None:
        """Close pooled connections (the store stays usable and reconnects on demand)."""
        self.engine.dispose()

    # reading -----------------------------------------------------------------------------

    def list_maps(self) -> list[MapInfo]:
        """Every map's library row, sorted by title (case-insensitively), without parsing the maps.

        Maps in the trash (``cjm.access``) are not listed."""
        m = maps_table.c
        trashed = select(_access["cjm_trash"].c.map_id)
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(
                    m.map_id,
                    m.title,
                    m.map_type,
                    m.persona,
                    m.segment,
                    m.touchpoints,
                    m.current_version,
                    m.updated_at,
                    m.updated_by,
                    m.baseline_id,
                ).where(m.map_id.not_in(trashed))
            ).all()
        infos = [
            MapInfo(
                map_id=r.map_id,
                title=r.title,
                map_type=r.map_type,
                persona=r.persona or "",
                segment=r.segment or "",
                touchpoints=int(r.touchpoints or 0),
                version=int(r.current_version),
                updated_at=_utc(r.updated_at),
                updated_by=r.updated_by or "",
                baseline_id=r.baseline_id,
            )
            for r in rows
        ]
        return sorted(infos, key=lambda i: (i.title.casefold(), i.map_id))

    def exists(self, map_id: str) -> bool:
        """True when a map with this id is stored."""
        with self.engine.connect() as conn:
            return conn.execute(select(maps_table.c.map_id).where(maps_table.c.map_id == map_id)).first() is not None

    def latest_version(self, map_id: str) -> int:
        """The map's current version number (one indexed lookup: cheap enough to poll)."""
        with self.engine.connect() as conn:
            v = conn.execute(
                select(maps_table.c.current_version).where(maps_table.c.map_id == map_id)
            ).scalar_one_or_none()
        if v is None:
            raise MapNotFoundError(f"no map {map_id!r}", "no_map", id=repr(map_id))
        return int(v)

    def load(self, map_id: str, version: int | None = None) -> StoredMap:
        """A version of a map (the latest by default) as a fresh, validated graph."""
        with self.engine.connect() as conn:
            return self._load(conn, map_id, version)

    def _load(self, conn: Connection, map_id: str, version: int | None) -> StoredMap:
        v = versions_table.c
        query = select(v.version, v.data, v.author, v.note, v.saved_at).where(v.map_id == map_id)
        if version is None:
            current = select(maps_table.c.current_version).where(maps_table.c.map_id == map_id).scalar_subquery()
            query = query.where(v.version == current)
        else:
            query = query.where(v.version == int(version))
        row = conn.execute(query).first()
        if row is None:
            if version is None:
                raise MapNotFoundError(f"no map {map_id!r}", "no_map", id=repr(map_id))
            raise MapNotFoundError(
                f"map {map_id!r} has no version {version}", "no_version", id=repr(map_id), version=version
            )
        source = f"map {map_id!r} version {row.version}"
        try:
            G = jsonio.loads(row.data, source=source)
        except ValidationError as exc:
            # Stored before such characters were refused (SQLite took a NUL): read it without them.
            if not any(p.code == "control_char" for p in exc.problems):
                raise
            G = jsonio.from_data(scrub(jsonio.parse_json(row.data, source=source)), source=source)
        return StoredMap(
            graph=G,
            map_id=map_id,
            version=int(row.version),
            author=row.author or "",
            note=row.note or "",
            saved_at=_utc(row.saved_at),
        )

    def history(self, map_id: str, *, after: int | None = None) -> list[VersionInfo]:
        """Every version of a map, newest first (only those newer than version ``after`` when given)."""
        with self.engine.connect() as conn:
            infos = self._history(conn, map_id, after)
        if not infos and after is None:
            raise MapNotFoundError(f"no map {map_id!r}", "no_map", id=repr(map_id))
        return infos

    def _history(self, conn: Connection, map_id: str, after: int | None) -> list[VersionInfo]:
        v = versions_table.c
        query = select(v.version, v.author, v.note, v.saved_at, v.touchpoints).where(v.map_id == map_id)
        if after is not None:
            query = query.where(v.version > int(after))
        rows = conn.execute(query.order_by(v.version.desc())).all()
        return [
            VersionInfo(
                version=int(r.version),
                author=r.author or "",
                note=r.note or "",
                saved_at=_utc(r.saved_at),
                touchpoints=int(r.touchpoints or 0),
            )
            for r in rows
        ]

    # writing -----------------------------------------------------------------------------

    def _prepare(self, G: nx.DiGraph, stamp: datetime, author: str = "", note: str = "") -> tuple[nx.DiGraph, str]:
        """Validate (raising ``ValidationError`` before anything is written) and stamp ``updated_at``.

        The map, its author and the note are checked by the same rules as a file (no character a
        database refuses, ids within the column), so SQLite and PostgreSQL take exactly the same.
        """
        H = validate_map(G)
        problems = []
        for name, value in (("author", author), ("note", note)):
            try:
                check_text(str(value or ""))
            except ValueError as exc:
                problems.append(problem_from(Place("map"), name, exc))
        if problems:
            raise ValidationError(problems)
        iso = stamp.isoformat()
        H.graph["updated_at"] = iso
        if not H.graph.get("created_at"):
            H.graph["created_at"] = iso
        return H, jsonio.dumps(H)

    def _version_row(self, H: nx.DiGraph, data: str, version: int, author: str, note: str, stamp: datetime):
        return {
            "map_id": H.graph["id"],
            "version": version,
            "data": data,
            "title": H.graph["title"],
            "touchpoints": H.number_of_nodes(),
            "author": author or "",
            "note": note or "",
            "saved_at": stamp,
        }

    def create(self, G: nx.DiGraph, *, author: str, note: str = "") -> int:
        """Store a new map as version 1; ``CJMError`` if its id is taken, ``ValidationError`` if invalid."""
        stamp = _now()
        H, data = self._prepare(G, stamp, author, note)
        map_id = H.graph["id"]
        try:
            with self.writing() as conn:
                if conn.execute(select(maps_table.c.map_id).where(maps_table.c.map_id == map_id)).first():
                    raise CJMError(f"a map with id {map_id!r} exists already", "map_exists", id=repr(map_id))
                self._insert_new(conn, H, data, author, note, stamp)
        except IntegrityError:
            raise CJMError(f"a map with id {map_id!r} exists already", "map_exists", id=repr(map_id)) from None
        return 1

    def _insert_new(self, conn: Connection, H: nx.DiGraph, data: str, author: str, note: str, stamp: datetime):
        """Insert a prepared map as version 1 inside the caller's write transaction."""
        conn.execute(
            insert(maps_table).values(
                map_id=H.graph["id"],
                current_version=1,
                created_at=_parse_time(H.graph.get("created_at"), stamp),
                updated_at=stamp,
                updated_by=author or "",
                **_summary_columns(H),
            )
        )
        conn.execute(insert(versions_table).values(**self._version_row(H, data, 1, author, note, stamp)))

    def save(
        self,
        G: nx.DiGraph,
        *,
        expected_version: int,
        author: str,
        note: str = "",
        rebase: Rebase | None = None,
    ) -> int:
        """Store ``G`` as the version after ``expected_version`` and return the new version number.

        Raises ``ValidationError`` (nothing written) for an invalid map, ``MapNotFoundError`` when the
        map is gone, and ``ConflictError`` when the latest version is no longer ``expected_version``.

        With ``rebase``, a conflict is resolved instead: still inside the write transaction, holding
        the map (its row locked on PostgreSQL, the write lock on SQLite), ``rebase(latest, since)`` gets
        the latest stored version and the versions saved since ``expected_version`` (newest first) and
        returns the graph and note to store on top of it. Nobody can save in between, so this save
        cannot conflict again however busy the map is.
        """
        stamp = _now()
        H, data = self._prepare(G, stamp, author, note)
        map_id = H.graph["id"]
        expected = int(expected_version)
        new = expected + 1
        m = maps_table.c
        try:
            with self.writing() as conn:
                # The conditional UPDATE is the compare-and-set: of two writers holding the same
                # expected version only one matches the row (PostgreSQL re-checks the WHERE after
                # waiting on the row lock; SQLite writers are serialised by BEGIN IMMEDIATE).
                result = conn.execute(
                    update(maps_table)
                    .where(m.map_id == map_id, m.current_version == expected)
                    .values(current_version=new, updated_at=stamp, updated_by=author or "", **_summary_columns(H))
                )
                if result.rowcount != 1:
                    actual = conn.execute(
                        select(m.current_version).where(m.map_id == map_id).with_for_update()
                    ).scalar_one_or_none()
                    if actual is None:
                        raise MapNotFoundError(f"no map {map_id!r}", "no_map", id=repr(map_id))
                    if rebase is None:
                        raise ConflictError(map_id, expected, int(actual))
                    latest = self._load(conn, map_id, int(actual))
                    G2, note = rebase(latest, self._history(conn, map_id, expected))
                    H, data = self._prepare(G2, stamp, author, note)
                    if H.graph["id"] != map_id:
                        raise CJMError(f"a rebased save of map {map_id!r} changed its id to {H.graph['id']!r}")
                    new = latest.version + 1
                    conn.execute(
                        update(maps_table)
                        .where(m.map_id == map_id, m.current_version == latest.version)
                        .values(current_version=new, updated_at=stamp, updated_by=author or "", **_summary_columns(H))
                    )
                conn.execute(insert(versions_table).values(**self._version_row(H, data, new, author, note, stamp)))
        except IntegrityError:
            # UNIQUE(map_id, version): a second writer with the same version can never win.
            raise ConflictError(map_id, expected, max(new, self._latest_or(map_id, new))) from None
        return new

    def _latest_or(self, map_id: str, default: int) -> int:
        try:
            return self.latest_version(map_id)
        except MapNotFoundError:
            return default

    def delete(self, map_id: str) -> None:
        """Delete a map and all its versions; ``MapNotFoundError`` when there is none."""
        with self.writing() as conn:
            conn.execute(delete(versions_table).where(versions_table.c.map_id == map_id))
            result = conn.execute(delete(maps_table).where(maps_table.c.map_id == map_id))
            if result.rowcount != 1:
                raise MapNotFoundError(f"no map {map_id!r}", "no_map", id=repr(map_id))

    # samples -----------------------------------------------------------------------------

    def seed_samples(self, folder: str | Path | None = None) -> list[str]:
        """Create the sample maps in an empty database once; returns the ids created (often none).

        All samples and the "seeded" mark are written in one transaction, so a start killed half
        way leaves no sample at all and the next start seeds them all. A database holding only
        some samples and no mark (left so by an older cjm) is completed. Safe when several
        processes start at once: one of them seeds, the others find the mark. Once seeded (or if
        other maps exist), it does nothing, so deleted samples stay deleted.
        """
        folder = Path(folder) if folder is not None else SAMPLES_DIR
        if self._is_seeded():
            return []
        stamp = _now()
        note = VersionNote("sample").to_text()
        prepared: list[tuple[nx.DiGraph, str]] = []
        files = sorted(folder.glob("*.json")) if folder.is_dir() else []
        for path in files:
            try:
                prepared.append(self._prepare(jsonio.read_json(path), stamp, "cjm", note))
            except CJMError as exc:
                log.warning("sample map %s not loaded: %s", path.name, exc)
        sample_ids = {H.graph["id"] for H, _ in prepared}
        for _attempt in range(3):
            created: list[str] = []
            try:
                with self.writing() as conn:
                    if conn.execute(select(meta_table.c.value).where(meta_table.c.key == "seeded_at")).first():
                        return []
                    stored = set(conn.execute(select(maps_table.c.map_id)).scalars())
                    if stored - sample_ids:  # someone's own maps: never add samples to them
                        conn.execute(insert(meta_table).values(key="seeded_at", value=stamp.isoformat()))
                        return []
                    for H, data in prepared:
                        if H.graph["id"] not in stored:
                            self._insert_new(conn, H, data, "cjm", note, stamp)
                            created.append(H.graph["id"])
                    if files:
                        conn.execute(insert(meta_table).values(key="seeded_at", value=stamp.isoformat()))
                return created
            except IntegrityError:
                continue  # another process seeded at the same moment (PostgreSQL): look again
        return []

    def _is_seeded(self) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(select(meta_table.c.value).where(meta_table.c.key == "seeded_at")).first() is not None
