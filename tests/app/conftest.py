"""AppTest set-up: a fresh, seeded database per test and no cache leaking between tests."""

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture(autouse=True)
def fresh_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("CJM_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("CJM_DATABASE_URL", raising=False)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield tmp_path / "data"
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def make_app():
    """``make_app(lang="en", map_id=None)`` → an AppTest of app.py, already run once."""

    def _make(lang: str = "en", map_id: str | None = None) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=30)
        if lang != "en":
            at.query_params["lang"] = lang
        if map_id:
            at.query_params["map"] = map_id
        return at.run()

    return _make
