"""Widget groups and rendering of the Briefing page: full-screen slides, autoplay, export."""

from __future__ import annotations

import datetime as dt
import html
import json
import time
from dataclasses import dataclass
from urllib.parse import urlencode

import streamlit as st

from kkmp import briefing as deck_spec
from kkmp.briefing import Baseline, Slide
from kkmp.charts.briefing import (
    BODY_SIZE,
    HEADLINE_SIZE,
    LABEL_SIZE,
    MIN_TEXT,
    THEME_NAMES,
    TITLE_SIZE,
    Theme,
    briefing_map_deck,
    get_theme,
)
from kkmp.deck_export import ChromiumMissingError, DeckFiles, export_deck, find_chromium
from kkmp.i18n import LANGUAGES, normalize_language, t
from kkmp.palette import OKABE_ITO
from kkmp.scope import scope
from kkmp.store import Snapshot
from kkmp.wilayah import WilayahFilter
from ui import state
from ui.components import html_text
from ui.data import builds_for, get_settings, get_store, load_snapshot

CHART_CONFIG = {"displayModeBar": False, "displaylogo": False, "responsive": True}
LANGUAGE_NAMES = {"id": "Bahasa Indonesia", "en": "English"}

# Heights (px) of the parts of a slide laid out at STAGE_W×SCREEN_H (scaled to the screen); the figures get the rest.
SCREEN_H = 1080
STAGE_W = 1920
HEADER_H = 96
CARDS_H = 236
NOTE_H = 48
FOOTER_H = 104
SLACK = 8
SIDE_EXTRA = 24  # columns beside a figure add their own spacing
#: Characters of a headline figure that fit a card at full size, by cards per row (1920 px wide).
PHONE_MAX_PX = 640  # below this width the slide is laid out for a phone: 2 cards a row, smaller type, it scrolls
SIDE_ROWS = 4  # cards that fit in one column beside a figure; more go in two columns
FIT_CHARS = {1: 10, 2: 6, 3: 10, 4: 7, 5: 6}
#: The same beside a figure, by (the wider Mitra side column?, cards per row).
SIDE_FIT_CHARS = {(True, 2): 6, (False, 1): 9, (False, 2): 4}
FIT_SIZES = range(40, HEADLINE_SIZE, 4)  # smaller sizes as classes: Streamlit drops "!important" in style=""


def init_state() -> None:
    """Session choices, first taken from the URL: ?slide=3&auto=20&theme=light&since=2025-11-01."""
    q = st.query_params
    if state.BRIEFING_SLIDE not in st.session_state:
        st.session_state[state.BRIEFING_SLIDE] = deck_spec.parse_slide(q.get("slide"))
    if state.BRIEFING_INTERVAL not in st.session_state:
        auto = deck_spec.parse_interval(q.get("auto"))
        st.session_state[state.BRIEFING_INTERVAL] = auto or deck_spec.DEFAULT_INTERVAL
        st.session_state[state.BRIEFING_PLAYING] = auto is not None
    if state.BRIEFING_THEME not in st.session_state:
        theme = q.get("theme")
        st.session_state[state.BRIEFING_THEME] = theme if theme in THEME_NAMES else "dark"
    if state.BRIEFING_SINCE not in st.session_state:
        try:
            st.session_state[state.BRIEFING_SINCE] = dt.date.fromisoformat(str(q.get("since")))
        except ValueError:
            st.session_state[state.BRIEFING_SINCE] = None


