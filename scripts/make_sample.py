"""Write the sample datasets in data/sample/ (deterministic; run from the repository root).

The headline figures reproduce the seed article (Kaltimkita.com, 21 Oct 2025): 34 KKMP, three
builds started 17 Oct 2025 at Graha Indah, Sepinggan Baru and Manggar with a three-month target,
31 still proposals, 7 KKMP trading with PT Bulog and PT Pertamina Patra Niaga, 109 active
cooperatives of which about 70 % held RAT for financial year 2024. Everything else (which seven,
members, capital, names of the other cooperatives, weekly progress) is invented and labelled so.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data" / "sample"
rng = random.Random(20251021)

wilayah = list(csv.DictReader((ROOT / "data" / "wilayah-balikpapan.csv").open(encoding="utf-8")))
by_name = {w["kelurahan"]: w for w in wilayah}

BUILDS = ["Graha Indah", "Sepinggan Baru", "Manggar"]
OPERATING = ["Sepinggan", "Gunung Bahagia", "Batu Ampar", "Karang Rejo", "Prapatan", "Margo Mulyo", "Lamaru"]
START = dt.date(2025, 10, 17)
TARGET = dt.date(2026, 1, 17)


def yn(flag: bool) -> str:
    return "ya" if flag else "tidak"


def rand_date(a: dt.date, b: dt.date) -> dt.date:
    return a + dt.timedelta(days=rng.randint(0, (b - a).days))


koperasi: list[dict] = []
for w in wilayah:
    name = w["kelurahan"]
    kid = "KKMP-" + w["kode_kelurahan"].replace(".", "")
    operating = name in OPERATING
    building = name in BUILDS
    members = rng.randint(28, 64) if operating else rng.randint(9, 26)
    if building:
        tahap, lahan = "pembangunan_fisik", "terverifikasi"
    elif operating:
        tahap, lahan = "usaha_berjalan", rng.choice(["belum_ada", "diusulkan"])
    else:
        tahap = rng.choice(["badan_hukum", "nib_npwp_rekening", "nik_koperasi", "simkopdes", "simkopdes"])
        lahan = rng.choice(["belum_ada", "belum_ada", "diusulkan", "aset_daerah"])
    if operating:
        mitra = "PT Bulog; PT Pertamina Patra Niaga" if rng.random() < 0.75 else "PT Pertamina Patra Niaga"
        units = "sembako; lpg" if "Bulog" in mitra else "lpg"
    else:
        mitra, units = "", "kantor_koperasi" if rng.random() < 0.4 else ""
    koperasi.append(
        {
            "id_koperasi": kid,
            "nama_koperasi": f"Koperasi Kelurahan Merah Putih {name}",
            "kkmp": "ya",
            "kode_kelurahan": w["kode_kelurahan"],
            "status": "aktif",
            "tanggal_badan_hukum": rand_date(dt.date(2025, 6, 2), dt.date(2025, 7, 25)).isoformat(),
            "tahap": tahap,
            "usaha_berjalan": yn(operating),
            "jumlah_anggota": members,
            "modal_sendiri": members * rng.choice([150_000, 200_000, 250_000]),
            "modal_luar": rng.choice([0, 25_000_000, 50_000_000]) if operating else 0,
            "mitra": mitra,
            "unit_usaha": units,
            "status_lahan": lahan,
            "status_fisik": "pembangunan" if building else "usulan",
            "aset_daerah": rng.choice(["sekretariat", "sekretariat", "kantor_sementara", "gerai", ""]),
        }
    )
    # Savings and loans cannot run yet for lack of capital (seed article): preparing where outside capital came.
    koperasi[-1]["simpan_pinjam"] = "persiapan" if koperasi[-1]["modal_luar"] else "belum"

JENIS = [
    "Koperasi Serba Usaha",
    "Koperasi Simpan Pinjam",
    "Koperasi Karyawan",
    "Koperasi Konsumen",
    "Koperasi Pegawai Republik Indonesia",
    "Koperasi Wanita",
    "Koperasi Nelayan",
    "Koperasi Produsen",
    "Koperasi Pemuda",
    "Koperasi Jasa",
]
NAMA = [
    "Sejahtera",
    "Mandiri",
    "Bersama",
    "Maju Jaya",
    "Karya Bakti",
    "Harapan Baru",
    "Bumi Manuntung",
    "Teluk Balikpapan",
    "Gemilang",
    "Makmur Abadi",
    "Sinar Borneo",
    "Mitra Usaha",
    "Tunas Muda",
    "Berkah",
    "Sumber Rezeki",
    "Bina Warga",
    "Cahaya Pesisir",
    "Damai Sentosa",
]
names: set[str] = set()
others: list[dict] = []
status_plan = ["aktif"] * 75 + ["tidak_aktif"] * 8 + ["bubar"] * 3
for i, status in enumerate(status_plan, start=1):
    while True:
        nama = f"{rng.choice(JENIS)} {rng.choice(NAMA)}"
        if nama not in names:
            names.add(nama)
            break
    w = rng.choice(wilayah)
    members = rng.randint(20, 650)
    others.append(
        {
            "id_koperasi": f"KOP-{i:04d}",
            "nama_koperasi": nama,
            "kkmp": "tidak",
            "kode_kelurahan": w["kode_kelurahan"],
            "status": status,
            "tanggal_badan_hukum": rand_date(dt.date(2004, 1, 1), dt.date(2022, 12, 31)).isoformat(),
            "tahap": "usaha_berjalan" if status == "aktif" else "",
            "usaha_berjalan": yn(status == "aktif"),
            "jumlah_anggota": members,
            "modal_sendiri": members * rng.choice([500_000, 750_000, 1_000_000, 1_500_000]),
            "modal_luar": rng.choice([0, 0, 50_000_000, 150_000_000, 300_000_000]),
            "mitra": "",
            "unit_usaha": rng.choice(["simpan_pinjam", "sembako", "simpan_pinjam; sembako", "logistik", ""]),
            "status_lahan": "",
            "status_fisik": "",
            "aset_daerah": "",
            "simpan_pinjam": "",
        }
    )

pembangunan = []
for n, name in enumerate(BUILDS, start=1):
    kid = "KKMP-" + by_name[name]["kode_kelurahan"].replace(".", "")
    pembangunan.append(
        {
            "id_pembangunan": f"PB-2025-{n:02d}",
            "id_koperasi": kid,
            "objek": "gerai_gudang",
            "tanggal_mulai": START.isoformat(),
            "target_selesai": TARGET.isoformat(),
            "pelaksana": "PT Agrinas Pangan Nusantara",
            "mitra": "TNI AD; Kementerian Koperasi",
            "anggaran": 1_658_000_000,
        }
    )


def plan(day: int, total: int) -> float:
    """A standard S curve (smoothstep) from 0 to 100 over `total` days."""
    x = min(max(day / total, 0.0), 1.0)
    return round(100 * (3 * x**2 - 2 * x**3), 1)


# Three stories: on plan, behind (terlambat), and kontrak kritis.
LAG = {
    "Graha Indah": lambda p, w: p + 0.6,
    "Sepinggan Baru": lambda p, w: p * 0.93,
    "Manggar": lambda p, w: p * (1 - 0.035 * w),
}
NOTES = {
    "Graha Indah": "Sesuai jadwal",
    "Sepinggan Baru": "Material datang terlambat",
    "Manggar": "Hujan dan akses lahan; perlu rapat percepatan",
}
progres = []
total_days = (TARGET - START).days
for b, name in zip(pembangunan, BUILDS, strict=True):
    for week in range(1, 9):
        day = START + dt.timedelta(days=7 * week)
        r = plan((day - START).days, total_days)
        real = max(0.0, min(100.0, round(LAG[name](r, week), 1)))
        progres.append(
            {
                "id_pembangunan": b["id_pembangunan"],
                "tanggal_laporan": day.isoformat(),
                "minggu_ke": week,
                "rencana_persen": r,
                "realisasi_persen": real,
                "catatan": NOTES[name] if week >= 4 else "",
            }
        )

rat = []
active_others = [k for k in others if k["status"] == "aktif"]
late = set(rng.sample([k["id_koperasi"] for k in active_others], 4))
for k in others:
    founded = dt.date.fromisoformat(k["tanggal_badan_hukum"])
    for year in (2022, 2023, 2024):
        if founded.year >= year:
            continue
        deadline = dt.date(year + 1, 3, 31)
        if k["status"] == "bubar" or (k["status"] == "tidak_aktif" and year >= 2023):
            continue
        if year == 2024:
            held = True
            when = (
                rand_date(dt.date(2025, 4, 8), dt.date(2025, 6, 27))
                if k["id_koperasi"] in late
                else rand_date(dt.date(2025, 1, 18), deadline)
            )
        else:
            held = rng.random() < (0.78 if year == 2022 else 0.86)
            when = rand_date(dt.date(year + 1, 1, 20), dt.date(year + 1, 6, 20)) if held else None
        rat.append(
            {
                "id_koperasi": k["id_koperasi"],
                "tahun_buku": year,
                "tanggal_rat": when.isoformat() if held and when else "",
                "jadwal_rat": "" if held else dt.date(year + 1, 9, 30).isoformat(),
                "lapor_ods": yn(held and rng.random() < 0.85),
            }
        )
for k in koperasi:
    scheduled = rng.random() < 0.6
    rat.append(
        {
            "id_koperasi": k["id_koperasi"],
            "tahun_buku": 2025,
            "tanggal_rat": "",
            "jadwal_rat": rand_date(dt.date(2026, 2, 14), dt.date(2026, 3, 28)).isoformat() if scheduled else "",
            "lapor_ods": "tidak",
        }
    )

COMMODITIES = [
    ("beras", "kg", "PT Bulog", 900),
    ("minyak_goreng", "liter", "PT Bulog", 240),
    ("gula", "kg", "PT Bulog", 180),
    ("lpg_5_5kg", "tabung", "PT Pertamina Patra Niaga", 45),
    ("lpg_12kg", "tabung", "PT Pertamina Patra Niaga", 25),
]
penyaluran = []
for k in koperasi:
    if k["usaha_berjalan"] != "ya":
        continue
    first_month = rng.choice([6, 6, 7, 8])
    for month in range(first_month, 10):
        growth = 1 + 0.15 * (month - first_month)
        for code, unit, partner, base in COMMODITIES:
            if partner not in k["mitra"]:
                continue
            qty = base * growth * rng.uniform(0.7, 1.3)
            penyaluran.append(
                {
                    "id_koperasi": k["id_koperasi"],
                    "bulan": dt.date(2025, month, 1).isoformat(),
                    "komoditas": code,
                    "jumlah": math.floor(qty),
                    "satuan": unit,
                    "mitra": partner,
                }
            )


def write(name: str, rows: list[dict]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with (OUT / f"{name}.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print(f"{name}: {len(rows)} rows")


write("koperasi", koperasi + others)
write("pembangunan", pembangunan)
write("progres", progres)
write("rat", rat)
write("penyaluran", penyaluran)
