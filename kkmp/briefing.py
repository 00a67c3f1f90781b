"""The Briefing deck: one `Slide` spec per slide (title, posisi per, source, sample flag, numbers, figures).

Pure: a snapshot (and, for the "what changed" slide, a baseline) in, a list of slides out. The page
renders the specs with Streamlit; `kkmp.deck_export` renders the same specs to PNG and PDF.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from kkmp import usaha
from kkmp.acuan import default_reference, figures_as_of
from kkmp.charts import chart_text
from kkmp.charts.briefing import (
    Theme,
    get_theme,
    plot_map_data,
    plot_partner_counts,
    style_figure,
)
from kkmp.charts.pembangunan import plot_kurva_s
from kkmp.charts.rat import plot_rat_gauge
from kkmp.charts.ringkasan import plot_stages_by_kecamatan
from kkmp.charts.usaha import plot_funnel, step_color, step_label
from kkmp.i18n import format_date, format_number, format_percent, label, t
from kkmp.maps import MapData, build_map_data
from kkmp.metrics import as_of, builds_frame, chart_level, headline_summary, kkmp_frame, stages_by_area
from kkmp.palette import BUILD_STATUS_COLORS
from kkmp.pembangunan import build_series, past_target, status_text
from kkmp.plausibility import today_wita
from kkmp.settings import Settings
from kkmp.store import DatasetMeta, Snapshot, Store
from kkmp.tindak_lanjut import keterangan as follow_up_note
from kkmp.tindak_lanjut import tindak_lanjut
from kkmp.wilayah import WilayahFilter, area_label

SLIDE_KEYS = ("angka", "peta", "pembangunan", "rat", "mitra", "lahan", "perubahan", "tindak_lanjut")
DEFAULT_LOOKBACK_DAYS = 28
MAX_CHANGES = 9
MAX_COMMODITIES = 4
MAX_KURVA_S = 3
MAP_INDICATOR = "status_fisik"
KURVA_S_FONT = 22
GAUGE_FONT = 26  # the RAT page's gauge scales its number to 3× this


@dataclass(frozen=True)
class Headline:
    """A big number on a slide: its label, the formatted value and a short note."""

    label: str
    value: str
    note: str = ""
    color: str = ""  # a legend colour (hex) when the number keys a map or chart


@dataclass(frozen=True)
class Change:
    """One line of the "what changed" slide: a figure before and after."""

    label: str
    before: str
    after: str
    delta: str
    direction: int  # -1 down, 0 same, 1 up


@dataclass(frozen=True)
class ListRow:
    """One line of a list slide (the follow-up list): who, what to do, and the figure behind it."""

    nama: str  # "Manggar (Balikpapan Timur)"
    jenis: str  # "Kontrak kritis"
    keterangan: str
    color: str = ""  # the severity's colour (hex), drawn as a bar at the line's start


@dataclass(frozen=True)
class Slide:
    """Everything one slide shows; rendering is left to the page or the exporter."""

    key: str
    title: str
    posisi_per: str
    sumber: str
    contoh: bool
    headlines: tuple[Headline, ...] = ()
    figures: tuple[go.Figure, ...] = ()
    changes: tuple[Change, ...] = ()
    rows: tuple[ListRow, ...] = ()
    note: str = ""
    figure_widths: tuple[int, ...] = field(default=())
    map_data: MapData | None = None  # the map slide: pydeck on screen, figures[0] (static) in the export
    acuan: str = ""  # "Tanggal acuan 12 Desember 2025" on a slide that shows statuses (they are as of that date)

    @property
    def footer(self) -> str:
        """The footer's bold line: the data's "posisi per" and, on a slide of statuses, the reference date."""
        return " · ".join(p for p in (self.posisi_per, self.acuan) if p)

    def widths(self) -> tuple[int, ...]:
        """Relative widths of the figures (equal unless given)."""
        return self.figure_widths or (1,) * len(self.figures)


@dataclass(frozen=True)
class Baseline:
    """What the "what changed" slide compares with: a past revision, or the data as of a date."""

    snapshot: Snapshot
    revision: int
    as_of: dt.date | None

    def describe(self, lang: str) -> str:
        """ "revisi 3" or "21 Oktober 2025" — the words after "Perubahan sejak"."""
        if self.as_of is not None:
            return format_date(self.as_of, lang)
        return t("briefing.revisi", lang, revisi=self.revision)


def baseline_at_revision(store: Store, revision: int) -> Baseline:
    """The data exactly as stored at `revision`."""
    return Baseline(store.snapshot(revision), revision, None)


def baseline_at_date(store: Store, date: dt.date) -> Baseline:
    """The data as it stood on `date`: the revision in force that day, time series cut at that day."""
    revisions = store.revisions()
    end = pd.Timestamp(date) + pd.Timedelta(days=1)
    earlier = revisions[revisions["dibuat_pada"] < end]
    revision = int(earlier["id"].max()) if not earlier.empty else store.latest_revision()
    return Baseline(as_of(store.snapshot(revision), date), revision, date)


def default_baseline(store: Store, snapshot: Snapshot) -> Baseline:
    """The previous revision holding cooperatives; else the data four weeks before the newest date."""
    for revision in range(snapshot.revision - 1, 0, -1):
        previous = store.snapshot(revision)
        if not previous["koperasi"].empty:
            return Baseline(previous, revision, None)
    dates = [m.posisi_per for m in snapshot.meta.values() if m.posisi_per]
    newest = max(dates) if dates else dt.date.today()
    date = newest - dt.timedelta(days=DEFAULT_LOOKBACK_DAYS)
    return Baseline(as_of(snapshot, date), snapshot.revision, date)


def _has_rows(snapshot: Snapshot, datasets: Sequence[str]) -> bool:
    return any(not snapshot[d].empty for d in datasets)


def slide_meta(
    snapshot: Snapshot, datasets: Sequence[str], lang: str, acuan: dt.date | None = None
) -> tuple[str, str, bool]:
    """The slide's "posisi per" line (each date as of `acuan`, see `figures_as_of`), its source line, and whether
    it shows sample data."""
    metas: list[DatasetMeta] = [snapshot.meta[d] for d in datasets if d in snapshot.meta]
    posisi = {m.dataset: figures_as_of(m.dataset, m.posisi_per, acuan) for m in metas}
    dates = sorted({d for d in posisi.values() if d})
    if not dates:
        when = t("app.tanpa_tanggal", lang)
    elif len(dates) == 1:
        when = format_date(dates[0], lang)
    else:
        when = "; ".join(
            t(
                "briefing.tanggal_dataset",
                lang,
                dataset=t(f"briefing.dataset_{m.dataset}", lang),
                tanggal=format_date(posisi[m.dataset], lang),
            )
            for m in metas
            if posisi[m.dataset]
        )
    sources = list(dict.fromkeys(m.sumber for m in metas if m.sumber))
    contoh = any(m.contoh and not snapshot[m.dataset].empty for m in metas)
    return (
        t("app.posisi_per", lang, tanggal=when),
        t("app.sumber", lang, sumber=" · ".join(sources)) if sources else "",
        contoh,
    )


def _slide(
    key: str,
    snapshot: Snapshot,
    datasets: Sequence[str],
    lang: str,
    area: str,
    *,
    per: dt.date | None = None,
    **parts: object,
) -> Slide:
    posisi, sumber, contoh = slide_meta(snapshot, datasets, lang, per)
    return Slide(key, t(f"briefing.judul_{key}", lang, wilayah=area), posisi, sumber, contoh, **parts)


def _summary(snapshot: Snapshot, settings: Settings, acuan: dt.date | None = None) -> dict[str, object]:
    return headline_summary(snapshot, settings, acuan, with_builds=False)


#: Slides whose figures are statuses computed as of the reference date: their footer states it.
STATUS_SLIDES = ("angka", "pembangunan", "rat", "perubahan", "tindak_lanjut")


def acuan_line(acuan: dt.date, lang: str) -> str:
    """ "Tanggal acuan 12 Desember 2025": the date a slide's statuses are computed as of."""
    return t("briefing.tanggal_acuan", lang, tanggal=format_date(acuan, lang))


