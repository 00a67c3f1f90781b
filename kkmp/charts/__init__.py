"""Plotly figures for the pages and the briefing, one module per page. Pure: frames in, figures out."""

from __future__ import annotations

import html
from collections.abc import Iterable

import plotly.graph_objects as go

FONT = "Source Sans Pro, Arial, sans-serif"


def chart_text(value: object) -> str:
    """User-supplied text for a plotly label, tick or tooltip: shown as text, never as plotly's HTML."""
    return html.escape(str(value), quote=False)


def chart_texts(values: Iterable[object]) -> list[str]:
    """`chart_text` of every value."""
    return [chart_text(v) for v in values]


def base_layout(fig: go.Figure, *, height: int = 380, font_size: int = 14) -> go.Figure:
    """Common look: readable fonts, legend on top, tight margins, transparent background."""
    fig.update_layout(
        height=height,
        margin={"l": 8, "r": 8, "t": 40, "b": 8},
        font={"family": FONT, "size": font_size},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "left", "x": 0},
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
    )
    return fig
