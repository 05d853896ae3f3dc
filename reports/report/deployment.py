"""Parts I and II of the report: who was assessed, how they were scored, the survey behind
the scores, and the calendar of self-assessment and appraisal (report 27/BC-UBND, I–II)."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count

from criteria.models import Criterion, Year
from surveys.models import Answer

from .. import formatting as fmt
from ..data import BlockReport, YearReport
from .elements import Element, Heading, bold, italic, p
from .words import block_phrase, closing, local_date

ZERO = Decimal(0)


def deployment_section(report: YearReport) -> list[Element]:
    """I. The units assessed, each block's method, and the survey."""
    body: list[Element] = [
        Heading(2, "I. CÔNG TÁC TRIỂN KHAI ĐÁNH GIÁ, XÁC ĐỊNH CHỈ SỐ CẢI CÁCH HÀNH CHÍNH"),
        Heading(3, "1. Đối tượng đánh giá, xác định chỉ số CCHC"),
        *[
            p(f"- {b.name}: {fmt.count(len(b.units))} cơ quan, đơn vị.", style="item")
            for b in report.blocks
        ],
        Heading(3, "2. Phương pháp xác định"),
    ]
    for position, block in enumerate(report.blocks):
        body.append(
            Heading(5, f"{chr(ord('a') + position)}) Đối với Chỉ số CCHC của {block_phrase(block)}")
        )
        body += method_section(block)
    return body + survey_section(report)


def method_section(block: BlockReport) -> list[Element]:
    """What a block's criteria set scores, from its tree (report 27/BC-UBND, I.2)."""
    leaves = [c for c in block.criteria if c.is_leaf]
    total = sum((a.max_points for a in block.areas), ZERO)

    def by_survey(area: Criterion) -> bool:
        return any(
            leaf.method == Criterion.Method.SURVEY for leaf in leaves if leaf.area_code == area.code
        )

    counting = {line.code for line in block.units[0].areas if line.counts_for_classification}
    content = [a for a in block.areas if a.code in counting and not by_survey(a)]
    other_evidence = [a for a in block.areas if a.code not in counting and not by_survey(a)]
    survey = [a for a in block.areas if by_survey(a)]
    elements: list[Element] = []
    if content:
        subtotal = sum((a.max_points for a in content), ZERO)
        elements.append(
            p(
                f"- Đánh giá CCHC theo {len(content)} nội dung (",
                italic("thông qua các tài liệu kiểm chứng"),
                "), tổng số điểm là ",
                bold(f"{fmt.plain_number(subtotal)}/{fmt.plain_number(total)} điểm"),
                ", gồm:",
            )
        )
        elements += [
            p(f"+ {a.name}: {fmt.plain_number(a.max_points)} điểm.", style="item") for a in content
        ]
    for area in other_evidence:
        elements.append(
            p(
                f"- {area.name} (",
                italic("thông qua tài liệu kiểm chứng"),
                ") là ",
                bold(f"{fmt.plain_number(area.max_points)} điểm"),
                ".",
            )
        )
    for area in survey:
        elements.append(
            p(
                f"- {area.name} (",
                italic("thông qua điều tra xã hội học"),
                "), tổng số điểm là ",
                bold(f"{fmt.plain_number(area.max_points)}/{fmt.plain_number(total)} điểm"),
                ". Trong đó:",
            )
        )
        elements += [
            p(f"+ {c.name}: {fmt.plain_number(c.max_points)} điểm.", style="item")
            for c in block.criteria
            if c.parent_id == area.pk
        ]
    return elements


def ballot_counts(report: YearReport) -> dict[str, list[tuple[str, int]]]:
    """Block code → (respondent group, number of ballots about the block's units)."""
    rows = (
        Answer.objects.filter(ballot__year=report.year)
        .values("participation__block__code", "ballot__group__code", "ballot__group__name")
        .annotate(n=Count("ballot", distinct=True))
        .order_by("participation__block__code", "ballot__group__code")
    )
    counts: dict[str, list[tuple[str, int]]] = {}
    for row in rows:
        counts.setdefault(row["participation__block__code"], []).append(
            (row["ballot__group__name"], row["n"])
        )
    return counts


def survey_section(report: YearReport) -> list[Element]:
    """I.3: the ballots counted, per block and respondent group; nothing without ballots."""
    counts = ballot_counts(report)
    if not counts:
        return []
    total = sum(n for groups in counts.values() for _name, n in groups)
    body: list[Element] = [
        Heading(3, "3. Tổ chức điều tra xã hội học"),
        p(
            "Phiếu điều tra do Bưu điện tỉnh phát, thu và bàn giao cho Hội đồng đánh giá "
            "xác định Chỉ số CCHC tỉnh qua Sở Nội vụ; dữ liệu từng phiếu được cập nhật vào "
            "phần mềm để tính điểm theo công thức quy định. Tổng số phiếu điều tra là ",
            bold(f"{total} phiếu"),
            " (một phiếu có thể đánh giá nhiều đơn vị thuộc nhiều khối). Cụ thể:",
        ),
    ]
    for position, block in enumerate(report.blocks, start=1):
        groups = counts.get(block.code, [])
        body.append(
            Heading(
                4,
                f"3.{position}. Điều tra về công tác CCHC đối với {block_phrase(block)}: "
                f"{sum(n for _name, n in groups)} phiếu, gồm:",
            )
        )
        body += [p(f"- {name}: {n} phiếu;", style="item") for name, n in groups]
    return body


def process_section(year: Year) -> list[Element]:
    """II. Self-assessment, then appraisal, each in its window."""
    return [
        Heading(2, "II. QUY TRÌNH ĐÁNH GIÁ, CHẤM ĐIỂM"),
        p(
            "Các cơ quan, đơn vị tự rà soát, thu thập tài liệu kiểm chứng, tự đánh giá, chấm "
            "điểm theo từng tiêu chí, tiêu chí thành phần của Bộ chỉ số và đăng tải kết quả kèm "
            "tài liệu kiểm chứng trên phần mềm từ ngày "
            f"{local_date(year.self_assessment_opens)} đến 24 giờ ngày "
            f"{local_date(closing(year.self_assessment_closes))}."
        ),
        p(
            "Tổ thư ký giúp việc Hội đồng thẩm định kết quả tự đánh giá, chấm điểm (",
            italic(
                f"từ ngày {local_date(year.appraisal_opens)} "
                f"đến ngày {local_date(closing(year.appraisal_closes))}"
            ),
            ") và gửi kết quả về Hội đồng đánh giá xác định Chỉ số CCHC tỉnh qua phần mềm; điểm "
            "điều tra xã hội học được phần mềm tính từ dữ liệu của từng phiếu.",
        ),
    ]
