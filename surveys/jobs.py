"""Starting the ballot upload jobs: the check (dry run) and the import. A task imports the
service it runs (surveys.tasks → surveys.uploads); starting it lives here, beside neither."""

from django.core.exceptions import ValidationError

from criteria.phase import year_refuse_if_frozen
from kernel.jobs import job_create, job_enqueue
from kernel.models import Job

from .models import BallotUpload
from .tasks import ballot_upload_check_task, ballot_upload_import_task


def ballot_upload_start_check(*, upload: BallotUpload, by=None) -> Job:
    """Queue the dry run (a Celery job once the upload row is committed)."""
    job = job_create(kind=Job.Kind.IMPORT_BALLOTS, year=upload.year.year, created_by=by)
    BallotUpload.objects.filter(pk=upload.pk).update(job=job)
    upload.job = job
    return job_enqueue(job, ballot_upload_check_task)


def ballot_upload_start_import(*, upload: BallotUpload, by=None) -> Job:
    """Queue the import of a checked upload (the officer confirmed)."""
    year_refuse_if_frozen(upload.year)
    job = job_create(kind=Job.Kind.IMPORT_BALLOTS, year=upload.year.year, created_by=by)
    # One confirmation wins: a second click finds the upload no longer CHECKED.
    claimed = BallotUpload.objects.filter(pk=upload.pk, status=BallotUpload.Status.CHECKED).update(
        job=job, status=BallotUpload.Status.IMPORTING
    )
    if not claimed:
        job.delete()
        upload.refresh_from_db()
        raise ValidationError(
            f"Chỉ nhập được tệp đã kiểm tra hợp lệ (trạng thái: {upload.get_status_display()})."
        )
    upload.job, upload.status = job, BallotUpload.Status.IMPORTING
    return job_enqueue(job, ballot_upload_import_task)
