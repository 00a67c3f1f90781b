"""Business, land, regional assets and capital of the KKMP: the programme funnel, who trades with
whom, monthly distribution (penyaluran), own versus outside capital and the savings-and-loans unit.

Pure functions of frames: `kkmp` is `kkmp.metrics.kkmp_frame(snapshot)` (KKMP rows with their
kelurahan and kecamatan), `penyaluran` the distribution rows (cut at the reference date with
`kkmp.metrics.as_of` first). The Usaha & lahan page, the map, the briefing and `summary --json`
all call these. Land statuses come from `kkmp.schema.STATUS_LAHAN` only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kkmp.frames import isin
from kkmp.schema import STATUS_LAHAN, STATUS_SIMPAN_PINJAM, split_list

NO_DATA = "tanpa_data"
#: Land statuses as the funnel and the summary count them: the declared ones, then "no data".
LAHAN_CODES = (*STATUS_LAHAN, NO_DATA)
#: Steps of the programme funnel after the proposal stage (which is split by land status).
FUNNEL_STAGES = ("usulan", "pembangunan", "selesai", "usaha_berjalan")
#: Years the city expects before a cooperative can finance its members itself (seed article, Oct 2025).
MANDIRI_YEARS = 3

_NAMES = ["id_koperasi", "nama_koperasi", "kode_kelurahan", "kelurahan", "kecamatan", "kabupaten_kota", "provinsi"]


@dataclass(frozen=True)
class FunnelStep:
    """One step of the funnel: its stage, the land status (proposal stage only) and its KKMP."""

    tahap: str
    lahan: str | None
    jumlah: int
    berusaha: int
    """Of `jumlah`, how many already trade (a KKMP may trade from a temporary place before it builds)."""
    kelurahan: tuple[str, ...]


def trading(kkmp: pd.DataFrame) -> pd.Series:
    """True for each KKMP whose `usaha_berjalan` flag is set (missing counts as not trading)."""
    return kkmp["usaha_berjalan"].fillna(False).astype(bool)


def land_status(kkmp: pd.DataFrame) -> pd.Series:
    """Each KKMP's land status, `NO_DATA` where none is recorded."""
    value = kkmp["status_lahan"].astype("object")
    return value.where(value.isin(STATUS_LAHAN), NO_DATA).astype("str")


def funnel_stage(kkmp: pd.DataFrame) -> pd.Series:
    """Each KKMP's furthest step: usulan, pembangunan, selesai, or usaha_berjalan (built and trading)."""
    fisik = kkmp["status_fisik"].astype("object")
    stage = pd.Series("usulan", index=kkmp.index, dtype="object")
    stage = stage.mask(fisik == "pembangunan", "pembangunan").mask(fisik == "selesai", "selesai")
    return stage.mask((fisik == "selesai") & trading(kkmp), "usaha_berjalan").astype("str")


def funnel_members(kkmp: pd.DataFrame) -> pd.DataFrame:
    """One row per KKMP: its funnel step (`tahap`, `lahan` in the proposal stage), names and trading flag."""
    out = kkmp[[c for c in _NAMES if c in kkmp.columns]].copy()
    out["tahap"] = funnel_stage(kkmp)
    out["lahan"] = land_status(kkmp).where(out["tahap"] == "usulan", None)
    out["berusaha"] = trading(kkmp)
    return out.sort_values(["kecamatan", "kelurahan"], kind="stable").reset_index(drop=True)


def funnel_keys() -> list[tuple[str, str | None]]:
    """The funnel's steps in order: (usulan, each land status), then pembangunan, selesai, usaha_berjalan."""
    return [("usulan", s) for s in LAHAN_CODES] + [(s, None) for s in FUNNEL_STAGES[1:]]


def funnel(members: pd.DataFrame) -> list[FunnelStep]:
    """The funnel from `funnel_members`: every step (empty ones too, but "no data" only when used)."""
    steps = []
    for tahap, lahan in funnel_keys():
        rows = members[(members["tahap"] == tahap) & ((members["lahan"] == lahan) if lahan else True)]
        if lahan == NO_DATA and rows.empty:
            continue
        names = tuple(rows["kelurahan"].fillna("—").astype(str))
        steps.append(FunnelStep(tahap, lahan, len(rows), int(rows["berusaha"].sum()), names))
    return steps


