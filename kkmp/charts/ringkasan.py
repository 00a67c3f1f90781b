"""Figures of the Ringkasan page: KKMP physical status by kecamatan."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from kkmp.charts import base_layout, chart_texts
from kkmp.i18n import label, t
from kkmp.palette import OKABE_ITO, STATUS_FISIK_COLORS
from kkmp.schema import STATUS_FISIK


def plot_stages_by_kecamatan(
    stages: pd.DataFrame, lang: str = "id", *, font_size: int = 14, level: str = "kecamatan"
) -> go.Figure:
    """Stacked horizontal bars: KKMP per area (kecamatan by default) by status, with trading counts marked."""
    if level != "kecamatan":
        stages = stages.rename(columns={level: "kecamatan"})
    fig = go.Figure()
    order = (
        stages.groupby("kecamatan")["jumlah"].sum().sort_values(ascending=True).index.tolist()
        if not stages.empty
        else []
    )
    for status in STATUS_FISIK:
        part = stages[stages["status_fisik"] == status].set_index("kecamatan").reindex(order)
        fig.add_bar(
            y=chart_texts(order),
            x=part["jumlah"].fillna(0).tolist(),
            name=label("status_fisik", status, lang),
            orientation="h",
            marker_color=STATUS_FISIK_COLORS[status],
            hovertemplate="%{y}: %{x}<extra>" + label("status_fisik", status, lang) + "</extra>",
        )
    trading = (
        stages.drop_duplicates("kecamatan").set_index("kecamatan").reindex(order)["usaha_berjalan"] if order else []
    )
    fig.add_scatter(
        y=chart_texts(order),
        x=list(trading) if len(order) else [],
        name=t("ringkasan.usaha_berjalan", lang),
        mode="markers",
        marker={"symbol": "diamond", "size": 12, "color": OKABE_ITO["blue"], "line": {"width": 1, "color": "white"}},
        hovertemplate="%{y}: %{x}<extra>" + t("ringkasan.usaha_berjalan", lang) + "</extra>",
    )
    fig.update_layout(barmode="stack", xaxis_title=t("ringkasan.jumlah_kkmp", lang), yaxis_title=None)
    fig.update_xaxes(
        dtick=1 if len(order) and stages["jumlah"].max() <= 12 else None, rangemode="tozero", tickformat=",d"
    )
    return base_layout(fig, height=max(260, 46 * max(len(order), 1) + 90), font_size=font_size)
