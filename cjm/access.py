"""Who may do what to which map: roles, the workspace policy, share links, the trash and the activity log.

There are two modes (:class:`Policy`):

- **open mode** (the default, no identity provider configured): everyone is an owner of every map;
  the free-text participant name is the author of changes. Meant for one machine.
- **signed-in mode**: the person is known by the e-mail address their identity provider vouched
  for (an :class:`~cjm.services.Actor` with an ``email``). Their role on a map is read from the
  database at every check: a role granted on the map (``cjm_map_roles``), else ``owner`` for a
  workspace administrator named in the configuration, else the workspace's default role.

Roles, weakest first: ``viewer`` (reads), ``commenter`` (also comments and votes), ``editor``
(also edits, renames, restores versions), ``owner`` (also shares, deletes to the trash, restores
from the trash, purges, reads the activity log). :data:`NEEDS` is the one table of which action
needs which role; :func:`check` is the one place it is enforced (``cjm.services.authorize`` calls
it before anything is written).

>>> p = Policy(open_mode=False, admins=frozenset({"boss@example.org"}), default_role="viewer")
>>> role_allows("commenter", "comment"), role_allows("commenter", "edit")
(True, False)
>>> sorted(NEEDS)[:4]
['activity', 'comment', 'create', 'delete']
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import secrets
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Column,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    delete,
    insert,
    select,
    update,
)

from cjm.errors import CJMError, MapNotFoundError

__all__ = [
    "ROLES",
    "NEEDS",
    "Policy",
    "AccessDeniedError",
    "ShareLink",
    "TrashItem",
    "ActivityEntry",
    "access_tables",
    "policy",
    "set_policy",
    "identity_label",
    "role_allows",
    "role_of",
    "check",
    "can",
    "is_trashed",
    "grants",
    "set_role",
    "remove_role",
    "new_share_token",
    "add_share_link",
    "share_links",
    "revoke_link",
    "map_for_token",
    "to_trash",
    "from_trash",
    "trash",
    "log_event",
    "events",
]

#: Roles on a map, weakest first.
ROLES = ("viewer", "commenter", "editor", "owner")
#: What ``default_role`` may be besides a role: signed-in people not listed see nothing.
NO_ACCESS = "none"
_RANK = {r: i for i, r in enumerate(ROLES)}

#: The role each action needs on its map. ``create`` and ``import`` make a new map (anyone signed
#: in may; they become its owner); ``duplicate`` reads the source and makes a new map.
NEEDS: dict[str, str] = {
    "view": "viewer",
    "duplicate": "viewer",
    "comment": "commenter",
    "edit": "editor",
    "rename": "editor",
    "restore": "editor",
    "delete": "owner",
    "share": "owner",
    "activity": "owner",
    "untrash": "owner",
    "purge": "owner",
    "create": "viewer",
    "import": "viewer",
}
#: Actions allowed on a map in the trash (everything else is refused until it is restored).
IN_TRASH_OK = frozenset({"untrash", "purge", "activity"})


@dataclass(frozen=True)
class Policy:
    """The workspace's access rules: open mode, or signed-in mode with its administrators (e-mail
    addresses, compared case-insensitively) and the role of signed-in people not listed on a map."""

    open_mode: bool = True
    admins: frozenset[str] = field(default_factory=frozenset)
    default_role: str = "viewer"

    def __post_init__(self) -> None:
        if self.default_role not in (*ROLES, NO_ACCESS):
            raise ValueError(f"default_role must be one of {', '.join((*ROLES, NO_ACCESS))}, not {self.default_role!r}")
        object.__setattr__(self, "admins", frozenset(_email(a) for a in self.admins if _email(a)))


_policy = Policy()
_policy_lock = threading.Lock()


def policy() -> Policy:
    """The policy in force in this process (open mode until :func:`set_policy` says otherwise)."""
    return _policy


def set_policy(new: Policy) -> Policy:
    """Put ``new`` in force (the app does it from its configuration at every run); returns the old one."""
    global _policy
    if not isinstance(new, Policy):
        raise TypeError(f"a Policy, not {type(new).__name__}")
    with _policy_lock:
        old, _policy = _policy, new
    return old


class AccessDeniedError(CJMError):
    """The acting person may not do this (``problem.error.denied_<reason>``); nothing was changed."""

    def __init__(self, message: str, reason: str):
        super().__init__(message, f"denied_{reason}")
        self.reason = reason


def _email(value: Any) -> str:
    return str(value or "").strip().lower()


def identity_label(name: str | None, email: str | None) -> str:
    """How a signed-in person is written as the author of versions, votes and comments: the name and
    the e-mail address (so two people with one name stay apart), or the address alone.

    >>> identity_label("Ann Lee", "ann@example.org"), identity_label("", "Ann@Example.org")
    ('Ann Lee <ann@example.org>', 'ann@example.org')
    """
    email = _email(email)
    name = " ".join(str(name or "").split())
    if not email:
        return name
    return f"{name} <{email}>" if name and name.lower() != email else email


def role_allows(role: str | None, action: str) -> bool:
    """True when ``role`` is enough for ``action`` (:data:`NEEDS`)."""
    if action not in NEEDS:
        raise ValueError(f"unknown action {action!r}; actions: {', '.join(NEEDS)}")
    return role in _RANK and _RANK[role] >= _RANK[NEEDS[action]]


# --- tables ---------------------------------------------------------------------------------------


def access_tables(metadata: MetaData) -> dict[str, Table]:
    """The tables of this module on ``metadata`` (defined once per metadata)."""
    names = ("cjm_map_roles", "cjm_share_links", "cjm_trash", "cjm_activity")
    if all(n in metadata.tables for n in names):
        return {n: metadata.tables[n] for n in names}
    fk = lambda: ForeignKey("maps.map_id", ondelete="CASCADE")  # noqa: E731 - one per table
    return {
        "cjm_map_roles": Table(
            "cjm_map_roles",
            metadata,
            Column("map_id", String(255), fk(), primary_key=True),
            Column("email", String(320), primary_key=True),
            Column("role", String(16), nullable=False),
            Column("granted_by", Text, nullable=False, default=""),
            Column("granted_at", DateTime(timezone=True), nullable=False),
        ),
        "cjm_share_links": Table(
            "cjm_share_links",
            metadata,
            Column("token_hash", String(64), primary_key=True),
            Column("map_id", String(255), fk(), nullable=False, index=True),
            Column("created_by", Text, nullable=False, default=""),
            Column("created_at", DateTime(timezone=True), nullable=False),
            Column("expires_at", DateTime(timezone=True), nullable=True),
            Column("revoked_at", DateTime(timezone=True), nullable=True),
        ),
        "cjm_trash": Table(
            "cjm_trash",
            metadata,
            Column("map_id", String(255), fk(), primary_key=True),
            Column("deleted_at", DateTime(timezone=True), nullable=False),
            Column("deleted_by", Text, nullable=False, default=""),
        ),
        # No foreign key: the log outlives a purged map.
        "cjm_activity": Table(
            "cjm_activity",
            metadata,
            Column("id", Integer, primary_key=True, autoincrement=True),
            Column("map_id", String(255), nullable=False, index=True),
            Column("at", DateTime(timezone=True), nullable=False),
            Column("actor", Text, nullable=False, default=""),
            Column("action", String(32), nullable=False),
            Column("detail", Text, nullable=False, default="{}"),
        ),
    }


def _t(store, name: str) -> Table:
    return access_tables(store.metadata)[name]


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _utc(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# --- roles ----------------------------------------------------------------------------------------


def is_trashed(store, map_id: str) -> bool:
    """True when the map is in the trash."""
    t = _t(store, "cjm_trash")
    with store.engine.connect() as conn:
        return conn.execute(select(t.c.map_id).where(t.c.map_id == map_id)).first() is not None


def role_of(store, actor, map_id: str | None) -> str | None:
    """The actor's role on ``map_id``, read from the database now (``None``: no access).

    Open mode: ``owner``. Signed in: the role granted on the map, else ``owner`` for an
    administrator, else the policy's default role. Without an e-mail address in signed-in mode
    (nobody signed in): ``None``.
    """
    pol = policy()
    if pol.open_mode:
        return "owner"
    email = _email(getattr(actor, "email", ""))
    if not email:
        return None
    if email in pol.admins:
        return "owner"
    if map_id is not None:
        t = _t(store, "cjm_map_roles")
        with store.engine.connect() as conn:
            granted = conn.execute(select(t.c.role).where(t.c.map_id == map_id, t.c.email == email)).scalar()
        if granted in _RANK:
            return granted
    return pol.default_role if pol.default_role in _RANK else None


def check(store, actor, action: str, map_id: str | None) -> str:
    """Raise :class:`AccessDeniedError` unless ``actor`` may do ``action`` on ``map_id`` now; returns
    the role. A map in the trash allows only :data:`IN_TRASH_OK`; a missing map is ``MapNotFoundError``."""
    if action not in NEEDS:
        raise ValueError(f"unknown action {action!r}; actions: {', '.join(NEEDS)}")
    pol = policy()
    if not pol.open_mode and not _email(getattr(actor, "email", "")):
        raise AccessDeniedError("Sign in first; nothing was changed.", "signed_out")
    if map_id is not None and store is not None:
        if not store.exists(map_id):
            raise MapNotFoundError(f"no map {map_id!r}", "no_map", id=repr(map_id))
        if action not in IN_TRASH_OK and is_trashed(store, map_id):
            raise AccessDeniedError("This map is in the trash; restore it first. Nothing was changed.", "in_trash")
    if action in ("create", "import"):
        return "owner"  # anyone signed in makes maps of their own
    role = role_of(store, actor, map_id)
    if not role_allows(role, action):
        reason = role or NO_ACCESS
        raise AccessDeniedError(_DENIED[reason], reason)
    return role or NO_ACCESS


_DENIED = {
    NO_ACCESS: "You have no access to this map; nothing was changed.",
    "viewer": "You can only view this map; nothing was changed.",
    "commenter": "You can only comment and vote on this map; nothing was changed.",
    "editor": "Only the map's owners can do this; nothing was changed.",
}


def can(store, actor, action: str, map_id: str | None) -> bool:
    """True when :func:`check` would allow it (what a page shows; the services check again)."""
    try:
        check(store, actor, action, map_id)
    except (AccessDeniedError, MapNotFoundError):
        return False
    return True


def grants(store, map_id: str) -> list[tuple[str, str]]:
    """Each ``(e-mail, role)`` granted on the map, sorted by e-mail."""
    t = _t(store, "cjm_map_roles")
    with store.engine.connect() as conn:
        rows = conn.execute(select(t.c.email, t.c.role).where(t.c.map_id == map_id).order_by(t.c.email)).all()
    return [(r.email, r.role) for r in rows]


def set_role(store, map_id: str, email: str, role: str, *, by: str) -> None:
    """Grant ``role`` on the map to ``email`` (replacing an earlier grant). Storage only: callers
    go through ``cjm.services.share_map``, which checks the actor first."""
    email = _email(email)
    if role not in _RANK:
        raise ValueError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    t = _t(store, "cjm_map_roles")
    with store.writing() as conn:
        conn.execute(delete(t).where(t.c.map_id == map_id, t.c.email == email))
        conn.execute(insert(t).values(map_id=map_id, email=email, role=role, granted_by=by, granted_at=_now()))


def remove_role(store, map_id: str, email: str) -> bool:
    """Withdraw the grant of ``email`` on the map; True when there was one."""
    t = _t(store, "cjm_map_roles")
    with store.writing() as conn:
        return conn.execute(delete(t).where(t.c.map_id == map_id, t.c.email == _email(email))).rowcount > 0


# --- share links ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShareLink:
    """A read-only link to one map as stored (the token itself is never stored, only its hash;
    ``link_id`` is the first characters of the hash, enough to name it in the library)."""

    link_id: str
    token_hash: str
    map_id: str
    created_by: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None

    def active(self, now: datetime | None = None) -> bool:
        now = now or datetime.now(UTC)
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


def _hash(token: str) -> str:
    return hashlib.sha256(str(token).encode("utf-8")).hexdigest()


def new_share_token() -> str:
    """An unguessable token (256 bits from ``secrets``)."""
    return secrets.token_urlsafe(32)


def add_share_link(store, map_id: str, token: str, *, by: str, expires_at: datetime | None) -> ShareLink:
    """Store the hash of ``token`` as a link to the map (storage only; see ``cjm.services.create_share_link``)."""
    t = _t(store, "cjm_share_links")
    row = dict(token_hash=_hash(token), map_id=map_id, created_by=by, created_at=_now(), expires_at=_utc(expires_at))
    with store.writing() as conn:
        conn.execute(insert(t).values(**row))
    return ShareLink(row["token_hash"][:12], revoked_at=None, **row)


def share_links(store, map_id: str) -> list[ShareLink]:
    """Every link made for the map, newest first (revoked and expired ones included)."""
    t = _t(store, "cjm_share_links")
    with store.engine.connect() as conn:
        rows = conn.execute(select(t).where(t.c.map_id == map_id).order_by(t.c.created_at.desc())).all()
    return [
        ShareLink(
            r.token_hash[:12],
            r.token_hash,
            r.map_id,
            r.created_by,
            _utc(r.created_at),
            _utc(r.expires_at),
            _utc(r.revoked_at),
        )
        for r in rows
    ]


def revoke_link(store, map_id: str, link_id: str) -> bool:
    """Mark the map's link ``link_id`` revoked; True when an active one was revoked."""
    t = _t(store, "cjm_share_links")
    link_id = str(link_id or "")
    if len(link_id) < 8:
        return False
    with store.writing() as conn:
        result = conn.execute(
            update(t)
            .where(t.c.map_id == map_id, t.c.token_hash.startswith(link_id, autoescape=True), t.c.revoked_at.is_(None))
            .values(revoked_at=_now())
        )
    return result.rowcount > 0


