"""The render job claims and fails through the kernel's job functions, enqueued by name."""

from pathlib import Path

import pytest
from django.conf import settings

from criteria.models import Year
from evidence.models import Score
from kernel.jobs import JOB_LOST
from kernel.models import Job
from reports.jobs import render_start
from reports.models import RenderedFile
from reports.services import PRINTING_MODULES
from reports.tasks import render_set_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def jobs_on_commit_now(monkeypatch):
    """The job is sent on commit; a test runs inside a transaction that never commits."""
    monkeypatch.setattr("django.db.transaction.on_commit", lambda func, *a, **k: func())


def test_a_render_of_inputs_changed_since_the_computation_fails_its_job_with_the_reason(
    rendered, jobs_on_commit_now
):
    year = Year.objects.get(year=2022)
    score = Score.objects.filter(participation__year=year, appraised_score__gt=0).first()
    score.appraised_score = 0
    score.save(update_fields=["appraised_score"])

    job = render_start(year=year)

    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.finished_at is not None
    assert "tính lại chỉ số" in job.message and job.errors == [job.message]


def test_a_late_redelivery_of_a_render_given_up_as_lost_changes_nothing(rendered):
    lost = Job.objects.create(
        kind=Job.Kind.RENDER, year=2022, status=Job.Status.FAILED, message=JOB_LOST
    )
    before = set(RenderedFile.objects.values_list("pk", "digest"))

    render_set_task.apply(args=[lost.pk])

    lost.refresh_from_db()
    assert (lost.status, lost.message, lost.started_at) == (Job.Status.FAILED, JOB_LOST, None)
    assert set(RenderedFile.objects.values_list("pk", "digest")) == before


def test_every_module_of_the_report_is_in_the_presentation_digest():
    base = Path(settings.BASE_DIR)
    report = {f"reports/report/{path.name}" for path in (base / "reports" / "report").glob("*.py")}
    assert report <= set(PRINTING_MODULES)
    assert all((base / name).is_file() for name in PRINTING_MODULES)
