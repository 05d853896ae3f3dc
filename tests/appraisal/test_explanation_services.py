"""explanation_submit: the unit's answer in the explanation round."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from appraisal.models import AppraisalEntry, Explanation
from appraisal.services.appraisals import appraisal_save
from appraisal.services.explanations import explanation_submit
from evidence.models import EvidenceFile
from kernel.models import AuditEvent

from .personas import *  # noqa: F403 - fixtures
from .personas import (
    AFTER_EXPLANATION,
    EXPLANATION_CLOSES,
    EXPLANATION_OPENS,
    IN_APPRAISAL,
    IN_EXPLANATION,
)

S = AppraisalEntry.Status
MINUTE = timedelta(minutes=1)
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture
def disputed(world, appraiser):
    """Lê Thu Hà asked Sở Y tế to explain 2.1 in round 1."""
    appraisal_save(
        participation=world.participations["A18"],
        criterion=world.criteria["2.1"],
        status=S.NEEDS_EXPLANATION,
        appraised_score=Decimal("1.5"),
        comment="Chưa có văn bản thẩm định dự thảo.",
        by=appraiser,
        at=IN_APPRAISAL,
    )
    return world.score("A18", "2.1")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_the_officer_explains_with_a_note_and_extra_evidence(disputed, officer):
    upload = SimpleUploadedFile("van-ban-tham-dinh.pdf", PDF, content_type="application/pdf")
    explanation = explanation_submit(
        score=disputed,
        note="Bổ sung văn bản số 15/STP.",
        files=[upload],
        by=officer,
        at=IN_EXPLANATION,
    )
    assert explanation.note == "Bổ sung văn bản số 15/STP."
    [file] = explanation.files.all()
    assert (file.kind, file.original_name, file.participation) == (
        "pdf",
        "van-ban-tham-dinh.pdf",
        disputed.participation,
    )
    event = AuditEvent.objects.get(action="explanation_submit")
    assert (event.actor, event.unit_code, event.year) == (officer, "A18", 2023)


def test_the_head_may_explain_too(disputed, head):
    explanation_submit(score=disputed, note="Thủ trưởng giải trình.", by=head, at=IN_EXPLANATION)
    assert Explanation.objects.count() == 1


def test_the_explanation_window_opens_and_closes_to_the_minute(disputed, officer):
    for at in (EXPLANATION_OPENS - MINUTE, EXPLANATION_CLOSES):
        with pytest.raises(ValidationError, match="Ngoài thời gian giải trình"):
            explanation_submit(score=disputed, note="Giải trình.", by=officer, at=at)
    explanation_submit(score=disputed, note="Mở cửa.", by=officer, at=EXPLANATION_OPENS)
    explanation_submit(
        score=disputed, note="Phút cuối.", by=officer, at=EXPLANATION_CLOSES - MINUTE
    )
    assert Explanation.objects.count() == 2


def test_only_the_units_own_people_explain(world, disputed, appraiser, lead):
    for person in (appraiser, lead):
        with pytest.raises(ValidationError, match="của đơn vị"):
            explanation_submit(score=disputed, note="x", by=person, at=IN_EXPLANATION)


def test_an_agreed_leaf_needs_no_explanation(world, appraiser, officer):
    appraisal_save(
        participation=world.participations["A18"],
        criterion=world.criteria["2.2"],
        status=S.AGREED,
        by=appraiser,
        at=IN_APPRAISAL,
    )
    with pytest.raises(ValidationError, match="không cần giải trình"):
        explanation_submit(score=world.score("A18", "2.2"), note="x", by=officer, at=IN_EXPLANATION)


def test_no_explanation_after_the_final_score(disputed, appraiser, officer):
    explanation_submit(score=disputed, note="Bổ sung.", by=officer, at=IN_EXPLANATION)
    appraisal_save(
        participation=disputed.participation,
        criterion=disputed.criterion,
        status=S.ADJUSTED,
        appraised_score=Decimal("2"),
        comment="Chấp nhận một phần.",
        by=appraiser,
        at=IN_EXPLANATION + MINUTE,
    )
    with pytest.raises(ValidationError, match="điểm cuối cùng"):
        explanation_submit(score=disputed, note="Thêm.", by=officer, at=IN_EXPLANATION + 2 * MINUTE)


def test_an_empty_note_is_refused(disputed, officer):
    with pytest.raises(ValidationError, match="Nhập nội dung"):
        explanation_submit(score=disputed, note="   ", by=officer, at=IN_EXPLANATION)


def test_a_renamed_file_is_refused_and_nothing_is_written(disputed, officer):
    fake = SimpleUploadedFile(
        "bao-cao.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
    )
    with pytest.raises(ValidationError, match="không phải PDF"):
        explanation_submit(score=disputed, note="x", files=[fake], by=officer, at=IN_EXPLANATION)
    assert not Explanation.objects.exists()
    assert not EvidenceFile.objects.exists()


def test_a_published_year_refuses_explanations(world, disputed, officer):
    world.year.status = world.year.Status.PUBLISHED
    world.year.save()
    disputed.participation.year.refresh_from_db()
    with pytest.raises(ValidationError, match="đã công bố"):
        explanation_submit(score=disputed, note="x", by=officer, at=IN_EXPLANATION)


def test_after_the_window_the_unit_cannot_explain(disputed, officer):
    with pytest.raises(ValidationError, match="Ngoài thời gian giải trình"):
        explanation_submit(score=disputed, note="Muộn.", by=officer, at=AFTER_EXPLANATION)


def test_explanation_files_are_stored_as_every_evidence_file(disputed, officer):
    """Through evidence's own storing: printable name, a default for a name with nothing left."""
    uploads = [
        SimpleUploadedFile("van\x07ban.pdf", PDF, content_type="application/pdf"),
        SimpleUploadedFile("\x07", PDF + b"\n", content_type="application/pdf"),
    ]
    explanation = explanation_submit(
        score=disputed, note="Bổ sung.", files=uploads, by=officer, at=IN_EXPLANATION
    )
    names = sorted(explanation.files.values_list("original_name", flat=True))
    assert names == ["tai-lieu.pdf", "vanban.pdf"]
    assert all(len(f.sha256) == 64 for f in explanation.files.all())
