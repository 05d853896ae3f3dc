"""The self-assessment pages through the test client."""

import pytest
from django.urls import reverse

from evidence import services
from evidence.models import EvidenceFile, Score, Submission

from .conftest import CLOSES, docx_file, exe_file, pdf_file, png_file

pytestmark = pytest.mark.usefixtures("during_window")

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def as_officer(client, officer):
    client.force_login(officer)
    return client


@pytest.fixture
def as_head(client, head):
    client.force_login(head)
    return client


def test_home_shows_the_units_tree_with_maxima_and_progress(as_officer, yte, officer, leaf):
    services.score_save(participation=yte, criterion=leaf("1.1"), by=officer, score="1,5")
    page = as_officer.get(reverse("evidence:home")).content.decode()
    assert "Tự đánh giá năm 2023 – Sở Y tế" in page
    assert "1.1" in page and "Tiêu chí 1.2" in page
    assert "đã chấm 1/3 tiêu chí · 1,5/4 điểm" in page
    assert "Chấm qua điều tra xã hội học" in page
    assert "24:00 ngày 10/01/2023" in page
    assert 'value="1,5"' in page


def test_autosave_with_htmx_answers_saved_at(as_officer, yte, leaf):
    response = as_officer.post(
        reverse("evidence:leaf_save", args=[leaf("1.1").pk]),
        {"score": "1,25", "note": "Kế hoạch số 12/KH-SYT"},
        **HTMX,
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Đã lưu lúc 09:30" in text
    assert 'hx-swap-oob="true"' in text and "1,25/4 điểm" in text
    score = Score.objects.get(participation=yte, criterion=leaf("1.1"))
    assert (str(score.self_score), score.self_note) == ("1.250", "Kế hoạch số 12/KH-SYT")


def test_autosave_of_a_measured_leaf_answers_the_rubric_score(as_officer, leaf):
    response = as_officer.post(
        reverse("evidence:leaf_save", args=[leaf("1.2").pk]), {"value": "85"}, **HTMX
    )
    text = response.content.decode()
    assert f'<strong id="score-{leaf("1.2").pk}" hx-swap-oob="true">0,5</strong>' in text


def test_autosave_refusal_is_shown_in_place(as_officer, leaf):
    response = as_officer.post(
        reverse("evidence:leaf_save", args=[leaf("1.1").pk]), {"score": "3"}, **HTMX
    )
    assert response.status_code == 200
    assert "Điểm tự chấm phải từ 0 đến 2." in response.content.decode()
    assert not Score.objects.filter(self_score__isnull=False).exists()


def test_plain_form_post_works_without_javascript(as_officer, leaf):
    criterion = leaf("1.1")
    response = as_officer.post(
        reverse("evidence:leaf_save", args=[criterion.pk]), {"score": "2"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("evidence:home") + f"#leaf-{criterion.pk}"
    assert "Đã lưu tiêu chí 1.1." in response.content.decode()


def test_upload_of_several_files_keeps_the_good_ones_and_names_the_bad(as_officer, yte, leaf):
    criterion = leaf("1.1")
    response = as_officer.post(
        reverse("evidence:upload", args=[criterion.pk]),
        {"files": [pdf_file(), exe_file("virus.pdf"), png_file()], "back": "leaf"},
        follow=True,
    )
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("evidence:leaf", args=[criterion.pk])
    assert "Đã tải lên &#x27;ke-hoach.pdf&#x27;" in page
    assert "Tệp &#x27;virus.pdf&#x27; không phải PDF" in page
    assert sorted(EvidenceFile.objects.values_list("kind", flat=True)) == ["pdf", "png"]


def test_leaf_page_reuses_replaces_and_unlinks(as_officer, yte, officer, leaf):
    stored = services.evidence_upload(
        participation=yte, criterion=leaf("1.1"), uploaded_file=pdf_file(), by=officer
    )
    page = as_officer.get(reverse("evidence:leaf", args=[leaf("1.3").pk])).content.decode()
    assert "Dùng lại tệp đã tải lên" in page and "ke-hoach.pdf (PDF" in page
    as_officer.post(reverse("evidence:link", args=[leaf("1.3").pk]), {"evidence_file": stored.pk})
    as_officer.post(
        reverse("evidence:replace", args=[leaf("1.3").pk, stored.pk]),
        {"file": docx_file("ke-hoach-sua.docx")},
    )
    new = EvidenceFile.objects.get(replaces=stored)
    page = as_officer.get(reverse("evidence:leaf", args=[leaf("1.1").pk])).content.decode()
    assert "ke-hoach-sua.docx" in page and "phiên bản trước" in page
    as_officer.post(reverse("evidence:unlink", args=[leaf("1.1").pk, new.pk]))
    assert not Score.objects.get(criterion=leaf("1.1")).evidence.exists()


def test_not_applicable_request_through_the_leaf_page(as_officer, yte, leaf):
    url = reverse("evidence:not_applicable", args=[leaf("1.3").pk])
    response = as_officer.post(url, {"requested": "on", "reason": ""}, follow=True)
    assert "Cần nêu lý do" in response.content.decode()
    as_officer.post(url, {"requested": "on", "reason": "Không có đơn vị trực thuộc"})
    assert Score.objects.get(criterion=leaf("1.3")).not_applicable_requested


def test_download_of_a_pdf_is_inline_and_not_sniffable(as_officer, yte, officer, leaf):
    stored = services.evidence_upload(
        participation=yte, criterion=leaf("1.1"), uploaded_file=pdf_file("Kế hoạch.pdf"), by=officer
    )
    response = as_officer.get(reverse("evidence:download", args=[stored.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")
    assert "filename*=utf-8''K%E1%BA%BF%20ho%E1%BA%A1ch.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_download_of_a_docx_is_an_attachment(as_officer, yte, officer, leaf):
    stored = services.evidence_upload(
        participation=yte, criterion=leaf("1.1"), uploaded_file=docx_file(), by=officer
    )
    response = as_officer.get(reverse("evidence:download", args=[stored.pk]))
    assert response["Content-Disposition"].startswith("attachment;")


def test_submit_confirmation_lists_gaps_then_head_submits(as_head, yte, officer, leaf):
    services.score_save(participation=yte, criterion=leaf("1.1"), by=officer, score="2")
    page = as_head.get(reverse("evidence:submit")).content.decode()
    assert "Cảnh báo: 2 tiêu chí chưa tự chấm điểm" in page
    assert "Cảnh báo: 3 tiêu chí chưa có tài liệu kiểm chứng" in page
    assert "Xác nhận gửi bản tự đánh giá" in page
    response = as_head.post(reverse("evidence:submit"), follow=True)
    assert "Đã gửi bản tự đánh giá của đơn vị." in response.content.decode()
    assert Submission.objects.filter(participation=yte).exists()
    page = as_head.get(reverse("evidence:home")).content.decode()
    assert "Rút lại bản đã gửi để sửa" in page and "disabled" in page
    as_head.post(reverse("evidence:withdraw"))
    assert not Submission.objects.exists()


def test_officer_sees_the_summary_but_cannot_submit(as_officer, yte):
    page = as_officer.get(reverse("evidence:submit")).content.decode()
    assert "Chỉ thủ trưởng đơn vị được gửi" in page
    assert "Xác nhận gửi" not in page
    as_officer.post(reverse("evidence:submit"))
    assert not Submission.objects.exists()


def test_delegated_colleague_sees_only_their_leaf(client, yte, officer, colleague, leaf):
    services.leaf_delegate(participation=yte, criterion=leaf("1.1"), by=officer, to=colleague)
    client.force_login(colleague)
    page = client.get(reverse("evidence:home")).content.decode()
    assert "Tiêu chí 1.1" in page and "Tiêu chí 1.3" not in page
    assert "được giao 1 tiêu chí" in page
    assert client.get(reverse("evidence:leaf", args=[leaf("1.3").pk])).status_code == 404
    assert client.get(reverse("evidence:submit")).status_code == 404
    response = client.post(reverse("evidence:leaf_save", args=[leaf("1.3").pk]), {"score": "1"})
    assert response.status_code == 404


def test_officer_delegates_through_the_leaf_page(as_officer, yte, colleague, leaf):
    page = as_officer.get(reverse("evidence:leaf", args=[leaf("1.1").pk])).content.decode()
    assert "Giao tiêu chí cho cán bộ khác" in page
    as_officer.post(reverse("evidence:delegate", args=[leaf("1.1").pk]), {"to": colleague.pk})
    assert Score.objects.get(criterion=leaf("1.1")).delegated_to == colleague


def test_page_after_the_window_is_read_only_with_the_reason(client, officer, time_machine):
    time_machine.move_to(CLOSES, tick=False)
    client.force_login(officer)
    page = client.get(reverse("evidence:home")).content.decode()
    assert "Đã hết thời hạn tự đánh giá (24:00 ngày 10/01/2023)." in page
    assert "Tải lên" not in page


def test_upload_without_a_file_or_with_too_many_is_refused(as_officer, leaf):
    url = reverse("evidence:upload", args=[leaf("1.1").pk])
    page = as_officer.post(url, {}, follow=True).content.decode()
    assert "Chọn ít nhất một tệp." in page
    many = [pdf_file(f"{n}.pdf", body=str(n).encode()) for n in range(11)]
    page = as_officer.post(url, {"files": many}, follow=True).content.decode()
    assert "Mỗi lần tải lên tối đa 10 tệp." in page
    assert not EvidenceFile.objects.exists()


def test_an_empty_file_is_named_and_the_others_of_the_batch_are_kept(as_officer, leaf):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = as_officer.post(
        reverse("evidence:upload", args=[leaf("1.1").pk]),
        {"files": [SimpleUploadedFile("rong.pdf", b""), pdf_file()]},
        follow=True,
    )
    assert "Tệp &#x27;rong.pdf&#x27; rỗng." in response.content.decode()
    assert list(EvidenceFile.objects.values_list("original_name", flat=True)) == ["ke-hoach.pdf"]
