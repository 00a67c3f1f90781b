"""Who may write: editor passwords kept as scrypt hashes, checked slowly after wrong tries.

Editors come from `[kkmp.editors]` in `.streamlit/secrets.toml` (name = "hash", or a table
`[kkmp.editors.sari]` with `hash` and `wilayah`) or from the environment variable `KKMP_EDITORS`
("name:hash,name2:hash2@64.71.01+64.71.02": `@` then `+`-separated area code prefixes; none = every
area). OIDC editors are limited by `[kkmp] editor_wilayah = {"sari@example.org" = ["64.71.01"]}`.
Create a hash with `python -m kkmp hash-password`. Only hashes are stored; a password never is.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets as _secrets
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

from kkmp.access import Editor

SCHEME = "scrypt"
#: scrypt cost: n=2**15, r=8, p=1 uses 32 MiB and about 0.1 s per check.
DEFAULT_N, DEFAULT_R, DEFAULT_P = 2**15, 8, 1
_MAXMEM = 128 * 1024 * 1024
ENV_EDITORS = "KKMP_EDITORS"


class BadHashError(ValueError):
    """A stored hash that is not in the `scrypt$n$r$p$salt$key` form."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4))


def hash_password(password: str, *, n: int = DEFAULT_N, r: int = DEFAULT_R, p: int = DEFAULT_P) -> str:
    """A salted scrypt hash of `password`: "scrypt$n$r$p$salt$key" (base64 parts)."""
    if not password:
        raise ValueError("password must not be empty")
    salt = _secrets.token_bytes(16)
    key = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=_MAXMEM, dklen=32)
    return f"{SCHEME}${n}${r}${p}${_b64(salt)}${_b64(key)}"


def verify_password(password: str, stored: str) -> bool:
    """True when `password` matches the stored hash; compares in constant time."""
    parts = stored.strip().split("$")
    if len(parts) != 6 or parts[0] != SCHEME:
        raise BadHashError("hash must look like scrypt$n$r$p$salt$key")
    try:
        n, r, p = int(parts[1]), int(parts[2]), int(parts[3])
        salt, key = _unb64(parts[4]), _unb64(parts[5])
    except ValueError as exc:
        raise BadHashError(str(exc)) from None
    if not key:
        raise BadHashError("hash has an empty key")
    try:
        got = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=_MAXMEM, dklen=len(key))
    except (ValueError, TypeError, OverflowError, MemoryError):  # parameters scrypt refuses (n not 2^k, n<0)
        raise BadHashError("scrypt refused the hash's parameters") from None
    return hmac.compare_digest(got, key)


def normalize_name(name: str) -> str:
    """A sign-in name as compared everywhere (throttle and lookup): Unicode NFKC, trimmed, casefolded."""
    return unicodedata.normalize("NFKC", str(name)).strip().casefold()


def _split_areas(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in text.split("+") if p.strip())


def parse_editors_env(text: str | None) -> dict[str, str]:
    """`KKMP_EDITORS` ("name:hash,name2:hash2@64.71.01+64.71.02") as name → hash."""
    return {name: hashed for name, (hashed, _) in parse_editors_env_areas(text).items()}


def parse_editors_env_areas(text: str | None) -> dict[str, tuple[str, tuple[str, ...]]]:
    """`KKMP_EDITORS` as name → (hash, area prefixes); no `@` part = every area."""
    out: dict[str, tuple[str, tuple[str, ...]]] = {}
    for item in (text or "").split(","):
        if ":" not in item:
            continue
        name, _, rest = item.partition(":")
        hashed, _, areas = rest.partition("@")
        if name.strip() and hashed.strip():
            out[name.strip()] = (hashed.strip(), _split_areas(areas))
    return out


def _kkmp_section(secrets: Mapping[str, object] | None) -> Mapping[str, object]:
    section = (secrets or {}).get("kkmp", {}) if secrets else {}
    return section if isinstance(section, Mapping) else {}


