"""`import_archive --replace` (issue 11, Build 8): an archive carries its evidence files and
explanations, so it may replace a year whose files and explanations it holds intact; any
other work, or a file or explanation it lacks, refuses the replace. A replace that fails
deletes no file, and one that succeeds leaves no orphan and is audited."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from appraisal.models import Assignment, Explanation
from criteria.models import Year
from evidence.models import EvidenceFile, Score
from kernel.models import AuditEvent
from tests.exchange.test_archive import (
    PDF,
    PDF_EXPLAINED,
    PDF_V2,
    evidence_add,
    evidence_snapshot,
    leaves_of,
    media_files,
    refused,
    run,
)
from tests.exchange.workbook_factory import write_year_workbook
from tests.personas import person
from units.models import Block

REFUSED = (
    "year.xlsx: year!2: value: năm 2022 đã có công việc mà tệp nhập không mang theo nguyên "
    "vẹn: {}; --replace sẽ xóa mất nên bị từ chối"
)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def archived(transactional_db, media, tmp_path):
    """2022 imported, given a file on a leaf and an explanation with its file, archived."""
    call_command("import_year", str(write_year_workbook(tmp_path / "2022.xlsx")), stdout=None)
    year = Year.objects.get(year=2022)
    [leaf] = leaves_of(year, "A18", 1)
    leaf.evidence.add(evidence_add(leaf, "ke-hoach.pdf", PDF, "pdf"))
    explanation = Explanation.objects.create(score=leaf, note="Bổ sung văn bản số 15.")
    explanation.files.add(evidence_add(leaf, "giai-trinh.pdf", PDF_EXPLAINED, "pdf"))
    path = tmp_path / "2022.zip"
    run("export_archive", "--year", "2022", "--out", str(path))
    return path


def state() -> tuple:
    return (
        evidence_snapshot(2022),
        Year.objects.get(year=2022).pk,
        Assignment.objects.count(),
        sorted(Explanation.objects.values_list("note", flat=True)),
        AuditEvent.objects.filter(action="Nhập lại năm").count(),
    )


def test_a_file_added_since_the_archive_refuses_the_replace(archived, media):
    [leaf] = leaves_of(Year.objects.get(year=2022), "A1", 1)
    evidence_add(leaf, "moi.pdf", PDF_V2, "pdf")
    before, files = state(), media_files(media)

    assert refused(archived, "--replace") == "\n".join(
        [REFUSED.format("1 tài liệu kiểm chứng"), "1 lỗi; không có dữ liệu nào được ghi."]
    )
    assert (state(), media_files(media)) == (before, files)


def test_a_link_and_an_explanation_changed_since_the_archive_refuse_the_replace(archived, media):
    year = Year.objects.get(year=2022)
    [leaf] = leaves_of(year, "A18", 1)
    leaf.evidence.clear()
    [other] = Score.objects.filter(participation__year=year, participation__unit__code="A1")[:1]
    other.evidence.add(EvidenceFile.objects.get(original_name="ke-hoach.pdf"))
    Explanation.objects.update(note="Bổ sung văn bản số 16.")
    before, files = state(), media_files(media)

    assert REFUSED.format("1 liên kết tài liệu với tiêu chí, 1 giải trình") in refused(
        archived, "--replace"
    )
    assert (state(), media_files(media)) == (before, files)


def test_work_no_archive_holds_refuses_the_replace(archived, media):
    Assignment.objects.create(
        year=Year.objects.get(year=2022),
        block=Block.objects.get(code="A"),
        area_code="1",
        appraiser=person("thamdinh.tuphap", unit=None),
    )
    before, files = state(), media_files(media)

    assert REFUSED.format("1 phân công thẩm định") in refused(archived, "--replace")
    assert (state(), media_files(media)) == (before, files)


def test_a_replace_carrying_everything_swaps_the_files_and_is_audited(archived, media):
    before, files = evidence_snapshot(2022), media_files(media)

    run("import_archive", str(archived), "--replace")

    assert evidence_snapshot(2022) == before
    after = media_files(media)
    assert len(after) == 2 and not set(after) & set(files)
    [event] = AuditEvent.objects.filter(action="Nhập lại năm")
    assert event.note.startswith("Thay toàn bộ dữ liệu năm 2022 từ kho lưu trữ 2022.zip: ")


def test_a_replace_failing_after_the_delete_keeps_the_old_files_and_leaves_no_new_one(
    archived, media, monkeypatch
):
    before, files = state(), media_files(media)

    def mismatch(*args):
        raise ValidationError("results.json: kết quả tính lại khác kết quả trong kho lưu trữ:")

    monkeypatch.setattr("exchange.archive.load._results_import", mismatch)

    assert "kết quả tính lại khác" in refused(archived, "--replace")
    assert (state(), media_files(media)) == (before, files)
