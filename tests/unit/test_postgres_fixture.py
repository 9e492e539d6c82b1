"""The PostgreSQL test fixture really gives PostgreSQL, and each test an empty schema of its own."""

from __future__ import annotations

from sqlalchemy import text

from cjm import model
from cjm.store import Store
from tests.postgres import pg_schema_url


def test_db_url_runs_a_test_once_per_database(db_url, request):
    s = Store(db_url)
    try:
        assert s.engine.dialect.name == request.node.callspec.params["db_url"]
        assert s.list_maps() == []
    finally:
        s.close()


def test_each_postgres_schema_url_is_an_empty_database_of_its_own(postgres_url):
    with pg_schema_url(postgres_url) as first_url, pg_schema_url(postgres_url) as second_url:
        first, second = Store(first_url), Store(second_url)
        try:
            first.create(model.new_map("Only in the first", map_id="m"), author="ann")
            assert [m.map_id for m in first.list_maps()] == ["m"]
            assert second.list_maps() == []
            with first.engine.connect() as conn:
                assert conn.execute(text("SHOW server_version")).scalar()
        finally:
            first.close()
            second.close()
