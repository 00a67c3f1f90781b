"""Figures of the Pembangunan page and the briefing: Kurva S, Gantt timeline, compact statuses."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from kkmp.charts import base_layout, chart_text
from kkmp.i18n import format_date, format_number, label, t
from kkmp.palette import BUILD_STATUS_COLORS, OKABE_ITO
from kkmp.pembangunan import KurvaS, build_labels, kritis_threshold
from kkmp.settings import KontrakKritisRule

FORECAST_VIEW_DAYS = 120  # a forecast further past the target than this is marked, not drawn to scale


def _ts(value: object) -> pd.Timestamp | None:
    if value is None or value is pd.NaT or (not isinstance(value, (str, dt.date)) and pd.isna(value)):
        return None
    return pd.Timestamp(value)


def _points(value: float, lang: str) -> str:
    """A deviasi in points with its sign, in the user's number format: +0,6 / -18,5."""
    return ("+" if value > 0 else "") + format_number(value, lang, 1)


def _vline(fig: go.Figure, when: pd.Timestamp, name: str, color: str, dash: str, y: tuple[float, float], **kw) -> None:
    fig.add_scatter(
        x=[when, when],
        y=list(y),
        mode="lines",
        name=name,
        line={"color": color, "dash": dash, "width": 1.5},
        hovertemplate=f"{chart_text(name)}: %{{x|%d/%m/%Y}}<extra></extra>",
        **kw,
    )


def _paper_vline(fig: go.Figure, when: pd.Timestamp, name: str, color: str, dash: str) -> None:
    """A full-height vertical line on a categorical chart, with a legend entry."""
    line = {"color": color, "dash": dash, "width": 1.5}
    fig.add_shape(type="line", x0=when, x1=when, xref="x", y0=0, y1=1, yref="paper", line=line, name=name)
    fig.add_scatter(x=[None], y=[None], mode="lines", line=line, name=name, hoverinfo="skip")


def _inside(when: object, x_range: list[pd.Timestamp] | None) -> bool:
    """Whether date `when` (None: no line) falls within `x_range` (None: no fixed range)."""
    if when is None or pd.isna(when):
        return False
    return x_range is None or x_range[0] <= pd.Timestamp(when) <= x_range[1]


def date_ticks(start: pd.Timestamp, end: pd.Timestamp, lang: str) -> dict[str, list]:
    """Tick positions (whole weeks from `start`) and their dates in the user's language."""
    weeks = max(1, math.ceil((end - start).days / 7 / 8))
    values = list(pd.date_range(start, end, freq=f"{7 * weeks}D"))
    texts = [format_date(v, lang, "d MMM") for v in values]
    years = [v.year for v in values]
    texts = [
        x + (f"<br>{y}" if i == 0 or y != years[i - 1] else "")
        for i, (x, y) in enumerate(zip(texts, years, strict=True))
    ]
    return {"tickvals": values, "ticktext": texts}


def kurva_s_range(kurva: KurvaS, perkiraan: object = None) -> list[pd.Timestamp]:
    """The x range of a Kurva S: the build's period (start → later of target, last report, forecast)."""
    end = kurva.target_selesai
    if len(kurva.laporan):
        end = max(end, kurva.laporan["tanggal_laporan"].max())
    forecast = _ts(perkiraan)
    if forecast is not None:
        end = max(end, min(forecast, kurva.target_selesai + pd.Timedelta(days=FORECAST_VIEW_DAYS)))
    return [kurva.tanggal_mulai - pd.Timedelta(days=4), end + pd.Timedelta(days=7)]


