"""The Briefing deck as static files: one 1920×1080 PNG per slide, and one 16:9 PDF of them all.

Plotly figures are drawn by kaleido with the system's Chromium (no network: no MathJax, no map
tiles); the titles, numbers and footers are drawn with Pillow. Without a Chromium the exporter
raises `ChromiumMissingError`, which says what to install.
"""

from __future__ import annotations

import io
import os
import shutil
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import plotly.graph_objects as go
from PIL import Image, ImageDraw, ImageFont

from kkmp.briefing import Slide
from kkmp.charts.briefing import BODY_SIZE, HEADLINE_SIZE, LABEL_SIZE, MIN_TEXT, TITLE_SIZE, Theme, get_theme
from kkmp.i18n import t
from kkmp.palette import OKABE_ITO

WIDTH, HEIGHT = 1920, 1080
PDF_DPI = 144  # 1920×1080 px → 13.33 × 7.5 in, the usual 16:9 slide size
MARGIN = 64
HEADER_H = 150
FOOTER_H = 110
GAP = 32
SIDE_W = 600
SIDE_W_PAIR = 420
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
FONT_FILES = {
    False: (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/usr/share/fonts/TTF/DejaVuSans.ttf",
    ),
    True: (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
        "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf",
    ),
}
_LOCK = threading.Lock()

FigureRenderer = Callable[[go.Figure, int, int], bytes]


class ChromiumMissingError(RuntimeError):
    """No Chromium/Chrome was found, so plotly figures cannot be drawn as images."""


def find_chromium() -> str | None:
    """The Chromium to draw with: `KKMP_CHROMIUM`, `BROWSER_PATH`, else the first on PATH."""
    for var in ("KKMP_CHROMIUM", "BROWSER_PATH"):
        path = os.environ.get(var)
        if path:
            return path if os.access(path, os.X_OK) else None
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


@dataclass
class KaleidoRenderer:
    """Draws plotly figures with one Chromium kept open for a batch (use as a context manager)."""

    path: str

    def __enter__(self) -> KaleidoRenderer:
        import kaleido

        kaleido.start_sync_server(path=self.path, mathjax=False, silence_warnings=True)
        return self

    def __exit__(self, *exc: object) -> None:
        import kaleido

        kaleido.stop_sync_server(silence_warnings=True)

    def __call__(self, fig: go.Figure, width: int, height: int) -> bytes:
        """The figure as PNG bytes of exactly width × height pixels."""
        import kaleido

        opts = {"format": "png", "width": width, "height": height, "scale": 1}
        return kaleido.calc_fig_sync(fig.to_dict(), opts=opts)


@lru_cache(maxsize=32)
def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    for path in FONT_FILES[bold]:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size)


