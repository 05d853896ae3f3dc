"""The public and a staff member in a real browser, on the demo city (Hải Phòng)."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from .conftest import login, screenshot

pytestmark = pytest.mark.e2e


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", stdout=io.StringIO())


def test_public_reads_the_published_ranking_and_a_unit_page(page, live_server, demo):
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Năm 2025").click()

    expect(page.get_by_role("heading", name="Kết quả Chỉ số CCHC năm 2025")).to_be_visible()
    first_row = page.locator("table.ranking tbody tr", has_text="Thanh tra thành phố")
    expect(first_row.locator("td").first).to_have_text("1")
    expect(first_row).to_contain_text("94,71")
    screenshot(page, "ranking-2025")

    # The satisfaction index beside it (DOMAIN §8): per block, the city's pooled figure.
    page.get_by_role(
        "link", name="Chỉ số hài lòng về sự phục vụ hành chính (SIPAS) năm 2025"
    ).click()
    expect(
        page.get_by_role(
            "heading", name="Chỉ số hài lòng về sự phục vụ hành chính (SIPAS) năm 2025"
        )
    ).to_be_visible()
    expect(page.locator("main")).to_contain_text("92,67")
    sipas_first = page.locator("table tbody tr", has_text="Sở Công thương").first
    expect(sipas_first).to_contain_text("96,86")
    screenshot(page, "sipas-2025")
    page.go_back()

    page.get_by_role("link", name="Sở Y tế").first.click()
    expect(page.get_by_role("heading", name="Sở Y tế – Chỉ số CCHC năm 2025")).to_be_visible()
    expect(page.locator(".facts")).to_contain_text("11/14")
    screenshot(page, "unit-2025")


def test_unit_officer_sees_what_to_do_next(page, live_server, demo):
    login(page, live_server, "canbo.yte")

    expect(page.get_by_role("heading", name="Việc cần làm – năm 2026")).to_be_visible()
    expect(page.locator(".task").first).to_contain_text("Tự đánh giá, chấm điểm: Sở Y tế")
    screenshot(page, "home-unit-officer")
