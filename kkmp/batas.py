"""Kelurahan boundaries from a GeoJSON file: reading, matching to the region list, saving.

A boundary file is matched to `wilayah` on the Kemendagri code first; features whose code is
missing or unknown fall back to their name (case, spacing and a "Kel."/"Kelurahan"/"Desa"
prefix do not matter; the kecamatan, when the file has it, settles names that occur twice).
What cannot be matched is reported, never guessed. The matched rows form the `batas_wilayah`
dataset and are written through the revisioned store like any other upload.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from kkmp.access import Editor, authorize_write
from kkmp.frames import coerce_frame
from kkmp.i18n import t
from kkmp.schema import get_dataset
from kkmp.store import CommitInfo, CommitResult, Store
from kkmp.validate import ValidationFailed, validate_frame

DATASET = "batas_wilayah"
COORD_DECIMALS = 6
KODE_KEYS = ("kode_kelurahan", "kode", "kdepum", "kode_kemendagri", "kode_desa", "kode_kel", "kd_kel", "kode_wilayah")
NAME_KEYS = ("kelurahan", "nama_kelurahan", "nama", "wadmkd", "namobj", "desa", "nama_desa", "name", "kel")
KECAMATAN_KEYS = ("kecamatan", "nama_kecamatan", "wadmkc", "kec")
_WGS84_NAMES = {"urn:ogc:def:crs:ogc:1.3:crs84", "epsg:4326", "urn:ogc:def:crs:epsg::4326", "crs84"}
_NAME_PREFIX = re.compile(r"^(kelurahan|kel|desa|ds)(\s*\.\s*|\s+)")
_KECAMATAN_PREFIX = re.compile(r"^(kecamatan|kec)(\s*\.\s*|\s+)")


#: boundary files' own size limit (KKMP_BATAS_MAX_MB); the shipped city file is 0.09 MB
MAX_BOUNDARY_BYTES = 5 * 2**20


class BoundaryFileError(ValueError):
    """The file cannot be read as GeoJSON boundaries at all (`code` names why; see `message`)."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(f"{code} {params}")
        self.code = code
        self.params = params

    def message(self, lang: str = "id") -> str:
        """What went wrong and what to do next, in the user's language."""
        return t(f"batas.galat.{self.code}", lang, **self.params)


@dataclass(frozen=True)
class BoundaryIssue:
    """A feature of the file that was not used, and why (`code`: tidak_cocok, nama_ganda, ganda, geometri)."""

    feature: int
    code: str
    kode: str | None
    nama: str | None
    params: Mapping[str, object] = field(default_factory=dict)

    def message(self, lang: str = "id") -> str:
        """The reason in the user's language, with what to do next."""
        return t(f"batas.masalah.{self.code}", lang, kode=self.kode or "—", nama=self.nama or "—", **self.params)


@dataclass
class BoundaryMatch:
    """The result of matching a boundary file: rows to store, how they matched, what was left over."""

    frame: pd.DataFrame
    by_code: int
    by_name: list[tuple[int, str, str]]
    issues: list[BoundaryIssue]
    missing: pd.DataFrame
    features: int

    @property
    def matched(self) -> int:
        """How many kelurahan got a boundary."""
        return len(self.frame)

    @property
    def ok(self) -> bool:
        """True when at least one boundary matched (a partial file may still be saved)."""
        return self.matched > 0

    def issues_frame(self, lang: str = "id") -> pd.DataFrame:
        """The unused features as a table: feature number, code, name, reason."""
        rows = [{"fitur": i.feature, "kode": i.kode, "nama": i.nama, "alasan": i.message(lang)} for i in self.issues]
        return pd.DataFrame(rows, columns=["fitur", "kode", "nama", "alasan"])


def normalize_name(text: object) -> str:
    """A name reduced for matching: lower case, no accents, no "Kel."/"Kelurahan"/"Desa" prefix, letters and digits only."""
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return ""
    plain = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode().lower().strip()
    plain = _NAME_PREFIX.sub("", plain)
    return re.sub(r"[^a-z0-9]", "", plain)


def normalize_kecamatan(text: object) -> str:
    """A kecamatan name reduced for matching (as `normalize_name`, without a "Kec." prefix)."""
    if text is None:
        return ""
    plain = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode().lower().strip()
    return re.sub(r"[^a-z0-9]", "", _KECAMATAN_PREFIX.sub("", plain))