def page_css(theme: Theme, lang: str, *, kiosk: bool = False) -> str:
    """Hides Streamlit's chrome and scrollbars, paints the theme, sets the large type, and keeps the last slide
    on screen (with a small "reconnecting" mark) while the connection to the server is lost. `kiosk` (playing by
    itself): the slide is never greyed out while a run is under way, e.g. the first after reconnecting."""
    reconnecting = json.dumps(t("briefing.menyambung_ulang", lang), ensure_ascii=False)
    scale = f"min(calc(100vw / {STAGE_W}px), calc(100vh / {SCREEN_H}px))"  # the slide's scale to the screen
    # Streamlit draws the elements of the previous run at 33 % opacity until the run under way replaces them.
    stale = '[data-stale="true"] { opacity: 1 !important; transition: none !important; }' if kiosk else ""
    return f"""<style>
/* a lost connection: Streamlit retries by itself; a TV keeps the last good slide instead of an error box */
[data-testid="stDialog"] {{ display: none !important; }}
{stale}
.stApp:not([data-test-connection-state="CONNECTED"]) .kb-counter::after {{
  content: {reconnecting}; position: fixed; top: 0; left: 50%; transform: translateX(-50%); white-space: nowrap;
  background: {OKABE_ITO["orange"]}; color: #000; padding: 0.3vh 1.2vw; border-radius: 0 0 1vh 1vh; }}
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stSidebarNav"],
header, footer {{ display: none !important; }}
html, body, .stApp, [data-testid="stAppViewContainer"], [data-testid="stMain"] {{
  background: {theme.background} !important; color: {theme.text}; }}
[data-testid="stMainBlockContainer"], .block-container {{
  padding: 18px 56px 0 56px !important; max-width: 100% !important; }}
[data-testid="stVerticalBlock"] {{ gap: 12px; }}
/* A landscape screen gets the slide laid out for {STAGE_W}×{SCREEN_H} and scaled to fit it (by the smaller
   of width/{STAGE_W} and height/{SCREEN_H}): type, cards and charts keep their proportions from a 720p
   projector to a 4K TV, and the slide never scrolls. A transform, not zoom: the charts are laid out
   exactly as at {STAGE_W}×{SCREEN_H} and drawn scaled, as vectors (see the chart frame below). */
@media (min-width: {PHONE_MAX_PX + 1}px) and (orientation: landscape) {{
  [data-testid="stMainBlockContainer"], .block-container {{
    width: {STAGE_W}px !important; min-width: {STAGE_W}px; max-width: none !important; margin: 0 !important;
    height: {SCREEN_H}px; transform-origin: 0 0; align-self: flex-start !important;
    transform: scale({scale}); }}
  /* the scaled slide is inside the screen; its unscaled layout box would only add an empty scroll range */
  [data-testid="stMain"] {{ overflow: hidden !important; }}
  /* Streamlit sizes a plotly chart from its frame's box as drawn (already scaled): a frame 1/scale as wide
     and high is drawn at the size its box has on the slide, so the chart is laid out once at its slide size
     and the transform scales it with everything else, its text too; the chart overflows the frame. */
  [class*="st-key-briefing_fig_"] {{ height: var(--kb-fig-h); overflow: hidden; }}
  [class*="st-key-briefing_fig_"] [data-testid="stFullScreenFrame"] {{
    width: calc(100% / {scale}) !important; height: calc(100% / {scale}) !important; }}
  [class*="st-key-briefing_fig_"] [data-testid="stPlotlyChart"], [class*="st-key-briefing_fig_"] .js-plotly-plot {{
    overflow: visible !important; }}
}}
.stApp p, .stApp label, .stApp span, .stApp div, .stApp button, .stApp input {{ font-size: {MIN_TEXT}px; }}
.stApp button {{ background: {theme.panel} !important; color: {theme.text} !important;
  border: 2px solid {theme.grid} !important; min-height: 56px; }}
.stApp button p, .stApp button span {{ font-size: {MIN_TEXT + 6}px !important; color: {theme.text} !important; }}
[data-testid="stPopoverBody"] {{ background: #FFFFFF !important; }}
[data-testid="stPopoverBody"] p, [data-testid="stPopoverBody"] label, [data-testid="stPopoverBody"] span {{
  color: #0B0F17 !important; }}
[data-testid="stPopoverBody"] button[kind$="Active"] {{ background: {OKABE_ITO["blue"]} !important; }}
[data-testid="stPopoverBody"] button[kind$="Active"] p {{ color: #FFFFFF !important; font-weight: 700; }}
[data-testid="stPopoverBody"] button {{ background: #EEF1F5 !important; border: 1px solid #9AA3B2 !important;
  min-height: 44px; }}
[data-testid="stPopoverBody"] button p, [data-testid="stPopoverBody"] button span {{ font-size: 18px !important;
  color: #0B0F17 !important; }}
.kb-head {{ display: flex; align-items: center; justify-content: space-between; gap: 32px;
  border-bottom: 4px solid {theme.accent}; padding-bottom: 10px; margin-bottom: 8px; height: {HEADER_H - 16}px; }}
.kb-title, .kb-title * {{ font-size: {TITLE_SIZE}px !important; font-weight: 700; line-height: 1.15; margin: 0;
  color: {theme.text}; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }}
.kb-badge {{ font-size: 28px !important; font-weight: 700; background: {OKABE_ITO["orange"]}; color: #000 !important;
  border-radius: 32px; padding: 8px 28px; white-space: nowrap; }}
.kb-cards {{ display: grid; gap: 28px; }}
/* Streamlit pulls a markdown block up by 1rem (its last paragraph's margin): the cards have none, so the
   next block (the chart) would start over the cards' bottom edge */
[data-testid="stMarkdownContainer"]:has(.kb-cards) {{ margin-bottom: 0 !important; }}
.kb-card {{ background: {theme.panel}; border-radius: 18px; padding: 20px 28px; overflow: hidden; }}
.kb-label {{ font-size: {LABEL_SIZE}px !important; color: {theme.muted}; line-height: 1.2; }}
.kb-value {{ font-size: {HEADLINE_SIZE}px !important; font-weight: 800; line-height: 1.1; color: {theme.text};
  font-variant-numeric: tabular-nums; white-space: nowrap; }}
table.kb-changes td:not(:first-child) {{ white-space: nowrap; }}
{"".join(f".kb-value.kb-size-{n} {{ font-size: {n}px !important; }}" for n in FIT_SIZES)}
.kb-note {{ font-size: 24px !important; color: {theme.muted}; line-height: 1.25; }}
.kb-text {{ font-size: {BODY_SIZE}px !important; color: {theme.muted}; }}
.kb-foot {{ border-top: 2px solid {theme.grid}; padding-top: 8px; color: {theme.muted}; line-height: 1.25; }}
.kb-foot b {{ font-size: 26px !important; color: {theme.text}; }}
.kb-foot span {{ font-size: {MIN_TEXT}px !important; display: -webkit-box; -webkit-line-clamp: 2;
  -webkit-box-orient: vertical; overflow: hidden; }}
.kb-counter {{ font-size: 28px !important; font-weight: 700; color: {theme.muted}; text-align: right; }}
table.kb-changes {{ width: 100%; border-collapse: collapse; color: {theme.text}; }}
table.kb-changes th {{ font-size: 28px !important; color: {theme.muted}; text-align: left; padding: 4px 16px; }}
table.kb-changes td {{ font-size: 36px !important; padding: 2px 16px; line-height: 1.15; }}
table.kb-changes td:nth-child(n+3) {{ font-size: 60px !important; font-weight: 700; }}  /* now, and the change */
table.kb-changes tr:nth-child(even) td {{ background: {theme.panel}; }}
table.kb-list {{ width: 100%; border-collapse: separate; border-spacing: 0 10px; color: {theme.text};
  table-layout: fixed; }}
table.kb-list th {{ font-size: 26px !important; color: {theme.muted}; text-align: left; padding: 0 20px; }}
table.kb-list td {{ background: {theme.panel}; padding: 10px 20px; vertical-align: top; line-height: 1.2; }}
table.kb-list td.kb-who {{ font-size: 32px !important; font-weight: 700; border-radius: 14px 0 0 14px;
  border-left: 16px solid var(--kb-sev); }}
table.kb-list td.kb-what {{ font-size: 32px !important; font-weight: 700; }}
table.kb-list td.kb-why {{ border-radius: 0 14px 14px 0; }}
table.kb-list td.kb-why div {{ font-size: 26px !important; color: {theme.muted}; display: -webkit-box;
  -webkit-line-clamp: 2; -webkit-box-orient: vertical; overflow: hidden; }}
td.kb-up {{ color: {OKABE_ITO["green"] if theme.name == "light" else "#5CD6A9"}; font-weight: 700; }}
td.kb-down {{ color: {OKABE_ITO["vermillion"]}; font-weight: 700; }}
td.kb-same {{ color: {theme.muted}; }}
@media (max-width: {PHONE_MAX_PX}px), (orientation: portrait) {{  /* one column; the slide scrolls */
  [data-testid="stMainBlockContainer"], .block-container {{ padding: 2vw 3vw 0 3vw !important; }}
  .kb-head {{ height: auto; gap: 3vw; }}
  .kb-title, .kb-title * {{ font-size: clamp(20px, 6.2vw, 40px) !important; white-space: normal; word-break: normal;
    overflow-wrap: normal; }}
  .kb-badge {{ font-size: clamp(13px, 3.8vw, 24px) !important; padding: 1vw 3vw; }}
  .kb-cards {{ grid-template-columns: repeat(2, 1fr) !important; gap: 3vw; }}
  .kb-card {{ padding: 2.5vw 3.5vw; border-radius: 3vw; }}
  .kb-cards .kb-label {{ font-size: clamp(14px, 3.8vw, 24px) !important; }}
  .kb-cards .kb-value {{ font-size: clamp(28px, 8.7vw, 56px) !important; }}
  .kb-cards .kb-note {{ font-size: clamp(13px, 3.6vw, 22px) !important; }}
  .kb-text {{ font-size: clamp(14px, 4.1vw, 26px) !important; }}
  .kb-foot b {{ font-size: clamp(14px, 4.1vw, 26px) !important; }}
  .kb-foot span {{ font-size: clamp(13px, 3.4vw, 22px) !important; }}
  .kb-counter {{ font-size: clamp(14px, 4.1vw, 26px) !important; text-align: left; }}
  table.kb-changes th {{ font-size: clamp(13px, 3.4vw, 22px) !important; padding: 1.5vw; }}
  table.kb-changes td {{ font-size: clamp(14px, 3.8vw, 24px) !important; padding: 1.5vw; }}
  table.kb-changes td:nth-child(n+3) {{ font-size: clamp(16px, 4.4vw, 28px) !important; }}
  table.kb-list, table.kb-list tbody, table.kb-list tr, table.kb-list td {{ display: block; width: 100%; }}
  table.kb-list thead {{ display: none; }}
  table.kb-list {{ margin-top: 3vw; }}
  table.kb-list tr {{ background: {theme.panel}; border-radius: 3vw; margin-bottom: 3vw; padding: 2.5vw 3.5vw;
    border-left: 2.5vw solid var(--kb-sev); }}
  table.kb-list td, table.kb-list td.kb-who {{ padding: 0.5vw 0; background: none; border: none; }}
  table.kb-list td.kb-who, table.kb-list td.kb-what {{ font-size: clamp(15px, 4.4vw, 26px) !important; }}
  table.kb-list td.kb-why div {{ font-size: clamp(13px, 3.6vw, 22px) !important; -webkit-line-clamp: 4; }}
  .stApp button p, .stApp button span {{ font-size: clamp(16px, 4.6vw, 26px) !important; }}
  .stApp button {{ min-height: 44px; }}
  .js-plotly-plot .main-svg text {{ font-size: clamp(12px, 3.4vw, 22px) !important; }}  /* charts laid out at 1920 */
}}
</style>"""


