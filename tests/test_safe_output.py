"""Safe output: user-supplied text reaches every page as text — never as HTML, markdown or a link.

Every free-text column of the store gets a payload (HTML with script, markdown emphasis, a
javascript: link); then every registered page runs, and every string it sends to the browser is
checked: markdown-rendered strings must carry the payload escaped, and no string — chart specs and
map tooltips included — may carry raw HTML.
"""

from __future__ import annotations

import json
import re

import pytest
from google.protobuf.json_format import MessageToDict
from streamlit.testing.v1 import AppTest

from kkmp.store import Store
from tests.conftest import ROOT
from tests.hostile_data import MARKER, poison_store
from ui.nav import PAGES

TIMEOUT = 90
RAW_HTML = re.compile(r"(?<!\\)<(img|b|a|script)\b", re.IGNORECASE)
RAW_MARKDOWN = re.compile(rf"(?<!\\)\*\*{MARKER}|(?<!\\)\]\(javascript:")
MARKDOWN_FIELDS = {"body", "label", "help", "caption", "title"}
PLAIN_TEXT_FIELDS = {"options", "default", "value", "raw_values", "formatted_value"}


@pytest.fixture
def hostile_env(app_env: str, sample_store: Store) -> str:
    """The sample store with the payload in every free-text value, for AppTest."""
    poison_store(sample_store)
    return app_env


def _strings(node, field: str = ""):
    """Every (field name, string) in a decoded message, JSON strings (chart specs) opened too."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _strings(v, k)
    elif isinstance(node, list):
        for v in node:
            yield from _strings(v, field)
    elif isinstance(node, str):
        if node[:1] in "{[" and MARKER in node:
            try:
                yield from _strings(json.loads(node), field + ".json")
                return
            except ValueError:
                pass
        yield field, node


def _elements(at: AppTest):
    stack = [at._tree]
    while stack:
        node = stack.pop()
        proto = getattr(node, "proto", None)
        if proto is not None and hasattr(proto, "DESCRIPTOR"):
            yield type(node).__name__, MessageToDict(proto, preserving_proto_field_name=True)
        children = getattr(node, "children", {})
        stack.extend(children.values() if isinstance(children, dict) else children)


def _is_text_tooltip_map(data: dict) -> bool:
    if "json" not in data or "tooltip" not in data:
        return False
    try:
        tooltip = json.loads(data["tooltip"]) if isinstance(data["tooltip"], str) else data["tooltip"]
    except ValueError:
        return False
    deck = json.loads(data["json"])
    inner = deck.get("tooltip") if isinstance(deck, dict) else None
    return isinstance(tooltip, dict) and "html" not in tooltip and not (isinstance(inner, dict) and "html" in inner)


def unsafe_strings(at: AppTest) -> list[str]:
    """Strings on the page that would render the payload as HTML or markdown."""
    bad = []
    for kind, data in _elements(at):
        if _is_text_tooltip_map(data):
            # a pydeck map whose tooltip is {"text": ...}: deck.gl sets it as text and draws TextLayer
            # labels as glyphs, so its data strings are plain text; an {"html": ...} tooltip is checked
            data = {k: v for k, v in data.items() if k != "json"}
        for field, text in _strings(data):
            if MARKER not in text:
                continue
            last = field.split(".")[0]
            if last in PLAIN_TEXT_FIELDS:
                continue  # widgets show option values as plain text
            if RAW_HTML.search(text):
                bad.append(f"{kind}.{field}: raw HTML: {text[:160]!r}")
            elif last in MARKDOWN_FIELDS and RAW_MARKDOWN.search(text):
                bad.append(f"{kind}.{field}: raw markdown: {text[:160]!r}")
    return bad


def shown_strings(at: AppTest) -> int:
    return sum(MARKER in text for _, data in _elements(at) for _, text in _strings(data))


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.url_path)
@pytest.mark.parametrize("lang", ["id", "en"])
def test_hostile_text_is_shown_as_text_on_every_page(hostile_env, page, lang):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params["lang"] = lang
    if page != PAGES[0]:
        at.switch_page(page.path)
    at.run()
    assert not at.exception, at.exception
    assert unsafe_strings(at) == []


def test_the_check_sees_the_payload_when_a_page_shows_it(hostile_env):
    # the sidebar's kecamatan filter lists the poisoned names: the payload does reach the page,
    # so a page that rendered it unescaped would be caught
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run()
    assert shown_strings(at) > 0


@pytest.mark.parametrize(
    ("tooltip", "plain"),
    [({"text": "{tooltip}"}, True), ({"html": "<b>{tooltip}</b>"}, False)],
)
def test_map_data_counts_as_plain_text_only_under_a_text_tooltip(tooltip, plain):
    element = {"json": json.dumps({"layers": [], "tooltip": tooltip}), "tooltip": json.dumps(tooltip)}
    assert _is_text_tooltip_map(element) is plain
