"""Self-assessment in a real browser: htmx autosave, the rubric score, upload by file input."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from criteria.models import Year
from evidence.models import EvidenceFile, Score
from tests.e2e.conftest import browser, page  # noqa: F401 (fixtures)

pytestmark = pytest.mark.e2e


@pytest.fixture
def open_now(transactional_db, year):
    """The window around the real clock: the browser and the live server share it."""
    now = timezone.now()
    Year.objects.filter(pk=year.pk).update(
        self_assessment_opens=now - timedelta(days=1),
        self_assessment_closes=now + timedelta(days=1),
    )


def login(page, live_server, username):  # noqa: F811 (the page fixture)
    page.goto(f"{live_server.url}/dang-nhap/?next=/tu-danh-gia/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "mat-khau-thu")
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/tu-danh-gia/")


def test_officer_scores_with_autosave_and_uploads(
    page,  # noqa: F811
    live_server,
    open_now,
    yte,
    officer,
    leaf,
    tmp_path,
):
    login(page, live_server, "canbo.yte")
    first = page.locator(f"#leaf-{leaf('1.1').pk}")
    first.locator("input[name=score]").fill("1,5")
    first.locator("textarea[name=note]").fill("Kế hoạch số 12/KH-SYT")
    first.locator("textarea[name=note]").blur()
    expect(first.locator(".saved")).to_contain_text("Đã lưu lúc")
    expect(page.locator(f"#progress-{leaf('1').pk}")).to_contain_text("1,5/4 điểm")

    measured = page.locator(f"#leaf-{leaf('1.2').pk}")
    measured.locator("input[name=value]").fill("85")
    measured.locator("input[name=value]").blur()
    expect(measured.locator(f"#score-{leaf('1.2').pk}")).to_have_text("0,5")

    first.locator("input[name=score]").fill("9")
    first.locator("input[name=score]").blur()
    expect(first.locator(".saved")).to_contain_text("Điểm tự chấm phải từ 0 đến 2.")

    scores = {s.criterion.code: s for s in Score.objects.filter(participation=yte)}
    assert scores["1.1"].self_score == Decimal("1.5")
    assert scores["1.1"].self_note == "Kế hoạch số 12/KH-SYT"
    assert scores["1.2"].self_score == Decimal("0.5")

    pdf = tmp_path / "ke-hoach.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%%EOF\n")
    page.locator(f"#leaf-{leaf('1.3').pk} input[type=file]").set_input_files(str(pdf))
    expect(page.locator(".messages")).to_contain_text("Đã tải lên 'ke-hoach.pdf' (1.3)")
    assert EvidenceFile.objects.get().original_name == "ke-hoach.pdf"
