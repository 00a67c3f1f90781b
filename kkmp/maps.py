"""The kelurahan map: features coloured by an indicator, a legend as data, and the pydeck Deck.

Pure functions of a (filtered) `Snapshot`. `build_map_data` does the work and is what pages
cache; `build_deck` turns it into a `pydeck.Deck`; `build_map_deck` does both (the briefing
reuses it). Offline by default: no basemap, so no request leaves the machine.

Large regions (a province, the country) are drawn per kecamatan or per kabupaten/kota, so a
page never ships more than `MAX_DETAIL_FEATURES` shapes; filter the area to see each kelurahan.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pydeck as pdk

from kkmp.batas import iter_positions
from kkmp.i18n import format_date, format_number, format_percent, label, t
from kkmp.palette import (
    ASET_DAERAH_COLORS,
    NO_DATA_COLOR,
    OKABE_ITO,
    RAT_KATEGORI_COLORS,
    SEQUENTIAL_BLUES,
    STATUS_FISIK_COLORS,
    STATUS_LAHAN_COLORS,
    hex_to_rgb,
)
from kkmp.rat import KATEGORI as RAT_KATEGORI
from kkmp.rat import classify_rat, rat_table
from kkmp.schema import ASET_DAERAH, STATUS_LAHAN, split_list
from kkmp.settings import RatRule
from kkmp.store import Snapshot
from kkmp.usaha import land_status

MAX_DETAIL_FEATURES = 2000
NO_DATA = "tanpa_data"
NO_ASSET = "tanpa_aset"
LEVELS = ("kelurahan", "kecamatan", "kabupaten_kota")
FILL_ALPHA = 215
POINT_RADIUS_PX = 9
LABEL_SIZE_PX = 13
LABEL_OUTLINE_PX = 4
"""Name labels: text size and the white outline around it, in screen pixels (TextLayer and `declutter_labels`)."""
MAP_HEIGHT_PX = 560
MAP_VIEWPORTS: dict[str, tuple[int, int]] = {"desktop": (700, MAP_HEIGHT_PX), "phone": (358, MAP_HEIGHT_PX)}
"""Sizes (CSS px, width × height) the Peta map is drawn at: beside the side column at 1366×768 with the
sidebar open, and alone across a 390-px phone. The server is not told the width, so the opening view
fits the data in every one of them (`fit_view`)."""
VIEW_MARGIN = 0.85
LAYER_POLYGONS = "kelurahan"
LAYER_POINTS = "kelurahan_titik"
LAYER_AREAS = "wilayah_ringkas"
LAYER_LABELS = "label"
LAYER_SELECTED = "pilihan"
#: The national export's land sites (`lahan_nasional`), drawn on the land indicator: a site is not the
#: kelurahan's centre, so it is its own layer of small outlined dots coloured by the site's stage.
LAYER_SITES = "lahan_titik"
SITE_RADIUS_PX = 5
OUTLINE_COLOR = [55, 65, 81, 230]
SELECTED_COLOR = [0, 0, 0, 255]
MEMBER_BREAKS = (20, 50, 100, 250)
SHARE_BREAKS = (20, 40, 60, 80)
TOOLTIP_STYLE = {
    "backgroundColor": "#1F2937",
    "color": "#FFFFFF",
    "fontSize": "14px",
    "lineHeight": "1.4",
    "padding": "8px 10px",
    "maxWidth": "340px",
}


@dataclass(frozen=True)
class Indicator:
    """What a map can be coloured by: its categories in legend order and their colours."""

    code: str
    categories: tuple[str, ...]
    colors: Mapping[str, str]
    positive: tuple[str, ...]
    dataset: str
    graduated: bool = False


INDICATORS: dict[str, Indicator] = {
    i.code: i
    for i in (
        Indicator(
            "status_fisik",
            ("usulan", "pembangunan", "selesai"),
            STATUS_FISIK_COLORS,
            ("pembangunan", "selesai"),
            "koperasi",
        ),
        Indicator(
            "usaha_berjalan",
            ("belum", "berjalan"),
            {"belum": OKABE_ITO["grey"], "berjalan": OKABE_ITO["blue"]},
            ("berjalan",),
            "koperasi",
        ),
        Indicator(
            "rat",
            RAT_KATEGORI,
            dict(RAT_KATEGORI_COLORS),
            ("sudah_tepat_waktu", "sudah_terlambat"),
            "rat",
        ),
        Indicator(
            "anggota",
            ("a0", "a20", "a50", "a100", "a250"),
            dict(zip(("a0", "a20", "a50", "a100", "a250"), SEQUENTIAL_BLUES, strict=True)),
            (),
            "koperasi",
            graduated=True,
        ),
        Indicator(
            "mitra",
            ("m0", "m1", "m2"),
            {"m0": OKABE_ITO["grey"], "m1": OKABE_ITO["sky"], "m2": OKABE_ITO["blue"]},
            ("m1", "m2"),
            "koperasi",
        ),
        Indicator("lahan", STATUS_LAHAN, STATUS_LAHAN_COLORS, STATUS_LAHAN[3:], "koperasi"),
        Indicator(
            "aset_daerah",
            (*ASET_DAERAH, NO_ASSET),
            {**ASET_DAERAH_COLORS, NO_ASSET: OKABE_ITO["grey"]},
            ASET_DAERAH,
            "koperasi",
        ),
    )
}


@dataclass(frozen=True)
class LegendItem:
    """One legend entry: its label, colour (hex) and how many features it covers."""

    code: str
    label: str
    color: str
    count: int

    @property
    def rgb(self) -> list[int]:
        """The colour as [r, g, b]."""
        return hex_to_rgb(self.color)


@dataclass(frozen=True)
class ViewFit:
    """Where the map opens: centre and zoom fitted to the features."""

    latitude: float
    longitude: float
    zoom: float


@dataclass(frozen=True)
class MapData:
    """Everything the map shows, as plain data (cacheable, serialisable)."""

    indicator: str
    level: str
    title: str
    legend: list[LegendItem]
    polygons: list[dict] = field(default_factory=list)
    points: list[dict] = field(default_factory=list)
    labels: list[dict] = field(default_factory=list)
    """Names that fit without overlapping at the opening zoom (`declutter_labels`); the tooltip names every area."""
    view: ViewFit = ViewFit(-2.5, 118.0, 4.0)
    kelurahan_total: int = 0
    tahun_buku: int | None = None
    bounds: tuple[float, float, float, float] | None = None
    """Min lon, min lat, max lon, max lat of the features: to fit the view of a map of another size."""
    all_labels: list[dict] = field(default_factory=list)
    """Every name with its rank, before `declutter_labels`: to place names again at another size."""
    sites: list[dict] = field(default_factory=list)
    """Land-site points of the national export (`site_points`), on the land indicator only."""

    @property
    def feature_count(self) -> int:
        """Shapes drawn: polygons plus points (one per kelurahan or per aggregated area)."""
        return len(self.polygons) + len(self.points)

    def legend_pairs(self) -> list[tuple[str, str]]:
        """The legend as (label, hex colour) pairs, for slides and other drawings."""
        return [(i.label, i.color) for i in self.legend]


def kkmp_by_kelurahan(snapshot: Snapshot) -> pd.DataFrame:
    """Each kelurahan of `wilayah` with its KKMP's fields (empty when it has none; the first by id if several)."""
    kop = snapshot["koperasi"]
    kkmp = kop[kop["kkmp"].fillna(False).astype(bool)].sort_values("id_koperasi")
    kkmp = kkmp.drop_duplicates("kode_kelurahan")
    cols = ["id_koperasi", "nama_koperasi", "kode_kelurahan", "tahap", "status_fisik", "usaha_berjalan"]
    cols += ["jumlah_anggota", "mitra", "status_lahan", "aset_daerah"]
    wil = snapshot["wilayah"][["kode_kelurahan", "kelurahan", "kecamatan", "kabupaten_kota", "provinsi", "lat", "lon"]]
    return wil.merge(kkmp[cols], on="kode_kelurahan", how="left").reset_index(drop=True)


