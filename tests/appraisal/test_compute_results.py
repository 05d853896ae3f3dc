"""compute_results: the compute job through its command, its atomicity and idempotence."""

import io
from decimal import Decimal as D

import pytest
from django.core.management import CommandError, call_command

from appraisal.models import AreaResult, Computation, UnitResult
from evidence.models import Score
from kernel.models import Job


def compute(year: int = 2022) -> str:
    out = io.StringIO()
    call_command("compute_results", "--year", str(year), stdout=out)
    return out.getvalue()


def stored(year):
    return sorted(
        UnitResult.objects.filter(computation__year=year).values_list(
            "participation__unit__code", "total", "index", "rank", "classification"
        )
    )


def test_compute_prints_one_line_per_block_and_stores_every_unit(small_year):
    output = compute()

    assert output.splitlines() == [
        "Khối A (Sở, ban, ngành tỉnh): 2 đơn vị; hạng 1: Sở Giao thông vận tải 56,67; "
        "thấp nhất: Sở Y tế 47,73"
    ]
    assert UnitResult.objects.filter(computation__year=small_year).count() == 2
    # Area 1 and the survey area, for each unit.
    assert AreaResult.objects.filter(unit_result__computation__year=small_year).count() == 4


def test_compute_job_records_progress_to_the_end(small_year):
    compute()

    job = Job.objects.get(kind=Job.Kind.COMPUTE, year=2022)
    assert job.status == Job.Status.DONE
    assert (job.done, job.total, job.percent) == (2, 2, 100)
    assert job.started_at <= job.finished_at


def test_computing_twice_gives_the_same_results_and_fingerprint(small_year):
    compute()
    first, fingerprint = stored(small_year), Computation.objects.get(year=small_year).fingerprint

    compute()

    assert stored(small_year) == first
    assert Computation.objects.get(year=small_year).fingerprint == fingerprint
    assert Computation.objects.count() == 1


def test_fingerprint_follows_the_inputs(small_year):
    compute()
    before = Computation.objects.get(year=small_year).fingerprint
    Score.objects.filter(participation__unit__code="A18", criterion__code="1.1").update(
        appraised_score=D("1.5")
    )

    compute()

    assert Computation.objects.get(year=small_year).fingerprint != before
    a2 = UnitResult.objects.get(participation__unit__code="A18")
    assert a2.total == D("2.125")


def test_a_failure_while_storing_leaves_the_previous_results_intact(small_year, monkeypatch):
    compute()
    before = stored(small_year)
    computed_at = Computation.objects.get(year=small_year).computed_at
    Score.objects.filter(participation__unit__code="A18", criterion__code="1.1").update(
        appraised_score=D(0)
    )

    def broken_bulk_create(*args, **kwargs):
        raise RuntimeError("ổ đĩa đầy")

    monkeypatch.setattr(AreaResult.objects, "bulk_create", broken_bulk_create)
    with pytest.raises(CommandError, match="Tính chỉ số thất bại: ổ đĩa đầy"):
        compute()

    assert stored(small_year) == before
    assert Computation.objects.get(year=small_year).computed_at == computed_at
    failed = Job.objects.filter(status=Job.Status.FAILED).get()
    assert failed.message == "ổ đĩa đầy"


def test_unknown_year_is_refused(transactional_db):
    with pytest.raises(CommandError, match="Không có năm đánh giá 1999"):
        compute(1999)


def test_year_without_units_is_refused_and_the_job_marked_failed(small_year):
    small_year.participations.all().delete()

    with pytest.raises(CommandError, match="chưa có đơn vị nào tham gia"):
        compute()

    assert Job.objects.get().status == Job.Status.FAILED


def test_published_year_with_results_is_frozen(small_year):
    compute()
    small_year.status = small_year.Status.PUBLISHED
    small_year.save()

    with pytest.raises(CommandError, match="đã công bố: dữ liệu của năm đã khóa"):
        compute()
    assert not Job.objects.filter(status=Job.Status.PENDING).exists()


def test_published_year_imported_without_results_can_be_computed_once(small_year):
    small_year.status = small_year.Status.PUBLISHED
    small_year.save()

    compute()

    assert UnitResult.objects.filter(computation__year=small_year).count() == 2
