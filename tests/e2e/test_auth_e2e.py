"""Signed-in mode in a real browser, through a real OpenID Connect provider started here
(``oidc-provider-mock`` on localhost): an editor's edit is saved under their identity, a viewer sees
no edit controls, a click made after the role was lowered is refused, a share link opens read-only
without signing in until it is revoked, and a deleted map comes back from the trash."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request

import pytest

from cjm import access, services
from cjm.services import Actor
from cjm.store import Store
from tests.e2e.conftest import free_port, streamlit_server
from tests.e2e.helpers import screenshot, wait_for_app

PEOPLE = {
    "olga@example.org": "Olga",  # workspace administrator
    "ed@example.org": "Ed",
    "vera@example.org": "Vera",
}
OLGA = Actor("Olga <olga@example.org>", email="olga@example.org")


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    """The identity provider: a real OIDC server on a loopback port, with three people."""
    port = free_port()
    log = open(tmp_path_factory.mktemp("oidc") / "provider.log", "w")  # noqa: SIM115 - closed below
    users = [json.dumps({"sub": e, "email": e, "name": n}) for e, n in PEOPLE.items()]
    proc = subprocess.Popen(
        [sys.executable, "-m", "oidc_provider_mock", "--port", str(port), *[a for u in users for a in ("--user-claims", u)]],
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url + "/.well-known/openid-configuration", timeout=1).read()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the OIDC provider did not start") from None
            time.sleep(0.2)
    yield url
    proc.terminate()
    proc.wait(timeout=10)
    log.close()


@pytest.fixture(scope="module")
def signed_in_server(tmp_path_factory, provider):
    """A cjm server configured for the provider (secrets written into a temp folder), and its store."""
    folder = tmp_path_factory.mktemp("auth-app")
    port = free_port()
    secrets = folder / "secrets.toml"
    secrets.write_text(
        f"""[auth]
redirect_uri = "http://127.0.0.1:{port}/oauth2callback"
cookie_secret = "{"e2e-cookie-secret-" * 4}"
client_id = "cjm-e2e"
client_secret = "e2e-secret"
server_metadata_url = "{provider}/.well-known/openid-configuration"

[cjm]
admins = ["olga@example.org"]
default_role = "none"
""",
        encoding="utf-8",
    )
    data = folder / "data"
    store = Store(f"sqlite:///{data / 'cjm.db'}")
    store.seed_samples()
    old = access.set_policy(access.Policy(open_mode=False, admins=frozenset({"olga@example.org"}), default_role="none"))
    services.share_map(store, OLGA, "shop-current", "ed@example.org", "editor")
    services.share_map(store, OLGA, "shop-current", "vera@example.org", "viewer")
    os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"  # the provider is plain http on localhost
    try:
        with streamlit_server(data, folder / "server.log", port=port, secrets_file=secrets) as url:
            yield url, store
    finally:
        os.environ.pop("AUTHLIB_INSECURE_TRANSPORT", None)
        access.set_policy(old)
        store.close()


def _sign_in(browser, url: str, email: str, path: str = ""):
    """A fresh browser signed in as ``email`` through the provider's page; returns the page."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = ctx.new_page()
    page.set_default_timeout(30_000)
    page.goto(url)
    wait_for_app(page)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name=email).click()  # the provider's page: sign in as this person
    page.wait_for_url(f"{url}/**")
    wait_for_app(page)
    page.get_by_text(f"Signed in as {PEOPLE[email]} <{email}>").wait_for()
    if path:
        page.goto(f"{url}/{path}")
        wait_for_app(page)
    return page


