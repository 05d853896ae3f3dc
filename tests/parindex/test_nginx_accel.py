# ruff: noqa: F811 (the server fixtures imported below are used as arguments)
"""Stored documents are sent by nginx, not streamed by a gunicorn worker (issue 12): the view
checks who may have the file and answers with `X-Accel-Redirect` to nginx's internal location
over the media root (settings.PARINDEX_ACCEL_REDIRECT, deploy/nginx/nginx.conf.template).

The first tests go through the real nginx in front of gunicorn (marker `worker`); the last
ones call the view through Django's test client, with and without the setting."""

import re
import time
from pathlib import Path

import httpx
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import Argon2PasswordHasher, make_password
from django.http import FileResponse
from django.utils.http import http_date

from reports.models import RenderedFile
from tests.personas import PASSWORD, person

from .servers import nginx_one_worker  # noqa: F401 (fixture)

MB = 1024 * 1024
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def visitor(server, **options) -> httpx.Client:
    return httpx.Client(base_url=server.url, verify=False, **{"timeout": 120, **options})


def published_year(server):
    """2023 appraised, computed and published, its documents rendered into the gunicorn's
    media root (what the publication's render job does)."""
    from django.conf import settings

    from appraisal.services.compute import results_compute
    from appraisal.services.publication import year_publish
    from reports.services import bundle_refresh
    from tests.appraisal.personas import AFTER_ALL, appraise_everything, build_world

    settings.MEDIA_ROOT = str(server.upstream.media_root)
    world = build_world()
    appraise_everything(world)
    results_compute(year=world.year)
    year_publish(year=world.year, at=AFTER_ALL)
    bundle_refresh(year=world.year)
    return world.year


def stored(year, kind: str, key: str = "") -> RenderedFile:
    return RenderedFile.objects.get(year=year, revision=1, kind=kind, key=key)


def gunicorn_lines(server, path: str, *, expected: int) -> list[str]:
    """gunicorn's access-log lines for `path`. A sync worker logs a request once its answer
    is sent: wait (bounded) for the expected count."""
    log = server.upstream.access_log_path
    deadline = time.monotonic() + 10
    while log.read_text().count(f" {path} ") < expected and time.monotonic() < deadline:
        time.sleep(0.05)
    return [line for line in log.read_text().splitlines() if f" {path} " in line]


def body_bytes(line: str) -> str:
    """The response size gunicorn logged (its default format: `"GET …" status size …`)."""
    return re.search(r'" (\d{3}) (\S+) "', line).group(2)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_visitor_gets_the_stored_pdf_from_nginx_with_djangos_headers(nginx_one_worker):
    year = published_year(nginx_one_worker)
    rendered = stored(year, RenderedFile.Kind.REPORT)
    on_disk = Path(rendered.file.path).read_bytes()
    path = "/bao-cao/2023/report.pdf"
    with visitor(nginx_one_worker) as client:
        first = client.get(path)
        again = client.get(path, headers={"If-None-Match": first.headers["etag"]})
    assert first.status_code == 200
    assert first.content == on_disk and on_disk.startswith(b"%PDF")
    assert first.headers["content-type"] == "application/pdf"
    assert first.headers["content-length"] == str(len(on_disk))
    assert first.headers["content-disposition"] == (
        f'attachment; filename="2023-{rendered.filename}"'
    )
    # Django's validators (the document's digest, its render time), not nginx's of the file.
    assert first.headers["etag"] == f'"{rendered.digest[:40]}"'
    assert first.headers["last-modified"] == http_date(rendered.rendered_at.timestamp())
    assert first.headers["cache-control"] == "public, max-age=300"
    # Headers an X-Accel-Redirect would drop, put back by the internal location.
    assert first.headers["x-content-type-options"] == "nosniff"
    assert first.headers["x-frame-options"] == "DENY"
    assert "x-accel-redirect" not in first.headers
    assert again.status_code == 304
    # gunicorn answered the request, with headers only: nginx sent the bytes.
    [line] = gunicorn_lines(nginx_one_worker, path, expected=1)
    assert '"GET /bao-cao/2023/report.pdf HTTP/1.1" 200 ' in line
    assert body_bytes(line) in {"0", "-"}


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_internal_location_is_not_found_from_outside(nginx_one_worker):
    year = published_year(nginx_one_worker)
    rendered = stored(year, RenderedFile.Kind.REPORT)
    secret = Path(rendered.file.path).read_bytes()
    with visitor(nginx_one_worker) as client:
        answers = [
            client.get(f"/_media_internal/{rendered.file.name}"),
            client.get("/_media_internal/"),
            # Traversal through a public prefix into the internal one.
            client.get(f"/bao-cao/../_media_internal/{rendered.file.name}"),
            client.get(f"/static/..%2F_media_internal/{rendered.file.name}"),
        ]
        # A client's own X-Accel-Redirect is a request header: nothing follows it.
        spoofed = client.get(
            "/bao-cao/2023/report.docx",
            headers={"X-Accel-Redirect": f"/_media_internal/{rendered.file.name}"},
        )
    assert [answer.status_code for answer in answers] == [404, 404, 404, 404]
    assert all(secret not in answer.content for answer in answers)
    assert spoofed.status_code == 200 and spoofed.content != secret
    assert spoofed.content.startswith(b"PK")  # the .docx it asked for
    # Only the spoofed docx reached gunicorn; the internal paths never left nginx.
    gunicorn_lines(nginx_one_worker, "/bao-cao/2023/report.docx", expected=1)
    assert "_media_internal" not in nginx_one_worker.upstream.access_log_path.read_text()


