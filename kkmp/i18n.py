"""Texts in Bahasa Indonesia (first) and English, and number/date formats from babel.

Texts live in `kkmp/locales/*.toml`, one file per area of the dashboard; each table is a
key with an `id` and an `en` string. `t("ringkasan.judul", "en")` returns the English one.
"""

from __future__ import annotations

import datetime as dt
import math
import tomllib
from functools import lru_cache
from pathlib import Path

import pandas as pd
from babel.dates import format_date as _babel_date
from babel.numbers import format_compact_currency, format_decimal

LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "id"
LOCALES = {"id": "id_ID", "en": "en_GB"}
_LOCALE_DIR = Path(__file__).with_name("locales")


class MissingTextError(KeyError):
    """Raised when a text key has no translation in any locale file."""


@lru_cache(maxsize=1)
def load_texts() -> dict[str, dict[str, str]]:
    """All texts from the locale files, flattened to dotted keys."""
    texts: dict[str, dict[str, str]] = {}

    def walk(prefix: str, table: dict) -> None:
        if "id" in table and isinstance(table["id"], str):
            texts[prefix] = {k: v for k, v in table.items() if isinstance(v, str)}
            return
        for key, value in table.items():
            if isinstance(value, dict):
                walk(f"{prefix}.{key}" if prefix else key, value)

    for path in sorted(_LOCALE_DIR.glob("*.toml")):
        with path.open("rb") as f:
            walk("", tomllib.load(f))
    return texts


class _Params(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def normalize_language(lang: str | None) -> str:
    """A supported language code; anything else falls back to Indonesian."""
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, lang: str = DEFAULT_LANGUAGE, /, **params: object) -> str:
    """The text for `key` in `lang` (Indonesian when no translation), with `{params}` filled."""
    entry = load_texts().get(key)
    if entry is None:
        raise MissingTextError(key)
    text = entry.get(normalize_language(lang)) or entry[DEFAULT_LANGUAGE]
    return text.format_map(_Params(params)) if params else text


def label(group: str, value: object, lang: str = DEFAULT_LANGUAGE) -> str:
    """The display label of a coded value (status, stage, commodity ...); the code itself if none."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return "—"
    entry = load_texts().get(f"nilai.{group}.{value}")
    if entry is None:
        return str(value)
    return entry.get(normalize_language(lang)) or entry[DEFAULT_LANGUAGE]


def _locale(lang: str) -> str:
    return LOCALES[normalize_language(lang)]


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def format_number(value: float | int | None, lang: str = DEFAULT_LANGUAGE, decimals: int = 0) -> str:
    """1234.5 → "1.234,5" (id) or "1,234.5" (en); "—" for a missing value."""
    if _missing(value):
        return "—"
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=_locale(lang))


def format_percent(value: float | None, lang: str = DEFAULT_LANGUAGE, decimals: int = 1) -> str:
    """A percentage given on the 0–100 scale: 69.72 → "69,7%"."""
    if _missing(value):
        return "—"
    return format_number(value, lang, decimals) + "%"


def format_rupiah(value: float | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """Compact rupiah: 1_658_000_000 → "Rp1,66 M" (id) or "IDR1.66B" (en)."""
    if _missing(value):
        return "—"
    return format_compact_currency(value, "IDR", locale=_locale(lang), fraction_digits=2)


def format_date(value: dt.date | pd.Timestamp | str | None, lang: str = DEFAULT_LANGUAGE, style: str = "long") -> str:
    """17 Oktober 2025 (id, long), 17 Okt 2025 (id, medium); "—" when missing."""
    if _missing(value) or value is pd.NaT:
        return "—"
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    if isinstance(value, pd.Timestamp):
        value = value.date()
    if isinstance(value, dt.datetime):
        value = value.date()
    return _babel_date(value, format=style, locale=_locale(lang))