@st.cache_resource(show_spinner=False, max_entries=4)
def load_baseline(url: str, identity: str, revision: int, since: dt.date | None) -> Baseline:
    """What the "what changed" slide compares with, for the whole region (shared by every area's deck)."""
    store = get_store(url)
    if since:
        return deck_spec.baseline_at_date(store, since)
    return deck_spec.default_baseline(store, load_snapshot(url, identity, revision))


@dataclass(frozen=True)
class AreaData:
    """One area's data for the deck: its snapshot, title name and baseline (shared by its slides)."""

    snapshot: Snapshot
    name: str
    baseline: Baseline


@st.cache_resource(show_spinner=False, max_entries=8)
def load_area(url: str, identity: str, revision: int, choice: WilayahFilter, since: dt.date | None) -> AreaData:
    """The chosen area's snapshot and baseline, once per revision, area and comparison date."""
    chosen = scope(load_snapshot(url, identity, revision), choice)
    baseline = load_baseline(url, identity, revision, since)
    baseline = Baseline(chosen.restrict(baseline.snapshot), baseline.revision, baseline.as_of)
    return AreaData(chosen.snap, chosen.name, baseline)


@dataclass(frozen=True)
class DeckKey:
    """What a deck is built from, the key of the slide and export caches: the store's revision, language, theme,
    area, comparison date (`since`) and reference date (`acuan`)."""

    url: str
    identity: str
    revision: int
    lang: str
    theme: str
    choice: WilayahFilter
    since: dt.date | None
    acuan: dt.date


