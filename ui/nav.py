"""The pages of the dashboard, in navigation order. Every file in pages/ is listed here."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    """One page: its script, the text key of its title, its icon and URL path."""

    path: str
    title_key: str
    icon: str
    url_path: str


PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/ringkasan.py", "nav.ringkasan", ":material/dashboard:", "ringkasan"),
    PageSpec("pages/unggah.py", "nav.unggah", ":material/upload_file:", "unggah"),
    PageSpec("pages/riwayat.py", "nav.riwayat", ":material/history:", "riwayat"),
)
