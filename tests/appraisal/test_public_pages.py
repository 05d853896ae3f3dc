"""The public ranking pages: published years for everyone, drafts for province staff only."""

import io

import pytest
import time_machine
from django.core.management import call_command

from tests.personas import local

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


def test_unit_page_shows_areas_and_history(client, computed_year):
    computed_year.status = computed_year.Status.PUBLISHED
    computed_year.save()

    page = client.get("/ket-qua/2022/A1/").content.decode()

    assert "Sở Giao thông vận tải – Chỉ số CCHC năm 2022" in page
    assert "56,25" in page and "57,14" in page  # area indices
    assert "1/2 (khối A)" in page
    assert "<svg" in page and "hạng 1" in page  # the history chart, drawn server-side


def test_unit_page_of_an_unpublished_year_is_404_for_the_public(client, computed_year):
    assert client.get("/ket-qua/2022/A1/").status_code == 404
    assert client.get("/ket-qua/2022/ZZ9/").status_code == 404


def test_ranking_has_a_bar_chart_per_block(client, computed_year):
    computed_year.status = computed_year.Status.PUBLISHED
    computed_year.save()

    page = client.get("/ket-qua/2022/").content.decode()

    assert page.count("<svg") == 1
    assert "Chỉ số CCHC năm 2022 – khối A" in page
    assert "<script" not in page.split("<svg", 1)[1].split("</svg>", 1)[0]


def test_unit_officer_home_says_what_to_do_next_with_the_deadline(client, small_year):
    client.force_login(person("canbo.yte", "unit_officer", "A18"))

    with time_machine.travel(local(2023, 1, 5, 9, 0), tick=False):
        page = client.get("/").content.decode()

    assert "Việc cần làm – năm 2022" in page
    assert "Giai đoạn: <strong>Tự đánh giá</strong>" in page
    assert "Tự đánh giá, chấm điểm: Sở Y tế" in page
    assert "Đã chấm 1/2 tiêu chí thành phần" in page
    # The window closes at 24:00 on 10/01/2023, Asia/Ho_Chi_Minh.
    assert "Hạn: 24:00 ngày 10/01/2023" in page


def test_after_the_last_window_the_unit_waits_and_the_council_reviews(client, small_year):
    client.force_login(person("canbo.yte", "unit_officer", "A18"))
    with time_machine.travel(local(2023, 2, 1, 9, 0), tick=False):
        page = client.get("/").content.decode()
        assert "Giai đoạn: <strong>Hội đồng xem xét</strong>" in page
        assert "Chờ kết quả: Sở Y tế" in page
        assert "Tự đánh giá, chấm điểm" not in page and "đã hết hạn" not in page
        client.force_login(person("hoidong", "council"))
        page = client.get("/").content.decode()
    assert "Còn 2 tiêu chí chưa hoàn tất: chưa thể công bố." in page


def test_council_home_points_to_review(client, small_year):
    client.force_login(person("hoidong", "council"))

    page = client.get("/").content.decode()

    assert "Xem xét, phê duyệt và công bố kết quả" in page
    assert "Tự đánh giá, chấm điểm" not in page


def test_time_left_is_written_in_vietnamese():
    from datetime import timedelta

    from django.utils import timezone

    from reports.public import Task

    now = timezone.now()
    assert Task("x", "y", deadline=now + timedelta(days=10, hours=3, seconds=30)).time_left == (
        "10 ngày 3 giờ"
    )
    assert Task("x", "y", deadline=now + timedelta(hours=5, minutes=12, seconds=30)).time_left == (
        "5 giờ 12 phút"
    )
    assert Task("x", "y", deadline=now - timedelta(minutes=1)).is_late
