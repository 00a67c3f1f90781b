"""The guide (docs/panduan/): a page for every app page, every screenshot present, the admin commands parse."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from kkmp.cli import build_parser
from kkmp.panduan import (
    GUIDE_DIR,
    INDEX,
    GuideImage,
    guide_blocks,
    guide_pages,
    guide_slug_for_page,
    image_references,
    in_app_links,
)
from scripts.refresh_screenshots import GUIDE_IMG, GUIDE_SHOTS
from ui.nav import PAGES

PAGES_BY_SLUG = {p.slug: p for p in guide_pages()}
ADMIN = GUIDE_DIR / "administrator.md"
_KKMP_COMMAND = re.compile(r"-m kkmp((?: [^\n#]*)?)")
_FENCE = re.compile(r"```[a-z]*\n(.*?)```", re.S)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.url_path)
def test_every_registered_page_has_a_guide_page(page):
    slug = guide_slug_for_page(page.url_path)
    expected = INDEX if page.url_path == "panduan" else page.url_path
    assert slug == expected, f"docs/panduan/{page.url_path}.md is missing: every page of ui.nav.PAGES needs one"


def test_the_index_links_every_guide_page():
    index = (GUIDE_DIR / f"{INDEX}.md").read_text(encoding="utf-8")
    unlinked = [s for s in PAGES_BY_SLUG if s != INDEX and f"({s}.md)" not in index]
    assert not unlinked, f"docs/panduan/README.md does not link {unlinked}"


@pytest.mark.parametrize("slug", sorted(PAGES_BY_SLUG))
def test_every_screenshot_a_guide_page_names_exists(slug):
    missing = [p.name for p in image_references(PAGES_BY_SLUG[slug]) if not p.is_file()]
    assert not missing, f"{slug}.md names screenshots that do not exist: {missing}"


def test_every_guide_screenshot_is_made_by_the_refresh_script():
    named = {p for page in PAGES_BY_SLUG.values() for p in image_references(page) if p.parent == GUIDE_IMG}
    made = {GUIDE_IMG / f"{s.name}.png" for s in GUIDE_SHOTS}
    assert named <= made, f"not refreshed by scripts/refresh_screenshots.py: {sorted(p.name for p in named - made)}"


@pytest.mark.parametrize("slug", sorted(PAGES_BY_SLUG))
def test_links_between_guide_pages_lead_to_a_guide_page(slug):
    text = PAGES_BY_SLUG[slug].path.read_text(encoding="utf-8")
    targets = re.findall(r"\]\(([\w-]+)\.md(?:#[\w-]*)?\)", text)
    assert all(t in PAGES_BY_SLUG for t in targets), f"{slug}.md links a missing page: {targets}"


def _kkmp_commands(path: Path) -> list[list[str]]:
    """Every `python -m kkmp ...` a guide page shows (in code blocks and inline code), as arguments."""
    text = path.read_text(encoding="utf-8")
    snippets = [line for block in _FENCE.findall(text) for line in block.splitlines()]
    snippets += re.findall(r"`([^`\n]*-m kkmp[^`\n]*)`", _FENCE.sub("", text))
    commands = []
    for line in snippets:
        match = _KKMP_COMMAND.search(line)
        if match:
            args = re.sub(r"\$\([^)]*\)", "X", match.group(1))  # a shell substitution is one word
            commands.append(shlex.split(args.split("&&")[0]))
    return commands


def _admin_commands() -> list[list[str]]:
    return _kkmp_commands(ADMIN)


def _guide_commands() -> list[list[str]]:
    """The commands of every guide page, each once."""
    seen = {tuple(c): c for page in PAGES_BY_SLUG.values() for c in _kkmp_commands(page.path)}
    return list(seen.values())


def test_the_administrator_guide_shows_commands():
    assert len(_admin_commands()) >= 6


@pytest.mark.parametrize("args", _guide_commands(), ids=lambda a: " ".join(a))
def test_each_command_in_the_guide_parses(args):
    parser = build_parser()
    if args[0].startswith("-"):  # `python -m kkmp --help`
        with pytest.raises(SystemExit) as top_exit:
            parser.parse_args(args)
        assert top_exit.value.code == 0
        return
    with pytest.raises(SystemExit) as help_exit:  # the command's own --help, as the brief asks
        parser.parse_args([args[0], "--help"])
    assert help_exit.value.code == 0
    parsed = parser.parse_args(args)  # and the command as shown, with its options
    assert parsed.command == args[0]


def test_in_app_links_point_to_the_panduan_page():
    assert in_app_links("lihat [Peta](peta.md) dan [x](rat.md#batas)") == (
        "lihat [Peta](panduan?halaman=peta) dan [x](panduan?halaman=rat)"
    )


def test_in_app_links_leave_web_and_other_links_alone():
    text = "[a](https://example.org/x.md) [b](../glossary.md) [c](#bagian)"
    assert in_app_links(text) == text


def test_guide_blocks_split_text_and_images(tmp_path):
    page_file = tmp_path / "peta.md"
    page_file.write_text("# Peta\n\nTeks [Rat](rat.md).\n\n![Gambar peta](img/peta.png)\n\nLagi.\n", encoding="utf-8")
    page = guide_pages(root=tmp_path)[0]
    blocks = guide_blocks(page)
    assert blocks[0] == "# Peta\n\nTeks [Rat](panduan?halaman=rat).\n"
    assert blocks[1] == GuideImage((tmp_path / "img" / "peta.png").resolve(), "Gambar peta")
    assert blocks[2].strip() == "Lagi."


def test_guide_pages_follow_the_order_of_the_index(tmp_path):
    for name, title in (("README", "Indeks"), ("a", "A"), ("b", "B"), ("c", "C")):
        (tmp_path / f"{name}.md").write_text(f"# {title}\n", encoding="utf-8")
    (tmp_path / "README.md").write_text("# Indeks\n\n[B](b.md) [A](a.md)\n", encoding="utf-8")
    assert [(p.slug, p.title) for p in guide_pages(root=tmp_path)] == [
        ("README", "Indeks"),
        ("b", "B"),
        ("a", "A"),
        ("c", "C"),
    ]


def test_a_page_without_a_guide_page_gets_the_index(tmp_path):
    (tmp_path / "README.md").write_text("# Indeks\n", encoding="utf-8")
    (tmp_path / "peta.md").write_text("# Peta\n", encoding="utf-8")
    assert guide_slug_for_page("peta", root=tmp_path) == "peta"
    assert guide_slug_for_page("usaha", root=tmp_path) == INDEX


def test_an_english_mirror_page_replaces_the_indonesian_one(tmp_path):
    (tmp_path / "README.md").write_text("# Panduan\n", encoding="utf-8")
    (tmp_path / "peta.md").write_text("# Peta\n", encoding="utf-8")
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "peta.md").write_text("# Map\n", encoding="utf-8")
    titles = {p.slug: p.title for p in guide_pages("en", root=tmp_path)}
    assert titles == {"README": "Panduan", "peta": "Map"}


def test_guide_images_stay_small():
    sizes = {p.name: p.stat().st_size for p in Path(GUIDE_IMG).glob("*.png")}
    assert sum(sizes.values()) < 2_000_000, f"docs/panduan/img holds {sum(sizes.values())} bytes: {sizes}"
