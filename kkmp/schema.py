"""Dataset declarations: every column, type, allowed value and key, declared once.

Validation (`kkmp.validate`), the store's tables (`kkmp.store`), the data dictionary
(`docs/data-dictionary.md`), templates and the importer all read these declarations.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

ColumnType = Literal["str", "int", "float", "bool", "date", "list", "json"]

LIST_SEPARATOR = ";"

#: Institutional stages of one cooperative, in order (domain.md, "Institutional stages").
TAHAP = (
    "sosialisasi",
    "musyawarah_kelurahan",
    "rapat_pendirian",
    "akta_notaris",
    "badan_hukum",
    "nib_npwp_rekening",
    "nik_koperasi",
    "simkopdes",
    "usaha_berjalan",
    "lahan_terverifikasi",
    "pembangunan_fisik",
    "pinjaman_bank",
)

STATUS_KOPERASI = ("aktif", "tidak_aktif", "bubar")
STATUS_FISIK = ("usulan", "pembangunan", "selesai")
UNIT_USAHA = (
    "sembako",
    "apotek",
    "klinik",
    "kantor_koperasi",
    "simpan_pinjam",
    "pergudangan",
    "logistik",
    "lpg",
    "pupuk",
)
#: Land stages, the national KDKMP system's vocabulary, in order (#21). Whether the site is a regional
#: asset is a separate fact (`lahan_aset_daerah`); `kkmp.lahan` migrates the office's older codes.
STATUS_LAHAN = ("tidak_ada_lahan", "sedang_diverifikasi", "dipertimbangkan", "terverifikasi", "selesai")
#: Who surveyed a proposed site, as the national land-site export names them.
SURVEYOR = ("tni", "agrinas", "business_assistance", "koperasi")
ASET_DAERAH = ("sekretariat", "kantor_sementara", "gerai")
STATUS_SIMPAN_PINJAM = ("belum", "persiapan", "berjalan")
OBJEK_PEMBANGUNAN = ("gerai_gudang", "gerai", "gudang")
JENIS_WILAYAH = ("kelurahan", "desa")
KOMODITAS = (
    "beras",
    "minyak_goreng",
    "gula",
    "tepung_terigu",
    "telur",
    "lpg_3kg",
    "lpg_5_5kg",
    "lpg_12kg",
    "pupuk",
    "obat",
)
SATUAN = ("kg", "liter", "tabung", "paket", "unit")

KODE_WILAYAH_PATTERN = r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$"


@dataclass(frozen=True)
class Column:
    """One column of a dataset: its type, whether it may be empty, and what it may hold."""

    name: str
    type: ColumnType
    keterangan: str
    description: str
    required: bool = False
    allowed: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    pattern: str | None = None
    synonyms: tuple[str, ...] = ()
    unit: str = ""


@dataclass(frozen=True)
class Dataset:
    """A dataset: its columns, its key, and the column that dates its rows (if any)."""

    name: str
    keterangan: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    date_column: str | None = None
    references: dict[str, str] = field(default_factory=dict)
    synonyms: tuple[str, ...] = ()
    #: Columns a file may use to name the row's `found_by` id instead of writing it (read and
    #: checked, never stored): a progress row may name its build by kelurahan or cooperative.
    lookups: tuple[Column, ...] = ()
    found_by: str | None = None
    #: The columns (own or lookup) that can stand in for `found_by` when it is left empty.
    found_from: tuple[str, ...] = ()
    #: A national export: its rows are placed in the region by their kabupaten, kecamatan, kelurahan
    #: and cooperative names (`kkmp.nasional`), not by ids the office gave.
    nasional: bool = False

    @property
    def column_names(self) -> list[str]:
        """Names of the columns in declaration order."""
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        """The declared column called `name`."""
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.name} has no column {name!r}")

    def readable(self, name: str) -> Column:
        """The column or lookup column called `name` (what a file's header may point at)."""
        for c in self.lookups:
            if c.name == name:
                return c
        return self.column(name)

    @property
    def required_columns(self) -> list[str]:
        """Columns that must be present and non-empty."""
        return [c.name for c in self.columns if c.required]


def _c(name: str, type_: ColumnType, keterangan: str, description: str, **kw) -> Column:
    return Column(name, type_, keterangan, description, **kw)


WILAYAH = Dataset(
    name="wilayah",
    synonyms=("daftar wilayah", "kelurahan", "wilayah kelurahan", "regions"),
    keterangan="Daftar wilayah: satu baris per kelurahan/desa dengan hierarki lengkapnya.",
    description="Region list: one row per kelurahan/desa with its full hierarchy.",
    key=("kode_kelurahan",),
    columns=(
        _c(
            "kode_kelurahan",
            "str",
            "Kode Kemendagri kelurahan/desa (contoh 64.71.01.1001).",
            "Kemendagri code of the kelurahan/desa (e.g. 64.71.01.1001).",
            required=True,
            pattern=KODE_WILAYAH_PATTERN,
            synonyms=("kode", "kode wilayah", "kode kemendagri", "kode desa"),
        ),
        _c("provinsi", "str", "Nama provinsi.", "Province name.", required=True),
        _c(
            "kabupaten_kota",
            "str",
            "Nama kabupaten/kota.",
            "Regency or city name.",
            required=True,
            synonyms=("kabupaten", "kota", "kab/kota"),
        ),
        _c("kecamatan", "str", "Nama kecamatan.", "District (kecamatan) name.", required=True),
        _c(
            "kelurahan",
            "str",
            "Nama kelurahan/desa.",
            "Kelurahan/desa name.",
            required=True,
            synonyms=("nama kelurahan", "desa", "kel.", "kel"),
        ),
        _c(
            "jenis",
            "str",
            "Jenis wilayah: kelurahan atau desa.",
            "Kind of area: kelurahan (urban) or desa (rural).",
            allowed=JENIS_WILAYAH,
        ),
        _c(
            "lat",
            "float",
            "Lintang titik wakil di dalam wilayah (derajat).",
            "Latitude of a representative point inside the area (degrees).",
            required=True,
            minimum=-90,
            maximum=90,
            synonyms=("lintang", "latitude"),
        ),
        _c(
            "lon",
            "float",
            "Bujur titik wakil di dalam wilayah (derajat).",
            "Longitude of a representative point inside the area (degrees).",
            required=True,
            minimum=-180,
            maximum=180,
            synonyms=("bujur", "longitude", "lng"),
        ),
        _c(
            "luas_km2",
            "float",
            "Luas wilayah dalam km².",
            "Area in km².",
            minimum=0,
            unit="km²",
            synonyms=("luas",),
        ),
        _c(
            "jumlah_kk",
            "int",
            "Jumlah kepala keluarga (KK) di wilayah.",
            "Number of households (KK) in the area.",
            minimum=0,
            synonyms=("kk", "jumlah kepala keluarga"),
        ),
    ),
)

KOPERASI = Dataset(
    name="koperasi",
    synonyms=("data koperasi", "daftar koperasi", "kkmp", "koperasi kelurahan", "cooperatives"),
    keterangan="Koperasi: satu baris per koperasi (KKMP maupun koperasi lain).",
    description="Cooperatives: one row per cooperative (KKMP or other).",
    key=("id_koperasi",),
    references={"kode_kelurahan": "wilayah"},
    found_by="id_koperasi",
    found_from=("nama_koperasi",),
    columns=(
        _c(
            "id_koperasi",
            "str",
            "Kode unik koperasi (NIK koperasi atau kode dinas).",
            "Unique cooperative id (NIK koperasi or the office's own code).",
            required=True,
            synonyms=("id", "kode koperasi", "nik koperasi"),
        ),
        _c(
            "nama_koperasi",
            "str",
            "Nama koperasi.",
            "Cooperative name.",
            required=True,
            synonyms=("nama", "koperasi"),
        ),
        _c(
            "kkmp",
            "bool",
            "Ya bila Koperasi Kelurahan/Desa Merah Putih.",
            "Yes when it is a Koperasi Kelurahan/Desa Merah Putih.",
            required=True,
            synonyms=("kdkmp", "merah putih"),
        ),
        _c(
            "kode_kelurahan",
            "str",
            "Kode Kemendagri kelurahan/desa tempat koperasi.",
            "Kemendagri code of the cooperative's kelurahan/desa.",
            required=True,
            pattern=KODE_WILAYAH_PATTERN,
            synonyms=("kelurahan", "nama kelurahan", "kel.", "kel", "desa"),
        ),
        _c(
            "status",
            "str",
            "Status kelembagaan: aktif, tidak_aktif, bubar.",
            "Standing: aktif (active), tidak_aktif (inactive), bubar (dissolved).",
            required=True,
            allowed=STATUS_KOPERASI,
            synonyms=("status koperasi",),
        ),
        _c(
            "tanggal_badan_hukum",
            "date",
            "Tanggal SK badan hukum (SK AHU); dipakai sebagai tanggal berdiri.",
            "Date of legal entity (SK AHU); used as the founding date.",
            synonyms=("tgl badan hukum", "tanggal sk ahu", "tgl sk", "tanggal berdiri"),
        ),
        _c(
            "tahap",
            "str",
            "Tahap kelembagaan terakhir yang dicapai.",
            "Latest institutional stage reached.",
            allowed=TAHAP,
            synonyms=("tahapan",),
        ),
        _c(
            "usaha_berjalan",
            "bool",
            "Ya bila koperasi sudah menjalankan usaha.",
            "Yes when the cooperative already trades.",
            synonyms=("operasional", "beroperasi"),
        ),
        _c(
            "jumlah_anggota",
            "int",
            "Jumlah anggota.",
            "Number of members.",
            minimum=0,
            synonyms=("anggota",),
        ),
        _c(
            "modal_sendiri",
            "float",
            "Modal sendiri (Rp).",
            "Own capital (Rp).",
            minimum=0,
            unit="Rp",
        ),
        _c(
            "modal_luar",
            "float",
            "Modal luar/pinjaman (Rp).",
            "Borrowed capital (Rp).",
            minimum=0,
            unit="Rp",
        ),
        _c(
            "mitra",
            "list",
            "Mitra usaha, dipisah titik koma (contoh: PT Bulog; PT Pertamina Patra Niaga).",
            "Business partners, separated by semicolons.",
            synonyms=("mitra usaha", "partner"),
        ),
        _c(
            "unit_usaha",
            "list",
            "Unit usaha (gerai) yang berjalan, dipisah titik koma.",
            "Business units (gerai) running, separated by semicolons.",
            allowed=UNIT_USAHA,
            synonyms=("gerai", "unit"),
        ),
        _c(
            "status_lahan",
            "str",
            "Tahap lahan gerai dan gudang (kosakata nasional): Tidak Ada Lahan, Sedang Diverifikasi, "
            "Dipertimbangkan, Terverifikasi, Selesai.",
            "Land stage for the outlet and warehouse (the national vocabulary): no land, being verified, "
            "under consideration, verified, finished.",
            allowed=STATUS_LAHAN,
            synonyms=("lahan", "tahap lahan"),
        ),
        _c(
            "lahan_aset_daerah",
            "bool",
            "Ya bila lahannya aset daerah (pada tahap apa pun).",
            "Yes when the site is a regional asset (at any stage).",
            synonyms=("lahan aset daerah",),
        ),
        _c(
            "surveyor",
            "str",
            "Penyurvei lahan: TNI, Agrinas, Business Assistance, Koperasi.",
            "Who surveyed the site: TNI, Agrinas, Business Assistance, the cooperative.",
            allowed=SURVEYOR,
            synonyms=("penyurvei",),
        ),
        _c(
            "lahan_lat",
            "float",
            "Lintang titik lahan (bukan pusat kelurahan).",
            "Latitude of the site (not the kelurahan's centre).",
            minimum=-90,
            maximum=90,
            synonyms=("lintang lahan",),
        ),
        _c(
            "lahan_lon",
            "float",
            "Bujur titik lahan.",
            "Longitude of the site.",
            minimum=-180,
            maximum=180,
            synonyms=("bujur lahan",),
        ),
        _c(
            "status_fisik",
            "str",
            "Status pembangunan fisik gerai + gudang: usulan, pembangunan, selesai.",
            "Physical build of outlet + warehouse: usulan (proposed), pembangunan, selesai.",
            allowed=STATUS_FISIK,
            synonyms=("status pembangunan", "fisik"),
        ),
        _c(
            "aset_daerah",
            "str",
            "Aset daerah yang dipakai: sekretariat, kantor_sementara, gerai.",
            "Regional asset in use: secretariat, temporary office or outlet.",
            allowed=ASET_DAERAH,
        ),
        _c(
            "simpan_pinjam",
            "str",
            "Unit simpan pinjam: belum, persiapan, berjalan (kosong: dari daftar unit usaha).",
            "Savings-and-loans unit: belum (not yet), persiapan (preparing), berjalan (running); "
            "empty: read from the business units.",
            allowed=STATUS_SIMPAN_PINJAM,
            synonyms=("usp", "unit simpan pinjam", "status simpan pinjam"),
        ),
    ),
)

PEMBANGUNAN = Dataset(
    name="pembangunan",
    synonyms=("pembangunan fisik", "data pembangunan", "gerai gudang", "builds"),
    keterangan="Pembangunan fisik: satu baris per pekerjaan gerai/gudang.",
    description="Builds: one row per outlet/warehouse build.",
    key=("id_pembangunan",),
    references={"id_koperasi": "koperasi"},
    columns=(
        _c(
            "id_pembangunan",
            "str",
            "Kode unik pekerjaan.",
            "Unique build id.",
            required=True,
            synonyms=("id", "kode pembangunan"),
        ),
        _c(
            "id_koperasi",
            "str",
            "Koperasi pemilik bangunan.",
            "Cooperative the build is for.",
            required=True,
            synonyms=("kode koperasi",),
        ),
        _c(
            "objek",
            "str",
            "Objek yang dibangun: gerai_gudang, gerai, gudang.",
            "What is built: outlet + warehouse, outlet, or warehouse.",
            required=True,
            allowed=OBJEK_PEMBANGUNAN,
        ),
        _c(
            "tanggal_mulai",
            "date",
            "Tanggal mulai (peletakan batu pertama).",
            "Start date (groundbreaking).",
            required=True,
            synonyms=("mulai", "tgl mulai"),
        ),
        _c(
            "target_selesai",
            "date",
            "Tanggal target selesai.",
            "Target finish date.",
            required=True,
            synonyms=("target", "tgl target", "tanggal target"),
        ),
        _c(
            "pelaksana",
            "str",
            "Pelaksana pekerjaan (contoh: PT Agrinas Pangan Nusantara / TNI).",
            "Builder (e.g. PT Agrinas Pangan Nusantara / TNI).",
            synonyms=("kontraktor",),
        ),
        _c(
            "mitra",
            "list",
            "Mitra pembangunan, dipisah titik koma.",
            "Build partners, separated by semicolons.",
        ),
        _c(
            "anggaran",
            "float",
            "Anggaran (Rp).",
            "Budget (Rp).",
            minimum=0,
            unit="Rp",
            synonyms=("nilai", "biaya"),
        ),
    ),
)


def _lookup_kode() -> Column:
    return _c(
        "kode_kelurahan",
        "str",
        "Kode kelurahan tempat koperasi (dipakai untuk mencari barisnya; tidak disimpan).",
        "Kelurahan code of the cooperative (used to find the row; not stored).",
        synonyms=("kode kelurahan", "kode wilayah", "kode kemendagri", "kode desa", "kode kel"),
    )


def _lookup_kelurahan() -> Column:
    return _c(
        "kelurahan",
        "str",
        "Nama kelurahan tempat koperasi (dipakai untuk mencari barisnya; tidak disimpan).",
        "Kelurahan name of the cooperative (used to find the row; not stored).",
        synonyms=("nama kelurahan", "kel.", "kel", "desa", "nama desa", "lokasi"),
    )


def _lookup_koperasi() -> Column:
    return _c(
        "nama_koperasi",
        "str",
        "Nama koperasi (dipakai untuk mencari barisnya; tidak disimpan).",
        "Cooperative name (used to find the row; not stored).",
        synonyms=("nama koperasi", "koperasi", "nama kkmp", "kkmp", "kdkmp"),
    )


PROGRES = Dataset(
    name="progres",
    synonyms=("progres mingguan", "progres fisik", "laporan mingguan", "kurva s", "progress"),
    keterangan="Laporan mingguan progres fisik (kumulatif) per pekerjaan.",
    description="Weekly physical progress reports (cumulative) per build.",
    key=("id_pembangunan", "tanggal_laporan"),
    date_column="tanggal_laporan",
    references={"id_pembangunan": "pembangunan"},
    lookups=(_lookup_kode(), _lookup_kelurahan(), _lookup_koperasi()),
    found_by="id_pembangunan",
    found_from=("kode_kelurahan", "kelurahan", "nama_koperasi"),
    columns=(
        _c(
            "id_pembangunan",
            "str",
            "Pekerjaan yang dilaporkan.",
            "Build being reported.",
            required=True,
            synonyms=("kode pembangunan",),
        ),
        _c(
            "tanggal_laporan",
            "date",
            "Tanggal laporan.",
            "Report date.",
            required=True,
            synonyms=("tanggal", "tgl laporan"),
        ),
        _c(
            "minggu_ke",
            "int",
            "Minggu ke- sejak mulai.",
            "Week number since the start.",
            minimum=0,
            synonyms=("minggu",),
        ),
        _c(
            "rencana_persen",
            "float",
            "Rencana progres kumulatif (%).",
            "Planned cumulative progress (%).",
            minimum=0,
            maximum=100,
            unit="%",
            synonyms=("rencana", "rencana %"),
        ),
        _c(
            "realisasi_persen",
            "float",
            "Realisasi progres kumulatif (%).",
            "Actual cumulative progress (%).",
            required=True,
            minimum=0,
            maximum=100,
            unit="%",
            synonyms=("realisasi", "realisasi %", "progres"),
        ),
        _c("catatan", "str", "Catatan lapangan.", "Field note.", synonyms=("keterangan",)),
    ),
)

RAT = Dataset(
    name="rat",
    synonyms=("rapat anggota tahunan", "data rat", "jadwal rat"),
    keterangan="Rapat Anggota Tahunan: satu baris per koperasi dan tahun buku.",
    description="Annual members' meeting: one row per cooperative and financial year.",
    key=("id_koperasi", "tahun_buku"),
    date_column="tanggal_rat",
    references={"id_koperasi": "koperasi"},
    lookups=(_lookup_kode(), _lookup_kelurahan(), _lookup_koperasi()),
    found_by="id_koperasi",
    found_from=("nama_koperasi",),
    columns=(
        _c(
            "id_koperasi",
            "str",
            "Koperasi.",
            "Cooperative.",
            required=True,
            synonyms=("kode koperasi",),
        ),
        _c(
            "tahun_buku",
            "int",
            "Tahun buku yang dipertanggungjawabkan.",
            "Financial year being accounted for.",
            required=True,
            minimum=1900,
            maximum=2200,
            synonyms=("tahun", "tb"),
        ),
        _c(
            "tanggal_rat",
            "date",
            "Tanggal RAT dilaksanakan; kosong bila belum.",
            "Date the RAT was held; empty when not yet.",
            synonyms=("tgl rat", "tanggal pelaksanaan"),
        ),
        _c(
            "jadwal_rat",
            "date",
            "Tanggal RAT yang dijadwalkan.",
            "Scheduled RAT date.",
            synonyms=("jadwal", "rencana rat"),
        ),
        _c(
            "lapor_ods",
            "bool",
            "Ya bila hasil RAT sudah dilaporkan ke ODS kementerian.",
            "Yes when the RAT was reported to the ministry's ODS.",
            synonyms=("ods", "dilaporkan"),
        ),
    ),
)

PENYALURAN = Dataset(
    name="penyaluran",
    synonyms=("penyaluran komoditas", "distribusi", "penyaluran bulanan", "distribution"),
    keterangan="Penyaluran bulanan komoditas per koperasi.",
    description="Monthly distribution of commodities per cooperative.",
    key=("id_koperasi", "bulan", "komoditas"),
    date_column="bulan",
    references={"id_koperasi": "koperasi"},
    lookups=(_lookup_kode(), _lookup_kelurahan(), _lookup_koperasi()),
    found_by="id_koperasi",
    found_from=("nama_koperasi",),
    columns=(
        _c(
            "id_koperasi",
            "str",
            "Koperasi penyalur.",
            "Distributing cooperative.",
            required=True,
            synonyms=("kode koperasi",),
        ),
        _c(
            "bulan",
            "date",
            "Bulan penyaluran (tanggal 1 bulan itu).",
            "Month of distribution (its first day).",
            required=True,
            synonyms=("periode",),
        ),
        _c(
            "komoditas",
            "str",
            "Komoditas yang disalurkan.",
            "Commodity distributed.",
            required=True,
            allowed=KOMODITAS,
            synonyms=("barang", "produk"),
        ),
        _c(
            "jumlah",
            "float",
            "Jumlah yang disalurkan.",
            "Quantity distributed.",
            required=True,
            minimum=0,
            synonyms=("volume", "kuantitas"),
        ),
        _c(
            "satuan",
            "str",
            "Satuan jumlah.",
            "Unit of the quantity.",
            required=True,
            allowed=SATUAN,
        ),
        _c("mitra", "str", "Mitra pemasok (contoh: PT Bulog).", "Supplying partner.", synonyms=("pemasok",)),
    ),
)

BATAS_WILAYAH = Dataset(
    name="batas_wilayah",
    keterangan="Batas wilayah: satu poligon (GeoJSON) per kelurahan/desa, untuk peta.",
    description="Boundaries: one polygon (GeoJSON geometry) per kelurahan/desa, for the map.",
    key=("kode_kelurahan",),
    references={"kode_kelurahan": "wilayah"},
    columns=(
        _c(
            "kode_kelurahan",
            "str",
            "Kode Kemendagri kelurahan/desa yang dibatasi.",
            "Kemendagri code of the bounded kelurahan/desa.",
            required=True,
            pattern=KODE_WILAYAH_PATTERN,
            synonyms=("kode", "kode wilayah", "kdepum"),
        ),
        _c(
            "nama_berkas",
            "str",
            "Nama wilayah sebagaimana tertulis di berkas batas (untuk pemeriksaan).",
            "The area's name as written in the boundary file (for checking).",
            synonyms=("nama", "kelurahan"),
        ),
        _c(
            "geometri",
            "json",
            "Geometri GeoJSON (Polygon atau MultiPolygon, WGS 84 / EPSG:4326).",
            "GeoJSON geometry (Polygon or MultiPolygon, WGS 84 / EPSG:4326).",
            required=True,
            synonyms=("geometry", "geom"),
        ),
    ),
)


def _lookup_region(name: str, keterangan: str, description: str, *synonyms: str) -> Column:
    return _c(name, "str", keterangan, description, synonyms=synonyms)


def _region_lookups() -> tuple[Column, ...]:
    return (
        _lookup_region("provinsi", "Provinsi (tidak disimpan).", "Province (not stored).", "province"),
        _lookup_region(
            "kabupaten_kota",
            "Kabupaten/kota, dipakai mencari kelurahan.",
            "Regency/city, finds the kelurahan.",
            "district",
        ),
        _lookup_region(
            "kecamatan", "Kecamatan, dipakai mencari kelurahan.", "Kecamatan, finds the kelurahan.", "subdistrict"
        ),
        _lookup_region(
            "nama_kelurahan",
            "Nama kelurahan/desa seperti ditulis sistem nasional, dipakai mencari kelurahan.",
            "Kelurahan/desa name as the national system writes it, finds the kelurahan.",
            "village",
        ),
        _lookup_region("id_provinsi_nasional", "Id provinsi sistem nasional.", "National province id.", "province_id"),
        _lookup_region(
            "id_kabupaten_nasional", "Id kabupaten sistem nasional.", "National district id.", "district_id"
        ),
        _lookup_region(
            "id_kecamatan_nasional", "Id kecamatan sistem nasional.", "National subdistrict id.", "subdistrict_id"
        ),
    )


def _kode_nasional() -> Column:
    return _c(
        "kode_kelurahan",
        "str",
        "Kode Kemendagri kelurahan; dicari dari kabupaten, kecamatan, nama kelurahan dan nama koperasi.",
        "Kemendagri code of the kelurahan; found from the district, kecamatan, kelurahan and cooperative names.",
        required=True,
        pattern=KODE_WILAYAH_PATTERN,
    )


LAHAN_NASIONAL = Dataset(
    name="lahan_nasional",
    synonyms=("lahan nasional", "ekspor lahan", "land sites"),
    keterangan="Ekspor lahan sistem nasional KDKMP: satu baris per usulan lokasi lahan koperasi.",
    description="National KDKMP land-site export: one row per cooperative's proposed site.",
    key=("asset_id",),
    references={"kode_kelurahan": "wilayah"},
    lookups=_region_lookups(),
    nasional=True,
    columns=(
        _c(
            "asset_id",
            "str",
            "Id lokasi lahan di sistem nasional.",
            "Site id in the national system.",
            required=True,
            synonyms=("id aset", "id lahan"),
        ),
        _kode_nasional(),
        _c(
            "nama_koperasi",
            "str",
            "Nama lengkap koperasi seperti ditulis sistem nasional.",
            "Full cooperative name as the national system writes it.",
            synonyms=("cooperative",),
        ),
        _c(
            "status_lahan",
            "str",
            "Tahap lahan nasional: Tidak Ada Lahan, Sedang Diverifikasi, Dipertimbangkan, Terverifikasi, Selesai.",
            "National land stage: no land, being verified, under consideration, verified, finished.",
            required=True,
            allowed=STATUS_LAHAN,
            synonyms=("status",),
        ),
        _c(
            "surveyor",
            "str",
            "Penyurvei lahan: TNI, Agrinas, Business Assistance, Koperasi (kosong: belum disurvei).",
            "Who surveyed the site: TNI, Agrinas, Business Assistance, the cooperative (empty: not yet).",
            allowed=SURVEYOR,
            synonyms=("penyurvei",),
        ),
        _c(
            "lat",
            "float",
            "Lintang titik lahan.",
            "Latitude of the site.",
            minimum=-90,
            maximum=90,
            synonyms=("latitude", "lintang"),
        ),
        _c(
            "lon",
            "float",
            "Bujur titik lahan.",
            "Longitude of the site.",
            minimum=-180,
            maximum=180,
            synonyms=("longitude", "bujur"),
        ),
    ),
)


def _jumlah(name: str, keterangan: str, description: str, header: str, unit: str = "") -> Column:
    return _c(
        name,
        "float" if unit == "Rp" else "int",
        keterangan,
        description,
        minimum=0,
        unit=unit,
        synonyms=(header,),
    )


STATISTIK_NASIONAL = Dataset(
    name="statistik_nasional",
    synonyms=("statistik nasional", "statistik desa", "village statistics"),
    keterangan="Statistik desa/kelurahan sistem nasional KDKMP: satu baris per kelurahan.",
    description="National KDKMP village statistics: one row per kelurahan/desa.",
    key=("kode_kelurahan",),
    references={"kode_kelurahan": "wilayah"},
    lookups=_region_lookups(),
    found_by="kode_kelurahan",
    found_from=("nama_kelurahan",),
    nasional=True,
    columns=(
        _kode_nasional(),
        _c(
            "id_desa_nasional",
            "str",
            "Id desa/kelurahan di sistem nasional.",
            "National village id.",
            synonyms=("village_id",),
        ),
        _jumlah("jumlah_koperasi", "Jumlah koperasi.", "Cooperatives.", "cooperatives"),
        _jumlah(
            "jumlah_rekening", "Koperasi dengan rekening bank.", "Cooperatives with a bank account.", "accounts_count"
        ),
        _jumlah("jumlah_npwp", "Koperasi dengan NPWP.", "Cooperatives with a tax id (NPWP).", "npwp_count"),
        _jumlah("jumlah_nib", "Koperasi dengan NIB.", "Cooperatives with a business id (NIB).", "nib_count"),
        _jumlah("jumlah_rat", "RAT yang sudah dilaksanakan (rat_count).", "RATs held (rat_count).", "rat_count"),
        _jumlah("volume_transaksi", "Jumlah transaksi usaha.", "Number of trading transactions.", "transaction_volume"),
        _jumlah(
            "nilai_transaksi",
            "Nilai transaksi usaha (Rp).",
            "Value of trading transactions (Rp).",
            "transaction_value",
            "Rp",
        ),
        _jumlah("simpanan_pokok", "Simpanan pokok (Rp).", "Principal savings (Rp).", "simpanan_pokok_amount", "Rp"),
        _jumlah(
            "anggota_simpanan_pokok",
            "Anggota yang membayar simpanan pokok.",
            "Members paying principal savings.",
            "simpanan_pokok_members",
        ),
        _jumlah(
            "transaksi_simpanan_pokok",
            "Transaksi simpanan pokok.",
            "Principal-savings transactions.",
            "simpanan_pokok_tx",
        ),
        _jumlah("simpanan_wajib", "Simpanan wajib (Rp).", "Mandatory savings (Rp).", "simpanan_wajib_amount", "Rp"),
        _jumlah(
            "anggota_simpanan_wajib",
            "Anggota yang membayar simpanan wajib.",
            "Members paying mandatory savings.",
            "simpanan_wajib_members",
        ),
        _jumlah(
            "transaksi_simpanan_wajib",
            "Transaksi simpanan wajib.",
            "Mandatory-savings transactions.",
            "simpanan_wajib_tx",
        ),
        _jumlah("total_simpanan", "Total simpanan (Rp).", "Total savings (Rp).", "savings_total_amount", "Rp"),
    ),
)

DATASETS: dict[str, Dataset] = {
    d.name: d
    for d in (
        WILAYAH,
        KOPERASI,
        PEMBANGUNAN,
        PROGRES,
        RAT,
        PENYALURAN,
        BATAS_WILAYAH,
        LAHAN_NASIONAL,
        STATISTIK_NASIONAL,
    )
}


def get_dataset(name: str) -> Dataset:
    """The declaration of dataset `name`; raises `UnknownDatasetError` when there is none."""
    try:
        return DATASETS[name]
    except KeyError:
        raise UnknownDatasetError(name) from None


class UnknownDatasetError(KeyError):
    """Raised when a dataset name is not declared."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name

    def __str__(self) -> str:
        known = ", ".join(DATASETS)
        return f"dataset {self.name!r} tidak dikenal / unknown; pilih salah satu: {known}"


def split_list(value: object) -> list[str]:
    """Items of a list cell ("a; b") as a list of stripped, non-empty strings."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return []
    text = str(value)
    return [p.strip() for p in text.split(LIST_SEPARATOR) if p.strip()]


def join_list(items: list[str]) -> str:
    """A list cell from its items."""
    return f"{LIST_SEPARATOR} ".join(items)
