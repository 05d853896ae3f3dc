from celery import shared_task
from django.core.exceptions import ValidationError

from kernel.jobs import job_run

from .models import BallotUpload
from .uploads import ballot_upload_check, ballot_upload_import


# Both are idempotent (the check restarts its staging, an imported upload is left alone),
# so a killed worker's task may run again: acks_late with reject_on_worker_lost.
@shared_task(acks_late=True, reject_on_worker_lost=True, throws=(ValidationError,))
def ballot_upload_check_task(job_id: int) -> None:
    def work(job):
        upload = ballot_upload_check(upload=BallotUpload.objects.get(job_id=job.pk), job=job)
        if upload.status == BallotUpload.Status.REJECTED:
            return f"Tệp có {upload.error_count} lỗi: không thể nhập."
        notes = "".join(f" ({note})" for note in upload.counts.get("notes", []))
        return f"Tệp hợp lệ: {upload.answers} câu trả lời, {upload.ballots} phiếu.{notes}"

    job_run(job_id, work)


@shared_task(acks_late=True, reject_on_worker_lost=True, throws=(ValidationError,))
def ballot_upload_import_task(job_id: int) -> None:
    def work(job):
        upload = ballot_upload_import(upload=BallotUpload.objects.get(job_id=job.pk), job=job)
        return f"Đã nhập {upload.answers} câu trả lời ({upload.ballots} phiếu)."

    job_run(job_id, work)
