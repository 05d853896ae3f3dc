"""The browser import: upload → dry-run preview → confirm, for Sở Nội vụ officers.

Jobs run for real (transaction=True: they are enqueued on commit, and run eagerly).
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from criteria.models import Year
from kernel.models import Job
from surveys import uploads
from surveys.models import Answer, Ballot, BallotUpload, StagedAnswer

from .bad_rows import BAD_ROW_ERRORS, BAD_ROWS
from .conftest import HEADER

pytestmark = pytest.mark.django_db(transaction=True)

GOOD = "\n".join(
    ",".join(row)
    for row in [
        HEADER,
        ["P3", "hdnd", "A1", "2.1.1", "B"],
        ["P3", "hdnd", "A18", "2.1.2", "A"],
        ["P4", "nguoi_dan", "A18", "2.1.1", "E"],
    ]
).encode()


def csv_file(content: bytes, name: str = "phieu.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def upload(client, content: bytes, mode: str = "append", name: str = "phieu.csv"):
    return client.post(
        reverse("surveys:upload_new", args=[2022]), {"file": csv_file(content, name), "mode": mode}
    )


def stored() -> tuple[int, int]:
    return Ballot.objects.count(), Answer.objects.count()


def test_preview_lists_every_bad_row_and_writes_nothing(client, home_affairs):
    client.force_login(home_affairs)
    content = "\n".join(",".join(row) for row in BAD_ROWS).encode()
    response = upload(client, content)
    upload_obj = BallotUpload.objects.get()
    assert response.url == reverse("surveys:upload", args=[upload_obj.pk])
    assert upload_obj.status == BallotUpload.Status.REJECTED
    assert upload_obj.errors == BAD_ROW_ERRORS
    page = client.get(response.url).content.decode()
    for error in BAD_ROW_ERRORS:
        assert error.replace("'", "&#x27;") in page
    assert "Xác nhận nhập" not in page
    assert stored() == (3, 7)
    assert not StagedAnswer.objects.exists()


def test_preview_counts_then_confirm_imports(client, home_affairs):
    client.force_login(home_affairs)
    response = upload(client, GOOD)
    upload_obj = BallotUpload.objects.get()
    assert upload_obj.status == BallotUpload.Status.CHECKED
    assert stored() == (3, 7)  # a dry run: nothing written yet
    assert StagedAnswer.objects.count() == 3
    assert upload_obj.counts["blocks"] == [{"block_code": "A", "answers": 3, "ballots": 2}]
    assert upload_obj.counts["groups"] == [
        {"block_code": "A", "group_code": "hdnd", "answers": 2, "ballots": 1},
        {"block_code": "A", "group_code": "nguoi_dan", "answers": 1, "ballots": 1},
    ]
    assert [(u["unit_code"], u["answers"], u["ballots"]) for u in upload_obj.counts["units"]] == [
        ("A1", 1, 1),
        ("A18", 2, 2),
    ]
    page = client.get(response.url).content.decode()
    assert "Xác nhận nhập" in page and "3</strong> câu trả lời hợp lệ" in page

    # Without ticking the confirmation box nothing happens.
    client.post(reverse("surveys:upload_confirm", args=[upload_obj.pk]), {})
    assert stored() == (3, 7)

    client.post(reverse("surveys:upload_confirm", args=[upload_obj.pk]), {"confirm": "on"})
    upload_obj.refresh_from_db()
    assert upload_obj.status == BallotUpload.Status.IMPORTED
    assert stored() == (5, 10)
    assert not StagedAnswer.objects.exists()
    assert upload_obj.file.name.startswith("uploads/ballots/")
    assert upload_obj.job.status == Job.Status.DONE

    # A second confirmation (double click, replayed form) imports nothing more.
    client.post(reverse("surveys:upload_confirm", args=[upload_obj.pk]), {"confirm": "on"})
    assert stored() == (5, 10)


def test_same_file_again_is_refused_unless_replacing(client, home_affairs):
    client.force_login(home_affairs)
    upload(client, GOOD)
    first = BallotUpload.objects.get()
    client.post(reverse("surveys:upload_confirm", args=[first.pk]), {"confirm": "on"})

    response = upload(client, GOOD, name="phieu-lan-2.csv")
    assert response.status_code == 200
    assert "đã được nhập vào năm 2022" in response.content.decode()
    assert BallotUpload.objects.count() == 1

    response = upload(client, GOOD, mode="replace_ballots", name="phieu-lan-2.csv")
    second = BallotUpload.objects.exclude(pk=first.pk).get()
    assert second.status == BallotUpload.Status.CHECKED
    assert "đã được nhập lúc" in client.get(response.url).content.decode()
    client.post(reverse("surveys:upload_confirm", args=[second.pk]), {"confirm": "on"})
    assert stored() == (5, 10)  # replaced, not duplicated


def test_answers_stored_after_the_check_reject_the_import(client, home_affairs, tmp_path):
    client.force_login(home_affairs)
    upload(client, GOOD)
    checked = BallotUpload.objects.get()
    # Meanwhile the same answers arrive another way (here: the command).
    path = tmp_path / "khac.csv"
    path.write_bytes(GOOD + b"\n")
    from django.core.management import call_command

    call_command("import_ballots", str(path), "--year", "2022")
    client.post(reverse("surveys:upload_confirm", args=[checked.pk]), {"confirm": "on"})
    checked.refresh_from_db()
    assert checked.status == BallotUpload.Status.REJECTED
    assert checked.errors[0].startswith("ballots!2: criterion: phiếu 'P3' đã có câu trả lời")
    assert stored() == (5, 10)


def test_cancel_drops_the_staged_rows(client, home_affairs):
    client.force_login(home_affairs)
    upload(client, GOOD)
    upload_obj = BallotUpload.objects.get()
    client.post(reverse("surveys:upload_cancel", args=[upload_obj.pk]))
    upload_obj.refresh_from_db()
    assert upload_obj.status == BallotUpload.Status.CANCELLED
    assert not StagedAnswer.objects.exists()
    client.post(reverse("surveys:upload_confirm", args=[upload_obj.pk]), {"confirm": "on"})
    assert stored() == (3, 7)


def test_published_year_refuses_uploads(client, home_affairs):
    Year.objects.filter(year=2022).update(status=Year.Status.PUBLISHED)
    client.force_login(home_affairs)
    response = upload(client, GOOD)
    assert "đã công bố" in response.content.decode()
    assert not BallotUpload.objects.exists()


def test_other_extensions_are_refused(client, home_affairs):
    client.force_login(home_affairs)
    response = upload(client, b"MZ", name="phieu.exe")
    assert "phải là .xlsx, .ods, .xls hoặc .csv" in response.content.decode()
    assert not BallotUpload.objects.exists()


def test_a_file_over_the_size_limit_is_refused_before_it_is_stored(
    client, home_affairs, monkeypatch
):
    """The page and the service refuse a too large file with the one check and message."""
    monkeypatch.setattr(uploads, "MAX_UPLOAD_BYTES", 1024 * 1024)
    client.force_login(home_affairs)
    response = upload(client, GOOD + b"\n" * (1024 * 1024))
    assert "Tệp quá lớn (1 MB); tối đa 1 MB." in response.content.decode()
    assert not BallotUpload.objects.exists()


def test_progress_fragment_tells_htmx_to_reload_when_done(client, home_affairs):
    client.force_login(home_affairs)
    upload(client, GOOD)
    upload_obj = BallotUpload.objects.get()
    response = client.get(
        reverse("surveys:upload_progress", args=[upload_obj.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert response["HX-Refresh"] == "true"
    assert "Hoàn thành" in response.content.decode()


def test_an_xls_saved_by_libreoffice_is_checked_and_imported(client, home_affairs):
    from .test_office_ballots import LIBREOFFICE_XLS

    client.force_login(home_affairs)
    response = upload(client, LIBREOFFICE_XLS.read_bytes(), name="phieu.xls")
    upload_obj = BallotUpload.objects.get()
    assert upload_obj.status == BallotUpload.Status.CHECKED, upload_obj.errors
    assert StagedAnswer.objects.count() == 3
    client.post(reverse("surveys:upload_confirm", args=[upload_obj.pk]), {"confirm": "on"})
    upload_obj.refresh_from_db()
    assert upload_obj.status == BallotUpload.Status.IMPORTED
    assert stored() == (5, 10)
    assert response.status_code == 302