def rat_year(snapshot: Snapshot, ids: pd.Series) -> int | None:
    """The newest financial year with a RAT row for any of the cooperatives `ids`."""
    rat = snapshot["rat"]
    years = rat.loc[rat["id_koperasi"].isin(ids.dropna()), "tahun_buku"].dropna()
    return int(years.max()) if not years.empty else None


def categorize(
    frame: pd.DataFrame,
    snapshot: Snapshot,
    indicator: str,
    acuan: dt.date | None = None,
    rule: RatRule | None = None,
) -> tuple[pd.Series, int | None]:
    """Each row's category for `indicator` (`NO_DATA` without a KKMP), and the RAT year used (if any).

    RAT: `kkmp.rat.classify_rat` for the KKMP's newest financial year as of `acuan` (the RAT data's
    "posisi per" when None), the same status the RAT page, the summary and the follow-up list use.
    """
    has = frame["id_koperasi"].notna()
    out = pd.Series(NO_DATA, index=frame.index, dtype="str")
    year = None
    if indicator == "status_fisik":
        value = frame["status_fisik"]
        out = out.mask(has & value.notna(), value)
    elif indicator == "usaha_berjalan":
        value = frame["usaha_berjalan"]
        known = has & value.notna()
        out = out.mask(known & value.fillna(False).astype(bool), "berjalan")
        out = out.mask(known & ~value.fillna(False).astype(bool), "belum")
    elif indicator == "rat":
        year = rat_year(snapshot, frame["id_koperasi"])
        if year is not None:
            rule = rule or RatRule()
            reference = acuan or snapshot.meta["rat"].posisi_per or dt.date.today()
            table = rat_table(snapshot["koperasi"], snapshot["rat"], year, reference, rule)
            kategori = classify_rat(table, year, rule, reference).set_index("id_koperasi")["kategori"]
            out = out.mask(has, frame["id_koperasi"].map(kategori).fillna(NO_DATA))
    elif indicator == "anggota":
        value = frame["jumlah_anggota"].astype("Float64")
        out = out.mask(has & value.notna(), member_bin(value))
    elif indicator == "mitra":
        n = frame["mitra"].map(lambda v: len(split_list(v)))
        out = out.mask(has, n.map(lambda k: "m0" if k == 0 else ("m1" if k == 1 else "m2")))
    elif indicator == "lahan":
        out = out.mask(has, land_status(frame))
    elif indicator == "aset_daerah":
        value = frame["aset_daerah"].astype("object")
        out = out.mask(has, value.where(value.isin(ASET_DAERAH), NO_ASSET))
    else:
        raise KeyError(indicator)
    return out.astype("str"), year


