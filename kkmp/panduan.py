"""The user guide (docs/panduan/): which guide page explains which app page, and its text split for display.

The guide is project text in Markdown, one file per task. The app page with url_path `X` is explained
by `docs/panduan/X.md`; `README.md` is the index and sets the order of the pages (the order of its
links). An English mirror may live in `docs/panduan/en/` with the same file names; a page missing
there falls back to the Indonesian one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

GUIDE_DIR = Path(__file__).resolve().parents[1] / "docs" / "panduan"
INDEX = "README"
"""Slug of the index page (docs/panduan/README.md, which GitHub also shows for the folder)."""

_LINK = re.compile(r"\]\((?!https?:|#|/)([\w-]+)\.md(#[\w-]*)?\)")
_IMAGE_LINE = re.compile(r"^!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]+)\)\s*$")


@dataclass(frozen=True)
class GuidePage:
    """One guide page: `slug` (file name without .md), `title` (its first heading) and `path`."""

    slug: str
    title: str
    path: Path


@dataclass(frozen=True)
class GuideImage:
    """A screenshot in a guide page: the image file and its alt text (shown as the caption)."""

    path: Path
    alt: str


def guide_dir(lang: str = "id", root: Path = GUIDE_DIR) -> Path:
    """The folder of the guide in `lang` (Indonesian, or the English mirror when it exists)."""
    mirror = root / lang
    return mirror if lang != "id" and mirror.is_dir() else root


def _title(path: Path) -> str:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return path.stem


def guide_pages(lang: str = "id", root: Path = GUIDE_DIR) -> list[GuidePage]:
    """Every guide page: the index first, then in the order the index links them, then any others."""
    folder = guide_dir(lang, root)
    files = {p.stem: p for p in sorted(root.glob("*.md"))}
    files.update({p.stem: p for p in sorted(folder.glob("*.md"))})
    if INDEX not in files:
        return [GuidePage(s, _title(p), p) for s, p in files.items()]
    linked = [m.group(1) for m in _LINK.finditer(files[INDEX].read_text(encoding="utf-8"))]
    order = [INDEX, *dict.fromkeys(s for s in linked if s in files and s != INDEX)]
    order += [s for s in files if s not in order]
    return [GuidePage(s, _title(files[s]), files[s]) for s in order]


def guide_slug_for_page(url_path: str, lang: str = "id", root: Path = GUIDE_DIR) -> str:
    """The guide page explaining the app page at `url_path`; the index when it has none."""
    slug = url_path.strip("/")
    return slug if slug and any(p.slug == slug for p in guide_pages(lang, root)) else INDEX


def guide_blocks(page: GuidePage) -> list[str | GuideImage]:
    """The page's Markdown in display order: text blocks, and a GuideImage for each line that is an image.

    Links to other guide pages (`peta.md`) become links to the app's Panduan page (`panduan?halaman=peta`).
    """
    blocks: list[str | GuideImage] = []
    text: list[str] = []
    for line in page.path.read_text(encoding="utf-8").splitlines():
        image = _IMAGE_LINE.match(line)
        if image is None:
            text.append(line)
            continue
        if "".join(text).strip():
            blocks.append(in_app_links("\n".join(text)))
        text = []
        blocks.append(GuideImage((page.path.parent / image["src"]).resolve(), image["alt"]))
    if "".join(text).strip():
        blocks.append(in_app_links("\n".join(text)))
    return blocks


def in_app_links(markdown: str) -> str:
    """Links between guide files rewritten to the Panduan page of the app (relative, so a URL prefix works)."""
    return _LINK.sub(lambda m: f"](panduan?halaman={m.group(1)})", markdown)


def image_references(page: GuidePage) -> list[Path]:
    """Every image file the page shows (inline or on a line of its own), resolved beside the page."""
    found = re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", page.path.read_text(encoding="utf-8"))
    return [(page.path.parent / src).resolve() for src in found if not src.startswith(("http:", "https:"))]
