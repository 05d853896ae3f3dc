"""A whole assessment year, 2026 of the demo city (Hải Phòng), walked through the real UI.

Sở Y tế scores leaf 2.1.1 and uploads a PDF, its head submits; the appraiser from Sở
Tư pháp adjusts the score; the unit explains; the appraiser gives the final score; the
council recomputes and publishes; the public reads the ranking. Time moves on between the
steps by moving the year's windows around the real clock, which the live server shares.
"""

import io
import re
from datetime import timedelta
from decimal import Decimal
from urllib.parse import parse_qs

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from appraisal.models import AppraisalEntry, AreaResult, Explanation, UnitResult
from appraisal.services.publication import publication_gaps, survey_gap_acknowledge
from criteria.models import Criterion, Participation, Year
from demo.users import Y_TE
from evidence.models import EvidenceFile, Score, Submission

from .conftest import login, screenshot

pytestmark = pytest.mark.e2e

YEAR = 2026
UNIT = Y_TE
LEAF = "2.1.1"
SELF_NOTE = "Đã ban hành Kế hoạch CCHC năm 2026 đúng hạn; một nhiệm vụ chưa hoàn thành."
APPRAISAL_COMMENT = "Kế hoạch ban hành chậm 5 ngày so với quy định: điều chỉnh giảm."
EXPLANATION_NOTE = "Kế hoạch ban hành đúng hạn theo công văn số 12/SYT; gửi kèm văn bản."
FINAL_COMMENT = "Chấp nhận một phần giải trình: văn bản kèm theo chứng minh ban hành đúng hạn."


def pdf_bytes(text: str) -> bytes:
    """A small but structurally valid one-page PDF (header, objects, xref, trailer)."""
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def move_windows(**windows: tuple[timedelta, timedelta]) -> None:
    """Set each window (opens, closes) relative to now: the administrator moving the year on."""
    now = timezone.now()
    changes = {}
    for window, (opens, closes) in windows.items():
        changes[f"{window}_opens"] = now + opens
        changes[f"{window}_closes"] = now + closes
    Year.objects.filter(year=YEAR).update(**changes)


DAY, HOUR = timedelta(days=1), timedelta(hours=1)


