"""Signing in as an editor: OIDC through `st.login` when configured, else the embedded password list."""

from __future__ import annotations

import time
from collections.abc import Mapping

import streamlit as st

from kkmp.access import Editor
from kkmp.auth import LoginThrottle, check_login, editor_areas, load_editors, normalize_name, oidc_editors
from kkmp.i18n import t
from ui import state
from ui.components import escape_markdown


def read_secrets() -> dict:
    """`st.secrets` as a plain dict; empty when the deployment has no secrets file."""
    try:
        return st.secrets.to_dict()
    except Exception:  # no secrets.toml: Streamlit raises its own not-found error
        return {}


def oidc_providers(secrets: Mapping[str, object]) -> list[str | None] | None:
    """The configured `st.login` providers ([None] for a single unnamed one); None without OIDC."""
    section = secrets.get("auth")
    if not isinstance(section, Mapping) or not section.get("redirect_uri") or not section.get("cookie_secret"):
        return None
    named = [k for k, v in section.items() if isinstance(v, Mapping)]
    return named or [None]


@st.cache_resource(show_spinner=False)
def login_throttle() -> LoginThrottle:
    """One throttle per server, shared by every session, so a new tab does not reset the wait."""
    return LoginThrottle()


def _oidc_editor(secrets: Mapping[str, object]) -> str | None:
    try:
        if not st.user.is_logged_in:
            return None
    except Exception:
        return None
    email = normalize_name(st.user.get("email") or "")
    allowed = oidc_editors(secrets)
    if allowed is not None and email not in allowed:
        return None
    return str(st.user.get("name") or email or "editor")


def current_editor() -> Editor | None:
    """The signed-in editor (name and the areas they may change), or None."""
    secrets = read_secrets()
    if oidc_providers(secrets):
        who = _oidc_editor(secrets)
        if who:
            email = str(st.user.get("email") or "")
            return Editor(who, editor_areas(email, secrets))
    name = st.session_state.get(state.EDITOR)
    if not name or name not in load_editors(secrets):  # an editor removed from the list loses the session
        return None
    return Editor(name, editor_areas(name, secrets))


def editor_ui(lang: str) -> Editor | None:
    """The sign-in box: who is signed in (with a sign-out button), or the ways to sign in."""
    secrets = read_secrets()
    providers = oidc_providers(secrets)
    editors = load_editors(secrets)
    editor = current_editor()
    if editor:
        cols = st.columns([4, 1], vertical_alignment="center")
        cols[0].caption(t("unggah.masuk_sebagai", lang, nama=escape_markdown(editor.name)))
        if editor.is_limited:
            cols[0].caption(t("akses.wilayah_anda", lang, wilayah=escape_markdown(", ".join(editor.wilayah))))
        if cols[1].button(t("unggah.keluar", lang), key=state.LOGOUT, icon=":material/logout:"):
            st.session_state.pop(state.EDITOR, None)
            if providers and _oidc_editor(secrets):
                st.logout()
            st.rerun()
        return editor
    if not providers and not editors:
        st.info(t("unggah.cara_mengaktifkan", lang), icon=":material/lock:")
        return None
    with st.container(border=True, key="kotak_masuk"):
        st.markdown(f"**{t('unggah.perlu_masuk', lang)}**")
        for provider in providers or []:
            label = t("unggah.masuk_oidc", lang, penyedia=provider or "SSO")
            if st.button(label, key=f"{state.OIDC_LOGIN}_{provider or 'default'}", icon=":material/login:"):
                st.login(provider) if provider else st.login()
        if editors:
            _password_form(editors, lang)
    return None


def _password_form(editors: Mapping[str, str], lang: str) -> None:
    with st.form("form_masuk", border=False):
        name = st.text_input(t("unggah.nama_editor", lang), key=state.LOGIN_NAME)
        password = st.text_input(t("unggah.kata_sandi", lang), type="password", key=state.LOGIN_PASSWORD)
        submitted = st.form_submit_button(t("unggah.masuk", lang), key=state.LOGIN_SUBMIT, icon=":material/login:")
    if not submitted:
        return
    who, wait = check_login(editors, name, password, login_throttle(), time.monotonic())
    if who:
        st.session_state[state.EDITOR] = who
        st.rerun()
    elif wait > 0:
        st.error(t("unggah.salah_tunggu", lang, detik=int(wait) + 1), icon=":material/timer:")
    else:
        st.error(t("unggah.salah_sandi", lang), icon=":material/error:")
