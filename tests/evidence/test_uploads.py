"""Evidence files: sniffed type, size limit, SHA-256, reuse, versions."""

import hashlib
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from evidence import services
from evidence.files import MAX_EVIDENCE_BYTES
from evidence.models import EvidenceFile
from kernel.models import AuditEvent

from .conftest import CLOSES, docx_file, exe_file, pdf_file, png_file

pytestmark = pytest.mark.usefixtures("during_window")


def upload(participation, criterion, by, uploaded):
    return services.evidence_upload(
        participation=participation, criterion=criterion, uploaded_file=uploaded, by=by
    )


def test_renamed_executable_with_a_pdf_name_is_refused(yte, officer, leaf):
    with pytest.raises(ValidationError) as error:
        upload(yte, leaf("1.1"), officer, exe_file("ke-hoach.pdf"))
    assert "không phải PDF, DOCX, XLSX, JPG hoặc PNG" in error.value.messages[0]
    assert not EvidenceFile.objects.exists()


@pytest.mark.parametrize("make, kind", [(pdf_file, "pdf"), (png_file, "png"), (docx_file, "docx")])
def test_real_small_files_are_accepted_with_their_sniffed_type(yte, officer, leaf, make, kind):
    uploaded = make()
    content = uploaded.read()
    uploaded.seek(0)
    stored = upload(yte, leaf("1.1"), officer, uploaded)
    stored.refresh_from_db()
    assert stored.kind == kind
    assert stored.sha256 == hashlib.sha256(content).hexdigest()
    assert stored.size == len(content)
    assert stored.original_name == uploaded.name
    assert stored.uploaded_by == officer
    # Stored under a random name: the user's file name is only in the row.
    assert stored.file.name.startswith("evidence/2023/A18/")
    assert uploaded.name not in stored.file.name
    with stored.file.open("rb") as handle:
        assert handle.read() == content
    assert list(yte.scores.get(criterion=leaf("1.1")).evidence.all()) == [stored]


def test_a_type_named_wrongly_is_stored_as_what_it_is(yte, officer, leaf):
    stored = upload(yte, leaf("1.1"), officer, png_file("anh.pdf"))
    assert stored.kind == "png"


def test_file_over_20_mb_is_refused(yte, officer, leaf):
    big = SimpleUploadedFile("lon.pdf", b"%PDF-1.4\n" + b"0" * MAX_EVIDENCE_BYTES)
    with pytest.raises(ValidationError) as error:
        upload(yte, leaf("1.1"), officer, big)
    assert "vượt quá 20 MB" in error.value.messages[0]
    assert not EvidenceFile.objects.exists()


def test_same_content_uploaded_again_is_reused_not_stored_twice(yte, officer, leaf):
    first = upload(yte, leaf("1.1"), officer, pdf_file("ke-hoach.pdf"))
    again = upload(yte, leaf("1.3"), officer, pdf_file("ke-hoach-ban-sao.pdf"))
    assert again == first
    assert EvidenceFile.objects.count() == 1
    assert list(
        first.scores.values_list("criterion__code", flat=True).order_by("criterion__code")
    ) == ["1.1", "1.3"]


def test_uploaded_file_is_reused_on_another_leaf(yte, officer, leaf):
    stored = upload(yte, leaf("1.1"), officer, pdf_file())
    services.evidence_link(
        participation=yte, criterion=leaf("1.3"), evidence_file=stored, by=officer
    )
    assert set(stored.scores.values_list("criterion__code", flat=True)) == {"1.1", "1.3"}
    with pytest.raises(ValidationError):
        services.evidence_link(
            participation=yte, criterion=leaf("1.3"), evidence_file=stored, by=officer
        )


def test_another_units_file_cannot_be_reused(yte, tuphap, officer, other_officer, leaf):
    theirs = upload(tuphap, leaf("1.1"), other_officer, pdf_file())
    with pytest.raises(ValidationError) as error:
        services.evidence_link(
            participation=yte, criterion=leaf("1.1"), evidence_file=theirs, by=officer
        )
    assert error.value.messages == ["Tệp không thuộc đơn vị."]


