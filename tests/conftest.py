"""Shared test set-up: every test run gets its own database folder, never ./data."""

import os
import tempfile

# Set before anything imports cjm.store, so no test ever touches the developer's ./data.
os.environ.setdefault("CJM_DATA_DIR", tempfile.mkdtemp(prefix="cjm-test-data-"))
os.environ.pop("CJM_DATABASE_URL", None)

# `postgres_url` (a throwaway PostgreSQL server per session) and `db_url` (sqlite, then postgresql).
from tests.postgres import db_url, postgres_url  # noqa: E402, F401
