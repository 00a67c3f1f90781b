"""Figures for the Briefing slides: large type for a 1920×1080 screen, dark or light theme."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
import pydeck as pdk

from kkmp.charts import FONT
from kkmp.i18n import format_number, t
from kkmp.maps import MapData, build_deck, declutter_labels, fit_view
from kkmp.palette import OKABE_ITO

#: Pixel sizes at 1920×1080; nothing on a slide is smaller than MIN_TEXT.
TITLE_SIZE = 48
HEADLINE_SIZE = 88
LABEL_SIZE = 30
BODY_SIZE = 28
MIN_TEXT = 22
CHART_FONT = 24


@dataclass(frozen=True)
class Theme:
    """Colours of a slide theme (high contrast)."""

    name: str
    background: str
    panel: str
    text: str
    muted: str
    grid: str
    accent: str


THEMES = {
    "dark": Theme("dark", "#0B0F17", "#1A2230", "#FFFFFF", "#D9DEE7", "#3A4456", OKABE_ITO["sky"]),
    "light": Theme("light", "#FFFFFF", "#EEF1F5", "#0B0F17", "#2E3440", "#C9CFD8", OKABE_ITO["blue"]),
}
THEME_NAMES = tuple(THEMES)


def get_theme(name: str | None) -> Theme:
    """The named theme; dark when the name is unknown."""
    return THEMES.get(name or "", THEMES["dark"])


def style_figure(
    fig: go.Figure, theme: Theme, *, lang: str = "id", height: int | None = None, font_size: int = CHART_FONT
) -> go.Figure:
    """Large fonts, theme colours and the language's number separators on any plotly figure."""
    fig.update_layout(
        separators=",." if lang == "id" else ".,",
        font={"family": FONT, "size": font_size, "color": theme.text},
        paper_bgcolor=theme.background,
        plot_bgcolor=theme.background,
        legend={"font": {"size": font_size, "color": theme.text}, "bgcolor": "rgba(0,0,0,0)"},
        hoverlabel={"font": {"size": font_size}},
    )
    if fig.layout.margin.t is None:  # figures from the pages keep the margins they were laid out with
        fig.update_layout(margin={"l": 12, "r": 24, "t": 24, "b": 12})
    if height is not None:
        fig.update_layout(height=height)
    axis = {
        "tickfont": {"size": max(MIN_TEXT, font_size - 2), "color": theme.text},
        "title": {"font": {"size": font_size, "color": theme.text}},
        "gridcolor": theme.grid,
        "linecolor": theme.muted,
        "zerolinecolor": theme.grid,
    }
    fig.update_xaxes(**axis)
    fig.update_yaxes(**axis)
    fig.update_annotations(font={"color": theme.text})
    fig.for_each_trace(lambda tr: _theme_trace(tr, theme))
    return fig


_INKS = {"#000000", "#000", "black", "#1A1A1A", "#111111", "#222222", "#333333"}


def _theme_trace(trace: go.BaseTraceType, theme: Theme) -> None:
    """Ink-coloured lines and gauge faces made for a white page, redrawn in the theme's colours."""
    if trace.type == "indicator":
        trace.update(
            number={"font": {"color": theme.text}},
            title={"font": {"color": theme.text}},
            gauge={"bgcolor": theme.panel, "bar": {"color": theme.accent}, "axis": {"tickfont": {"color": theme.text}}},
        )
        if trace.gauge.threshold is not None and trace.gauge.threshold.line is not None:
            trace.gauge.threshold.line.color = theme.text
        return
    line = getattr(trace, "line", None)
    if line is not None and isinstance(line.color, str) and line.color in _INKS:
        line.color = theme.text
    marker = getattr(trace, "marker", None)
    if marker is not None and isinstance(marker.color, str) and marker.color in _INKS:
        marker.color = theme.text


