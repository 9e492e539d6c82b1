"""Sign-in, roles, share links and the trash through app.py (AppTest: ``at.user`` plays the signed-in
person, ``at.secrets`` the configured identity provider)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from cjm import access, services
from cjm.services import Actor
from tests.app.conftest import APP

OWNER = Actor("Olga <olga@example.org>", email="olga@example.org")
AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "x" * 40,
    "client_id": "cjm",
    "client_secret": "s",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}


@pytest.fixture(autouse=True)
def back_to_open_mode():
    yield
    access.set_policy(access.Policy())


def _store():
    from cjm.store import get_store

    return get_store()


def _signed_in_app(email: str | None, *, map_id: str | None = None, default_role: str = "none") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.secrets["auth"] = AUTH
    at.secrets["cjm"] = {"admins": ["olga@example.org"], "default_role": default_role}
    at.user = {"is_logged_in": True, "email": email, "name": email.split("@")[0].title()} if email else {}
    if map_id:
        at.query_params["map"] = map_id
    return at


def _all_text(at) -> str:
    parts = [
        e.value
        for kind in ("markdown", "text", "info", "error", "caption", "success", "warning")
        for e in getattr(at, kind)
    ]
    return "\n".join(str(p) for p in parts)


def test_open_mode_shows_the_banner_and_the_participant_name(make_app):
    at = make_app()
    assert not at.exception
    assert any("Open mode" in i.value for i in at.sidebar.info)
    assert at.text_input(key="app.user").value


def test_signed_in_mode_shows_only_the_sign_in_until_someone_signs_in():
    at = _signed_in_app(None).run()
    assert not at.exception
    assert [b.label for b in at.button] == ["Sign in"]
    assert at.title[0].value == "Customer journey maps" and "Map library" not in _all_text(at)


def test_a_signed_in_person_sees_only_maps_shared_with_them_and_no_name_box():
    at = _signed_in_app("vera@example.org").run()
    assert not at.exception
    assert "Signed in as Vera <vera@example.org>" in _all_text(at)
    assert not [w for w in at.text_input if w.key == "app.user"]  # identity is not typed in
    assert not [b for b in at.button if b.label == "Open"]  # default role none: no maps
    services.share_map(_store(), OWNER, "shop-current", "vera@example.org", "viewer")
    at.run()
    assert [b.key for b in at.button if b.label in ("Open", "Opened")] == ["library.open.shop-current"]


def test_a_viewer_sees_no_edit_controls_in_the_library_or_the_editor():
    at = _signed_in_app("vera@example.org", map_id="shop-current")
    at.run()
    services.share_map(_store(), OWNER, "shop-current", "vera@example.org", "viewer")
    at.run()
    assert not at.exception
    labels = {tab.label for tab in at.tabs}
    assert {"Download", "Version history", "Duplicate"} <= labels
    assert not labels & {"Rename", "Delete", "Sharing", "Activity"}
    at.switch_page("pages/editor.py").run()
    assert not at.exception
    assert any("can view this map but not change it" in i.value for i in at.info)
    assert not at.button and not at.text_area


def test_a_viewer_is_told_the_audit_is_read_only_and_an_editor_is_not():
    at = _signed_in_app("vera@example.org", map_id="shop-current")
    at.run()
    services.share_map(_store(), OWNER, "shop-current", "vera@example.org", "viewer")
    at.switch_page("pages/audit.py").run()
    assert not at.exception
    assert any("changing it needs the editor role" in i.value for i in at.info)
    services.share_map(_store(), OWNER, "shop-current", "vera@example.org", "editor")
    at.run()
    assert not any("changing it needs the editor role" in i.value for i in at.info)


def test_a_click_made_before_the_role_was_lowered_is_refused_and_nothing_changes():
    """The editor's page was drawn with the vote button; the owner makes them a viewer (another
    browser); the click that follows is refused by the service, with a message, and nothing changes."""
    at = _signed_in_app("ed@example.org", map_id="shop-current")
    at.run()
    services.share_map(_store(), OWNER, "shop-current", "ed@example.org", "editor")
    at.switch_page("pages/editor.py").run()
    at.session_state["editor.tab"] = "Votes, comments & catalogue"
    at.run()
    assert not at.exception and at.button(key="editor.ws_vote")
    version = _store().latest_version("shop-current")
    services.share_map(_store(), OWNER, "shop-current", "ed@example.org", "viewer")  # lowered meanwhile
    at.button(key="editor.ws_vote").click().run()
    assert not at.exception
    assert _store().latest_version("shop-current") == version
    assert any("You can only view this map" in e.value for e in at.error), [e.value for e in at.error]
    assert any("can view this map but not change it" in i.value for i in at.info)


def test_a_table_edit_injected_into_session_state_after_the_role_was_lowered_is_refused():
    """The data editor's widget state written straight into the session (a forged edit) changes
    nothing, and the page says what the role allows."""
    at = _signed_in_app("ed@example.org", map_id="shop-current")
    at.run()
    services.share_map(_store(), OWNER, "shop-current", "ed@example.org", "editor")
    at.switch_page("pages/editor.py").run()
    at.session_state["editor.tab"] = "Touchpoints"
    at.run()
    assert not at.exception
    key = at.session_state["editor.tables.keys"]["touchpoints"]
    before = _store().load("shop-current")
    services.share_map(_store(), OWNER, "shop-current", "ed@example.org", "commenter")
    at.session_state[key] = {"edited_rows": {0: {"name": "Forged"}}, "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception
    after = _store().load("shop-current")
    assert after.version == before.version
    assert "Forged" not in {d.get("name") for _, d in after.graph.nodes(data=True)}
    assert any("editing needs the editor role" in i.value for i in at.info)


def test_a_forged_rename_by_a_viewer_is_refused_by_the_service_with_a_translated_message():
    store = _store()
    services.share_map(store, OWNER, "shop-current", "vera@example.org", "viewer")
    access.set_policy(access.Policy(open_mode=False, admins=frozenset({"olga@example.org"}), default_role="none"))
    vera = Actor("Vera <vera@example.org>", email="vera@example.org")
    from cjm import i18n

    with pytest.raises(access.AccessDeniedError) as refused:
        services.rename_map(store, vera, "shop-current", "Forged")
    assert "только просматривать" in i18n.error_text(refused.value, "ru")
    assert store.load("shop-current").graph.graph["title"] != "Forged"


def test_a_share_link_opens_three_pages_of_its_map_read_only_and_stops_when_revoked():
    at = _signed_in_app(None)
    at.run()  # seeds the database
    token = services.create_share_link(_store(), OWNER, "shop-current")
    shared = AppTest.from_file(APP, default_timeout=30)
    shared.secrets["auth"] = AUTH
    shared.secrets["cjm"] = {"admins": ["olga@example.org"]}
    shared.user = {}
    shared.query_params["share"] = token
    shared.run()
    assert not shared.exception
    assert "read only" in _all_text(shared)
    assert not [b for b in shared.button if b.label == "Sign in"]
    assert [b.key for b in shared.button] == ["journey_map.render_image"]  # an export, not a change
    assert shared.get("plotly_chart") and not shared.text_input and not shared.text_area
    for other in ("pages/emotion_curve.py", "pages/overview.py"):
        shared.switch_page(other).run()
        assert not shared.exception, other
        assert not shared.text_input and not shared.text_area and shared.get("plotly_chart")
        # no other map is offered for comparison or summed up
        assert all(m.options == [] for m in shared.multiselect if m.key.startswith("curve.compare"))
        assert "Northwind" not in _all_text(shared)
    link = access.share_links(_store(), "shop-current")[0]
    services.revoke_share_link(_store(), OWNER, "shop-current", link.link_id)
    shared.switch_page("pages/journey_map.py").run()  # the tab that had the link open: no map any more
    assert not shared.exception and not shared.get("plotly_chart")
    again = AppTest.from_file(APP, default_timeout=30)
    again.query_params["share"] = token
    again.run()
    assert any("does not work" in e.value for e in again.error)
    assert not again.get("plotly_chart")


def test_an_unknown_share_token_shows_an_error_and_no_map():
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["share"] = "not-a-real-token"
    at.run()
    assert not at.exception
    assert any("does not work" in e.value for e in at.error)
    assert not at.button


def test_a_deleted_map_goes_to_the_trash_and_is_restored_from_it(make_app):
    at = make_app(map_id="airline-day")
    at.checkbox(key="library.delete_confirm.airline-day").check().run()
    at.button(key="library.delete_button.airline-day").click().run()
    assert not at.exception
    assert "airline-day" not in [m.map_id for m in _store().list_maps()]
    assert [i.map_id for i in access.trash(_store())] == ["airline-day"]
    at.button(key="library.trash_restore.airline-day").click().run()
    assert not at.exception
    assert "airline-day" in [m.map_id for m in _store().list_maps()] and access.trash(_store()) == []


def test_the_owner_makes_a_share_link_shown_once_and_logged(make_app):
    at = make_app(map_id="shop-current")
    at.button(key="library.link_create").click().run()
    assert not at.exception
    assert at.code and "?share=" in at.code[0].value
    token = at.code[0].value.split("?share=", 1)[1]
    assert access.map_for_token(_store(), token) == "shop-current"
    assert any(e.action == "link_created" for e in access.events(_store(), "shop-current"))


def test_the_activity_tab_lists_deletion_and_restoring_for_the_owner(make_app):
    at = make_app(map_id="airline-day")
    at.checkbox(key="library.delete_confirm.airline-day").check().run()
    at.button(key="library.delete_button.airline-day").click().run()
    at.button(key="library.trash_restore.airline-day").click().run()
    at.session_state["app.map_id"] = "airline-day"
    at.run()
    assert not at.exception
    frames = [df.value for df in at.dataframe]
    activity = next(f for f in frames if "What" in f.columns)
    assert list(activity["What"])[:2] == ["restored from the trash", "moved to the trash"]
