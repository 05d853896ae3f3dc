"""No lost work on the appraisal and explanation forms in a real browser (DOMAIN §9): two
appraisers on one leaf, an expired session, two people of a unit explaining one leaf; and
the forms pass axe-core's WCAG 2.1 AA rules."""

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from appraisal.models import AppraisalEntry, Explanation
from appraisal.services.appraisals import appraisal_save
from criteria.models import Year
from tests.evidence import test_leaf_save_browser as evidence_browser
from tests.personas import PASSWORD

from .personas import *  # noqa: F403 - fixtures

pytestmark = pytest.mark.e2e

LEAF = "/tham-dinh/2023/don-vi/A1/tieu-chi/2.1/"
NEXT = "/tham-dinh/2023/don-vi/A1/tieu-chi/2.2/"
EXPLAIN = "/tham-dinh/giai-trinh/2023/A18/2.1/"
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
SAVE = "Lưu kết quả thẩm định"


def windows_around_now(year: Year, *, round_: str) -> None:
    """Move the year's windows so that `round_` is open on the real clock (the browser and
    the live server share it), the earlier ones closed, in their order."""
    now = timezone.now()
    start = now - timedelta(days=1) if round_ == "appraisal" else now - timedelta(days=4)
    Year.objects.filter(pk=year.pk).update(
        self_assessment_opens=start - timedelta(days=10),
        self_assessment_closes=start - timedelta(days=5),
        appraisal_opens=start,
        appraisal_closes=start + timedelta(days=2),
        explanation_opens=start + timedelta(days=2),
        explanation_closes=start + timedelta(days=6),
    )


@pytest.fixture
def appraising_now(transactional_db, world):
    windows_around_now(world.year, round_="appraisal")


@pytest.fixture
def explaining_now(transactional_db, world, appraiser, settings, tmp_path):
    """2.1 of Sở Y tế sent for explanation in round 1; the explanation round open now."""
    settings.MEDIA_ROOT = tmp_path
    windows_around_now(world.year, round_="explanation")
    world.year.refresh_from_db()
    appraisal_save(
        participation=world.participations["A18"],
        criterion=world.criteria["2.1"],
        status=AppraisalEntry.Status.NEEDS_EXPLANATION,
        appraised_score=Decimal("1.5"),
        comment="Chưa có văn bản thẩm định dự thảo.",
        by=appraiser,
        at=world.year.appraisal_opens + timedelta(hours=1),
    )


def signed_in(browser, live_server, username: str, next_url: str):
    # axe-core is injected as a script of the test's own: the page's CSP would refuse it.
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="vi-VN", bypass_csp=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, live_server, username, f"{live_server.url}/dang-nhap/?next={next_url}")
    page.wait_for_url(f"{live_server.url}{next_url}")
    return context, page


def log_in(page, live_server, username: str, url: str | None = None) -> None:
    if url:
        page.goto(url)
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main button[type=submit]").click()


def axe_violations(page, selector: str) -> list[str]:
    """WCAG 2.0/2.1 A and AA violations inside one part of the page, by axe-core."""
    page.add_script_tag(content=AXE.read_text())
    result = page.evaluate(
        """(selector) => axe.run(document.querySelector(selector), {
            runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}
        }).then(result => ({
            passes: result.passes.map(rule => rule.id),
            violations: result.violations.map(rule => rule.id + ": " + rule.nodes.map(
                node => node.target.join(" ")).join(", ")),
        }))""",
        selector,
    )
    # The rules that matter here did run: labels, the radio group, ARIA references.
    assert {"label", "aria-valid-attr-value"} <= set(result["passes"]), result["passes"]
    return result["violations"]


def appraise(page, status: str, score: str, comment: str) -> None:
    page.get_by_label(status, exact=True).check()
    page.locator("#id_appraised_score").fill(score)
    page.locator("#id_comment").fill(comment)
    page.get_by_role("button", name=SAVE).click()


def test_two_appraisers_on_one_leaf_the_second_is_told_who_saved_first(
    live_server, appraising_now, world, appraiser, lead
):
    if not AXE.exists():
        pytest.fail(f"axe-core not installed at {AXE}: run make install")

    def scenario(browser):
        _, ha = signed_in(browser, live_server, "thamdinh.tuphap", LEAF)
        _, anh = signed_in(browser, live_server, "totruong", LEAF)
        appraise(ha, "Điều chỉnh", "2,5", "Thiếu văn bản thẩm định.")
        ha.wait_for_url(f"{live_server.url}{NEXT}")
        expect(ha.locator(".messages")).to_contain_text("Đã lưu kết quả thẩm định tiêu chí 2.1")

        appraise(anh, "Điều chỉnh", "2", "Theo hồ sơ bổ sung.")
        status = anh.locator("#appraise-status")
        expect(status).to_contain_text("Tiêu chí 2.1 vừa được Lê Thu Hà sửa lúc")
        expect(status).to_contain_text("điểm “2,5”, ý kiến “Thiếu văn bản thẩm định.”")
        assert anh.url == f"{live_server.url}{LEAF}"
        expect(anh.locator("#id_comment")).to_have_value("Theo hồ sơ bổ sung.")
        expect(anh.locator("#id_appraised_score")).to_have_value("2")
        expect(anh.get_by_label("Điều chỉnh", exact=True)).to_be_checked()
        expect(anh.locator("#appraise .history")).to_contain_text("Thiếu văn bản thẩm định.")
        assert axe_violations(anh, "#appraise") == []

        # Having seen the other appraisal, a deliberate save goes in.
        anh.locator("#id_comment").fill("Đã đối chiếu với ý kiến vòng 1: 2 điểm.")
        anh.get_by_role("button", name=SAVE).click()
        anh.wait_for_url(f"{live_server.url}{NEXT}")

    evidence_browser.with_browser(scenario)
    score = world.score("A1", "2.1")
    assert (score.appraised_score, score.appraisal_note) == (
        Decimal("2"),
        "Đã đối chiếu với ý kiến vòng 1: 2 điểm.",
    )
    assert [e.appraiser.username for e in score.appraisal_entries.order_by("id")] == [
        "thamdinh.tuphap",
        "totruong",
    ]