@st.cache_resource(show_spinner=False, max_entries=96)
def load_slide(key: DeckKey, index: int) -> Slide:
    """Slide `index` of the deck `key`, built when first shown (then kept for every session)."""
    data = load_area(key.url, key.identity, key.revision, key.choice, key.since)
    needs_builds = deck_spec.SLIDE_KEYS[index] in ("pembangunan", "perubahan")
    builds = builds_for(data.snapshot, key.acuan) if needs_builds else None
    return deck_spec.build_slide(
        index,
        data.snapshot,
        get_settings(),
        key.lang,
        theme=key.theme,
        area=data.name,
        baseline=data.baseline,
        builds=builds,
        acuan=key.acuan,
    )


def load_deck(key: DeckKey) -> list[Slide]:
    """Every slide (for the export), each from the slide cache."""
    return [load_slide(key, i) for i in range(len(deck_spec.SLIDE_KEYS))]


@st.cache_resource(show_spinner=False, max_entries=4)
def load_export(key: DeckKey) -> DeckFiles:
    """The deck as PDF + PNGs (drawn once per deck key; raises ChromiumMissingError)."""
    return export_deck(load_deck(key), key.lang, key.theme)


def _cards(headlines, columns: int, room: int) -> str:
    cells = "".join(
        f'<div class="kb-card"{_swatch(h.color)}><div class="kb-label">{html_text(h.label)}</div>'
        f'<div class="kb-value{_fit(h.value, room)}">{html_text(h.value)}</div>'
        + (f'<div class="kb-note">{html_text(h.note)}</div>' if h.note else "")
        + "</div>"
        for h in headlines
    )
    return f'<div class="kb-cards" style="grid-template-columns: repeat({columns}, 1fr)">{cells}</div>'


