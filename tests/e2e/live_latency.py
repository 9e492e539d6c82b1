"""How long a saved change takes to show in other participants' browsers, measured by the browsers.

Before each save, every watching page gets a ``MutationObserver`` that stamps ``Date.now()`` the moment
its element shows the new text, and records every change of Streamlit's script state (``running`` /
``notRunning``); the save is stamped right after it commits. Both clocks are the machine's, so the
difference is the change-to-screen latency, and the last ``notRunning`` before the text showed is when
the browser had the whole rerun (the rest is drawing). Used by tests/e2e/test_team_server_e2e.py and
by bench/bench_live.py (which reports the median and p95, and where the time went).
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass

from cjm import model

WATCH_JS = """([selector, text]) => {
  window.__cjmSeen = null;
  window.__cjmRuns = [];
  if (window.__cjmRunObserver) window.__cjmRunObserver.disconnect();
  const app = document.querySelector("[data-testid='stApp']");
  window.__cjmRunObserver = new MutationObserver(() => {
    if (window.__cjmSeen === null) window.__cjmRuns.push([app.getAttribute('data-test-script-state'), Date.now()]);
  });
  window.__cjmRunObserver.observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
  const shows = () => Array.from(document.querySelectorAll(selector)).some(el => el.textContent.includes(text));
  if (shows()) { window.__cjmSeen = Date.now(); return; }
  const observer = new MutationObserver(() => {
    if (window.__cjmSeen === null && shows()) { window.__cjmSeen = Date.now(); observer.disconnect(); }
  });
  observer.observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true});
}"""

#: Where a page shows a touchpoint's name: the editor's table (row 0, name column), the presenter's map.
EDITOR_FIRST_NAME = "[data-testid='stDataFrame'] #glide-cell-0-0"
PRESENTER_MAP = "[data-testid='stPlotlyChart']"


@dataclass
class Round:
    """One change as one page saw it (milliseconds since the epoch): ``run_done`` is the last moment
    before ``seen`` at which the page's script run ended (None when none did)."""

    version: int
    saved: float
    seen: float
    run_done: float | None

    @property
    def latency(self) -> float:
        return max(0.0, self.seen - self.saved)


def wait_settled(page) -> None:
    page.wait_for_timeout(300)
    page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for(state="attached")


def measure(
    store,
    map_id: str,
    watchers: dict[str, tuple[object, str]],
    rounds: int,
    timeout_ms: int = 15_000,
    details: dict[str, list[Round]] | None = None,
):
    """Rename the map's first touchpoint ``rounds`` times (as another participant would, straight into the
    database); return {watcher name: [milliseconds until its page showed the new name, …]}. ``details``
    (when given) receives each page's :class:`Round` s."""
    latencies: dict[str, list[float]] = {name: [] for name in watchers}
    for i in range(rounds):
        text = f"Live{i}x{uuid.uuid4().hex[:5]}"  # one word: a chart may wrap a name at its spaces
        for page, selector in watchers.values():
            wait_settled(page)
            page.evaluate(WATCH_JS, [selector, text])
        stored = store.load(map_id)
        G = stored.graph
        G.nodes[model.touchpoints_in_order(G)[0]]["name"] = text
        saved = store.save(G, expected_version=stored.version, author="Remote participant", note=f"rename {i}")
        saved_ms = time.time() * 1000
        for name, (page, _selector) in watchers.items():
            seen_ms = page.wait_for_function("() => window.__cjmSeen", timeout=timeout_ms).json_value()
            latencies[name].append(max(0.0, seen_ms - saved_ms))
            if details is not None:
                runs = page.evaluate("window.__cjmRuns") or []
                done = [t for state, t in runs if state == "notRunning" and saved_ms <= t <= seen_ms]
                details.setdefault(name, []).append(Round(saved, saved_ms, seen_ms, done[-1] if done else None))
    return latencies
