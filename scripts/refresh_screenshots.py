"""Refresh the screenshots of the README and the guide: the pages on the sample data, in headless Chromium.

With no option it writes both sets, with the same harness as the browser tests (tests/browser/harness.py):
- docs/screenshots/<url_path>.png at 1366×768 for every page of ui.nav.PAGES, ringkasan-phone.png and
  briefing-phone.png at 390×844;
- docs/panduan/img/<name>.png, the screenshots the guide (docs/panduan/*.md) shows: GUIDE_SHOTS below,
  some after a step (signing in, uploading a file), stored as 256-colour PNGs to stay small.

    python scripts/refresh_screenshots.py [--out DIR] [--full] [--lang en] [--readme | --panduan] [PAGE ...]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.browser.harness import (  # noqa: E402
    DESKTOP,
    PHONE,
    editor_env,
    exceptions,
    find_chromium,
    full_page_screenshot,
    launch_chromium,
    make_sample_store,
    open_page,
    running_server,
    sign_in,
    wait_for_deck_drawn,
    wait_for_plotly_drawn,
    wait_for_rerun,
    wait_until_idle,
)
from ui.nav import PAGES  # noqa: E402

PHONE_PAGES = ("ringkasan", "briefing")  # also shot at 390×844
GUIDE_IMG = ROOT / "docs" / "panduan" / "img"
GUIDE_VIEWPORT = {"width": 1280, "height": 800}
SAMPLE_DIR = ROOT / "data" / "sample"


def _upload(page, path: Path) -> None:
    """Sign in when asked, then give `path` to the Unggah page's file input and wait for the report."""
    sign_in(page)
    page.locator('[data-testid="stFileUploader"] input[type="file"]').first.set_input_files(str(path))
    wait_for_rerun(page)
    page.wait_for_timeout(500)
    wait_until_idle(page)


def _weekly_report(folder: Path, *, broken: bool) -> Path:
    """This week's progress rows of the sample builds, as staff send them; `broken` adds two mistakes."""
    lines = (SAMPLE_DIR / "progres.csv").read_text(encoding="utf-8").splitlines()
    header, rows = lines[0].split(","), [r.split(",") for r in lines[1:]]
    col = {name: i for i, name in enumerate(header)}
    latest: dict[str, list[str]] = {}
    for row in rows:
        latest[row[col["id_pembangunan"]]] = row
    out = []
    for row in latest.values():
        new = list(row)
        new[col["minggu_ke"]] = str(int(row[col["minggu_ke"]]) + 1)
        week_later = dt.date.fromisoformat(row[col["tanggal_laporan"]]) + dt.timedelta(days=7)
        new[col["tanggal_laporan"]] = week_later.isoformat()
        new[col["rencana_persen"]] = f"{min(100.0, float(row[col['rencana_persen']]) + 8):.1f}"
        new[col["realisasi_persen"]] = f"{min(100.0, float(row[col['realisasi_persen']]) + 6):.1f}"
        out.append(new)
    if broken:
        out[0][col["realisasi_persen"]] = "150"
        out[1][col["id_pembangunan"]] = "PB-2025-99"
    path = folder / ("progres-salah.csv" if broken else "progres-minggu-ini.csv")
    path.write_text("\n".join(",".join(r) for r in [header, *out]) + "\n", encoding="utf-8")
    return path


@dataclass(frozen=True)
class GuideShot:
    """One guide screenshot: docs/panduan/img/<name>.png of the page at `url_path` after `prepare`."""

    name: str
    url_path: str
    params: dict[str, str] = field(default_factory=dict)
    viewport: dict[str, int] = field(default_factory=lambda: dict(GUIDE_VIEWPORT))
    full: bool = False
    prepare: Callable | None = None
    """Called with (page, temporary folder) once the page is shown: sign in, upload, click."""


def _click(label: str) -> Callable:
    def prepare(page, folder: Path) -> None:
        page.get_by_role("button", name=label).first.click()
        wait_for_rerun(page)

    return prepare


def _scroll_to(text: str) -> Callable:
    def prepare(page, folder: Path) -> None:
        page.get_by_text(text, exact=False).first.scroll_into_view_if_needed()
        page.wait_for_timeout(400)

    return prepare


NATIONAL_FIXTURES = ("nasional-lahan-balikpapan.csv", "nasional-statistik-balikpapan.csv")


def _with_national_exports(page, folder: Path) -> None:
    """Import the two national exports (tests/fixtures) into the shots' store, as the guide says, and reload."""
    from kkmp.cli import main as kkmp_cli

    files = [str(ROOT / "tests" / "fixtures" / name) for name in NATIONAL_FIXTURES]
    url = f"sqlite:///{folder / 'kkmp.sqlite'}"
    if kkmp_cli(["--db", url, "import", *files, "--posisi-per", "2025-11-30", "--yakin"]) != 0:
        raise SystemExit("rekonsiliasi: the national exports did not import; screenshot not written")
    page.reload()
    wait_until_idle(page)


