"""The check and import jobs: progress on the Job row, all or nothing, safe to run again."""

from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kernel.models import Job
from surveys import uploads
from surveys.jobs import ballot_upload_start_check, ballot_upload_start_import
from surveys.models import Answer, Ballot, BallotUpload, StagedAnswer
from surveys.tasks import ballot_upload_check_task, ballot_upload_import_task
from surveys.uploads import ballot_upload_create

from .conftest import HEADER

pytestmark = pytest.mark.django_db(transaction=True)


def rows_file(count: int) -> SimpleUploadedFile:
    """`count` answers: ballots of two citizens' answers about A1 and A18."""
    lines = [",".join(HEADER)]
    for n in range(count):
        lines.append(f"J{n // 2:05d},nguoi_dan,{'A1' if n % 2 else 'A18'},2.1.1,{'ABCDE'[n % 5]}")
    return SimpleUploadedFile("jobs.csv", "\n".join(lines).encode())


def checked_upload(count: int = 12_000, by=None) -> BallotUpload:
    upload = ballot_upload_create(year=_year(), uploaded=rows_file(count), by=by)
    ballot_upload_start_check(upload=upload, by=by)
    upload.refresh_from_db()
    return upload


def _year():
    from criteria.models import Year

    return Year.objects.get(year=2022)


def test_check_job_reports_progress_on_its_row(year, home_affairs):
    progress = []
    original = uploads.job_progress

    def spy(job, done, total=None, message=""):
        progress.append((done, total))
        original(job, done, total, message)

    with mock.patch.object(uploads, "job_progress", spy):
        upload = checked_upload(12_000, by=home_affairs)
    job = upload.job
    assert upload.status == BallotUpload.Status.CHECKED
    assert (job.kind, job.year, job.status) == (Job.Kind.IMPORT_BALLOTS, 2022, Job.Status.DONE)
    assert (job.done, job.total) == (12_000, 12_000)
    assert job.message == "Tệp hợp lệ: 12000 câu trả lời, 6000 phiếu."
    assert progress[0] == (0, 12_000)
    assert len(progress) >= 3  # one per staged batch: a page polling the row sees it move
    assert StagedAnswer.objects.count() == 12_000


def test_import_job_writes_everything_in_one_go(year, home_affairs):
    upload = checked_upload(12_000)
    job = ballot_upload_start_import(upload=upload, by=home_affairs)
    job.refresh_from_db()
    upload.refresh_from_db()
    assert job.status == Job.Status.DONE and (job.done, job.total) == (12_000, 12_000)
    assert upload.status == BallotUpload.Status.IMPORTED
    assert Answer.objects.filter(ballot__code__startswith="J").count() == 12_000
    assert not StagedAnswer.objects.exists()


def test_a_crash_in_the_middle_leaves_nothing_and_a_retry_imports_once(year):
    upload = checked_upload(3_000)
    before = (Ballot.objects.count(), Answer.objects.count())

    real_write = uploads._write

    def write_then_die(upload):
        real_write(upload)  # ballots and answers inserted…
        raise SystemExit("worker killed")  # …then the process dies before commit

    with mock.patch.object(uploads, "_write", write_then_die):
        with pytest.raises(SystemExit):
            uploads.ballot_upload_import(upload=upload)
    assert (Ballot.objects.count(), Answer.objects.count()) == before
    upload.refresh_from_db()
    assert upload.status == BallotUpload.Status.CHECKED

    # The broker redelivers the task (acks_late): it imports once…
    job = ballot_upload_start_import(upload=upload)
    assert Answer.objects.count() == before[1] + 3_000
    # …and a duplicate delivery of the same job changes nothing.
    ballot_upload_import_task.apply(args=[job.pk]).get()
    assert Answer.objects.count() == before[1] + 3_000
    assert Ballot.objects.count() == before[0] + 1_500


def test_rerunning_the_check_restages_instead_of_duplicating(year):
    """A check whose worker died after staging runs again (redelivered while still running)."""
    upload = checked_upload(2_000)
    first_staging = set(StagedAnswer.objects.filter(upload=upload).values_list("pk", flat=True))
    Job.objects.filter(pk=upload.job_id).update(status=Job.Status.RUNNING, done=2_000)
    BallotUpload.objects.filter(pk=upload.pk).update(status=BallotUpload.Status.CHECKING)

    ballot_upload_check_task.apply(args=[upload.job_id]).get()

    upload.refresh_from_db()
    assert upload.status == BallotUpload.Status.CHECKED
    assert upload.job.status == Job.Status.DONE
    staged = set(StagedAnswer.objects.filter(upload=upload).values_list("pk", flat=True))
    assert len(staged) == 2_000
    assert staged.isdisjoint(first_staging)  # staged afresh, not added to


def test_failed_import_is_recorded_on_the_job(year):
    upload = checked_upload(100)
    from criteria.models import Year

    Year.objects.filter(pk=upload.year_id).update(status=Year.Status.PUBLISHED)
    BallotUpload.objects.filter(pk=upload.pk).update(status=BallotUpload.Status.IMPORTING)
    job = Job.objects.create(kind=Job.Kind.IMPORT_BALLOTS, year=2022)
    BallotUpload.objects.filter(pk=upload.pk).update(job=job)
    ballot_upload_import_task.apply(args=[job.pk])
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.message == "Năm 2022 đã công bố: dữ liệu của năm đã khóa, không thể thay đổi."
    assert not Answer.objects.filter(ballot__code__startswith="J").exists()
