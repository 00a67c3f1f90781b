"""`bench --browser`: what people wait for in headless Chromium, as ratios to a bare Streamlit app.

Starts the dashboard on the city sample (and, when asked, the national demo) and a bare two-page
floor app (`scripts/bench_floor_app.py`), drives Chromium with Playwright at 1366×768 and takes the
median of `repeat` runs of: a cold open of each page (new tab → settled), a page switch from the
sidebar, a sidebar filter change and (national) the first visit after a server start. The server
and browser helpers are `tests/browser/harness.py` (a development install: Playwright, Chromium).
"""

from __future__ import annotations

import contextlib
import math
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FLOOR_APP = ROOT / "scripts" / "bench_floor_app.py"
FLOOR_PAGES = ("pertama", "kedua")

# Targets of issue #19, as ratios.
COLD_OPEN_MAX = 2.0
SWITCH_MAX = 3.0
FILTER_MAX = 1.5
NATIONAL_OVER_CITY_MAX = 1.3
FIRST_VISIT_MAX = 4.0

# Settled: connected, script not running, nothing loading, and something drawn in the main area.
_SETTLED_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app) return false;
  return app.getAttribute('data-test-connection-state') === 'CONNECTED'
    && app.getAttribute('data-test-script-state') === 'notRunning'
    && !document.querySelector('[data-testid="stSkeleton"]')
    && !document.querySelector('[data-testid="stSpinner"]')
    && !!document.querySelector('[data-testid="stMain"] [data-testid="stElementContainer"]');
}"""
# Records that the script ran since it was installed: a MutationObserver sees every change of the state
# attribute, however short. Polling for "running" missed runs of 25–40 ms (Rekonsiliasi, Panduan on the city
# sample) and then waited out its 3 s timeout, so fast switches were reported as ≈ 3.1 s. A run so short that
# its messages arrive together never shows "running" at all (React draws the batch once): the websocket
# messages counted by `_COUNT_FRAMES_JS` tell that the server answered.
_WATCH_RUN_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  window.__kbRan = false;
  if (window.__kbRunObserver) window.__kbRunObserver.disconnect();
  if (!app) return window.__kbFrames || 0;
  window.__kbRunObserver = new MutationObserver((records) => {
    for (const r of records) {
      if (r.oldValue === 'running' || app.getAttribute('data-test-script-state') === 'running') window.__kbRan = true;
    }
  });
  window.__kbRunObserver.observe(app, {attributes: true, attributeFilter: ['data-test-script-state'], attributeOldValue: true});
  return window.__kbFrames || 0;
}"""
_RAN_JS = "(frames) => window.__kbRan === true || (window.__kbFrames || 0) > frames"
# Installed in the measuring context before the app loads: counts the messages the app's websocket receives.
_COUNT_FRAMES_JS = """(() => {
  const Native = window.WebSocket;
  window.__kbFrames = 0;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', () => { window.__kbFrames += 1; });
    }
  };
})();"""


@dataclass
class AppTimes:
    """Medians (seconds) for one app: per page cold open and sidebar switch, a filter change, a first visit."""

    app: str
    cold_open: dict[str, float] = field(default_factory=dict)
    switch: dict[str, float] = field(default_factory=dict)
    filter_change: float | None = None
    first_visit: float | None = None
    errors: list[str] = field(default_factory=list)
    """Pages that showed an exception box when opened (their times are of an error page)."""


@dataclass
class Target:
    """One target of the issue: what, the measured ratio, the limit, and whether it is met."""

    name: str
    ratio: float
    limit: float
    unit: str = "×"
    """How the figure is written: "×" for a ratio to the floor, "" for a count."""

    @property
    def ok(self) -> bool:
        """True when the ratio is within the limit."""
        return self.ratio <= self.limit


@dataclass
class BrowserBench:
    """Every app's times and the targets checked against the floor of the same run."""

    apps: list[AppTimes]
    targets: list[Target]
    bytecode: bool | None = None
    """Whether the libraries' Python bytecode was compiled (without it every server start compiles them)."""

    def as_dict(self) -> dict[str, object]:
        """JSON-friendly form (the `bench --browser --json` contract)."""
        return {
            "apps": [asdict(a) for a in self.apps],
            "bytecode": self.bytecode,
            "targets": [
                {**asdict(t), "ratio": round(t.ratio, 2) if math.isfinite(t.ratio) else None, "ok": t.ok}
                for t in self.targets
            ],
            "ok": all(t.ok for t in self.targets),
        }


def libraries_compiled(modules: tuple[str, ...] = ("pandas", "plotly", "streamlit")) -> bool:
    """True when the installed libraries carry compiled bytecode (`.pyc`), so a server start need not compile them."""
    import importlib
    import importlib.util

    return all(Path(importlib.util.cache_from_source(importlib.import_module(m).__file__)).exists() for m in modules)


