"""Figures for the Briefing slides: large type for a 1920×1080 screen, dark or light theme."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from kkmp.charts import FONT
from kkmp.i18n import format_number, label, t
from kkmp.palette import OKABE_ITO, STATUS_FISIK_COLORS

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
        title_text=t("briefing.jumlah_kkmp", lang), range=[0, top * 1.2 + 0.5], dtick=1 if top <= 10 else None
    )
    return style_figure(fig, theme, lang=lang)


def plot_static_map(points: pd.DataFrame, lang: str, theme: Theme) -> go.Figure:
    """Kelurahan points coloured by physical status, drawn without map tiles (works offline)."""
    fig = go.Figure()
    for status, colour in STATUS_FISIK_COLORS.items():
        part = points[points["status_fisik"] == status]
        if part.empty:
            continue
        big = status != "usulan"
        fig.add_scatter(
            x=part["lon"],
            y=part["lat"],
            mode="markers+text" if big else "markers",
            name=label("status_fisik", status, lang),
            text=part["kelurahan"] if big else None,
            textposition="middle right",
            textfont={"size": CHART_FONT, "color": theme.text},
            marker={
                "size": 34 if big else 22,
                "color": colour,
                "symbol": "diamond" if big else "circle",
                "line": {"width": 2, "color": theme.text},
            },
            hovertext=part["kelurahan"],
            hoverinfo="text",
        )
    trading = points[points["usaha_berjalan"]]
    if not trading.empty:
        fig.add_scatter(
            x=trading["lon"],
            y=trading["lat"],
            mode="markers",
            name=t("briefing.usaha_berjalan", lang),
            marker={"size": 46, "color": "rgba(0,0,0,0)", "line": {"width": 4, "color": OKABE_ITO["sky"]}},
            hovertext=trading["kelurahan"],
            hoverinfo="text",
        )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1)
    style_figure(fig, theme, lang=lang)
    fig.update_layout(legend={"orientation": "v", "x": 0.0, "y": 0.0, "xanchor": "left", "yanchor": "bottom"})
    return fig
