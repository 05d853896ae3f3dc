"""Starting the compute job and waiting for it, shared by the command and the council page."""

import time

from appraisal.services.compute import refuse_if_frozen
from appraisal.tasks import compute_results_task
from criteria.models import Year
from kernel.jobs import job_create, job_enqueue
from kernel.models import Job


def compute_start(*, year: Year, by=None) -> Job:
    refuse_if_frozen(year)
    job = job_create(kind=Job.Kind.COMPUTE, year=year.year, created_by=by)
    return job_enqueue(job, compute_results_task)


def job_wait(job: Job, *, timeout: float = 600, poll: float = 0.2) -> Job:
    deadline = time.monotonic() + timeout
    while True:
        job.refresh_from_db()
        if job.is_finished:
            return job
        if time.monotonic() > deadline:
            raise TimeoutError(
                f"Tác vụ {job.pk} chưa xong sau {timeout:.0f} giây (trạng thái: {job.get_status_display()})."
            )
        time.sleep(poll)
