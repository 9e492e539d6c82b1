"""Shared test set-up: every test run gets its own database folder, never ./data."""

import os
import tempfile

import pytest

# Set before anything imports cjm.store, so no test ever touches the developer's ./data.
os.environ.setdefault("CJM_DATA_DIR", tempfile.mkdtemp(prefix="cjm-test-data-"))
os.environ.pop("CJM_DATABASE_URL", None)
# A translation key missing from the catalogues raises (in AppTest runs and the browser tests' server too).
os.environ["CJM_STRICT_I18N"] = "1"

# `postgres_url` (a throwaway PostgreSQL server per session) and `db_url` (sqlite, then postgresql).
from tests.postgres import db_url, postgres_url  # noqa: E402, F401


@pytest.fixture(scope="session")
def chdb_folder(tmp_path_factory):
    """The data folder of this process's one embedded ClickHouse (chdb opens a single folder per
    process, so the unit and page tests share it; each test makes tables of its own names)."""
    from cjm.funnel.sources import _chdb_connection

    folder = tmp_path_factory.mktemp("chdb")
    _chdb_connection(str(folder))
    return folder