def slide_angka(
    snapshot: Snapshot,
    settings: Settings,
    lang: str,
    theme: Theme,
    area: str,
    *,
    summary: dict | None = None,
    acuan: dt.date | None = None,
) -> Slide:
    """Slide 1: headline figures and the physical status by kecamatan (`summary`: `headline_summary`, if known)."""
    s = summary or _summary(snapshot, settings)
    k, r = s["kkmp"], s["rat"]
    headlines = [
        Headline(t("briefing.kkmp", lang), format_number(k["total"], lang), t("briefing.kkmp_note", lang)),
        Headline(
            t("briefing.dibangun", lang),
            format_number(k["fisik"]["pembangunan"], lang),
            t(
                "briefing.dibangun_note",
                lang,
                selesai=format_number(k["fisik"]["selesai"], lang),
                usulan=format_number(k["fisik"]["usulan"], lang),
            ),
        ),
        Headline(
            t("briefing.usaha_berjalan", lang), format_number(k["usaha_berjalan"], lang), t("briefing.usaha_note", lang)
        ),
        Headline(
            t("briefing.koperasi_aktif", lang), format_number(s["koperasi_aktif"], lang), t("briefing.aktif_note", lang)
        ),
    ]
    if r.get("tahun_buku") is not None:
        headlines.append(
            Headline(
                t("briefing.rat_tb", lang, tahun=r["tahun_buku"]),
                format_percent(r["persen"], lang),
                t(
                    "briefing.rat_note",
                    lang,
                    sudah=format_number(r["sudah"], lang),
                    dihitung=format_number(r["dihitung"], lang),
                ),
            )
        )
    level = chart_level(snapshot["wilayah"])  # a city: kecamatan; a province: kabupaten/kota; the country: provinsi
    stages = stages_by_area(snapshot, level)
    figures = ()
    if stages["jumlah"].sum() > 0:
        figures = (style_figure(plot_stages_by_kecamatan(stages, lang, font_size=24, level=level), theme, lang=lang),)
    return _slide(
        "angka", snapshot, ("koperasi", "rat"), lang, area, per=acuan, headlines=tuple(headlines), figures=figures
    )