def _fit(value: str, room: int) -> str:
    """A smaller size for a figure longer than the `room` characters its card holds (national counts run to seven)."""
    if len(value) <= room:
        return ""
    size = max(FIT_SIZES[0], HEADLINE_SIZE * room // len(value) // 4 * 4)
    return f" kb-size-{size}"


def _swatch(color: str) -> str:
    return f' style="border-left: 16px solid {html.escape(color)}"' if color else ""


def _changes(slide: Slide, lang: str) -> str:
    heads = "".join(
        f"<th>{html_text(t(k, lang))}</th>"
        for k in ("briefing.kolom_angka", "briefing.kolom_sebelum", "briefing.kolom_sesudah", "briefing.kolom_selisih")
    )
    css = {1: "kb-up", -1: "kb-down", 0: "kb-same"}
    rows = "".join(
        f"<tr><td>{html_text(c.label)}</td><td>{html_text(c.before)}</td><td>{html_text(c.after)}</td>"
        f'<td class="{css[c.direction]}">{html_text(c.delta)}</td></tr>'
        for c in slide.changes
    )
    return f'<table class="kb-changes"><thead><tr>{heads}</tr></thead><tbody>{rows}</tbody></table>'


def _rows(slide: Slide, lang: str) -> str:
    """The list slide's lines as a table: kelurahan, what to do and why; a severity bar at each line's start."""
    heads = "".join(
        f'<th style="width: {w}%">{html_text(t(k, lang))}</th>'
        for k, w in (
            ("tindak_lanjut.kolom.kelurahan", 30),
            ("tindak_lanjut.kolom.jenis", 22),
            ("tindak_lanjut.kolom.keterangan", 48),
        )
    )
    rows = "".join(
        f'<tr style="--kb-sev: {html.escape(r.color or "transparent")}"><td class="kb-who">{html_text(r.nama)}</td>'
        f'<td class="kb-what">{html_text(r.jenis)}</td>'
        f'<td class="kb-why"><div>{html_text(r.keterangan)}</div></td></tr>'
        for r in slide.rows
    )
    return f'<table class="kb-list"><thead><tr>{heads}</tr></thead><tbody>{rows}</tbody></table>'


def render_slide(slide: Slide, lang: str, theme: Theme, *, live_map: bool = True) -> None:
    """One slide's body filling the screen: header, numbers, figures or table, and note.

    `live_map=False` (autoplay) draws the map slide's static plotly twin instead of the pydeck map: Streamlit's
    deck.gl chart keeps its replaced element alive (about 50 DOM nodes and 6 listeners each time the map slide
    is left), so a kiosk looping all day would grow without end (docs/performance.md)."""
    badge = f'<span class="kb-badge">{html_text(t("app.data_contoh", lang))}</span>' if slide.contoh else ""
    st.markdown(
        f'<div class="kb-head"><div class="kb-title" role="heading" aria-level="1">{html_text(slide.title)}</div>'
        f"{badge}</div>",
        unsafe_allow_html=True,
    )
    side = slide.key in ("peta", "mitra") and slide.headlines and slide.figures
    height = SCREEN_H - HEADER_H - FOOTER_H - SLACK - (NOTE_H if slide.note else 0)
    if side:
        height -= SIDE_EXTRA
    if slide.headlines and not side:
        st.markdown(
            _cards(slide.headlines, len(slide.headlines), FIT_CHARS.get(len(slide.headlines), 6)),
            unsafe_allow_html=True,
        )
        height -= CARDS_H
    if slide.changes:
        st.markdown(_changes(slide, lang), unsafe_allow_html=True)
    if slide.rows:
        st.markdown(_rows(slide, lang), unsafe_allow_html=True)
    if slide.figures:
        st.html(f"<style>.stApp {{ --kb-fig-h: {height}px; }}</style>")  # the figures' height on the slide
        area = st.columns([3, 2] if slide.key == "mitra" else [5, 2], gap="large") if side else [st.container()]
        with area[0]:
            cols = st.columns(list(slide.widths()), gap="large") if len(slide.figures) > 1 else [st.container()]
            for i, (col, fig) in enumerate(zip(cols, slide.figures, strict=True)):
                if i == 0 and slide.map_data is not None and live_map:  # the live map; the figure is its twin
                    col.pydeck_chart(
                        briefing_map_deck(slide.map_data, theme), height=height, key=f"briefing_map_{slide.key}"
                    )
                    continue
                fig.update_layout(height=height)
                col.plotly_chart(fig, config=CHART_CONFIG, key=f"briefing_fig_{slide.key}_{i}", width="stretch")
        if side:
            columns = 2 if slide.key == "mitra" or len(slide.headlines) > SIDE_ROWS else 1
            room = SIDE_FIT_CHARS.get((slide.key == "mitra", columns), 4)
            area[1].markdown(_cards(slide.headlines, columns, room), unsafe_allow_html=True)
    if slide.note:
        st.markdown(f'<div class="kb-text">{html_text(slide.note)}</div>', unsafe_allow_html=True)


def footer_ui(slide: Slide, index: int, count: int, lang: str, deck: DeckKey, per: dt.date | None = None) -> None:
    """The slide's date (and reference date) and source, its number, and the controls (previous, play/pause,
    next, settings). `per`: the reference date for the kiosk link, when it differs from the default."""
    foot, counter, buttons, gear = st.columns([14, 2, 3, 1], vertical_alignment="center")
    foot.markdown(
        f'<div class="kb-foot"><b>{html_text(slide.footer)}</b><span>{html_text(slide.sumber)}</span></div>',
        unsafe_allow_html=True,
    )
    counter.markdown(
        f'<div class="kb-counter">{html_text(t("briefing.slide_ke", lang, n=index + 1, total=count))}</div>',
        unsafe_allow_html=True,
    )
    with buttons:
        controls_ui(count, lang)
    with gear:
        settings_ui(lang, index, deck, per)


def _go(delta: int, count: int) -> None:
    st.session_state[state.BRIEFING_SLIDE] = deck_spec.step(st.session_state[state.BRIEFING_SLIDE], count, delta)
    st.session_state[state.BRIEFING_SHOWN_AT] = time.monotonic()


def _toggle_play() -> None:
    st.session_state[state.BRIEFING_PLAYING] = not st.session_state[state.BRIEFING_PLAYING]
    st.session_state[state.BRIEFING_SHOWN_AT] = time.monotonic()


def _want_export() -> None:
    st.session_state[state.BRIEFING_EXPORT] = True


def _set_language() -> None:
    st.session_state[state.LANG] = normalize_language(st.session_state[state.BRIEFING_LANG])


def advance_if_due(count: int) -> int:
    """The slide to show now: the next one when autoplay is on and this one has had its time."""
    now = time.monotonic()
    shown = st.session_state.get(state.BRIEFING_SHOWN_AT)
    index = min(st.session_state[state.BRIEFING_SLIDE], count - 1)
    if shown is None:
        st.session_state[state.BRIEFING_SHOWN_AT] = now
    elif st.session_state[state.BRIEFING_PLAYING] and deck_spec.advance_due(
        now - shown, st.session_state[state.BRIEFING_INTERVAL]
    ):
        index = deck_spec.step(index, count, 1)
        st.session_state[state.BRIEFING_SHOWN_AT] = now
    st.session_state[state.BRIEFING_SLIDE] = index
    return index


def controls_ui(count: int, lang: str) -> None:
    """Previous / play-pause / next buttons (they change the slide without reloading the page)."""
    playing = st.session_state[state.BRIEFING_PLAYING]
    prev, play, nxt = st.columns(3, gap="small")
    prev.button(
        "", icon=":material/skip_previous:", key="briefing_prev", help=t("briefing.sebelumnya", lang),
        on_click=_go, args=(-1, count), width="stretch",
    )  # fmt: skip
    play.button(
        "", icon=":material/pause:" if playing else ":material/play_arrow:", key="briefing_play",
        help=t("briefing.jeda" if playing else "briefing.putar", lang), on_click=_toggle_play, width="stretch",
    )  # fmt: skip
    nxt.button(
        "", icon=":material/skip_next:", key="briefing_next", help=t("briefing.berikutnya", lang),
        on_click=_go, args=(1, count), width="stretch",
    )  # fmt: skip


def settings_ui(lang: str, slide: int, deck: DeckKey, per: dt.date | None = None) -> None:
    """The gear menu: seconds per slide, theme, language, comparison date, kiosk link (keeping `per`, the
    reference date, when not the default) and export."""
    with st.popover("", icon=":material/settings:", help=t("briefing.pengaturan", lang)):
        st.number_input(
            t("briefing.detik_per_slide", lang),
            min_value=deck_spec.MIN_INTERVAL,
            max_value=deck_spec.MAX_INTERVAL,
            step=5,
            key=state.BRIEFING_INTERVAL,
        )
        st.segmented_control(
            t("briefing.tema", lang),
            THEME_NAMES,
            format_func=lambda n: t(f"briefing.tema_{n}", lang),
            key=state.BRIEFING_THEME,
            selection_mode="single",
        )
        st.session_state.setdefault(state.BRIEFING_LANG, lang)
        st.segmented_control(
            t("app.bahasa", lang),
            LANGUAGES,
            format_func=LANGUAGE_NAMES.get,
            key=state.BRIEFING_LANG,
            on_change=_set_language,
            selection_mode="single",
        )
        st.date_input(
            t("briefing.bandingkan_dengan", lang),
            key=state.BRIEFING_SINCE,
            help=t("briefing.bandingkan_help", lang),
            format="DD/MM/YYYY",
        )
        query = deck_spec.kiosk_query(
            slide,
            st.session_state[state.BRIEFING_INTERVAL],
            lang,
            st.session_state[state.BRIEFING_THEME] or "dark",
            per,
        )
        st.markdown(t("briefing.tautan_kiosk", lang))
        st.code("/briefing?" + urlencode(query), language=None)
        export_ui(lang, slide, deck)


def export_ui(lang: str, slide: int, deck: DeckKey) -> None:
    """PDF of the whole deck and PNG of this slide, drawn on the server; says so when Chromium is missing."""
    st.markdown(f"**{t('briefing.ekspor', lang)}**")
    if find_chromium() is None:
        st.warning(t("briefing.ekspor_tanpa_chromium", lang), icon=":material/warning:")
        st.button(t("briefing.buat_berkas", lang), key="briefing_export", disabled=True)
        return
    st.button(
        t("briefing.buat_berkas", lang), key="briefing_export", icon=":material/picture_as_pdf:", on_click=_want_export
    )
    if not st.session_state.get(state.BRIEFING_EXPORT):
        return
    try:
        with st.spinner(t("briefing.sedang_membuat", lang)):
            files = load_export(deck)
    except ChromiumMissingError as exc:
        st.warning(str(exc), icon=":material/warning:")
        return
    stamp = dt.date.today().isoformat()
    st.download_button(
        t("briefing.unduh_pdf", lang), files.pdf, f"briefing-kkmp-{stamp}.pdf", "application/pdf",
        key="briefing_pdf", icon=":material/download:",
    )  # fmt: skip
    st.download_button(
        t("briefing.unduh_png", lang, n=slide + 1), files.pngs[slide],
        f"briefing-kkmp-{stamp}-{slide + 1:02d}-{deck_spec.SLIDE_KEYS[slide]}.png", "image/png",
        key="briefing_png", icon=":material/image:",
    )  # fmt: skip


def theme_of_session() -> Theme:
    """The theme chosen in this session (dark unless chosen otherwise)."""
    return get_theme(st.session_state.get(state.BRIEFING_THEME))
