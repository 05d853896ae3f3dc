"""No input makes a 500 (issue 12, hole 7): every URL pattern, each of its parameters given a
NUL byte, a 5,000-character value or a non-numeric id, by GET and by POST (also with such
values in the query string and the form), anonymous and as Sở Nội vụ's officer. Every
answer is below 500; a NUL byte gets the Vietnamese 404 page.
"""

import re

import pytest
from django.test import Client
from django.urls import get_resolver

from tests.personas import person

from .test_permission_matrix import walk

BAD_VALUES = ["%00", "a%00b", "x" * 5000, "abc", "-1", "99999999999999999999"]
PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def bad_urls():
    for name, pattern in walk(get_resolver()):
        for value in BAD_VALUES:
            path = "/" + PARAMETER.sub(value, pattern)
            yield pytest.param(path, id=f"{name}:{value[:12]}")


@pytest.fixture
def clients(db):
    officer = person("noivu")
    staff = Client()
    staff.force_login(officer)
    return {"anonymous": Client(), "noivu": staff}


@pytest.mark.parametrize("path", list(bad_urls()))
def test_no_crafted_url_gives_a_server_error(clients, path):
    for who, client in clients.items():
        for method in (client.get, client.post):
            response = method(path, {"assignment": "abc\x00", "q": "x" * 5000})
            assert response.status_code < 500, f"{who} {method.__name__} {path[:80]}"


@pytest.mark.parametrize("path", ["/ket-qua/2022/%00/", "/bao-cao/2022/bieu/%00.pdf", "/?x=%00"])
def test_a_nul_byte_gets_the_vietnamese_not_found_page(client, db, path):
    response = client.get(path)

    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_an_over_long_username_at_login_is_refused_without_error(client, db):
    response = client.post("/dang-nhap/", {"username": "x" * 5000, "password": "sai"})

    assert response.status_code == 200
    assert "dang-nhap" in response.request["PATH_INFO"]