def funnel_by_area(members: pd.DataFrame, level: str) -> pd.DataFrame:
    """KKMP per area (rows, `level` column) and funnel step (columns `tahap` or `tahap:lahan`), with a total."""
    keys = [f"{a}:{b}" if b else a for a, b in funnel_keys()]
    step = members["tahap"].where(members["lahan"].isna(), members["tahap"] + ":" + members["lahan"].fillna(""))
    table = pd.crosstab(members[level].fillna("—"), step).reindex(columns=keys, fill_value=0)
    if f"usulan:{NO_DATA}" in table and not table[f"usulan:{NO_DATA}"].any():
        table = table.drop(columns=f"usulan:{NO_DATA}")
    table["total"] = table.sum(axis=1)
    return table.rename_axis(index=level, columns=None).reset_index()


def lahan_counts(kkmp: pd.DataFrame) -> dict[str, int]:
    """KKMP per land status (every declared status and `tanpa_data`); the counts sum to the KKMP total."""
    counts = land_status(kkmp).value_counts()
    return {s: int(counts.get(s, 0)) for s in LAHAN_CODES}


def national_land_stage(lahan: pd.DataFrame) -> pd.Series:
    """Per kelurahan code, the furthest national land stage of its sites (a kelurahan may have several)."""
    if lahan is None or lahan.empty:
        return pd.Series(dtype="object")
    order = {s: i for i, s in enumerate(STATUS_LAHAN)}
    best = lahan["status_lahan"].map(order).groupby(lahan["kode_kelurahan"]).max()
    return best.map(lambda i: STATUS_LAHAN[int(i)] if pd.notna(i) else None)


def national_lahan_counts(kkmp: pd.DataFrame, lahan: pd.DataFrame) -> dict[str, int]:
    """KKMP per national land stage of their kelurahan (`tanpa_data`: no row in the national export);
    the counts sum to the KKMP total."""
    stage = kkmp["kode_kelurahan"].map(national_land_stage(lahan)).astype("object")
    return lahan_counts(kkmp.assign(status_lahan=stage.where(stage.notna(), None)))


def assets_in_use(kkmp: pd.DataFrame) -> pd.DataFrame:
    """KKMP that use a regional asset (aset daerah): which, for what, and their land status."""
    rows = kkmp[kkmp["aset_daerah"].notna()]
    out = rows[[c for c in _NAMES if c in rows.columns]].assign(
        aset_daerah=rows["aset_daerah"], status_lahan=land_status(rows)
    )
    return out.sort_values(["kecamatan", "kelurahan"], kind="stable").reset_index(drop=True)


def without_land(kkmp: pd.DataFrame, wilayah: pd.DataFrame) -> pd.DataFrame:
    """Kelurahan whose KKMP has no land (belum ada or not recorded), and kelurahan with no KKMP at all."""
    status = land_status(kkmp)
    no_land = kkmp[status.isin([STATUS_LAHAN[0], NO_DATA])]
    out = no_land[[c for c in _NAMES if c in no_land.columns]].assign(
        status_lahan=status[no_land.index], aset_daerah=no_land["aset_daerah"]
    )
    bare = wilayah[~isin(wilayah["kode_kelurahan"], kkmp["kode_kelurahan"])]
    if not bare.empty:
        extra = bare[["kode_kelurahan", "kelurahan", "kecamatan"]].assign(status_lahan="tanpa_kkmp")
        out = pd.concat([out, extra], ignore_index=True)
    return out.sort_values(["kecamatan", "kelurahan"], kind="stable").reset_index(drop=True)


def _named_partners(kkmp: pd.DataFrame) -> pd.DataFrame:
    """(id_koperasi, mitra) for each partner a cooperative names in its `mitra` list."""
    named = kkmp[["id_koperasi", "mitra"]].assign(mitra=kkmp["mitra"].map(split_list)).explode("mitra")
    return named[named["mitra"].notna()][["id_koperasi", "mitra"]]


