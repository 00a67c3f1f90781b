"""Access: write actions need an editor session; wrong passwords are slowed down; secrets (passwords,
hashes, database passwords) never reach the page, the CLI's stderr or the logs."""

from __future__ import annotations

import datetime as dt
import logging

import pytest

from kkmp.access import Editor
from kkmp.auth import LoginThrottle, check_login, hash_password
from kkmp.cli import main
from kkmp.upload import commit_upload, prepare_upload
from tests.test_unggah_app import open_page, sign_in
from tests.upload_corpus import koperasi_title_rows, weekly_by_kelurahan
from ui import state

SECRET = "Sandi-Rahasia-7731"
DB_SECRET = "pg-S3cret-Word-9"


# Settings and the store are cached per server; each test has its own store, so start clean.
pytestmark = pytest.mark.usefixtures("fresh_caches")


@pytest.fixture
def editors() -> dict[str, str]:
    return {"Budi": hash_password(SECRET, n=2**10)}


def page_text(at) -> str:
    """Every text the page shows (markdown, captions, alerts, labels, widget values)."""
    parts: list[str] = []
    for kind in ("markdown", "caption", "error", "warning", "info", "success", "title", "subheader", "exception"):
        parts += [str(getattr(e, "value", "")) for e in at.get(kind)]
    for kind in ("text_input", "button", "selectbox", "checkbox"):
        for e in at.get(kind):  # the password box itself is masked on screen: its value is not shown
            parts.append(getattr(e, "label", "") + ("" if e.key == state.LOGIN_PASSWORD else f" {e.value}"))
    return "\n".join(parts)


# ---- write actions need an editor --------------------------------------------------------------


def test_upload_page_without_sign_in_offers_no_write_action(app_env, editors):
    at = open_page("pages/unggah.py", editors)
    assert not at.exception
    assert at.file_uploader(key=state.UPLOAD_FILES).disabled
    keys = {b.key for b in at.button}
    assert state.UPLOAD_COMMIT not in keys and state.LOGIN_SUBMIT in keys


def test_history_page_without_sign_in_offers_no_rollback(app_env, editors, sample_store):
    at = open_page("pages/riwayat.py", editors)
    at.selectbox(key=state.RIWAYAT_REVISI).set_value(1).run()
    assert not at.exception
    keys = {b.key for b in at.button}
    assert state.RIWAYAT_ROLLBACK not in keys and state.LOGIN_SUBMIT in keys
    assert not [c for c in at.checkbox if c.key == state.RIWAYAT_KONFIRMASI]
    assert sample_store.latest_revision() == 2


def test_history_page_without_editors_offers_no_rollback(app_env, sample_store):
    at = open_page("pages/riwayat.py")
    at.selectbox(key=state.RIWAYAT_REVISI).set_value(1).run()
    assert not at.exception
    assert state.RIWAYAT_ROLLBACK not in {b.key for b in at.button}


def test_wrong_password_gives_no_write_action(app_env, editors):
    at = open_page("pages/riwayat.py", editors)
    at.selectbox(key=state.RIWAYAT_REVISI).set_value(1).run()
    at = sign_in(at, name="budi", password="salah")
    assert at.error
    assert state.RIWAYAT_ROLLBACK not in {b.key for b in at.button}


def test_commit_records_the_editor(sample_store):
    plan = prepare_upload([("koperasi.xlsx", koperasi_title_rows())], sample_store)
    result = commit_upload(
        plan, sample_store, editor=Editor("Budi"), posisi_per=dt.date(2025, 12, 1), sumber="uji", confirmed=True
    )
    history = sample_store.revisions()
    latest = history.loc[history["id"] == result.revision].iloc[0]
    assert latest["pengguna"] == "Budi"


def test_rollback_records_the_editor(sample_store):
    result = sample_store.rollback(1, "Siti")
    history = sample_store.revisions()
    assert history.loc[history["id"] == result.revision].iloc[0]["pengguna"] == "Siti"


# ---- guessing is slowed down ---------------------------------------------------------------------


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0


def test_repeated_wrong_passwords_are_slowed_down(editors):
    throttle, clock = LoginThrottle(free=3, base_seconds=2.0, max_seconds=60.0), Clock()
    waits = []
    for _ in range(8):
        who, wait = check_login(editors, "budi", "salah", throttle, clock.now)
        assert who is None
        waits.append(wait)
        clock.now += wait  # the attacker waits exactly as long as told
    assert waits[:2] == [0.0, 0.0] and waits[2:] == [2.0, 4.0, 8.0, 16.0, 32.0, 60.0]


