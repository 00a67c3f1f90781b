"""Browser harness: a Streamlit server on a free port, headless Chromium, and what to look at on a page.

Used by the browser tests (tests/browser/) and by scripts/refresh_screenshots.py. Needs Playwright for
Python and the system's Chromium (Debian package `chromium`); Playwright's own browser download is not used.
"""

from __future__ import annotations

import contextlib
import io
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "screenshots"

CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser")

DESKTOP = {"width": 1366, "height": 768}
PROJECTOR = {"width": 1920, "height": 1080}
PHONE = {"width": 390, "height": 844}

SERVER_START_TIMEOUT = 60.0
RUN_TIMEOUT_MS = 45_000
DRAW_TIMEOUT_MS = 20_000

# A finished Streamlit page: the app is connected and its script is not running. Streamlit marks
# both on the stApp element (data-test-script-state, data-test-connection-state).
_IDLE_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app) return false;
  return app.getAttribute('data-test-connection-state') === 'CONNECTED'
    && app.getAttribute('data-test-script-state') === 'notRunning'
    && !document.querySelector('[data-testid="stSkeleton"]')
    && !document.querySelector('[data-testid="stSpinner"]');
}"""

_OVERFLOW_JS = """() => {
  const out = [];
  const doc = document.scrollingElement || document.documentElement;
  const boxes = [['document', doc]];
  for (const id of ['stMain', 'stAppViewContainer', 'stMainBlockContainer']) {
    const el = document.querySelector(`[data-testid="${id}"]`);
    if (el) boxes.push([id, el]);
  }
  for (const [name, el] of boxes) {
    const style = name === 'document' ? null : getComputedStyle(el);
    const scrolls = name === 'document' || ['auto', 'scroll'].includes(style.overflowX);
    if (scrolls && el.scrollWidth > el.clientWidth + 1) {
      out.push({box: name, scrollWidth: el.scrollWidth, clientWidth: el.clientWidth});
    }
  }
  return out;
}"""

_PLOTLY_JS = """() => [...document.querySelectorAll('.js-plotly-plot')].map((el, i) => {
  const r = el.getBoundingClientRect();
  return {
    index: i,
    width: Math.round(r.width),
    height: Math.round(r.height),
    svgs: el.querySelectorAll('svg.main-svg').length,
    marks: el.querySelectorAll(
      '.trace path, .trace .point, .barlayer .point, .pielayer .slice, .indicatorlayer path, '
      + '.indicatorlayer text, .scatterlayer path, .imagelayer image'
    ).length,
  };
})"""

_CONTENT_HEIGHT_JS = """() => {
  const main = document.querySelector('[data-testid="stMain"]') || document.querySelector('section.main');
  const side = document.querySelector('[data-testid="stSidebarContent"]');
  return Math.max(main ? main.scrollHeight : 0, side ? side.scrollHeight : 0,
                  document.scrollingElement.scrollHeight);
}"""


# --- Chromium --------------------------------------------------------------------------------------


def find_chromium() -> str | None:
    """Path of the system's Chromium, else None: `KKMP_CHROMIUM` when set (only it), else /usr/bin/chromium
    or `chromium` on PATH."""
    override = os.environ.get("KKMP_CHROMIUM")
    for candidate in (override,) if override else CHROMIUM_CANDIDATES:
        path = candidate if os.path.isabs(candidate) else shutil.which(candidate)
        if path and os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    return None


def launch_chromium(playwright, executable: str):
    """Headless Chromium from `executable` with the flags that work in a container without a GPU."""
    return playwright.chromium.launch(executable_path=executable, args=list(CHROMIUM_ARGS), headless=True)


# --- The Streamlit server ----------------------------------------------------------------------------


def free_port() -> int:
    """A TCP port on the loopback interface that nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_sample_store(directory: Path) -> str:
    """A store holding the region file and the sample, in `directory`; returns its URL."""
    from kkmp.sample import init_store
    from kkmp.store import Store

    url = f"sqlite:///{Path(directory) / 'kkmp.sqlite'}"
    store = Store(url)
    init_store(store, sample=True)
    store.dispose()
    return url