def signed_in(server, username: str) -> httpx.Client:
    """A person's browser, signed in through nginx's login page (gunicorn runs production's
    hashers: the tests' own is MD5)."""
    get_user_model().objects.filter(username=username).update(
        password=make_password(PASSWORD, hasher=Argon2PasswordHasher())
    )
    client = visitor(server)
    page = client.get("/dang-nhap/")
    answer = client.post(
        "/dang-nhap/",
        data={
            "csrfmiddlewaretoken": CSRF.search(page.text).group(1),
            "username": username,
            "password": PASSWORD,
        },
        # nginx passes the Host without its port; the browser's origin is that host's.
        headers={"Origin": "https://127.0.0.1", "Referer": "https://127.0.0.1/dang-nhap/"},
    )
    assert answer.status_code == 302, answer.text[:500]
    return client


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_staff_of_an_unpublished_year_get_their_file_through_djangos_check(nginx_one_worker):
    from django.conf import settings

    from appraisal.services.compute import results_compute
    from reports.services import document_refresh
    from tests.appraisal.personas import appraise_everything, build_world

    settings.MEDIA_ROOT = str(nginx_one_worker.upstream.media_root)
    world = build_world()
    appraise_everything(world)
    results_compute(year=world.year)
    rendered, _fresh = document_refresh(year=world.year, kind=RenderedFile.Kind.SUMMARY)
    person("noivu")
    path = "/bao-cao/2023/summary.xlsx"
    with visitor(nginx_one_worker) as anonymous:
        refused = anonymous.get(path)
    staff = signed_in(nginx_one_worker, "noivu")
    try:
        answer = staff.get(path)
    finally:
        staff.close()
    rendered.refresh_from_db()
    assert refused.status_code == 404
    assert answer.status_code == 200
    assert answer.content == Path(rendered.file.path).read_bytes()
    assert answer.headers["content-type"] == rendered.content_type
    assert answer.headers["content-disposition"] == (
        f'attachment; filename="2023-{rendered.filename}"'
    )
    assert answer.headers["etag"] == f'"{rendered.digest[:40]}"'
    # Theirs alone: never kept by nginx nor by the browser's disk cache.
    assert answer.headers["cache-control"] == "private, no-store"
    assert answer.headers["x-cache-status"] == "BYPASS"
    lines = gunicorn_lines(nginx_one_worker, path, expected=2)
    assert [line.split('" ')[1].split()[0] for line in lines] == ["404", "200"]
    assert body_bytes(lines[1]) in {"0", "-"}


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_slow_downloader_of_a_large_file_does_not_hold_the_only_worker(nginx_one_worker):
    """One gunicorn worker; a visitor starts a 200 MB download and stops reading after the
    first chunk; three login pages are then all answered (a timeout fails the test) while
    that download is still open; it then reads on (nginx sends /bao-cao/ at 1 MB/s past its
    first 256 KB: a few MB, not the 200, before it hangs up). gunicorn logged the download
    with no body: nginx, not the worker, holds the slow reader. No figure is asserted."""
    year = published_year(nginx_one_worker)
    bundle = stored(year, RenderedFile.Kind.BUNDLE)
    media = Path(nginx_one_worker.upstream.media_root)
    # A name nginx must decode (X-Accel-Redirect carries it percent-encoded).
    big_name = f"reports/2023/r1/{bundle.digest[:16]}-bộ lớn #2.zip"
    chunk = bytes(range(256)) * 4096  # 1 MB
    with open(media / big_name, "wb") as big:
        for _ in range(200):
            big.write(chunk)
    RenderedFile.objects.filter(pk=bundle.pk).update(file=big_name, size=200 * MB)
    path = "/bao-cao/2023/tron-bo.zip"
    logins: list[int] = []
    with visitor(nginx_one_worker) as slow, slow.stream("GET", path) as download:
        assert download.status_code == 200
        assert download.headers["content-length"] == str(200 * MB)
        parts = download.iter_raw(64 * 1024)
        received = bytearray(next(parts))
        # The download is open and unread; the only worker answers other people.
        with visitor(nginx_one_worker, timeout=30) as other:
            for _ in range(3):
                logins.append(other.get("/dang-nhap/").status_code)
        for part in parts:
            received += part
            if len(received) >= 3 * MB:
                break
    assert logins == [200, 200, 200]
    # The stored file's bytes, as far as the visitor read.
    assert 3 * MB <= len(received) < 200 * MB
    assert received == (chunk * 4)[: len(received)]
    [line] = gunicorn_lines(nginx_one_worker, path, expected=1)
    assert body_bytes(line) in {"0", "-"}


