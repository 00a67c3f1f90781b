"""Figures of the RAT page (and the briefing): compliance gauges, per-kecamatan bars, trend, status."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from kkmp.charts import base_layout, chart_text, chart_texts
from kkmp.i18n import format_number, format_percent, label, t
from kkmp.palette import OKABE_ITO, RAT_BAND_COLORS, RAT_KATEGORI_COLORS, with_alpha
from kkmp.rat import KATEGORI
from kkmp.settings import RatRule

BAND_ALPHA = 0.18
INK = "#262730"


def _separators(lang: str) -> str:
    return ",." if lang == "id" else ".,"


def _bands(rule: RatRule) -> list[tuple[float, float, str]]:
    return [
        (0.0, rule.batas_merah, RAT_BAND_COLORS["merah"]),
        (rule.batas_merah, rule.batas_kuning, RAT_BAND_COLORS["kuning"]),
        (rule.batas_kuning, 100.0, RAT_BAND_COLORS["hijau"]),
    ]


def plot_rat_gauge(
    persen: float | None,
    title: str,
    rule: RatRule,
    lang: str = "id",
    *,
    detail: str | None = None,
    font_size: int = 14,
    height: int | None = None,
) -> go.Figure:
    """A 0–100 % gauge with red/amber/green bands and the target line; "no data" when `persen` is None."""
    empty = persen is None or pd.isna(persen)
    heading = title if not detail else f"{title}<br><span style='font-size:0.85em;color:#555'>{detail}</span>"
    fig = go.Figure(
        go.Indicator(
            mode="gauge" if empty else "gauge+number",
            value=None if empty else float(persen),
            number={"suffix": "%", "valueformat": ".1f", "font": {"size": round(font_size * 3), "color": INK}},
            title={"text": heading, "font": {"size": round(font_size * 1.1), "color": INK}},
            gauge={
                "axis": {
                    "range": [0, 100],
                    "tickvals": sorted({0, rule.batas_merah, rule.batas_kuning, 100}),
                    "ticksuffix": "%",
                    "tickfont": {"size": round(font_size * 0.85)},
                },
                "bar": {"color": OKABE_ITO["blue"], "thickness": 0.35},
                "bgcolor": "white",
                "borderwidth": 0,
                "steps": [{"range": [a, b], "color": with_alpha(c, 0.45)} for a, b, c in _bands(rule)],
                "threshold": {
                    "line": {"color": OKABE_ITO["black"], "width": 4},
                    "thickness": 0.9,
                    "value": rule.target_persen,
                },
            },
            domain={"x": [0, 1], "y": [0, 1]},
        )
    )
    if empty:
        fig.add_annotation(
            text=t("rat.tidak_ada_data", lang), x=0.5, y=0.1, showarrow=False, font={"size": round(font_size * 1.4)}
        )
    fig.update_layout(separators=_separators(lang))
    top = round(font_size * (1.6 * (heading.count("<br>") + 1) + 1.5))
    base_layout(fig, height=height or round(200 * font_size / 14) + top, font_size=font_size)
    fig.update_layout(margin={"l": 28, "r": 28, "t": top, "b": 8})
    return fig


def _share_texts(
    rows: pd.DataFrame, persen: str, sudah: str, jumlah: str, lang: str, *, blank_empty: bool = False
) -> list[str]:
    """'68,8% (22/32)' per row; with `blank_empty`, nothing where there is nothing to count."""
    return [
        ""
        if blank_empty and not n
        else f"{format_percent(p, lang)} ({format_number(s, lang)}/{format_number(n, lang)})"
        for p, s, n in zip(rows[persen], rows[sudah], rows[jumlah], strict=True)
    ]


def plot_rat_by_kecamatan(
    by_kecamatan: pd.DataFrame, rule: RatRule, lang: str = "id", *, font_size: int = 14, level: str = "kecamatan"
) -> go.Figure:
    """Horizontal bars of both measures per area (kecamatan by default), worst at the top, on the bands."""
    by_kecamatan = by_kecamatan.rename(columns={level: "kecamatan"})
    order = by_kecamatan["kecamatan"].tolist()[::-1]  # plotly draws the first category at the bottom
    rows = by_kecamatan.set_index("kecamatan").reindex(order)
    fig = go.Figure()
    for a, b, c in _bands(rule):
        fig.add_vrect(x0=a, x1=b, fillcolor=with_alpha(c, BAND_ALPHA), line_width=0, layer="below")
    city_name = t("rat.ukuran_kota_pendek", lang)
    fig.add_bar(
        y=chart_texts(order),
        x=rows["persen"].tolist(),
        orientation="h",
        name=city_name,
        marker_color=OKABE_ITO["blue"],
        text=_share_texts(rows, "persen", "sudah", "dihitung", lang, blank_empty=True),
        textposition="auto",  # inside when it fits, else just past the bar's end
        insidetextanchor="end",
        insidetextfont={"color": "white"},
        outsidetextfont={"color": OKABE_ITO["black"]},
        constraintext="none",
        hovertemplate="%{y}: %{text}<extra>" + city_name + "</extra>",
    )
    official_name = t("rat.ukuran_resmi_pendek", lang)
    fig.add_scatter(
        y=chart_texts(order),
        x=rows["persen_wajib"].tolist(),
        mode="markers",
        name=official_name,
        marker={"symbol": "diamond", "size": round(font_size * 0.9), "color": OKABE_ITO["black"]},
        customdata=_share_texts(rows, "persen_wajib", "sudah_wajib", "wajib", lang),
        hovertemplate="%{y}: %{customdata}<extra>" + official_name + "</extra>",
    )
    for kec, n in zip(order, rows["dihitung"], strict=True):
        if not n:
            fig.add_annotation(
                x=1,
                y=chart_text(kec),
                text=t("rat.tidak_ada_data", lang),
                showarrow=False,
                xanchor="left",
                font={"color": "#555"},
            )
    fig.add_vline(x=rule.target_persen, line={"color": OKABE_ITO["black"], "width": 2, "dash": "dash"})
    fig.update_xaxes(range=[0, 118], ticksuffix="%", tickvals=[0, rule.batas_merah, rule.batas_kuning, 100])
    fig.update_layout(separators=_separators(lang), bargap=0.35, yaxis_title=None)
    return base_layout(fig, height=max(240, round(font_size * 3.2) * max(len(order), 1) + 100), font_size=font_size)


def plot_rat_trend(trend: pd.DataFrame, rule: RatRule, lang: str = "id", *, font_size: int = 14) -> go.Figure:
    """Both measures per financial year, on the bands, with the target line."""
    fig = go.Figure()
    for a, b, c in _bands(rule):
        fig.add_hrect(y0=a, y1=b, fillcolor=with_alpha(c, BAND_ALPHA), line_width=0, layer="below")
    series = [
        ("persen", t("rat.ukuran_kota_pendek", lang), OKABE_ITO["blue"], "circle"),
        ("persen_wajib", t("rat.ukuran_resmi_pendek", lang), OKABE_ITO["black"], "diamond"),
    ]
    for column, name, color, symbol in series:
        fig.add_scatter(
            x=trend["tahun_buku"].tolist(),
            y=trend[column].tolist(),
            name=name,
            mode="lines+markers+text",
            line={"color": color, "width": 3},
            marker={"symbol": symbol, "size": round(font_size * 0.8), "color": color},
            text=[format_percent(v, lang) for v in trend[column]],
            textposition="top center",
            hovertemplate=t("rat.tb", lang) + " %{x}: %{text}<extra>" + name + "</extra>",
        )
    fig.add_hline(y=rule.target_persen, line={"color": OKABE_ITO["black"], "width": 2, "dash": "dash"})
    fig.update_xaxes(dtick=1, tickformat="d", title=t("rat.tahun_buku", lang))
    fig.update_yaxes(range=[0, 112], ticksuffix="%", tickvals=[0, rule.batas_merah, rule.batas_kuning, 100])
    fig.update_layout(separators=_separators(lang))
    return base_layout(fig, height=round(340 * font_size / 14), font_size=font_size)


def plot_rat_status_by_kecamatan(
    status: pd.DataFrame, order: list[str], lang: str = "id", *, font_size: int = 14, level: str = "kecamatan"
) -> go.Figure:
    """Stacked bars per area (kecamatan by default): held on time, late, scheduled, not held, not yet required."""
    status = status.rename(columns={level: "kecamatan"})
    y = order[::-1]
    fig = go.Figure()
    for kategori in KATEGORI:
        part = status[status["kategori"] == kategori].set_index("kecamatan").reindex(y)
        name = label("rat_kategori", kategori, lang)
        fig.add_bar(
            y=chart_texts(y),
            x=part["jumlah"].fillna(0).tolist(),
            orientation="h",
            name=name,
            marker_color=RAT_KATEGORI_COLORS[kategori],
            hovertemplate="%{y}: %{x}<extra>" + name + "</extra>",
        )
    fig.update_layout(barmode="stack", xaxis_title=t("rat.jumlah_koperasi", lang), yaxis_title=None)
    fig.update_xaxes(rangemode="tozero", tickformat=",d")
    return base_layout(fig, height=max(240, round(font_size * 3.2) * max(len(y), 1) + 110), font_size=font_size)