def member_bin(values: pd.Series) -> pd.Series:
    """Members binned at `MEMBER_BREAKS`: a0 (<20), a20, a50, a100, a250 (≥250)."""
    codes = INDICATORS["anggota"].categories
    idx = pd.Series(0, index=values.index)
    for b in MEMBER_BREAKS:
        idx += (values.fillna(-1) >= b).astype(int)
    return idx.map(lambda i: codes[int(i)])


def share_bin(share: float) -> int:
    """0–4: which of the five share bands (0–19 %, …, 80–100 %) a share in % falls in."""
    return sum(share >= b for b in SHARE_BREAKS)


def choose_level(wilayah: pd.DataFrame, max_features: int = MAX_DETAIL_FEATURES) -> str:
    """The finest level whose number of areas stays within `max_features`."""
    if len(wilayah) <= max_features:
        return "kelurahan"
    if wilayah.groupby(["kabupaten_kota", "kecamatan"]).ngroups <= max_features:
        return "kecamatan"
    return "kabupaten_kota"


def _merc_y(lat: float) -> float:
    lat = max(min(lat, 85.0), -85.0)
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def fit_zoom(bounds: tuple[float, float, float, float], width: int, height: int, margin: float = VIEW_MARGIN) -> float:
    """The largest zoom at which `bounds` (min lon, min lat, max lon, max lat) fill `margin` of a width × height map."""
    min_lon, min_lat, max_lon, max_lat = bounds
    lon_span = max(max_lon - min_lon, 0.005)
    y_span = max(abs(_merc_y(max_lat) - _merc_y(min_lat)), math.radians(0.005))
    zoom_x = math.log2(width * margin * 360 / (lon_span * 512))
    zoom_y = math.log2(height * margin * 2 * math.pi / (y_span * 512))
    return min(zoom_x, zoom_y)