EDITOR_NAME = "penguji-browser"
EDITOR_PASSWORD = secrets.token_urlsafe(12)


def editor_env() -> dict[str, str]:
    """`KKMP_EDITORS` with one test editor (EDITOR_NAME/EDITOR_PASSWORD) when the app has editor sign-in."""
    try:
        from kkmp.auth import hash_password
    except ImportError:  # no sign-in in this version of the app
        return {}
    return {"KKMP_EDITORS": f"{EDITOR_NAME}:{hash_password(EDITOR_PASSWORD, n=2**14)}"}


@dataclass
class StreamlitServer:
    """`streamlit run app.py` in a subprocess against the store at `database_url`."""

    database_url: str
    port: int
    log_path: Path
    extra_env: Mapping[str, str] = field(default_factory=dict)
    process: subprocess.Popen | None = None
    visited: bool = False
    """True once a browser has opened a page (the server is no longer freshly started)."""
    script: Path = ROOT / "app.py"
    """The Streamlit script to run (the bench runs a bare floor app too)."""

    @property
    def url(self) -> str:
        """Base URL, with a trailing slash."""
        return f"http://127.0.0.1:{self.port}/"

    def start(self, timeout: float = SERVER_START_TIMEOUT) -> StreamlitServer:
        """Start the server and wait until /_stcore/health answers ok."""
        env = {
            **os.environ,
            "KKMP_DATABASE_URL": self.database_url,
            "KKMP_SAMPLE_ON_FIRST_RUN": "0",
            "KKMP_BASEMAP_ONLINE": "0",
            "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
            **self.extra_env,
        }
        cmd = [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(self.script),
            "--server.port",
            str(self.port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--server.fileWatcherType",
            "none",
            "--browser.gatherUsageStats",
            "false",
        ]
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"streamlit exited with {self.process.returncode}:\n{self.log()}")
            with (
                contextlib.suppress(OSError, urllib.error.URLError),
                urllib.request.urlopen(self.url + "_stcore/health", timeout=2) as r,
            ):
                if r.status == 200 and r.read().strip() == b"ok":
                    return self
            time.sleep(0.2)
        self.stop()
        raise TimeoutError(f"streamlit did not answer /_stcore/health within {timeout:.0f} s:\n{self.log()}")

    def stop(self) -> None:
        """Terminate the server (kill it if it does not stop within 10 s)."""
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)

    def log(self) -> str:
        """The server's output so far (for failure messages)."""
        try:
            return self.log_path.read_text(errors="replace")[-4000:]
        except OSError:
            return ""


@contextlib.contextmanager
def running_server(
    database_url: str, log_path: Path, extra_env: Mapping[str, str] | None = None
) -> Iterator[StreamlitServer]:
    """A started StreamlitServer, stopped on exit."""
    server = StreamlitServer(database_url, free_port(), log_path, dict(extra_env or {})).start()
    try:
        yield server
    finally:
        server.stop()


# --- Looking at a page -------------------------------------------------------------------------------


def route(url_path: str) -> str:
    """The path Streamlit serves a page at: the default (first) page of ui.nav.PAGES lives at "/"."""
    from ui.nav import PAGES

    return "" if PAGES and url_path.strip("/") == PAGES[0].url_path else url_path.strip("/")


def page_url(base_url: str, url_path: str = "", params: Mapping[str, str] | None = None) -> str:
    """URL of a page by its url_path (see `route`), with `?` query parameters."""
    url = base_url.rstrip("/") + "/" + route(url_path)
    return url + ("?" + urlencode(dict(params)) if params else "")


def wait_until_idle(page, timeout_ms: int = RUN_TIMEOUT_MS, settle_ms: int = 300) -> None:
    """Wait until Streamlit has finished running the script and nothing is loading, twice in a row."""
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        page.wait_for_function(_IDLE_JS, timeout=max(1, int((deadline - time.monotonic()) * 1000)))
        page.wait_for_timeout(settle_ms)
        if page.evaluate(_IDLE_JS):
            return
        if time.monotonic() > deadline:
            raise TimeoutError("Streamlit kept running")