def map_for_token(store, token: str | None) -> str | None:
    """The map an active share link opens, or ``None`` (unknown, revoked, expired token, or the map
    is in the trash). Read at every use, so a revoked link stops working at once."""
    token = str(token or "")
    if not token or len(token) > 200:
        return None
    t = _t(store, "cjm_share_links")
    with store.engine.connect() as conn:
        row = conn.execute(select(t).where(t.c.token_hash == _hash(token))).first()
    if row is None:
        return None
    link = ShareLink(
        row.token_hash[:12], row.token_hash, row.map_id, row.created_by, _utc(row.created_at),
        _utc(row.expires_at), _utc(row.revoked_at),
    )  # fmt: skip
    if not link.active() or not store.exists(link.map_id) or is_trashed(store, link.map_id):
        return None
    return link.map_id


# --- trash ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrashItem:
    """A map in the trash: who put it there and when."""

    map_id: str
    title: str
    deleted_at: datetime
    deleted_by: str


def to_trash(store, map_id: str, *, by: str) -> None:
    """Put the map in the trash (storage only; see ``cjm.services.delete_map``)."""
    t = _t(store, "cjm_trash")
    with store.writing() as conn:
        if conn.execute(select(t.c.map_id).where(t.c.map_id == map_id)).first() is None:
            conn.execute(insert(t).values(map_id=map_id, deleted_at=_now(), deleted_by=by))


