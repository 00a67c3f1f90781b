"""Synthetic demonstration data at city, province or national scale (`python -m kkmp demo-data`).

Everything here is invented: region names say "Contoh", codes only look like Kemendagri codes,
and every file's source says it is synthetic. The shapes follow the programme's public figures
(domain.md): ~83,700 desa/kelurahan in 38 provinces and ~514 kabupaten/kota nationally, one KDKMP
per desa/kelurahan, ~50,000 other cooperatives, ~30,000 builds with weekly reports, three
financial years of RAT and a year of monthly distribution. Generation is vectorised (numpy) and
seeded, so the same scale and seed always give the same files.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from kkmp.frames import coerce_frame
from kkmp.schema import DATASETS, KOMODITAS, STATUS_LAHAN, TAHAP

DEFAULT_SEED = 2025
GROUNDBREAKING = dt.date(2025, 10, 17)
#: The synthetic data's "today": the last weekly report and the "posisi per" of most datasets.
POSISI_PER = dt.date(2026, 2, 20)
RAT_YEARS = (2023, 2024, 2025)
SYNTHETIC_NOTE = (
    "Data sintetis (demo-data, skala {scale}, seed {seed}); bukan data resmi / synthetic, not official data"
)

SATUAN_KOMODITAS = {
    "beras": ("kg", "PT Bulog", 900.0),
    "minyak_goreng": ("liter", "PT Bulog", 250.0),
    "gula": ("kg", "PT Bulog", 180.0),
    "tepung_terigu": ("kg", "PT Bulog", 120.0),
    "telur": ("kg", "PT Bulog", 90.0),
    "lpg_3kg": ("tabung", "PT Pertamina Patra Niaga", 200.0),
    "lpg_5_5kg": ("tabung", "PT Pertamina Patra Niaga", 30.0),
    "lpg_12kg": ("tabung", "PT Pertamina Patra Niaga", 12.0),
    "pupuk": ("kg", "PT Pupuk Indonesia", 1500.0),
    "obat": ("paket", "Kimia Farma", 40.0),
}


@dataclass(frozen=True)
class ScaleSpec:
    """How big one scale is: region hierarchy and dataset sizes."""

    name: str
    provinsi: int
    kabupaten_kota: int
    kota: int
    kecamatan: int
    kelurahan: int
    kdkmp_share: float
    koperasi_lain: int
    pembangunan: int
    laporan_per_pembangunan: int
    komoditas_per_koperasi: int


SCALES: dict[str, ScaleSpec] = {
    # One city like Balikpapan: 6 kecamatan, 34 kelurahan, a KKMP in each.
    "city": ScaleSpec("city", 1, 1, 1, 6, 34, 1.0, 86, 3, 16, 3),
    # One province like Kalimantan Timur: 7 kabupaten + 3 kota, ~1,000 desa/kelurahan.
    "province": ScaleSpec("province", 1, 10, 3, 105, 1_037, 0.995, 620, 370, 16, 3),
    # Indonesia: 38 provinsi, ~514 kabupaten/kota, ~83,700 desa/kelurahan, ~130,000 cooperatives.
    "national": ScaleSpec("national", 38, 514, 98, 7_277, 83_700, 0.992, 50_000, 30_000, 16, 3),
}


def _split(rng: np.random.Generator, total: int, parts: int, minimum: int) -> np.ndarray:
    """`total` split into `parts` positive counts of at least `minimum`, unevenly."""
    if parts == 1:
        return np.array([total])
    rest = total - parts * minimum
    weights = rng.dirichlet(np.full(parts, 2.0))
    return minimum + rng.multinomial(rest, weights)


def build_wilayah(spec: ScaleSpec, rng: np.random.Generator) -> pd.DataFrame:
    """The synthetic region list: codes NN.NN.NN.NNNN, names "… Contoh <code>", points in Indonesia."""
    kab_per_prov = _split(rng, spec.kabupaten_kota, spec.provinsi, 1 if spec.provinsi == 1 else 5)
    kec_per_kab = _split(rng, spec.kecamatan, spec.kabupaten_kota, 3 if spec.kabupaten_kota > 1 else 1)
    kel_per_kec = _split(rng, spec.kelurahan, spec.kecamatan, 2)

    prov_code = np.arange(11, 11 + spec.provinsi)
    kab_prov = np.repeat(np.arange(spec.provinsi), kab_per_prov)
    kab_rank = np.concatenate([np.arange(n) for n in kab_per_prov])
    is_kota = np.zeros(spec.kabupaten_kota, dtype=bool)
    is_kota[rng.choice(spec.kabupaten_kota, spec.kota, replace=False)] = True
    # Kemendagri numbering: kabupaten 01.., kota 71..
    kota_rank = np.zeros(spec.kabupaten_kota, dtype=int)
    kab_only_rank = np.zeros(spec.kabupaten_kota, dtype=int)
    for p in range(spec.provinsi):
        idx = np.flatnonzero(kab_prov == p)
        kota_rank[idx] = np.cumsum(is_kota[idx]) - 1
        kab_only_rank[idx] = np.cumsum(~is_kota[idx]) - 1
    kab_code = np.where(is_kota, 71 + kota_rank, 1 + kab_only_rank)
    del kab_rank

    kec_kab = np.repeat(np.arange(spec.kabupaten_kota), kec_per_kab)
    kec_code = np.concatenate([np.arange(1, n + 1) for n in kec_per_kab])
    kel_kec = np.repeat(np.arange(spec.kecamatan), kel_per_kec)
    kel_rank = np.concatenate([np.arange(n) for n in kel_per_kec])
    kel_kab = kec_kab[kel_kec]
    kel_prov = kab_prov[kel_kab]
    kota_area = is_kota[kel_kab]
    desa = ~kota_area & (rng.random(spec.kelurahan) > 0.05)
    kel_code = np.where(desa, 2001, 1001) + kel_rank

    p_txt = pd.Series(prov_code[kel_prov]).map("{:02d}".format)
    k_txt = pd.Series(kab_code[kel_kab]).map("{:02d}".format)
    c_txt = pd.Series(kec_code[kel_kec]).map("{:02d}".format)
    d_txt = pd.Series(kel_code).map("{:04d}".format)
    kab_prefix = p_txt + "." + k_txt
    kec_prefix = kab_prefix + "." + c_txt
    kode = kec_prefix + "." + d_txt

    # Provinces on a rough grid over the archipelago; kabupaten, kecamatan and desa scattered around.
    prov_lat = rng.uniform(-9.5, 4.5, spec.provinsi)
    prov_lon = rng.uniform(96.0, 139.0, spec.provinsi)
    kab_lat = prov_lat[kab_prov] + rng.normal(0, 0.8, spec.kabupaten_kota)
    kab_lon = kab_lon = prov_lon[kab_prov] + rng.normal(0, 0.8, spec.kabupaten_kota)
    kec_lat = kab_lat[kec_kab] + rng.normal(0, 0.15, spec.kecamatan)
    kec_lon = kab_lon[kec_kab] + rng.normal(0, 0.15, spec.kecamatan)
    lat = np.clip(kec_lat[kel_kec] + rng.normal(0, 0.03, spec.kelurahan), -11.0, 6.0)
    lon = np.clip(kec_lon[kel_kec] + rng.normal(0, 0.03, spec.kelurahan), 95.0, 141.0)

    jenis = np.where(desa, "desa", "kelurahan")
    kab_kind = np.where(kota_area, "Kota", "Kabupaten")
    frame = pd.DataFrame(
        {
            "kode_kelurahan": kode,
            "provinsi": "Provinsi Contoh " + p_txt,
            "kabupaten_kota": pd.Series(kab_kind) + " Contoh " + kab_prefix,
            "kecamatan": "Kecamatan Contoh " + kec_prefix,
            "kelurahan": pd.Series(np.where(desa, "Desa", "Kelurahan")) + " Contoh " + kode,
            "jenis": jenis,
            "lat": np.round(lat, 5),
            "lon": np.round(lon, 5),
            "luas_km2": np.round(
                np.where(desa, rng.gamma(2.0, 12.0, spec.kelurahan), rng.gamma(2.0, 3.0, spec.kelurahan)), 2
            ),
            "jumlah_kk": np.where(
                desa, rng.integers(150, 1500, spec.kelurahan), rng.integers(1500, 9000, spec.kelurahan)
            ),
        }
    )
    return frame


def _dates(base: dt.date, offsets: np.ndarray) -> pd.Series:
    return pd.Series(pd.Timestamp(base) + pd.to_timedelta(offsets, unit="D"))


def _lists(rng: np.random.Generator, choices: tuple[str, ...], n: int, p: float) -> pd.Series:
    """Semicolon lists: each item of `choices` taken with probability `p`."""
    take = rng.random((n, len(choices))) < p
    out = pd.Series([""] * n)
    for j, item in enumerate(choices):
        add = take[:, j]
        out[add] = out[add] + np.where(out[add] == "", "", "; ") + item
    return out.mask(out == "")


def build_koperasi(spec: ScaleSpec, wilayah: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """One KDKMP in (almost) every desa/kelurahan, plus other cooperatives spread over the region."""
    n_w = len(wilayah)
    with_kdkmp = np.sort(rng.choice(n_w, round(n_w * spec.kdkmp_share), replace=False))
    n_k = len(with_kdkmp)
    kode_k = wilayah["kode_kelurahan"].to_numpy()[with_kdkmp]
    is_kel = wilayah["jenis"].to_numpy()[with_kdkmp] == "kelurahan"
    kind = np.where(is_kel, "Kelurahan", "Desa")
    place = wilayah["kelurahan"].to_numpy()[with_kdkmp]
    trading_k = rng.random(n_k) < 0.25
    tahap_k = np.where(trading_k, "usaha_berjalan", rng.choice(np.array(TAHAP[3:8]), n_k))
    kdkmp = pd.DataFrame(
        {
            "id_koperasi": "KDKMP-" + pd.Series(kode_k).str.replace(".", "", regex=False),
            "nama_koperasi": "Koperasi "
            + pd.Series(kind)
            + " Merah Putih "
            + pd.Series(place).str.split(" Contoh ").str[1],
            "kkmp": True,
            "kode_kelurahan": kode_k,
            "status": "aktif",
            "tanggal_badan_hukum": _dates(dt.date(2025, 5, 1), rng.integers(0, 110, n_k)),
            "tahap": tahap_k,
            "usaha_berjalan": trading_k,
            "jumlah_anggota": rng.integers(9, 260, n_k),
            "modal_sendiri": rng.integers(1, 60, n_k) * 500_000.0,
            "modal_luar": np.where(rng.random(n_k) < 0.05, rng.integers(1, 30, n_k) * 100_000_000.0, 0.0),
            "status_lahan": rng.choice(np.array(STATUS_LAHAN), n_k, p=[0.4, 0.25, 0.15, 0.15, 0.05]),
            "lahan_aset_daerah": rng.random(n_k) < 0.1,
            "status_fisik": "usulan",
            "aset_daerah": rng.choice(
                np.array(["sekretariat", "kantor_sementara", "gerai", ""]), n_k, p=[0.3, 0.2, 0.1, 0.4]
            ),
        }
    )
    kdkmp["aset_daerah"] = kdkmp["aset_daerah"].mask(kdkmp["aset_daerah"] == "")
    kdkmp["mitra"] = pd.Series(np.where(trading_k, "PT Bulog; PT Pertamina Patra Niaga", None))
    kdkmp["unit_usaha"] = _lists(rng, ("sembako", "lpg", "apotek", "simpan_pinjam"), n_k, 0.35).where(
        trading_k, "kantor_koperasi"
    )
    kdkmp["simpan_pinjam"] = None  # empty: read from unit_usaha, as staff leave it
    kdkmp["surveyor"] = None  # the office's sheet leaves the national survey fields empty
    kdkmp["lahan_lat"] = kdkmp["lahan_lon"] = np.nan

    n_o = spec.koperasi_lain
    home = rng.integers(0, n_w, n_o)
    status = rng.choice(np.array(["aktif", "tidak_aktif", "bubar"]), n_o, p=[0.8, 0.15, 0.05])
    trading_o = (status == "aktif") & (rng.random(n_o) < 0.6)
    lain = pd.DataFrame(
        {
            "id_koperasi": pd.Series(np.arange(1, n_o + 1)).map("KOP-{:06d}".format),
            "nama_koperasi": pd.Series(np.arange(1, n_o + 1)).map("Koperasi Contoh {:06d}".format),
            "kkmp": False,
            "kode_kelurahan": wilayah["kode_kelurahan"].to_numpy()[home],
            "status": status,
            "tanggal_badan_hukum": _dates(dt.date(1995, 1, 1), rng.integers(0, 365 * 30, n_o)),
            "tahap": np.where(trading_o, "usaha_berjalan", "nik_koperasi"),
            "usaha_berjalan": trading_o,
            "jumlah_anggota": rng.integers(20, 2500, n_o),
            "modal_sendiri": rng.integers(10, 4000, n_o) * 1_000_000.0,
            "modal_luar": rng.integers(0, 3000, n_o) * 1_000_000.0,
            "mitra": None,
            "unit_usaha": _lists(rng, ("sembako", "simpan_pinjam", "pupuk"), n_o, 0.4),
            "status_lahan": None,
            "lahan_aset_daerah": None,
            "status_fisik": None,
            "aset_daerah": None,
            "simpan_pinjam": None,
            "surveyor": None,
            "lahan_lat": np.nan,
            "lahan_lon": np.nan,
        }
    )
    frame = pd.concat([kdkmp, lain], ignore_index=True)
    return frame[DATASETS["koperasi"].column_names]


def build_pembangunan(spec: ScaleSpec, koperasi: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Builds of gerai + gudang for some KDKMP, started from the national groundbreaking on."""
    kdkmp = koperasi.index[koperasi["kkmp"]].to_numpy()
    n = min(spec.pembangunan, len(kdkmp))
    chosen = np.sort(rng.choice(kdkmp, n, replace=False))
    start = rng.integers(0, 14, n)
    frame = pd.DataFrame(
        {
            "id_pembangunan": pd.Series(np.arange(1, n + 1)).map("PB-{:06d}".format),
            "id_koperasi": koperasi["id_koperasi"].to_numpy()[chosen],
            "objek": rng.choice(np.array(["gerai_gudang", "gerai", "gudang"]), n, p=[0.85, 0.1, 0.05]),
            "tanggal_mulai": _dates(GROUNDBREAKING, start),
            "target_selesai": _dates(GROUNDBREAKING, start + 92),
            "pelaksana": "PT Agrinas Pangan Nusantara",
            "mitra": "TNI AD; Kementerian Koperasi",
            "anggaran": 1_658_000_000.0,
        }
    )
    return frame, chosen


