"""No lost work in a real browser (DOMAIN §9): two people on one leaf, an expired session, a
stale form token, a server error and a dropped network each say so in the leaf's status
line and keep what was typed."""

import os
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect, sync_playwright

from criteria.models import Year
from evidence.models import Score
from tests.e2e.conftest import ARGS, CHROMIUM
from tests.personas import PASSWORD

pytestmark = pytest.mark.e2e


@pytest.fixture
def open_now(transactional_db, year):
    """The window around the real clock: the browser and the live server share it."""
    now = timezone.now()
    Year.objects.filter(pk=year.pk).update(
        self_assessment_opens=now - timedelta(days=1),
        self_assessment_closes=now + timedelta(days=1),
    )


def with_browser(scenario) -> None:
    """Run `scenario(browser)` in a thread of its own (Playwright's sync API allows one
    instance per thread and the e2e suite keeps its session browser open)."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("PARINDEX_REQUIRE_BROWSER") == "1":
            pytest.fail(f"chromium not found at {CHROMIUM}")
        pytest.skip("Debian chromium is not installed (apt-get install chromium)")
    failures: list[BaseException] = []

    def run():
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                try:
                    scenario(browser)
                finally:
                    browser.close()
        except BaseException as failure:  # re-raised in the test's thread
            failures.append(failure)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if failures:
        raise failures[0]


def signed_in(browser, live_server, username: str, next_url: str):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/dang-nhap/?next={next_url}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}{next_url}")
    return context, page


def type_note(page, text: str) -> None:
    page.locator("form.leaf-form textarea[name=note]").fill(text)
    page.locator("form.leaf-form textarea[name=note]").blur()


def test_two_people_on_one_leaf_the_second_is_told_who_saved_first(
    live_server, open_now, yte, officer, head, leaf
):
    criterion = leaf("1.1")
    url = f"/tu-danh-gia/tieu-chi/{criterion.pk}/"

    def scenario(browser):
        _, minh = signed_in(browser, live_server, "canbo.yte", url)
        _, hung = signed_in(browser, live_server, "thutruong.yte", url)
        minh.locator("input[name=score]").fill("1,5")
        type_note(minh, "Kế hoạch số 12/KH-SYT")
        expect(minh.locator(".saved")).to_contain_text("Đã lưu lúc")

        hung.locator("input[name=score]").fill("2")
        hung.locator("input[name=score]").blur()
        status = hung.locator(".saved")
        expect(status).to_contain_text("vừa được Trần Văn Minh sửa lúc")
        expect(status).to_contain_text("Kế hoạch số 12/KH-SYT")
        expect(hung.locator("input[name=score]")).to_have_value("2")

        # Having seen the other version, a deliberate save goes in; the next autosave too.
        type_note(hung, "Kế hoạch số 12/KH-SYT; bổ sung báo cáo quý")
        expect(status).to_contain_text("Đã lưu lúc")
        hung.locator("input[name=score]").fill("1,75")
        hung.locator("input[name=score]").blur()
        expect(status).to_contain_text("Đã lưu lúc")

    with_browser(scenario)
    score = Score.objects.get(participation=yte, criterion=criterion)
    assert score.self_note == "Kế hoạch số 12/KH-SYT; bổ sung báo cáo quý"
    assert str(score.self_score) == "1.750"


def test_expired_session_says_so_keeps_the_text_and_restores_it_after_login(
    live_server, open_now, yte, officer, leaf
):
    criterion = leaf("1.1")
    url = f"/tu-danh-gia/tieu-chi/{criterion.pk}/"

    def scenario(browser):
        context, page = signed_in(browser, live_server, "canbo.yte", url)
        context.clear_cookies(name="sessionid")
        type_note(page, "Viết trong lúc phiên hết hạn")
        status = page.locator(".saved")
        expect(status).to_contain_text("phiên đăng nhập đã hết hạn")
        assert status.locator("input, form").count() == 0  # no login page inside
        expect(page.locator("textarea[name=note]")).to_have_value("Viết trong lúc phiên hết hạn")

        status.get_by_role("link", name="Đăng nhập lại").click()
        page.fill("input[name=username]", "canbo.yte")
        page.fill("input[name=password]", PASSWORD)
        page.locator("main button[type=submit]").click()
        page.wait_for_url(f"{live_server.url}{url}")
        expect(page.locator("textarea[name=note]")).to_have_value("Viết trong lúc phiên hết hạn")
        expect(status).to_contain_text("Đã khôi phục nội dung")
        page.locator("form.leaf-form button[type=submit]").click()
        expect(status).to_contain_text("Đã lưu lúc")

    with_browser(scenario)
    assert Score.objects.get(participation=yte, criterion=criterion).self_note == (
        "Viết trong lúc phiên hết hạn"
    )


def test_stale_form_token_server_error_and_network_error_are_told_apart(
    live_server, open_now, yte, officer, leaf
):
    criterion = leaf("1.1")
    url = f"/tu-danh-gia/tieu-chi/{criterion.pk}/"

    def scenario(browser):
        context, page = signed_in(browser, live_server, "canbo.yte", url)
        status = page.locator(".saved")
        note = page.locator("textarea[name=note]")

        page.route(
            "**/luu/",
            lambda route: route.fulfill(
                status=500, content_type="text/html", body="<!doctype html><html>Lỗi</html>"
            ),
        )
        type_note(page, "Lần 1")
        expect(status).to_contain_text("máy chủ đang gặp lỗi")
        expect(status).not_to_contain_text("Lỗi</html>")
        page.unroute("**/luu/")

        page.route("**/luu/", lambda route: route.abort())
        type_note(page, "Lần 2")
        expect(status).to_contain_text("mất kết nối mạng")
        page.unroute("**/luu/")

        context.clear_cookies(name="csrftoken")
        type_note(page, "Lần 3")
        expect(status).to_contain_text("trang này đã cũ")
        expect(note).to_have_value("Lần 3")

    with_browser(scenario)
    assert not Score.objects.filter(participation=yte, criterion=criterion).exists()
