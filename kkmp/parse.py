"""Tolerant readers of one spreadsheet cell: Indonesian numbers, dates, ya/tidak, coded values, kelurahan.

Each parser is a pure function of one value. It returns a `Parsed` (the value in its canonical
form, plus the code of the automatic correction it made, if any) or raises `CellError` naming
what is wrong. Messages live in `kkmp/locales/unggah.toml` under `unggah.koreksi.*` and
`unggah.sel.*`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

EXCEL_EPOCH = dt.date(1899, 12, 30)
#: Excel serial numbers accepted as dates: 1 Jan 1950 .. 31 Dec 2099.
SERIAL_RANGE = (18264, 73415)

BULAN = {
    "januari": 1,
    "jan": 1,
    "january": 1,
    "februari": 2,
    "feb": 2,
    "pebruari": 2,
    "peb": 2,
    "february": 2,
    "maret": 3,
    "mar": 3,
    "march": 3,
    "april": 4,
    "apr": 4,
    "mei": 5,
    "may": 5,
    "juni": 6,
    "jun": 6,
    "june": 6,
    "juli": 7,
    "jul": 7,
    "july": 7,
    "agustus": 8,
    "agu": 8,
    "agt": 8,
    "ags": 8,
    "aug": 8,
    "august": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "oktober": 10,
    "okt": 10,
    "oct": 10,
    "october": 10,
    "november": 11,
    "nov": 11,
    "nopember": 11,
    "nop": 11,
    "desember": 12,
    "des": 12,
    "dec": 12,
    "december": 12,
}

TRUE_WORDS = frozenset({"ya", "y", "yes", "true", "benar", "sudah", "ada", "1", "v", "✓", "✔"})
FALSE_WORDS = frozenset({"tidak", "tdk", "t", "no", "n", "false", "salah", "belum", "blm", "tidak ada", "0"})
#: Cell texts that mean "empty" in office spreadsheets.
EMPTY_WORDS = frozenset({"", "-", "–", "—", "n/a", "na", "#n/a", "nan", "none", "null"})
FORMULA_PREFIXES = ("=", "+", "-", "@")
KELURAHAN_PREFIX = re.compile(r"^(kelurahan|kel|desa|ds)\b\.?\s*")


@dataclass(frozen=True)
class Parsed:
    """A cell read into its canonical form; `correction` names the automatic correction made, if any."""

    value: object
    correction: str | None = None
    params: Mapping[str, object] = field(default_factory=dict)


class CellError(ValueError):
    """A cell that cannot be read; `code` is a key under `unggah.sel.` in the locale file."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def is_empty(value: object) -> bool:
    """True for None, NaN and the texts office sheets use for "nothing" ("-", "N/A", blanks)."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if isinstance(value, str):
        return clean_text(value).lower() in EMPTY_WORDS
    return False


def clean_text(value: object) -> str:
    """Text with non-breaking and repeated spaces folded, trimmed; a leading formula-guard apostrophe removed."""
    text = unicodedata.normalize("NFKC", str(value)).replace("\u00a0", " ")
    text = re.sub(r"\s+", " ", text).strip()
    if text.startswith("'") and text[1:2] in FORMULA_PREFIXES:
        text = text[1:]
    return text


def normalize_header(text: object) -> str:
    """A header reduced for matching: no case, spaces, underscores, punctuation or "(unit)" suffix."""
    raw = unicodedata.normalize("NFKC", str(text)).lower()
    without_units = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", raw)
    key = re.sub(r"[^0-9a-z]+", "", without_units)
    return key or re.sub(r"[^0-9a-z]+", "", raw)


def parse_text(value: object) -> Parsed:
    """A text cell: trimmed; whole numbers typed as numbers (2024.0) written without ".0"."""
    if is_empty(value):
        return Parsed(None)
    if isinstance(value, bool):
        return Parsed("ya" if value else "tidak")
    if isinstance(value, float) and value.is_integer():
        return Parsed(str(int(value)))
    if isinstance(value, (dt.datetime, dt.date)):
        return Parsed(_as_date(value).isoformat())
    return Parsed(clean_text(value))


def parse_number(value: object, dot_thousands: bool = False) -> Parsed:
    """A number written the Indonesian way ("1.500.000", "45,5", "Rp 1.658.000.000", "12,5 %") or typed as one.

    One dot followed by three digits ("12.500") is a thousands mark when `dot_thousands`
    (rupiah and whole-number columns), else a decimal point.
    """
    if is_empty(value):
        return Parsed(None)
    if isinstance(value, bool):
        raise CellError("bukan_angka")
    if isinstance(value, (int, float)):
        if isinstance(value, float) and math.isinf(value):
            raise CellError("bukan_angka")
        return Parsed(float(value))
    text = clean_text(value).lower()
    text = re.sub(r"^(rp\.?|idr)\s*", "", text)
    text = re.sub(r"\s*(%|persen)$", "", text)
    text = text.replace(" ", "").replace("'", "")
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1]
    if text.startswith(("-", "−")):
        negative, text = True, text[1:]
    elif text.startswith("+"):
        text = text[1:]
    text = re.sub(r"(,-|,—|\.-)$", "", text)  # "Rp 1.500.000,-"
    if not text or not re.fullmatch(r"[0-9.,]+", text) or not re.search(r"\d", text):
        raise CellError("bukan_angka")
    correction = None
    params: dict[str, object] = {}
    dots, commas = text.count("."), text.count(",")
    if dots and commas:
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        if text.count(decimal) > 1 or not _grouped(text.split(decimal)[0], thousands):
            raise CellError("bukan_angka")
        number = text.replace(thousands, "").replace(decimal, ".")
    elif commas:
        if commas > 1:
            if not _grouped(text, ","):
                raise CellError("bukan_angka")
            number = text.replace(",", "")
        else:
            number = text.replace(",", ".")
    elif dots > 1:
        if not _grouped(text, "."):
            raise CellError("bukan_angka")
        number = text.replace(".", "")
    elif dot_thousands and dots == 1 and re.fullmatch(r"[1-9]\d{0,2}\.\d{3}", text):
        number = text.replace(".", "")
        correction, params = "titik_ribuan", {"asli": clean_text(value), "hasil": number}
    else:
        number = text
    try:
        result = float(number)
    except ValueError:
        raise CellError("bukan_angka") from None
    return Parsed(-result if negative else result, correction, params)


def _grouped(text: str, sep: str) -> bool:
    """True when `text` is digits grouped by `sep` in threes ("1.500.000")."""
    return re.fullmatch(rf"\d{{1,3}}(\{sep}\d{{3}})+", text) is not None


def parse_int(value: object) -> Parsed:
    """A whole number; "1.500" is one thousand five hundred, "18,0" is eighteen."""
    parsed = parse_number(value, dot_thousands=True)
    if parsed.value is None:
        return parsed
    number = float(parsed.value)  # type: ignore[arg-type]
    if not number.is_integer():
        raise CellError("bukan_bulat")
    correction = parsed.correction
    params = dict(parsed.params)
    if correction == "titik_ribuan":  # a dot in a whole-number column is always a thousands mark
        correction, params = None, {}
    return Parsed(int(number), correction, params)


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _make_date(year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise CellError("tanggal_tidak_ada") from None


def parse_date(value: object) -> Parsed:
    """A date: 17/10/2025, 17-10-2025, 17.10.2025, 17 Oktober 2025, 17 Okt 2025, ISO, Oktober 2025, Excel serial."""
    if is_empty(value):
        return Parsed(None)
    if isinstance(value, (dt.datetime, dt.date)):
        return Parsed(_as_date(value))
    if isinstance(value, bool):
        raise CellError("bukan_tanggal")
    if isinstance(value, (int, float)):
        return _serial(float(value), str(value))
    text = clean_text(value).lower()
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?", text)
    if m:
        return Parsed(_make_date(int(m[1]), int(m[2]), int(m[3])))
    m = re.fullmatch(
        r"(\d{1,2})\s*([/.-])\s*(\d{1,2})\s*\2\s*(\d{2}|\d{4})(?:\s+\d{1,2}[:.]\d{2}(?:[:.]\d{2})?)?", text
    )
    if m:
        day, month, year = int(m[1]), int(m[3]), int(m[4])
        if len(m[4]) == 2:
            full = 2000 + year
            return Parsed(_make_date(full, month, day), "tahun_dua_digit", {"asli": clean_text(value), "tahun": full})
        if month > 12 and day <= 12:
            raise CellError("tanggal_bulan_hari")
        return Parsed(_make_date(year, month, day))
    m = re.fullmatch(r"(?:(\d{1,2})[\s-]+)?([a-z]+)\.?[\s-]+(\d{4})", text)
    if m:
        month = BULAN.get(m[2])
        if month is None:
            raise CellError("bulan_tidak_dikenal", bulan=m[2])
        return Parsed(_make_date(int(m[3]), month, int(m[1]) if m[1] else 1))
    m = re.fullmatch(r"(\d{4})-(\d{1,2})", text)
    if m:
        return Parsed(_make_date(int(m[1]), int(m[2]), 1))
    if re.fullmatch(r"\d+(?:[.,]0+)?", text):
        return _serial(float(text.replace(",", ".")), clean_text(value))
    raise CellError("bukan_tanggal")


def _serial(number: float, original: str) -> Parsed:
    if not number.is_integer() and not (SERIAL_RANGE[0] <= number <= SERIAL_RANGE[1]):
        raise CellError("bukan_tanggal")
    if not SERIAL_RANGE[0] <= number <= SERIAL_RANGE[1]:
        raise CellError("bukan_tanggal")
    date = EXCEL_EPOCH + dt.timedelta(days=int(number))
    return Parsed(date, "tanggal_serial", {"asli": original, "hasil": date.isoformat()})


def parse_bool(value: object) -> Parsed:
    """ya/tidak, sudah/belum, yes/no, 1/0, TRUE/FALSE, ✓."""
    if is_empty(value):
        return Parsed(None)
    if isinstance(value, bool):
        return Parsed(value)
    if isinstance(value, (int, float)) and value in (0, 1):
        return Parsed(bool(value))
    text = clean_text(value).lower().rstrip(".")
    if text in TRUE_WORDS:
        return Parsed(True)
    if text in FALSE_WORDS:
        return Parsed(False)
    raise CellError("bukan_ya_tidak")


def parse_choice(value: object, allowed: Iterable[str], labels: Mapping[str, Iterable[str]] | None = None) -> Parsed:
    """One of `allowed` codes, tolerant of case, spaces and punctuation ("Tidak Aktif" → tidak_aktif).

    `labels` maps a code to other names it may be written as (its display labels).
    """
    if is_empty(value):
        return Parsed(None)
    text = clean_text(value)
    codes = tuple(allowed)
    if text in codes:
        return Parsed(text)
    key = normalize_header(text)
    for code in codes:
        names = [code, *((labels or {}).get(code, ()))]
        if any(normalize_header(n) == key for n in names):
            return Parsed(code, "nilai_disesuaikan", {"asli": text, "hasil": code})
    raise CellError("nilai_tidak_dikenal", allowed=", ".join(codes), saran=_closest(key, codes))


def parse_choice_list(
    value: object, allowed: Iterable[str], labels: Mapping[str, Iterable[str]] | None = None
) -> Parsed:
    """A list of allowed codes separated by ";" (or "," or "/"): "Sembako, LPG" → "sembako; lpg"."""
    if is_empty(value):
        return Parsed(None)
    text = clean_text(value)
    items = [p.strip() for p in re.split(r"[;,/\n]", text) if p.strip()]
    codes = []
    for item in items:
        codes.append(parse_choice(item, allowed, labels).value)
    out = "; ".join(dict.fromkeys(str(c) for c in codes))
    if out == text:
        return Parsed(out)
    return Parsed(out, "nilai_disesuaikan", {"asli": text, "hasil": out})


def parse_list(value: object) -> Parsed:
    """A free list separated by semicolons, spaces around items tidied."""
    if is_empty(value):
        return Parsed(None)
    text = clean_text(value)
    out = "; ".join(p.strip() for p in text.split(";") if p.strip())
    return Parsed(out or None)


def kelurahan_key(name: object) -> str:
    """A kelurahan name reduced for matching: no case, spaces, punctuation or "Kel."/"Kelurahan" prefix."""
    text = KELURAHAN_PREFIX.sub("", clean_text(name).lower(), count=1)
    return re.sub(r"[^0-9a-z]+", "", text)


class RegionPairs(list[tuple[str, str]]):
    """(kode_kelurahan, kelurahan) pairs whose set of codes is made once, not on every `parse_kelurahan` cell."""

    @cached_property
    def codes(self) -> frozenset[str]:
        """Every code of the pairs."""
        return frozenset(k for k, _ in self)


def parse_kelurahan(value: object, wilayah: Iterable[tuple[str, str]]) -> Parsed:
    """A kelurahan code from its code or its name, tolerant of case, spacing and "Kel." prefixes.

    `wilayah` holds (kode_kelurahan, kelurahan) pairs. "Sungai Nangka" finds "Sungainangka", and
    "6471011001" finds 64.71.01.1001. An unknown name raises `CellError` with the closest names.
    """
    if is_empty(value):
        return Parsed(None)
    pairs = list(wilayah)
    text = clean_text(value)
    codes = wilayah.codes if isinstance(wilayah, RegionPairs) else {k for k, _ in pairs}
    if text in codes:
        return Parsed(text)
    digits = re.sub(r"\D", "", text)
    if re.fullmatch(r"[\d.\s-]+", text) and len(digits) == 10:
        code = f"{digits[:2]}.{digits[2:4]}.{digits[4:6]}.{digits[6:]}"
        if code in codes:
            return Parsed(code, "kode_dirapikan", {"asli": text, "hasil": code})
        raise CellError("kode_kelurahan_tidak_ada")
    if re.fullmatch(r"[\d.\s-]+", text):
        raise CellError("kode_kelurahan_tidak_ada")
    exact = [k for k, n in pairs if n == text]
    if len(exact) == 1:
        return Parsed(exact[0])
    key = kelurahan_key(text)
    hits = sorted({k for k, n in pairs if kelurahan_key(n) == key})
    if len(hits) == 1:
        name = next(n for k, n in pairs if k == hits[0])
        return Parsed(hits[0], "kelurahan_disesuaikan", {"asli": text, "hasil": name, "kode": hits[0]})
    if len(hits) > 1:
        raise CellError("kelurahan_ganda", kode=", ".join(hits))
    names = {kelurahan_key(n): n for _, n in pairs}
    close = difflib.get_close_matches(key, list(names), n=3, cutoff=0.6)
    raise CellError("kelurahan_tidak_dikenal", saran=", ".join(names[c] for c in close) or "—")


def _closest(key: str, codes: tuple[str, ...]) -> str:
    keys = {normalize_header(c): c for c in codes}
    close = difflib.get_close_matches(key, list(keys), n=1, cutoff=0.6)
    return keys[close[0]] if close else "—"