def build_progres(pembangunan: pd.DataFrame, rng: np.random.Generator, weeks: int) -> pd.DataFrame:
    """Weekly cumulative reports: the S-shaped plan and an actual that lags or leads it."""
    n = len(pembangunan)
    start = pembangunan["tanggal_mulai"].to_numpy()
    target = pembangunan["target_selesai"].to_numpy()
    week = np.tile(np.arange(1, weeks + 1), n)
    b = np.repeat(np.arange(n), weeks)
    when = start[b] + (week * 7).astype("timedelta64[D]")
    keep = when <= np.datetime64(POSISI_PER)
    total = (target - start).astype("timedelta64[D]").astype(float)[b]
    x = np.clip((week * 7) / total, 0, 1)
    plan = np.round(100 * (3 * x**2 - 2 * x**3), 1)
    speed = rng.normal(0.95, 0.12, n).clip(0.5, 1.3)[b]
    xr = np.clip(x * speed, 0, 1)
    actual = np.minimum(100.0, np.round(100 * (3 * xr**2 - 2 * xr**3) + rng.normal(0, 0.4, len(b)).clip(0), 1))
    actual = pd.Series(actual).groupby(b).cummax().to_numpy()
    note = np.where(rng.random(len(b)) < 0.05, "Cuaca hujan, pekerjaan tertunda", None)
    frame = pd.DataFrame(
        {
            "id_pembangunan": pembangunan["id_pembangunan"].to_numpy()[b],
            "tanggal_laporan": when,
            "minggu_ke": week,
            "rencana_persen": plan,
            "realisasi_persen": actual,
            "catatan": note,
        }
    )
    return frame[keep].reset_index(drop=True)


