"""The ruff configuration keeps Streamlit out of kkmp/ (house rule 2)."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RUFF = shutil.which("ruff")
SOURCE = "import streamlit as st\n\n\ndef title() -> None:\n    st.title('x')\n"


def _ruff_on(filename: str) -> subprocess.CompletedProcess[str]:
    """Lint SOURCE as if it were `filename` in this repository."""
    return subprocess.run(
        [RUFF, "check", "--no-cache", "--stdin-filename", filename, "-"],
        input=SOURCE,
        text=True,
        capture_output=True,
        cwd=ROOT,
        check=False,
    )


@pytest.mark.skipif(RUFF is None, reason="ruff is not installed")
def test_streamlit_import_in_kkmp_fails_ruff() -> None:
    result = _ruff_on("kkmp/new_module.py")
    assert result.returncode != 0
    assert "TID251" in result.stdout


@pytest.mark.skipif(RUFF is None, reason="ruff is not installed")
def test_streamlit_import_in_ui_is_allowed() -> None:
    result = _ruff_on("ui/new_module.py")
    assert result.returncode == 0, result.stdout
