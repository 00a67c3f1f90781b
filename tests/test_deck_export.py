"""Static export of the Briefing: slide images, the PDF, the Chromium check and the CLI."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from pypdf import PdfReader

from kkmp import deck_export
from kkmp.briefing import SLIDE_KEYS, build_deck, default_baseline
from kkmp.cli import main
from kkmp.settings import Settings

CHROMIUM = deck_export.find_chromium()
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="no Chromium on this machine: kaleido cannot draw plotly figures (CI has one)"
)


@pytest.fixture(scope="module")
def deck(sample_snapshot):
    return build_deck(sample_snapshot, Settings(), "id")


class FakeRenderer:
    """Stands in for kaleido: a solid image of the asked size, and a log of the sizes asked."""

    def __init__(self) -> None:
        self.sizes: list[tuple[int, int]] = []

    def __call__(self, fig, width: int, height: int) -> bytes:
        self.sizes.append((width, height))
        buf = io.BytesIO()
        Image.new("RGB", (width, height), (200, 30, 30)).save(buf, "PNG")
        return buf.getvalue()


@pytest.mark.parametrize("index", range(6))
def test_each_slide_renders_at_1920x1080(deck, index):
    renderer = FakeRenderer()
    img = deck_export.render_slide(deck[index], index + 1, len(deck), "id", "dark", renderer)
    assert img.size == (1920, 1080)
    assert len(renderer.sizes) == len(deck[index].figures)
    for w, h in renderer.sizes:
        assert 300 <= w <= 1920 - 2 * deck_export.MARGIN and 300 <= h <= 1080


def test_figures_land_inside_the_slide(deck):
    img = deck_export.render_slide(deck[0], 1, 6, "id", "light", FakeRenderer())
    red = dict((c, n) for n, c in img.getcolors(maxcolors=1_000_000)).get((200, 30, 30), 0)
    assert red > 0.2 * 1920 * 1080


def test_slide_with_figures_needs_a_renderer(deck):
    with pytest.raises(deck_export.ChromiumMissingError, match="Chromium"):
        deck_export.render_slide(deck[0], 1, 6, "id", "dark", None)


def test_pdf_has_one_16_9_page_per_image():
    images = [Image.new("RGB", (1920, 1080), c) for c in ("white", "black", "orange")]
    reader = PdfReader(io.BytesIO(deck_export.pdf_bytes(images)))
    assert len(reader.pages) == 3
    for page in reader.pages:
        assert float(page.mediabox.width) / float(page.mediabox.height) == pytest.approx(16 / 9)


def test_find_chromium_honours_the_setting(monkeypatch, tmp_path):
    monkeypatch.setenv("KKMP_CHROMIUM", str(tmp_path / "nope"))
    assert deck_export.find_chromium() is None
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    monkeypatch.setenv("KKMP_CHROMIUM", str(fake))
    assert deck_export.find_chromium() == str(fake)


def test_export_without_chromium_says_what_to_do(deck, monkeypatch, tmp_path):
    monkeypatch.setenv("KKMP_CHROMIUM", str(tmp_path / "nope"))
    with pytest.raises(deck_export.ChromiumMissingError, match="KKMP_CHROMIUM"):
        deck_export.export_deck(deck, "id", "dark")


def test_cli_without_chromium_exits_1_with_message(sample_store, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("KKMP_CHROMIUM", str(tmp_path / "nope"))
    assert main(["--db", sample_store.url, "briefing", "--pdf", str(tmp_path / "d.pdf")]) == 1
    assert "Chromium" in capsys.readouterr().err
    assert not (tmp_path / "d.pdf").exists()


def test_cli_needs_an_output(sample_store, capsys):
    assert main(["--db", sample_store.url, "briefing"]) == 2
    assert "--pdf" in capsys.readouterr().err


@needs_chromium
def test_cli_writes_pdf_and_pngs_of_the_sample(sample_store, tmp_path):
    pdf, pngs = tmp_path / "briefing.pdf", tmp_path / "png"
    assert main(["--db", sample_store.url, "briefing", "--pdf", str(pdf), "--png-dir", str(pngs)]) == 0
    reader = PdfReader(pdf)
    assert len(reader.pages) == len(SLIDE_KEYS)
    for page in reader.pages:
        assert float(page.mediabox.width) / float(page.mediabox.height) == pytest.approx(16 / 9)
    files = sorted(pngs.glob("slide-*.png"))
    assert files[0].name == "slide-01-angka.png"
    assert len(files) == len(SLIDE_KEYS)
    for f in files:
        with Image.open(f) as im:
            assert im.size == (1920, 1080)


@needs_chromium
def test_real_export_draws_the_charts(sample_store):
    snap = sample_store.snapshot()
    slides = build_deck(snap, Settings(), "en", theme="light", baseline=default_baseline(sample_store, snap))
    files = deck_export.export_deck(slides[:1], "en", "light")
    with Image.open(io.BytesIO(files.pngs[0])) as im:
        assert im.size == (1920, 1080)
        colours = im.convert("RGB").getcolors(maxcolors=1_000_000)
    # the kecamatan chart's bars in the Okabe-Ito grey and orange are on the page
    present = {c for _, c in colours}
    assert (0x9E, 0x9E, 0x9E) in present
    assert (0xE6, 0x9F, 0x00) in present
