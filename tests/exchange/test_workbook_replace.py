"""`import_year --replace` never destroys work (INTERFACES §2; issue 11, Why 7 and Build 8).

The workbook holds the year's data, not the work done on its pages, so a replace of a year
holding any of that work is refused with what it would destroy, and writes nothing; an
allowed replace keeps the year's phase, is audited, and its replaced files leave the disk
only after it commits.
"""

import hashlib
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from appraisal.models import (
    AppraisalEntry,
    Assignment,
    Explanation,
    SurveyGapAcknowledgement,
)
from criteria.models import Criterion, Year
from evidence.models import EvidenceFile, Score, Submission
from kernel.models import AuditEvent
from reports.models import RenderedFile
from tests.exchange.workbook_factory import (
    import_errors,
    save_workbook,
    set_cell,
    stored_counts,
    write_year_workbook,
    year_key_row,
    year_sheets,
)
from tests.personas import person
from units.models import Block

PDF = b"%PDF-1.4\n% ke hoach CCHC\n%%EOF\n"
REFUSED = (
    "year!2: value: năm 2022 đã có công việc mà tệp nhập không mang theo nguyên vẹn: {}; "
    "--replace sẽ xóa mất nên bị từ chối"
)
WORK_MODELS = (
    EvidenceFile,
    Score.evidence.through,
    Submission,
    Assignment,
    AppraisalEntry,
    Explanation,
    SurveyGapAcknowledgement,
    AuditEvent,
)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def running_year(tmp_path, media):
    """The factory's 2022 imported and in self-assessment, as the year of Why 7."""
    call_command("import_year", str(write_year_workbook(tmp_path / "first.xlsx")))
    Year.objects.filter(year=2022).update(status=Year.Status.SELF_ASSESSMENT)
    return Year.objects.get(year=2022)


def score(unit: str, code: str) -> Score:
    return Score.objects.get(participation__unit__code=unit, criterion__code=code)


def evidence_add(leaf: Score, name: str = "ke-hoach.pdf") -> EvidenceFile:
    return EvidenceFile.objects.create(
        participation=leaf.participation,
        file=SimpleUploadedFile(name, PDF),
        original_name=name,
        kind="pdf",
        size=len(PDF),
        sha256=hashlib.sha256(PDF).hexdigest(),
    )


def assignments_add(year: Year, count: int) -> None:
    appraiser = person("thamdinh.tuphap", unit=None)
    block = Block.objects.get(code="A")
    Assignment.objects.bulk_create(
        Assignment(year=year, block=block, area_code=str(n), appraiser=appraiser)
        for n in range(1, count + 1)
    )


def media_files(root) -> list[Path]:
    return sorted(p for p in Path(root).rglob("*") if p.is_file())


def snapshot(year_number: int = 2022) -> tuple:
    year = Year.objects.get(year=year_number)
    return (
        stored_counts(),
        {model.__name__: model.objects.count() for model in WORK_MODELS},
        year.status,
        year.pk,
    )


def export(tmp_path, name: str = "export.xlsx") -> Path:
    path = tmp_path / name
    call_command("export_year", "--year", "2022", "--out", str(path))
    return path


def _file_on_two_leaves(year):
    both = evidence_add(score("A1", "1.1"))
    score("A1", "1.1").evidence.add(both)
    score("A1", "1.2").evidence.add(both)


def _submission(year):
    Submission.objects.create(participation=score("A18", "1.1").participation)


def _not_applicable_request(year):
    Score.objects.filter(pk=score("A1", "1.1").pk).update(
        not_applicable_requested=True, not_applicable_reason="Năm nay không phát sinh."
    )


def _delegation(year):
    Score.objects.filter(pk=score("A18", "1.1").pk).update(
        delegated_to=person("chuyenvien.yte", unit=None)
    )


def _appraisal_entry(year):
    AppraisalEntry.objects.create(
        score=score("A1", "1.1"), status=AppraisalEntry.Status.AGREED, appraised_score=2
    )


def _explanation(year):
    Explanation.objects.create(score=score("A1", "1.1"), note="Bổ sung văn bản số 15.")


def _survey_gap(year):
    SurveyGapAcknowledgement.objects.create(
        participation=score("A1", "1.1").participation,
        criterion=Criterion.objects.get(year=year, code="2.2"),
        note="Không có phiếu người dân.",
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "make, lost",
    [
        (_file_on_two_leaves, "1 tài liệu kiểm chứng, 2 liên kết tài liệu với tiêu chí"),
        (_submission, "1 bản tự đánh giá đã gửi"),
        (_not_applicable_request, "1 đề nghị không áp dụng"),
        (_delegation, "1 tiêu chí đã giao cho cán bộ"),
        (lambda year: assignments_add(year, 1), "1 phân công thẩm định"),
        (_appraisal_entry, "1 lượt thẩm định"),
        (_explanation, "1 giải trình"),
        (_survey_gap, "1 ghi nhận tiêu chí điều tra không có phiếu"),
    ],
    ids=[
        "evidence",
        "submission",
        "na-request",
        "delegation",
        "assignment",
        "appraisal",
        "explanation",
        "survey-gap",
    ],
)
def test_each_kind_of_work_refuses_a_replace(tmp_path, running_year, media, make, lost):
    make(running_year)
    path = export(tmp_path)
    before, files = snapshot(), media_files(media)

    assert import_errors(path, "--replace") == [REFUSED.format(lost)]

    assert (snapshot(), media_files(media)) == (before, files)


