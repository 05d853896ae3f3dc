"""Storage bounds (issue 12, hole 3): a unit's yearly quota, a person's upload rate,
identical bytes stored once within a unit, and the command that removes what nothing uses."""

import importlib
import os
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.template.loader import render_to_string
from django.urls import reverse

from evidence.models import EvidenceFile
from kernel.models import AuditEvent

from .conftest import DURING, pdf_file

pytestmark = pytest.mark.usefixtures("during_window")
KB = 1024


def stored_files(media: Path) -> list[Path]:
    return sorted(p for p in (media / "evidence").rglob("*") if p.is_file())


def upload(client, leaf, *files):
    return client.post(reverse("evidence:upload", args=[leaf.pk]), {"files": list(files)})


def last_message(response) -> str:
    """The message this answer queued (earlier ones wait unread in the session)."""
    return [str(m) for m in response.wsgi_request._messages][-1]


@pytest.fixture
def minh(client, officer):
    client.force_login(officer)
    return officer


def test_an_upload_past_the_units_yearly_quota_is_refused_and_stores_nothing(
    client, minh, leaf, yte, media, settings
):
    settings.EVIDENCE_QUOTA_BYTES = 100 * KB
    assert upload(client, leaf("1.1"), pdf_file("a.pdf", b"a" * 60 * KB)).status_code == 302
    response = upload(client, leaf("1.3"), pdf_file("b.pdf", b"b" * 60 * KB))
    assert response.status_code == 302
    refusal = last_message(response)
    assert refusal.startswith("Không lưu được 'b.pdf' (60 KB): đơn vị đã dùng 60 KB / 100 KB")
    assert "năm 2023" in refusal
    assert EvidenceFile.objects.count() == 1 and len(stored_files(media)) == 1


def test_the_same_bytes_again_cost_nothing_against_the_quota(client, minh, leaf, settings):
    settings.EVIDENCE_QUOTA_BYTES = 100 * KB
    content = b"a" * 60 * KB
    upload(client, leaf("1.1"), pdf_file("a.pdf", content))
    response = upload(client, leaf("1.3"), pdf_file("a-ban-sao.pdf", content))
    assert last_message(response) == "Đã tải lên 'a.pdf' (1.3)."


def test_the_leaf_page_shows_what_the_unit_has_used_of_its_quota(client, minh, leaf, settings):
    settings.EVIDENCE_QUOTA_BYTES = 2 * 1024**3
    upload(client, leaf("1.1"), pdf_file("a.pdf", b"a" * 300 * KB))
    upload(client, leaf("1.3"), pdf_file("b.pdf", b"b" * 300 * KB))
    response = client.get(reverse("evidence:leaf", args=[leaf("1.1").pk]))
    quota = response.context["quota"]
    assert quota == {"used": "600 KB", "quota": "2,0 GB", "percent": 0, "full": False}
    text = render_to_string(
        "evidence/_quota.html", {k: response.context[k] for k in ("quota", "year")}
    )
    assert "Đã dùng 600 KB / 2,0 GB" in text and "năm 2023" in text


def test_a_full_quota_says_so_on_the_leaf_page(client, minh, leaf, settings):
    settings.EVIDENCE_QUOTA_BYTES = 10 * KB
    upload(client, leaf("1.1"), pdf_file("a.pdf", b"a" * 9 * KB))
    settings.EVIDENCE_QUOTA_BYTES = 9 * KB
    response = client.get(reverse("evidence:leaf", args=[leaf("1.1").pk]))
    assert response.context["quota"]["full"] is True
    text = render_to_string(
        "evidence/_quota.html", {k: response.context[k] for k in ("quota", "year")}
    )
    assert "đã hết hạn mức" in text


def test_a_person_uploading_too_fast_gets_429_in_the_upload_answer(
    client, minh, leaf, settings, time_machine
):
    settings.EVIDENCE_UPLOAD_RATE = (3, 600)
    for n in range(3):
        assert upload(client, leaf("1.1"), pdf_file(f"{n}.pdf", bytes([65 + n]))).status_code == 302
    time_machine.move_to(DURING + timedelta(minutes=4), tick=False)
    response = upload(client, leaf("1.1"), pdf_file("3.pdf", b"D"))
    assert response.status_code == 429
    text = response.content.decode()
    assert "Tải lên quá nhiều tệp" in text
    assert "đã tải lên 3 tệp trong 10 phút gần đây" in text and "chờ khoảng 7 phút" in text
    assert response["Retry-After"] == "361"
    assert EvidenceFile.objects.count() == 3
    time_machine.move_to(DURING + timedelta(minutes=10, seconds=1), tick=False)
    assert upload(client, leaf("1.1"), pdf_file("3.pdf", b"D")).status_code == 302
    assert EvidenceFile.objects.count() == 4


def test_the_rate_counts_each_file_of_one_post(client, minh, leaf, settings):
    settings.EVIDENCE_UPLOAD_RATE = (2, 600)
    files = [pdf_file(f"{n}.pdf", bytes([65 + n])) for n in range(3)]
    response = upload(client, leaf("1.1"), *files)
    assert response.status_code == 429
    assert EvidenceFile.objects.count() == 2


def test_bytes_the_unit_stores_already_are_not_written_again(client, minh, leaf, yte, media):
    """A file replaced by a new version, then uploaded again: a new row, the same bytes."""
    upload(client, leaf("1.1"), pdf_file("v1.pdf", b"first"))
    first = EvidenceFile.objects.get()
    client.post(
        reverse("evidence:replace", args=[leaf("1.1").pk, first.pk]),
        {"file": pdf_file("v2.pdf", b"second")},
    )
    assert len(stored_files(media)) == 2
    upload(client, leaf("1.3"), pdf_file("v1-lai.pdf", b"first"))
    again = EvidenceFile.objects.get(original_name="v1-lai.pdf")
    assert again.pk != first.pk and again.file.name == first.file.name
    assert len(stored_files(media)) == 2


