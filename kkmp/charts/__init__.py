"""Plotly figures for the pages and the briefing, one module per page. Pure: frames in, figures out."""

from __future__ import annotations

import plotly.graph_objects as go

FONT = "Source Sans Pro, Arial, sans-serif"


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