def plot_partner_counts(partners: pd.DataFrame, lang: str, theme: Theme) -> go.Figure:
    """Bars: how many KKMP work with each partner."""
    rows = partners.iloc[::-1]
    fig = go.Figure(
        go.Bar(
            y=rows["mitra"],
            x=rows["jumlah"],
            orientation="h",
            marker_color=theme.accent,
            text=[format_number(v, lang) for v in rows["jumlah"]],
            textposition="outside",
            textfont={"size": CHART_FONT, "color": theme.text},
            cliponaxis=False,
        )
    )
    top = int(rows["jumlah"].max()) if len(rows) else 1
    fig.update_xaxes(
        title_text=t("briefing.jumlah_kkmp", lang),
        range=[0, top * 1.2 + 0.5],
        dtick=1 if top <= 10 else None,
        tickformat=",d",
    )
    return style_figure(fig, theme, lang=lang)


def _rgba(fill: list[int]) -> str:
    r, g, b, *a = fill
    return f"rgba({r},{g},{b},{(a[0] if a else 255) / 255:.2f})"


def _rings(geometry: dict) -> list[list[list[float]]]:
    """Outer rings of a Polygon or MultiPolygon."""
    polys = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    return [poly[0] for poly in polys if poly]


def plot_map_data(data: MapData, lang: str, theme: Theme) -> go.Figure:
    """The Peta page's map (`kkmp.maps.MapData`) drawn as a plain plotly figure: no tiles, no network."""
    fig = go.Figure()
    for feature in data.polygons:
        fill = _rgba(feature["properties"]["fill"])
        for ring in _rings(feature["geometry"]):
            fig.add_scatter(
                x=[p[0] for p in ring],
                y=[p[1] for p in ring],
                mode="lines",
                fill="toself",
                fillcolor=fill,
                line={"width": 1.5, "color": theme.background},
                hoverinfo="skip",
                showlegend=False,
            )
    by_code = {item.code: item for item in data.legend}
    for item in data.legend:
        points = [p for p in data.points if p.get("kategori") == item.code]
        fig.add_scatter(
            x=[p["position"][0] for p in points] or [None],
            y=[p["position"][1] for p in points] or [None],
            mode="markers",
            name=f"{item.label} ({format_number(item.count, lang)})",
            marker={
                "size": 30 if item.code != by_code.get("usulan", item).code else 22,
                "color": item.color,
                "symbol": "square" if data.polygons else "circle",
                "line": {"width": 2, "color": theme.text},
            },
            hovertext=[p.get("kelurahan", "") for p in points] or None,
            hoverinfo="text",
        )
    if data.labels:
        fig.add_scatter(
            x=[lb["position"][0] for lb in data.labels],
            y=[lb["position"][1] for lb in data.labels],
            mode="text",
            text=[lb["text"] for lb in data.labels],
            textposition="top center",
            textfont={"size": MIN_TEXT, "color": theme.text},
            hoverinfo="skip",
            showlegend=False,
        )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1)
    style_figure(fig, theme, lang=lang)
    fig.update_layout(
        legend={
            "orientation": "v",
            "x": 1.0,
            "y": 0.0,
            "xanchor": "right",
            "yanchor": "bottom",
            "title": {"text": data.title},
        }
    )
    return fig


SLIDE_MAP_PX = (1180, 780)  # the map beside the legend cards on a 1920×1080 slide, less room for edge labels


def briefing_map_deck(data: MapData, theme: Theme) -> pdk.Deck:
    """The Peta page's pydeck map sized for a room: 22 px names in the theme's ink, larger dots, closer view."""
    deck = build_deck(data)
    # The slide's map is larger than the page's and its names bigger: fit the view and place names again.
    view = fit_view(data.bounds, [SLIDE_MAP_PX]) if data.bounds is not None else data.view
    labels = declutter_labels(data.all_labels, view, char_px=MIN_TEXT * 0.57, line_px=MIN_TEXT * 1.3, pad_px=3)
    ink = [int(theme.text[i : i + 2], 16) for i in (1, 3, 5)]
    halo = [int(theme.background[i : i + 2], 16) for i in (1, 3, 5)]
    for layer in deck.layers:
        if layer.type == "TextLayer":
            layer.data = labels
            layer.get_size = MIN_TEXT
            layer.get_color = [*ink, 255]
            layer.outline_color = [*halo, 235]
        elif layer.type == "ScatterplotLayer":
            layer.radius_scale = 1.5
    deck.initial_view_state.latitude = view.latitude
    deck.initial_view_state.longitude = view.longitude
    deck.initial_view_state.zoom = view.zoom
    return deck