def _partner_distributions(kkmp: pd.DataFrame, penyaluran: pd.DataFrame) -> pd.DataFrame:
    """The distribution rows of the KKMP in `kkmp` that name a partner (its name trimmed)."""
    p = penyaluran[isin(penyaluran["id_koperasi"], kkmp["id_koperasi"]) & penyaluran["mitra"].notna().to_numpy()]
    p = p.assign(mitra=p["mitra"].astype(str).str.strip())
    return p[p["mitra"] != ""]


def trade_pairs(kkmp: pd.DataFrame, penyaluran: pd.DataFrame) -> pd.DataFrame:
    """Each (id_koperasi, mitra) that trades: named by the cooperative or distributed through (see `trade_links`).

    `partner_counts` of these equals that of `trade_links`; the headline summary needs only the pairs
    (at national scale 0.2 s instead of the links' 1.3 s).
    """
    p = _partner_distributions(kkmp, penyaluran)
    return pd.concat([_named_partners(kkmp), p[["id_koperasi", "mitra"]]]).drop_duplicates()


def trade_links(kkmp: pd.DataFrame, penyaluran: pd.DataFrame) -> pd.DataFrame:
    """Who trades with whom since when: one row per (KKMP, partner).

    A partner counts when the cooperative names it (`mitra`) or has distributed through it;
    `sejak` is the first month distributed through it (empty when only named), `komoditas`
    the commodities distributed ("; " separated).
    """
    named = _named_partners(kkmp)
    p = _partner_distributions(kkmp, penyaluran)
    traded = p.groupby(["id_koperasi", "mitra"], as_index=False).agg(sejak=("bulan", "min"), terakhir=("bulan", "max"))
    traded["komoditas"] = _commodity_lists(p, traded)
    links = pd.concat([named, traded[["id_koperasi", "mitra"]]]).drop_duplicates()
    links = links.merge(traded, on=["id_koperasi", "mitra"], how="left")
    names = kkmp[[c for c in _NAMES if c in kkmp.columns]]
    out = links.merge(names, on="id_koperasi", how="left")
    cols = [*names.columns, "mitra", "sejak", "terakhir", "komoditas"]
    return out[cols].sort_values(["mitra", "kecamatan", "kelurahan"], kind="stable").reset_index(drop=True)


def _commodity_lists(p: pd.DataFrame, pairs: pd.DataFrame) -> list[str]:
    """Per (id_koperasi, mitra) row of `pairs`: the commodities distributed, sorted, "; " separated.

    Vectorised (a presence table per pair, each distinct combination named once): a Python join per pair
    took 3.4 s for the 42,000 pairs of the national demo.
    """
    present = p.groupby(["id_koperasi", "mitra", "komoditas"]).size().unstack("komoditas", fill_value=0).gt(0)
    present = present[sorted(present.columns)]
    codes = pd.Series(present.to_numpy() @ (1 << np.arange(present.shape[1], dtype=np.int64)), index=present.index)
    names = {c: "; ".join(k for bit, k in enumerate(present.columns) if c >> bit & 1) for c in codes.unique()}
    keys = pd.MultiIndex.from_frame(pairs[["id_koperasi", "mitra"]])
    return codes.map(names).reindex(keys).tolist()


def partner_counts(links: pd.DataFrame) -> pd.DataFrame:
    """How many KKMP trade with each partner (from `trade_links` or `trade_pairs`), most first, then by name."""
    counts = links.drop_duplicates(["id_koperasi", "mitra"]).groupby("mitra")["id_koperasi"].nunique()
    frame = pd.DataFrame({"mitra": counts.index.astype(str), "jumlah": counts.to_numpy(dtype=int)})
    return frame.sort_values(["jumlah", "mitra"], ascending=[False, True], kind="stable").reset_index(drop=True)


def latest_month(penyaluran: pd.DataFrame) -> pd.Timestamp | None:
    """The newest month with distribution (None without any)."""
    months = penyaluran["bulan"].dropna()
    return None if months.empty else pd.Timestamp(months.max())


