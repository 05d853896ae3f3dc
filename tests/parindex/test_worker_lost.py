"""A compute job survives the worker being killed mid-run (acks_late, reject_on_worker_lost).

To catch the job while it runs, another connection holds the year's stored results
`FOR UPDATE`: the job blocks on them inside its transaction, after reporting done == total.
"""

import os
import signal
import time

import pytest

from appraisal.jobs import compute_start, job_wait
from appraisal.models import Computation, UnitResult
from appraisal.services.compute import results_compute
from kernel.models import Job

from .conftest import locks_held, wait_for
from .years import build_year

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

JOB_TIMEOUT = 60
VISIBILITY_TIMEOUT = 2


def stored_results_locked(year):
    """Yields (set of backends waiting on a lock, release)."""
    return locks_held(
        (f"SELECT id FROM {Computation._meta.db_table} WHERE year_id = %s FOR UPDATE", [year.pk])
    )


def running_compute_job(year, waiting) -> tuple[Job, set[int]]:
    job = compute_start(year=year)
    blocked = wait_for(waiting, "the job to reach the stored results")
    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING
    assert job.done == job.total == 5
    return job, blocked


def assert_computed_once(job: Job, year) -> None:
    job = job_wait(job, timeout=JOB_TIMEOUT)
    assert job.status == Job.Status.DONE, job.message
    assert job.done == job.total == 5
    assert Computation.objects.filter(year=year).count() == 1
    assert UnitResult.objects.filter(computation__year=year).count() == 5


def test_job_of_a_killed_pool_process_is_requeued_and_finishes(start_worker):
    year = build_year(2022)
    results_compute(year=year)
    worker = start_worker(pool="prefork")

    with stored_results_locked(year) as (waiting, release):
        job, first_run = running_compute_job(year, waiting)
        [task] = wait_for(worker.active_tasks, "the worker to report its running task")
        os.kill(task["worker_pid"], signal.SIGKILL)

        wait_for(lambda: waiting() - first_run, "the requeued job to run again")
        release()

    assert_computed_once(job, year)


def test_job_of_a_worker_killed_outright_runs_on_the_next_worker(start_worker):
    year = build_year(2022)
    results_compute(year=year)
    env = {"CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT)}
    first = start_worker(env=env)

    with stored_results_locked(year) as (waiting, _release):
        job, _ = running_compute_job(year, waiting)
        first.kill()
    # Nobody acknowledged nor rejected the message: Redis holds it back until the
    # visibility timeout has passed, then the next worker takes it at start-up.
    time.sleep(VISIBILITY_TIMEOUT + 0.5)
    start_worker(env=env)

    assert_computed_once(job, year)