def fit_view(
    bounds: tuple[float, float, float, float] | None,
    viewports: Iterable[tuple[int, int]] = MAP_VIEWPORTS.values(),
    margin: float = VIEW_MARGIN,
) -> ViewFit:
    """Centre and zoom showing `bounds` (min lon, min lat, max lon, max lat) in each of `viewports` (width, height)."""
    if bounds is None:
        return ViewFit(-2.5, 118.0, 4.0)
    min_lon, min_lat, max_lon, max_lat = bounds
    zoom = min(fit_zoom(bounds, width, height, margin) for width, height in viewports)
    y_mid = (_merc_y(max_lat) + _merc_y(min_lat)) / 2
    lat_mid = math.degrees(2 * math.atan(math.exp(y_mid)) - math.pi / 2)
    # Rounded down, so that rounding never pushes an edge out of the narrowest map.
    return ViewFit(
        round(lat_mid, 5), round((min_lon + max_lon) / 2, 5), max(min(math.floor(zoom * 100) / 100, 15.0), 1.0)
    )


def _pixel(lon: float, lat: float, zoom: float) -> tuple[float, float]:
    scale = 512 * 2**zoom
    return (lon + 180) / 360 * scale, (1 - _merc_y(lat) / math.pi) / 2 * scale


def declutter_labels(
    labels: list[dict],
    view: ViewFit,
    char_px: float = 7.4,
    line_px: float = LABEL_SIZE_PX,
    pad_px: float = LABEL_OUTLINE_PX,
) -> list[dict]:
    """The labels that fit without overlapping at the opening zoom, most important (highest `rank`) first.

    A label's box is its text (`char_px` a character, `line_px` high) with the white outline
    (`pad_px`) on every side, as the TextLayer draws it. Labels are drawn in screen pixels, so
    zooming in spreads them; the ones left out here are still named in the tooltip and the select box.
    """
    placed: list[tuple[float, float, float, float]] = []
    kept = []
    for item in sorted(labels, key=lambda d: d["rank"], reverse=True):
        x, y = _pixel(item["position"][0], item["position"][1], view.zoom)
        x += item["offset"][0]
        y += item["offset"][1]
        half_w, half_h = len(item["text"]) * char_px / 2 + pad_px, line_px / 2 + pad_px
        box = (x - half_w, y - half_h, x + half_w, y + half_h)
        if any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in placed):
            continue
        placed.append(box)
        kept.append(item)
    return kept


LABEL_GRID = 16
"""Candidate points per side of a polygon's box when looking for a label point well inside it."""


def _segments(geometry: Mapping) -> np.ndarray:
    polys = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    parts = [np.asarray(ring, dtype="float64")[:, :2] for poly in polys for ring in poly]
    return np.concatenate([np.hstack([r[:-1], r[1:]]) for r in parts if len(r) > 1])


def _inside(points: np.ndarray, segments: np.ndarray) -> np.ndarray:
    """Even-odd rule: which of `points` lie inside the rings made of `segments` (x1, y1, x2, y2)."""
    x, y = points[:, :1], points[:, 1:]
    x1, y1, x2, y2 = (segments[:, i] for i in range(4))
    crosses = (y1 > y) != (y2 > y)
    with np.errstate(divide="ignore", invalid="ignore"):
        at = (x2 - x1) * (y - y1) / (y2 - y1) + x1
    return ((crosses & (x < at)).sum(axis=1) % 2) == 1


def _border_distance(points: np.ndarray, segments: np.ndarray) -> np.ndarray:
    """Distance from each point to the nearest segment, longitude scaled by cos(latitude)."""
    k = math.cos(math.radians(float(points[:, 1].mean())))
    px, py = points[:, :1] * k, points[:, 1:]
    x1, y1, x2, y2 = segments[:, 0] * k, segments[:, 1], segments[:, 2] * k, segments[:, 3]
    dx, dy = x2 - x1, y2 - y1
    length = np.where(dx * dx + dy * dy == 0, 1.0, dx * dx + dy * dy)
    t = np.clip(((px - x1) * dx + (py - y1) * dy) / length, 0.0, 1.0)
    return np.hypot(px - (x1 + t * dx), py - (y1 + t * dy)).min(axis=1)


def label_point(geometry: Mapping) -> tuple[float, float]:
    """Where a polygon's name goes: the point of a grid over the shape farthest from its border, so a
    name sits in the middle of its kelurahan, never on a neighbour (hovering it names the right one)."""
    segments = _segments(geometry)
    xs, ys = np.concatenate([segments[:, 0], segments[:, 2]]), np.concatenate([segments[:, 1], segments[:, 3]])
    gx, gy = np.meshgrid(
        np.linspace(xs.min(), xs.max(), LABEL_GRID + 2)[1:-1], np.linspace(ys.min(), ys.max(), LABEL_GRID + 2)[1:-1]
    )
    grid = np.column_stack([gx.ravel(), gy.ravel()])
    grid = grid[_inside(grid, segments)]
    if grid.size == 0:  # a sliver thinner than the grid: its box's centre
        return round(float((xs.min() + xs.max()) / 2), 6), round(float((ys.min() + ys.max()) / 2), 6)
    best = grid[int(_border_distance(grid, segments).argmax())]
    return round(float(best[0]), 6), round(float(best[1]), 6)