def wait_for_rerun(page, start_timeout_ms: int = 5_000, timeout_ms: int = RUN_TIMEOUT_MS) -> None:
    """After a click or upload: wait for the rerun it causes to start (if it does), then to finish."""
    with contextlib.suppress(Exception):
        page.wait_for_function(
            """() => document.querySelector('[data-testid="stApp"]')
                ?.getAttribute('data-test-script-state') === 'running'""",
            timeout=start_timeout_ms,
            polling=50,
        )
    wait_until_idle(page, timeout_ms)


def open_page(
    context,
    base_url: str,
    url_path: str = "",
    params: Mapping[str, str] | None = None,
    *,
    viewport: Mapping[str, int] | None = None,
    timeout_ms: int = RUN_TIMEOUT_MS,
):
    """A new tab in `context` (at `viewport` if given) showing the page, after Streamlit finished running it."""
    page = context.new_page()
    if viewport:
        page.set_viewport_size(dict(viewport))
    page.goto(page_url(base_url, url_path, params), wait_until="domcontentloaded", timeout=timeout_ms)
    wait_until_idle(page, timeout_ms)
    return page


def exceptions(page) -> list[str]:
    """Text of every exception box Streamlit shows (`stException`)."""
    return [e.inner_text() for e in page.locator('[data-testid="stException"]').all()]


def dialogs(page) -> list[str]:
    """Text of every open dialog, e.g. Streamlit's "Page not found" for a URL no page answers to."""
    return [d.inner_text() for d in page.locator('[data-testid="stDialog"] [role="dialog"]').all() if d.is_visible()]


def has_shared_sidebar(page) -> bool:
    """True when the sidebar drawn by app.py (language switch) is there, i.e. app.py routed the page."""
    return page.locator('[data-testid="stSidebarUserContent"] .st-key-lang').count() == 1


def plotly_charts(page) -> list[dict]:
    """Every plotly chart on the page: size, number of SVG layers and of drawn marks."""
    return page.evaluate(_PLOTLY_JS)


def wait_for_plotly_drawn(page, timeout_ms: int = DRAW_TIMEOUT_MS) -> list[dict]:
    """Wait until every plotly chart has its SVG and at least one mark; return plotly_charts()."""
    with contextlib.suppress(Exception):
        page.wait_for_function(
            f"() => ({_PLOTLY_JS})().every(c => c.svgs > 0 && c.marks > 0 && c.width > 0 && c.height > 0)",
            timeout=timeout_ms,
        )
    return plotly_charts(page)


_DECK_CONTROLS_HIDDEN = (
    '[data-testid="stDeckGlJsonChart"] [class*="-ctrl"], [data-testid="stDeckGlJsonChart"] [class*="control-container"],'
    ' [data-testid="stDeckGlJsonChart"] .deck-tooltip { visibility: hidden !important; }'
)


def deck_canvases(page):
    """Locators of the deck.gl canvases (one per pydeck map) on the page."""
    return page.locator('[data-testid="stDeckGlJsonChart"] canvas#deckgl-overlay').all()


@dataclass(frozen=True)
class CanvasSample:
    """What a screenshot of a canvas holds: size, share of pixels not in the background colour, colours."""

    width: int
    height: int
    drawn_share: float
    colours: int

    @property
    def blank(self) -> bool:
        """True when (almost) every pixel is the background colour."""
        return self.width == 0 or self.height == 0 or self.drawn_share < 0.005 or self.colours < 2


def sample_pixels(png: bytes, tolerance: int = 8) -> CanvasSample:
    """Count the pixels of a PNG that differ from its most common colour by more than `tolerance`."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    image.thumbnail((400, 400))
    raw = image.tobytes()
    pixels = [tuple(raw[i : i + 3]) for i in range(0, len(raw), 3)]
    if not pixels:
        return CanvasSample(0, 0, 0.0, 0)
    background = Counter(pixels).most_common(1)[0][0]
    drawn = sum(1 for p in pixels if max(abs(a - b) for a, b in zip(p, background, strict=True)) > tolerance)
    quantised = {(r // 16, g // 16, b // 16) for r, g, b in pixels}
    return CanvasSample(image.width, image.height, drawn / len(pixels), len(quantised))


def canvas_screenshot(page, canvas) -> bytes | None:
    """PNG of a (WebGL) canvas's box without the deck controls over it (None when it has no size)."""
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    if not box or box["width"] < 1 or box["height"] < 1:
        return None
    # The zoom buttons and attribution sit over the canvas: hide them so that only what is drawn counts.
    return page.screenshot(clip=box, animations="disabled", style=_DECK_CONTROLS_HIDDEN)