def test_the_right_password_is_refused_while_waiting_then_accepted(editors):
    throttle, clock = LoginThrottle(free=3, base_seconds=2.0), Clock()
    for _ in range(3):
        check_login(editors, "budi", "salah", throttle, clock.now)
    who, wait = check_login(editors, "Budi", SECRET, throttle, clock.now + 1.0)
    assert who is None and wait == pytest.approx(1.0)
    who, wait = check_login(editors, "Budi", SECRET, throttle, clock.now + 2.0)
    assert who == "Budi" and wait == 0.0
    assert throttle.wait_seconds("budi", clock.now + 2.0) == 0.0  # success clears the count


def test_unknown_names_are_throttled_like_known_ones(editors):
    throttle, clock = LoginThrottle(free=2, base_seconds=5.0), Clock()
    for name in ("budi", "tidak-ada"):
        for _ in range(2):
            _, wait = check_login(editors, name, "salah", throttle, clock.now)
        assert wait == 5.0


def test_the_page_tells_to_wait_after_repeated_failures(app_env, editors):
    at = open_page("pages/unggah.py", editors)
    for _ in range(4):
        at = sign_in(at, password="salah")
    assert any("detik" in e.value for e in at.error), [e.value for e in at.error]
    assert at.file_uploader(key=state.UPLOAD_FILES).disabled


# ---- secrets stay secret ---------------------------------------------------------------------------


def test_wrong_password_is_not_echoed(app_env, editors, caplog):
    caplog.set_level(logging.DEBUG)
    at = sign_in(open_page("pages/unggah.py", editors), password=SECRET + "x")
    assert at.error
    text = page_text(at)
    assert SECRET not in text and editors["Budi"] not in text
    assert SECRET not in caplog.text and editors["Budi"] not in caplog.text


@pytest.mark.parametrize(
    "config",
    [f"budi:{SECRET}", f"budi:scrypt${SECRET}$8$1$abc$def", f"budi:scrypt$16384$8$1${SECRET}$%%%", f"{SECRET}"],
    ids=["plaintext-instead-of-hash", "password-in-n", "bad-base64", "no-colon"],
)
def test_bad_editor_config_does_not_leak(app_env, monkeypatch, caplog, config):
    """A misconfigured KKMP_EDITORS (a password where the hash belongs) is never shown or logged."""
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("KKMP_EDITORS", config)
    at = open_page("pages/unggah.py")
    if [b for b in at.button if b.key == state.LOGIN_SUBMIT]:
        at = sign_in(at, password=SECRET)
    assert not at.exception, at.exception
    assert at.file_uploader(key=state.UPLOAD_FILES).disabled
    assert SECRET not in page_text(at)
    assert SECRET not in caplog.text


def test_database_password_absent_from_cli_stderr(capsys, caplog):
    caplog.set_level(logging.DEBUG)
    url = f"postgresql+psycopg://kkmp:{DB_SECRET}@127.0.0.1:1/kkmp?connect_timeout=2"
    code = main(["--db", url, "history"])
    err = capsys.readouterr().err
    assert code != 0 and err.startswith("kkmp:"), err
    assert DB_SECRET not in err and DB_SECRET not in caplog.text


def test_database_password_absent_from_the_page(monkeypatch, caplog):
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("KKMP_DATABASE_URL", f"postgresql+psycopg://kkmp:{DB_SECRET}@127.0.0.1:1/kkmp?connect_timeout=2")
    at = open_page("pages/ringkasan.py")
    text = page_text(at) + "\n".join(str(e.value) + str(getattr(e, "stack_trace", "")) for e in at.exception)
    assert DB_SECRET not in text
    assert DB_SECRET not in caplog.text


@pytest.mark.parametrize(
    "stored",
    [
        "scrypt$3$8$1$c2FsdA$a2V5",
        "scrypt$16384$8$1$c2FsdA$",
        "scrypt$16384$0$1$c2FsdA$a2V5",
        "scrypt$-2$8$1$c2FsdA$a2V5",
    ],
    ids=["n-not-power-of-2", "empty-key", "r-zero", "negative-n"],
)
def test_hash_with_parameters_scrypt_refuses_is_a_bad_hash(stored):
    """A hand-edited hash ends in BadHashError (checked as a failed sign-in), never a ValueError on the page."""
    from kkmp.auth import BadHashError, verify_password

    with pytest.raises(BadHashError):
        verify_password(SECRET, stored)


# ---- the one gate (#14) ------------------------------------------------------------------------------