@pytest.mark.django_db
def test_replacing_a_running_year_with_its_own_export_destroys_nothing(
    tmp_path, running_year, media
):
    # Why 7: 2023's unchanged export, re-imported with --replace, deleted every evidence
    # file and link and the 15 assignments, reset the phase, orphaned the files, unaudited.
    for n, leaf in enumerate(Score.objects.filter(participation__year=running_year)):
        leaf.evidence.add(evidence_add(leaf, f"tai-lieu-{n}.pdf"))
    assignments_add(running_year, 15)
    _submission(running_year)
    path = export(tmp_path)
    before, files = snapshot(), media_files(media)

    assert import_errors(path, "--replace") == [
        REFUSED.format(
            "5 tài liệu kiểm chứng, 5 liên kết tài liệu với tiêu chí, "
            "1 bản tự đánh giá đã gửi, 15 phân công thẩm định"
        )
    ]

    assert (snapshot(), media_files(media)) == (before, files)
    assert Year.objects.get(year=2022).status == Year.Status.SELF_ASSESSMENT
    assert not AuditEvent.objects.filter(action="Nhập lại năm").exists()


@pytest.mark.django_db
def test_an_allowed_replace_keeps_the_phase_and_is_audited(tmp_path, running_year):
    sheets = year_sheets()
    set_cell(sheets, "year", year_key_row(sheets, "name"), "value", "Chỉ số CCHC 2022 (sửa)")
    set_cell(sheets, "year", year_key_row(sheets, "appraisal_closes"), "value", "2023-01-20")

    call_command("import_year", str(save_workbook(sheets, tmp_path / "fixed.xlsx")), "--replace")

    year = Year.objects.get(year=2022)
    assert (year.status, year.name) == (Year.Status.SELF_ASSESSMENT, "Chỉ số CCHC 2022 (sửa)")
    [event] = AuditEvent.objects.filter(action="Nhập lại năm")
    assert (event.year, event.actor) == (2022, None)
    assert event.changes == {
        "Tên đợt đánh giá": ["Chỉ số CCHC năm 2022", "Chỉ số CCHC 2022 (sửa)"],
        "Đóng thẩm định": ["17/01/2023 00:00", "21/01/2023 00:00"],
    }
    assert event.note == (
        "Thay toàn bộ dữ liệu năm 2022 từ tệp Excel fixed.xlsx: 2 đơn vị, 9 tiêu chí, "
        "5 điểm, 2 câu hỏi, 7 câu trả lời phiếu."
    )


@pytest.mark.django_db
def test_a_replace_does_not_publish_a_running_year(tmp_path, running_year):
    sheets = year_sheets()
    row = year_key_row(sheets, "published_on")
    set_cell(sheets, "year", row, "value", "2023-03-01")
    before = snapshot()

    assert import_errors(save_workbook(sheets, tmp_path / "y.xlsx"), "--replace") == [
        f"year!{row}: value: năm 2022 đang ở giai đoạn 'Tự đánh giá': nhập lại không công bố "
        "được năm; Hội đồng công bố bằng nút Công bố (hoặc publish_year)"
    ]
    assert snapshot() == before


@pytest.mark.django_db
def test_a_draft_year_without_work_may_be_replaced_as_a_published_history(tmp_path, running_year):
    Year.objects.filter(year=2022).update(status=Year.Status.DRAFT)
    sheets = year_sheets()
    set_cell(sheets, "year", year_key_row(sheets, "published_on"), "value", "2023-03-01")

    call_command("import_year", str(save_workbook(sheets, tmp_path / "y.xlsx")), "--replace")

    assert Year.objects.get(year=2022).status == Year.Status.PUBLISHED


def rendered_add(year: Year) -> Path:
    rendered = RenderedFile(year=year, kind="report", filename="bao-cao.pdf", digest="d" * 64)
    rendered.file.save("bao-cao.pdf", ContentFile(PDF), save=False)
    rendered.save()
    return Path(rendered.file.path)


@pytest.mark.django_db(transaction=True)
def test_the_replaced_years_files_leave_the_disk_after_the_commit(tmp_path, running_year):
    old = rendered_add(running_year)

    call_command("import_year", str(write_year_workbook(tmp_path / "y.xlsx")), "--replace")

    assert not old.exists() and RenderedFile.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_replace_failing_after_the_delete_deletes_no_file(
    tmp_path, running_year, media, monkeypatch
):
    old = rendered_add(running_year)
    before, files = snapshot(), media_files(media)

    def disk_full(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("exchange.workbook.write._surveys_save", disk_full)
    with pytest.raises(OSError, match="No space left"):
        call_command("import_year", str(write_year_workbook(tmp_path / "y.xlsx")), "--replace")

    assert (snapshot(), media_files(media)) == (before, files)
    assert old.exists()