GUIDE_SHOTS: tuple[GuideShot, ...] = (
    GuideShot("ringkasan", "ringkasan"),
    GuideShot("ringkasan-ponsel", "ringkasan", viewport=dict(PHONE)),
    GuideShot("peta", "peta"),
    GuideShot("peta-profil", "peta", {"kelurahan": "64.71.05.1008"}, full=True),
    GuideShot("pembangunan", "pembangunan"),
    GuideShot("pembangunan-kurva-s", "pembangunan", full=True),
    GuideShot("usaha", "usaha"),
    GuideShot("rat", "rat", full=True),
    GuideShot("unggah", "unggah", prepare=lambda page, folder: sign_in(page)),
    GuideShot(
        "unggah-galat",
        "unggah",
        full=True,
        prepare=lambda page, folder: _upload(page, _weekly_report(folder, broken=True)),
    ),
    GuideShot(
        "unggah-pratinjau",
        "unggah",
        full=True,
        prepare=lambda page, folder: _upload(page, _weekly_report(folder, broken=False)),
    ),
    GuideShot("riwayat", "riwayat", full=True),
    GuideShot("briefing", "briefing", viewport={"width": 1280, "height": 720}),
    GuideShot("panduan", "panduan", {"halaman": "pembangunan"}),
    # last: it adds the national exports to the store the other shots show
    GuideShot("rekonsiliasi", "rekonsiliasi", prepare=_with_national_exports),
)
"""Every screenshot the guide shows; tests/test_panduan.py checks that each one a guide page names is here."""

MAX_SHOT_HEIGHT = 2400


def small_png(path: Path) -> None:
    """Rewrite the PNG at `path` with a 256-colour palette (a screenshot of flat UI loses nothing visible)."""
    from PIL import Image

    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    small.save(path, optimize=True)


def shoot_guide(context, base_url: str, shot: GuideShot, folder: Path, out: Path) -> Path:
    """Open the page, do the shot's steps, and write out/<name>.png (fails on an exception box)."""
    page = open_page(context, base_url, shot.url_path, shot.params, viewport=shot.viewport)
    wait_for_plotly_drawn(page)
    wait_for_deck_drawn(page)
    if shot.prepare is not None:
        shot.prepare(page, folder)
        wait_for_plotly_drawn(page)
    errors = exceptions(page)
    if errors:
        raise SystemExit(f"{shot.name}: the page shows an exception, screenshot not written:\n{errors[0]}")
    path = out / f"{shot.name}.png"
    if shot.full:
        full_page_screenshot(page, path, max_height=MAX_SHOT_HEIGHT)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(path), animations="disabled")
    small_png(path)
    page.close()
    print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path} ({path.stat().st_size // 1024} KB)")
    return path


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
    """Start the app on the sample in a temporary store and write the README and guide screenshots."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="*", help="url_path of the pages (README) or names of the shots (guide)")
    parser.add_argument("--out", type=Path, help="output folder (default: docs/screenshots, docs/panduan/img)")
    parser.add_argument("--full", action="store_true", help="README: the whole page height, not just the first screen")
    parser.add_argument("--lang", choices=("id", "en"), default="id", help="README: language of the pages")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--readme", action="store_true", help="only the README screenshots")
    which.add_argument("--panduan", action="store_true", help="only the guide screenshots")
    args = parser.parse_args(argv)

    readme, guide = not args.panduan, not args.readme
    known = {p.url_path for p in PAGES} if readme else set()
    known |= {s.name for s in GUIDE_SHOTS} if guide else set()
    unknown = set(args.pages) - known
    if unknown:
        parser.error(f"unknown page(s) {', '.join(sorted(unknown))}; choose from {', '.join(sorted(known))}")
    chromium = find_chromium()
    if chromium is None:
        parser.error("Chromium not found at /usr/bin/chromium or on PATH; install it (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    wanted = [p for p in PAGES if readme and (not args.pages or p.url_path in args.pages)]
    shots = [s for s in GUIDE_SHOTS if guide and (not args.pages or s.name in args.pages)]
    params = {"lang": "en"} if args.lang == "en" else {}
    suffix = "-en" if args.lang == "en" else ""
    with tempfile.TemporaryDirectory(prefix="kkmp-shots-") as tmp:
        url = make_sample_store(Path(tmp))
        env = editor_env()
        with running_server(url, Path(tmp) / "server.log", env) as server, sync_playwright() as pw:
            browser = launch_chromium(pw, chromium)
            context = browser.new_context(viewport=DESKTOP, locale="id-ID", device_scale_factor=1)
            open_page(context, server.url, "").close()  # the entry page first, as a visitor would
            for spec in wanted:
                out = (args.out or ROOT / "docs" / "screenshots") / f"{spec.url_path}{suffix}.png"
                _shoot(context, server.url, spec.url_path, DESKTOP, out, params, args.full)
                if spec.url_path in PHONE_PAGES:
                    out = (args.out or ROOT / "docs" / "screenshots") / f"{spec.url_path}-phone{suffix}.png"
                    _shoot(context, server.url, spec.url_path, PHONE, out, params, args.full)
            for shot in shots:  # a fresh context each: a sign-in or an upload does not carry over
                shot_context = browser.new_context(viewport=shot.viewport, locale="id-ID", device_scale_factor=1)
                shoot_guide(shot_context, server.url, shot, Path(tmp), args.out or GUIDE_IMG)
                shot_context.close()
            browser.close()
    if shots:
        total = sum(p.stat().st_size for p in (args.out or GUIDE_IMG).glob("*.png"))
        print(f"guide screenshots: {len(shots)} written, folder total {total / 1024:.0f} KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
