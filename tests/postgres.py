"""A throwaway PostgreSQL server for the test session, and a ``db_url`` fixture that runs a storage
test on SQLite and on PostgreSQL.

The server comes from Debian's packages (``make test`` installs ``postgresql`` when missing): ``initdb``
into a temporary folder, ``pg_ctl start`` on a free loopback port, stopped when the session ends. One
server per session; every test gets its own empty *schema* in it (``CREATE SCHEMA`` is cheap, a fresh
database is not), reached through the URL's ``search_path``, and dropped afterwards.

``initdb`` refuses to run as root, so as root the server runs as the ``postgres`` user (created by the
Debian package) via ``runuser``.

``CJM_TEST_POSTGRES_URL`` (e.g. ``postgresql+psycopg://cjm@db.internal/cjm_test``) points the tests at an
existing server instead; the test schemas are made and dropped there the same way.
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import pwd
import shlex
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

__all__ = ["PostgresServer", "find_pg_bin", "postgres_url", "pg_schema_url", "db_url", "BACKENDS"]

BACKENDS = ["sqlite", "postgresql"]
DB_NAME = "cjm_test"
USER = "cjm"
_schema_numbers = itertools.count(1)


def find_pg_bin() -> Path | None:
    """The folder of Debian's PostgreSQL server binaries (newest version), or None when not installed."""
    override = os.environ.get("CJM_TEST_PG_BIN", "").strip()
    candidates = [override] if override else []
    candidates += sorted(
        glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name.split(".")[0]), reverse=True
    )
    for folder in candidates:
        if (Path(folder) / "initdb").is_file() and (Path(folder) / "pg_ctl").is_file():
            return Path(folder)
    initdb = shutil.which("initdb")  # e.g. /usr/local/bin/initdb, a link into the Debian folder
    return Path(initdb).resolve().parent if initdb else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresServer:
    """A private PostgreSQL server on a temporary folder and a free loopback port."""

    def __init__(self, bin_dir: Path):
        self.bin_dir = bin_dir
        self.folder = Path(tempfile.mkdtemp(prefix="cjm-test-pg-"))
        self.data = self.folder / "data"
        self.log = self.folder / "server.log"
        self.port = _free_port()
        self._as: list[str] = []
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")  # KeyError: the Debian package was not installed
            os.chown(self.folder, user.pw_uid, user.pw_gid)
            self._as = ["runuser", "-u", "postgres", "--"]

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://{USER}@127.0.0.1:{self.port}/{DB_NAME}"

    def _run(self, *args: str, timeout: float = 120) -> None:
        result = subprocess.run(
            [*self._as, *args], capture_output=True, text=True, timeout=timeout, cwd=self.folder, check=False
        )
        if result.returncode != 0:
            log = self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""
            raise RuntimeError(f"{args[0]} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}\n{log}")

    def start(self) -> None:
        self._run(
            str(self.bin_dir / "initdb"),
            "-D", str(self.data), "-U", USER, "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync",
        )  # fmt: skip
        # Durability is not wanted from a throwaway server: no fsync makes DDL and commits cheap.
        options = " ".join(
            [
                f"-p {self.port}",
                "-c listen_addresses=127.0.0.1",
                f"-c unix_socket_directories={self.folder}",
                "-c fsync=off",
                "-c synchronous_commit=off",
                "-c full_page_writes=off",
                "-c max_connections=200",
                "-c shared_buffers=32MB",
            ]
        )
        self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "start")
        self._watch()
        import psycopg

        deadline = time.monotonic() + 30
        while True:
            try:
                with psycopg.connect(
                    host="127.0.0.1", port=self.port, user=USER, dbname="postgres", autocommit=True
                ) as conn:
                    conn.execute(f"CREATE DATABASE {DB_NAME}")
                return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def _watch(self) -> None:
        """Stop the server and remove its folder should this test process die without cleaning up."""
        pg_ctl = [*self._as, str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"]
        script = (
            f"while kill -0 {os.getpid()} 2>/dev/null; do sleep 2; done; "
            f"{' '.join(map(shlex.quote, pg_ctl))} >/dev/null 2>&1; rm -rf {shlex.quote(str(self.folder))}"
        )
        subprocess.Popen(
            ["sh", "-c", script],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop", timeout=60)
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """The SQLAlchemy URL of a PostgreSQL database for this test session (a throwaway server)."""
    external = os.environ.get("CJM_TEST_POSTGRES_URL", "").strip()
    if external:
        yield external
        return
    bin_dir = find_pg_bin()
    if bin_dir is None:
        pytest.fail(
            "PostgreSQL is not installed: `make test` installs Debian's postgresql package "
            "(or set CJM_TEST_POSTGRES_URL to an existing server)"
        )
    server = PostgresServer(bin_dir)
    try:
        server.start()
    except BaseException:
        server.stop()
        raise
    try:
        yield server.url
    finally:
        server.stop()


def _admin(url: str):
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    return create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)


@contextlib.contextmanager
def pg_schema_url(base_url: str) -> Iterator[str]:
    """A URL whose tables live in a new, empty schema of ``base_url``'s database; dropped on exit.

    Stores on that URL see only that schema (``search_path``), so each test starts from nothing.
    """
    from sqlalchemy import text

    schema = f"t{os.getpid()}_{next(_schema_numbers)}"
    engine = _admin(base_url)
    with engine.connect() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    sep = "&" if "?" in base_url else "?"
    try:
        yield f"{base_url}{sep}options={quote(f'-csearch_path={schema}')}"
    finally:
        with engine.connect() as conn:
            # A connection a test left open must not block the drop for long; the server is throwaway.
            conn.execute(text("SET lock_timeout = '5s'"))
            with contextlib.suppress(Exception):
                conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        engine.dispose()


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path) -> Iterator[str]:
    """A URL of an empty database: a SQLite file, then (second run) a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'cjm.db'}"
        return
    with pg_schema_url(request.getfixturevalue("postgres_url")) as url:
        yield url
