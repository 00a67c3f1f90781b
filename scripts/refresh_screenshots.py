"""Refresh the README screenshots: every page of ui.nav.PAGES on the sample data, in headless Chromium.

Writes docs/screenshots/<url_path>.png at 1366×768 and ringkasan-phone.png, briefing-phone.png at 390×844, with the same
harness as the browser tests (tests/browser/harness.py). Run from anywhere:

    python scripts/refresh_screenshots.py [--out DIR] [--full] [--lang en] [PAGE ...]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.browser.harness import (  # noqa: E402
    DESKTOP,
    PHONE,
    exceptions,
    find_chromium,
    full_page_screenshot,
    launch_chromium,
    make_sample_store,
    open_page,
    running_server,
    wait_for_deck_drawn,
    wait_for_plotly_drawn,
)
from ui.nav import PAGES  # noqa: E402

PHONE_PAGES = ("ringkasan", "briefing")  # also shot at 390×844


def _shoot(context, base_url: str, url_path: str, viewport: dict, path: Path, params: dict, full: bool) -> None:
    page = open_page(context, base_url, url_path, params, viewport=viewport)
    wait_for_plotly_drawn(page)
    wait_for_deck_drawn(page)
    errors = exceptions(page)
    if errors:
        raise SystemExit(f"{url_path}: the page shows an exception, screenshot not written:\n{errors[0]}")
    path.parent.mkdir(parents=True, exist_ok=True)
    if full:
        full_page_screenshot(page, path)
    else:
        page.screenshot(path=str(path), animations="disabled")
    page.close()
    print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


def main(argv: list[str] | None = None) -> int:
    """Start the app on the sample in a temporary store and write one screenshot per page."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="*", help="url_path of the pages to shoot (default: all)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots", help="output folder")
    parser.add_argument("--full", action="store_true", help="the whole page height, not just the first screen")
    parser.add_argument("--lang", choices=("id", "en"), default="id", help="language of the pages")
    args = parser.parse_args(argv)

    known = {p.url_path for p in PAGES}
    unknown = set(args.pages) - known
    if unknown:
        parser.error(f"unknown page(s) {', '.join(sorted(unknown))}; choose from {', '.join(sorted(known))}")
    chromium = find_chromium()
    if chromium is None:
        parser.error("Chromium not found at /usr/bin/chromium or on PATH; install it (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    wanted = [p for p in PAGES if not args.pages or p.url_path in args.pages]
    params = {"lang": "en"} if args.lang == "en" else {}
    suffix = "-en" if args.lang == "en" else ""
    with tempfile.TemporaryDirectory(prefix="kkmp-shots-") as tmp:
        url = make_sample_store(Path(tmp))
        with running_server(url, Path(tmp) / "server.log") as server, sync_playwright() as pw:
            browser = launch_chromium(pw, chromium)
            context = browser.new_context(viewport=DESKTOP, locale="id-ID", device_scale_factor=1)
            open_page(context, server.url, "").close()  # the entry page first, as a visitor would
            for spec in wanted:
                out = args.out / f"{spec.url_path}{suffix}.png"
                _shoot(context, server.url, spec.url_path, DESKTOP, out, params, args.full)
                if spec.url_path in PHONE_PAGES:
                    out = args.out / f"{spec.url_path}-phone{suffix}.png"
                    _shoot(context, server.url, spec.url_path, PHONE, out, params, args.full)
            browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