def sample_canvas(page, canvas) -> CanvasSample:
    """Sample a (WebGL) canvas from a screenshot of its box; toDataURL may read back blank."""
    png = canvas_screenshot(page, canvas)
    return sample_pixels(png) if png is not None else CanvasSample(0, 0, 0.0, 0)


def wait_for_deck_drawn(page, timeout_ms: int = DRAW_TIMEOUT_MS) -> list[CanvasSample]:
    """Sample every deck canvas, retrying while any is blank (tiles and layers draw asynchronously)."""
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        samples = [sample_canvas(page, c) for c in deck_canvases(page)]
        if all(not s.blank for s in samples) or time.monotonic() > deadline:
            return samples
        page.wait_for_timeout(500)


def horizontal_overflow(page) -> list[dict]:
    """Boxes that scroll sideways (document, stMain, ...): scrollWidth wider than clientWidth."""
    return page.evaluate(_OVERFLOW_JS)


def content_height(page) -> int:
    """Height of everything on the page, including what Streamlit's own container scrolls."""
    return int(page.evaluate(_CONTENT_HEIGHT_JS))


def full_page_screenshot(page, path: Path, *, max_height: int = 6000) -> Path:
    """Screenshot of the whole page: the viewport is grown to the content's height, then restored."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    viewport = dict(page.viewport_size)
    height = min(max(content_height(page), viewport["height"]), max_height)
    if height > viewport["height"]:
        page.set_viewport_size({"width": viewport["width"], "height": height})
        page.wait_for_timeout(400)
        with contextlib.suppress(Exception):
            wait_until_idle(page, 10_000, settle_ms=100)
    page.screenshot(path=str(path), animations="disabled")
    if height > viewport["height"]:
        page.set_viewport_size(viewport)
    return path


def sidebar_multiselect_choose(page, key: str, option: str) -> None:
    """Pick `option` in the sidebar multiselect whose widget key is `key`, and wait for the rerun."""
    box = page.locator(f".st-key-{key} input").first
    box.scroll_into_view_if_needed()  # low in a tall sidebar its list would open below the window
    box.click()
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")
    wait_for_rerun(page)


def metric_value(page, card_key: str) -> str:
    """The value shown by the st.metric inside the container with key `card_key`."""
    return page.locator(f'.st-key-{card_key} [data-testid="stMetricValue"]').inner_text().strip()


def sign_in(page, name: str = EDITOR_NAME, password: str = EDITOR_PASSWORD) -> bool:
    """Fill and send the editor sign-in form when the page shows one; True when a form was sent."""
    password_box = page.locator('[data-testid="stForm"] input[type="password"]').first
    if password_box.count() == 0 or not password_box.is_visible():
        return False
    form = page.locator('[data-testid="stForm"]').filter(has=page.locator('input[type="password"]')).first
    form.locator('input[type="text"], input:not([type])').first.fill(name)
    password_box.fill(password)
    form.locator('[data-testid="stFormSubmitButton"] button').first.click()
    wait_for_rerun(page)
    page.locator('[data-testid="stForm"] input[type="password"]').first.wait_for(
        state="detached", timeout=RUN_TIMEOUT_MS
    )
    wait_until_idle(page)
    return True


def visible_tables(page) -> int:
    """How many dataframes and tables are visible (not in a closed tab or expander)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('[data-testid="stDataFrame"], [data-testid="stTable"]')]
            .filter(e => e.offsetParent !== null && e.getBoundingClientRect().height > 0).length"""
    )
