"""Schema migrations (Alembic): every database cjm opens is brought up to the current schema first.

The schema has versions, the Alembic revisions in ``cjm/migrations/versions/`` (``0001_first_release``
is the schema of cjm's first release). :func:`upgrade` runs when a :class:`~cjm.store.Store` opens a
database and from ``python -m cjm db upgrade``:

- a new, empty database gets every revision in turn;
- a database made before cjm used Alembic (it has the ``maps`` table but no ``alembic_version``) is
  marked as ``0001_first_release`` and upgraded from there;
- a database at an older revision is upgraded; one that is current is left alone (one cheap query);
- a database made by a newer cjm (an unknown revision) is refused with a clear error, never touched.

The whole upgrade is one transaction (SQLite and PostgreSQL both have transactional DDL): it is
applied completely or not at all. Several processes starting at once queue on a lock (SQLite's write
lock, a PostgreSQL advisory lock) and the later ones find the work done.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from cjm.errors import CJMError

__all__ = ["BASELINE", "SchemaStatus", "head", "status", "upgrade", "SchemaTooNewError"]

FOLDER = Path(__file__).resolve().parent
BASELINE = "0001_first_release"
_ADVISORY_LOCK = 0x636A6D  # "cjm": serialises upgrades of one PostgreSQL database across processes


class SchemaTooNewError(CJMError):
    """The database was upgraded by a newer cjm than this one (translatable: ``problem.error.schema_too_new``)."""

    def __init__(self, current: str, head: str):
        super().__init__(
            f"the database was upgraded by a newer cjm (schema {current}, this cjm knows up to {head}): "
            "upgrade cjm, or open another database"
        )
        self.code = "schema_too_new"
        self.params = (("current", current), ("head", head))


@dataclass(frozen=True)
class SchemaStatus:
    """Where a database stands: its revision (None when empty, ``"legacy"`` before Alembic) and the head."""

    current: str | None
    head: str

    @property
    def up_to_date(self) -> bool:
        return self.current == self.head


def _config(connection: Connection | None = None):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(FOLDER))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


@lru_cache(maxsize=1)
def _script():
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_config())


def head() -> str:
    """The newest revision this cjm knows."""
    return _script().get_current_head()


def _known(revision: str) -> bool:
    return any(r.revision == revision for r in _script().walk_revisions())


def _current(conn: Connection) -> str | None:
    names = set(inspect(conn).get_table_names())
    if "alembic_version" in names:
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return "legacy" if "maps" in names else None


def status(conn: Connection) -> SchemaStatus:
    """The database's revision and this cjm's head, without changing anything."""
    return SchemaStatus(_current(conn), head())


def upgrade(engine, write_engine=None) -> tuple[str | None, str]:
    """Bring the database up to :func:`head`; returns (revision before, revision after).

    ``write_engine`` is the engine whose transactions take SQLite's write lock up front (the store's);
    it defaults to ``engine``.
    """
    with engine.connect() as conn:
        before = _current(conn)
    target = head()
    if before == target:
        return before, target  # the usual case: one look, no lock
    with (write_engine or engine).begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_LOCK})
        before = _current(conn)  # another process may have upgraded while we waited for the lock
        if before == target:
            return before, target
        if before not in (None, "legacy") and not _known(before):
            raise SchemaTooNewError(before, target)
        from alembic import command

        cfg = _config(conn)
        if before == "legacy":
            command.stamp(cfg, BASELINE)
        command.upgrade(cfg, "head")
    return before, target
