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


def test_lost_connection_keeps_the_slide_and_reconnects(browser, tmp_path):
    """Server gone: no Streamlit error box, the slide stays with a "menyambung ulang" mark; back: it plays on."""
    url = make_sample_store(tmp_path)
    with running_server(url, tmp_path / "server.log") as server:
        context = browser.new_context(viewport=PROJECTOR)
        try:
            page = open_page(context, server.url, "briefing", {"auto": "5", "embed": "true"}, timeout_ms=90_000)
            page.wait_for_selector(".kb-title", timeout=90_000)
            server.stop()
            page.wait_for_timeout(20_000)  # Streamlit shows its "Connection error" box after six failed pings
            assert not dialogs(page), dialogs(page)
            assert page.locator(".kb-title").is_visible()
            mark = page.evaluate("() => getComputedStyle(document.querySelector('.kb-counter'), '::after').content")
            assert "menyambung ulang" in mark
            server.start()
            page.wait_for_function(
                "() => document.querySelector('[data-testid=\"stApp\"]')"
                "?.getAttribute('data-test-connection-state') === 'CONNECTED'",
                timeout=90_000,
            )
            before = page.inner_text(".kb-counter")
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
