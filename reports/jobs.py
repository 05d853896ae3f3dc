"""A year's documents as one job: a parent Job row counts the per-document jobs done."""

from __future__ import annotations

from celery import group
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Least
from django.utils import timezone

from appraisal.models import Computation
from criteria.models import Year
from kernel.jobs import job_claim, job_create, job_enqueue, job_fail, task_named
from kernel.models import Job

from .data import computation_of
from .models import RenderedFile
from .services import bundle_refresh, stale_specs


def render_start(*, year: Year, by=None) -> Job:
    """Queue the rendering of a year's documents; refuses a year with no results."""
    computation_of(year)
    job = job_create(kind=Job.Kind.RENDER, year=year.year, created_by=by)
    return job_enqueue(job, "reports.tasks.render_set_task")


def render_set_dispatch(job_id: int) -> None:
    """Count the documents, then send one task per stale one (they run in parallel on
    the workers; in-process, one after the other). The last to finish closes the job."""
    job = job_claim(job_id)
    if job is None:
        return
    try:
        year = Year.objects.get(year=job.year)
        specs, stale = stale_specs(year)
    except Exception as error:
        job_fail(job, error)
        raise
    job.total = len(specs)
    job.done = len(specs) - len(stale)
    job.message = f"Kết xuất {len(stale)} tài liệu; {job.done} tài liệu không đổi được dùng lại."
    job.save(update_fields=["total", "done", "message"])
    if not stale:
        render_set_finish(job.pk)
        return
    document_task = task_named("reports.tasks.render_document_task")
    tasks = group(document_task.si(job.pk, year.pk, spec.kind, spec.key) for spec in stale)
    transaction.on_commit(tasks.apply_async)


def render_set_advance(job_id: int, error: str | None = None) -> None:
    """One document done (or failed); the one that completes the count closes the job."""
    with transaction.atomic():
        # Write before reading: the row lock (PostgreSQL) or the database's write lock
        # (SQLite, where a read-then-write transaction fails at once under contention).
        Job.objects.filter(pk=job_id).update(done=Least(F("done") + 1, F("total")))
        job = Job.objects.select_for_update().get(pk=job_id)
        if error:
            job.errors = [*job.errors, error]
            job.save(update_fields=["errors"])
        last = job.done >= job.total
    if last:
        render_set_finish(job_id)


def revision_documents_mark(year: Year, bundle: RenderedFile) -> None:
    """A published revision whose whole bundle is stored has its documents: from then on a
    correction may change the scores they were printed from (DOMAIN §9)."""
    Computation.objects.published().filter(
        year=year,
        revision=bundle.revision,
        fingerprint=bundle.fingerprint,
        documents_rendered_at__isnull=True,
    ).update(documents_rendered_at=timezone.now())


def render_set_finish(job_id: int) -> None:
    # Only one caller wins the right to close the job; it stays running until the zip is made.
    claimed = Job.objects.filter(
        pk=job_id, status=Job.Status.RUNNING, finished_at__isnull=True
    ).update(finished_at=timezone.now())
    if not claimed:
        return
    job = Job.objects.get(pk=job_id)
    job.status = Job.Status.DONE
    if job.errors:
        job.status = Job.Status.FAILED
        job.message = f"{len(job.errors)} tài liệu lỗi: " + "; ".join(job.errors[:5])
    else:
        try:
            year = Year.objects.get(year=job.year)
            bundle, _fresh = bundle_refresh(year=year)
            revision_documents_mark(year, bundle)
            fresh = RenderedFile.objects.filter(
                year=year,
                revision=bundle.revision,
                rendered_at__gte=job.started_at or job.created_at,
            ).exclude(kind=RenderedFile.Kind.BUNDLE)
            job.message = (
                f"Đủ {job.total} tài liệu năm {job.year}: {fresh.count()} tài liệu kết xuất "
                "mới, còn lại không thay đổi."
            )
        except Exception as error:  # noqa: BLE001 - the user reads it on the job row
            job.status = Job.Status.FAILED
            job.message = f"Không đóng gói được tệp ZIP: {error}"
            job.errors = [job.message]
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "message", "errors", "finished_at"])
