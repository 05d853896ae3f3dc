"""The browser ballot upload with the files that used to kill the process or fool the check
(issue 13 items 3 and 5): the upload and its job always end, refused with the message, and
the check never counts swallowed rows as valid.

Jobs run for real (transaction=True: they are enqueued on commit, and run eagerly).
"""

from __future__ import annotations

import io
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kernel.models import Job
from surveys import uploads
from surveys.models import Answer, Ballot, BallotUpload, StagedAnswer

from .conftest import HEADER
from .test_office_ballots import NEW_ROWS, ods_bytes, xlsx_with

pytestmark = pytest.mark.django_db(transaction=True)


def sent(client, content: bytes, name: str) -> BallotUpload:
    client.post(
        reverse("surveys:upload_new", args=[2022]),
        {"file": SimpleUploadedFile(name, content), "mode": "append"},
    )
    upload = BallotUpload.objects.select_related("job").get()
    assert upload.status not in (BallotUpload.Status.PENDING, BallotUpload.Status.CHECKING)
    assert upload.job.status in (Job.Status.DONE, Job.Status.FAILED)
    return upload


def refused(client, content: bytes, name: str) -> list[str]:
    upload = sent(client, content, name)
    assert upload.status == BallotUpload.Status.REJECTED
    assert (Ballot.objects.count(), Answer.objects.count()) == (3, 7)
    assert not StagedAnswer.objects.exists()
    page = client.get(reverse("surveys:upload", args=[upload.pk])).content.decode()
    assert "Xác nhận nhập" not in page
    for error in upload.errors:
        assert error.replace("'", "&#x27;").replace('"', "&quot;") in page
    return upload.errors


def xlsx_bytes(rows, **options) -> bytes:
    buffer = io.BytesIO()
    xlsx_with(buffer, rows, **options)
    return buffer.getvalue()


def test_a_far_cell_upload_ends_refused_at_its_row(client, home_affairs):
    client.force_login(home_affairs)
    content = xlsx_bytes([HEADER, *NEW_ROWS], cells={"E1048576": "A", "XFD1048576": "x"})
    errors = refused(client, content, "phieu.xlsx")
    assert errors[0] == "ballots!1048576: ballot: bắt buộc, không được để trống"


def test_an_oversized_csv_field_ends_refused_in_vietnamese(client, home_affairs):
    client.force_login(home_affairs)
    rows = [HEADER, *NEW_ROWS, ["P5", "hdnd", "A1", "2.1.1", "x" * 200_000]]
    content = "\n".join(",".join(row) for row in rows).encode()
    assert refused(client, content, "phieu.csv") == [
        "ballots!5: -: một ô dài quá 131072 ký tự (dòng 5 của tệp)"
    ]


def test_the_check_does_not_call_swallowed_rows_valid(client, home_affairs):
    client.force_login(home_affairs)
    lines = [",".join(HEADER), 'P5,"hdnd,A1,2.1.1,A', *(",".join(row) for row in NEW_ROWS)]
    errors = refused(client, ("\n".join(lines) + "\n").encode(), "phieu.csv")
    assert errors[0].startswith('ballots!2: -: dấu ngoặc kép (") mở ở dòng 2 của tệp')
    assert BallotUpload.objects.get().job.message == "Tệp có 1 lỗi: không thể nhập."


def test_whatever_a_reader_raises_the_upload_ends_refused(client, home_affairs):
    client.force_login(home_affairs)
    with mock.patch.object(uploads, "ballot_source_open", side_effect=RuntimeError("boom")):
        errors = refused(client, xlsx_bytes([HEADER, *NEW_ROWS]), "phieu.xlsx")
    assert errors == [uploads.UNREADABLE]


def test_an_ods_upload_is_checked_and_its_notes_reach_the_job(client, home_affairs):
    client.force_login(home_affairs)
    upload = sent(client, ods_bytes({"Phiếu": [HEADER, *NEW_ROWS]}), "phieu.ods")
    assert upload.status == BallotUpload.Status.CHECKED
    assert upload.answers == 3
    assert upload.job.message == (
        "Tệp hợp lệ: 3 câu trả lời, 2 phiếu. (trang 'Phiếu' được hiểu là trang 'ballots')"
    )