def _areas(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return _split_areas(value)
    if isinstance(value, (list, tuple)):
        return tuple(str(v).strip() for v in value if str(v).strip())
    return ()


def _editor_entries(
    secrets: Mapping[str, object] | None, env: Mapping[str, str] | None
) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Every configured password editor: name → (hash, area prefixes); the environment wins on a clash."""
    env = os.environ if env is None else env
    out: dict[str, tuple[str, tuple[str, ...]]] = {}
    editors = _kkmp_section(secrets).get("editors", {})
    if isinstance(editors, Mapping):
        for name, value in editors.items():
            if isinstance(value, Mapping):
                out[str(name)] = (str(value.get("hash", "")), _areas(value.get("wilayah")))
            else:
                out[str(name)] = (str(value), ())
    out.update(parse_editors_env_areas(env.get(ENV_EDITORS)))
    return out


def load_editors(secrets: Mapping[str, object] | None = None, env: Mapping[str, str] | None = None) -> dict[str, str]:
    """Editor name → password hash from secrets (`[kkmp.editors]`) and the environment (`KKMP_EDITORS`)."""
    return {name: hashed for name, (hashed, _) in _editor_entries(secrets, env).items()}


def editor_areas(
    name: str, secrets: Mapping[str, object] | None = None, env: Mapping[str, str] | None = None
) -> tuple[str, ...]:
    """The area code prefixes a password or OIDC editor is limited to (empty: every area)."""
    key = normalize_name(name)
    for editor, (_, areas) in _editor_entries(secrets, env).items():
        if normalize_name(editor) == key:
            return areas
    oidc = _kkmp_section(secrets).get("editor_wilayah", {})
    if isinstance(oidc, Mapping):
        for email, areas in oidc.items():
            if normalize_name(email) == key:
                return _areas(areas)
    return ()


def find_editor(
    name: str, secrets: Mapping[str, object] | None = None, env: Mapping[str, str] | None = None
) -> Editor | None:
    """The configured password editor called `name` (compared normalised) with their areas; None if unknown."""
    key = normalize_name(name)
    match = next((k for k in _editor_entries(secrets, env) if normalize_name(k) == key), None)
    return None if match is None else Editor(match, editor_areas(match, secrets, env))


def oidc_editors(secrets: Mapping[str, object] | None) -> tuple[str, ...] | None:
    """E-mail addresses allowed to edit after an OIDC sign-in (`kkmp.editor_emails`); None: anyone signed in."""
    emails = _kkmp_section(secrets).get("editor_emails")
    if not emails:
        return None
    return tuple(normalize_name(e) for e in emails)


@dataclass
class LoginThrottle:
    """Slows down guessing: after `free` wrong passwords for a name, each try must wait longer."""

    free: int = 3
    base_seconds: float = 2.0
    max_seconds: float = 300.0
    failures: dict[str, tuple[int, float]] = field(default_factory=dict)

    def wait_seconds(self, name: str, now: float) -> float:
        """Seconds left before `name` may try again (0 when allowed now)."""
        count, last = self.failures.get(normalize_name(name), (0, 0.0))
        if count < self.free:
            return 0.0
        delay = min(self.base_seconds * 2 ** (count - self.free), self.max_seconds)
        return max(0.0, last + delay - now)

    def record(self, name: str, ok: bool, now: float) -> None:
        """Note the outcome of a try: success clears the count, failure raises it."""
        if ok:
            self.failures.pop(normalize_name(name), None)
        else:
            count, _ = self.failures.get(normalize_name(name), (0, 0.0))
            self.failures[normalize_name(name)] = (count + 1, now)


def check_login(
    editors: Mapping[str, str], name: str, password: str, throttle: LoginThrottle, now: float
) -> tuple[str | None, float]:
    """(the editor's name when signed in, else None; seconds to wait before the next try).

    Unknown names and wrong passwords fail alike and are throttled alike.
    """
    wait = throttle.wait_seconds(name, now)
    if wait > 0:
        return None, wait
    key = normalize_name(name)
    match = next((k for k in editors if normalize_name(k) == key), None)
    ok = False
    if match is not None:
        try:
            ok = verify_password(password, editors[match])
        except BadHashError:
            ok = False
    else:  # spend the same time as a real check so names cannot be probed by timing
        hashlib.scrypt(b"x", salt=b"kkmp-dummy-salt!", n=DEFAULT_N, r=DEFAULT_R, p=DEFAULT_P, maxmem=_MAXMEM)
    throttle.record(name, ok, now)
    return (match, 0.0) if ok else (None, throttle.wait_seconds(name, now))
