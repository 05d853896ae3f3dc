"""The appraiser's pages through the test client: queue, leaf screen, assignments, files."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.files.base import ContentFile

from appraisal.models import AppraisalEntry, Assignment
from appraisal.services.appraisals import appraisal_save
from appraisal.services.explanations import explanation_submit
from evidence.models import EvidenceFile
from kernel.models import AuditEvent
from tests.personas import GTVT

from .personas import *  # noqa: F403 - fixtures
from .personas import AFTER_ALL, IN_APPRAISAL, IN_EXPLANATION, R, person

PDF = b"%PDF-1.4\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
LEAF = "/tham-dinh/2023/don-vi/A1/tieu-chi/2.1/"


@pytest.fixture
def evidence(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    made = []
    for name, kind, data in (("ke-hoach.pdf", "pdf", PDF), ("anh-chup.png", "png", PNG)):
        file = EvidenceFile(
            participation=world.participations["A1"],
            original_name=name,
            kind=kind,
            size=len(data),
            sha256="0" * 64,
        )
        file.file.save("x", ContentFile(data))
        world.score("A1", "2.1").evidence.add(file)
        made.append(file)
    return made


def test_the_queue_shows_assigned_areas_with_progress_and_hides_the_own_unit(
    client, world, appraiser, during_appraisal
):
    client.force_login(appraiser)
    client.post(LEAF, {"status": "agreed", "appraised_score": "3", "comment": ""})
    page = client.get("/tham-dinh/2023/").content.decode()
    assert "Lĩnh vực 2" in page and "Lĩnh vực 1" not in page
    assert "Sở Giao thông vận tải" in page and "Sở Tư pháp" not in page
    assert '<progress value="1" max="2"' in page  # A1: 2.1 done of 2.1, 2.2


def test_the_queue_home_goes_to_the_year_in_progress(client, world, appraiser):
    client.force_login(appraiser)
    assert client.get("/tham-dinh/")["Location"] == "/tham-dinh/2023/"


def test_the_leaf_screen_shows_self_score_note_and_evidence_side_by_side(
    client, world, appraiser, evidence, during_appraisal
):
    client.force_login(appraiser)
    page = client.get(LEAF).content.decode()
    assert "Đơn vị đã thực hiện đầy đủ." in page
    assert f'<iframe class="evidence-frame" src="/tham-dinh/tep/{evidence[0].pk}/"' in page
    page = client.get(f"{LEAF}?tep={evidence[1].pk}").content.decode()
    assert f'<img class="evidence-image" src="/tham-dinh/tep/{evidence[1].pk}/"' in page


def test_a_different_score_without_comment_is_shown_back_and_not_saved(
    client, world, appraiser, during_appraisal
):
    client.force_login(appraiser)
    response = client.post(LEAF, {"status": "adjusted", "appraised_score": "2,5", "comment": ""})
    assert response.status_code == 200
    assert "Nhập ý kiến thẩm định khi điểm khác điểm tự chấm." in response.content.decode()
    assert not AppraisalEntry.objects.exists()


def test_saving_goes_on_to_the_next_leaf_not_yet_appraised(
    client, world, appraiser, during_appraisal
):
    client.force_login(appraiser)
    response = client.post(
        LEAF, {"status": "adjusted", "appraised_score": "2,5", "comment": "Thiếu hồ sơ."}
    )
    assert response["Location"] == "/tham-dinh/2023/don-vi/A1/tieu-chi/2.2/"
    score = world.score("A1", "2.1")
    assert (score.appraised_score, score.appraisal_note) == (Decimal("2.5"), "Thiếu hồ sơ.")
    history = client.get(LEAF).content.decode()
    assert "Vòng 1" in history and "Thiếu hồ sơ." in history


def test_a_measured_leaf_takes_a_value(client, world, lead, during_appraisal):
    client.force_login(lead)
    client.post(
        "/tham-dinh/2023/don-vi/A1/tieu-chi/1.2/",
        {"status": "adjusted", "appraised_value": "85", "comment": "85 % nhiệm vụ."},
    )
    assert world.score("A1", "1.2").appraised_score == Decimal("1")


def test_outside_the_window_the_leaf_screen_is_read_only(client, world, appraiser):
    client.force_login(appraiser)
    with time_machine.travel(AFTER_ALL, tick=False):
        page = client.get(LEAF).content.decode()
        assert "Ngoài thời gian thẩm định" in page
        assert "Lưu kết quả thẩm định" not in page
        client.post(LEAF, {"status": "agreed", "appraised_score": "3"})
    assert not AppraisalEntry.objects.exists()


def test_a_published_year_is_read_only(client, world, appraiser, during_appraisal):
    world.year.status = world.year.Status.PUBLISHED
    world.year.save()
    client.force_login(appraiser)
    assert (
        "Năm 2023 đã công bố: dữ liệu của năm đã khóa, không thể thay đổi."
        in client.get(LEAF).content.decode()
    )
    client.post(LEAF, {"status": "agreed", "appraised_score": "3"})
    assert not AppraisalEntry.objects.exists()


def test_evidence_files_are_served_inline_and_may_be_framed_by_our_pages(
    client, world, appraiser, evidence
):
    client.force_login(appraiser)
    response = client.get(f"/tham-dinh/tep/{evidence[0].pk}/")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert b"".join(response.streaming_content) == PDF


def test_the_lead_reassigns_an_area_from_the_assignments_page(client, world, lead, appraiser):
    newcomer = person("thamdinh.tc", name="Đinh Thị Hoa", role=R.APPRAISER, unit=GTVT)
    assignment = Assignment.objects.get(appraiser=appraiser)
    client.force_login(lead)
    page = client.get("/tham-dinh/2023/phan-cong/").content.decode()
    assert "Lê Thu Hà" in page
    client.post(
        "/tham-dinh/2023/phan-cong/",
        {
            "action": "reassign",
            "assignment": assignment.pk,
            "block": "A",
            "area_code": "2",
            "appraiser": newcomer.pk,
        },
    )
    assignment.refresh_from_db()
    assert assignment.appraiser == newcomer
    assert AuditEvent.objects.filter(action="assignment_reassign").exists()


def test_the_assignments_page_adds_and_removes(client, world, noivu, appraiser):
    client.force_login(noivu)
    client.post(
        "/tham-dinh/2023/phan-cong/",
        {"action": "create", "block": "A", "area_code": "1", "appraiser": appraiser.pk},
    )
    added = Assignment.objects.get(area_code="1")
    client.post(
        "/tham-dinh/2023/phan-cong/",
        {"action": "delete", "assignment": added.pk, "block": "A", "area_code": "1"},
    )
    assert list(Assignment.objects.values_list("area_code", flat=True)) == ["2"]


def test_the_assignments_page_reports_refusals(client, world, lead, appraiser):
    client.force_login(lead)
    response = client.post(
        "/tham-dinh/2023/phan-cong/",
        {"action": "create", "block": "A", "area_code": "3", "appraiser": appraiser.pk},
        follow=True,
    )
    assert "không có lĩnh vực 3" in response.content.decode()


def test_round_two_agreed_is_saved_from_the_form_as_it_is_filled(client, world, appraiser, officer):
    leaf = "/tham-dinh/2023/don-vi/A18/tieu-chi/2.1/"
    appraisal_save(
        participation=world.participations["A18"],
        criterion=world.criteria["2.1"],
        status="needs_explanation",
        appraised_score=Decimal("1.5"),
        comment="Chưa có báo cáo rà soát.",
        by=appraiser,
        at=IN_APPRAISAL,
    )
    score = world.score("A18", "2.1")
    explanation_submit(score=score, note="Bổ sung báo cáo.", by=officer, at=IN_EXPLANATION)
    client.force_login(appraiser)
    with time_machine.travel(IN_EXPLANATION + timedelta(hours=2), tick=False):
        page = client.get(leaf)
        form = page.context["form"]
        assert form.initial["appraised_score"] == Decimal("1.5")
        assert "“Thống nhất” giữ điểm tự chấm của đơn vị (3)" in page.content.decode()
        response = client.post(
            leaf, {"status": "agreed", "appraised_score": "1,5", "comment": form.initial["comment"]}
        )
    assert response.status_code == 302
    score.refresh_from_db()
    assert score.appraised_score == Decimal("3")
    latest = score.appraisal_entries.order_by("at", "id").last()
    assert (latest.round, latest.status) == (2, "agreed")


def test_an_approved_not_applicable_leaf_shows_as_such_not_as_pending(
    client, world, appraiser, during_appraisal
):
    score = world.score("A1", "2.1")
    score.not_applicable_requested = True
    score.not_applicable_reason = "Đơn vị không có văn bản QPPL phải ban hành trong năm."
    score.save()
    client.force_login(appraiser)
    client.post(f"{LEAF}khong-ap-dung/", {"decision": "approve"})
    assert world.score("A1", "2.1").not_applicable

    leaf_page = client.get(LEAF).content.decode()
    assert (
        '<span class="state state-not_applicable">Không áp dụng (đã chấp nhận)</span>' in leaf_page
    )
    area_page = client.get("/tham-dinh/2023/don-vi/A1/linh-vuc/2/").content.decode()
    row = area_page[area_page.index("<td>2.1</td>") : area_page.index("<td>2.2</td>")]
    assert "Không áp dụng (đã chấp nhận)" in row and "Chưa thẩm định" not in row


def test_an_appraised_percentage_above_100_is_refused_on_the_page(
    client, world, lead, during_appraisal
):
    client.force_login(lead)
    response = client.post(
        "/tham-dinh/2023/don-vi/A1/tieu-chi/1.2/",
        {"status": "adjusted", "appraised_value": "120", "comment": "Sai số liệu."},
    )
    assert response.status_code == 200
    assert (
        "Giá trị thẩm định là tỷ lệ phần trăm, phải từ 0 đến 100 (đã nhập 120)."
        in response.content.decode()
    )
    assert world.score("A1", "1.2").appraised_value is None
    assert not AppraisalEntry.objects.exists()
