"""A ballot import and a report render survive the worker being killed mid-job.

Import: the job is caught inside its transaction by a second connection (`locks_held`).
An uncommitted ballot holding one of the file's codes makes the job's INSERT wait, after it
has deleted the year's ballots (replace mode); a lock on the year's units makes its COMMIT
wait (PostgreSQL checks Django's foreign keys at commit). Afterwards the year holds the
file's ballots exactly once, or none of them while the upload says why and can be imported
again: never part of them, never twice.

Render: the worker is caught waiting to store a document it has rendered (the document's
row locked), then given a file size limit smaller than the document and back the default
action of SIGXFSZ (Python ignores it; a `sitecustomize` on the worker's path restores it):
released, the kernel kills it in the middle of writing the file. The job is retried and
every stored document is whole; the cut file lies under a temporary name, stored nowhere.
"""

import os
import resource
import signal
import time
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from appraisal.jobs import job_wait
from appraisal.services.compute import results_compute
from criteria.models import Participation
from exchange.workbook import year_workbook_import
from kernel.jobs import JOB_LOST, job_stale_after
from kernel.models import Job
from reports.jobs import render_start
from reports.models import RenderedFile
from reports.services import document_refresh, stale_specs
from surveys.jobs import ballot_upload_start_import
from surveys.models import Answer, Ballot, BallotUpload, RespondentGroup, StagedAnswer
from surveys.uploads import ballot_upload_check, ballot_upload_create
from tests.exchange.workbook_factory import save_workbook, year_sheets
from units.models import Membership

from .conftest import broker_idle, locks_held, wait_for
from .years import build_year

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

