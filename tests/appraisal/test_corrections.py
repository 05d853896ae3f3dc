"""Corrections as revisions (DOMAIN §9): after publication nothing changes in place; the
council opens a correction with a written reason, it is published as revision 2 with its
own documents, and revision 1 stays readable (page, API, documents) with the date and the
reason shown on the public pages."""

from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from appraisal.models import AppraisalEntry, Computation, UnitResult
from appraisal.services.compute import results_compute
from appraisal.services.corrections import correction_cancel, correction_open, correction_score_set
from appraisal.services.publication import year_publish
from criteria.models import Year
from kernel.models import AuditEvent, Job
from reports.models import RenderedFile

from .personas import *  # noqa: F403 - fixtures
from .personas import AFTER_ALL, appraise_everything

REASON = "Sở Y tế khiếu nại điểm tiêu chí 2.1; Hội đồng xem xét lại tài liệu kiểm chứng."
URL = "/tham-dinh/hoi-dong/2023/dinh-chinh/"


def published_year(world, council, *, documents: bool, on_commit=None):
    appraise_everything(world)
    results_compute(year=world.year)
    with time_machine.travel(AFTER_ALL, tick=False):
        if on_commit is None:
            year_publish(year=world.year, by=council)
        else:
            with on_commit(execute=True):
                year_publish(year=world.year, by=council)
    if not documents:
        return
    # What the publication's render job does once its bundle is stored (tested below
    # through the real job).
    Computation.objects.filter(year=world.year, revision=1).update(
        documents_rendered_at=timezone.now()
    )


@pytest.fixture
def published(world, council):
    published_year(world, council, documents=True)
    return world


def correct_21(world, council, points="1"):
    return correction_score_set(
        participation=world.participations["A18"],
        criterion=world.criteria["2.1"],
        appraised_score=points,
        reason="Biên bản kiểm tra cho thấy quy trình thiếu bước lấy ý kiến.",
        by=council,
    )


def y_te_index(computation) -> Decimal:
    return UnitResult.objects.get(computation=computation, participation__unit__code="A18").index


def test_publication_makes_revision_1_published_on_its_date(world, council):
    published_year(world, council, documents=False)
    revision = Computation.objects.get(year=world.year)
    assert (revision.revision, revision.is_published) == (1, True)
    assert revision.published_on.isoformat() == "2024-02-20"
    assert revision.published_by == council


def test_a_correction_needs_a_written_reason_and_a_published_year(world, council):
    with pytest.raises(ValidationError, match="chưa công bố"):
        correction_open(year=world.year, reason=REASON, by=council)
    published_year(world, council, documents=True)
    with pytest.raises(ValidationError, match="lý do đính chính"):
        correction_open(year=world.year, reason="sai", by=council)
    assert Year.objects.get(pk=world.year.pk).status == Year.Status.PUBLISHED


def test_a_correction_waits_for_the_published_documents(world, council):
    published_year(world, council, documents=False)
    with pytest.raises(ValidationError, match="chưa kết xuất đủ"):
        correction_open(year=world.year, reason=REASON, by=council)


def test_nothing_changes_in_place_while_the_correction_is_prepared(published, council, client):
    revision_1 = Computation.objects.get(year=published.year)
    before = y_te_index(revision_1)
    correction_open(year=published.year, reason=REASON, by=council)
    correct_21(published, council)
    results_compute(year=published.year)

    revision_2 = Computation.objects.get(year=published.year, revision=2)
    assert y_te_index(revision_1) == before  # revision 1's rows untouched
    assert y_te_index(revision_2) < before
    # The public still sees revision 1, and the API says so.
    document = client.get("/api/years/2023/results").json()
    assert document["revision"] == 1 and "revision_reason" not in document
    page = client.get("/ket-qua/2023/").content.decode()
    assert "đã đính chính" not in page.lower()


def test_every_other_door_still_refuses_the_year_in_correction(published, council, appraiser):
    from appraisal.services.appraisals import appraisal_save

    correction_open(year=published.year, reason=REASON, by=council)
    with pytest.raises(ValidationError, match="đã công bố"):
        appraisal_save(
            participation=published.participations["A18"],
            criterion=published.criteria["2.1"],
            status=AppraisalEntry.Status.ADJUSTED,
            appraised_score=Decimal("1"),
            comment="Sửa tại chỗ.",
            by=appraiser,
        )


def test_a_corrected_leaf_needs_an_open_correction_a_reason_and_a_valid_figure(published, council):
    with pytest.raises(ValidationError, match="không có lần đính chính"):
        correct_21(published, council)
    correction_open(year=published.year, reason=REASON, by=council)
    with pytest.raises(ValidationError, match="từ 0 đến 3"):
        correct_21(published, council, points="4")
    with pytest.raises(ValidationError, match="là một số"):
        correct_21(published, council, points="một")
    assert not AppraisalEntry.objects.filter(round=AppraisalEntry.Round.CORRECTION).exists()


