"""The public and a staff member in a real browser, on the demo province."""

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
    page.get_by_role("link", name="Năm 2022").click()

    expect(page.get_by_role("heading", name="Kết quả Chỉ số CCHC năm 2022")).to_be_visible()
    first_row = page.locator("table.ranking").first.locator("tbody tr").first
    expect(first_row).to_contain_text("Sở Giao thông vận tải")
    expect(first_row).to_contain_text("93,12")
    screenshot(page, "ranking-2022")

    page.get_by_role("link", name="Sở Y tế").first.click()
    expect(page.get_by_role("heading", name="Sở Y tế – Chỉ số CCHC năm 2022")).to_be_visible()
    expect(page.locator(".facts")).to_contain_text("18/18")
    screenshot(page, "unit-2022")


def test_unit_officer_sees_what_to_do_next(page, live_server, demo):
    login(page, live_server, "canbo.yte")

    expect(page.get_by_role("heading", name="Việc cần làm – năm 2023")).to_be_visible()
    expect(page.locator(".task").first).to_contain_text("Tự đánh giá, chấm điểm: Sở Y tế")
    screenshot(page, "home-unit-officer")