def plot_kurva_s(
    kurva: KurvaS,
    lang: str = "id",
    *,
    rule: KontrakKritisRule | None = None,
    perkiraan: object = None,
    today: dt.date | None = None,
    today_label: str | None = None,
    posisi_per: dt.date | None = None,
    show_deviasi: bool = True,
    title: str | None = None,
    font_size: int = 14,
    height: int = 560,
) -> go.Figure:
    """Cumulative rencana and realisasi against time, weekly bars, target/today lines, deviasi per report.

    `title` (escaped here) names the build on a slide; the page shows the name in its selector instead.
    `today` is the reference date's line ("Hari ini" unless `today_label` names it); a date line outside
    the chart's range is neither drawn nor listed in the legend.
    """
    rule = rule or KontrakKritisRule()
    rows = 2 if show_deviasi else 1
    fig = make_subplots(
        rows=rows,
        cols=1,
        shared_xaxes=True,
        row_heights=[0.72, 0.28] if show_deviasi else [1.0],
        vertical_spacing=0.06,
        specs=[[{"secondary_y": True}]] + ([[{}]] if show_deviasi else []),
    )
    lap = kurva.laporan
    weeks = [t("pembangunan.minggu_ke", lang, n=n) if pd.notna(n) else "" for n in lap["minggu_ke"]]
    for column, colour, opacity in (("rencana_minggu", "grey", 0.45), ("realisasi_minggu", "sky", 0.6)):
        name = t(f"pembangunan.{column}", lang)
        fig.add_bar(
            x=lap["tanggal_laporan"].tolist(),
            y=lap[column].tolist(),
            name=name,
            marker_color=OKABE_ITO[colour],
            opacity=opacity,
            hovertemplate="%{x|%d/%m/%Y}: %{y:.1f}%<extra>" + name + "</extra>",
            row=1,
            col=1,
            secondary_y=True,
        )
    plan_name = t("pembangunan.rencana_standar" if kurva.rencana_standar else "pembangunan.rencana", lang)
    fig.add_scatter(
        x=kurva.rencana["tanggal"].tolist(),
        y=kurva.rencana["rencana_persen"].tolist(),
        name=plan_name,
        mode="lines" if kurva.rencana_standar else "lines+markers",
        line={"color": OKABE_ITO["black"], "width": 2, "dash": "dot" if kurva.rencana_standar else "solid"},
        marker={"size": 6},
        hovertemplate="%{x|%d/%m/%Y}: %{y:.1f}%<extra>" + chart_text(plan_name) + "</extra>",
        row=1,
        col=1,
    )
    fig.add_scatter(
        x=[kurva.tanggal_mulai, *lap["tanggal_laporan"].tolist()],
        y=[0.0, *lap["realisasi_persen"].tolist()],
        customdata=[["", None], *([w, d] for w, d in zip(weeks, lap["deviasi"].tolist(), strict=True))],
        name=t("pembangunan.realisasi", lang),
        mode="lines+markers",
        line={"color": OKABE_ITO["vermillion"], "width": 3},
        marker={"size": 8},
        hovertemplate="%{customdata[0]} · %{x|%d/%m/%Y}: %{y:.1f}% · "
        + t("pembangunan.deviasi", lang)
        + " %{customdata[1]:+.1f}<extra></extra>",
        row=1,
        col=1,
    )
    forecast = _ts(perkiraan)
    if forecast is not None and len(lap) and lap["realisasi_persen"].iloc[-1] < 100:
        fig.add_scatter(
            x=[lap["tanggal_laporan"].iloc[-1], forecast],
            y=[lap["realisasi_persen"].iloc[-1], 100.0],
            name=t("pembangunan.perkiraan", lang),
            mode="lines+markers",
            line={"color": OKABE_ITO["vermillion"], "width": 2, "dash": "dash"},
            marker={"symbol": ["circle", "diamond"], "size": [1, 11]},
            hovertemplate="%{x|%d/%m/%Y}: %{y:.0f}%<extra>" + t("pembangunan.perkiraan", lang) + "</extra>",
            row=1,
            col=1,
        )
    _vline(fig, kurva.target_selesai, t("pembangunan.target_selesai", lang), OKABE_ITO["blue"], "dash", (0, 105))
    x_range = kurva_s_range(kurva, perkiraan)
    if _inside(posisi_per, x_range):
        _vline(fig, pd.Timestamp(posisi_per), t("pembangunan.posisi_data", lang), OKABE_ITO["grey"], "dot", (0, 105))
    if _inside(today, x_range):
        name = today_label or t("pembangunan.hari_ini", lang)
        _vline(fig, pd.Timestamp(today), name, OKABE_ITO["green"], "solid", (0, 105))
    if show_deviasi:
        limit = -kritis_threshold(lap["rencana_persen"], rule)
        beyond = lap["deviasi"] < limit
        colors = [
            BUILD_STATUS_COLORS["kritis"] if b else BUILD_STATUS_COLORS["terlambat" if d < 0 else "normal"]
            for d, b in zip(lap["deviasi"], beyond, strict=True)
        ]
        fig.add_bar(
            x=lap["tanggal_laporan"].tolist(),
            y=lap["deviasi"].tolist(),
            name=t("pembangunan.deviasi", lang),
            marker_color=colors,
            text=[_points(d, lang) for d in lap["deviasi"]],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{x|%d/%m/%Y}: %{y:+.1f}<extra>" + t("pembangunan.deviasi", lang) + "</extra>",
            showlegend=False,
            row=2,
            col=1,
        )
        fig.add_scatter(
            x=lap["tanggal_laporan"].tolist(),
            y=limit.tolist(),
            name=t("pembangunan.batas_kritis", lang),
            mode="lines",
            line={"color": BUILD_STATUS_COLORS["kritis"], "dash": "dash", "shape": "hv", "width": 1.5},
            hovertemplate="%{x|%d/%m/%Y}: %{y:.0f}<extra>" + t("pembangunan.batas_kritis", lang) + "</extra>",
            row=2,
            col=1,
        )
        low = min(float(lap["deviasi"].min()) if len(lap) else 0.0, float(limit.min()) if len(lap) else -10.0)
        high = max(float(lap["deviasi"].max()) if len(lap) else 0.0, 0.0)
        pad = max(2.0, 0.25 * (high - low))
        fig.update_yaxes(title_text=t("pembangunan.poin", lang), range=[low - pad, high + pad], row=2, col=1)
    fig.update_yaxes(title_text=t("pembangunan.persen_kumulatif", lang), range=[0, 105], row=1, col=1)
    top_week = max(float(lap[["rencana_minggu", "realisasi_minggu"]].max().max()) if len(lap) else 0.0, 5.0)
    fig.update_yaxes(
        title_text=t("pembangunan.persen_minggu", lang),
        range=[0, math.ceil(top_week * 3 / 5) * 5],
        showgrid=False,
        tickmode="auto",
        nticks=6,
        row=1,
        col=1,
        secondary_y=True,
    )
    fig.update_xaxes(range=x_range, type="date", **date_ticks(kurva.tanggal_mulai, x_range[1], lang))
    fig.update_layout(barmode="group", bargap=0.3)
    fig = base_layout(fig, height=height, font_size=font_size)
    if title:
        fig.update_layout(
            title={
                "text": chart_text(title),
                "x": 0,
                "xanchor": "left",
                "y": 0.99,
                "yanchor": "top",
                "yref": "container",
            },
            margin={"t": 60 + 4 * font_size},
        )
    return fig