def _wait_settled(page, timeout_ms: int = 60_000) -> float:
    """Wait until the page is settled (twice, 300 ms apart); the monotonic time it first was."""
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        page.wait_for_function(_SETTLED_JS, timeout=max(1, int((deadline - time.monotonic()) * 1000)), polling=20)
        at = time.monotonic()
        page.wait_for_timeout(300)
        if page.evaluate(_SETTLED_JS):
            return at
        if time.monotonic() > deadline:
            raise TimeoutError("the page did not settle")


def _after(page, action: Callable[[], None]) -> float:
    """Seconds from `action` (a click) until the rerun it causes has finished."""
    frames = page.evaluate(_WATCH_RUN_JS)
    start = time.monotonic()
    action()
    with contextlib.suppress(Exception):  # an action that causes no rerun: settled as it is
        page.wait_for_function(_RAN_JS, arg=frames, timeout=3_000, polling=10)
    return _wait_settled(page) - start


def _cold_open(browser, url: str, errors: list[str] | None = None) -> float:
    """Seconds from a new context's `goto` to settled; appends `url` to `errors` if the page shows an exception."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    try:
        page = context.new_page()
        start = time.monotonic()
        page.goto(url, wait_until="commit", timeout=120_000)
        seconds = _wait_settled(page) - start
        if errors is not None and page.locator('[data-testid="stException"]').count() and url not in errors:
            errors.append(url)
        return seconds
    finally:
        context.close()


def _nav_link(page, path: str, default: str):
    """The sidebar's link to `path`; the default page is served at "/", so its link is the first."""
    links = page.locator('[data-testid="stSidebarNav"] a')
    return links.first if path == default else page.locator(f'[data-testid="stSidebarNav"] a[href$="/{path}"]').first


def _filter_change(page, tries: int = 3) -> float | None:
    """Seconds for choosing the first option of the sidebar's last enabled multiselect; None if it never opened."""
    # The last list that can be opened: nationally the kecamatan list waits for a kabupaten/kota (disabled).
    box = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"] input:not([disabled])').last
    for _ in range(tries):
        try:
            box.scroll_into_view_if_needed(timeout=10_000)  # low in a tall sidebar its list would open below
            box.click(timeout=10_000)
            page.locator('[role="option"]').first.wait_for(state="visible", timeout=10_000)
        except Exception:  # a loaded machine can miss the click, a disabled box never opens: try again
            page.keyboard.press("Escape")
            continue
        page.keyboard.press("ArrowDown")
        seconds = _after(page, lambda: page.keyboard.press("Enter"))
        page.keyboard.press("Escape")
        page.mouse.click(683, 700)  # close the list: the next run opens it afresh
        return seconds
    return None


def _measure_app(browser, name: str, base: str, pages: list[str], repeat: int, log: Callable[[str], None]) -> AppTimes:
    from tests.browser.harness import page_url

    times = AppTimes(name)
    for path in pages:
        opened = [_cold_open(browser, page_url(base, path), times.errors) for _ in range(repeat)]
        times.cold_open[path] = statistics.median(opened)
        log(f"{name} cold {path}: {times.cold_open[path]:.2f} s")
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    context.add_init_script(_COUNT_FRAMES_JS)
    try:
        page = context.new_page()
        page.goto(page_url(base, pages[-1]), wait_until="commit", timeout=120_000)
        _wait_settled(page)
        for path in pages:
            runs = []
            for _ in range(repeat):
                other = pages[0] if path != pages[0] else pages[1]
                link = _nav_link(page, other, pages[0])
                if link.is_visible():
                    _after(page, link.click)
                else:  # a page without the sidebar (the Briefing): go back by address
                    page.goto(page_url(base, other), wait_until="commit", timeout=120_000)
                    _wait_settled(page)
                runs.append(_after(page, lambda p=path: _nav_link(page, p, pages[0]).click()))
            times.switch[path] = statistics.median(runs)
            log(f"{name} switch {path}: {times.switch[path]:.2f} s")
        runs = [run for _ in range(repeat) if (run := _filter_change(page)) is not None]
        times.filter_change = statistics.median(runs) if runs else None
        log(f"{name} filter: " + (f"{times.filter_change:.2f} s" if runs else "not measured (the list did not open)"))
    finally:
        context.close()
    return times


def national_store(workdir: Path, log: Callable[[str], None]) -> str:
    """A store holding the national demo in `workdir` (built once, then reused); its URL."""
    from kkmp.demo import write_demo_data
    from kkmp.sample import init_store
    from kkmp.store import Store

    db = workdir / "national.sqlite"
    url = f"sqlite:///{db}"
    if db.exists() and Store(url).latest_revision() >= 2:
        return url
    data = workdir / "national-data"
    log("writing the national demo…")
    write_demo_data(data, "national")
    db.unlink(missing_ok=True)
    start = time.monotonic()
    init_store(Store(url), wilayah_file=data / "wilayah.csv", sample_dir=data)
    log(f"init --from national: {time.monotonic() - start:.1f} s")
    return url