def test_expired_session_says_so_and_restores_the_appraisal_after_login(
    live_server, appraising_now, world, appraiser
):
    def scenario(browser):
        context, page = signed_in(browser, live_server, "thamdinh.tuphap", LEAF)
        context.clear_cookies(name="sessionid")
        appraise(page, "Điều chỉnh", "2,5", "Viết trong lúc phiên hết hạn")
        status = page.locator("#appraise-status")
        expect(status).to_contain_text("phiên đăng nhập đã hết hạn")
        assert status.locator("input, form").count() == 0  # no login page inside
        expect(page.locator("#id_comment")).to_have_value("Viết trong lúc phiên hết hạn")

        status.get_by_role("link", name="Đăng nhập lại").click()
        log_in(page, live_server, "thamdinh.tuphap")
        page.wait_for_url(f"{live_server.url}{LEAF}")
        expect(page.locator("#id_comment")).to_have_value("Viết trong lúc phiên hết hạn")
        expect(page.locator("#id_appraised_score")).to_have_value("2,5")
        expect(page.get_by_label("Điều chỉnh", exact=True)).to_be_checked()
        expect(status).to_contain_text("Đã khôi phục nội dung")
        page.get_by_role("button", name=SAVE).click()
        page.wait_for_url(f"{live_server.url}{NEXT}")

        # Saved: the kept copy is gone, the leaf shows the stored appraisal as it is.
        page.goto(f"{live_server.url}{LEAF}")
        expect(page.locator("#appraise .history")).to_contain_text("Viết trong lúc phiên hết hạn")
        expect(status).not_to_contain_text("Đã khôi phục")

    evidence_browser.with_browser(scenario)
    assert world.score("A1", "2.1").appraisal_note == "Viết trong lúc phiên hết hạn"


def test_two_people_explaining_one_leaf_the_second_keeps_the_note_and_the_file(
    live_server, explaining_now, world, officer, head, tmp_path
):
    pdf = tmp_path / "bao-cao-quy.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%%EOF\n")

    def scenario(browser):
        _, minh = signed_in(browser, live_server, "canbo.yte", EXPLAIN)
        _, hung = signed_in(browser, live_server, "thutruong.yte", EXPLAIN)
        hung.locator("#id_note").fill("Bản của thủ trưởng.")
        hung.locator("#id_files").set_input_files(str(pdf))

        minh.locator("#id_note").fill("Bổ sung văn bản số 15/STP.")
        minh.get_by_role("button", name="Gửi giải trình").click()
        minh.wait_for_url(f"{live_server.url}/tham-dinh/giai-trinh/2023/")

        hung.get_by_role("button", name="Gửi giải trình").click()
        status = hung.locator("#explain-status")
        expect(status).to_contain_text("Tiêu chí 2.1 vừa được Trần Văn Minh sửa lúc")
        expect(hung.locator("#explain-history")).to_contain_text("Bổ sung văn bản số 15/STP.")
        expect(hung.locator("#id_note")).to_have_value("Bản của thủ trưởng.")
        assert hung.locator("#id_files").evaluate("input => input.files.length") == 1
        assert axe_violations(hung, "#explain") == []

        hung.get_by_role("button", name="Gửi giải trình").click()
        hung.wait_for_url(f"{live_server.url}/tham-dinh/giai-trinh/2023/")

    evidence_browser.with_browser(scenario)
    first, second = Explanation.objects.order_by("id")
    assert (first.by, first.files.count()) == (officer, 0)
    assert (second.by, second.note) == (head, "Bản của thủ trưởng.")
    assert second.files.get().original_name == "bao-cao-quy.pdf"


def test_stale_form_token_server_error_and_network_error_keep_the_appraisal(
    live_server, appraising_now, world, appraiser
):
    def scenario(browser):
        context, page = signed_in(browser, live_server, "thamdinh.tuphap", LEAF)
        status = page.locator("#appraise-status")
        comment = page.locator("#id_comment")
        # Only the save is intercepted: the page itself is already loaded.
        page.route(
            f"**{LEAF}",
            lambda route: route.fulfill(
                status=500, content_type="text/html", body="<!doctype html><html>Lỗi</html>"
            ),
        )
        appraise(page, "Điều chỉnh", "2,5", "Lần 1")
        expect(status).to_contain_text("máy chủ đang gặp lỗi")
        expect(status).not_to_contain_text("Lỗi</html>")
        page.unroute(f"**{LEAF}")

        page.route(f"**{LEAF}", lambda route: route.abort())
        appraise(page, "Điều chỉnh", "2,5", "Lần 2")
        expect(status).to_contain_text("mất kết nối mạng")
        page.unroute(f"**{LEAF}")

        context.clear_cookies(name="csrftoken")
        appraise(page, "Điều chỉnh", "2,5", "Lần 3")
        expect(status).to_contain_text("trang này đã cũ")
        expect(status).to_contain_text("bấm “Lưu kết quả thẩm định”")
        expect(comment).to_have_value("Lần 3")
        expect(page.get_by_label("Điều chỉnh", exact=True)).to_be_checked()

    evidence_browser.with_browser(scenario)
    assert not AppraisalEntry.objects.exists()
