"""Where a cold open's time goes in Chromium: the page's timeline, websocket frames, lazy chunks, JS per script.

    python scripts/browser_profile.py usaha rat          # city sample, 1366×768
    python scripts/browser_profile.py usaha --url http://127.0.0.1:8501/   # an app already running

Starts the dashboard on a temporary copy of the sample store (unless `--url`), opens each page once to warm
the server's caches, then opens it in a new browser context (nothing cached) and reports, in milliseconds
from the navigation: the script-state changes Streamlit marks on the app, when skeletons (elements waiting for
a lazily loaded chunk) appear and go, when plotly's SVG is drawn, which chunks were requested when, the
websocket frames (count, bytes, the last one), and the JS main thread's time per script (CPU profile).
Timeline times are the page's `performance.now()`; request and frame times count from the `goto` call.
`kkmp bench --browser` gives the figures people wait for; this says why (#19).
"""

from __future__ import annotations

import argparse
import collections
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.browser.harness import (  # noqa: E402
    DESKTOP,
    find_chromium,
    launch_chromium,
    make_sample_store,
    page_url,
    running_server,
)

# Logs, into window.__kkmpTimeline, [ms, what, value] whenever the app's states, the number of skeletons or
# the number of drawn plotly layers change.
_OBSERVE_JS = """(() => {
  const log = (what, value) => (window.__kkmpTimeline ||= []).push([Math.round(performance.now()), what, value]);
  const last = {};
  const look = () => {
    const app = document.querySelector('[data-testid="stApp"]');
    const now = {
      script: app?.getAttribute('data-test-script-state') ?? null,
      connection: app?.getAttribute('data-test-connection-state') ?? null,
      skeletons: document.querySelectorAll('[data-testid="stSkeleton"]').length,
      plotly_layers: document.querySelectorAll('.js-plotly-plot .main-svg').length,
    };
    for (const [k, v] of Object.entries(now)) if (last[k] !== v) { last[k] = v; log(k, v); }
  };
  new MutationObserver(look).observe(document, {childList: true, subtree: true, attributes: true});
})()"""

CHUNKS = ("PlotlyChart", "DataFrame", "DeckGlJsonChart")


def profile_page(browser, url: str, seconds: float) -> dict:
    """One cold open of `url` in a new context: timeline, chunk requests, websocket frames, JS ms per script."""
    context = browser.new_context(viewport=DESKTOP)
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        for domain in ("Network", "Profiler"):
            cdp.send(f"{domain}.enable")
        cdp.send("Profiler.setSamplingInterval", {"interval": 500})
        start = time.monotonic()
        since = lambda: round((time.monotonic() - start) * 1000)  # noqa: E731
        chunks, frames = [], []
        cdp.on(
            "Network.requestWillBeSent",
            lambda e: (
                any(c in e["request"]["url"] for c in CHUNKS)
                and chunks.append((since(), e["request"]["url"].rsplit("/", 1)[-1]))
            ),
        )
        cdp.on("Network.webSocketFrameReceived", lambda e: frames.append((since(), len(e["response"]["payloadData"]))))
        page.add_init_script(_OBSERVE_JS)
        cdp.send("Profiler.start")
        page.goto(url, wait_until="commit")
        page.wait_for_timeout(int(seconds * 1000))
        profile = cdp.send("Profiler.stop")["profile"]
        timeline = page.evaluate("window.__kkmpTimeline || []")
    finally:
        context.close()
    nodes = {n["id"]: n["callFrame"] for n in profile["nodes"]}
    per_script: collections.Counter[str] = collections.Counter()
    for sample, delta in zip(profile["samples"], profile["timeDeltas"], strict=True):
        frame = nodes[sample]
        per_script[frame["url"].rsplit("/", 1)[-1] or frame["functionName"] or "(native)"] += delta / 1000
    return {"timeline": timeline, "chunks": chunks, "frames": frames, "js_ms": per_script}


def report(name: str, result: dict) -> str:
    """The profile of one page as text."""
    lines = [f"== {name}"]
    lines += [f"  {ms:6d} ms  {what} = {value}" for ms, what, value in result["timeline"]]
    lines += [f"  {ms:6d} ms  requested {chunk}" for ms, chunk in result["chunks"]]
    frames = result["frames"]
    if frames:
        lines.append(
            f"  websocket: {len(frames)} frames, {sum(b for _, b in frames):,} bytes, last at {frames[-1][0]} ms"
        )
    js = result["js_ms"]
    busy = sum(v for k, v in js.items() if k != "(idle)")
    lines.append(f"  JS main thread busy {busy:,.0f} ms:")
    lines += [f"    {ms:8,.0f} ms  {script}" for script, ms in js.most_common(12) if script != "(idle)"]
    return "\n".join(lines)


def main() -> int:
    """Profile each page named on the command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("pages", nargs="+", help="url paths, e.g. usaha rat ringkasan")
    parser.add_argument("--url", help="an app already running (its base URL)")
    parser.add_argument("--seconds", type=float, default=12.0, help="how long to watch each cold open")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = launch_chromium(playwright, find_chromium())
        server = None if args.url else running_server(make_sample_store(Path(tmp)), Path(tmp) / "server.log")
        base = args.url or server.__enter__().url
        try:
            warm = browser.new_context(viewport=DESKTOP).new_page()
            for path in args.pages:  # the server's caches warm, as for any visitor but the first
                warm.goto(page_url(base, path))
                warm.wait_for_timeout(int(args.seconds * 1000))
            warm.context.close()
            for path in args.pages:
                print(report(path, profile_page(browser, page_url(base, path), args.seconds)), flush=True)
        finally:
            if server is not None:
                server.__exit__(None, None, None)
            browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