def _fill(color: str) -> list[int]:
    return [*hex_to_rgb(color), FILL_ALPHA]


#: Indicators whose categories are coded values with their own labels (`kkmp.i18n.label` groups).
LABEL_GROUPS = {"lahan": "status_lahan", "aset_daerah": "aset_daerah"}


def _category_label(indicator: str, code: str, lang: str) -> str:
    group = LABEL_GROUPS.get(indicator)
    if group and code not in (NO_DATA, NO_ASSET):
        return label(group, code, lang)
    return t(f"peta.kategori.{indicator}.{code}", lang)


def _legend_title(indicator: str, lang: str, year: int | None) -> str:
    title = t(f"peta.indikator.{indicator}", lang)
    return t("peta.judul_rat", lang, judul=title, tahun=year) if indicator == "rat" and year else title


def _posisi(snapshot: Snapshot, ind: Indicator, lang: str) -> str:
    when = snapshot.meta[ind.dataset].posisi_per
    return t("app.posisi_per", lang, tanggal=format_date(when, lang) if when else t("app.tanpa_tanggal", lang))


def _text(value: object) -> str:
    return "—" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def _kelurahan_tooltip(row: pd.Series, ind: Indicator, category: str, lang: str, posisi: str) -> str:
    """Plain text (the map shows it with innerText, so names can never become HTML)."""
    lines = [
        t("peta.tt_kelurahan", lang, kelurahan=_text(row["kelurahan"])),
        t("peta.tt_kecamatan", lang, kecamatan=_text(row["kecamatan"])),
    ]
    if pd.isna(row["id_koperasi"]):
        lines.append(t("peta.tt_tanpa_kkmp", lang))
    else:
        lines += [
            _text(row["nama_koperasi"]),
            t("peta.tt_tahap", lang, tahap=label("tahap", row["tahap"], lang)),
            t("peta.tt_fisik", lang, status=label("status_fisik", row["status_fisik"], lang)),
            t("peta.tt_anggota", lang, anggota=format_number(row["jumlah_anggota"], lang)),
        ]
        if ind.code not in ("status_fisik",):
            lines.append(f"{t(f'peta.indikator.{ind.code}', lang)}: {_category_label(ind.code, category, lang)}")
        partners = split_list(row["mitra"])
        if ind.code == "mitra" and partners:
            lines.append(t("peta.tt_berdagang_dengan", lang, mitra=", ".join(partners)))
    lines.append(posisi)
    return "\n".join(lines)


def _geometries(snapshot: Snapshot) -> dict[str, dict]:
    batas = snapshot.frames.get("batas_wilayah")
    if batas is None or batas.empty:
        return {}
    out = {}
    for kode, text in batas[["kode_kelurahan", "geometri"]].itertuples(index=False):
        try:
            out[kode] = json.loads(text)
        except (TypeError, ValueError):
            continue
    return out


def _bounds(lons: list[float], lats: list[float]) -> tuple[float, float, float, float] | None:
    if not lons:
        return None
    return min(lons), min(lats), max(lons), max(lats)


