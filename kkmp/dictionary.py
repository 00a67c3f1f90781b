"""The data dictionary (docs/data-dictionary.md), written from the dataset declarations."""

from __future__ import annotations

from kkmp.schema import DATASETS, Dataset

TYPE_NAMES = {
    "str": "teks",
    "list": "daftar (pisah ;)",
    "json": "GeoJSON (teks)",
    "int": "bilangan bulat",
    "float": "angka",
    "bool": "ya/tidak",
    "date": "tanggal",
}


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def render_dataset(dataset: Dataset) -> str:
    """One dataset's section: what a row is, its key, and a table of its columns."""
    lines = [
        f"## `{dataset.name}`",
        "",
        f"{dataset.keterangan} *{dataset.description}*",
        "",
        f"Kunci / key: {', '.join(f'`{k}`' for k in dataset.key)}",
        "",
        "| kolom | tipe | wajib | nilai yang boleh | keterangan | description |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for c in dataset.columns:
        rules = []
        if c.allowed:
            rules.append(", ".join(f"`{v}`" for v in c.allowed))
        if c.minimum is not None or c.maximum is not None:
            lo = "" if c.minimum is None else f"{c.minimum:g}"
            hi = "" if c.maximum is None else f"{c.maximum:g}"
            rules.append(f"{lo} … {hi}".strip())
        if c.pattern:
            rules.append("kode `NN.NN.NN.NNNN`")
        if c.name in dataset.references:
            rules.append(f"harus ada di `{dataset.references[c.name]}`")
        lines.append(
            f"| `{c.name}` | {TYPE_NAMES[c.type]} | {'ya' if c.required else ''} | {_cell('; '.join(rules))} "
            f"| {_cell(c.keterangan)} | {_cell(c.description)} |"
        )
    return "\n".join(lines)


def render_data_dictionary() -> str:
    """The whole data dictionary as Markdown."""
    head = [
        "# Kamus data / Data dictionary",
        "",
        "Dibuat dari deklarasi di `kkmp/schema.py` dengan `python -m kkmp dictionary`; jangan disunting",
        "dengan tangan (sebuah tes memeriksa bahwa berkas ini sama dengan deklarasinya).",
        "*Generated from the declarations in `kkmp/schema.py`; a test keeps it in step.*",
        "",
        "Tanggal ditulis `YYYY-MM-DD` (unggahan juga menerima bentuk Indonesia), ya/tidak sebagai",
        "`ya`/`tidak`, daftar dipisah titik koma.",
    ]
    return "\n\n".join(["\n".join(head)] + [render_dataset(d) for d in DATASETS.values()]) + "\n"
