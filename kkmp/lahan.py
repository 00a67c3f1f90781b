"""The land vocabulary's migration: the office's codes before #21 into the national land stages.

Before #21 a KKMP's `status_lahan` was one of belum_ada, diusulkan, terverifikasi, aset_daerah.
Now it takes the national stages (`kkmp.schema.STATUS_LAHAN`), and a regional asset is a separate
fact (`lahan_aset_daerah`) that can hold at any stage: an old `aset_daerah` becomes the flag plus the
stage "dipertimbangkan" (a regional asset proposed as the site, under consideration).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

#: Old code → national stage.
KODE_LAMA = {
    "belum_ada": "tidak_ada_lahan",
    "diusulkan": "sedang_diverifikasi",
    "terverifikasi": "terverifikasi",
    "aset_daerah": "dipertimbangkan",
}
OLD_CODES = tuple(k for k, v in KODE_LAMA.items() if k != v)
"""The land codes that changed: rows holding one are migrated."""


def migrate_koperasi(koperasi: pd.DataFrame) -> pd.DataFrame:
    """The cooperative rows with old land codes turned into national stages (and the regional-asset flag)."""
    if "status_lahan" not in koperasi.columns:
        return koperasi
    out = koperasi.copy()
    old = out["status_lahan"].astype("object")
    was_asset = old == "aset_daerah"
    out["status_lahan"] = old.map(lambda v: KODE_LAMA.get(v, v) if isinstance(v, str) else v).astype(
        koperasi["status_lahan"].dtype
    )
    flag = out["lahan_aset_daerah"] if "lahan_aset_daerah" in out.columns else pd.Series(pd.NA, index=out.index)
    out["lahan_aset_daerah"] = flag.astype("boolean").mask(was_asset.to_numpy(), True)
    return out


def rows_to_migrate(frames: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """The stored cooperative rows that still hold an old land code, migrated (empty: nothing to do)."""
    koperasi = frames.get("koperasi")
    if koperasi is None or koperasi.empty or "status_lahan" not in koperasi.columns:
        return pd.DataFrame()
    old = koperasi["status_lahan"].isin(OLD_CODES)
    return migrate_koperasi(koperasi[old.fillna(False).to_numpy()])