def slide_peta(
    snapshot: Snapshot, settings: Settings, lang: str, theme: Theme, area: str, *, acuan: dt.date | None = None
) -> Slide:
    """Slide 2: the Peta page's map of KKMP by physical status, with the legend's counts beside it."""
    data = build_map_data(snapshot, MAP_INDICATOR, lang, acuan=acuan, rule=settings.rat)
    trading = int(kkmp_frame(snapshot)["usaha_berjalan"].fillna(False).astype(bool).sum())
    headlines = (
        *(Headline(item.label, format_number(item.count, lang), color=item.color) for item in data.legend),
        Headline(t("briefing.usaha_berjalan", lang), format_number(trading, lang)),
    )
    has_map = bool(data.points or data.polygons)
    return _slide(
        "peta",
        snapshot,
        ("koperasi", "wilayah"),
        lang,
        area,
        per=acuan,
        headlines=headlines,
        figures=(plot_map_data(data, lang, theme),) if has_map else (),
        map_data=data if has_map else None,
    )


def slide_lahan(snapshot: Snapshot, settings: Settings, lang: str, theme: Theme, area: str) -> Slide:
    """Slide 6: the programme funnel (usulan by land status → pembangunan → selesai → usaha berjalan)."""
    kkmp = kkmp_frame(snapshot)
    steps = usaha.funnel(usaha.funnel_members(kkmp))
    headlines = tuple(
        Headline(step_label(s, lang), format_number(s.jumlah, lang), color=step_color(s)) for s in steps if s.jumlah
    )
    figures = (
        (style_figure(plot_funnel(steps, lang, font_size=24, labels_above=True), theme, lang=lang),)
        if not kkmp.empty
        else ()
    )
    note = t("briefing.lahan_penjelasan", lang, total=format_number(len(kkmp), lang))
    return _slide("lahan", snapshot, ("koperasi",), lang, area, headlines=headlines, figures=figures, note=note)