def distribution_by_month(penyaluran: pd.DataFrame) -> pd.DataFrame:
    """Quantity per month, commodity and unit (units are never added together), and how many KKMP."""
    cols = ["bulan", "komoditas", "satuan", "jumlah", "koperasi"]
    if penyaluran.empty:
        return pd.DataFrame(columns=cols)
    out = penyaluran.groupby(["bulan", "komoditas", "satuan"], as_index=False).agg(
        jumlah=("jumlah", "sum"), koperasi=("id_koperasi", "nunique")
    )
    return out[cols].sort_values(["bulan", "komoditas", "satuan"]).reset_index(drop=True)


def latest_distribution(penyaluran: pd.DataFrame) -> pd.DataFrame:
    """The newest month per commodity and unit, largest first, with the month before (`sebelumnya`)."""
    cols = ["komoditas", "satuan", "jumlah", "sebelumnya", "bulan"]
    monthly = distribution_by_month(penyaluran)
    if monthly.empty:
        return pd.DataFrame(columns=cols)
    months = sorted(monthly["bulan"].unique())
    now = monthly[monthly["bulan"] == months[-1]]
    before = monthly[monthly["bulan"] == months[-2]] if len(months) > 1 else monthly.iloc[0:0]
    prev = before.set_index(["komoditas", "satuan"])["jumlah"].rename("sebelumnya")
    now = now.join(prev, on=["komoditas", "satuan"])
    now["sebelumnya"] = now["sebelumnya"].astype("object").where(now["sebelumnya"].notna(), None)
    return now.sort_values("jumlah", ascending=False, kind="stable")[cols].reset_index(drop=True)


def distribution_detail(penyaluran: pd.DataFrame, kkmp: pd.DataFrame, bulan: pd.Timestamp | None) -> pd.DataFrame:
    """One month's distribution per KKMP, partner, commodity and unit, with kelurahan names."""
    rows = penyaluran if bulan is None else penyaluran[penyaluran["bulan"] == pd.Timestamp(bulan)]
    names = kkmp[[c for c in _NAMES if c in kkmp.columns]]
    out = rows.merge(names, on="id_koperasi", how="inner")
    cols = ["kecamatan", "kelurahan", "nama_koperasi", "mitra", "komoditas", "jumlah", "satuan", "bulan"]
    return out[cols].sort_values(["kecamatan", "kelurahan", "komoditas"], kind="stable").reset_index(drop=True)


def distribution_by_partner(penyaluran: pd.DataFrame, bulan: pd.Timestamp | None) -> pd.DataFrame:
    """One month's quantity per partner, commodity and unit, and how many KKMP distributed it."""
    rows = penyaluran if bulan is None else penyaluran[penyaluran["bulan"] == pd.Timestamp(bulan)]
    rows = rows.assign(mitra=rows["mitra"].fillna("—"))
    out = rows.groupby(["mitra", "komoditas", "satuan"], as_index=False).agg(
        jumlah=("jumlah", "sum"), koperasi=("id_koperasi", "nunique")
    )
    return out.sort_values(["mitra", "komoditas"], kind="stable").reset_index(drop=True)


def simpan_pinjam_state(kkmp: pd.DataFrame) -> pd.Series:
    """Each KKMP's savings-and-loans unit: the recorded state, else berjalan when it is among the units, else belum."""
    recorded = kkmp["simpan_pinjam"].astype("object") if "simpan_pinjam" in kkmp else pd.Series(None, index=kkmp.index)
    running = kkmp["unit_usaha"].map(lambda v: "simpan_pinjam" in split_list(v)).astype(bool)
    derived = pd.Series(STATUS_SIMPAN_PINJAM[0], index=kkmp.index, dtype="object").mask(running, "berjalan")
    return recorded.where(recorded.isin(STATUS_SIMPAN_PINJAM), derived).astype("str")


def mandiri_target(founded: pd.Series, years: int = MANDIRI_YEARS) -> pd.Series:
    """The date each cooperative is expected to finance its members itself: `years` after its legal entity."""
    return pd.to_datetime(founded) + pd.DateOffset(years=years)


