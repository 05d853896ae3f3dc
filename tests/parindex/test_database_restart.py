"""PostgreSQL restarted during a burst of requests (issue 6): the app recovers by itself.

gunicorn (DEBUG off) serves officers opening leaves, saving scores and looking at their tree
while the cluster restarts under it. Requests fail while the database is away, with the
500 page and no traceback; afterwards the same gunicorn processes serve again without being
restarted (CONN_HEALTH_CHECKS drops the dead connection), no acknowledged save is lost, and
the Celery worker runs a job again. This restarts the machine's PostgreSQL cluster: every
other client of it sees its connections dropped once.
"""

import asyncio
import os
import random
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import close_old_connections, connection

from appraisal.jobs import compute_start, job_wait
from bench import deadline_load
from kernel.models import Job

from .conftest import run_async
from .servers import gunicorn_server  # noqa: F401
from .years import build_year

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

USERS = 8
BEFORE = 3.0  # seconds of burst before the restart
RECOVERY = 30.0  # every officer served again within this after PostgreSQL is back
AFTER = 2.0  # seconds of burst once every officer is served again
PG_TIMEOUT = 60
LEAKS = ("Traceback", "OperationalError", "psycopg", 'File "/', "django.db")


def cluster() -> list[str]:
    """`pg_ctlcluster` arguments for this machine's cluster, or skip."""
    versions = sorted(Path("/etc/postgresql").glob("*/main"))
    host = settings.DATABASES["default"].get("HOST") or "127.0.0.1"
    local = host in {"127.0.0.1", "localhost"} and os.geteuid() == 0
    if not (versions and shutil.which("pg_ctlcluster") and local):
        pytest.skip("needs root, the local PostgreSQL cluster and pg_ctlcluster to restart it")
    return ["pg_ctlcluster", "--skip-systemctl-redirect", versions[-1].parent.name, "main"]


def pg_ready() -> bool:
    port = str(settings.DATABASES["default"].get("PORT") or 5432)
    probe = subprocess.run(["pg_isready", "-h", "127.0.0.1", "-p", port, "-q"], check=False)
    return probe.returncode == 0


def pg_wait() -> bool:
    deadline = time.monotonic() + PG_TIMEOUT
    while not pg_ready():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


def pg_restart(command: list[str]) -> tuple[float, float]:
    """Restart the cluster; returns when it went down and when it answered again."""
    went_down = time.time()
    subprocess.run([*command, "restart"], check=True, timeout=PG_TIMEOUT, capture_output=True)
    assert pg_wait(), "PostgreSQL did not come back"
    return went_down, time.time()


def served_since(log: deadline_load.Log, user: str, since: float) -> bool:
    """A page and an acknowledged save for `user`, both sent after `since`."""
    pages = any(
        r.user == user and r.endpoint in {"leaf page", "tree"} and r.status == 200 and r.at > since
        for r in log.requests
    )
    saves = any(w.user == user and w.outcome == "saved" and w.sent_at > since for w in log.writes)
    return pages and saves


async def burst_across_restart(url, scenario, command) -> tuple[deadline_load.Log, float, float]:
    log = deadline_load.Log()
    browsers = await deadline_load.logins(url, scenario, log)
    stop = asyncio.Event()

    async def officer(n: int, browser: deadline_load.Browser) -> None:
        rng = random.Random(n)
        while not stop.is_set():
            leaf = rng.choice(browser.account.leaves)
            await browser.open_leaf(leaf)
            await browser.save(leaf, rng, "restart")
            await browser.tree()
            await asyncio.sleep(rng.uniform(0.05, 0.2))

    tasks = [asyncio.create_task(officer(n, b)) for n, b in enumerate(browsers)]
    try:
        await asyncio.sleep(BEFORE)
        went_down, back = await asyncio.to_thread(pg_restart, command)
        users = [b.account.username for b in browsers]
        while time.time() < back + RECOVERY:
            last_error = max((r.at for r in log.requests if r.status >= 500), default=back)
            if all(served_since(log, user, max(last_error, back)) for user in users):
                break
            await asyncio.sleep(0.5)
        await asyncio.sleep(AFTER)
    finally:
        stop.set()
        await asyncio.gather(*tasks)
        await asyncio.gather(*(b.close() for b in browsers))
    return log, went_down, back


def test_postgresql_restart_during_a_burst_the_same_processes_serve_again(
    celery_worker,
    gunicorn_server,  # noqa: F811
):
    command = cluster()
    scenario = deadline_load.scenario_build(users=USERS)
    year = build_year(2022)
    processes = {gunicorn_server.pid, *gunicorn_server.worker_pids()}
    assert len(processes) == gunicorn_server.workers + 1
    try:
        log, went_down, back = run_async(
            burst_across_restart(gunicorn_server.url, scenario, command)
        )
    finally:
        if not pg_ready():
            subprocess.run([*command, "start"], check=False, timeout=PG_TIMEOUT)
            pg_wait()
    # This process's own connection died with the server: the health check replaces it,
    # as Django does at the start of each request.
    close_old_connections()
    report = deadline_load.load_check(log)
    print(f"\nPostgreSQL down at +0 s, back after {back - went_down:.1f} s\n{report.table()}")

    assert {gunicorn_server.pid, *gunicorn_server.worker_pids()} == processes
    assert gunicorn_server.process.poll() is None
    failed = [r for r in log.requests if r.status not in (200, 302)]
    assert failed, "the restart went unnoticed: no request failed"
    assert {r.status for r in failed} <= {500, 502, 503}, "only server errors, no transport error"
    # Sent while the database was away (or just before, still in flight when it went).
    assert all(went_down - 2 <= r.at <= back + RECOVERY for r in failed)
    assert not [r.body for r in failed if any(leak in r.body for leak in LEAKS)]
    users = {account.username for account in scenario.accounts}
    last_error = max(r.at for r in failed)
    assert {u for u in users if served_since(log, u, last_error)} == users
    assert report.lost_writes == []
    assert sum(w.outcome == "saved" and w.sent_at > back for w in log.writes) >= USERS
    assert {w.outcome for w in log.writes} <= {"saved", "error"}
    assert "Traceback" in gunicorn_server.log()  # the errors went to the log, not to users

    job = job_wait(compute_start(year=year), timeout=60)
    assert job.status == Job.Status.DONE, job.message
    assert celery_worker.process.poll() is None
    assert connection.is_usable()
