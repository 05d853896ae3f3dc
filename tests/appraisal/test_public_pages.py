"""The public ranking pages: published years for everyone, drafts for province staff only."""

import io

import pytest
from django.core.management import call_command

from .conftest import person


@pytest.fixture
def computed_year(small_year):
    call_command("compute_results", "--year", "2022", stdout=io.StringIO())
    return small_year


def test_home_without_published_results_says_so(client, computed_year):
    response = client.get("/")

    assert response.status_code == 200
    assert "Chưa có kết quả nào được công bố." in response.content.decode()


def test_unpublished_year_page_is_404_for_the_public_and_a_unit(client, computed_year):
    assert client.get("/ket-qua/2022/").status_code == 404
    client.force_login(person("canbo", "unit_officer", "A1"))
    assert client.get("/ket-qua/2022/").status_code == 404


def test_staff_see_the_draft_ranking_marked_unpublished(client, computed_year):
    client.force_login(person("noivu", "home_affairs"))

    page = client.get("/ket-qua/2022/").content.decode()

    assert "chưa công bố" in page
    assert "Sở Giao thông vận tải" in page


def test_published_ranking_is_public_with_vietnamese_numbers(client, computed_year):
    computed_year.status = computed_year.Status.PUBLISHED
    computed_year.save()

    home = client.get("/").content.decode()
    page = client.get("/ket-qua/2022/").content.decode()

    assert "/ket-qua/2022/" in home
    assert "Sở Giao thông vận tải" in page and "Sở Y tế" in page
    # Decimal comma, 2 decimals for the index (56,666… → 56,67) and 3 for the total.
    assert "56,67" in page and "4,250" in page
    assert page.index("Sở Giao thông vận tải") < page.index("Sở Y tế")


def test_login_page_is_in_vietnamese(client, db):
    page = client.get("/dang-nhap/").content.decode()
    assert "Đăng nhập" in page and "Mật khẩu" in page