@pytest.fixture
def demo(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", stdout=io.StringIO())


@pytest.fixture
def open_as(browser, live_server):
    """open_as(username) → a logged-in page in a fresh context; None for the public."""
    contexts = []

    def open_(username: str | None):
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        if username:
            login(page, live_server, username)
        return page

    yield open_
    for context in contexts:
        context.close()


def officer_scores_explains_and_uploads(open_as, url, participation, leaf):
    """The unit's officer scores 2.1.1 with a comma decimal, explains, uploads a PDF."""
    page = open_as("canbo.yte")
    page.goto(f"{url}/tu-danh-gia/")
    expect(page.get_by_role("heading", name=f"Tự đánh giá năm {YEAR} – Sở Y tế")).to_be_visible()
    page.locator(f"#leaf-{leaf.pk} header a").click()
    expect(page.get_by_role("heading", name=f"{LEAF}. {leaf.name}")).to_be_visible()

    page.locator("form.upload input[name=files]").set_input_files(
        files=[
            {
                "name": "ke-hoach-cchc-2026.pdf",
                "mimeType": "application/pdf",
                "buffer": pdf_bytes("Ke hoach CCHC nam 2026 - So Y te"),
            }
        ]
    )
    page.locator("form.upload button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text(
        f"Đã tải lên 'ke-hoach-cchc-2026.pdf' ({LEAF})."
    )
    expect(page.locator("table.files-table")).to_contain_text("ke-hoach-cchc-2026.pdf")

    def complete_save(response) -> bool:
        if not response.url.endswith(f"/tieu-chi/{leaf.pk}/luu/"):
            return False
        posted = parse_qs(response.request.post_data or "")
        return posted.get("score") == ["1,5"] and posted.get("note") == [SELF_NOTE]

    form = page.locator("form.leaf-form")
    with page.expect_response(complete_save):
        form.locator("input[name=score]").fill("1,5")
        form.locator("textarea[name=note]").fill(SELF_NOTE)
        form.get_by_role("button", name="Lưu").click()
    expect(page.locator(f"#saved-{leaf.pk}")).to_contain_text("Đã lưu lúc")
    screenshot(page, "self-assessment")
    score = Score.objects.get(participation=participation, criterion=leaf)
    assert (score.self_score, score.self_note) == (Decimal("1.5"), SELF_NOTE)
    assert list(score.evidence.values_list("original_name", "kind")) == [
        ("ke-hoach-cchc-2026.pdf", EvidenceFile.Kind.PDF)
    ]
    return score


def head_reviews_and_submits(open_as, url, participation, leaf, score):
    """The head reviews what is about to be sent and confirms."""
    page = open_as("thutruong.yte")
    page.goto(f"{url}/tu-danh-gia/")
    page.get_by_role("link", name="Xem lại và gửi bản tự đánh giá").click()
    expect(
        page.get_by_role("heading", name=f"Gửi bản tự đánh giá năm {YEAR} – Sở Y tế")
    ).to_be_visible()
    expect(page.locator(".facts")).to_contain_text("1 tệp")
    screenshot(page, "submit-confirm")
    page.get_by_role("button", name="Xác nhận gửi bản tự đánh giá").click()
    expect(page.locator(".messages")).to_contain_text("Đã gửi bản tự đánh giá của đơn vị.")
    expect(page.locator(".sa-status")).to_contain_text("Đã gửi lúc")
    expect(page.locator(f"#leaf-{leaf.pk} input[name=score]")).to_be_disabled()
    assert Submission.objects.filter(participation=participation).exists()


def appraiser_adjusts_the_leaf(open_as, url, participation, leaf, score):
    """Self-assessment closes, appraisal opens: the appraiser adjusts 2.1.1 down."""
    move_windows(
        self_assessment=(-20 * DAY, -HOUR),
        appraisal=(-HOUR, 5 * DAY),
        explanation=(5 * DAY, 7 * DAY),
    )
    page = open_as("thamdinh.tuphap")
    page.goto(f"{url}/tham-dinh/")
    expect(
        page.get_by_role("heading", name=f"Thẩm định kết quả tự đánh giá năm {YEAR}")
    ).to_be_visible()
    expect(page.locator("p.window")).to_contain_text("Đang mở")
    row = page.locator("table.queue-table tbody tr", has_text="Sở Y tế")
    expect(row).to_have_count(1)
    screenshot(page, "appraisal-queue")
    row.locator(f"a[href$='/don-vi/{UNIT}/linh-vuc/2/']").click()
    expect(page.get_by_role("heading", name="Lĩnh vực 2.", exact=False)).to_be_visible()
    page.locator("table.ranking tbody tr", has_text=LEAF).get_by_role("link").click()

    expect(page.get_by_role("heading", name=f"{LEAF}. {leaf.name}")).to_be_visible()
    unit_side = page.locator("section.unit-side")
    expect(unit_side.locator(".facts")).to_contain_text("1,5")
    expect(unit_side.locator("blockquote")).to_contain_text(SELF_NOTE)
    frame = page.locator("iframe.evidence-frame")
    expect(frame).to_be_visible()
    preview = page.context.request.get(url + frame.get_attribute("src"))
    assert preview.ok and preview.headers["content-type"] == "application/pdf"
    assert preview.body().startswith(b"%PDF-1.4")

    appraise = page.locator("section.appraise form")
    appraise.get_by_label("Điều chỉnh").check()
    appraise.locator("input[name=appraised_score]").fill("1,25")
    appraise.locator("textarea[name=comment]").fill("")
    appraise.get_by_role("button", name="Lưu kết quả thẩm định").click()
    expect(page.locator("section.appraise .errorlist")).to_contain_text(
        "Nhập ý kiến thẩm định khi điểm khác điểm tự chấm."
    )
    assert not AppraisalEntry.objects.filter(score=score).exists()
    appraise.locator("textarea[name=comment]").fill(APPRAISAL_COMMENT)
    screenshot(page, "appraisal-leaf")
    appraise.get_by_role("button", name="Lưu kết quả thẩm định").click()
    expect(page.locator(".messages")).to_contain_text(f"Đã lưu kết quả thẩm định tiêu chí {LEAF}.")
    first = AppraisalEntry.objects.get(score=score)
    assert (first.round, first.status, first.appraised_score, first.comment) == (
        AppraisalEntry.Round.FIRST,
        AppraisalEntry.Status.ADJUSTED,
        Decimal("1.25"),
        APPRAISAL_COMMENT,
    )


def unit_explains_with_a_file(open_as, url, participation, leaf, score):
    """Appraisal closes, the explanation round opens: the unit explains, with a file."""
    move_windows(
        self_assessment=(-20 * DAY, -2 * DAY),
        appraisal=(-2 * DAY, -HOUR),
        explanation=(-HOUR, 2 * DAY),
    )
    page = open_as("canbo.yte")
    page.goto(f"{url}/tham-dinh/giai-trinh/")
    expect(
        page.get_by_role("heading", name=f"Giải trình kết quả thẩm định năm {YEAR}")
    ).to_be_visible()
    disputed = page.locator("table.ranking tbody tr", has_text=LEAF)
    expect(disputed).to_contain_text("Điều chỉnh")
    disputed.get_by_role("link", name=leaf.name).click()
    expect(page.locator("ol.history")).to_contain_text("Vòng 1")
    expect(page.locator("ol.history")).to_contain_text("1,25")
    expect(page.locator("ol.history")).to_contain_text(APPRAISAL_COMMENT)
    page.locator("textarea[name=note]").fill(EXPLANATION_NOTE)
    page.locator("input[name=files]").set_input_files(
        files=[
            {
                "name": "cong-van-12-syt.pdf",
                "mimeType": "application/pdf",
                "buffer": pdf_bytes("Cong van so 12/SYT"),
            }
        ]
    )
    screenshot(page, "explanation")
    page.get_by_role("button", name="Gửi giải trình").click()
    expect(page.locator(".messages")).to_contain_text(f"Đã gửi giải trình tiêu chí {LEAF}.")
    expect(page.locator("table.ranking tbody tr", has_text=LEAF)).to_contain_text(
        "Đơn vị đã giải trình, chờ chấm vòng 2"
    )
    explanation = Explanation.objects.get(score=score)
    assert explanation.note == EXPLANATION_NOTE
    assert [f.original_name for f in explanation.files.all()] == ["cong-van-12-syt.pdf"]


def appraiser_gives_the_final_score(open_as, url, participation, leaf, score):
    """The explanation round closes: the appraiser gives the final score (round 2)."""
    move_windows(
        self_assessment=(-20 * DAY, -3 * DAY),
        appraisal=(-3 * DAY, -2 * DAY),
        explanation=(-2 * DAY, -HOUR),
    )
    page = open_as("thamdinh.tuphap")
    page.goto(f"{url}/tham-dinh/{YEAR}/don-vi/{UNIT}/tieu-chi/{LEAF}/")
    expect(page.locator("section.appraise h3")).to_contain_text("vòng 2 (điểm cuối cùng)")
    expect(page.locator("ul.files")).to_contain_text("cong-van-12-syt.pdf")
    appraise = page.locator("section.appraise form")
    expect(appraise.get_by_label("Đề nghị giải trình")).to_have_count(0)
    appraise.get_by_label("Điều chỉnh").check()
    appraise.locator("input[name=appraised_score]").fill("1,75")
    appraise.locator("textarea[name=comment]").fill(FINAL_COMMENT)
    appraise.get_by_role("button", name="Lưu kết quả thẩm định").click()
    expect(page.locator(".messages")).to_contain_text(f"Đã lưu kết quả thẩm định tiêu chí {LEAF}.")
    page.goto(f"{url}/tham-dinh/{YEAR}/don-vi/{UNIT}/tieu-chi/{LEAF}/")
    expect(page.locator(".facts-line .state")).to_have_text("Vòng 2: Điều chỉnh")
    history = page.locator("ol.history > li")
    expect(history).to_have_count(3)
    expect(history.nth(0)).to_contain_text("Vòng 1")
    expect(history.nth(0)).to_contain_text("1,25")
    expect(history.nth(1)).to_contain_text("Giải trình của đơn vị")
    expect(history.nth(1)).to_contain_text(EXPLANATION_NOTE)
    expect(history.nth(2)).to_contain_text("Vòng 2 (sau giải trình)")
    expect(history.nth(2)).to_contain_text("1,75")
    expect(history.nth(2)).to_contain_text(FINAL_COMMENT)


def council_sees_the_gaps_then_the_secretariat_finishes(open_as, url, participation, leaf, score):
    """The council cannot publish half-appraised: the publish page lists what is missing
    (every other unit's leaves here); the rest of the secretariat's work is then done."""
    page = open_as("hoidong")
    page.goto(f"{url}/tham-dinh/hoi-dong/{YEAR}/cong-bo/")
    expect(page.locator(".card")).to_contain_text("chưa thể công bố")
    yte = page.locator("section.gaps details", has_text="Sở Y tế")
    expect(yte).to_have_count(1)
    yte.locator("summary").click()
    expect(yte.locator("table.gaps-table")).not_to_contain_text(f"{LEAF}. {leaf.name}")
    gaps = publication_gaps(Year.objects.get(year=YEAR))
    assert gaps and all(g.criterion != leaf or g.participation != participation for g in gaps)
    for gap in gaps:
        if gap.acknowledgeable:
            survey_gap_acknowledge(
                participation=gap.participation,
                criterion=gap.criterion,
                note="Không có phiếu hợp lệ trong năm thử.",
            )
        else:
            Score.objects.update_or_create(
                participation=gap.participation,
                criterion=gap.criterion,
                defaults={"appraised_score": Decimal(0), "not_applicable": False},
            )
    assert publication_gaps(Year.objects.get(year=YEAR)) == []


def council_recomputes_and_publishes(open_as, url, participation, leaf, score):
    """The council recomputes (htmx progress until done) and publishes."""
    page = open_as("hoidong")
    page.goto(f"{url}/tham-dinh/hoi-dong/")
    expect(
        page.get_by_role("heading", name=f"Hội đồng đánh giá, xác định Chỉ số CCHC năm {YEAR}")
    ).to_be_visible()
    expect(page.locator("p.window")).to_contain_text("chưa tính chỉ số")
    page.get_by_role("button", name="Tính lại chỉ số").click()
    job = page.locator("#job .job")
    expect(job).to_contain_text("Hoàn thành · 100 %", timeout=30_000)
    job.get_by_role("link", name="Xem kết quả mới").click()
    expect(page.locator("p.window")).to_contain_text("khớp dữ liệu hiện tại")
    unit_row = page.locator("table.council-table tbody tr", has_text="Sở Y tế")
    expect(unit_row).to_have_count(1)
    area_2 = AreaResult.objects.get(unit_result__participation=participation, criterion__code="2")
    assert area_2.score == Decimal("1.75")  # the only appraised leaf of the area
    # The area's score, then its change against Sở Y tế's 2025 (the same code).
    expect(unit_row.locator("td").nth(3)).to_have_text(re.compile(r"^1,750"))

    page.get_by_role("link", name="Phê duyệt và công bố…").click()
    page.locator("input[name=confirm]").fill(str(YEAR - 1))
    page.get_by_role("button", name="Phê duyệt và công bố").click()
    expect(page.locator("p.error")).to_contain_text(f"Gõ {YEAR} vào ô xác nhận để công bố.")
    assert not Year.objects.get(year=YEAR).is_published
    page.locator("input[name=confirm]").fill(str(YEAR))
    page.get_by_role("button", name="Phê duyệt và công bố").click()
    expect(page.locator(".messages")).to_contain_text(
        f"Đã phê duyệt và công bố kết quả năm {YEAR}."
    )
    expect(page.locator("p.window")).to_contain_text("Công bố ngày")
    screenshot(page, "council")


def public_reads_the_ranking(open_as, url, participation, leaf, score):
    """The public reads the 2026 ranking."""
    page = open_as(None)
    page.goto(f"{url}/ket-qua/{YEAR}/")
    expect(page.get_by_role("heading", name=f"Kết quả Chỉ số CCHC năm {YEAR}")).to_be_visible()
    expect(page.locator("p.tag.draft")).to_have_count(0)
    result = UnitResult.objects.get(participation=participation)
    public_row = page.locator("table.ranking tbody tr", has_text="Sở Y tế")
    expect(public_row).to_have_count(1)
    expect(public_row.locator("td").nth(0)).to_have_text(str(result.rank))
    index = f"{result.index:.2f}".replace(".", ",")
    expect(public_row.locator("td").nth(3)).to_contain_text(index)
    screenshot(page, "public-2026")

    score.refresh_from_db()
    assert score.appraised_score == Decimal("1.75")
    assert (
        score.appraised_score == AppraisalEntry.objects.filter(score=score).last().appraised_score
    )
    year = Year.objects.get(year=YEAR)
    assert year.is_published and year.published_on == timezone.localdate()


def test_a_whole_year_from_self_assessment_to_the_public_ranking(live_server, demo, open_as):
    url = live_server.url
    participation = Participation.objects.get(year__year=YEAR, unit__code=UNIT)
    leaf = Criterion.objects.get(year__year=YEAR, block=participation.block, code=LEAF)
    score = officer_scores_explains_and_uploads(open_as, url, participation, leaf)
    head_reviews_and_submits(open_as, url, participation, leaf, score)
    appraiser_adjusts_the_leaf(open_as, url, participation, leaf, score)
    unit_explains_with_a_file(open_as, url, participation, leaf, score)
    appraiser_gives_the_final_score(open_as, url, participation, leaf, score)
    council_sees_the_gaps_then_the_secretariat_finishes(open_as, url, participation, leaf, score)
    council_recomputes_and_publishes(open_as, url, participation, leaf, score)
    public_reads_the_ranking(open_as, url, participation, leaf, score)
