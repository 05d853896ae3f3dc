"""The compute job through Redis and a real `celery worker` process (INTERFACES.md §1, §3)."""

import time
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from appraisal.jobs import compute_start, job_wait
from appraisal.models import AreaResult, Computation, UnitResult
from appraisal.services.compute import results_compute
from criteria.models import BlockRules
from kernel.models import Job
from parindex.celery import app as celery_app

from .years import build_year

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

JOB_TIMEOUT = 60


def stored_results(year_number: int) -> tuple[list, list]:
    units = UnitResult.objects.filter(computation__year__year=year_number).values_list(
        "participation__unit__code",
        "total",
        "max_points",
        "index",
        "rank",
        "rank_change",
        "band",
        "classification",
        "self_review",
        "warnings",
    )
    areas = AreaResult.objects.filter(unit_result__computation__year__year=year_number).values_list(
        "unit_result__participation__unit__code", "criterion__code", "score", "max_points", "index"
    )
    return sorted(units), sorted(areas)


def test_compute_results_command_through_the_worker_matches_eager_mode(celery_worker):
    build_year(2022)
    out = StringIO()

    call_command("compute_results", year=2022, timeout=JOB_TIMEOUT, stdout=out)

    job = Job.objects.get(kind=Job.Kind.COMPUTE, year=2022)
    assert job.status == Job.Status.DONE, job.message
    assert job.done == job.total == 5
    assert job.started_at and job.finished_at
    assert "Khối A" in out.getvalue() and "Khối B" in out.getvalue()
    through_worker = stored_results(2022)
    assert len(through_worker[0]) == 5 and len(through_worker[1]) == 10

    celery_app.conf.task_always_eager = True
    call_command("compute_results", year=2022, stdout=StringIO())
    assert stored_results(2022) == through_worker


def test_job_stays_pending_until_the_worker_consumes_it(celery_worker):
    year = build_year(2022)
    celery_app.control.cancel_consumer("celery", destination=[celery_worker.name], reply=True)
    try:
        job = compute_start(year=year)
        time.sleep(1)
        job.refresh_from_db()
        assert job.status == Job.Status.PENDING  # queued in Redis, not run in this process
    finally:
        celery_app.control.add_consumer("celery", destination=[celery_worker.name], reply=True)

    job = job_wait(job, timeout=JOB_TIMEOUT)

    assert job.status == Job.Status.DONE, job.message
    assert job.done == job.total == 5
    assert UnitResult.objects.filter(computation__year=year).count() == 5


def test_year_without_units_fails_in_vietnamese_and_other_results_stay(celery_worker):
    results_compute(year=build_year(2022))
    before = stored_results(2022)
    build_year(2023, units=False)

    with pytest.raises(CommandError, match="chưa có đơn vị nào tham gia"):
        call_command("compute_results", year=2023, timeout=JOB_TIMEOUT, stdout=StringIO())

    job = Job.objects.get(kind=Job.Kind.COMPUTE, year=2023)
    assert job.status == Job.Status.FAILED
    assert job.errors == ["Năm 2023 chưa có đơn vị nào tham gia đánh giá."]
    assert job.errors[0] in job.message
    assert stored_results(2022) == before


def test_failed_recompute_keeps_the_results_stored_before(celery_worker):
    year = build_year(2022)
    results_compute(year=year)
    computation = Computation.objects.get(year=year)
    before = stored_results(2022)
    block_rules = BlockRules.objects.create(year=year, block_id=year.criteria.first().block_id)
    BlockRules.objects.filter(pk=block_rules.pk).update(bands="chín mươi")

    with pytest.raises(CommandError, match="không phải là số"):
        call_command("compute_results", year=2022, timeout=JOB_TIMEOUT, stdout=StringIO())

    job = Job.objects.get(kind=Job.Kind.COMPUTE, year=2022)
    assert job.status == Job.Status.FAILED
    assert "'chín mươi' không phải là số" in job.message
    assert Computation.objects.get(year=year).computed_at == computation.computed_at
    assert stored_results(2022) == before
