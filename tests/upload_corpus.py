"""Builders of realistic messy upload files, shared by the upload, CLI and AppTest tests."""

from __future__ import annotations

import io

from openpyxl import Workbook


def xlsx(sheets: dict[str, list[list[object]]], formats: dict[tuple[str, int, int], str] | None = None) -> bytes:
    """A workbook with the given sheets (rows of cell values, row 1 first); optional number formats."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    ws.cell(row=r, column=c, value=value)
    for (sheet, r, c), fmt in (formats or {}).items():
        wb[sheet].cell(row=r, column=c).number_format = fmt
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[list[object]], delimiter: str = ",", encoding: str = "utf-8") -> bytes:
    """CSV text (no quoting needed for these rows) in the given encoding; "utf-8-sig" adds a BOM."""
    text = "\r\n".join(delimiter.join("" if v is None else str(v) for v in row) for row in rows) + "\r\n"
    return text.encode(encoding)


#: Koperasi sheet as a dinas spreadsheet has it: title rows, a "No" column, typed names, Rp and dots.
KOPERASI_TITLE_ROWS = [
    ["REKAP KOPERASI KELURAHAN MERAH PUTIH"],
    ["Dinas Koperasi, UMKM dan Perindustrian Kota Balikpapan — posisi Oktober 2025"],
    [],
    ["No", "ID Koperasi", "Nama Koperasi", "KDKMP", "Nama Kelurahan", "Status", "Jumlah Anggota", "Modal Sendiri (Rp)"],
    [1, "KKMP-6471011001", "Koperasi Kelurahan Merah Putih Manggar", "Ya", "Kel. Manggar", "Aktif", 25, "Rp 3.500.000"],
    [
        2,
        "KKMP-6471051010",
        "Koperasi Kelurahan Merah Putih Sungai Nangka",
        "ya",
        "Sungainangka",
        "aktif",
        "1.250",
        "2.700.000",
    ],
    [None, "JUMLAH", None, None, None, None, 1275, None],
]


def koperasi_title_rows() -> bytes:
    """The koperasi recap with title rows, as XLSX."""
    return xlsx({"Data Koperasi": KOPERASI_TITLE_ROWS})


def koperasi_bad_kelurahan() -> bytes:
    """A koperasi CSV whose third data row names a kelurahan that does not exist."""
    return csv_bytes(
        [
            ["id_koperasi", "nama_koperasi", "kkmp", "kelurahan", "status"],
            ["KKMP-6471011001", "Koperasi Kelurahan Merah Putih Manggar", "ya", "Manggar", "aktif"],
            ["KKMP-6471011002", "Koperasi Kelurahan Merah Putih Lamaru", "ya", "Lamaru", "aktif"],
            ["KKMP-6471051010", "Koperasi Kelurahan Merah Putih Sungai Nangka", "ya", "Sungai Nangkaa", "aktif"],
        ]
    )


def progres_semicolon_cp1252() -> bytes:
    """A weekly progress CSV from Excel in Indonesian Windows: semicolons, decimal commas, cp1252."""
    return csv_bytes(
        [
            ["Laporan Progres Fisik Gerai/Gudang KKMP"],
            ["Kode Pembangunan", "Tgl Laporan", "Minggu", "Rencana (%)", "Realisasi (%)", "Keterangan"],
            ["PB-2025-01", "19/12/2025", "10", "75,5", "74,0", "Pekerjaan atap – cuaca baik, café buka"],
            ["PB-2025-02", "19/12/2025", "10", "75,5", "71,25", ""],
        ],
        delimiter=";",
        encoding="cp1252",
    )


#: A weekly progress report as a staffer keeps it: a merged title row, builds named only by
#: kelurahan, Indonesian dates and percents typed as text ("19 Des 2025", "76,5%").
WEEKLY_BY_KELURAHAN = [
    ["LAPORAN MINGGUAN PROGRES FISIK GERAI & GUDANG KKMP KOTA BALIKPAPAN"],
    ["Minggu ke-10"],
    [],
    ["No", "Kelurahan", "Tanggal Laporan", "Minggu ke", "Rencana (%)", "Realisasi (%)", "Keterangan"],
    [1, "Graha Indah", "19 Des 2025", 10, "76,5%", "76,5%", "Pemasangan atap"],
    [2, "Sepinggan Baru", "19 Des 2025", 10, "76,5%", "70,2%", "Material datang terlambat"],
    [3, "Kel. Manggar", "19 Des 2025", 10, "76,5%", "52,0%", "Hujan; akses lahan"],
]


def weekly_by_kelurahan(rows: list[list[object]] | None = None, sheet: str = "Minggu 10") -> bytes:
    """The weekly report (or `rows` under the same title and header) with its title row merged over A1:G1."""
    import openpyxl

    data = xlsx({sheet: WEEKLY_BY_KELURAHAN[:4] + (rows if rows is not None else WEEKLY_BY_KELURAHAN[4:])})
    wb = openpyxl.load_workbook(io.BytesIO(data))
    wb[sheet].merge_cells("A1:G1")
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
