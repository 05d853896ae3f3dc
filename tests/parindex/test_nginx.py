# ruff: noqa: F811 (the nginx_server fixture imported below is used as an argument)
"""The reverse proxy of production (deploy/nginx/nginx.conf.template), started natively in
front of the test gunicorn: body caps before gunicorn, slow clients held by nginx, and the
scheme and client address reaching Django as nginx saw them."""

import re
import socket
import ssl
import threading
import time
from urllib.parse import urlsplit

import httpx
import pytest
from axes.models import AccessFailureLog
from django.conf import settings
from django.urls import resolve

from bench.servers import NGINX_DIR

from .servers import nginx_server  # noqa: F401 (fixture)

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
MB = 1024 * 1024


def tls_socket(url: str) -> ssl.SSLSocket:
    parts = urlsplit(url)
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    raw = socket.create_connection((parts.hostname, parts.port), timeout=10)
    return context.wrap_socket(raw, server_hostname=parts.hostname)


def answer_head(sock) -> str:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    return data.decode(errors="replace")


def test_the_template_caps_the_same_urls_as_django():
    text = (NGINX_DIR / "nginx.conf.template").read_text()
    default = re.search(r"^    client_max_body_size (\d+)m;", text, re.M)
    assert int(default.group(1)) * MB == settings.BODY_LIMIT_DEFAULT
    samples = {
        r"^/tu-danh-gia/tieu-chi/[0-9]+/tai-len/$": "/tu-danh-gia/tieu-chi/7/tai-len/",
        r"^/tu-danh-gia/tieu-chi/[0-9]+/tep/[0-9]+/thay-the/$": "/tu-danh-gia/tieu-chi/7/tep/9/thay-the/",
        r"^/tham-dinh/giai-trinh/[0-9]+/[^/]+/[^/]+/$": "/tham-dinh/giai-trinh/2023/A18/1.1/",
        r"^/dieu-tra/[0-9]+/nhap-phieu/$": "/dieu-tra/2023/nhap-phieu/",
    }
    found = dict(re.findall(r"location ~ (\S+) \{\s+client_max_body_size (\d+)m;", text))
    assert set(found) == set(samples)
    for pattern, path in samples.items():
        assert re.match(pattern, path)
        assert int(found[pattern]) * MB == settings.BODY_LIMITS[resolve(path).view_name]


def test_nginx_refuses_an_oversized_body_from_its_length_before_gunicorn_sees_it(nginx_server):
    with tls_socket(nginx_server.url) as sock:
        sock.sendall(
            b"POST /dang-nhap/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: multipart/form-data; boundary=x\r\n"
            b"Content-Length: 314572800\r\n\r\n"
        )
        head = answer_head(sock)
    assert head.startswith("HTTP/1.1 413")
    # The Vietnamese page nginx sends with it (asked again by a client that reads it all).
    response = httpx.post(
        f"{nginx_server.url}/dang-nhap/", content=b"0" * (2 * MB), verify=False, timeout=10
    )
    assert response.status_code == 413 and "Dữ liệu gửi lên quá lớn" in response.text
    # A chunked body is counted as it streams: refused once past the cap.
    with tls_socket(nginx_server.url) as sock:
        sock.sendall(
            b"POST /dang-nhap/ HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
        )
        chunk = b"0" * 65536
        try:
            for _ in range(40):
                sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        except OSError:
            pass
        head = answer_head(sock)
    assert head.startswith("HTTP/1.1 413")
    time.sleep(0.5)
    # None of the three reached gunicorn.
    assert "POST /dang-nhap/" not in nginx_server.upstream.access_log_path.read_text()


