"""One Streamlit server and one Chromium per test session; a fresh browser context per test."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.e2e.helpers import wait_for_app

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def e2e_data_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("e2e-data")


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(
    data_dir: Path,
    log_path: Path,
    database_url: str | None = None,
    *,
    port: int | None = None,
    secrets_file: Path | None = None,
):
    """A Streamlit server for app.py on a free loopback port, in its own process group; yields its URL.

    Its maps are in SQLite in ``data_dir``, or in ``database_url`` when given (e.g. PostgreSQL);
    ``secrets_file`` is its ``.streamlit/secrets.toml`` (e.g. an identity provider's settings)."""
    port = port or free_port()
    log = open(log_path, "w")  # noqa: SIM115 - closed below
    env = dict(os.environ, CJM_DATA_DIR=str(data_dir))
    env.pop("CJM_DATABASE_URL", None)
    if database_url:
        env["CJM_DATABASE_URL"] = database_url
    proc = subprocess.Popen(
        [
            sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
            "--server.headless=true", "--server.address=127.0.0.1", f"--server.port={port}",
            "--browser.gatherUsageStats=false", "--server.fileWatcherType=none", "--global.developmentMode=false",
            *([f"--secrets.files={secrets_file}"] if secrets_file else []),
        ],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, env=env,
    )  # fmt: skip
    url, deadline = f"http://127.0.0.1:{port}", time.monotonic() + 90
    try:
        while True:
            try:
                if urllib.request.urlopen(url + "/_stcore/health", timeout=1).read() == b"ok":
                    break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"streamlit did not start; see {log_path}")
            time.sleep(0.2)
        yield url
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()


@pytest.fixture(scope="session")
def st_server(tmp_path_factory, e2e_data_dir):
    with streamlit_server(e2e_data_dir, tmp_path_factory.mktemp("st") / "server.log") as url:
        yield url


@pytest.fixture(scope="module")
def fresh_server(tmp_path_factory):
    """A server of the test module's own over an empty database, as on a new install (the sample
    maps are seeded on its first page load); yields ``(url, data folder)``."""
    data = tmp_path_factory.mktemp("fresh-data")
    with streamlit_server(data, tmp_path_factory.mktemp("fresh-log") / "server.log") as url:
        yield url, data


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("chromium missing: apt-get install -y chromium")
        pytest.skip("chromium missing: apt-get install -y chromium (make test does it)")
    from playwright.sync_api import expect, sync_playwright

    # Charts can take several seconds to settle on a busy 2-core machine; assertions retry this long.
    expect.set_options(timeout=30_000)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def new_page(browser, st_server):
    """``new_page(path="")`` → a page in a fresh context (a fresh Streamlit session), app loaded."""
    contexts = []

    def _new(path: str = ""):
        ctx = browser.new_context(viewport={"width": 1280, "height": 1000}, accept_downloads=True)
        contexts.append(ctx)
        pg = ctx.new_page()
        pg.set_default_timeout(20_000)
        pg.goto(st_server + "/" + path.lstrip("/"))
        wait_for_app(pg)
        return pg

    yield _new
    for ctx in contexts:
        ctx.close()


@pytest.fixture
def page(new_page):
    return new_page()