def build_map_data(
    snapshot: Snapshot,
    indicator: str,
    lang: str = "id",
    *,
    max_features: int = MAX_DETAIL_FEATURES,
    acuan: dt.date | None = None,
    rule: RatRule | None = None,
) -> MapData:
    """The map's features, labels, legend and view for the kelurahan in `snapshot` (already filtered)."""
    ind = INDICATORS[indicator]
    frame = kkmp_by_kelurahan(snapshot)
    categories, year = categorize(frame, snapshot, indicator, acuan, rule)
    frame["kategori"] = categories
    title = _legend_title(indicator, lang, year)
    posisi = _posisi(snapshot, ind, lang)
    level = choose_level(frame, max_features)
    if level != "kelurahan":
        return _aggregate(frame, ind, level, lang, title, posisi, year)

    colors = {**ind.colors, NO_DATA: NO_DATA_COLOR}
    order = {c: i for i, c in enumerate((NO_DATA, *ind.categories))}
    frame = frame.assign(_order=frame["kategori"].map(order)).sort_values(["_order", "kode_kelurahan"], kind="stable")
    geometries = _geometries(snapshot)
    polygons, points, labels, lons, lats = [], [], [], [], []
    for _, row in frame.iterrows():
        cat = row["kategori"]
        props = {
            "kode_kelurahan": row["kode_kelurahan"],
            "kelurahan": _text(row["kelurahan"]),
            "kecamatan": _text(row["kecamatan"]),
            "nama_koperasi": _text(row["nama_koperasi"]),
            "kategori": cat,
            "fill": _fill(colors[cat]),
            "tooltip": _kelurahan_tooltip(row, ind, cat, lang, posisi),
        }
        geometry = geometries.get(row["kode_kelurahan"])
        extent = 0.0
        if geometry is not None:
            xs, ys = zip(*iter_positions(geometry), strict=True)
            extent = (max(xs) - min(xs)) * (max(ys) - min(ys))
        has_point = pd.notna(row["lat"]) and pd.notna(row["lon"])
        if geometry is not None:
            polygons.append({"type": "Feature", "geometry": geometry, "properties": props})
            for lon, lat in iter_positions(geometry):
                lons.append(lon)
                lats.append(lat)
        elif has_point:
            points.append({**props, "position": [float(row["lon"]), float(row["lat"])], "radius": POINT_RADIUS_PX})
        if has_point or geometry is not None:
            point = label_point(geometry) if geometry is not None else (float(row["lon"]), float(row["lat"]))
            lons.append(point[0])
            lats.append(point[1])
            labels.append(
                {
                    "position": [point[0], point[1]],
                    "text": _text(row["kelurahan"]),
                    "rank": [int(row["_order"]), round(extent, 8)],
                    "offset": [0, 0] if geometry is not None else [0, 15],
                }
            )
    counts = frame["kategori"].value_counts()
    legend = [
        LegendItem(c, _category_label(indicator, c, lang), colors[c], int(counts.get(c, 0)))
        for c in (*ind.categories, NO_DATA)
        if c != NO_DATA or counts.get(NO_DATA, 0)
    ]
    bounds = _bounds(lons, lats)
    view = fit_view(bounds)
    shown = declutter_labels(labels, view)
    sites = site_points(snapshot, lang) if indicator == "lahan" else []
    return MapData(
        indicator, level, title, legend, polygons, points, shown, view, len(frame), year, bounds, labels, sites
    )


def site_points(snapshot: Snapshot, lang: str = "id") -> list[dict]:
    """Each national land site with a point: position, stage colour and a tooltip (stage, kelurahan, surveyor)."""
    sites = snapshot.frames.get("lahan_nasional")
    if sites is None or sites.empty:
        return []
    names = dict(zip(snapshot["wilayah"]["kode_kelurahan"], snapshot["wilayah"]["kelurahan"], strict=True))
    meta = snapshot.meta.get("lahan_nasional")
    when = format_date(meta.posisi_per, lang, "medium") if meta else "—"
    out = []
    for row in sites[sites["lat"].notna() & sites["lon"].notna()].itertuples(index=False):
        stage = row.status_lahan if isinstance(row.status_lahan, str) else None
        surveyor = label("surveyor", row.surveyor, lang) if isinstance(row.surveyor, str) else "—"
        tip = t(
            "peta.lahan_titik",
            lang,
            tahap=label("status_lahan", stage, lang),
            kelurahan=_text(names.get(row.kode_kelurahan, row.kode_kelurahan)),
            surveyor=_text(surveyor),
            tanggal=when,
        )
        out.append(
            {
                "position": [float(row.lon), float(row.lat)],
                "fill": _fill(STATUS_LAHAN_COLORS.get(stage, NO_DATA_COLOR)),
                "kode_kelurahan": row.kode_kelurahan,
                "tooltip": tip,
            }
        )
    return out