def test_sign_in_roles_share_links_and_trash_in_a_real_browser(browser, signed_in_server):
    from playwright.sync_api import expect

    url, store = signed_in_server

    # Nobody signed in: only the sign-in.
    anon = browser.new_context().new_page()
    anon.goto(url)
    wait_for_app(anon)
    expect(anon.get_by_role("button", name="Sign in")).to_be_visible()
    expect(anon.get_by_text("Map library")).to_have_count(0)

    # The editor renames the map: saved under their identity.
    ed = _sign_in(browser, url, "ed@example.org", "?map=shop-current")
    ed.get_by_role("tab", name="Rename").click()
    title = ed.get_by_label("Title").first
    title.fill("Shop, edited by Ed")
    ed.get_by_role("button", name="Rename").last.click()
    wait_for_app(ed)
    expect(ed.get_by_text("Shop, edited by Ed").first).to_be_visible()
    latest = store.history("shop-current")[0]
    assert latest.author == "Ed <ed@example.org>"

    # The viewer sees no edit controls, in the library or the editor.
    vera = _sign_in(browser, url, "vera@example.org", "?map=shop-current")
    expect(vera.get_by_role("tab", name="Version history")).to_be_visible()
    for name in ("Rename", "Delete", "Sharing"):
        expect(vera.get_by_role("tab", name=name)).to_have_count(0)
    vera.goto(f"{url}/editor?map=shop-current")
    wait_for_app(vera)
    expect(vera.get_by_text("You can view this map but not change it")).to_be_visible()
    expect(vera.get_by_role("button", name="Vote")).to_have_count(0)
    screenshot(vera, "auth-viewer-editor")

    # The editor's open page, after the owner lowered them to viewer: the click is refused.
    ed.goto(f"{url}/editor?map=shop-current")
    wait_for_app(ed)
    ed.get_by_role("tab", name="Votes, comments & catalogue").click()
    wait_for_app(ed)
    vote = ed.get_by_role("button", name="Vote", exact=True)
    expect(vote).to_be_visible()
    version = store.latest_version("shop-current")
    services.share_map(store, OLGA, "shop-current", "ed@example.org", "viewer")
    vote.click()
    wait_for_app(ed)
    expect(ed.get_by_text("You can only view this map; nothing was changed.")).to_be_visible()
    assert store.latest_version("shop-current") == version

    # A share link opens the map read-only without signing in, until it is revoked.
    olga = _sign_in(browser, url, "olga@example.org", "?map=shop-current")
    olga.get_by_role("tab", name="Sharing").click()
    olga.get_by_role("button", name="Create a link").click()
    wait_for_app(olga)
    link = olga.locator("[data-testid='stCode'] code").first.inner_text().strip()
    assert "?share=" in link
    screenshot(olga, "auth-owner-sharing-tab")
    guest = browser.new_context().new_page()
    guest.goto(link)
    wait_for_app(guest)
    expect(guest.get_by_text("shared with you by a link: read only")).to_be_visible()
    expect(guest.get_by_role("button", name="Sign in")).to_have_count(0)
    expect(guest.get_by_text("Shop, edited by Ed").first).to_be_visible()
    screenshot(guest, "auth-share-link")
    olga.get_by_role("tab", name="Sharing").click()
    olga.get_by_role("button", name="Revoke").first.click()
    wait_for_app(olga)
    guest.goto(link)
    wait_for_app(guest)
    expect(guest.get_by_text("This share link does not work")).to_be_visible()

    # A deleted map goes to the trash and is restored from it.
    olga.goto(f"{url}/?map=airline-day")
    wait_for_app(olga)
    olga.get_by_role("tab", name="Delete").click()
    olga.get_by_text("Yes, delete this map").click()
    wait_for_app(olga)
    olga.get_by_role("button", name="Delete").last.click()
    wait_for_app(olga)
    assert "airline-day" not in [m.map_id for m in store.list_maps()]
    olga.get_by_text("Trash (1)").click()
    olga.get_by_role("button", name="Restore").click()
    wait_for_app(olga)
    expect(olga.get_by_text("from the trash").first).to_be_visible()
    assert "airline-day" in [m.map_id for m in store.list_maps()]
    screenshot(olga, "auth-owner-library")
