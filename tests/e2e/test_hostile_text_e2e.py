"""Every page in a real browser on a map full of Markdown and HTML payloads (issue 18): no request leaves
the machine (a Markdown image would be a tracking beacon from every viewer), no link or image comes from
user text, and no script runs."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest

from cjm import store
from tests.e2e.helpers import screenshot, wait_for_app
from tests.hostile import HOST, hostile_map

MAP_ID = "hostile-e2e"
PAGES = ["", "journey-map", "editor", "presenter", "overview", "emotion-curve", "funnel", "flow", "audit"]
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@pytest.fixture(scope="module")
def hostile(e2e_data_dir, st_server):
    url = f"sqlite:///{e2e_data_dir / 'cjm.db'}"
    s = store.get_store(url)  # seeds the samples first, as the server would
    s.create(hostile_map(MAP_ID), author="mallory")
    yield MAP_ID
    s.delete(MAP_ID)


def _crawl(browser, base: str, path: str, lang: str):
    outbound: list[str] = []
    dialogs: list[str] = []
    ctx = browser.new_context(viewport={"width": 1280, "height": 1600})

    def route(r):
        parsed = urlparse(r.request.url)
        if parsed.scheme in ("http", "https", "ws", "wss") and parsed.hostname not in LOOPBACK:
            outbound.append(r.request.url)
            return r.abort()
        return r.continue_()

    ctx.route("**/*", route)
    page = ctx.new_page()
    page.set_default_timeout(60_000)
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        for _attempt in range(3):  # a deep link can meet "Page not found" on a busy, fresh server: retry
            page.goto(f"{base}/{path}?map={MAP_ID}&lang={lang}")
            page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for(
                state="attached", timeout=90_000
            )
            wait_for_app(page, 500)
            if page.get_by_text("Page not found").count() == 0:
                break
        assert page.get_by_text("Page not found").count() == 0, f"{path} did not open"
        assert f"/{path}?" in page.url, page.url  # the page asked for, not the library instead
        page.wait_for_timeout(800)  # images and charts that load late
        if path in ("", "journey-map"):  # the two pages of the report, to look at
            screenshot(page, f"hostile-{path or 'library'}-{lang}")
        pwned, links, media = [], [], []
        for frame in page.frames:
            try:
                pwned.append(frame.evaluate("() => window.__pwned || null"))
                links += frame.eval_on_selector_all(
                    "a[href]",
                    "els => els.map(e => e.href + ' in ' + (e.parentElement.closest('[data-testid]') || {}).outerHTML?.slice(0, 300))",
                )
                media += frame.eval_on_selector_all(
                    "img[src], iframe[src], image, embed, object, video, audio",
                    "els => els.map(e => e.getAttribute('src') || e.getAttribute('href') || '')",
                )
            except Exception:  # a frame navigated away meanwhile  # noqa: BLE001
                continue
        errors = page.get_by_test_id("stException").count()
        # what plotly drew: user text as typed (quotes included), never an entity shown literally
        chart_text = page.eval_on_selector_all(".main-svg text", "els => els.map(e => e.textContent)")
        return outbound, dialogs, [p for p in pwned if p], links, media, errors, chart_text
    finally:
        ctx.close()


@pytest.mark.parametrize(("path", "lang"), [(p, "en") for p in PAGES] + [("", "ru")])
def test_a_page_with_hostile_user_text_makes_no_request_shows_no_link_and_runs_no_script(
    browser, st_server, hostile, path, lang
):
    outbound, dialogs, pwned, links, media, errors, chart_text = _crawl(browser, st_server, path, lang)
    assert outbound == [], f"requests leaving the machine: {outbound}"
    assert dialogs == [] and pwned == [], f"a script ran: {dialogs} {pwned}"
    from_user = [href for href in links if HOST in href or "evil-" in href or "javascript:" in href]
    assert from_user == [], f"links from user text: {from_user}"
    assert [m for m in media if HOST in m] == []
    assert errors == 0
    literal = [t for t in chart_text if re.search(r"&(quot|#x?[0-9a-fA-F]+|lt|gt|amp|apos);", t)]
    assert literal == [], f"chart text shows HTML entities literally: {literal[:5]}"
    if path in ("journey-map", "flow"):  # hostile names drawn as typed: tags as text, quotes as quotes
        assert any("<script>" in t for t in chart_text), chart_text[:20]
        assert any('"' in t or "'" in t for t in chart_text), chart_text[:20]