def _aggregate(
    frame: pd.DataFrame, ind: Indicator, level: str, lang: str, title: str, posisi: str, year: int | None
) -> MapData:
    keys = ["kabupaten_kota", "kecamatan"] if level == "kecamatan" else ["provinsi", "kabupaten_kota"]
    grouped = frame.groupby(keys, sort=True, dropna=False)
    counts = frame.groupby([*keys, "kategori"], dropna=False).size().unstack(fill_value=0)
    points, labels, lons, lats = [], [], [], []
    bin_counts = [0] * len(SEQUENTIAL_BLUES)
    for key, group in grouped:
        n = len(group)
        with_kkmp = group[group["kategori"] != NO_DATA]
        if ind.graduated:
            mean = group["jumlah_anggota"].astype("Float64").mean()
            band = int(member_bin(pd.Series([mean])).map(ind.categories.index).iloc[0]) if pd.notna(mean) else None
            summary = t("peta.tt_rata_anggota", lang, rata=format_number(mean, lang, 1) if pd.notna(mean) else "—")
        else:
            positive = int(with_kkmp["kategori"].isin(ind.positive).sum())
            share = 100.0 * positive / len(with_kkmp) if len(with_kkmp) else None
            band = share_bin(share) if share is not None else None
            row_counts = counts.loc[key] if key in counts.index else pd.Series(dtype=int)
            parts = [f"{_category_label(ind.code, c, lang)}: {int(row_counts.get(c, 0))}" for c in ind.categories]
            summary = " · ".join(parts) + "\n" + t("peta.tt_persen", lang, persen=format_percent(share, lang))
        color = SEQUENTIAL_BLUES[band] if band is not None else NO_DATA_COLOR
        if band is not None:
            bin_counts[band] += 1
        lon, lat = group["lon"].mean(), group["lat"].mean()
        if pd.isna(lon) or pd.isna(lat):
            continue
        name = _text(key[1])
        tooltip = "\n".join(
            [
                f"{name} · {_text(key[0])}",
                t("peta.tt_jumlah_kelurahan", lang, n=format_number(n, lang)),
                summary,
                posisi,
            ]
        )
        points.append(
            {
                "kode_kelurahan": None,
                "wilayah": name,
                "kategori": str(band) if band is not None else NO_DATA,
                "fill": _fill(color),
                "tooltip": tooltip,
                "position": [float(lon), float(lat)],
                "radius": round(min(5 + 2.2 * math.sqrt(n), 40), 1),
            }
        )
        labels.append({"position": [float(lon), float(lat)], "text": name, "rank": [n], "offset": [0, 0]})
        lons.append(float(lon))
        lats.append(float(lat))
    if ind.graduated:
        legend = [
            LegendItem(c, _category_label(ind.code, c, lang), SEQUENTIAL_BLUES[i], bin_counts[i])
            for i, c in enumerate(ind.categories)
        ]
        legend_title = t("peta.judul_rata", lang, judul=title)
    else:
        names = [_category_label(ind.code, c, lang) for c in ind.positive]
        legend = [
            LegendItem(f"p{i}", t(f"peta.kategori.persen.p{i}", lang), SEQUENTIAL_BLUES[i], bin_counts[i])
            for i in range(len(SEQUENTIAL_BLUES))
        ]
        legend_title = t("peta.judul_persen", lang, kategori=" + ".join(names))
    bounds = _bounds(lons, lats)
    view = fit_view(bounds)
    shown = declutter_labels(labels, view)
    return MapData(ind.code, level, legend_title, legend, [], points, shown, view, len(frame), year, bounds, labels)


def _shapes_layer(layer_id: str, features: list[dict], **style: object) -> pdk.Layer:
    """A GeoJsonLayer of kelurahan polygons with outlines `style`d in screen pixels."""
    return pdk.Layer("GeoJsonLayer", id=layer_id, data=features, stroked=True, line_width_units="'pixels'", **style)


def _points_layer(layer_id: str, points: list[dict], **style: object) -> pdk.Layer:
    """A ScatterplotLayer of circles at each item's `position`, sized and outlined in screen pixels."""
    return pdk.Layer(
        "ScatterplotLayer",
        id=layer_id,
        data=points,
        stroked=True,
        get_position="position",
        radius_units="'pixels'",
        line_width_units="'pixels'",
        **style,
    )