def capital_reference(posisi_per: dt.date | None, as_of_date: dt.date | None = None) -> dt.date:
    """The date months to the self-financing aim are counted from: the reference date the user chose,
    else the date the capital figures hold ("posisi per"), else today."""
    return as_of_date or posisi_per or dt.date.today()


def capital_table(kkmp: pd.DataFrame, reference: dt.date, years: int = MANDIRI_YEARS) -> pd.DataFrame:
    """Per KKMP: modal sendiri, modal luar, total, own share (%), savings-and-loans state, and the
    self-financing aim (`target_mandiri`) with the months left to it at `reference` (negative: past).
    """
    sendiri = kkmp["modal_sendiri"].astype("Float64")
    luar = kkmp["modal_luar"].astype("Float64")
    total = sendiri.fillna(0) + luar.fillna(0)
    known = sendiri.notna() | luar.notna()
    share = (100 * sendiri.fillna(0) / total.where(total > 0)).astype("Float64")
    target = mandiri_target(kkmp["tanggal_badan_hukum"], years)
    ref = pd.Timestamp(reference)
    months = (target.dt.year - ref.year) * 12 + (target.dt.month - ref.month)
    out = kkmp[[c for c in _NAMES if c in kkmp.columns]].assign(
        modal_sendiri=sendiri,
        modal_luar=luar,
        modal_total=total.where(known),
        persen_sendiri=share,
        simpan_pinjam=simpan_pinjam_state(kkmp),
        target_mandiri=target,
        bulan_tersisa=months.astype("Int64"),
    )
    return out.sort_values(["kecamatan", "kelurahan"], kind="stable").reset_index(drop=True)


def capital_totals(capital: pd.DataFrame) -> dict[str, object]:
    """Totals of `capital_table`: both capitals, own share, and KKMP per savings-and-loans state."""
    sendiri = float(capital["modal_sendiri"].fillna(0).sum())
    luar = float(capital["modal_luar"].fillna(0).sum())
    total = sendiri + luar
    states = capital["simpan_pinjam"].value_counts()
    targets = capital["target_mandiri"].dropna()
    return {
        "modal_sendiri": sendiri,
        "modal_luar": luar,
        "persen_sendiri": 100 * sendiri / total if total else None,
        "dengan_modal_luar": int((capital["modal_luar"].fillna(0) > 0).sum()),
        "simpan_pinjam": {s: int(states.get(s, 0)) for s in STATUS_SIMPAN_PINJAM},
        "target_mandiri_awal": targets.min().date() if not targets.empty else None,
        "target_mandiri_akhir": targets.max().date() if not targets.empty else None,
    }


def _iso_month(value: pd.Timestamp | None) -> str | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date().isoformat()


def usaha_summary(kkmp: pd.DataFrame, penyaluran: pd.DataFrame) -> dict[str, object]:
    """The summary's `usaha` block: KKMP trading, KKMP per partner, the latest month's distribution."""
    counts = partner_counts(trade_pairs(kkmp, penyaluran))
    mine = penyaluran[isin(penyaluran["id_koperasi"], kkmp["id_koperasi"])]
    bulan = latest_month(mine)
    month = distribution_by_month(mine)
    month = month[month["bulan"] == bulan] if bulan is not None else month
    komoditas = [
        {"komoditas": str(k), "satuan": str(s), "jumlah": float(j)}
        for k, s, j in month[["komoditas", "satuan", "jumlah"]].itertuples(index=False)
    ]
    return {
        "koperasi_berusaha": int(trading(kkmp).sum()),
        "mitra": [{"mitra": m, "koperasi": int(n)} for m, n in counts.itertuples(index=False)],
        "penyaluran": {"bulan": _iso_month(bulan), "komoditas": komoditas},
    }


def lahan_summary(kkmp: pd.DataFrame) -> dict[str, object]:
    """The summary's `lahan` block: `status` → KKMP count (summing to the KKMP total), and the funnel."""
    steps = funnel(funnel_members(kkmp))
    return {
        "status": lahan_counts(kkmp),
        "corong": [{"tahap": s.tahap, "lahan": s.lahan, "jumlah": s.jumlah} for s in steps],
    }
