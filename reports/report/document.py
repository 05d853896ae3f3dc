"""The whole report: its parts in order, the appendix, and the letterhead's fields."""

from __future__ import annotations

from .. import formatting as fmt
from ..analysis import BlockAnalysis, block_analysis
from ..data import YearReport
from .deployment import deployment_section, process_section
from .elements import Element, Heading, ReportDocument
from .remarks import remarks_section
from .results import heads_section, results_section
from .tables import summary_table, unit_gap_table
from .words import block_phrase

RECIPIENTS = [
    "Vụ Cải cách hành chính, Bộ Nội vụ;",
    "Ban Thường vụ Tỉnh ủy;",
    "Thường trực HĐND tỉnh;",
    "Chủ tịch, các PCT UBND tỉnh;",
    "Các sở, ban, ngành tỉnh;",
    "UBND các huyện, thị xã, thành phố;",
    "Tổ thư ký HĐ đánh giá, xác định Chỉ số CCHC;",
    "Lưu: VT, NC.",
]
SIGNATURE = ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]


def report_document(report: YearReport, *, province: str) -> ReportDocument:
    year = report.year
    analyses = {block.code: block_analysis(block) for block in report.blocks}
    phrases = "; ".join(block_phrase(b) for b in report.blocks)
    body: list[Element] = [
        Heading(1, "Phần thứ nhất"),
        Heading(
            1,
            f"KẾT QUẢ ĐÁNH GIÁ, XÁC ĐỊNH CHỈ SỐ CCHC CỦA {phrases.upper()} NĂM {year.year}",
        ),
        *deployment_section(report),
        *process_section(year),
        *results_section(report),
        *heads_section(report),
        *remarks_section(report, analyses),
    ]
    return ReportDocument(
        title="BÁO CÁO",
        subject=(
            f"Kết quả đánh giá, xác định Chỉ số Cải cách hành chính của {phrases} năm {year.year}"
        ),
        place_date=fmt.long_date(year.published_on, province),
        body=body,
        appendix=appendix(report, analyses),
        recipients=list(RECIPIENTS),
        signature=list(SIGNATURE),
        draft=not year.is_published,
    )


def appendix(
    report: YearReport, analyses: dict[str, BlockAnalysis]
) -> list[tuple[str, list[Element]]]:
    """One landscape part per block: its results table and its self-score table."""
    return [
        (
            f"Phụ lục {position}. {block.name.upper()}",
            [
                summary_table(block, report.year.year, report.previous_year),
                unit_gap_table(block, analyses[block.code]),
            ],
        )
        for position, block in enumerate(report.blocks, start=1)
    ]
