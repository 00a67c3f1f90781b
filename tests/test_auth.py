"""Editor sign-in: scrypt hashes, the editor list from secrets or the environment, slowing down guesses."""

import pytest

from kkmp.auth import (
    BadHashError,
    LoginThrottle,
    check_login,
    hash_password,
    load_editors,
    oidc_editors,
    parse_editors_env,
    verify_password,
)

FAST = {"n": 2**10, "r": 8, "p": 1}


def test_hash_verifies_only_its_password():
    stored = hash_password("Rahasia-123", **FAST)
    assert stored.startswith("scrypt$1024$8$1$") and "Rahasia" not in stored
    assert verify_password("Rahasia-123", stored)
    assert not verify_password("rahasia-123", stored)


def test_same_password_gets_a_new_salt():
    assert hash_password("abc", **FAST) != hash_password("abc", **FAST)


def test_empty_password_refused():
    with pytest.raises(ValueError):
        hash_password("")


@pytest.mark.parametrize("bad", ["plain", "bcrypt$1$2$3$4$5", "scrypt$x$8$1$AA$BB"])
def test_malformed_hash(bad):
    with pytest.raises(BadHashError):
        verify_password("x", bad)


def test_editors_from_env_and_secrets():
    h1, h2 = hash_password("a", **FAST), hash_password("b", **FAST)
    assert parse_editors_env(f"budi:{h1}, sari:{h2},broken") == {"budi": h1, "sari": h2}
    editors = load_editors({"kkmp": {"editors": {"ani": h1}}}, {"KKMP_EDITORS": f"budi:{h2}"})
    assert editors == {"ani": h1, "budi": h2}
    assert load_editors({}, {}) == {}


def test_oidc_editor_list():
    assert oidc_editors({}) is None
    assert oidc_editors({"kkmp": {"editor_emails": ["Budi@Dinas.go.id"]}}) == ("budi@dinas.go.id",)


def test_check_login_returns_the_editor_name():
    editors = {"Budi": hash_password("benar", **FAST)}
    assert check_login(editors, "budi", "benar", LoginThrottle(), now=0.0) == ("Budi", 0.0)
    assert check_login(editors, "budi", "salah", LoginThrottle(), now=0.0) == (None, 0.0)
    assert check_login(editors, "orang lain", "benar", LoginThrottle(), now=0.0)[0] is None


def test_throttle_slows_down_after_free_tries():
    editors = {"budi": hash_password("benar", **FAST)}
    throttle = LoginThrottle(free=2, base_seconds=10)
    for _ in range(2):
        assert check_login(editors, "budi", "salah", throttle, now=100.0)[0] is None
    assert throttle.wait_seconds("budi", 100.0) == 10
    # while waiting even the right password is refused
    assert check_login(editors, "budi", "benar", throttle, now=105.0) == (None, 5.0)
    assert check_login(editors, "budi", "benar", throttle, now=111.0)[0] == "budi"
    assert throttle.wait_seconds("budi", 111.0) == 0


def test_throttle_doubles_and_caps():
    throttle = LoginThrottle(free=1, base_seconds=2, max_seconds=5)
    for _ in range(3):
        throttle.record("x", False, now=0.0)
    assert throttle.wait_seconds("x", 0.0) == 5
