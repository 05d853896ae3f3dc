"""The render jobs through Redis and real worker processes (PostgreSQL + Redis only).

Last in the package on purpose: a transactional test empties the database afterwards.
"""

import pytest

from appraisal.jobs import job_wait
from appraisal.services.compute import results_compute
from kernel.models import Job
from reports.jobs import render_start
from reports.models import RenderedFile
from tests.parindex.conftest import start_worker, worker_broker  # noqa: F401 - fixtures
from tests.parindex.years import build_year

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_years_documents_render_on_two_workers_and_the_set_completes(
    start_worker,  # noqa: F811
    tmp_path,
    settings,
):
    media = tmp_path / "media"
    settings.MEDIA_ROOT = str(media)
    year = build_year(2031)  # the package's demo may hold 2021–2023
    results_compute(year=year)
    for _ in range(2):
        start_worker(env={"PARINDEX_MEDIA_ROOT": str(media)})

    job = job_wait(render_start(year=year), timeout=120)

    assert job.status == Job.Status.DONE, job.message
    assert job.done == job.total == 5 + 3  # five annexes, the summary, the report twice
    files = RenderedFile.objects.filter(year=year)
    assert sorted(files.values_list("filename", flat=True)) == sorted(
        ["A2.pdf", "A8.pdf", "A18.pdf", "B1.pdf", "B2.pdf"]
        + ["summary.xlsx", "report.pdf", "report.docx", "chi-so-cchc-2031.zip"]
    )
    for rendered in files:
        assert (media / rendered.file.name).stat().st_size == rendered.size > 0

    again = job_wait(render_start(year=year), timeout=60)
    assert again.status == Job.Status.DONE
    assert "0 tài liệu kết xuất mới" in again.message