JOB_TIMEOUT = 60
VISIBILITY_TIMEOUT = 2
SHORT_VISIBILITY = {"CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT)}
ANSWERS = 3000  # two answers (units A1 and A18) on each of 1500 ballots J00000…J01499
FILE_CODES = {f"J{n:05d}" for n in range(ANSWERS // 2)}


def survey_year(tmp_path: Path):
    """The workbook factory's 2022 year: units A1, A18; leaf 2.1.1 asked of citizens; a
    few ballots stored already."""
    year, _ = year_workbook_import(source=save_workbook(year_sheets(), tmp_path / "year.xlsx"))
    return year


def checked_upload(year, tmp_path: Path, mode: str) -> BallotUpload:
    lines = ["ballot,group,unit,criterion,option"]
    for n in range(ANSWERS):
        lines.append(f"J{n // 2:05d},nguoi_dan,{'A1' if n % 2 else 'A18'},2.1.1,{'ABCDE'[n % 5]}")
    path = tmp_path / "phieu.csv"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    upload = ballot_upload_create(year=year, path=path, mode=mode)
    upload = ballot_upload_check(upload=upload, path=path)
    assert upload.status == BallotUpload.Status.CHECKED, upload.errors
    return upload


def stored(year) -> tuple[set[str], int]:
    """The year's committed ballot codes and answer count."""
    codes = set(Ballot.objects.filter(year=year).values_list("code", flat=True))
    return codes, Answer.objects.filter(ballot__year=year).count()


def ballot_code_taken(year, code: str):
    """An uncommitted ballot `code`: the import's INSERT of that code waits on it."""
    group = RespondentGroup.objects.get(year=year, code="nguoi_dan")
    return locks_held(
        (
            f"INSERT INTO {Ballot._meta.db_table} (year_id, code, group_id) VALUES (%s, %s, %s)",
            [year.pk, code, group.pk],
        )
    )


def units_locked(year):
    """The year's units locked: the import's COMMIT waits to check its answers' keys."""
    return locks_held(
        (
            f"SELECT id FROM {Participation._meta.db_table} WHERE year_id = %s FOR UPDATE",
            [year.pk],
        )
    )


def running_import(upload: BallotUpload, waiting) -> tuple[Job, set[int]]:
    job = ballot_upload_start_import(upload=upload)
    blocked = wait_for(waiting, "the import to block inside its transaction")
    job.refresh_from_db()
    upload.refresh_from_db()
    assert job.status == Job.Status.RUNNING
    assert upload.status == BallotUpload.Status.IMPORTING
    return job, blocked


def assert_imported_once(job: Job, upload: BallotUpload, ballots: set[str], answers: int):
    job = job_wait(job, timeout=JOB_TIMEOUT)
    assert job.status == Job.Status.DONE, job.message
    assert job.message == f"Đã nhập {ANSWERS} câu trả lời ({ANSWERS // 2} phiếu)."
    upload.refresh_from_db()
    assert upload.status == BallotUpload.Status.IMPORTED
    assert stored(upload.year) == (ballots, answers)
    assert not StagedAnswer.objects.filter(upload=upload).exists()


def test_import_whose_pool_process_is_killed_mid_write_is_requeued_and_imports_once(
    start_worker, tmp_path
):
    year = survey_year(tmp_path)
    before = stored(year)
    upload = checked_upload(year, tmp_path, BallotUpload.Mode.REPLACE_YEAR)
    worker = start_worker(pool="prefork")

    with ballot_code_taken(year, "J00000") as (waiting, release):
        job, first_run = running_import(upload, waiting)
        # The year's ballots are deleted and the new ones going in, uncommitted.
        assert stored(year) == before
        [task] = wait_for(worker.active_tasks, "the worker to report its running task")
        os.kill(task["worker_pid"], signal.SIGKILL)

        wait_for(lambda: waiting() - first_run, "the requeued job to run again")
        assert stored(year) == before
        release()

    assert_imported_once(job, upload, FILE_CODES, ANSWERS)


def test_import_committed_by_a_worker_killed_in_its_commit_is_closed_by_the_next_worker(
    start_worker, tmp_path
):
    year = survey_year(tmp_path)
    before_codes, before_answers = stored(year)
    upload = checked_upload(year, tmp_path, BallotUpload.Mode.APPEND)
    first = start_worker(env=SHORT_VISIBILITY)

    with units_locked(year) as (waiting, _release):
        job, _ = running_import(upload, waiting)
        assert stored(year) == (before_codes, before_answers)
        first.kill()
    # The COMMIT was on the server already: once it gets its locks it completes, although
    # its worker is dead and the job row still says running.
    wait_for(lambda: stored(year)[1] > before_answers, "the dead worker's COMMIT", timeout=10)
    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING
    # Redelivered after the visibility timeout, the job finds the upload imported: it
    # closes without importing again.
    time.sleep(VISIBILITY_TIMEOUT + 0.5)
    start_worker(env=SHORT_VISIBILITY)

    assert_imported_once(job, upload, before_codes | FILE_CODES, before_answers + ANSWERS)


def test_import_never_redelivered_is_shown_failed_then_imported_again_once(
    start_worker, tmp_path, client
):
    year = survey_year(tmp_path)
    before = stored(year)
    upload = checked_upload(year, tmp_path, BallotUpload.Mode.REPLACE_YEAR)
    officer = get_user_model().objects.create_user(username="noivu", password="x")
    Membership.objects.create(user=officer, role=Membership.Role.HOME_AFFAIRS)
    client.force_login(officer)
    first = start_worker(env=SHORT_VISIBILITY)

    with ballot_code_taken(year, "J00000") as (waiting, _release):
        lost, _ = running_import(upload, waiting)
        first.kill()
    # No worker runs to take the message back. Past the visibility timeout and its grace,
    # the page polling the upload gives the job up.
    progress = reverse("surveys:upload_progress", args=[upload.pk])
    with time_machine.travel(timezone.now() + job_stale_after() + timedelta(minutes=1)):
        assert client.get(progress, HTTP_HX_REQUEST="true")["HX-Refresh"] == "true"
    lost.refresh_from_db()
    assert (lost.status, lost.message) == (Job.Status.FAILED, JOB_LOST)
    upload.refresh_from_db()
    assert upload.status == BallotUpload.Status.CHECKED  # no longer "Đang nhập"
    assert stored(year) == before
    assert StagedAnswer.objects.filter(upload=upload).count() == ANSWERS
    page = client.get(reverse("surveys:upload", args=[upload.pk])).content.decode()
    assert f"Tác vụ thất bại: {JOB_LOST}" in page
    assert reverse("surveys:upload_confirm", args=[upload.pk]) in page

    client.post(reverse("surveys:upload_confirm", args=[upload.pk]), {"confirm": "on"})
    upload.refresh_from_db()
    retry = upload.job
    assert retry.pk != lost.pk and upload.status == BallotUpload.Status.IMPORTING
    # The next worker takes the lost message back too: that late run must change nothing.
    time.sleep(VISIBILITY_TIMEOUT + 0.5)
    worker = start_worker(env=SHORT_VISIBILITY)

    assert_imported_once(retry, upload, FILE_CODES, ANSWERS)
    wait_for(lambda: broker_idle() and not worker.active_tasks(), "the lost message to be consumed")
    lost.refresh_from_db()
    assert (lost.status, lost.message) == (Job.Status.FAILED, JOB_LOST)
    assert stored(year) == (FILE_CODES, ANSWERS)


FILE_LIMIT = 16 * 1024  # under an annex (~25 kB), above anything the worker logs
KILLED_BY_FILE_SIZE = """\
import signal

signal.signal(signal.SIGXFSZ, signal.SIG_DFL)
"""


def killable_by_file_size(tmp_path: Path) -> dict:
    """The environment of a worker that dies (SIGXFSZ) when it writes past its file
    size limit, as a C program would: Python ignores the signal and raises instead."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(KILLED_BY_FILE_SIZE)
    return {"PYTHONPATH": str(site), "PYTHONDONTWRITEBYTECODE": "1"}


def file_size_limited(pid: int) -> None:
    """From now on `pid` is killed by the kernel in the write that crosses FILE_LIMIT."""
    for limit, size in ((resource.RLIMIT_FSIZE, FILE_LIMIT), (resource.RLIMIT_CORE, 0)):
        resource.prlimit(pid, limit, (size, resource.prlimit(pid, limit)[1]))


def year_with_an_outdated_annex():
    """A computed year whose annex A8 is stored (whole) but no longer up to date."""
    year = build_year(2022)
    results_compute(year=year)
    document_refresh(year=year, kind=RenderedFile.Kind.ANNEX, key="A8")
    annex = RenderedFile.objects.get(year=year, kind=RenderedFile.Kind.ANNEX, key="A8")
    RenderedFile.objects.filter(pk=annex.pk).update(digest="0" * 64)
    return year, annex


def annex_locked(annex: RenderedFile):
    """The annex's row locked: its render job waits there to store the new file, after
    rendering it (WeasyPrint writes its fonts to temporary files first)."""
    return locks_held(
        (f"SELECT id FROM {RenderedFile._meta.db_table} WHERE id = %s FOR UPDATE", [annex.pk])
    )


def pdf_text(path: Path) -> str:
    return " ".join(page.extract_text() for page in PdfReader(path, strict=True).pages)


def assert_whole(path: Path) -> None:
    if path.suffix == ".pdf":
        assert path.read_bytes().rstrip().endswith(b"%%EOF"), path.name
        assert pdf_text(path).strip(), path.name
    else:  # .xlsx, .docx and the bundle are zip files
        with zipfile.ZipFile(path) as archive:
            assert archive.testzip() is None, path.name


def assert_rendered_whole(job: Job, year, media: Path) -> None:
    job = job_wait(job, timeout=JOB_TIMEOUT)
    assert job.status == Job.Status.DONE, job.message
    assert job.done == job.total == 5 + 3  # five annexes, the summary, the report twice
    folder = media / "reports" / str(year.year) / "r1"  # revision 1's documents
    cut = [path for path in folder.iterdir() if path.name.endswith(".part")]
    for path in folder.iterdir():
        if path not in cut:
            assert_whole(path)  # no document's name ever holds a truncated file
    # The file being written when the worker died: cut there, under a temporary name.
    assert [path.stat().st_size for path in cut] == [FILE_LIMIT]
    files = RenderedFile.objects.filter(year=year)
    assert files.count() == 5 + 3 + 1  # and the zip
    for rendered in files:
        assert (media / rendered.file.name).stat().st_size == rendered.size
    assert stale_specs(year)[1] == []
    assert "Biểu số A8" in pdf_text(media / files.get(key="A8").file.name)


def test_render_whose_pool_process_is_killed_mid_write_is_retried_and_every_file_is_whole(
    start_worker, tmp_path, settings
):
    media = tmp_path / "media"
    settings.MEDIA_ROOT = str(media)
    year, annex = year_with_an_outdated_annex()
    env = {"PARINDEX_MEDIA_ROOT": str(media), **killable_by_file_size(tmp_path)}
    worker = start_worker(pool="prefork", env=env)

    with annex_locked(annex) as (waiting, release):
        job = render_start(year=year)
        wait_for(waiting, "the annex's render to wait to store it")
        [task] = wait_for(worker.active_tasks, "the worker to report its running task")
        file_size_limited(task["worker_pid"])
        release()
        wait_for(lambda: "signal 25 (SIGXFSZ)" in worker.log(), "the pool process to be killed")

    assert_rendered_whole(job, year, media)


def test_render_of_a_worker_killed_outright_mid_write_finishes_on_the_next_worker(
    start_worker, tmp_path, settings
):
    media = tmp_path / "media"
    settings.MEDIA_ROOT = str(media)
    year, annex = year_with_an_outdated_annex()
    env = {"PARINDEX_MEDIA_ROOT": str(media), **SHORT_VISIBILITY}
    first = start_worker(env={**env, **killable_by_file_size(tmp_path)})

    with annex_locked(annex) as (waiting, release):
        job = render_start(year=year)
        wait_for(waiting, "the annex's render to wait to store it")
        file_size_limited(first.pid)
        release()
        assert first.process.wait(timeout=JOB_TIMEOUT) == -signal.SIGXFSZ
    time.sleep(VISIBILITY_TIMEOUT + 0.5)
    start_worker(env=env)

    assert_rendered_whole(job, year, media)