def _label_or_id(builds: pd.DataFrame, lang: str) -> list[str]:
    return [chart_text(s) for s in build_labels(builds, lang)] if len(builds) else []


def plot_gantt(
    builds: pd.DataFrame,
    lang: str = "id",
    *,
    today: dt.date | None = None,
    today_label: str | None = None,
    posisi_per: dt.date | None = None,
    font_size: int = 14,
    height: int | None = None,
) -> go.Figure:
    """Timeline per build: start → target, actual progress as a share of it, forecast finish past the target.

    Date lines (`today`, named `today_label`, and `posisi_per`) outside the timeline are not drawn.
    """
    fig = go.Figure()
    names = _label_or_id(builds, lang)
    in_legend: set[str] = set()
    for i, (_, b) in enumerate(builds.iterrows()):
        start, target = pd.Timestamp(b["tanggal_mulai"]), pd.Timestamp(b["target_selesai"])
        color = BUILD_STATUS_COLORS.get(b["status"], OKABE_ITO["grey"])
        status = label("status_pembangunan", b["status"], lang)
        fig.add_scatter(
            x=[start, target],
            y=[names[i]] * 2,
            mode="lines",
            line={"color": "rgba(158,158,158,0.45)", "width": 22},
            name=t("pembangunan.jadwal_rencana", lang),
            legendgroup="jadwal",
            showlegend=i == 0,
            hovertemplate=f"{names[i]}: %{{x|%d/%m/%Y}}<extra>{t('pembangunan.jadwal_rencana', lang)}</extra>",
        )
        if pd.notna(b["realisasi_persen"]):
            done = start + (target - start) * min(float(b["realisasi_persen"]), 100.0) / 100.0
            first_of_status = b["status"] not in in_legend  # one legend entry per status, however many builds
            in_legend.add(b["status"])
            fig.add_scatter(
                x=[start, done],
                y=[names[i]] * 2,
                mode="lines",
                line={"color": color, "width": 10},
                name=status,
                legendgroup=b["status"],
                showlegend=first_of_status,
                hovertemplate=f"{names[i]}: {b['realisasi_persen']:.1f}%<extra>{chart_text(status)}</extra>",
            )
        forecast = _ts(b["perkiraan_selesai"])
        if forecast is not None:
            if forecast > target:
                fig.add_scatter(
                    x=[target, forecast],
                    y=[names[i]] * 2,
                    mode="lines",
                    line={"color": BUILD_STATUS_COLORS["kritis"], "width": 3, "dash": "dot"},
                    name=t("pembangunan.molor", lang),
                    legendgroup="molor",
                    showlegend=False,
                    hoverinfo="skip",
                )
            fig.add_scatter(
                x=[forecast],
                y=[names[i]],
                mode="markers",
                marker={"symbol": "diamond", "size": 13, "color": color, "line": {"width": 1, "color": "black"}},
                name=t("pembangunan.perkiraan_selesai", lang),
                legendgroup="perkiraan",
                showlegend=False,
                hovertemplate=f"{names[i]}: %{{x|%d/%m/%Y}}<extra>{t('pembangunan.perkiraan_selesai', lang)}</extra>",
            )
    x_range = None
    if len(builds):
        ends = [builds["target_selesai"].max()]
        forecasts = builds["perkiraan_selesai"].dropna()
        if len(forecasts):
            ends.append(min(forecasts.max(), builds["target_selesai"].max() + pd.Timedelta(days=FORECAST_VIEW_DAYS)))
        first = builds["tanggal_mulai"].min()
        last = max(ends) + pd.Timedelta(days=10)
        x_range = [first - pd.Timedelta(days=7), last]
        fig.update_xaxes(range=x_range, **date_ticks(first, last, lang))
    if _inside(posisi_per, x_range):
        _paper_vline(fig, pd.Timestamp(posisi_per), t("pembangunan.posisi_data", lang), OKABE_ITO["grey"], "dot")
    if _inside(today, x_range):
        name = today_label or t("pembangunan.hari_ini", lang)
        _paper_vline(fig, pd.Timestamp(today), name, OKABE_ITO["green"], "solid")
    fig.update_yaxes(autorange="reversed", categoryorder="array", categoryarray=names)
    fig.update_xaxes(type="date")
    return base_layout(fig, height=height or max(200, 56 * max(len(builds), 1) + 110), font_size=font_size)