def test_six_slow_clients_do_not_starve_the_login_page(nginx_server):
    stop = threading.Event()

    def slow_client():
        with tls_socket(nginx_server.url) as sock:
            for byte in b"GET /dang-nhap/ HTTP/1.1\r\nHost: 127.0.0.1\r\n":
                if stop.wait(3):
                    return
                try:
                    sock.sendall(bytes([byte]))
                except OSError:
                    return

    clients = [threading.Thread(target=slow_client, daemon=True) for _ in range(6)]
    for client in clients:
        client.start()
    time.sleep(1)
    # Six clients trickling a byte every 3 s would hold every sync worker for minutes were
    # gunicorn facing them; behind nginx each login page is answered well inside the 5 s the
    # client waits (a timeout fails the test). No figure is asserted: speed is `make bench`'s.
    try:
        for _ in range(3):
            response = httpx.get(f"{nginx_server.url}/dang-nhap/", verify=False, timeout=5)
            assert response.status_code == 200
            time.sleep(1.5)
    finally:
        stop.set()


def test_the_scheme_and_the_client_address_reach_django_as_nginx_saw_them(nginx_server):
    with httpx.Client(base_url=nginx_server.url, verify=False) as browser:
        page = browser.get("/dang-nhap/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        form = {"csrfmiddlewaretoken": token, "username": "khong-co-ai", "password": "sai"}
        spoofed = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "http"}
        # Over HTTPS Django checks the Referer (it believes nginx's X-Forwarded-Proto, not
        # the client's): without one the post is refused...
        assert browser.post("/dang-nhap/", data=form, headers=spoofed).status_code == 403
        # ...with it, the login is tried and fails, counted against nginx's peer address.
        referer = {**spoofed, "Referer": "https://127.0.0.1/dang-nhap/"}
        assert browser.post("/dang-nhap/", data=form, headers=referer).status_code == 200
    addresses = set(
        AccessFailureLog.objects.filter(username="khong-co-ai").values_list("ip_address", flat=True)
    )
    assert addresses == {"127.0.0.1"}
    # Plain HTTP is sent to HTTPS by nginx itself.
    response = httpx.get(f"{nginx_server.http_url}/dang-nhap/")
    assert response.status_code == 301
    assert response.headers["location"] == "https://127.0.0.1/dang-nhap/"


def test_visitors_downloads_are_kept_by_nginx_and_signed_in_people_always_reach_django(
    nginx_server, settings
):
    """Issue 12: a crowd of visitors costs gunicorn one request per document and period."""
    from appraisal.services.compute import results_compute
    from appraisal.services.publication import year_publish
    from reports.services import bundle_refresh
    from tests.appraisal.personas import AFTER_ALL, appraise_everything, build_world

    settings.MEDIA_ROOT = str(nginx_server.upstream.media_root)
    world = build_world()
    appraise_everything(world)
    results_compute(year=world.year)
    year_publish(year=world.year, at=AFTER_ALL)
    bundle_refresh(year=world.year)  # what the publication's render job does

    with httpx.Client(base_url=nginx_server.url, verify=False, timeout=60) as visitor:
        first = visitor.get("/bao-cao/2023/report.pdf")
        second = visitor.get("/bao-cao/2023/report.pdf")
    signed_in_client = httpx.Client(
        base_url=nginx_server.url, verify=False, timeout=60, cookies={"sessionid": "x" * 32}
    )
    with signed_in_client as signed_in_person:
        signed_in = signed_in_person.get("/bao-cao/2023/report.pdf")
    assert first.status_code == second.status_code == signed_in.status_code == 200
    assert first.content == second.content and first.content.startswith(b"%PDF")
    assert "public" in first.headers["cache-control"]
    assert (first.headers["x-cache-status"], second.headers["x-cache-status"]) == ("MISS", "HIT")
    assert signed_in.headers["x-cache-status"] == "BYPASS"
    assert upstream_requests(nginx_server, "/bao-cao/2023/report.pdf", expected=2) == 2
    # the first visitor's and the signed-in one's


def upstream_requests(nginx_server, path: str, *, expected: int) -> int:
    """How many requests for `path` gunicorn served. A sync worker logs a request once its
    answer is sent, so the last line may land just after the client has read the answer:
    wait (bounded) for the expected count, then for any line beyond it."""
    log = nginx_server.upstream.access_log_path
    deadline = time.monotonic() + 10
    while log.read_text().count(path) < expected and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)
    return log.read_text().count(path)
