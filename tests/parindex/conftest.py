"""A real Celery worker process for the tests marked `worker` (PostgreSQL + Redis only)."""

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.conf import settings

from bench.servers import STOP_TIMEOUT, ChildProcess
from parindex.celery import app as celery_app

REPO = Path(__file__).resolve().parents[2]
START_TIMEOUT = 30


def worker_skip_reason() -> str | None:
    if not settings.REDIS_URL:
        return "needs REDIS_URL (e.g. redis://127.0.0.1:6379/15) for a real Celery worker"
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        return "needs DATABASE_URL=postgres://…: the worker process shares the test database"
    return None


def worker_database_url() -> str:
    """The database pytest-django created (`test_…`), for the worker process."""
    db = settings.DATABASES["default"]
    credentials = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{credentials}@{host}:{port}/{quote(db['NAME'], safe='')}"


def broker_purge() -> None:
    """Empty the queue and forget messages a killed worker left unacknowledged."""
    celery_app.control.purge()
    with celery_app.connection_for_write() as connection:
        connection.default_channel.client.delete("unacked", "unacked_index", "unacked_mutex")


def celery_command() -> list[str]:
    script = Path(sys.executable).with_name("celery")
    return [str(script)] if script.exists() else [sys.executable, "-m", "celery"]


class Worker(ChildProcess):
    """`celery -A parindex worker` in a subprocess, pointed at the test database."""

    def __init__(self, log_dir: Path, *, pool: str = "solo", env: dict | None = None):
        self.name = f"parindex-test-{uuid.uuid4().hex[:8]}@localhost"
        self.pool = pool
        self.log_path = log_dir / f"{self.name.split('@')[0]}.log"
        self.extra_env = env or {}
        self.process: subprocess.Popen | None = None

    def start(self) -> "Worker":
        env = {
            **os.environ,
            "DATABASE_URL": worker_database_url(),
            "REDIS_URL": settings.REDIS_URL,
            "PARINDEX_TESTING": "1",
            **self.extra_env,
        }
        command = [
            *celery_command(),
            "-A",
            "parindex",
            "worker",
            f"--pool={self.pool}",
            "--concurrency=1",
            "-l",
            "warning",
            "-n",
            self.name,
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ]
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + START_TIMEOUT
        while not celery_app.control.ping(destination=[self.name], timeout=0.5):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"Celery worker did not start:\n{self.log()}")
        return self

    def active_tasks(self) -> list[dict]:
        replies = celery_app.control.inspect([self.name], timeout=1).active() or {}
        return replies.get(self.name, [])

    def kill(self) -> None:
        """SIGKILL the whole worker: no warm shutdown, nothing acknowledged or rejected."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=STOP_TIMEOUT)


@pytest.fixture(scope="module")
def worker_broker(django_db_setup):
    """Skips without PostgreSQL + Redis; sends tasks to the broker instead of running them."""
    reason = worker_skip_reason()
    if reason:
        pytest.skip(reason)
    broker_purge()
    yield
    broker_purge()


@pytest.fixture(scope="module")
def celery_worker(worker_broker, tmp_path_factory):
    """One solo worker for a test module (a test switches eager mode off via its marker)."""
    worker = Worker(tmp_path_factory.mktemp("celery")).start()
    yield worker
    worker.stop()


@pytest.fixture
def start_worker(worker_broker, tmp_path):
    """Start workers of one's own (e.g. to kill them); every one is stopped afterwards."""
    workers: list[Worker] = []

    def start(**kwargs) -> Worker:
        workers.append(Worker(tmp_path, **kwargs).start())
        return workers[-1]

    yield start
    for worker in workers:
        worker.stop()
    broker_purge()


def wait_for(condition, what: str, timeout: float = 30):
    """Poll `condition` until it returns something truthy, which is returned."""
    deadline = time.monotonic() + timeout
    while not (value := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)
    return value


@contextmanager
def locks_held(*statements: tuple[str, list]):
    """Run `statements` in a transaction of a second connection and keep it open, so a
    job touching the same rows blocks there and can be caught mid-run.

    Yields (waiting, release): `waiting()` is the set of backends of the test database
    waiting on a lock; `release()` rolls the statements back. On leaving, once released,
    waits for every blocked backend to go on: a killed worker's backend ends once it gets
    its lock and finds no client (rolling back, or committing if it was in COMMIT).
    """
    url = worker_database_url()
    with psycopg.connect(url, autocommit=True) as monitor, psycopg.connect(url) as holder:
        for sql, params in statements:
            holder.execute(sql, params)

        def waiting() -> set[int]:
            rows = monitor.execute(
                "SELECT pid FROM pg_stat_activity"
                " WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            return {pid for (pid,) in rows}

        yield waiting, holder.rollback
        holder.rollback()
        wait_for(lambda: not waiting(), "blocked backends to finish")


def broker_idle() -> bool:
    """No message waits in the queue and none is delivered but unacknowledged."""
    with celery_app.connection_for_write() as connection:
        client = connection.default_channel.client
        return not client.llen("celery") and not client.hlen("unacked")


def run_async(coroutine):
    """`asyncio.run` in a thread of its own: the browser tests' Playwright (sync API) keeps
    an event loop running in the main thread for the whole session."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