# The view itself, through Django's test client (no nginx: SQLite or PostgreSQL).


@pytest.fixture
def published(db, settings, tmp_path):
    from appraisal.services.compute import results_compute
    from appraisal.services.publication import year_publish
    from reports.services import document_refresh
    from tests.appraisal.personas import AFTER_ALL, appraise_everything, build_world

    settings.MEDIA_ROOT = str(tmp_path / "media")
    world = build_world()
    appraise_everything(world)
    results_compute(year=world.year)
    year_publish(year=world.year, at=AFTER_ALL)
    rendered, _fresh = document_refresh(year=world.year, kind=RenderedFile.Kind.REPORT)
    return rendered


def test_behind_nginx_the_view_names_the_stored_file_and_sends_no_bytes(
    client, settings, published
):
    settings.PARINDEX_ACCEL_REDIRECT = "/_media_internal/"
    response = client.get("/bao-cao/2023/report.pdf")
    assert response.status_code == 200
    assert not isinstance(response, FileResponse) and response.content == b""
    assert response["X-Accel-Redirect"] == f"/_media_internal/{published.file.name}"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="2023-{published.filename}"'
    assert response["ETag"] == f'"{published.digest[:40]}"'
    assert response["Cache-Control"] == "public, max-age=300"
    # Conditional requests are still Django's to answer.
    unchanged = client.get("/bao-cao/2023/report.pdf", HTTP_IF_NONE_MATCH=response["ETag"])
    assert unchanged.status_code == 304 and "X-Accel-Redirect" not in unchanged


def test_a_stored_name_is_percent_encoded_for_nginx(client, settings, published):
    settings.PARINDEX_ACCEL_REDIRECT = "/_media_internal"  # without its slash: the same
    RenderedFile.objects.filter(pk=published.pk).update(file="reports/2023/r1/bản sao #1?.pdf")
    response = client.get("/bao-cao/2023/report.pdf")
    assert response["X-Accel-Redirect"] == (
        "/_media_internal/reports/2023/r1/b%E1%BA%A3n%20sao%20%231%3F.pdf"
    )


def test_without_the_setting_django_streams_the_file_itself(client, settings, published):
    settings.PARINDEX_ACCEL_REDIRECT = ""
    response = client.get("/bao-cao/2023/report.pdf")
    assert isinstance(response, FileResponse) and "X-Accel-Redirect" not in response
    assert b"".join(response.streaming_content) == Path(published.file.path).read_bytes()


def test_an_unpublished_year_is_not_found_for_a_visitor_whatever_the_setting(
    client, settings, db, tmp_path
):
    from appraisal.services.compute import results_compute
    from tests.appraisal.personas import appraise_everything, build_world

    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PARINDEX_ACCEL_REDIRECT = "/_media_internal/"
    world = build_world()
    appraise_everything(world)
    results_compute(year=world.year)
    response = client.get("/bao-cao/2023/report.pdf")
    assert response.status_code == 404 and "X-Accel-Redirect" not in response
    assert not RenderedFile.objects.exists()  # a visitor never causes a render