def build_deck(
    data: MapData,
    *,
    basemap_online: bool = False,
    selected: str | None = None,
    show_labels: bool = True,
) -> pdk.Deck:
    """The pydeck Deck for `data`: polygons and/or points, the selection outline, name labels.

    Offline (default) the deck has no map provider: Streamlit then draws no basemap and the
    browser fetches no tiles. With `basemap_online` it uses CARTO's light basemap.
    """
    layers = []
    if data.polygons:
        layers.append(
            _shapes_layer(
                LAYER_POLYGONS,
                data.polygons,
                filled=True,
                pickable=True,
                auto_highlight=True,
                highlight_color=[0, 0, 0, 40],
                get_fill_color="properties.fill",
                get_line_color=OUTLINE_COLOR,
                line_width_min_pixels=1,
                get_line_width=1,
            )
        )
    if data.points:
        layers.append(
            _points_layer(
                LAYER_POINTS if data.level == "kelurahan" else LAYER_AREAS,
                data.points,
                filled=True,
                pickable=True,
                auto_highlight=True,
                get_fill_color="fill",
                get_radius="radius",
                get_line_color=OUTLINE_COLOR,
                get_line_width=1.5,
            )
        )
    if data.sites:
        layers.append(
            _points_layer(
                LAYER_SITES,
                data.sites,
                filled=True,
                pickable=True,
                get_fill_color="fill",
                get_radius=SITE_RADIUS_PX,
                get_line_color=[17, 24, 39, 255],
                get_line_width=1.5,
            )
        )
    if selected:
        chosen_polygons = [f for f in data.polygons if f["properties"]["kode_kelurahan"] == selected]
        chosen_points = [p for p in data.points if p.get("kode_kelurahan") == selected]
        outline = {"filled": False, "pickable": False, "get_line_color": SELECTED_COLOR}
        if chosen_polygons:
            layers.append(_shapes_layer(LAYER_SELECTED, chosen_polygons, get_line_width=4, **outline))
        elif chosen_points:
            layers.append(
                _points_layer(
                    LAYER_SELECTED, chosen_points, get_radius=POINT_RADIUS_PX + 5, get_line_width=3, **outline
                )
            )
    if show_labels and data.labels:
        layers.append(
            pdk.Layer(
                "TextLayer",
                id=LAYER_LABELS,
                data=data.labels,
                pickable=False,
                get_position="position",
                get_text="text",
                get_size=LABEL_SIZE_PX,
                size_units="'pixels'",
                get_color=[17, 24, 39, 255],
                get_pixel_offset="offset",
                get_text_anchor="'middle'",
                get_alignment_baseline="'center'",
                font_family="'Source Sans Pro, Arial, sans-serif'",
                font_weight=600,
                character_set="'auto'",
                font_settings={"sdf": True},
                outline_width=LABEL_OUTLINE_PX,
                outline_color=[255, 255, 255, 235],
            )
        )
    view = pdk.ViewState(latitude=data.view.latitude, longitude=data.view.longitude, zoom=data.view.zoom)
    tooltip = {"text": "{tooltip}", "style": TOOLTIP_STYLE}
    if basemap_online:
        return pdk.Deck(
            layers=layers, initial_view_state=view, map_provider="carto", map_style="light", tooltip=tooltip
        )
    # map_provider=None with the default map_style keeps "mapStyle": "__MAP_STYLE__" in the JSON,
    # which Streamlit reads as "no basemap"; map_style=None would make it fetch CARTO tiles.
    return pdk.Deck(layers=layers, initial_view_state=view, map_provider=None, tooltip=tooltip)


def build_map_deck(
    snapshot: Snapshot,
    indicator: str,
    lang: str = "id",
    *,
    basemap_online: bool = False,
    selected: str | None = None,
    max_features: int = MAX_DETAIL_FEATURES,
) -> pdk.Deck:
    """The kelurahan map of `snapshot` coloured by `indicator` (see `build_map_data`, `build_deck`)."""
    data = build_map_data(snapshot, indicator, lang, max_features=max_features)
    return build_deck(data, basemap_online=basemap_online, selected=selected)


def selected_kode(selection: Mapping | None) -> str | None:
    """The kelurahan code picked on the map, from Streamlit's pydeck selection state (None if none)."""
    if not selection:
        return None
    objects = (selection.get("selection") or {}).get("objects") or {}
    for layer in (LAYER_POLYGONS, LAYER_POINTS, LAYER_SITES):  # a site opens its kelurahan
        for obj in objects.get(layer) or []:
            props = obj.get("properties", obj) if isinstance(obj, Mapping) else {}
            kode = props.get("kode_kelurahan")
            if kode:
                return str(kode)
    return None