def _rgb(colour: str) -> tuple[int, int, int]:
    c = colour.lstrip("#")
    return (int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16))


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Greedy word wrap to `width` pixels."""
    lines: list[str] = []
    for para in text.split("\n"):
        line = ""
        for word in para.split():
            trial = f"{line} {word}".strip()
            if line and draw.textlength(trial, font=font) > width:
                lines.append(line)
                line = word
            else:
                line = trial
        lines.append(line)
    return lines


def _fit(draw: ImageDraw.ImageDraw, text: str, size: int, width: int, *, bold: bool = False, lines: int = 1):
    """The largest font (down to MIN_TEXT) at which `text` fits in `lines` lines of `width` px."""
    while True:
        font = _font(size, bold)
        wrapped = _wrap(draw, text, font, width)
        fits = len(wrapped) <= lines and all(draw.textlength(w, font=font) <= width for w in wrapped)
        if fits or size <= MIN_TEXT:
            return font, wrapped[:lines]
        size -= 2


def _text_block(draw, xy, text, size, width, colour, *, bold=False, lines=1, spacing=1.2) -> int:
    """Draws wrapped text; returns the height used."""
    font, wrapped = _fit(draw, text, size, width, bold=bold, lines=lines)
    x, y = xy
    step = int(font.size * spacing)
    for i, line in enumerate(wrapped):
        draw.text((x, y + i * step), line, font=font, fill=colour)
    return step * len(wrapped)


def _headline_card(draw, box, headline, theme: Theme) -> None:
    x0, y0, x1, y1 = box
    draw.rounded_rectangle(box, radius=18, fill=theme.panel)
    if headline.color:
        draw.rounded_rectangle((x0, y0, x0 + 16, y1), radius=6, fill=_rgb(headline.color))
        x0 += 12
    pad = 28
    width = x1 - x0 - 2 * pad
    y = y0 + pad
    y += _text_block(draw, (x0 + pad, y), headline.label, LABEL_SIZE, width, theme.muted, lines=1)
    y += _text_block(draw, (x0 + pad, y), headline.value, HEADLINE_SIZE, width, theme.text, bold=True, spacing=1.1)
    if headline.note:
        _text_block(draw, (x0 + pad, y + 4), headline.note, 24, width, theme.muted, lines=2)


def _changes_table(draw, box, slide: Slide, theme: Theme, lang: str) -> None:
    x0, y0, x1, y1 = box
    cols = (0.46, 0.18, 0.18, 0.18)
    heads = ("briefing.kolom_angka", "briefing.kolom_sebelum", "briefing.kolom_sesudah", "briefing.kolom_selisih")
    n = max(len(slide.changes), 1)
    row_h = min(84, (y1 - y0) // (n + 1))
    size = min(BODY_SIZE + 8, int(row_h * 0.5))
    xs = [x0]
    for c in cols[:-1]:
        xs.append(xs[-1] + int(c * (x1 - x0)))
    for i, key in enumerate(heads):
        _text_block(
            draw,
            (xs[i] + 16, y0 + 12),
            t(key, lang),
            max(MIN_TEXT, size - 4),
            int(cols[i] * (x1 - x0)) - 24,
            theme.muted,
            bold=True,
        )
    colours = {
        1: OKABE_ITO["green"] if theme.name == "light" else "#5CD6A9",
        -1: OKABE_ITO["vermillion"],
        0: theme.muted,
    }
    for r, ch in enumerate(slide.changes):
        y = y0 + row_h * (r + 1)
        if r % 2 == 0:
            draw.rectangle((x0, y, x1, y + row_h), fill=theme.panel)
        cells = (ch.label, ch.before, ch.after, ch.delta)
        for i, text in enumerate(cells):
            colour = colours[ch.direction] if i == 3 else theme.text
            _text_block(
                draw,
                (xs[i] + 16, y + (row_h - size) // 2 - 4),
                text,
                size,
                int(cols[i] * (x1 - x0)) - 24,
                colour,
                bold=i == 3,
            )


def _rows_table(draw, box, slide: Slide, theme: Theme, lang: str) -> None:
    """The list slide's lines (kelurahan, what to do, why), a severity bar at each line's start."""
    x0, y0, x1, y1 = box
    cols = (0.30, 0.22, 0.48)
    heads = ("tindak_lanjut.kolom.kelurahan", "tindak_lanjut.kolom.jenis", "tindak_lanjut.kolom.keterangan")
    head_h = 48
    row_h = min(120, (y1 - y0 - head_h) // max(len(slide.rows), 1))
    xs = [x0]
    for c in cols[:-1]:
        xs.append(xs[-1] + int(c * (x1 - x0)))
    widths = [int(c * (x1 - x0)) - 40 for c in cols]
    for i, key in enumerate(heads):
        _text_block(draw, (xs[i] + 20, y0 + 8), t(key, lang), 26, widths[i], theme.muted, bold=True)
    for r, row in enumerate(slide.rows):
        y = y0 + head_h + r * row_h
        draw.rounded_rectangle((x0, y, x1, y + row_h - 10), radius=14, fill=theme.panel)
        if row.color:
            draw.rounded_rectangle((x0, y, x0 + 16, y + row_h - 10), radius=6, fill=_rgb(row.color))
        _text_block(draw, (xs[0] + 28, y + 12), row.nama, 32, widths[0] - 8, theme.text, bold=True, lines=2)
        _text_block(draw, (xs[1] + 20, y + 12), row.jenis, 32, widths[1], theme.text, bold=True, lines=2)
        _text_block(draw, (xs[2] + 20, y + 14), row.keterangan, 26, widths[2], theme.muted, lines=3)


def render_slide(
    slide: Slide, number: int, total: int, lang: str, theme_name: str, figure_png: FigureRenderer | None
) -> Image.Image:
    """One slide as a 1920×1080 image. `figure_png` draws the plotly figures (None: slide has none)."""
    theme = get_theme(theme_name)
    img = Image.new("RGB", (WIDTH, HEIGHT), _rgb(theme.background))
    draw = ImageDraw.Draw(img)
    badge_w = 0
    if slide.contoh:
        text = t("app.data_contoh", lang)
        font = _font(30, True)
        badge_w = int(draw.textlength(text, font=font)) + 56
        box = (WIDTH - MARGIN - badge_w, 48, WIDTH - MARGIN, 48 + 60)
        draw.rounded_rectangle(box, radius=30, fill=_rgb(OKABE_ITO["orange"]))
        draw.text((box[0] + 28, box[1] + 13), text, font=font, fill=(0, 0, 0))
    _text_block(
        draw, (MARGIN, 44), slide.title, TITLE_SIZE + 8, WIDTH - 2 * MARGIN - badge_w - GAP, theme.text, bold=True
    )
    draw.line((MARGIN, HEADER_H - 10, WIDTH - MARGIN, HEADER_H - 10), fill=_rgb(theme.accent), width=4)

    top, bottom = HEADER_H + 16, HEIGHT - FOOTER_H
    if slide.note:
        bottom -= 56
        _text_block(draw, (MARGIN, bottom + 12), slide.note, BODY_SIZE, WIDTH - 2 * MARGIN, theme.muted, lines=1)
    left, right = MARGIN, WIDTH - MARGIN
    side = slide.key in ("peta", "mitra") and slide.headlines and slide.figures
    if slide.headlines and side:
        n = len(slide.headlines)
        cols = 2 if any(h.note for h in slide.headlines) and n > 3 else 1
        rows = -(-n // cols)
        h = (bottom - top - GAP * (rows - 1)) // rows
        side_w = SIDE_W if cols == 1 else 2 * SIDE_W_PAIR + GAP
        w = (side_w - GAP * (cols - 1)) // cols
        x0 = right - side_w
        for i, hl in enumerate(slide.headlines):
            x, y = x0 + (i % cols) * (w + GAP), top + (i // cols) * (h + GAP)
            _headline_card(draw, (x, y, x + w, y + h), hl, theme)
        right = x0 - GAP
    elif slide.headlines:
        n = len(slide.headlines)
        w = (right - left - GAP * (n - 1)) // n
        card_h = 260
        for i, hl in enumerate(slide.headlines):
            x = left + i * (w + GAP)
            _headline_card(draw, (x, top, x + w, top + card_h), hl, theme)
        top += card_h + GAP
    if slide.changes:
        _changes_table(draw, (left, top, right, bottom), slide, theme, lang)
    if slide.rows:
        _rows_table(draw, (left, top, right, bottom), slide, theme, lang)
    if slide.figures:
        if figure_png is None:
            raise ChromiumMissingError(t("briefing.ekspor_tanpa_chromium", lang))
        widths = slide.widths()
        avail = right - left - GAP * (len(widths) - 1)
        x = left
        for fig, share in zip(slide.figures, widths, strict=True):
            w = int(avail * share / sum(widths))
            png = figure_png(fig, w, bottom - top)
            img.paste(Image.open(io.BytesIO(png)).convert("RGB"), (x, top))
            x += w + GAP

    draw.line((MARGIN, HEIGHT - FOOTER_H + 8, WIDTH - MARGIN, HEIGHT - FOOTER_H + 8), fill=_rgb(theme.grid), width=2)
    counter = f"{number} / {total}"
    cfont = _font(28, True)
    cw = int(draw.textlength(counter, font=cfont))
    draw.text((WIDTH - MARGIN - cw, HEIGHT - FOOTER_H + 28), counter, font=cfont, fill=theme.muted)
    foot_w = WIDTH - 2 * MARGIN - cw - GAP
    y = HEIGHT - FOOTER_H + 24
    y += _text_block(draw, (MARGIN, y), slide.footer, 26, foot_w, theme.text, bold=True)
    if slide.sumber:
        _text_block(draw, (MARGIN, y), slide.sumber, MIN_TEXT, foot_w, theme.muted, lines=2, spacing=1.15)
    return img


def png_bytes(img: Image.Image) -> bytes:
    """An image as PNG bytes."""
    buf = io.BytesIO()
    img.save(buf, "PNG", optimize=True)
    return buf.getvalue()


def pdf_bytes(images: Sequence[Image.Image]) -> bytes:
    """The images as a PDF, one 16:9 page each."""
    buf = io.BytesIO()
    first, *rest = [im.convert("RGB") for im in images]
    first.save(buf, "PDF", save_all=True, append_images=rest, resolution=PDF_DPI)
    return buf.getvalue()


def render_deck(slides: Sequence[Slide], lang: str, theme: str, *, chromium: str | None = None) -> list[Image.Image]:
    """Every slide as an image, drawn with one Chromium session (raises ChromiumMissingError)."""
    path = chromium or find_chromium()
    if path is None:
        raise ChromiumMissingError(t("briefing.ekspor_tanpa_chromium", lang))
    with _LOCK, KaleidoRenderer(path) as renderer:
        return [render_slide(s, i + 1, len(slides), lang, theme, renderer) for i, s in enumerate(slides)]


@dataclass(frozen=True)
class DeckFiles:
    """An exported deck: the PDF and one PNG per slide."""

    pdf: bytes
    pngs: tuple[bytes, ...]


def export_deck(slides: Sequence[Slide], lang: str, theme: str, *, chromium: str | None = None) -> DeckFiles:
    """The deck as a PDF and PNGs, in memory."""
    images = render_deck(slides, lang, theme, chromium=chromium)
    return DeckFiles(pdf_bytes(images), tuple(png_bytes(im) for im in images))


def write_deck(files: DeckFiles, pdf: Path | None, png_dir: Path | None, slides: Sequence[Slide]) -> list[Path]:
    """Writes the PDF and/or the PNGs (slide-01-angka.png ...); returns the paths written."""
    written: list[Path] = []
    if pdf is not None:
        pdf.parent.mkdir(parents=True, exist_ok=True)
        pdf.write_bytes(files.pdf)
        written.append(pdf)
    if png_dir is not None:
        png_dir.mkdir(parents=True, exist_ok=True)
        for i, (slide, png) in enumerate(zip(slides, files.pngs, strict=True)):
            path = png_dir / f"slide-{i + 1:02d}-{slide.key}.png"
            path.write_bytes(png)
            written.append(path)
    return written