def build_rat(koperasi: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """RAT rows for the financial years each active cooperative was required to account for."""
    parts = []
    founded = koperasi["tanggal_badan_hukum"]
    for year in RAT_YEARS:
        due = koperasi[(koperasi["status"] == "aktif") & (founded.dt.year <= year)]
        n = len(due)
        held_share = 0.35 if year == RAT_YEARS[-1] else 0.72
        held = rng.random(n) < held_share
        offset = rng.integers(10, 150, n) if year < RAT_YEARS[-1] else rng.integers(10, 36, n)
        held_on = _dates(dt.date(year + 1, 1, 1), offset)
        scheduled = _dates(dt.date(year + 1, 3, 1), rng.integers(0, 90, n))
        parts.append(
            pd.DataFrame(
                {
                    "id_koperasi": due["id_koperasi"].to_numpy(),
                    "tahun_buku": year,
                    "tanggal_rat": held_on.where(held),
                    "jadwal_rat": scheduled.where(~held),
                    "lapor_ods": held & (rng.random(n) < 0.8),
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def build_penyaluran(koperasi: pd.DataFrame, rng: np.random.Generator, per_koperasi: int) -> pd.DataFrame:
    """A year of monthly distribution by trading cooperatives, a few commodities each."""
    trading = koperasi[koperasi["usaha_berjalan"].fillna(False).astype(bool)]
    n = len(trading)
    months = pd.date_range(
        end=pd.Timestamp(POSISI_PER).replace(day=1) - pd.offsets.MonthBegin(1), periods=12, freq="MS"
    )
    komoditas = np.array(KOMODITAS)
    # Each cooperative trades `per_koperasi` distinct commodities, the first always rice.
    picks = np.argsort(rng.random((n, len(komoditas) - 1)), axis=1)[:, : per_koperasi - 1] + 1
    goods = np.concatenate([np.zeros((n, 1), dtype=int), picks], axis=1)
    m = len(months)
    coop = np.repeat(np.arange(n), m * per_koperasi)
    month = np.tile(np.repeat(np.arange(m), per_koperasi), n)
    good = goods[coop, np.tile(np.arange(per_koperasi), n * m)]
    names = komoditas[good]
    unit = np.array([SATUAN_KOMODITAS[k][0] for k in komoditas])[good]
    partner = np.array([SATUAN_KOMODITAS[k][1] for k in komoditas])[good]
    base = np.array([SATUAN_KOMODITAS[k][2] for k in komoditas])[good]
    return pd.DataFrame(
        {
            "id_koperasi": trading["id_koperasi"].to_numpy()[coop],
            "bulan": months.to_numpy()[month],
            "komoditas": names,
            "jumlah": np.round(base * rng.gamma(4.0, 0.25, len(coop))),
            "satuan": unit,
            "mitra": partner,
        }
    )


def build_demo_frames(scale: str, seed: int = DEFAULT_SEED) -> dict[str, pd.DataFrame]:
    """Every dataset at `scale` ('city', 'province', 'national'), in canonical dtypes."""
    spec = SCALES[scale]
    rng = np.random.default_rng(seed)
    wilayah = build_wilayah(spec, rng)
    koperasi = build_koperasi(spec, wilayah, rng)
    pembangunan, built = build_pembangunan(spec, koperasi, rng)
    progres = build_progres(pembangunan, rng, spec.laporan_per_pembangunan)
    last = progres.groupby("id_pembangunan")["realisasi_persen"].max()
    finished = pembangunan["id_pembangunan"].map(last).fillna(0).to_numpy() >= 100
    koperasi.loc[built, "status_fisik"] = np.where(finished, "selesai", "pembangunan")
    koperasi.loc[built, "status_lahan"] = "terverifikasi"
    koperasi.loc[built, "tahap"] = "pembangunan_fisik"
    frames = {
        "wilayah": wilayah,
        "koperasi": koperasi,
        "pembangunan": pembangunan,
        "progres": progres,
        "rat": build_rat(koperasi, rng),
        "penyaluran": build_penyaluran(koperasi, rng, spec.komoditas_per_koperasi),
    }
    return {name: coerce_frame(DATASETS[name], frame).reset_index(drop=True) for name, frame in frames.items()}


def _csv_frame(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for name in out.columns:
        s = out[name]
        if pd.api.types.is_datetime64_any_dtype(s):
            out[name] = s.dt.strftime("%Y-%m-%d")
        elif pd.api.types.is_bool_dtype(s):
            out[name] = s.map({True: "ya", False: "tidak"})
    return out


def sources_toml(scale: str, seed: int) -> str:
    """The `sumber.toml` of a demo directory: every dataset dated and marked synthetic."""
    note = SYNTHETIC_NOTE.format(scale=scale, seed=seed)
    lines = [f"# Data sintetis / synthetic data: python -m kkmp demo-data --scale {scale} --seed {seed}"]
    dates = {"wilayah": dt.date(2025, 7, 1), "rat": POSISI_PER, "penyaluran": dt.date(2026, 1, 31)}
    for name in DATASETS:
        when = dates.get(name, POSISI_PER)
        lines += ["", f"[{name}]", f"posisi_per = {when.isoformat()}", f'sumber = "{note}"', "contoh = true"]
    return "\n".join(lines) + "\n"


README = """Data sintetis KKMP Dashboard — skala {scale}, seed {seed}.

SEMUA DATA DI SINI REKAAN. Nama wilayah memuat kata "Contoh"; kode hanya meniru bentuk kode
Kemendagri (NN.NN.NN.NNNN) dan bukan kode resmi. Dipakai untuk demo dan uji kinerja.
Muat dengan: python -m kkmp init --from {dirname} --force

Synthetic data for the KKMP Dashboard — scale {scale}, seed {seed}. EVERYTHING HERE IS INVENTED.
Region names contain "Contoh" (example); codes only look like Kemendagri codes.

Rows: {counts}
"""


def write_demo_data(directory: Path, scale: str, seed: int = DEFAULT_SEED) -> dict[str, int]:
    """Write `wilayah.csv`, one CSV per dataset, `sumber.toml` and a README into `directory`."""
    frames = build_demo_frames(scale, seed)
    directory.mkdir(parents=True, exist_ok=True)
    for name, frame in frames.items():
        _csv_frame(frame).to_csv(directory / f"{name}.csv", index=False)
    (directory / "sumber.toml").write_text(sources_toml(scale, seed), encoding="utf-8")
    counts = {name: len(frame) for name, frame in frames.items()}
    text = README.format(
        scale=scale, seed=seed, dirname=directory, counts=", ".join(f"{k} {v:,}" for k, v in counts.items())
    )
    (directory / "README.txt").write_text(text, encoding="utf-8")
    return counts
