"""The admin Sở Nội vụ uses, in Vietnamese (issue 15, item 7): the strings django-axes and
django-import-export leave in English, and Django's newer admin and auth strings, come from
the project's locale/vi catalogue; axes' app and the built-in permissions have Vietnamese
names. LOCALE_PATHS is set here as settings will set it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.contrib.auth.models import Permission

from accounts.apps import AXES_NAME, permissions_in_vietnamese
from tests.parindex.admin_pages import home_affairs_admin
from tests.personas import person

LOCALE = Path(django_settings.BASE_DIR) / "locale"

# English the issue found, and the packages' own words, that must not be shown.
ENGLISH = [
    "Access attempts",
    "Access logs",
    "Access failures",
    "Password-based authentication",
    "Reset password",
    "Please correct the error",
    "Can add",
    "Can change",
    "Can view",
    "Can delete",
    "Toggle theme",
    "Skip to main content",
    "Show counts",
    "Hide counts",
    "Attempt Time",
    "IP Address",
    "User Agent",
    "Failed Logins",
    "Expires At",
    ">Import<",
    ">Export<",
    "Below is a preview",
    "Axes",
    "AXES",
]


@pytest.fixture
def vietnamese_admin(settings, client, db):
    settings.LOCALE_PATHS = [LOCALE]
    for app in apps.get_app_configs():  # what migrate did, now that the catalogue is read
        permissions_in_vietnamese(app)
    return home_affairs_admin(client)


def visible(html: str) -> str:
    """The page's words: text and the attributes people read (title, aria-label, value)."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    said = " ".join(re.findall(r'(?:title|aria-label|value|placeholder)="([^"]*)"', html))
    return " ".join(re.sub(r"<[^>]+>", " ", html).split()) + " " + said


def english_in(html: str) -> list[str]:
    text = visible(html)
    return [
        word for word in ENGLISH if word.strip("<>") in text and (word[0] != ">" or word in html)
    ]


@pytest.mark.parametrize(
    "url",
    [
        "/quan-tri/",
        "/quan-tri/axes/accessattempt/",
        "/quan-tri/axes/accesslog/",
        "/quan-tri/axes/accessfailurelog/",
        "/quan-tri/accounts/account/",
        "/quan-tri/accounts/account/import/",
        "/quan-tri/auth/user/add/",
        "/quan-tri/auth/group/add/",
    ],
)
def test_admin_pages_show_no_english(vietnamese_admin, client, url):
    page = client.get(url)

    assert page.status_code == 200
    assert english_in(page.content.decode()) == []


def test_a_users_page_and_an_error_are_in_vietnamese(vietnamese_admin, client):
    user = person("canbo.yte")

    page = client.get(f"/quan-tri/auth/user/{user.pk}/change/").content.decode()
    refused = client.post("/quan-tri/auth/user/add/", {"username": ""}).content.decode()

    assert "Đặt lại mật khẩu" in page and english_in(page) == []
    assert "Vui lòng sửa các lỗi dưới đây." in refused and english_in(refused) == []


def test_axes_and_the_permissions_have_vietnamese_names(vietnamese_admin, client):
    assert apps.get_app_config("axes").verbose_name == AXES_NAME
    names = set(Permission.objects.values_list("name", flat=True))
    assert "Được thêm lần thử đăng nhập" in names
    assert "Được xem tài khoản cán bộ" in names
    assert not [name for name in names if name.startswith("Can ")]
    # Run again: nothing left to rename.
    assert sum(permissions_in_vietnamese(app) for app in apps.get_app_configs()) == 0


def test_the_accounts_list_names_roles_and_units_in_words(vietnamese_admin, client):
    person("canbo.yte")

    page = visible(client.get("/quan-tri/accounts/account/").content.decode())

    assert "Cán bộ đầu mối CCHC của đơn vị – Sở Y tế" in page
    assert "unit_officer" not in page and "(A18)" not in page