def kurva_s_figures(
    builds: pd.DataFrame,
    snapshot: Snapshot,
    settings: Settings,
    lang: str,
    theme: Theme,
    acuan: dt.date | None = None,
) -> tuple[go.Figure, ...]:
    """The Kurva S of the first `MAX_KURVA_S` builds (most at risk first), each titled with its status.

    `acuan`: reports after the reference date are left out (as in `builds_frame`).
    """
    posisi = figures_as_of("progres", snapshot.meta["progres"].posisi_per, acuan)
    figures = []
    for _, b in builds.head(MAX_KURVA_S).iterrows():
        deviasi = "" if pd.isna(b["deviasi"]) else f" ({format_number(b['deviasi'], lang, 1)})"
        name = b["kelurahan"] if isinstance(b["kelurahan"], str) else b["id_pembangunan"]
        fig = plot_kurva_s(
            build_series(b, snapshot["progres"], acuan),
            lang,
            rule=settings.kontrak_kritis,
            perkiraan=b["perkiraan_selesai"],
            posisi_per=posisi,
            show_deviasi=False,
            font_size=KURVA_S_FONT,
        )
        style_figure(fig, theme, lang=lang, font_size=KURVA_S_FONT)
        status = f"{status_text(b['status'], b['lewat_target'], lang)}{deviasi}"
        fig.update_layout(
            showlegend=False,  # the slide's note names the lines once for all three
            # two lines: a third of the screen holds "Desa Contoh 36.13.03.2002" or the status, not both
            title={
                "text": f"{chart_text(name)}<br>{chart_text(status)}",
                "font": {"size": 28, "color": theme.text},
                **{"x": 0, "xanchor": "left", "y": 1, "yanchor": "top", "yref": "container", "pad": {"t": 28}},
            },
            margin={"t": 124, "l": 8, "r": 8, "b": 8},
        )
        ticks = fig.layout.xaxis.tickvals
        if ticks is not None and len(ticks) > 4:  # a third of the screen holds every other date
            fig.update_xaxes(tickvals=ticks[::2], ticktext=fig.layout.xaxis.ticktext[::2])
        figures.append(fig)
    return tuple(figures)


def slide_pembangunan(
    snapshot: Snapshot,
    settings: Settings,
    lang: str,
    theme: Theme,
    area: str,
    *,
    builds: pd.DataFrame | None = None,
    acuan: dt.date | None = None,
) -> Slide:
    """Slide 3: build statuses under the kontrak-kritis rule as of `acuan`, and the Kurva S of the builds most at risk."""
    builds = builds_frame(snapshot, settings, acuan) if builds is None else builds
    counts = builds["status"].value_counts()
    headlines = (
        *(
            Headline(label("status_pembangunan", s, lang), format_number(int(counts.get(s, 0)), lang))
            for s in ("normal", "terlambat", "kritis", "selesai")
        ),
        Headline(t("briefing.lewat_target", lang), format_number(len(past_target(builds)), lang)),
    )
    if builds.empty:
        note = t("briefing.tidak_ada_pembangunan", lang)
    else:
        note = t(
            f"briefing.kurva_s_catatan_{theme.name}",
            lang,
            n=min(len(builds), MAX_KURVA_S),
            total=format_number(len(builds), lang),
        )
    figures = kurva_s_figures(builds, snapshot, settings, lang, theme, acuan)
    return _slide(
        "pembangunan",
        snapshot,
        ("pembangunan", "progres"),
        lang,
        area,
        per=acuan,
        headlines=headlines,
        figures=figures,
        note=note,
    )


