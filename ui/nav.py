"""The pages of the dashboard, in navigation order. Every file in pages/ is listed here."""

from __future__ import annotations

from dataclasses import dataclass

EXPECTATIONS = frozenset({"plotly", "deck"})
"""What a page can declare it must show; the browser tests check each one (tests/browser/test_pages.py)."""


@dataclass(frozen=True)
class PageSpec:
    """One page: its script, title text key, icon, URL path, and what it must draw (`expects`).

    `expects` names elements the page must show and the browser tests must see drawn:
    "plotly" (at least one plotly chart with SVG marks), "deck" (at least one non-blank pydeck map).
    """

    path: str
    title_key: str
    icon: str
    url_path: str
    expects: tuple[str, ...] = ()


PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/ringkasan.py", "nav.ringkasan", ":material/dashboard:", "ringkasan", expects=("plotly",)),
    PageSpec("pages/peta.py", "nav.peta", ":material/map:", "peta", expects=("deck",)),
    PageSpec("pages/pembangunan.py", "nav.pembangunan", ":material/construction:", "pembangunan", expects=("plotly",)),
    PageSpec("pages/rat.py", "nav.rat", ":material/how_to_vote:", "rat", expects=("plotly",)),
    PageSpec("pages/usaha.py", "nav.usaha", ":material/storefront:", "usaha", expects=("plotly",)),
    PageSpec("pages/rekonsiliasi.py", "nav.rekonsiliasi", ":material/compare_arrows:", "rekonsiliasi"),
    PageSpec("pages/unggah.py", "nav.unggah", ":material/upload_file:", "unggah"),
    PageSpec("pages/riwayat.py", "nav.riwayat", ":material/history:", "riwayat"),
    PageSpec("pages/briefing.py", "nav.briefing", ":material/slideshow:", "briefing", expects=("plotly",)),
    PageSpec("pages/panduan.py", "nav.panduan", ":material/menu_book:", "panduan"),
)