from kkmp.access import AccessDenied, authorize_write  # noqa: E402
from kkmp.auth import find_editor  # noqa: E402
from kkmp.batas import match_boundaries, save_boundaries  # noqa: E402
from kkmp.revisions import rollback_revision  # noqa: E402
from tests.conftest import square_boundaries  # noqa: E402

KECAMATAN = "64.71.01"


def moved_boundaries(store, codes=None):
    """Every (or only `codes`') boundary replaced by a small square: a change in those kelurahan."""
    wilayah = store.read("wilayah")
    part = wilayah if codes is None else wilayah[wilayah["kode_kelurahan"].isin(codes)]
    return match_boundaries(square_boundaries(part, half=0.001), wilayah), wilayah


def test_peta_without_sign_in_offers_no_boundary_upload(app_env, editors, sample_store):
    at = open_page("pages/peta.py", editors)
    assert not at.exception
    assert "peta_batas_file" not in {u.key for u in at.get("file_uploader")}
    assert sample_store.latest_revision() == 2


def test_boundaries_without_an_editor_are_refused_and_nothing_written(sample_store):
    match, wilayah = moved_boundaries(sample_store)
    with pytest.raises(AccessDenied) as exc:
        save_boundaries(sample_store, match, wilayah, editor=None, sumber="uji")
    assert exc.value.code == "perlu_masuk" and sample_store.latest_revision() == 2


def test_upload_without_an_editor_is_refused(sample_store):
    plan = prepare_upload([("koperasi.xlsx", koperasi_title_rows())], sample_store)
    with pytest.raises(AccessDenied):
        commit_upload(plan, sample_store, editor=None, posisi_per=dt.date(2025, 12, 1), confirmed=True)
    assert sample_store.latest_revision() == 2


def test_rollback_without_an_editor_is_refused(sample_store):
    with pytest.raises(AccessDenied):
        rollback_revision(sample_store, 1, None)
    assert sample_store.latest_revision() == 2


def test_out_of_area_boundaries_are_refused_as_a_whole(sample_store):
    match, wilayah = moved_boundaries(sample_store)
    with pytest.raises(AccessDenied) as exc:
        save_boundaries(sample_store, match, wilayah, editor=Editor("sari", (KECAMATAN,)))
    assert exc.value.code == "di_luar_wilayah" and sample_store.latest_revision() == 2
    assert all(KECAMATAN + "." not in row for row in exc.value.rows)
    assert KECAMATAN in exc.value.message("id") and "64.71.02" in exc.value.message("en")


def test_in_area_boundaries_are_saved(sample_store):
    codes = [c for c in sample_store.read("wilayah")["kode_kelurahan"] if c.startswith(KECAMATAN + ".")]
    match, wilayah = moved_boundaries(sample_store, codes)
    result = save_boundaries(sample_store, match, wilayah, editor=Editor("sari", (KECAMATAN,)))
    assert result.revision == 3


def test_out_of_area_rollback_is_refused(sample_store):
    with pytest.raises(AccessDenied):
        rollback_revision(sample_store, 1, Editor("sari", (KECAMATAN,)))
    assert sample_store.latest_revision() == 2


def test_a_prefix_covers_only_whole_code_segments():
    sari = Editor("sari", ("64.71.01",))
    assert sari.covers("64.71.01.1001") and not sari.covers("64.71.011.001") and not sari.covers("64.71.02.1001")


def test_authorize_write_without_a_limit_passes():
    assert authorize_write(Editor("budi")).name == "budi"


def test_env_editor_areas_are_read():
    h = hash_password(SECRET, n=2**10)
    env = {"KKMP_EDITORS": f"budi:{h},sari:{h}@64.71.01+64.71.02"}
    assert find_editor("Sari", {}, env).wilayah == ("64.71.01", "64.71.02")
    assert find_editor("budi", {}, env).wilayah == ()


def test_secrets_table_editor_areas_are_read():
    secrets = {"kkmp": {"editors": {"sari": {"hash": "h", "wilayah": ["64.71.01"]}, "budi": "h2"}}}
    assert find_editor("sari", secrets, {}).wilayah == ("64.71.01",)
    assert find_editor("budi", secrets, {}).wilayah == ()


@pytest.mark.parametrize("padded", ["   budi", "\u00a0budi", "BUDI "])
def test_padded_names_share_the_throttle(editors, padded):
    throttle, clock = LoginThrottle(free=3, base_seconds=2.0), Clock()
    for _ in range(3):
        check_login(editors, "budi", "salah", throttle, clock.now)
    who, wait = check_login(editors, padded, SECRET, throttle, clock.now)
    assert who is None and wait > 0


