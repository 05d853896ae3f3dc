"""A job is claimed once, failed with its reasons, and sent by its task's name."""

import pytest
from django.core.exceptions import ValidationError
from kombu.exceptions import OperationalError

from kernel.jobs import BROKER_DOWN, JOB_LOST, job_claim, job_enqueue, job_run, task_named
from kernel.models import Job

pytestmark = pytest.mark.django_db

COMPUTE_TASK = "appraisal.tasks.compute_results_task"


def a_job(**fields) -> Job:
    return Job.objects.create(kind=Job.Kind.COMPUTE, year=2022, **fields)


def test_a_task_is_found_by_its_name():
    task = task_named("reports.tasks.render_set_task")
    assert task.name == "reports.tasks.render_set_task" and task.run.__doc__.startswith("Find")


def test_an_unknown_task_name_is_refused_before_anything_is_sent():
    with pytest.raises(KeyError):
        job_enqueue(a_job(), "reports.tasks.no_such_task")


def test_a_job_sent_by_name_to_a_broker_that_is_down_is_failed_with_broker_down(
    monkeypatch, django_capture_on_commit_callbacks
):
    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6399. Connection refused.")

    monkeypatch.setattr(task_named(COMPUTE_TASK), "delay", broker_down)
    job = a_job()
    with django_capture_on_commit_callbacks(execute=True):
        job_enqueue(job, COMPUTE_TASK)

    job.refresh_from_db()
    assert (job.status, job.message, job.errors) == (Job.Status.FAILED, BROKER_DOWN, [BROKER_DOWN])


@pytest.mark.parametrize("status", [Job.Status.PENDING, Job.Status.RUNNING])
def test_an_open_job_is_claimed_as_running_afresh(status):
    job = a_job(status=status, errors=["from an earlier run"])

    claimed = job_claim(job.pk)

    assert claimed.status == Job.Status.RUNNING and claimed.started_at is not None
    assert claimed.errors == [] and claimed.finished_at is None


@pytest.mark.parametrize("status", [Job.Status.DONE, Job.Status.FAILED])
def test_a_closed_job_is_not_claimed_again(status):
    job = a_job(status=status, message=JOB_LOST)

    assert job_claim(job.pk) is None
    job.refresh_from_db()
    assert (job.status, job.message, job.started_at) == (status, JOB_LOST, None)


def test_a_failed_run_records_every_message_and_raises_again():
    job = a_job()

    def work(job):
        raise ValidationError(["Dòng 2: thiếu mã.", "Dòng 3: điểm âm."])

    with pytest.raises(ValidationError):
        job_run(job.pk, work)

    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.finished_at is not None
    assert job.message == "Dòng 2: thiếu mã.; Dòng 3: điểm âm."
    assert job.errors == ["Dòng 2: thiếu mã.", "Dòng 3: điểm âm."]


def test_a_run_closes_its_job_with_the_message_of_its_work():
    job = a_job()

    finished = job_run(job.pk, lambda job: "Đã tính chỉ số.")

    assert (finished.status, finished.message) == (Job.Status.DONE, "Đã tính chỉ số.")


def test_a_job_closed_already_is_not_run_again():
    job = a_job(status=Job.Status.FAILED, message=JOB_LOST)

    def work(job):
        raise AssertionError("a closed job must not run")

    assert job_run(job.pk, work).message == JOB_LOST