def slide_rat(
    snapshot: Snapshot,
    settings: Settings,
    lang: str,
    theme: Theme,
    area: str,
    *,
    summary: dict | None = None,
    acuan: dt.date | None = None,
) -> Slide:
    """Slide 4: the RAT page's gauges, by the city's measure and the official one, with the counts behind them."""
    r = (summary or _summary(snapshot, settings))["rat"]
    if r.get("tahun_buku") is None:
        return _slide("rat", snapshot, ("rat",), lang, area, per=acuan, note=t("briefing.tidak_ada_rat", lang))
    gauges = (
        plot_rat_gauge(r["persen"], t("briefing.rat_kota", lang), settings.rat, lang, font_size=GAUGE_FONT),
        plot_rat_gauge(r["persen_wajib"], t("briefing.rat_wajib", lang), settings.rat, lang, font_size=GAUGE_FONT),
    )
    headlines = (
        Headline(
            t("briefing.rat_sudah", lang, tahun=r["tahun_buku"]),
            format_number(r["sudah"], lang),
            t("briefing.rat_dari_aktif", lang, n=format_number(r["dihitung"], lang)),
        ),
        Headline(
            t("briefing.rat_wajib_kartu", lang),
            format_number(r["wajib"], lang),
            t("briefing.rat_wajib_note", lang, sudah=format_number(r["sudah_wajib"], lang)),
        ),
        Headline(
            t("briefing.rat_belum_wajib", lang),
            format_number(r["dihitung"] - r["wajib"], lang),
            t("briefing.rat_belum_wajib_note", lang, tahun=r["tahun_buku"]),
        ),
    )
    return _slide(
        "rat",
        snapshot,
        ("rat", "koperasi"),
        lang,
        area,
        per=acuan,
        headlines=headlines,
        figures=tuple(
            style_figure(g, theme, lang=lang, font_size=GAUGE_FONT).update_layout(margin={"l": 64, "r": 64})
            for g in gauges
        ),
        note=t("briefing.rat_penjelasan", lang, tahun=r["tahun_buku"]),
    )


MAX_FOLLOW_UP_ON_SLIDE = 5
#: Severity colours of the follow-up list: kritis like a kontrak-kritis build, peringatan like a late one.
TINGKAT_COLORS = {"kritis": BUILD_STATUS_COLORS["kritis"], "peringatan": BUILD_STATUS_COLORS["terlambat"]}


def slide_tindak_lanjut(snapshot: Snapshot, settings: Settings, lang: str, area: str, acuan: dt.date) -> Slide:
    """The follow-up list (`kkmp.tindak_lanjut`) as of `acuan`: counts per severity, the most urgent items."""
    items = tindak_lanjut(snapshot, settings, acuan)
    datasets = ("progres", "rat", "pembangunan")
    when = format_date(acuan, lang)
    if items.empty:
        note = t("tindak_lanjut.kosong", lang, acuan=when)
        return _slide("tindak_lanjut", snapshot, datasets, lang, area, per=acuan, note=note)
    counts = items["tingkat"].value_counts()
    headlines = tuple(
        Headline(
            t(f"tindak_lanjut.tingkat.{k}", lang), format_number(int(counts.get(k, 0)), lang), color=TINGKAT_COLORS[k]
        )
        for k in ("kritis", "peringatan")
    )
    rows = tuple(
        ListRow(
            f"{row['kelurahan']} ({row['kecamatan']})",
            t(f"tindak_lanjut.jenis.{row['jenis']}", lang),
            follow_up_note(row, lang),
            TINGKAT_COLORS[row["tingkat"]],
        )
        for _, row in items.head(MAX_FOLLOW_UP_ON_SLIDE).iterrows()
    )
    shown = format_number(len(rows), lang)
    note = t("tindak_lanjut.caption_slide", lang, n=format_number(len(items), lang), shown=shown, acuan=when)
    return _slide("tindak_lanjut", snapshot, datasets, lang, area, per=acuan, headlines=headlines, rows=rows, note=note)


def partner_counts(snapshot: Snapshot) -> pd.DataFrame:
    """How many KKMP trade with each partner (mitra), most first (see `kkmp.usaha.trade_pairs`)."""
    return usaha.partner_counts(usaha.trade_pairs(kkmp_frame(snapshot), snapshot["penyaluran"]))


def latest_distribution(snapshot: Snapshot) -> pd.DataFrame:
    """Penyaluran of the latest month per commodity, with the month before (see `kkmp.usaha.latest_distribution`)."""
    return usaha.latest_distribution(snapshot["penyaluran"])


def signed_percent(change: float, lang: str) -> str:
    """A month-on-month change: "+12%", "−0,4%" (one decimal under 10%), "±0%" when it rounds to nothing."""
    digits = 0 if abs(change) >= 10 else 1
    if round(change, digits) == 0:
        return "±" + format_percent(0, lang, 0)
    return ("+" if change > 0 else "") + format_percent(change, lang, digits)