def test_replacing_a_file_keeps_the_old_version(yte, officer, leaf):
    old = upload(yte, leaf("1.1"), officer, pdf_file("ke-hoach.pdf", b"ban 1"))
    services.evidence_link(participation=yte, criterion=leaf("1.3"), evidence_file=old, by=officer)
    new = services.evidence_replace(
        participation=yte,
        evidence_file=old,
        uploaded_file=pdf_file("ke-hoach-sua.pdf", b"ban 2"),
        by=officer,
    )
    old.refresh_from_db()
    assert new.replaces == old
    assert old.file.storage.exists(old.file.name)
    assert new.sha256 != old.sha256
    # Every leaf that used the old version now uses the new one.
    for code in ("1.1", "1.3"):
        assert list(yte.scores.get(criterion__code=code).evidence.all()) == [new]
    assert list(services.current_files(yte)) == [new]
    with pytest.raises(ValidationError) as error:
        services.evidence_replace(
            participation=yte, evidence_file=old, uploaded_file=pdf_file(), by=officer
        )
    assert "đã được thay bằng phiên bản mới" in error.value.messages[0]


def test_replacement_must_be_a_valid_file_too(yte, officer, leaf):
    old = upload(yte, leaf("1.1"), officer, pdf_file())
    with pytest.raises(ValidationError):
        services.evidence_replace(
            participation=yte, evidence_file=old, uploaded_file=exe_file(), by=officer
        )
    assert EvidenceFile.objects.count() == 1


def test_unlinking_keeps_the_file(yte, officer, leaf):
    stored = upload(yte, leaf("1.1"), officer, pdf_file())
    services.evidence_unlink(
        participation=yte, criterion=leaf("1.1"), evidence_file=stored, by=officer
    )
    assert not stored.scores.exists()
    assert EvidenceFile.objects.filter(pk=stored.pk).exists()


def test_delegated_colleague_cannot_replace_a_file_used_on_others_leaves(
    yte, officer, colleague, leaf
):
    shared = upload(yte, leaf("1.1"), officer, pdf_file())
    services.evidence_link(
        participation=yte, criterion=leaf("1.3"), evidence_file=shared, by=officer
    )
    services.leaf_delegate(participation=yte, criterion=leaf("1.1"), by=officer, to=colleague)
    with pytest.raises(ValidationError):
        services.evidence_replace(
            participation=yte, evidence_file=shared, uploaded_file=png_file(), by=colleague
        )


def test_no_upload_after_the_window(yte, officer, leaf, time_machine):
    time_machine.move_to(CLOSES + timedelta(seconds=1), tick=False)
    with pytest.raises(ValidationError) as error:
        upload(yte, leaf("1.1"), officer, pdf_file())
    assert error.value.messages == ["Đã hết thời hạn tự đánh giá (24:00 ngày 10/01/2023)."]


def test_uploads_links_replacements_and_unlinks_are_audited(yte, officer, leaf):
    stored = upload(yte, leaf("1.1"), officer, pdf_file())
    services.evidence_link(
        participation=yte, criterion=leaf("1.3"), evidence_file=stored, by=officer
    )
    new = services.evidence_replace(
        participation=yte, evidence_file=stored, uploaded_file=png_file(), by=officer
    )
    services.evidence_unlink(
        participation=yte, criterion=leaf("1.3"), evidence_file=new, by=officer
    )
    events = list(AuditEvent.objects.order_by("pk").values_list("action", "object_id"))
    assert events == [
        ("evidence_upload", str(stored.pk)),
        ("evidence_link", str(stored.pk)),
        ("evidence_replace", str(new.pk)),
        ("evidence_unlink", str(new.pk)),
    ]
    upload_event = AuditEvent.objects.get(action="evidence_upload")
    assert upload_event.changes["sha256"] == [None, stored.sha256]
