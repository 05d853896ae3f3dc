"""Deadline load (issue 6): 50 officers through gunicorn + PostgreSQL, then the deadline.

The scenario is bench/deadline_load.py's, run against the test database with a real Celery
worker beside gunicorn. Correctness only: zero 5xx, zero lost writes, the deadline kept to
the instant. Latency is printed here and judged by the benchmark (`make bench`).
"""

import pytest

from bench import deadline_load

from .conftest import run_async
from .servers import gunicorn_server  # noqa: F401

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_fifty_officers_until_the_deadline_lose_nothing_and_the_deadline_holds(
    celery_worker,
    gunicorn_server,  # noqa: F811
):
    scenario = deadline_load.scenario_build(users=deadline_load.USERS)

    log = run_async(deadline_load.load_run(gunicorn_server.url, scenario))
    report = deadline_load.load_check(log, media_root=gunicorn_server.media_root)

    print(f"\n{report.table()}")
    assert report.server_errors == 0, gunicorn_server.log()[-5000:]
    assert report.errors == []
    assert report.lost_writes == []
    assert report.deadline_violations == []
    saves = [w for w in log.writes if w.kind == "save"]
    burst = [w for w in saves if w.phase == "deadline"]
    # The burst straddles the deadline: saves answered before it, saves sent after it.
    assert len(burst) == deadline_load.DEADLINE_USERS * deadline_load.BURST_SAVES
    assert any(w.outcome == "saved" and w.received_at < log.deadline for w in burst)
    assert any(w.outcome == "late" and w.sent_at >= log.deadline for w in burst)
    assert {w.outcome for w in saves} <= {"saved", "late"}
    uploads = [w for w in log.writes if w.kind == "upload"]
    assert any(w.outcome == "saved" for w in uploads)
    assert {w.outcome for w in uploads} <= {"saved", "late"}
    assert gunicorn_server.process.poll() is None
