"""The database side of issue 18: what one database refuses, validation refuses first (on SQLite and on
PostgreSQL alike); a map stored before that rule still loads; the sample maps are seeded all at once,
even when the first start is killed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import create_engine, delete, select, update

from cjm import model
from cjm.errors import ValidationError
from cjm.io import jsonio
from cjm.store import SAMPLES_DIR, Store, meta_table, versions_table

ROOT = Path(__file__).resolve().parents[2]


def small_map(map_id: str = "m1"):
    G = model.new_map("Coffee", map_id=map_id, persona={"name": "Olga"})
    a = model.add_touchpoint(G, "Order", "purchase", task="Call back", emotion=1)
    b = model.add_touchpoint(G, "Drink", "post_purchase")
    model.add_transition(G, a, b, label="then")
    return G


@pytest.fixture
def db(db_url):
    s = Store(db_url)
    yield s
    s.close()


@pytest.mark.parametrize(
    "spoil",
    [
        lambda G: G.graph.update(title="Cof\x00fee"),
        lambda G: G.graph["persona"].update(name="Ol\x00ga"),
        lambda G: G.nodes["tp-1"].update(task="call\x07back"),
        lambda G: G.nodes["tp-1"].update(comments=[{"author": "a\x00", "text": "hi", "time": ""}]),
        lambda G: G.edges["tp-1", "tp-2"].update(label="go\x00"),
    ],
)
def test_a_nul_or_control_character_is_refused_before_the_database_sees_it(db, spoil):
    G = small_map()
    spoil(G)
    with pytest.raises(ValidationError, match="cannot be stored"):
        db.create(G, author="ann")
    assert db.list_maps() == []


@pytest.mark.parametrize(("author", "note"), [("ann\x00", ""), ("ann", "note\x00"), ("ann\x1b", "x")])
def test_a_nul_in_the_author_or_note_is_refused_on_every_database(db, author, note):
    with pytest.raises(ValidationError, match="cannot be stored"):
        db.create(small_map(), author=author, note=note)
    db.create(small_map(), author="ann")
    with pytest.raises(ValidationError, match="cannot be stored"):
        db.save(small_map(), expected_version=1, author=author, note=note)
    assert db.latest_version("m1") == 1


def test_an_overlong_map_id_is_refused_by_validation_on_every_database(db):
    with pytest.raises(ValidationError, match="longer than 255"):
        db.create(small_map("x" * 256), author="ann")
    db.create(small_map("x" * 255), author="ann")
    assert [m.map_id for m in db.list_maps()] == ["x" * 255]


def test_a_map_stored_with_a_control_character_before_the_rule_still_loads_and_exports(tmp_path):
    from datetime import date

    from cjm import audit
    from cjm.io.tables import export_map

    s = Store(f"sqlite:///{tmp_path / 'old.db'}")
    s.create(small_map(), author="ann")
    data = json.loads(jsonio.dumps(small_map()))
    data["nodes"][0]["task"] = "call\x07 \x00back"
    data["graph"]["title"] = "Cof\x00fee"
    with s.writing() as conn:  # what an older cjm let SQLite take
        conn.execute(update(versions_table).values(data=json.dumps(data)))
    G = s.load("m1").graph
    assert G.graph["title"] == "Coffee" and G.nodes["tp-1"]["task"] == "call back"
    tasks = audit.task_table(audit.inventory([G]), date(2024, 1, 1))
    assert audit.tasks_xlsx(tasks).startswith(b"PK")
    for fmt in ("json", "csv", "xlsx"):
        assert export_map(G, fmt)[0]
    s.close()


# --- seeding the sample maps -------------------------------------------------------------------------

_SLOW_SEED = textwrap.dedent(
    """
    import sys, time
    from cjm import store

    original = store.Store._insert_new
    count = 0

    def slow(self, *args, **kwargs):
        global count
        original(self, *args, **kwargs)
        count += 1
        if count == 3:
            print("three samples inserted", flush=True)
            time.sleep(120)

    store.Store._insert_new = slow
    store.get_store(sys.argv[1])
    """
)


def _start(url: str) -> list[str]:
    code = (
        "import sys; from cjm import store; print(sorted(m.map_id for m in store.get_store(sys.argv[1]).list_maps()))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, url], cwd=ROOT, capture_output=True, text=True, timeout=120, check=True
    )
    return json.loads(out.stdout.strip().replace("'", '"'))


def test_kill_9_during_the_first_start_then_a_normal_start_gives_every_sample_map(db_url):
    samples = sorted(json.loads(p.read_text())["graph"]["id"] for p in SAMPLES_DIR.glob("*.json"))
    assert len(samples) >= 6  # more than the three the killed start inserts
    proc = subprocess.Popen(
        [sys.executable, "-c", _SLOW_SEED, db_url], cwd=ROOT, stdout=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        assert proc.stdout.readline().strip() == "three samples inserted"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    engine = create_engine(db_url)
    with engine.connect() as conn:  # the killed start left nothing half done
        assert conn.execute(select(meta_table.c.key).where(meta_table.c.key == "seeded_at")).first() is None
    engine.dispose()
    assert _start(db_url) == samples
    assert _start(db_url) == samples  # and a third start adds nothing


def test_a_database_left_with_only_some_samples_by_an_older_cjm_is_completed(db):
    db.seed_samples()
    every = sorted(m.map_id for m in db.list_maps())
    with db.writing() as conn:  # an older cjm killed after two samples: no mark, four missing
        conn.execute(delete(meta_table).where(meta_table.c.key == "seeded_at"))
    for map_id in every[2:]:
        db.delete(map_id)
    assert sorted(db.seed_samples()) == every[2:]
    assert sorted(m.map_id for m in db.list_maps()) == every
    db.delete(every[0])
    assert db.seed_samples() == []  # seeded now: a deleted sample stays deleted