def slide_mitra(
    snapshot: Snapshot, settings: Settings, lang: str, theme: Theme, area: str, *, acuan: dt.date | None = None
) -> Slide:
    """Slide 5: partners (KKMP per mitra) and the latest month's distribution (penyaluran)."""
    partners = partner_counts(snapshot)
    dist = latest_distribution(snapshot).head(MAX_COMMODITIES)
    headlines = []
    for _, row in dist.iterrows():
        note = format_date(row["bulan"], lang, "MMMM y")
        if row["sebelumnya"] is not None and pd.notna(row["sebelumnya"]) and row["sebelumnya"]:
            change = 100.0 * (row["jumlah"] - row["sebelumnya"]) / row["sebelumnya"]
            note += " · " + t("briefing.dibanding_bulan_lalu", lang, persen=signed_percent(change, lang))
        headlines.append(
            Headline(
                f"{label('komoditas', row['komoditas'], lang)} ({t('briefing.satuan_' + str(row['satuan']), lang)})",
                format_number(row["jumlah"], lang),
                note,
            )
        )
    figures = (plot_partner_counts(partners, lang, theme),) if not partners.empty else ()
    return _slide(
        "mitra",
        snapshot,
        ("koperasi", "penyaluran"),
        lang,
        area,
        per=acuan,
        headlines=tuple(headlines),
        figures=figures,
    )


def _count_change(name: str, before: float | None, after: float | None, lang: str, *, percent: bool = False) -> Change:
    fmt = (lambda v: format_percent(v, lang)) if percent else (lambda v: format_number(v, lang))
    if before is None or after is None:
        return Change(name, fmt(before), fmt(after), "—", 0)
    diff = after - before
    sign = "+" if diff > 0 else ("−" if diff < 0 else "±")
    text = sign + (
        format_number(abs(diff), lang, 1) + " " + t("briefing.poin", lang)
        if percent
        else format_number(abs(diff), lang)
    )
    return Change(name, fmt(before), fmt(after), text, (diff > 0) - (diff < 0))


def moved_builds(old: pd.DataFrame, new: pd.DataFrame, limit: int) -> pd.DataFrame:
    """The first `limit` builds of `new` (in its order) whose realisasi differs from `old`'s (or is new)."""
    before = old.drop_duplicates("id_pembangunan").set_index("id_pembangunan")["realisasi_persen"]
    previous = new["id_pembangunan"].map(before)
    now = new["realisasi_persen"]
    same = (previous == now).fillna(False) | (previous.isna() & now.isna())
    return new.assign(sebelumnya=previous)[~same.to_numpy(dtype=bool)].head(max(limit, 0))


def changes_between(
    baseline: Snapshot,
    current: Snapshot,
    settings: Settings,
    lang: str,
    *,
    as_of_date: dt.date | None = None,
    summary: dict | None = None,
    builds: pd.DataFrame | None = None,
    acuan: dt.date | None = None,
) -> list[Change]:
    """The headline figures before and after, then each build whose progress moved.

    `acuan`: the reference date of `current`; the baseline is taken as of it too (or as of `as_of_date`,
    the baseline's own date, when earlier), so nothing newer than the reference date is compared.
    `summary` (`headline_summary` without builds) and `builds` (`builds_frame`) of `current` may be passed.
    """
    as_of_date = min((d for d in (as_of_date, acuan) if d is not None), default=None)
    old = headline_summary(baseline, settings, as_of_date, with_builds=False)
    new = summary or _summary(current, settings, acuan)
    rows = [
        _count_change(t("briefing.kkmp", lang), old["kkmp"]["total"], new["kkmp"]["total"], lang),
        _count_change(
            t("briefing.dibangun", lang), old["kkmp"]["fisik"]["pembangunan"], new["kkmp"]["fisik"]["pembangunan"], lang
        ),
        _count_change(
            label("status_fisik", "selesai", lang),
            old["kkmp"]["fisik"]["selesai"],
            new["kkmp"]["fisik"]["selesai"],
            lang,
        ),
        _count_change(
            t("briefing.usaha_berjalan", lang), old["kkmp"]["usaha_berjalan"], new["kkmp"]["usaha_berjalan"], lang
        ),
        _count_change(t("briefing.koperasi_aktif", lang), old["koperasi_aktif"], new["koperasi_aktif"], lang),
    ]
    if new["rat"].get("tahun_buku") is not None:
        year = new["rat"]["tahun_buku"]
        same_year = old["rat"].get("tahun_buku") == year
        rows.append(
            _count_change(
                t("briefing.rat_sudah", lang, tahun=year),
                old["rat"]["sudah"] if same_year else None,
                new["rat"]["sudah"],
                lang,
            )
        )
    builds = builds_frame(current, settings, acuan) if builds is None else builds
    moved = moved_builds(builds_frame(baseline, settings, as_of_date), builds, MAX_CHANGES - len(rows))
    for b in moved.itertuples(index=False):
        where = b.kelurahan if isinstance(b.kelurahan, str) and b.kelurahan else b.id_pembangunan
        name = t("briefing.realisasi_di", lang, kelurahan=where)
        rows.append(_count_change(name, _number(b.sebelumnya), _number(b.realisasi_persen), lang, percent=True))
    return rows[:MAX_CHANGES]


