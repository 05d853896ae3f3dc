"""Job rows: created first, then the Celery task gets the id and reports progress on it."""

from collections.abc import Callable
from datetime import timedelta

from celery import Task, current_app
from django.conf import settings
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


def task_named(name: str) -> Task:
    """The Celery task registered as `name`, e.g. `"reports.tasks.render_set_task"`.

    A service enqueues its task by name so that it need not import the tasks module,
    which imports the service. The tasks modules are imported on first use (Celery's
    autodiscovery): a web process has not imported them yet.
    """
    if name not in current_app.tasks:
        current_app.loader.import_default_modules()
    return current_app.tasks[name]


def job_enqueue(job: Job, task: Task | str) -> Job:
    """Send the task (or the task of that name) once the job row is committed (runs at
    once in autocommit).

    If the broker cannot take it, the job is marked failed with a clear message rather
    than left pending for ever: nothing is lost silently.
    """
    if isinstance(task, str):
        task = task_named(task)

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


def job_claim(job_id: int) -> Job | None:
    """The job, marked running, if this run of it may go ahead; None once it is closed.

    A job runs again when its message is redelivered (a killed worker, acks_late), but
    not once it is closed: done already, or given up as lost (`job_fail_stale`), which
    the user has been told to run again. Claiming it is one UPDATE, so a redelivery and
    the sweep cannot both win.
    """
    claimed = Job.objects.filter(
        pk=job_id, status__in=[Job.Status.PENDING, Job.Status.RUNNING]
    ).update(status=Job.Status.RUNNING, started_at=timezone.now(), finished_at=None, errors=[])
    return Job.objects.get(pk=job_id) if claimed else None


def job_fail(job: Job, error: Exception) -> None:
    """Close the job as failed, with the error's messages for the user to read."""
    messages = getattr(error, "messages", None) or [str(error) or type(error).__name__]
    job.status = Job.Status.FAILED
    job.message = "; ".join(messages)
    job.errors = messages
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "message", "errors", "finished_at"])


def job_run(job_id: int, work: Callable[[Job], str]) -> Job:
    """Claim the job (`job_claim`), run `work(job)` and close the job with the message
    `work` returns, or as failed with the error it raises (re-raised).

    Its own writes are `work`'s business (one transaction); a failure leaves them rolled
    back and the job marked failed. A job closed already is returned as it is.
    """
    job = job_claim(job_id)
    if job is None:
        return Job.objects.get(pk=job_id)
    try:
        message = work(job)
    except Exception as error:  # noqa: BLE001 - recorded for the user, then re-raised
        job_fail(job, error)
        raise
    job.status = Job.Status.DONE
    job.message = message
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "message", "done", "total", "finished_at"])
    return job


JOB_LOST = (
    "Tác vụ bị gián đoạn: tiến trình xử lý đã dừng giữa chừng và tác vụ không được chạy "
    "lại. Phần việc dở dang đã được hủy, không có dữ liệu nào bị ghi dở; vui lòng chạy lại."
)
# After the visibility timeout a live worker takes a killed job's message back within
# about 100 s (kombu's restore sweep) and the job starts afresh; this covers that and a
# short wait in the queue. Giving up too early costs only a retry: the late run is skipped.
STALE_GRACE = timedelta(minutes=5)


def job_stale_after() -> timedelta:
    """How long a job may stay running before it is taken as lost.

    No job may run longer than the broker's visibility timeout (Redis would hand it to a
    second worker meanwhile), so a job running for longer has a dead worker and either
    started again already or never will.
    """
    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", None) or {}
    return timedelta(seconds=options.get("visibility_timeout", 3600)) + STALE_GRACE


def job_fail_stale(*, kind: str | None = None) -> int:
    """Mark failed, with `JOB_LOST`, the running jobs whose worker was killed and whose
    message was never redelivered (Redis lost it, nobody restarted a worker…).

    Called where their pages are read. Returns how many were given up.
    """
    now = timezone.now()
    jobs = Job.objects.filter(status=Job.Status.RUNNING, started_at__lt=now - job_stale_after())
    if kind is not None:
        jobs = jobs.filter(kind=kind)
    return jobs.update(
        status=Job.Status.FAILED, message=JOB_LOST, errors=[JOB_LOST], finished_at=now
    )