def run_browser_bench(
    national: bool = False, repeat: int = 3, workdir: Path | None = None, log: Callable[[str], None] = print
) -> BrowserBench:
    """Measure the floor app, the city sample and (with `national`) the national demo in one run."""
    from playwright.sync_api import sync_playwright

    from tests.browser.harness import StreamlitServer, find_chromium, free_port, launch_chromium, make_sample_store
    from ui.nav import PAGES

    workdir = Path(workdir or tempfile.mkdtemp(prefix="kkmp-browser-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    stores = {"city": make_sample_store(Path(tempfile.mkdtemp(dir=workdir)))}
    if national:
        stores["national"] = national_store(workdir, log)
    app_pages = [p.url_path for p in PAGES]
    apps: list[AppTimes] = []
    with sync_playwright() as pw:
        executable = find_chromium()
        if executable is None:
            raise RuntimeError("Chromium tidak ditemukan; pasang chromium atau set KKMP_CHROMIUM / Chromium not found")
        browser = launch_chromium(pw, executable)
        try:
            floor = StreamlitServer(stores["city"], free_port(), workdir / "floor.log", script=FLOOR_APP).start()
            try:
                apps.append(_measure_app(browser, "floor", floor.url, list(FLOOR_PAGES), repeat, log))
            finally:
                floor.stop()
            for name, url in stores.items():
                server = StreamlitServer(url, free_port(), workdir / f"{name}.log").start()
                try:
                    first = _cold_open(browser, server.url)
                    times = _measure_app(browser, name, server.url, app_pages, repeat, log)
                    times.first_visit = first
                    log(f"{name} first visit after start: {first:.2f} s")
                finally:
                    server.stop()
                apps.append(times)
        finally:
            browser.close()
    return BrowserBench(apps, check_browser_targets(apps), libraries_compiled())


def check_browser_targets(apps: list[AppTimes]) -> list[Target]:
    """The issue's targets as ratios to the floor (the first app) of the same run."""
    floor, rest = apps[0], {a.app: a for a in apps[1:]}
    floor_cold = statistics.median(floor.cold_open.values())
    floor_switch = statistics.median(floor.switch.values())
    out = []
    for app in rest.values():
        out += [Target(f"{app.app} cold {p}", s / floor_cold, COLD_OPEN_MAX) for p, s in app.cold_open.items()]
        out += [Target(f"{app.app} switch {p}", s / floor_switch, SWITCH_MAX) for p, s in app.switch.items()]
        out.append(Target(f"{app.app} pages showing an exception", len(app.errors), 0, unit=""))
        measured = app.filter_change is not None and floor.filter_change
        ratio = app.filter_change / floor.filter_change if measured else math.inf  # not measured: not met
        out.append(Target(f"{app.app} filter", ratio, FILTER_MAX))
    if "city" in rest and "national" in rest:
        city, nat = rest["city"], rest["national"]
        out += [
            Target(f"national/city cold {p}", nat.cold_open[p] / city.cold_open[p], NATIONAL_OVER_CITY_MAX)
            for p in nat.cold_open
        ]
        if nat.first_visit is not None:
            out.append(Target("national first visit", nat.first_visit / floor_cold, FIRST_VISIT_MAX))
    return out


def render_browser_table(bench: BrowserBench) -> str:
    """The bench as a Markdown table (seconds, and ratio to the floor) plus the targets."""
    floor = bench.apps[0]
    floor_cold = statistics.median(floor.cold_open.values())
    floor_switch = statistics.median(floor.switch.values())
    if bench.bytecode is not None:
        compiled = "compiled" if bench.bytecode else "NOT compiled: every server start compiled them"
        preamble = [f"Python bytecode of pandas, plotly, streamlit: {compiled}", ""]
    else:
        preamble = []
    lines = [*preamble, "| app | page | cold open s (× floor) | sidebar switch s (× floor) |", "|---|---|---|---|"]
    for app in bench.apps:
        for page, cold in app.cold_open.items():
            switch = app.switch.get(page)
            lines.append(
                f"| {app.app} | {page} | {cold:.2f} ({cold / floor_cold:.2f}×) | "
                + (f"{switch:.2f} ({switch / floor_switch:.2f}×) |" if switch is not None else "– |")
            )
    lines.append("")
    for app in bench.apps:
        extra = f", first visit after start {app.first_visit:.2f} s" if app.first_visit is not None else ""
        extra += f"; exception shown on {', '.join(app.errors)}" if app.errors else ""
        if app.filter_change is None:
            lines.append(f"- {app.app}: filter change not measured (the list did not open){extra}")
            continue
        ratio = app.filter_change / floor.filter_change if floor.filter_change else 0.0
        lines.append(f"- {app.app}: filter change {app.filter_change:.2f} s ({ratio:.2f}×){extra}")
    lines.append("")
    lines += [
        f"- {'OK  ' if t.ok else 'FAIL'} {t.name}: "
        + ((f"{t.ratio:.2f}" if t.unit else f"{t.ratio:g}") + t.unit if math.isfinite(t.ratio) else "not measured")
        + f" (≤ {t.limit:g}{t.unit})"
        for t in bench.targets
    ]
    return "\n".join(lines)