def test_cli_batas_as_limited_editor(sample_store, tmp_path, monkeypatch, capsys):
    import json as _json

    monkeypatch.setenv("KKMP_EDITORS", f"sari:{hash_password(SECRET, n=2**10)}@{KECAMATAN}")
    wilayah = sample_store.read("wilayah")
    outside = tmp_path / "semua.geojson"
    outside.write_text(_json.dumps(square_boundaries(wilayah, half=0.001)))
    assert main(["--db", sample_store.url, "batas", str(outside), "--as-editor", "sari"]) == 1
    assert sample_store.latest_revision() == 2
    inside = tmp_path / "sari.geojson"
    own = wilayah[wilayah["kode_kelurahan"].str.startswith(KECAMATAN + ".")]
    inside.write_text(_json.dumps(square_boundaries(own, half=0.001)))
    assert main(["--db", sample_store.url, "batas", str(inside), "--as-editor", "sari"]) == 0
    latest = sample_store.revisions().iloc[0]
    assert latest["pengguna"].startswith("sari (via --as-editor, akun os: ")


EVIL_SUMBER = "[Masuk ulang](https://evil.example/login) **tebal**"


@pytest.mark.parametrize(
    "page", ["pages/ringkasan.py", "pages/peta.py", "pages/pembangunan.py", "pages/rat.py", "pages/usaha.py"]
)
def test_a_hostile_source_is_shown_as_literal_text(app_env, sample_store, page):
    from kkmp.store import CommitInfo

    frames = {n: sample_store.read(n).iloc[:1].assign(**{}) for n in ("koperasi", "progres", "rat", "penyaluran")}
    frames["koperasi"]["nama_koperasi"] = frames["koperasi"]["nama_koperasi"] + " X"
    frames["progres"]["catatan"] = "diubah"
    frames["rat"]["lapor_ods"] = ~frames["rat"]["lapor_ods"].fillna(False).astype(bool)
    frames["penyaluran"]["jumlah"] = frames["penyaluran"]["jumlah"] + 1
    info = CommitInfo(pengguna="uji", sumber=dict.fromkeys(frames, EVIL_SUMBER), posisi_per={})
    assert sample_store.commit(frames, info).revision == 3
    at = open_page(page)
    captions = [c.value for c in at.caption if "evil" in c.value]
    assert captions, "the source is shown"
    assert all("](https" not in c and "**tebal**" not in c for c in captions), captions


# ---- uploads by an editor limited to an area (page's domain call and the CLI) ------------------

MANGGAR_ONLY = [[1, "Kel. Manggar", "19 Des 2025", 10, "76,5%", "52,0%", "Hujan; akses lahan"]]


def test_out_of_area_upload_is_refused_as_a_whole(sample_store):
    plan = prepare_upload([("mingguan.xlsx", weekly_by_kelurahan())], sample_store)
    with pytest.raises(AccessDenied) as exc:
        commit_upload(plan, sample_store, editor=Editor("sari", (KECAMATAN,)), confirmed=True)
    assert exc.value.code == "di_luar_wilayah" and sample_store.latest_revision() == 2


def test_in_area_upload_is_saved_with_the_editor(sample_store):
    plan = prepare_upload([("mingguan.xlsx", weekly_by_kelurahan(MANGGAR_ONLY))], sample_store)
    result = commit_upload(plan, sample_store, editor=Editor("sari", (KECAMATAN,)), confirmed=True)
    assert result.revision == 3 and sample_store.revisions().iloc[0]["pengguna"] == "sari"


def test_cli_import_as_limited_editor(sample_store, tmp_path, monkeypatch):
    monkeypatch.setenv("KKMP_EDITORS", f"sari:{hash_password(SECRET, n=2**10)}@{KECAMATAN}")
    every = tmp_path / "semua.xlsx"
    every.write_bytes(weekly_by_kelurahan())
    assert main(["--db", sample_store.url, "import", str(every), "--as-editor", "sari", "--yakin"]) == 1
    assert sample_store.latest_revision() == 2
    own = tmp_path / "manggar.xlsx"
    own.write_bytes(weekly_by_kelurahan(MANGGAR_ONLY))
    assert main(["--db", sample_store.url, "import", str(own), "--as-editor", "sari", "--yakin"]) == 0
    assert sample_store.revisions().iloc[0]["pengguna"].startswith("sari (via --as-editor, akun os: ")
