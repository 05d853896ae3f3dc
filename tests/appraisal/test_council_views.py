"""The council's pages: results per block, the compute job with its progress, publication."""

from appraisal.models import Computation
from appraisal.services.compute import results_compute
from criteria.models import Year
from kernel.models import Job

from .personas import *  # noqa: F403 - fixtures
from .personas import appraise_everything

COUNCIL = "/tham-dinh/hoi-dong/2023/"
PUBLISH = "/tham-dinh/hoi-dong/2023/cong-bo/"


def test_the_council_home_goes_to_the_year_in_progress(client, world, council):
    client.force_login(council)
    assert client.get("/tham-dinh/hoi-dong/")["Location"] == COUNCIL


def test_results_per_block_with_areas_index_rank_band_and_class(client, world, council):
    results_compute(year=world.year)
    client.force_login(council)
    page = client.get(COUNCIL).content.decode()
    assert "Khối A: Sở, ban, ngành tỉnh" in page
    for header in ("LV 1", "LV 2", "LV 3", "Tổng điểm", "Chỉ số (%)", "Xếp loại người đứng đầu"):
        assert header in page
    assert "Sở Y tế" in page and "khớp dữ liệu hiện tại" in page
    assert "Tính lại chỉ số" in page and "Phê duyệt và công bố" in page


def test_the_compute_button_starts_the_job_and_shows_its_progress(
    client, transactional_db, world, council
):
    client.force_login(council)
    response = client.post("/tham-dinh/hoi-dong/2023/tinh-lai/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    job = Job.objects.get(kind=Job.Kind.COMPUTE, year=2023)
    assert job.status == Job.Status.DONE  # eager in tests, enqueued on commit
    assert Computation.objects.filter(year=world.year).exists()
    body = response.content.decode()
    assert "<progress" in body
    progress = client.get(f"/tham-dinh/tac-vu/{job.pk}/").content.decode()
    assert 'value="100"' in progress and "hx-get" not in progress  # finished: polling stops


def test_a_running_job_is_polled_with_htmx(client, world, council):
    job = Job.objects.create(kind=Job.Kind.COMPUTE, year=2023, done=3, total=4)
    client.force_login(council)
    fragment = client.get(f"/tham-dinh/tac-vu/{job.pk}/").content.decode()
    assert f'hx-get="/tham-dinh/tac-vu/{job.pk}/"' in fragment
    assert 'value="75"' in fragment
    assert f'hx-get="/tham-dinh/tac-vu/{job.pk}/"' in client.get(COUNCIL).content.decode()


def test_publication_asks_for_confirmation_then_freezes_the_year(client, world, council, after_all):
    appraise_everything(world)
    results_compute(year=world.year)
    client.force_login(council)
    assert "Gõ <strong>2023</strong>" in client.get(PUBLISH).content.decode()
    refused = client.post(PUBLISH, {"confirm": "nhầm"})
    assert refused.status_code == 400
    assert not Year.objects.get(year=2023).is_published
    response = client.post(PUBLISH, {"confirm": "2023"})
    assert response["Location"] == COUNCIL
    year = Year.objects.get(year=2023)
    assert year.is_published and str(year.published_on) == "2024-02-20"
    page = client.get(COUNCIL).content.decode()
    assert "Công bố ngày 20/02/2024" in page
    assert "Tính lại chỉ số" not in page


def test_stale_results_are_not_published(client, world, noivu, after_all):
    appraise_everything(world)
    results_compute(year=world.year)
    score = world.score("A1", "2.1")
    score.appraised_score = 1
    score.save()
    client.force_login(noivu)
    assert "điểm đã thay đổi" in client.get(COUNCIL).content.decode()
    response = client.post(PUBLISH, {"confirm": "2023"})
    assert response.status_code == 400
    assert "tính lại" in response.content.decode()
    assert not Year.objects.get(year=2023).is_published


def test_a_published_year_refuses_the_compute_button(client, world, council, after_all):
    results_compute(year=world.year)
    Year.objects.filter(pk=world.year.pk).update(status=Year.Status.PUBLISHED)
    client.force_login(council)
    response = client.post("/tham-dinh/hoi-dong/2023/tinh-lai/", headers={"HX-Request": "true"})
    assert "đã công bố" in response.content.decode()
    assert not Job.objects.exists()


def test_a_compute_job_whose_worker_was_lost_is_shown_failed_not_running_forever(
    client, world, council
):
    from datetime import timedelta

    from django.utils import timezone

    from kernel.jobs import JOB_LOST, job_stale_after

    started = timezone.now() - job_stale_after() - timedelta(minutes=1)
    lost = Job.objects.create(
        kind=Job.Kind.COMPUTE, year=2023, status=Job.Status.RUNNING, started_at=started
    )
    client.force_login(council)

    fragment = client.get(f"/tham-dinh/tac-vu/{lost.pk}/").content.decode()

    lost.refresh_from_db()
    assert lost.status == Job.Status.FAILED
    assert JOB_LOST in fragment and "hx-get" not in fragment
    assert "Tính lại chỉ số" in client.get(COUNCIL).content.decode()
