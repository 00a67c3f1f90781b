"""The Briefing as a kiosk: it survives a lost connection, and a shortened soak compares memory over minutes.

The 2-hour figures are measured by hand with scripts/kiosk_soak.py (docs/performance.md).
"""

from __future__ import annotations

from kkmp.briefing import SLIDE_KEYS
from scripts.kiosk_soak import soak
from tests.browser.harness import PROJECTOR, dialogs, make_sample_store, open_page, running_server

AUTO = 5
CYCLE_S = AUTO * len(SLIDE_KEYS)  # one pass through the deck
SOAK_SECONDS = 5 * CYCLE_S
WARM_UP_S = CYCLE_S  # the first deck cycle builds every slide once
MAX_GROWTH = 0.10  # memory after warm-up may not grow by more than 10 % over the soak


# Watches the app from the moment it is back until its first run after reconnecting has finished: whether
# Streamlit marked elements stale (it draws them at 33 % opacity) and the lowest opacity the slide title had.
WATCH_FIRST_RUN_JS = """() => new Promise((done) => {
  const app = () => document.querySelector('[data-testid="stApp"]');
  let ran = false, stale = false, lowest = 1;
  const until = Date.now() + 120000;  // never back: give up, so that the test fails instead of hanging
  const tick = () => {
    let o = 1;
    for (let n = document.querySelector('.kb-title'); n; n = n.parentElement) o *= parseFloat(getComputedStyle(n).opacity);
    lowest = Math.min(lowest, o);
    stale = stale || !!document.querySelector('[data-stale="true"]');
    const a = app(), connected = a?.getAttribute('data-test-connection-state') === 'CONNECTED';
    ran = ran || (connected && a.getAttribute('data-test-script-state') === 'running');
    if ((ran && a.getAttribute('data-test-script-state') === 'notRunning') || Date.now() > until) {
      done({ran, stale, lowest});
    }
    else setTimeout(tick, 50);
  };
  tick();
})"""


def _counter(page) -> str:
    return page.inner_text(".kb-counter").strip()


def test_lost_connection_keeps_the_slide_and_reconnects(browser, tmp_path):
    """Server gone: no Streamlit error box, the slide stays with a "menyambung ulang" mark; back on the same port:
    it reconnects by itself, its first run does not grey the slide out, and the slides advance again."""
    url = make_sample_store(tmp_path)
    with running_server(url, tmp_path / "server.log") as server:
        context = browser.new_context(viewport=PROJECTOR)
        try:
            page = open_page(context, server.url, "briefing", {"auto": "5", "embed": "true"}, timeout_ms=90_000)
            page.wait_for_selector(".kb-title", timeout=90_000)
            server.stop()
            page.wait_for_function(  # Streamlit has noticed and retries
                "() => document.querySelector('[data-testid=\"stApp\"]')"
                "?.getAttribute('data-test-connection-state') === 'PINGING_SERVER'",
                timeout=30_000,
            )
            # Streamlit opens its "Connection error" dialog after its first failed pings: it is there, not shown
            page.locator('[data-testid="stDialog"]').first.wait_for(state="attached", timeout=60_000)
            page.wait_for_timeout(20_000)
            assert not dialogs(page), dialogs(page)
            assert page.locator(".kb-title").is_visible()
            mark = page.evaluate("() => getComputedStyle(document.querySelector('.kb-counter'), '::after').content")
            assert "menyambung ulang" in mark
            shown = _counter(page)
            page.wait_for_timeout(2 * AUTO * 1000)
            assert _counter(page) == shown, "the slides advanced with no server"
            server.start()  # the same port
            first_run = page.evaluate(WATCH_FIRST_RUN_JS)
            assert first_run["ran"], "no run after the server came back"
            assert first_run["stale"], "the first run after reconnecting marked nothing stale: nothing was checked"
            assert first_run["lowest"] == 1, f"the slide was greyed out while reconnecting: {first_run}"
            before = _counter(page)
            page.wait_for_function(
                f"() => document.querySelector('.kb-counter')?.textContent.trim() !== {before!r}", timeout=60_000
            )
            assert not dialogs(page)
        finally:
            context.close()


def test_short_soak_memory_stays_flat(browser, streamlit_server, app_url, tmp_path):
    """Five deck cycles at auto=5, sampled once a cycle on slide 1: memory after warm-up stays flat."""
    pid = streamlit_server.process.pid
    run = soak(browser, app_url, pid, seconds=SOAK_SECONDS, auto=AUTO, every=CYCLE_S - AUTO, at_slide=1)
    assert run.advances >= SOAK_SECONDS // AUTO - 6, f"the deck did not play: {run.advances} advances"
    assert len(run.samples) >= 4, [s.t for s in run.samples]
    figures = [(s.t, s.counter, s.dom_nodes, s.listeners, s.js_heap_used) for s in run.samples]
    assert run.slides_seen >= len(SLIDE_KEYS), (run.slides_seen, figures)
    assert all(not s.errors for s in run.samples), [s.errors for s in run.samples if s.errors]
    growth = {k: run.growth(k, WARM_UP_S) for k in ("server_rss", "js_heap_used", "dom_nodes", "listeners")}
    assert all(g <= MAX_GROWTH for g in growth.values()), (growth, figures)
