"""gunicorn with production settings (DEBUG off) serves pages with every security header,
and static files itself (WhiteNoise), compressed for browsers that accept gzip."""

import subprocess
import sys

import httpx
import pytest
from django.conf import settings

from .conftest import REPO, worker_database_url, worker_skip_reason
from .servers import Gunicorn

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def gunicorn_server(django_db_setup, tmp_path_factory):
    """As the image runs it: static files collected first (Dockerfile), then gunicorn."""
    reason = worker_skip_reason()
    if reason:
        pytest.skip(reason)
    static_root = tmp_path_factory.mktemp("static")
    server = Gunicorn(
        tmp_path_factory.mktemp("gunicorn"),
        database_url=worker_database_url(),
        redis_url=settings.REDIS_URL,
        env={"PARINDEX_STATIC_ROOT": str(static_root)},
    )
    collected = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=REPO,
        env=server.environment(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert collected.returncode == 0, collected.stderr
    assert (static_root / "css" / "parindex.css.gz").exists()
    server.start()
    yield server
    server.stop()


HTTPS = {"X-Forwarded-Proto": "https"}  # what the TLS proxy in front adds


def test_pages_carry_the_security_headers(gunicorn_server):
    response = httpx.get(f"{gunicorn_server.url}/dang-nhap/", headers=HTTPS)

    assert response.status_code == 200
    headers = response.headers
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    cookie = headers["Set-Cookie"]
    assert "csrftoken=" in cookie and "Secure" in cookie and "SameSite=Lax" in cookie


def test_static_files_come_from_the_app_server_compressed(gunicorn_server):
    response = httpx.get(
        f"{gunicorn_server.url}/static/css/parindex.css",
        headers={**HTTPS, "Accept-Encoding": "gzip"},
    )

    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/css")
    assert response.headers["Content-Encoding"] == "gzip"
    assert "max-age" in response.headers["Cache-Control"]
    assert ".topbar" in response.text


def test_an_error_page_shows_no_traceback(gunicorn_server):
    response = httpx.get(f"{gunicorn_server.url}/khong-co-trang-nay/", headers=HTTPS)

    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.text
    assert "Traceback" not in response.text and "DEBUG" not in response.text
