"""CSRF on every form: no view is exempt, and a write without the token is refused."""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from .years import build_year


def views_of(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from views_of(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


def test_no_view_is_exempt_from_csrf():
    exempt = [
        route
        for route, view in views_of(get_resolver().url_patterns)
        if getattr(view, "csrf_exempt", False)
    ]

    assert exempt == []


@pytest.mark.django_db
def test_a_login_without_the_token_is_refused():
    build_year(2022)
    client = Client(enforce_csrf_checks=True)

    response = client.post("/dang-nhap/", {"username": "x", "password": "y"})

    assert response.status_code == 403


@pytest.mark.django_db
def test_the_refusal_is_explained_in_vietnamese():
    client = Client(enforce_csrf_checks=True)

    response = client.post("/dang-nhap/", {"username": "x", "password": "y"})

    assert "Không gửi được biểu mẫu" in response.content.decode()


@pytest.mark.django_db
def test_a_missing_page_is_explained_in_vietnamese(client):
    response = client.get("/khong-co-trang-nay/")

    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()
