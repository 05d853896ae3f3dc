"""Self-assessment in a real browser: htmx autosave, the rubric score, upload by file input."""

import os
import threading
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect, sync_playwright

from criteria.models import Year
from evidence.models import EvidenceFile, Score
from tests.e2e.conftest import ARGS, CHROMIUM

pytestmark = pytest.mark.e2e


def in_own_thread(scenario) -> None:
    """Run `scenario(page)` in chromium from a thread of its own: Playwright's sync API
    allows one instance per thread, and the e2e suite keeps its session browser open."""
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
                    context = browser.new_context(
                        viewport={"width": 1280, "height": 900}, locale="vi-VN"
                    )
                    page = context.new_page()
                    page.set_default_timeout(15_000)
                    scenario(page)
                finally:
                    browser.close()
        except BaseException as failure:  # re-raised in the test's thread
            failures.append(failure)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if failures:
        raise failures[0]


@pytest.fixture
def open_now(transactional_db, year):
    """The window around the real clock: the browser and the live server share it."""
    now = timezone.now()
    Year.objects.filter(pk=year.pk).update(
        self_assessment_opens=now - timedelta(days=1),
        self_assessment_closes=now + timedelta(days=1),
    )


def test_officer_scores_with_autosave_and_uploads(
    live_server, open_now, yte, officer, leaf, tmp_path
):
    pk = {code: leaf(code).pk for code in ("1", "1.1", "1.2", "1.3")}
    pdf = tmp_path / "ke-hoach.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%%EOF\n")

    def scenario(page):
        page.goto(f"{live_server.url}/dang-nhap/?next=/tu-danh-gia/")
        page.fill("input[name=username]", "canbo.yte")
        page.fill("input[name=password]", "mat-khau-thu")
        page.locator("main button[type=submit]").click()
        page.wait_for_url(f"{live_server.url}/tu-danh-gia/")

        first = page.locator(f"#leaf-{pk['1.1']}")
        first.locator("input[name=score]").fill("1,5")
        first.locator("textarea[name=note]").fill("Kế hoạch số 12/KH-SYT")
        first.locator("textarea[name=note]").blur()
        expect(first.locator(".saved")).to_contain_text("Đã lưu lúc")
        expect(page.locator(f"#progress-{pk['1']}")).to_contain_text("1,5/4 điểm")

        measured = page.locator(f"#leaf-{pk['1.2']}")
        measured.locator("input[name=value]").fill("85")
        measured.locator("input[name=value]").blur()
        expect(measured.locator(f"#score-{pk['1.2']}")).to_have_text("0,5")

        first.locator("input[name=score]").fill("9")
        first.locator("input[name=score]").blur()
        expect(first.locator(".saved")).to_contain_text("Điểm tự chấm phải từ 0 đến 2.")

        page.locator(f"#leaf-{pk['1.3']} input[type=file]").set_input_files(str(pdf))
        page.locator(f"#leaf-{pk['1.3']} form.upload button[type=submit]").click()
        expect(page.locator(".messages")).to_contain_text("Đã tải lên 'ke-hoach.pdf' (1.3)")

    in_own_thread(scenario)

    scores = {s.criterion.code: s for s in Score.objects.filter(participation=yte)}
    assert scores["1.1"].self_score == Decimal("1.5")
    assert scores["1.1"].self_note == "Kế hoạch số 12/KH-SYT"
    assert scores["1.2"].self_score == Decimal("0.5")
    assert EvidenceFile.objects.get().original_name == "ke-hoach.pdf"
