"""Creating a store: the region file, and optionally the sample datasets from `data/sample/` and the
kelurahan boundaries shipped in `data/batas-balikpapan.geojson` (see its SOURCE.md)."""

from __future__ import annotations

import contextlib
import tomllib
from pathlib import Path

import pandas as pd

from kkmp.arrow_copy import write_arrow_copy
from kkmp.batas import load_boundary_file
from kkmp.diff import DatasetDiff
from kkmp.frames import empty_frame, read_dataset_csv
from kkmp.lahan import OLD_CODES, rows_to_migrate
from kkmp.schema import DATASETS, get_dataset
from kkmp.settings import Settings
from kkmp.snapshot_delta import apply_versions
from kkmp.store import CommitInfo, Store
from kkmp.validate import ValidationFailed, validate_snapshot

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
DEFAULT_WILAYAH = DATA_DIR / "wilayah-balikpapan.csv"
SAMPLE_DIR = DATA_DIR / "sample"
DEFAULT_BATAS = DATA_DIR / "batas-balikpapan.geojson"


class StoreNotEmptyError(RuntimeError):
    """Raised by `init_store` when the store already holds revisions and `force` is not set."""


def load_sample_frames(
    sample_dir: Path = SAMPLE_DIR, wilayah_file: Path = DEFAULT_WILAYAH, batas_file: Path | None = None
) -> dict[str, pd.DataFrame]:
    """The region file, every sample dataset present in `sample_dir` and the boundaries of `batas_file`
    that match the region, in canonical dtypes (`batas_file` None: the shipped boundaries for the
    shipped region file, none for another region)."""
    if batas_file is None and wilayah_file == DEFAULT_WILAYAH:
        batas_file = DEFAULT_BATAS
    frames = {"wilayah": read_dataset_csv(get_dataset("wilayah"), wilayah_file)}
    for name in DATASETS:
        path = sample_dir / f"{name}.csv"
        if name not in ("wilayah", "batas_wilayah") and path.exists():
            frames[name] = read_dataset_csv(get_dataset(name), path)
    if batas_file is not None and batas_file.exists():
        match = load_boundary_file(batas_file, frames["wilayah"])
        if match.ok:
            frames["batas_wilayah"] = match.frame
    return frames


def _sources(sample_dir: Path) -> dict[str, dict]:
    path = sample_dir / "sumber.toml"
    if not path.exists():
        return {}
    with path.open("rb") as f:
        return tomllib.load(f)


def init_store(
    store: Store,
    *,
    sample: bool = True,
    force: bool = False,
    wilayah_file: Path = DEFAULT_WILAYAH,
    sample_dir: Path = SAMPLE_DIR,
    batas_file: Path | None = None,
    pengguna: str = "sistem",
) -> int:
    """Create the store's tables, write the region file (revision 1) and the sample (revision 2).

    With `sample`, revision 2 also holds the kelurahan boundaries that match the region (see
    `load_sample_frames` for `batas_file`).

    Returns the latest revision. Raises `StoreNotEmptyError` when the store has data and
    `force` is false; with `force` the old tables are dropped first.
    """
    store.create()
    if store.latest_revision() > 0:
        if not force:
            raise StoreNotEmptyError(store.url)
        store.drop()
        store.create()
    frames = (
        load_sample_frames(sample_dir, wilayah_file, batas_file)
        if sample
        else {"wilayah": read_dataset_csv(get_dataset("wilayah"), wilayah_file)}
    )
    report = validate_snapshot(frames)
    if not report.ok:
        raise ValidationFailed(report)
    sources = _sources(sample_dir)
    w = sources.get("wilayah", {})
    first = store.commit(
        {"wilayah": frames["wilayah"]},
        CommitInfo(
            pengguna=pengguna,
            jenis="init",
            catatan="Daftar wilayah awal",
            nama_file=wilayah_file.name,
            posisi_per={"wilayah": w.get("posisi_per")},
            sumber={"wilayah": w.get("sumber", wilayah_file.name)},
            contoh=bool(w.get("contoh", False)),
        ),
    )
    rest = {n: f for n, f in frames.items() if n != "wilayah"}
    diffs, written = dict(first.diffs), first.revision
    if rest:
        second = store.commit(
            rest,
            CommitInfo(
                pengguna=pengguna,
                jenis="init",
                catatan=(
                    "Data contoh (sample) dari artikel Kaltimkita.com 21 Okt 2025, rincian rekaan"
                    if sample_dir == SAMPLE_DIR
                    else f"Data contoh dari {sample_dir.name}"
                ),
                nama_file="data/sample" if sample_dir == SAMPLE_DIR else sample_dir.name,
                posisi_per={n: sources.get(n, {}).get("posisi_per") for n in rest},
                sumber={n: sources.get(n, {}).get("sumber", "data contoh") for n in rest},
                contoh=True,
            ),
        )
        diffs |= second.diffs
        written = second.revision or written
    # The Arrow copy now, so the first page view after a server start does not read the whole store.
    # The store was empty, so what it holds is what was just added: written from memory, not read back
    # (unless another writer committed meanwhile).
    revision = store.latest_revision()
    write_arrow_copy(store, revision, _stored_frames(diffs) if revision == written else None)
    return revision


def _stored_frames(diffs: dict[str, DatasetDiff]) -> dict[str, pd.DataFrame] | None:
    """Every dataset as `Store.snapshot` returns it after writing `diffs` into an empty store (None when a
    diff changed or removed rows: then the store is read back)."""
    if any(not d.changed.empty or not d.removed.empty for d in diffs.values()):
        return None
    none = pd.DataFrame()
    return {
        name: apply_versions(ds, empty_frame(ds), none, diffs[name].added) if name in diffs else empty_frame(ds)
        for name, ds in DATASETS.items()
    }


def open_store(settings: Settings) -> Store:
    """The configured store, created (and filled with the sample) on first use when so configured."""
    store = Store(
        settings.database_url,
        busy_timeout=settings.sqlite_busy_timeout,
        write_timeout=settings.sqlite_write_timeout,
    )
    store.create()
    if store.latest_revision() == 0 and settings.load_sample_on_first_run:
        with contextlib.suppress(StoreNotEmptyError):  # another process initialised it meanwhile
            init_store(store, sample=True)
    migrate_land_vocabulary(store)
    return store


def migrate_land_vocabulary(store: Store, pengguna: str = "sistem") -> int | None:
    """Write the cooperative rows still in the old land codes in the national vocabulary, as one
    revision that keeps the data's "posisi per" and source (`kkmp.lahan`); None when none is left."""
    if store.latest_revision() == 0:
        return None
    # Only the rows still in an old code, selected by the database: this runs at every server start, and reading
    # all 133,000 cooperatives of a national store took 1.7 s of the first visitor's wait.
    koperasi = store.read_where_in("koperasi", "status_lahan", OLD_CODES)
    rows = rows_to_migrate({"koperasi": koperasi})
    if rows.empty:
        return None
    meta = store.meta()["koperasi"]
    info = CommitInfo(
        pengguna,
        catatan="Kosakata lahan nasional (#21): belum_ada → tidak_ada_lahan, diusulkan → sedang_diverifikasi, "
        "aset_daerah → dipertimbangkan + lahan_aset_daerah",
        jenis="migrasi",
        posisi_per={"koperasi": meta.posisi_per},
        sumber={"koperasi": meta.sumber},
        contoh=meta.contoh,
    )
    return store.commit({"koperasi": rows}, info).revision
