"""Job rows: created first, then the Celery task gets the id and reports progress on it."""

from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as KombuOperationalError
from redis.exceptions import ConnectionError as RedisConnectionError

from .models import Job


def job_create(*, kind: str, year: int | None = None, created_by=None) -> Job:
    return Job.objects.create(kind=kind, year=year, created_by=created_by)


BROKER_DOWN = (
    "Hàng đợi tác vụ (Redis) không hoạt động: tác vụ chưa được chạy. "
    "Dữ liệu không thay đổi; vui lòng thử lại sau hoặc báo quản trị hệ thống."
)


def job_enqueue(job: Job, task) -> Job:
    """Send the task once the job row is committed (runs at once in autocommit).

    If the broker cannot take it, the job is marked failed with a clear message rather
    than left pending for ever: nothing is lost silently.
    """

    def send() -> None:
        try:
            task.delay(job.pk)
        except (KombuOperationalError, RedisConnectionError, OSError):
            job.status = Job.Status.FAILED
            job.message = BROKER_DOWN
            job.errors = [BROKER_DOWN]
            job.finished_at = timezone.now()
            job.save(update_fields=["status", "message", "errors", "finished_at"])

    transaction.on_commit(send)
    return job


def job_progress(job: Job, done: int, total: int | None = None, message: str = "") -> None:
    job.done = done
    if total is not None:
        job.total = total
    if message:
        job.message = message
    Job.objects.filter(pk=job.pk).update(done=job.done, total=job.total, message=job.message)


def job_run(job_id: int, work: Callable[[Job], str]) -> Job:
    """Run `work(job)`, recording start, end and any failure on the job row.

    `work` returns the closing message. Its own writes are its business (one
    transaction); a failure leaves them rolled back and the job marked failed.
    """
    job = Job.objects.get(pk=job_id)
    job.status = Job.Status.RUNNING
    job.started_at = timezone.now()
    job.errors = []
    job.save(update_fields=["status", "started_at", "errors"])
    try:
        message = work(job)
    except Exception as error:  # noqa: BLE001 - recorded for the user, then re-raised
        job.status = Job.Status.FAILED
        messages = getattr(error, "messages", None) or [str(error) or error.__class__.__name__]
        job.message = "; ".join(messages)
        job.errors = messages
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "message", "errors", "finished_at"])
        raise
    job.status = Job.Status.DONE
    job.message = message
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "message", "done", "total", "finished_at"])
    return job
