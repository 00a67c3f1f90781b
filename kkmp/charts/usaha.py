"""Figures of the Usaha & lahan page (and the briefing's funnel slide): the programme funnel,
distribution per month and commodity, own versus outside capital per KKMP."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from kkmp.charts import base_layout, chart_texts
from kkmp.i18n import format_date, label, t
from kkmp.palette import NO_DATA_COLOR, OKABE_ITO, STATUS_FISIK_COLORS, STATUS_LAHAN_COLORS
from kkmp.usaha import NO_DATA, FunnelStep

MAX_COMMODITY_PANELS = 6
FUNNEL_COLORS = {
    **{f"usulan:{s}": c for s, c in STATUS_LAHAN_COLORS.items()},
    f"usulan:{NO_DATA}": NO_DATA_COLOR,
    "pembangunan": STATUS_FISIK_COLORS["pembangunan"],
    "selesai": STATUS_FISIK_COLORS["selesai"],
    "usaha_berjalan": OKABE_ITO["blue"],
}


def step_label(step: FunnelStep, lang: str) -> str:
    """'Usulan · Belum ada lahan', 'Pembangunan', … — the name of a funnel step."""
    stage = t(f"usaha.corong.{step.tahap}", lang)
    if step.lahan is None:
        return stage
    land = t("usaha.corong.tanpa_data", lang) if step.lahan == NO_DATA else label("status_lahan", step.lahan, lang)
    return t("usaha.corong.langkah", lang, tahap=stage, lahan=land)


def step_color(step: FunnelStep) -> str:
    """The colour of a funnel step (land statuses as on the map, build statuses as elsewhere)."""
    return FUNNEL_COLORS[f"{step.tahap}:{step.lahan}" if step.lahan else step.tahap]


#: With labels above the bars: the share of each row the bar takes (the rest holds the step's name).
BAR_SHARE_LABELS_ABOVE = 0.5


def plot_funnel(
    steps: list[FunnelStep], lang: str = "id", *, font_size: int = 14, labels_above: bool = False
) -> go.Figure:
    """Horizontal bars, first step on top: KKMP per funnel step, with how many already trade (◆).

    `labels_above` writes each step's name above its bar instead of in a left margin, so the bars keep the
    whole width however narrow the screen (the Briefing on a phone).
    """
    names = [step_label(s, lang) for s in steps]
    fig = go.Figure()
    fig.add_bar(
        y=names,
        x=[s.jumlah for s in steps],
        orientation="h",
        marker_color=[step_color(s) for s in steps],
        marker_line={"color": "#374151", "width": 1},
        text=[str(s.jumlah) for s in steps],
        textposition="outside",
        cliponaxis=False,
        name=t("usaha.grafik.kkmp", lang),
        hovertemplate="%{y}: %{x}<extra></extra>",
    )
    fig.add_scatter(
        y=names,
        x=[s.berusaha or None for s in steps],  # no mark where none trade
        mode="markers",
        marker={"symbol": "diamond", "size": 12, "color": OKABE_ITO["blue"], "line": {"width": 1, "color": "white"}},
        name=t("usaha.grafik.berusaha", lang),
        hovertemplate="%{y}: %{x}<extra>" + t("usaha.grafik.berusaha", lang) + "</extra>",
    )
    fig.update_yaxes(autorange="reversed")
    if labels_above:
        fig.update_layout(bargap=1 - BAR_SHARE_LABELS_ABOVE)
        fig.update_yaxes(showticklabels=False)
        for i, name in enumerate(names):
            fig.add_annotation(
                x=0,
                y=i - BAR_SHARE_LABELS_ABOVE / 2,  # the bar's upper edge (the axis is reversed)
                xref="x",
                yref="y",
                text=chart_texts([name])[0],
                showarrow=False,
                xanchor="left",
                yanchor="bottom",
                font={"size": font_size},
            )
    top = max([s.jumlah for s in steps] or [0])
    fig.update_xaxes(
        title=t("usaha.grafik.kkmp", lang), rangemode="tozero", tickformat=",d", range=[0, max(top * 1.15, 1)]
    )
    return base_layout(fig, height=max(280, 40 * len(steps) + 110), font_size=font_size)


def plot_distribution(monthly: pd.DataFrame, lang: str = "id") -> go.Figure:
    """One panel per commodity and unit (largest first): quantity per month; units are never mixed."""
    if monthly.empty:
        return base_layout(go.Figure())
    totals = monthly.groupby(["komoditas", "satuan"])["jumlah"].sum().sort_values(ascending=False)
    panels = list(totals.index[:MAX_COMMODITY_PANELS])
    cols = min(3, len(panels))
    rows = -(-len(panels) // cols)
    titles = [f"{label('komoditas', k, lang)} ({t('briefing.satuan_' + str(s), lang)})" for k, s in panels]
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=chart_texts(titles), vertical_spacing=0.16)
    months = sorted(monthly["bulan"].unique())
    ticks = [format_date(m, lang, "MMM y") for m in months]
    for i, (komoditas, satuan) in enumerate(panels):
        part = monthly[(monthly["komoditas"] == komoditas) & (monthly["satuan"] == satuan)]
        part = part.set_index("bulan").reindex(months)
        fig.add_bar(
            x=ticks,
            y=part["jumlah"].fillna(0).tolist(),
            marker_color=OKABE_ITO["blue"] if str(komoditas).startswith("lpg") else OKABE_ITO["orange"],
            name=chart_texts([titles[i]])[0],
            showlegend=False,
            hovertemplate="%{x}: %{y:,.0f}<extra>" + chart_texts([titles[i]])[0] + "</extra>",
            row=i // cols + 1,
            col=i % cols + 1,
        )
    fig.update_yaxes(rangemode="tozero", tickformat=",d")
    return base_layout(fig, height=260 * rows + 40)


CAPITAL_BARS = 40
"""KKMP a capital chart shows at most: the largest; one bar per KKMP of a country is not a chart."""


def plot_capital(capital: pd.DataFrame, lang: str = "id", limit: int = CAPITAL_BARS) -> go.Figure:
    """Stacked horizontal bars per KKMP: modal sendiri and modal luar (Rp), largest total on top (at most `limit`)."""
    frame = capital.assign(total=capital["modal_total"].fillna(0)).sort_values("total", kind="stable").tail(limit)
    names = chart_texts(frame["kelurahan"].fillna("—"))
    fig = go.Figure()
    for column, color in (("modal_sendiri", OKABE_ITO["green"]), ("modal_luar", OKABE_ITO["purple"])):
        name = t(f"usaha.kolom.{column}", lang)
        fig.add_bar(
            y=names,
            x=frame[column].astype("float64").fillna(0).tolist(),
            orientation="h",
            name=name,
            marker_color=color,
            hovertemplate="%{y}: Rp%{x:,.0f}<extra>" + name + "</extra>",
        )
    fig.update_layout(barmode="stack", yaxis={"dtick": 1})
    fig.update_xaxes(title=t("usaha.modal.sumbu", lang), rangemode="tozero", tickformat=",.0s")
    return base_layout(fig, height=max(300, 18 * len(frame) + 120))
