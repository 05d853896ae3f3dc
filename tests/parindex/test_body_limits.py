# ruff: noqa: F811 (the evidence fixtures imported below are used as arguments)
"""Size before body (kernel/body_limits.py): a body past its URL's cap is refused with 413
from its Content-Length, before the CSRF check (or anything) parses or spools it."""

from pathlib import Path

import pytest
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.test import Client
from django.urls import reverse

from evidence.models import EvidenceFile
from kernel.body_limits import body_limit_for
from tests.evidence.conftest import (  # noqa: F401 (fixtures)
    during_window,
    leaf,
    media,
    officer,
    pdf_file,
    year,
    yte,
)

MB = 1024 * 1024
BOUNDARY = "----parindex-probe"
SPOOLED: list[tuple[Path, int]] = []


class RecordingUploadHandler(TemporaryFileUploadHandler):
    """Django's spooling handler, noting each file it writes to FILE_UPLOAD_TEMP_DIR (the
    file itself is gone once the request ends)."""

    def file_complete(self, file_size):
        uploaded = super().file_complete(file_size)
        SPOOLED.append((Path(uploaded.temporary_file_path()).parent, file_size))
        return uploaded


@pytest.fixture(autouse=True)
def spool(settings, tmp_path):
    """Uploads spool to an empty folder of the test's; every spooled file is noted."""
    SPOOLED.clear()
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "spool")
    (tmp_path / "spool").mkdir()
    settings.FILE_UPLOAD_HANDLERS = [f"{__name__}.RecordingUploadHandler"]
    return tmp_path / "spool"


def multipart(size: int, **fields) -> bytes:
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="lon.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n".encode()
        + b"%PDF-1.4\n"
        + b"0" * size
        + b"\r\n"
    )
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


def post(client, url, body):
    return client.generic(
        "POST", url, body, content_type=f"multipart/form-data; boundary={BOUNDARY}"
    )


@pytest.fixture
def browser():
    """A client whose posts go through the CSRF check, as a browser's do, holding the CSRF
    cookie of a login page it once loaded (so the check looks for the token in the body)."""
    client = Client(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = "k" * 32
    return client


def test_an_anonymous_oversized_login_post_is_refused_before_it_is_parsed(db, browser, spool):
    response = post(browser, reverse("login"), multipart(3 * MB, username="x", password="y"))
    assert response.status_code == 413
    text = response.content.decode()
    assert "Dữ liệu gửi lên quá lớn" in text and "vượt quá giới hạn 1,0 MB" in text
    assert SPOOLED == [] and list(spool.iterdir()) == []


def test_before_the_limit_the_same_body_was_spooled_to_disk(db, browser, spool, settings):
    """The hole replayed: with the cap lifted, the CSRF check parses and spools the body."""
    settings.BODY_LIMIT_DEFAULT = 10 * MB
    response = post(browser, reverse("login"), multipart(3 * MB, username="x", password="y"))
    assert response.status_code == 403  # no CSRF token, but the file was received first
    assert SPOOLED == [(spool, 3 * MB + 9)]


@pytest.mark.usefixtures("during_window")
def test_a_signed_in_officers_upload_past_the_upload_cap_is_refused_unread(
    client, officer, leaf, spool, settings
):
    settings.BODY_LIMITS = {**settings.BODY_LIMITS, "evidence:upload": 2 * MB}
    client.force_login(officer)
    url = reverse("evidence:upload", args=[leaf("1.1").pk])
    response = post(client, url, multipart(3 * MB))
    assert response.status_code == 413
    assert "vượt quá giới hạn 2,0 MB" in response.content.decode()
    assert SPOOLED == [] and list(spool.iterdir()) == []
    assert not EvidenceFile.objects.exists()


@pytest.mark.usefixtures("during_window")
def test_an_upload_within_its_cap_but_past_the_default_still_goes_through(
    client, officer, leaf, settings
):
    client.force_login(officer)
    url = reverse("evidence:upload", args=[leaf("1.1").pk])
    uploaded = pdf_file(body=b"0" * (2 * MB))
    response = client.post(url, {"files": [uploaded]})
    assert response.status_code == 302
    assert EvidenceFile.objects.get().size == uploaded.size


def test_a_chunked_body_without_a_length_is_refused(db, client):
    response = client.generic(
        "POST",
        reverse("login"),
        b"",
        content_type="application/x-www-form-urlencoded",
        HTTP_TRANSFER_ENCODING="chunked",
        CONTENT_LENGTH="",
    )
    assert response.status_code == 411
    assert "Content-Length" in response.content.decode()


def test_each_upload_url_has_its_cap_and_everything_else_the_small_one(settings):
    assert body_limit_for("/tu-danh-gia/tieu-chi/7/tai-len/") == 201 * MB
    assert body_limit_for("/tu-danh-gia/tieu-chi/7/tep/9/thay-the/") == 21 * MB
    assert body_limit_for("/tham-dinh/giai-trinh/2023/A18/1.1.2/") == 201 * MB
    assert body_limit_for("/dieu-tra/2023/nhap-phieu/") == 101 * MB
    for path in ("/dang-nhap/", "/tu-danh-gia/tieu-chi/7/luu/", "/khong-co/", "/quan-tri/"):
        assert body_limit_for(path) == settings.BODY_LIMIT_DEFAULT == MB
