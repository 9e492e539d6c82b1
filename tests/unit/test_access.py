"""Access control in signed-in mode: every service call x every role (allowed, or refused with nothing
changed), roles re-read at every call, share links, the trash and the activity log. The matrix runs
on SQLite; the checks that touch the database's own behaviour run on PostgreSQL too (``db_url``)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import networkx as nx
import pytest

from cjm import access, i18n, model, services
from cjm.editing import RowEdits
from cjm.errors import CJMError
from cjm.history import UndoStack
from cjm.services import Actor
from cjm.store import Store

OWNER = Actor("Olga Owner <olga@example.org>", email="olga@example.org")
ADMIN = Actor("admin@example.org", email="admin@example.org")
SUBJECT_EMAIL = "sam@example.org"
SUBJECT = Actor("Sam <sam@example.org>", email=SUBJECT_EMAIL)
POLICY = access.Policy(open_mode=False, admins=frozenset({"Admin@Example.org"}), default_role="none")
ROLES = ("none", "viewer", "commenter", "editor", "owner", "admin")


def journey(map_id: str = "coffee") -> nx.DiGraph:
    G = model.new_map("Coffee to go", map_id=map_id, persona={"name": "Olga"})
    for name, stage in (("Ad", "awareness"), ("Site", "consideration"), ("Checkout", "purchase")):
        model.add_touchpoint(G, name, stage, emotion=0.0, channel="website")
    model.add_transition(G, "tp-1", "tp-2", users=100)
    return G


@pytest.fixture(autouse=True)
def signed_in_mode():
    old = access.set_policy(POLICY)
    yield
    access.set_policy(old)


def _setup(store: Store, role: str) -> dict:
    """The owner's map with a comment by the owner, an undo stack with a step (and one undone), a
    share link; the subject gets ``role``. Returns what the calls need."""
    services.create_map(store, OWNER, journey())
    services.add_comment(store, OWNER, "coffee", "tp-1", "Queue too long")
    if role not in ("none", "admin"):
        services.share_map(store, OWNER, "coffee", SUBJECT_EMAIL, role)
    token = services.create_share_link(store, OWNER, "coffee")
    link_id = access.share_links(store, "coffee")[0].link_id
    stack = UndoStack()
    services.cast_vote(store, OWNER, "coffee", "tp-2", 1, undo=stack)
    services.cast_vote(store, OWNER, "coffee", "tp-3", 1, undo=stack)
    services.undo(store, OWNER, "coffee", stack)  # a step to undo and one to redo
    return {"token": token, "link": link_id, "stack": stack, "version": store.latest_version("coffee")}


def _actor(role: str) -> Actor:
    return ADMIN if role == "admin" else SUBJECT


def _calls(store: Store, a: Actor, ctx: dict) -> dict:
    v = ctx["version"]
    edits = RowEdits({"tp-1": {"emotion": 1.0}})
    return {
        "create_map": lambda: services.create_map(store, a, journey("mine")),
        "import_map": lambda: services.import_map(store, a, journey("mine"), source="m.json"),
        "duplicate_map": lambda: services.duplicate_map(store, a, "coffee", title="Copy"),
        "rename_map": lambda: services.rename_map(store, a, "coffee", "Tea"),
        "edit_map": lambda: services.edit_map(
            store, a, "coffee", lambda G: (model.add_touchpoint(G, "X", "purchase"), G)[1]
        ),
        "apply_table_edits": lambda: services.apply_table_edits(
            store, a, "coffee", "touchpoints", edits, base_version=v
        ),
        "update_map_fields": lambda: services.update_map_fields(store, a, "coffee", segment="B2B"),
        "quick_add": lambda: services.quick_add(store, a, "coffee", "Kiosk", stage="purchase"),
        "cast_vote": lambda: services.cast_vote(store, a, "coffee", "tp-1", 2),
        "remove_vote": lambda: services.remove_vote(store, a, "coffee", "tp-2"),
        "add_comment": lambda: services.add_comment(store, a, "coffee", "tp-1", "Agreed"),
        "delete_comment": lambda: services.delete_comment(store, a, "coffee", "tp-1", 0),
        "move_touchpoint": lambda: services.move_touchpoint(store, a, "coffee", "tp-2", -1),
        "connect_in_order": lambda: services.connect_in_order(store, a, "coffee"),
        "add_from_catalogue": lambda: services.add_from_catalogue(store, a, "coffee", "chat"),
        "apply_audit_edits": lambda: services.apply_audit_edits(
            store, a, "coffee", {"tp-1": {"score": 4}}, base_version=v
        ),
        "apply_funnel_counts": lambda: services.apply_funnel_counts(
            store, a, "coffee", steps=["a"], counts=[5], mapping={"a": "tp-1"}, source="f.csv"
        ),
        "undo": lambda: services.undo(store, a, "coffee", ctx["stack"]),
        "redo": lambda: services.redo(store, a, "coffee", ctx["stack"]),
        "restore_version": lambda: services.restore_version(store, a, "coffee", 1),
        "delete_map": lambda: services.delete_map(store, a, "coffee"),
        "restore_map": lambda: services.restore_map(store, a, "coffee"),
        "purge_map": lambda: services.purge_map(store, a, "coffee"),
        "share_map": lambda: services.share_map(store, a, "coffee", "new@example.org", "editor"),
        "unshare_map": lambda: services.unshare_map(store, a, "coffee", "new@example.org"),
        "create_share_link": lambda: services.create_share_link(store, a, "coffee"),
        "revoke_share_link": lambda: services.revoke_share_link(store, a, "coffee", ctx["link"]),
        "activity_log": lambda: services.activity_log(store, a, "coffee"),
    }


#: The weakest role each call needs ("any": anyone signed in).
NEEDED = {
    "create_map": "any",
    "import_map": "any",
    "duplicate_map": "viewer",
    "cast_vote": "commenter",
    "remove_vote": "commenter",
    "add_comment": "commenter",
    **{
        n: "editor"
        for n in (
            "rename_map",
            "edit_map",
            "apply_table_edits",
            "update_map_fields",
            "quick_add",
            "delete_comment",  # someone else's comment
            "move_touchpoint",
            "connect_in_order",
            "add_from_catalogue",
            "apply_audit_edits",
            "apply_funnel_counts",
            "undo",
            "redo",
            "restore_version",
        )
    },
    **{
        n: "owner"
        for n in (
            "delete_map",
            "restore_map",
            "purge_map",
            "share_map",
            "unshare_map",
            "create_share_link",
            "revoke_share_link",
            "activity_log",
        )
    },
}
ORDER = ("none", "viewer", "commenter", "editor", "owner", "admin")


def _allowed(call: str, role: str) -> bool:
    need = NEEDED[call]
    return need == "any" or ORDER.index(role) >= ORDER.index(need)


def _state(store: Store) -> tuple:
    """Everything a call could change."""
    links = [(link.token_hash, link.revoked_at) for link in access.share_links(store, "coffee")]
    return (
        [(m.map_id, m.title, m.version) for m in store.list_maps()],
        [i.map_id for i in access.trash(store)],
        store.exists("coffee") and store.latest_version("coffee"),
        access.grants(store, "coffee"),
        links,
        [(e.action, e.actor) for e in access.events(store, "coffee") if e.action != "saved"],
    )


def _memory_store() -> Store:
    """An in-memory store with the current tables made directly (fast: 162 cases; the migrations
    making the same tables are checked against this schema by test_migrations)."""
    store = Store("sqlite://", upgrade=False)
    store.metadata.create_all(store.engine)
    return store


def test_the_matrix_names_every_write_of_the_services():
    store = _memory_store()
    writes = {n for n in services.__all__ if n not in {"ACTIONS", "Actor", "SaveResult", "authorize"}}
    assert set(_calls(store, SUBJECT, {"version": 1, "stack": None, "link": "x"})) == writes == set(NEEDED)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("call", sorted(NEEDED))
def test_every_service_call_is_allowed_or_refused_by_role_and_a_refusal_changes_nothing(call, role):
    store = _memory_store()
    ctx = _setup(store, role)
    if call in ("restore_map", "purge_map"):
        services.delete_map(store, OWNER, "coffee")
    if call == "unshare_map":
        services.share_map(store, OWNER, "coffee", "new@example.org", "viewer")
    if call == "remove_vote" and _allowed(call, role):
        services.cast_vote(store, _actor(role), "coffee", "tp-2", -2)  # a vote of their own to withdraw
    before = _state(store)
    if _allowed(call, role):
        _calls(store, _actor(role), ctx)[call]()
        assert _state(store) != before or call == "activity_log"
    else:
        with pytest.raises(access.AccessDeniedError) as refused:
            _calls(store, _actor(role), ctx)[call]()
        assert _state(store) == before
        assert i18n.error_text(refused.value, "ru") != str(refused.value)  # a translated message
    store.close()


def test_anyone_who_may_comment_deletes_their_own_comment_but_not_someone_elses(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'cjm.db'}")
    _setup(store, "commenter")
    services.add_comment(store, SUBJECT, "coffee", "tp-1", "Mine")
    services.delete_comment(store, SUBJECT, "coffee", "tp-1", 1)
    assert [c["text"] for c in store.load("coffee").graph.nodes["tp-1"]["comments"]] == ["Queue too long"]
    with pytest.raises(access.AccessDeniedError):
        services.delete_comment(store, SUBJECT, "coffee", "tp-1", 0)


def test_nobody_signed_in_is_refused_everything_in_signed_in_mode(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'cjm.db'}")
    ctx = _setup(store, "none")
    nobody = Actor("Guest 1234")  # the free-text name of open mode carries no identity
    before = _state(store)
    for name, call in _calls(store, nobody, ctx).items():
        with pytest.raises(access.AccessDeniedError, match="Sign in"):
            call()
        assert _state(store) == before, name


def test_the_role_is_read_from_the_database_at_every_call(db_url):
    """A second browser of someone whose role was lowered meanwhile is refused at its next change."""
    store = Store(db_url)
    _setup(store, "editor")
    services.rename_map(store, SUBJECT, "coffee", "Tea")
    services.share_map(store, OWNER, "coffee", SUBJECT_EMAIL, "viewer")
    version = store.latest_version("coffee")
    with pytest.raises(access.AccessDeniedError) as refused:
        services.rename_map(store, SUBJECT, "coffee", "Forged")
    assert i18n.error_text(refused.value, "ru") == "Эту карту вы можете только просматривать; ничего не изменено."
    assert store.latest_version("coffee") == version and store.load("coffee").graph.graph["title"] == "Tea"
    services.unshare_map(store, OWNER, "coffee", SUBJECT_EMAIL)
    assert access.role_of(store, SUBJECT, "coffee") is None
    store.close()


def test_the_default_role_applies_to_people_not_listed_and_admins_own_every_map(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'cjm.db'}")
    _setup(store, "none")
    assert access.role_of(store, SUBJECT, "coffee") is None
    access.set_policy(access.Policy(open_mode=False, default_role="commenter", admins=POLICY.admins))
    assert access.role_of(store, SUBJECT, "coffee") == "commenter"
    services.cast_vote(store, SUBJECT, "coffee", "tp-1", -1)
    assert access.role_of(store, ADMIN, "coffee") == "owner"
    with pytest.raises(ValueError):
        access.Policy(open_mode=False, default_role="superuser")


def test_open_mode_makes_everyone_an_owner_without_roles(tmp_path):
    access.set_policy(access.Policy())
    store = Store(f"sqlite:///{tmp_path / 'cjm.db'}")
    ann = Actor("Ann")
    services.create_map(store, ann, journey())
    assert access.grants(store, "coffee") == [] and access.role_of(store, ann, "coffee") == "owner"
    services.delete_map(store, Actor("Bob"), "coffee")
    services.restore_map(store, Actor("Eve"), "coffee")


def test_the_creator_of_a_map_owns_it_and_an_owner_cannot_lower_their_own_role(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'cjm.db'}")
    services.create_map(store, SUBJECT, journey("mine"))
    assert access.grants(store, "mine") == [(SUBJECT_EMAIL, "owner")]
    with pytest.raises(CJMError, match="own role"):
        services.share_map(store, SUBJECT, "mine", SUBJECT_EMAIL, "viewer")
    with pytest.raises(CJMError, match="e-mail"):
        services.share_map(store, SUBJECT, "mine", "not an address", "viewer")
    assert access.grants(store, "mine") == [(SUBJECT_EMAIL, "owner")]


def test_a_share_link_opens_its_map_until_revoked_or_expired_and_only_its_hash_is_stored(db_url):
    store = Store(db_url)
    services.create_map(store, OWNER, journey())
    token = services.create_share_link(store, OWNER, "coffee")
    assert len(token) >= 40 and access.map_for_token(store, token) == "coffee"
    link = access.share_links(store, "coffee")[0]
    assert token not in link.token_hash and link.active()
    assert access.map_for_token(store, token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    assert access.map_for_token(store, "") is None and access.map_for_token(store, None) is None
    assert services.revoke_share_link(store, OWNER, "coffee", link.link_id)
    assert access.map_for_token(store, token) is None
    soon = datetime.now(UTC) + timedelta(seconds=2)
    expiring = services.create_share_link(store, OWNER, "coffee", expires_at=soon)
    assert access.map_for_token(store, expiring) == "coffee"
    assert not access.share_links(store, "coffee")[0].active(soon + timedelta(seconds=1))
    with pytest.raises(CJMError, match="expired"):
        services.create_share_link(store, OWNER, "coffee", expires_at=datetime.now(UTC) - timedelta(days=1))
    services.delete_map(store, OWNER, "coffee")
    assert access.map_for_token(store, expiring) is None  # a map in the trash is not shown
    store.close()


def test_the_activity_log_lists_versions_sharing_and_deletion_newest_first(db_url):
    store = Store(db_url)
    services.create_map(store, OWNER, journey())
    services.share_map(store, OWNER, "coffee", SUBJECT_EMAIL, "editor")
    services.rename_map(store, SUBJECT, "coffee", "Tea")
    services.delete_map(store, OWNER, "coffee")
    services.restore_map(store, ADMIN, "coffee")
    log = services.activity_log(store, OWNER, "coffee")
    assert [(e.action, e.actor) for e in log][:3] == [
        ("untrashed", ADMIN.name),
        ("trashed", OWNER.name),
        ("saved", SUBJECT.name),
    ]
    assert {e.action for e in log} == {"saved", "shared", "trashed", "untrashed"}
    store.close()


def test_a_role_written_on_the_actor_counts_for_nothing(tmp_path):
    """Only the database says who may do what: an actor claiming to be an owner is still refused."""
    store = Store(f"sqlite:///{tmp_path / 'cjm.db'}")
    _setup(store, "viewer")
    forged = Actor(SUBJECT.name, email=SUBJECT_EMAIL, role="owner")
    with pytest.raises(access.AccessDeniedError):
        services.delete_map(store, forged, "coffee")
    assert access.trash(store) == [] and access.role_of(store, forged, "coffee") == "viewer"
