from celery import shared_task

from criteria.models import Year
from parindex.jobs import job_run

from .services import results_compute


@shared_task(acks_late=True, reject_on_worker_lost=True)
def compute_results_task(job_id: int) -> None:
    """Recompute a year's results. Idempotent: a rerun replaces the same rows."""

    def work(job):
        year = Year.objects.get(year=job.year)
        computation = results_compute(year=year, job=job)
        return f"Đã tính chỉ số năm {year.year} lúc {computation.computed_at:%H:%M %d/%m/%Y}."

    job_run(job_id, work)
