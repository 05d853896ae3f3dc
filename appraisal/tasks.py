from celery import shared_task
from django.core.exceptions import ValidationError
from django.utils import timezone

from appraisal.services.comparisons import later_comparisons_refresh
from appraisal.services.compute import results_compute
from criteria.models import Year
from kernel.jobs import job_run


# A ValidationError is the user's to read on the job row, not a crash to log.
@shared_task(acks_late=True, reject_on_worker_lost=True, throws=(ValidationError,))
def compute_results_task(job_id: int) -> None:
    """Recompute a year's results. Idempotent: a rerun replaces the same rows."""

    def work(job):
        year = Year.objects.get(year=job.year)
        computation = results_compute(year=year, job=job)
        if computation.published_at is not None:
            # A history year arriving after later ones: their comparisons are derived data.
            later_comparisons_refresh(year)
        return f"Đã tính chỉ số năm {year.year} lúc {timezone.localtime(computation.computed_at):%H:%M %d/%m/%Y}."

    job_run(job_id, work)