def plot_build_statuses(
    builds: pd.DataFrame, lang: str = "id", *, font_size: int = 14, height: int | None = None
) -> go.Figure:
    """Compact: realisasi per build as a bar coloured by status, with the rencana marked."""
    fig = go.Figure()
    names = _label_or_id(builds, lang)
    statuses = [label("status_pembangunan", s, lang) for s in builds["status"]]
    fig.add_bar(
        y=names,
        x=builds["realisasi_persen"].fillna(0.0).tolist(),
        orientation="h",
        marker_color=[BUILD_STATUS_COLORS.get(s, OKABE_ITO["grey"]) for s in builds["status"]],
        text=[f"{s} · {d:+.1f}" if pd.notna(d) else s for s, d in zip(statuses, builds["deviasi"], strict=True)],
        textposition="auto",
        name=t("pembangunan.kolom.realisasi", lang),
        hovertemplate="%{y}: %{x:.1f}% · %{text}<extra></extra>",
    )
    fig.add_scatter(
        y=names,
        x=builds["rencana_persen"].tolist(),
        mode="markers",
        marker={"symbol": "line-ns", "size": 26, "line": {"width": 3, "color": OKABE_ITO["black"]}},
        name=t("pembangunan.rencana", lang),
        hovertemplate="%{y}: %{x:.1f}%<extra>" + t("pembangunan.rencana", lang) + "</extra>",
    )
    fig.update_xaxes(range=[0, 102], dtick=20, title_text=t("pembangunan.realisasi_vs_rencana", lang))
    fig.update_yaxes(autorange="reversed")
    return base_layout(fig, height=height or max(180, 48 * max(len(builds), 1) + 100), font_size=font_size)


def forecast_note(row: pd.Series, lang: str) -> str:
    """Days past or before the target, or why there is no forecast."""
    if pd.isna(row["perkiraan_selesai"]):
        reason = row["alasan_tanpa_perkiraan"]
        return t(f"pembangunan.tanpa_perkiraan.{reason}", lang) if isinstance(reason, str) else "—"
    days = int(row["hari_terlambat"])
    key = "pembangunan.hari_terlambat_nilai" if days > 0 else "pembangunan.hari_lebih_awal_nilai"
    return format_date(row["perkiraan_selesai"], lang, "medium") + " · " + t(key, lang, n=abs(days))
