"""Twenty participants saving on one map at once, on SQLite and on PostgreSQL: no version lost or doubled.

A short run here (the bench, ``bench/bench_live.py``, runs a full minute and prints the latencies).
"""

from __future__ import annotations

from tests.load import check_nothing_lost, run_workshop


def test_twenty_participants_saving_on_one_map_lose_no_change_and_no_version(db_url):
    store, result = run_workshop(db_url, participants=20, seconds=3.0, think=(0.0, 0.1))
    try:
        check_nothing_lost(store, result)
        assert len({s.participant for s in result.saves}) > 1
        assert any(s.merged for s in result.saves)  # they really saved on top of each other
    finally:
        store.close()