def _number(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def slide_perubahan(
    snapshot: Snapshot,
    settings: Settings,
    lang: str,
    theme: Theme,
    area: str,
    baseline: Baseline | None,
    *,
    summary: dict | None = None,
    builds: pd.DataFrame | None = None,
    acuan: dt.date | None = None,
) -> Slide:
    """Slide 6: what changed since the baseline (previous revision or a chosen date), as of `acuan`."""
    if baseline is None:
        note = t("briefing.tanpa_pembanding", lang)
        return _slide("perubahan", snapshot, ("koperasi", "progres", "rat"), lang, area, per=acuan, note=note)
    changes = tuple(
        changes_between(
            baseline.snapshot,
            snapshot,
            settings,
            lang,
            as_of_date=baseline.as_of,
            summary=summary,
            builds=builds,
            acuan=acuan,
        )
    )
    posisi, sumber, contoh = slide_meta(snapshot, ("koperasi", "progres", "rat"), lang, acuan)
    title = t("briefing.judul_perubahan", lang, wilayah=area, sejak=baseline.describe(lang))
    return Slide("perubahan", title, posisi, sumber, contoh, changes=changes)


def _area_name(snapshot: Snapshot, lang: str) -> str:
    wilayah = snapshot["wilayah"]
    return area_label(WilayahFilter(), wilayah) if not wilayah.empty else t("briefing.semua_wilayah", lang)


def build_slide(
    index: int,
    snapshot: Snapshot,
    settings: Settings,
    lang: str,
    *,
    theme: str = "dark",
    area: str = "",
    baseline: Baseline | None = None,
    summary: dict | None = None,
    builds: pd.DataFrame | None = None,
    acuan: dt.date | None = None,
) -> Slide:
    """Slide `index` (0-based, see `SLIDE_KEYS`) alone: the page draws one slide at a time.

    `acuan`: the reference date (the sidebar's "Tanggal acuan"; today, for the sample its newest posisi
    per): every status is computed as of it and time series newer than it are left out (`as_of`).

    `summary` (`headline_summary` without builds) and `builds` (`builds_frame`), both as of `acuan`,
    may be passed when known.
    """
    acuan = acuan or default_reference(snapshot, today_wita())
    slide = _build_slide(
        SLIDE_KEYS[index],
        as_of(snapshot, acuan),
        settings,
        lang,
        get_theme(theme),
        area or _area_name(snapshot, lang),
        baseline,
        summary,
        builds,
        acuan,
    )
    if slide.key in STATUS_SLIDES:
        slide = dataclasses.replace(slide, acuan=acuan_line(acuan, lang))
    return slide


def _build_slide(
    key: str,
    snapshot: Snapshot,
    settings: Settings,
    lang: str,
    th: Theme,
    area: str,
    baseline: Baseline | None,
    summary: dict | None,
    builds: pd.DataFrame | None,
    acuan: dt.date,
) -> Slide:
    if key in ("angka", "rat", "perubahan") and summary is None:
        summary = _summary(snapshot, settings, acuan)
    if key in ("pembangunan", "perubahan") and builds is None:
        builds = builds_frame(snapshot, settings, acuan)
    if key == "angka":
        return slide_angka(snapshot, settings, lang, th, area, summary=summary, acuan=acuan)
    if key == "tindak_lanjut":
        return slide_tindak_lanjut(snapshot, settings, lang, area, acuan)
    if key == "peta":
        return slide_peta(snapshot, settings, lang, th, area, acuan=acuan)
    if key == "lahan":
        return slide_lahan(snapshot, settings, lang, th, area)
    if key == "pembangunan":
        return slide_pembangunan(snapshot, settings, lang, th, area, builds=builds, acuan=acuan)
    if key == "rat":
        return slide_rat(snapshot, settings, lang, th, area, summary=summary, acuan=acuan)
    if key == "mitra":
        return slide_mitra(snapshot, settings, lang, th, area, acuan=acuan)
    return slide_perubahan(snapshot, settings, lang, th, area, baseline, summary=summary, builds=builds, acuan=acuan)


def build_deck(
    snapshot: Snapshot,
    settings: Settings,
    lang: str,
    *,
    theme: str = "dark",
    area: str = "",
    baseline: Baseline | None = None,
    acuan: dt.date | None = None,
) -> list[Slide]:
    """Every slide for `snapshot`, in order (see `SLIDE_KEYS`), as of `acuan` (see `build_slide`)."""
    acuan = acuan or default_reference(snapshot, today_wita())
    shared = {
        "theme": theme,
        "area": area or _area_name(snapshot, lang),
        "baseline": baseline,
        "summary": _summary(snapshot, settings, acuan),  # computed once, shared by the slides that show it
        "builds": builds_frame(snapshot, settings, acuan),
        "acuan": acuan,
    }
    return [build_slide(i, snapshot, settings, lang, **shared) for i in range(len(SLIDE_KEYS))]


def has_data(snapshot: Snapshot) -> bool:
    """True when there are cooperatives to show."""
    return _has_rows(snapshot, ("koperasi",))


# ---- slide show: kiosk URL parameters and autoplay ---------------------------------------------
DEFAULT_INTERVAL = 20
MIN_INTERVAL = 5
MAX_INTERVAL = 600
ADVANCE_TOLERANCE = 0.8  # a timer tick may arrive a little early


def parse_slide(value: object, count: int = len(SLIDE_KEYS)) -> int:
    """`?slide=3` (1-based) as a 0-based index within the deck; 0 when missing or not a number."""
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return 0
    return min(max(number, 1), count) - 1


def parse_interval(value: object) -> int | None:
    """`?auto=20` as seconds per slide, kept within 5–600; None when missing or not a number."""
    try:
        seconds = int(float(str(value)))
    except (TypeError, ValueError, OverflowError):  # "inf", "1e999": not a number of seconds
        return None
    return min(max(seconds, MIN_INTERVAL), MAX_INTERVAL)


def step(index: int, count: int, delta: int) -> int:
    """The slide `delta` away from `index`, wrapping round the deck."""
    return (index + delta) % count if count else 0


def advance_due(elapsed: float, interval: float) -> bool:
    """True when the slide has been on screen long enough to move on."""
    return elapsed >= interval * ADVANCE_TOLERANCE


def kiosk_query(
    slide: int, interval: int | None, lang: str, theme: str, per: dt.date | None = None
) -> dict[str, object]:
    """Query parameters that open the briefing full screen at `slide` (0-based), playing when `interval`.

    `per`: the reference date, given when it differs from the default (`?per=YYYY-MM-DD`).
    """
    query: dict[str, object] = {"slide": slide + 1}
    if interval:
        query["auto"] = interval
    if lang != "id":
        query["lang"] = lang
    if theme != "dark":
        query["theme"] = theme
    if per is not None:
        query["per"] = per.isoformat()
    query["embed"] = "true"  # the slide fits the screen by itself: scrolling stays on (a phone needs it)
    return query