def normalize_kode(value: object) -> str | None:
    """A Kemendagri code as NN.NN.NN.NNNN ("6471011001" and "64.71.01.1001" agree); None when absent."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = str(value).strip()
    digits = re.sub(r"\D", "", text)
    if len(digits) == 10:
        return f"{digits[:2]}.{digits[2:4]}.{digits[4:6]}.{digits[6:]}"
    return text or None


def read_geojson(source: bytes | str | Path, max_bytes: int = MAX_BOUNDARY_BYTES) -> dict:
    """A GeoJSON FeatureCollection from bytes, text or a path; raises `BoundaryFileError` otherwise.

    A file larger than `max_bytes` (boundary files have their own limit) is refused unread.
    """
    if isinstance(source, Path):
        try:
            if source.stat().st_size > max_bytes:
                raise BoundaryFileError("terlalu_besar", mb=f"{max_bytes / 2**20:g}")
            source = source.read_bytes()
        except OSError as exc:
            raise BoundaryFileError("tidak_terbaca", nama=str(source), alasan=exc.strerror or str(exc)) from None
    if len(source) > max_bytes:  # str: at least one byte per character
        raise BoundaryFileError("terlalu_besar", mb=f"{max_bytes / 2**20:g}")
    if isinstance(source, bytes):
        try:
            source = source.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise BoundaryFileError("bukan_json") from None
    try:
        data = json.loads(source)
    except json.JSONDecodeError as exc:
        raise BoundaryFileError("bukan_json", baris=exc.lineno) from None
    except RecursionError:  # nesting deeper than any boundary file (a hostile file)
        raise BoundaryFileError("bukan_json") from None
    if isinstance(data, dict) and data.get("type") == "Feature":
        data = {"type": "FeatureCollection", "features": [data]}
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise BoundaryFileError("bukan_featurecollection")
    features = data.get("features")
    if not isinstance(features, list) or not features:
        raise BoundaryFileError("kosong")
    crs = data.get("crs")
    if isinstance(crs, dict):
        name = str((crs.get("properties") or {}).get("name", "")).lower()
        if name and name not in _WGS84_NAMES:
            raise BoundaryFileError("crs", crs=name)
    return data


def _lower_keys(props: object) -> dict[str, object]:
    if not isinstance(props, dict):
        return {}
    return {str(k).strip().lower(): v for k, v in props.items()}


def _first(props: Mapping[str, object], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        value = props.get(key)
        if value is not None and str(value).strip() != "":
            return str(value).strip()
    return None


def _clean_ring(ring: object) -> list[list[float]]:
    if not isinstance(ring, list) or len(ring) < 3:
        raise ValueError("cincin")
    out = []
    for pos in ring:
        if not isinstance(pos, (list, tuple)) or len(pos) < 2:
            raise ValueError("posisi")
        lon, lat = float(pos[0]), float(pos[1])
        if not (math.isfinite(lon) and math.isfinite(lat)) or not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise ValueError("derajat")
        out.append([round(lon, COORD_DECIMALS), round(lat, COORD_DECIMALS)])
    if out[0] != out[-1]:
        out.append(list(out[0]))
    if len(out) < 4:
        raise ValueError("cincin")
    return out


def clean_geometry(geometry: object) -> dict:
    """A Polygon/MultiPolygon with numeric, closed rings in degrees; raises ValueError naming the fault."""
    if not isinstance(geometry, dict):
        raise ValueError("kosong")
    kind = geometry.get("type")
    coords = geometry.get("coordinates")
    if kind == "Polygon" and isinstance(coords, list) and coords:
        return {"type": "Polygon", "coordinates": [_clean_ring(r) for r in coords]}
    if kind == "MultiPolygon" and isinstance(coords, list) and coords:
        polys = []
        for poly in coords:
            if not isinstance(poly, list) or not poly:
                raise ValueError("cincin")
            polys.append([_clean_ring(r) for r in poly])
        return {"type": "MultiPolygon", "coordinates": polys}
    raise ValueError("jenis")


def iter_positions(geometry: Mapping) -> Iterator[tuple[float, float]]:
    """Every (lon, lat) of a Polygon or MultiPolygon."""
    polys = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    for poly in polys:
        for ring in poly:
            yield from ((pos[0], pos[1]) for pos in ring)


def match_boundaries(collection: Mapping, wilayah: pd.DataFrame) -> BoundaryMatch:
    """Match the features of a FeatureCollection to `wilayah` rows (by code, then by name)."""
    codes = set(wilayah["kode_kelurahan"].dropna())
    by_name: dict[str, list[tuple[str, str]]] = {}
    for kode, nama, kec in wilayah[["kode_kelurahan", "kelurahan", "kecamatan"]].itertuples(index=False):
        by_name.setdefault(normalize_name(nama), []).append((kode, normalize_kecamatan(kec)))
    rows: list[dict[str, str]] = []
    seen: dict[str, int] = {}
    issues: list[BoundaryIssue] = []
    name_matches: list[tuple[int, str, str]] = []
    n_code = 0
    features = collection.get("features", [])
    for number, feature in enumerate(features, start=1):
        props = _lower_keys(feature.get("properties") if isinstance(feature, dict) else None)
        kode_raw, nama = _first(props, KODE_KEYS), _first(props, NAME_KEYS)
        kode = normalize_kode(kode_raw)
        try:
            geometry = clean_geometry(feature.get("geometry") if isinstance(feature, dict) else None)
        except (ValueError, TypeError) as exc:
            issues.append(BoundaryIssue(number, "geometri", kode, nama, {"sebab": str(exc)}))
            continue
        target: str | None = None
        if kode in codes:
            target = kode
        else:
            candidates = by_name.get(normalize_name(nama), []) if nama else []
            kec = _first(props, KECAMATAN_KEYS)
            if len(candidates) > 1 and kec:
                candidates = [c for c in candidates if c[1] == normalize_kecamatan(kec)]
            if len(candidates) == 1:
                target = candidates[0][0]
                name_matches.append((number, nama or "", target))
            elif len(candidates) > 1:
                issues.append(BoundaryIssue(number, "nama_ganda", kode, nama, {"jumlah": len(candidates)}))
                continue
            else:
                issues.append(BoundaryIssue(number, "tidak_cocok", kode, nama))
                continue
        if target in seen:
            issues.append(BoundaryIssue(number, "ganda", target, nama, {"fitur_lain": seen[target]}))
            if name_matches and name_matches[-1][0] == number:
                name_matches.pop()
            continue
        seen[target] = number
        n_code += target == kode
        rows.append(
            {"kode_kelurahan": target, "nama_berkas": nama, "geometri": json.dumps(geometry, separators=(",", ":"))}
        )
    dataset = get_dataset(DATASET)
    frame = coerce_frame(dataset, pd.DataFrame(rows, columns=dataset.column_names)).reset_index(drop=True)
    missing = wilayah[~wilayah["kode_kelurahan"].isin(seen)][["kode_kelurahan", "kelurahan", "kecamatan"]]
    return BoundaryMatch(frame, n_code, name_matches, issues, missing.reset_index(drop=True), len(features))


def load_boundary_file(
    source: bytes | str | Path, wilayah: pd.DataFrame, max_bytes: int = MAX_BOUNDARY_BYTES
) -> BoundaryMatch:
    """Read a GeoJSON boundary file (at most `max_bytes`) and match it to `wilayah` (see `match_boundaries`)."""
    return match_boundaries(read_geojson(source, max_bytes), wilayah)


def file_sha256(data: bytes) -> str:
    """The SHA-256 of an uploaded file, recorded on its revision."""
    return hashlib.sha256(data).hexdigest()


def save_boundaries(
    store: Store,
    match: BoundaryMatch,
    wilayah: pd.DataFrame,
    *,
    editor: Editor | None,
    nama_file: str | None = None,
    sha256: str | None = None,
    sumber: str = "",
    posisi_per: dt.date | None = None,
    replace: bool = False,
) -> CommitResult:
    """Write the matched boundaries as one revision (upsert by code; `replace` drops the others).

    Raises `ValidationFailed` when the rows break the `batas_wilayah` declaration and
    `BoundaryFileError('tidak_ada_yang_cocok')` when nothing matched, `AccessDenied` (kkmp.access)
    without an editor or when a boundary outside the editor's areas would change.
    """
    authorize_write(editor)
    if not match.ok:
        raise BoundaryFileError("tidak_ada_yang_cocok")
    report = validate_frame(get_dataset(DATASET), match.frame, {"wilayah": wilayah})
    if not report.ok:
        raise ValidationFailed(report)
    authorize_write(editor, store, {DATASET: match.frame}, replace=replace)
    info = CommitInfo(
        pengguna=editor.name,
        jenis="batas",
        catatan=f"Batas wilayah: {match.matched} kelurahan/desa",
        nama_file=nama_file,
        sha256=sha256,
        posisi_per={DATASET: posisi_per},
        sumber={DATASET: sumber or (nama_file or "")},
    )
    return store.commit({DATASET: match.frame}, info, replace=replace)
