"""The whole report: its parts in order, the appendix, and the letterhead's fields."""

from __future__ import annotations

from .. import formatting as fmt
from ..analysis import BlockAnalysis, block_analysis
from ..data import YearReport
from .deployment import deployment_section, process_section
from .elements import Element, Heading, ReportDocument
from .remarks import remarks_section
from .results import heads_section, results_section, sipas_section
from .tables import lineage_table, sipas_table, summary_table, unit_gap_table
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
# Kinds whose units are led by a people's committee (UBND): the report goes to it.
COMMITTEES = {"huyen", "xa", "phuong", "dac_khu"}


def recipients(report: YearReport, province: str) -> list[str]:
    """The report's addressees: the province's bodies, then one line per block assessed
    (its units, from the block's own name), as many blocks as the year has."""
    if province == "Hải Dương" and {b.kind for b in report.blocks} <= {"", "so", "huyen"}:
        return list(RECIPIENTS)  # the 2021–2022 record's own list
    level = fmt.province_level(province)
    party = "Thành ủy" if level == "thành phố" else "Tỉnh ủy"
    lines = [
        RECIPIENTS[0],
        f"Ban Thường vụ {party};",
        f"Thường trực HĐND {level};",
        f"Chủ tịch, các PCT UBND {level};",
    ]
    for block in report.blocks:
        phrase = block_phrase(block)
        if block.kind in COMMITTEES and not phrase.startswith("UBND"):
            phrase = f"UBND {phrase}"
        lines.append(f"{phrase[:1].upper()}{phrase[1:]};")
    return lines + RECIPIENTS[-2:]


SIGNATURE = ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]


def report_document(report: YearReport, *, province: str = "") -> ReportDocument:
    """The report; the province is the year's own (DOMAIN §8), `province` (the
    installation's) only for a year that names none."""
    year = report.year
    province = year.province or province or report.province
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
        *sipas_section(report, province),
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
        recipients=recipients(report, province),
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
                *([lineage_table(block, report.year.year)] if block.has_lineage else []),
                *([sipas_table(block, report.year.year)] if block.sipas_units else []),
                unit_gap_table(block, analyses[block.code]),
            ],
        )
        for position, block in enumerate(report.blocks, start=1)
    ]
