"""Who is editing which map right now: a small heartbeat table next to the maps in the store's
database, so every open editor (in any process) can show the others.

An open editor calls :func:`heartbeat` every few seconds; :func:`active_editors` lists those
seen within the last ``within_seconds``. Rows older than an hour are removed on the way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Column, DateTime, MetaData, String, Table, delete, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

__all__ = ["Editor", "presence_table", "heartbeat", "leave", "active_editors", "STALE_AFTER"]

#: Rows not refreshed for this long are deleted by the next heartbeat.
STALE_AFTER = timedelta(hours=1)

_TABLE = "cjm_presence"


@dataclass(frozen=True)
class Editor:
    """One participant with a map open: their session, display name and last heartbeat (UTC)."""

    session_id: str
    user_name: str
    last_seen: datetime


def presence_table(metadata: MetaData) -> Table:
    """The presence table on ``metadata`` (defined once per metadata)."""
    if _TABLE in metadata.tables:
        return metadata.tables[_TABLE]
    return Table(
        _TABLE,
        metadata,
        Column("map_id", String(255), primary_key=True),
        Column("session_id", String(64), primary_key=True),
        Column("user_name", String(200), nullable=False, default=""),
        Column("last_seen", DateTime(timezone=True), nullable=False, index=True),
    )


_ready: set[tuple[int, int]] = set()


def _table(store) -> tuple[Engine, Table]:
    # The store's write engine takes SQLite's write lock up front (BEGIN IMMEDIATE), so a
    # heartbeat waits its turn instead of failing with "database is locked"; plain engine elsewhere.
    engine: Engine = getattr(store, "_write_engine", None) or store.engine
    table = presence_table(store.metadata)
    key = (id(engine), id(table))
    if key not in _ready:
        table.create(engine, checkfirst=True)
        _ready.add(key)
    return engine, table


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def heartbeat(store, map_id: str, session_id: str, user_name: str, *, now: datetime | None = None) -> None:
    """Record that ``session_id`` (shown as ``user_name``) has ``map_id`` open now."""
    engine, table = _table(store)
    now = now or datetime.now(UTC)
    c = table.c
    name = str(user_name or "")[:200]
    with engine.begin() as conn:
        hit = conn.execute(
            update(table).where(c.map_id == map_id, c.session_id == session_id).values(user_name=name, last_seen=now)
        )
        if hit.rowcount == 0:
            try:
                with conn.begin_nested():
                    conn.execute(
                        table.insert().values(map_id=map_id, session_id=session_id, user_name=name, last_seen=now)
                    )
            except IntegrityError:  # inserted by a parallel heartbeat of the same session
                conn.execute(
                    update(table)
                    .where(c.map_id == map_id, c.session_id == session_id)
                    .values(user_name=name, last_seen=now)
                )
        conn.execute(delete(table).where(c.last_seen < now - STALE_AFTER))


def leave(store, map_id: str, session_id: str) -> None:
    """Forget a session's presence on a map (it closed the editor or switched maps)."""
    engine, table = _table(store)
    with engine.begin() as conn:
        conn.execute(delete(table).where(table.c.map_id == map_id, table.c.session_id == session_id))


def active_editors(
    store, map_id: str, *, within_seconds: float = 15.0, exclude: str | None = None, now: datetime | None = None
) -> list[Editor]:
    """Sessions that sent a heartbeat for ``map_id`` within ``within_seconds``, most recent first;
    ``exclude`` leaves out one session (usually the caller's own)."""
    engine, table = _table(store)
    now = now or datetime.now(UTC)
    c = table.c
    with engine.connect() as conn:
        rows = conn.execute(
            select(c.session_id, c.user_name, c.last_seen)
            .where(c.map_id == map_id, c.last_seen >= now - timedelta(seconds=within_seconds))
            .order_by(c.last_seen.desc())
        ).all()
    return [Editor(r.session_id, r.user_name, _utc(r.last_seen)) for r in rows if r.session_id != exclude]