def from_trash(store, map_id: str) -> bool:
    """Take the map out of the trash; True when it was there."""
    t = _t(store, "cjm_trash")
    with store.writing() as conn:
        return conn.execute(delete(t).where(t.c.map_id == map_id)).rowcount > 0


def trash(store) -> list[TrashItem]:
    """Every map in the trash, most recently deleted first."""
    t = _t(store, "cjm_trash")
    maps = store.metadata.tables["maps"]
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(t.c.map_id, maps.c.title, t.c.deleted_at, t.c.deleted_by)
            .join(maps, maps.c.map_id == t.c.map_id)
            .order_by(t.c.deleted_at.desc(), t.c.map_id)
        ).all()
    return [TrashItem(r.map_id, r.title, _utc(r.deleted_at), r.deleted_by or "") for r in rows]


# --- activity -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActivityEntry:
    """One thing someone did to a map: ``action`` is ``saved`` (a version; ``detail`` has its
    ``version`` and ``note``) or an event (``shared``, ``unshared``, ``link_created``,
    ``link_revoked``, ``trashed``, ``untrashed``, ``purged``)."""

    map_id: str
    at: datetime
    actor: str
    action: str
    detail: dict[str, Any]


def log_event(store, map_id: str, actor: str, action: str, **detail: Any) -> None:
    """Record a sharing or deletion event in the activity log (with the map's version then, which
    orders it among the versions saved in the same second)."""
    t = _t(store, "cjm_activity")
    with contextlib.suppress(MapNotFoundError):
        detail.setdefault("at_version", store.latest_version(map_id))
    with store.writing() as conn:
        conn.execute(
            insert(t).values(
                map_id=map_id, at=_now(), actor=actor, action=action, detail=json.dumps(detail, default=str)
            )
        )


def events(store, map_id: str) -> list[ActivityEntry]:
    """The map's activity, newest first: its versions (while it exists) and the logged events."""
    t = _t(store, "cjm_activity")
    with store.engine.connect() as conn:
        rows = conn.execute(select(t).where(t.c.map_id == map_id)).all()
    keyed = [
        (
            (_utc(r.at), json.loads(r.detail or "{}").get("at_version", 1 << 30), 1, r.id),
            ActivityEntry(r.map_id, _utc(r.at), r.actor, r.action, json.loads(r.detail or "{}")),
        )
        for r in rows
    ]
    if store.exists(map_id):
        keyed += [
            (
                (v.saved_at, v.version, 0, 0),
                ActivityEntry(map_id, v.saved_at, v.author, "saved", {"version": v.version, "note": v.note}),
            )
            for v in store.history(map_id)
        ]
    return [entry for _key, entry in sorted(keyed, key=lambda k: k[0], reverse=True)]