def test_the_correction_is_published_as_revision_2_and_revision_1_stays_readable(
    published, council, client
):
    correction_open(year=published.year, reason=REASON, by=council)
    correct_21(published, council)
    results_compute(year=published.year)
    with time_machine.travel("2024-03-05 09:00 +07:00", tick=False):
        year_publish(year=published.year, by=council)

    year = Year.objects.get(pk=published.year.pk)
    assert year.status == Year.Status.PUBLISHED
    assert year.published_on.isoformat() == "2024-02-20"  # the first publication's date
    latest = client.get("/api/years/2023/results").json()
    first = client.get("/api/years/2023/results?revision=1").json()
    assert (latest["revision"], latest["revision_reason"]) == (2, REASON)
    assert latest["published_on"] == "2024-03-05"
    assert (first["revision"], first["published_on"]) == (1, "2024-02-20")
    assert first["blocks"] != latest["blocks"]
    assert client.get("/api/years/2023/results?revision=3").status_code == 404
    assert client.get("/api/years/2023/results?revision=x").status_code == 404

    page = client.get("/ket-qua/2023/").content.decode()
    assert "Kết quả đã đính chính" in page and "05/03/2024" in page and REASON in page
    old = client.get("/ket-qua/2023/?revision=1").content.decode()
    assert "Đây là kết quả lần công bố 1" in old and "20/02/2024" in old
    unit_page = client.get("/ket-qua/2023/A18/?revision=1").content.decode()
    assert "lần công bố 1" in unit_page

    actions = list(
        AuditEvent.objects.filter(year=2023, action__startswith="correction").values_list(
            "action", flat=True
        )
    )
    assert sorted(actions) == ["correction_open", "correction_publish", "correction_score"]


def test_an_unchanged_correction_cannot_be_published_but_can_be_cancelled(published, council):
    correction_open(year=published.year, reason=REASON, by=council)
    results_compute(year=published.year)
    with pytest.raises(ValidationError, match="giống hệt lần công bố 1"):
        year_publish(year=published.year, by=council)
    correction_cancel(year=published.year, by=council)
    year = Year.objects.get(pk=published.year.pk)
    assert year.status == Year.Status.PUBLISHED
    assert list(Computation.objects.filter(year=year).values_list("revision", flat=True)) == [1]


def test_a_changed_correction_cannot_be_cancelled(published, council):
    correction_open(year=published.year, reason=REASON, by=council)
    correct_21(published, council)
    with pytest.raises(ValidationError, match="không thể hủy"):
        correction_cancel(year=published.year, by=council)


def test_the_council_opens_corrects_and_publishes_through_the_pages(published, council, client):
    client.force_login(council)
    page = client.get(URL).content.decode()
    assert "Mở đính chính" in page

    refused = client.post(URL + "mo/", {"reason": REASON, "confirm": "2022"})
    assert refused.status_code == 400 and "Gõ 2023" in refused.content.decode()
    short = client.post(URL + "mo/", {"reason": "sai", "confirm": "2023"})
    assert short.status_code == 400 and "ít nhất 20 ký tự" in short.content.decode()
    assert client.post(URL + "mo/", {"reason": REASON, "confirm": "2023"}).status_code == 302

    bad = client.post(URL + "diem/", {"unit": "A18", "criterion": "9.9", "reason": "x"})
    assert bad.status_code == 400 and "không có tiêu chí" in bad.content.decode()
    good = client.post(
        URL + "diem/",
        {"unit": "A18", "criterion": "2.1", "score": "1,5", "reason": "Thiếu bước lấy ý kiến."},
    )
    assert good.status_code == 302
    assert published.score("A18", "2.1").appraised_score == Decimal("1.5")
    assert "Thiếu bước lấy ý kiến." in client.get(URL).content.decode()


def test_publication_renders_the_revision_documents_and_visitors_get_them_stored(
    world, council, client, settings, django_capture_on_commit_callbacks
):
    settings.PARINDEX_RENDER_ON_PUBLISH = True
    published_year(world, council, documents=False, on_commit=django_capture_on_commit_callbacks)

    revision = Computation.objects.get(year=world.year)
    assert revision.documents_rendered_at is not None  # the job ran (in-process here)
    stored = RenderedFile.objects.filter(year=world.year, revision=1)
    assert stored.filter(kind=RenderedFile.Kind.BUNDLE).exists()
    jobs, files = Job.objects.count(), stored.count()

    response = client.get("/bao-cao/2023/report.pdf")
    assert response.status_code == 200
    again = client.get("/bao-cao/2023/report.pdf", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert client.get("/bao-cao/2023/tron-bo.zip").status_code == 200
    # A visitor never starts a render nor a job.
    assert (Job.objects.count(), stored.count()) == (jobs, files)

    correction_open(year=world.year, reason=REASON, by=council)
    correct_21(world, council)
    results_compute(year=world.year)
    with time_machine.travel("2024-03-05 09:00 +07:00", tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            year_publish(year=world.year, by=council)
    assert RenderedFile.objects.filter(year=world.year, revision=2, kind="bundle").exists()
    first = client.get("/bao-cao/2023/report.pdf?revision=1")
    latest = client.get("/bao-cao/2023/report.pdf")
    assert first.status_code == latest.status_code == 200
    assert first["ETag"] != latest["ETag"]


def test_a_visitor_gets_a_being_prepared_page_never_a_render(world, council, client):
    published_year(world, council, documents=False)
    response = client.get("/bao-cao/2023/report.pdf")
    assert response.status_code == 503
    assert "đang được chuẩn bị" in response.content.decode()
    assert client.get("/bao-cao/2023/tron-bo.zip").status_code == 503
    assert not RenderedFile.objects.exists() and not Job.objects.exists()