def test_replacing_a_file_with_identical_bytes_is_refused(client, minh, leaf):
    upload(client, leaf("1.1"), pdf_file("v1.pdf", b"same"))
    first = EvidenceFile.objects.get()
    response = client.post(
        reverse("evidence:replace", args=[leaf("1.1").pk, first.pk]),
        {"file": pdf_file("v1-moi.pdf", b"same")},
    )
    assert last_message(response) == (
        "Tệp 'v1-moi.pdf' giống hệt phiên bản hiện tại; không cần thay."
    )
    assert EvidenceFile.objects.count() == 1


def make_orphans(client, leaf, media):
    """kept.pdf on 1.1 (with an older version), dropped.pdf unlinked, a stray stored file."""
    upload(client, leaf("1.1"), pdf_file("kept-v1.pdf", b"kept 1"))
    old = EvidenceFile.objects.get()
    client.post(
        reverse("evidence:replace", args=[leaf("1.1").pk, old.pk]),
        {"file": pdf_file("kept.pdf", b"kept 2")},
    )
    upload(client, leaf("1.3"), pdf_file("dropped.pdf", b"dropped"))
    dropped = EvidenceFile.objects.get(original_name="dropped.pdf")
    client.post(reverse("evidence:unlink", args=[leaf("1.3").pk, dropped.pk]))
    stray = media / "evidence" / "2023" / "A18" / "stray"
    stray.write_bytes(b"x" * 2048)
    an_hour_ago = time.time() - 2 * 3600
    os.utime(stray, (an_hour_ago, an_hour_ago))
    return dropped


def test_the_command_lists_what_nothing_uses_and_deletes_nothing(client, minh, leaf, media):
    dropped = make_orphans(client, leaf, media)
    out = call_command_text()
    assert f"A18 2023 #{dropped.pk} 'dropped.pdf'" in out
    assert "tệp không bản ghi: evidence/2023/A18/stray 2 KB" in out
    assert "Tìm thấy 1 tài liệu không còn dùng và 2 tệp đã lưu" in out and "--delete" in out
    assert "kept" not in out
    assert EvidenceFile.objects.count() == 3 and len(stored_files(media)) == 4


def test_the_command_deletes_with_delete_audited_and_keeps_what_is_used(
    client, minh, leaf, media, django_capture_on_commit_callbacks
):
    dropped = make_orphans(client, leaf, media)
    with django_capture_on_commit_callbacks(execute=True):
        out = call_command_text("--delete")
    assert "Đã xóa 1 tài liệu không còn dùng và 2 tệp đã lưu" in out
    assert sorted(EvidenceFile.objects.values_list("original_name", flat=True)) == [
        "kept-v1.pdf",
        "kept.pdf",
    ]
    assert len(stored_files(media)) == 2
    events = AuditEvent.objects.filter(action="evidence_orphan_delete")
    assert {(e.object_id, e.unit_code) for e in events if e.object_id} == {(str(dropped.pk), "A18")}
    assert any("Xóa 2 tệp đã lưu" in e.note for e in events)
    assert "Tìm thấy 0 tài liệu" in call_command_text()


def test_bytes_shared_with_a_used_row_stay_on_disk(
    client, minh, leaf, media, django_capture_on_commit_callbacks
):
    upload(client, leaf("1.1"), pdf_file("a.pdf", b"shared"))
    first = EvidenceFile.objects.get()
    client.post(
        reverse("evidence:replace", args=[leaf("1.1").pk, first.pk]),
        {"file": pdf_file("b.pdf", b"other")},
    )
    upload(client, leaf("1.3"), pdf_file("a-lai.pdf", b"shared"))
    again = EvidenceFile.objects.get(original_name="a-lai.pdf")
    client.post(reverse("evidence:unlink", args=[leaf("1.3").pk, again.pk]))
    with django_capture_on_commit_callbacks(execute=True):
        call_command_text("--delete")
    assert not EvidenceFile.objects.filter(pk=again.pk).exists()
    first.refresh_from_db()
    assert first.file.storage.exists(first.file.name)  # the old version still needs it


def test_the_migration_points_identical_rows_to_one_stored_file(client, minh, leaf, yte, media):
    upload(client, leaf("1.1"), pdf_file("a.pdf", b"twice"))
    first = EvidenceFile.objects.get()
    # A copy stored before this migration: same bytes under a name of its own.
    copy = EvidenceFile.objects.create(
        participation=yte,
        file=ContentFile(first.file.open("rb").read(), name="copy"),
        original_name="a-copy.pdf",
        kind="pdf",
        size=first.size,
        sha256=first.sha256,
    )
    first.file.close()
    assert copy.file.name != first.file.name
    migration = importlib.import_module("evidence.migrations.0003_evidence_bytes_stored_once")
    migration.point_to_one_stored_file(apps, None)
    copy.refresh_from_db()
    assert copy.file.name == first.file.name
    leftover = [p for p in stored_files(media) if p.name != Path(first.file.name).name]
    assert len(leftover) == 1
    os.utime(leftover[0], (time.time() - 7200, time.time() - 7200))
    assert "tệp không bản ghi" in call_command_text()


def call_command_text(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("evidence_orphans", *args, stdout=out)
    return out.getvalue()
