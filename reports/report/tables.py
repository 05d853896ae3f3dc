"""The report's tables: the per-area and self-score tables of part V, and the appendix's
results and self-score tables per block."""

from __future__ import annotations

from appraisal.results import rank_change_words

from .. import formatting as fmt
from ..analysis import BlockAnalysis
from ..data import BlockReport
from .elements import Cell, Table


def area_table(block: BlockReport, analysis: BlockAnalysis) -> Table:
    return Table(
        caption=f"Chỉ số bình quân theo lĩnh vực – {block.name}",
        header=[
            [
                Cell("TT"),
                Cell("Lĩnh vực"),
                Cell("Điểm tối đa"),
                Cell("Điểm bình quân"),
                Cell("Chỉ số bình quân (%)"),
                Cell("Tỷ lệ điểm bị mất (%)"),
                Cell("Đơn vị đạt thấp nhất (chỉ số %)"),
            ]
        ],
        rows=[
            [
                Cell(a.code, align="center"),
                Cell(a.name),
                Cell(fmt.plain_number(a.max_points), align="num"),
                Cell(fmt.points(a.average_score), align="num"),
                Cell(fmt.percent(a.average_index), align="num"),
                Cell(fmt.percent(a.share_lost), align="num"),
                Cell("; ".join(f"{u.name} ({fmt.percent(i)})" for u, i in a.lowest)),
            ]
            for a in analysis.areas
        ],
        widths=[5, 30, 8, 9, 9, 9, 30],
    )


def gap_table(block: BlockReport, analysis: BlockAnalysis) -> Table:
    return Table(
        caption=f"Điểm tự chấm và điểm thẩm định theo lĩnh vực – {block.name}",
        header=[
            [
                Cell("TT"),
                Cell("Lĩnh vực"),
                Cell("Tổng điểm tự chấm"),
                Cell("Tổng điểm thẩm định"),
                Cell("Chênh lệch"),
                Cell("Thẩm định / tự chấm (%)"),
            ]
        ],
        rows=[
            [
                Cell(g.code, align="center"),
                Cell(g.name),
                Cell(fmt.points(g.self_score), align="num"),
                Cell(fmt.points(g.appraised), align="num"),
                Cell(fmt.points(g.gap), align="num"),
                Cell(fmt.percent(g.ratio), align="num"),
            ]
            for g in analysis.area_gaps
        ],
        widths=[5, 45, 12, 12, 12, 12],
    )


def summary_table(block: BlockReport, year: int, previous_year: int | None) -> Table:
    """One row per unit: area scores, total, index, rank, change, band, class."""
    areas = block.areas
    header = [
        [
            Cell("Hạng", rowspan=2),
            Cell("Biểu số", rowspan=2),
            Cell("Cơ quan, đơn vị", rowspan=2),
            Cell("Điểm đạt theo lĩnh vực", colspan=len(areas)),
            Cell("Tổng điểm", rowspan=2),
            Cell("Chỉ số CCHC (%)", rowspan=2),
            Cell(
                f"Thay đổi thứ hạng so với năm {previous_year}"
                if previous_year
                else "Thay đổi thứ hạng",
                rowspan=2,
            ),
            *([Cell("Thay đổi chỉ số (điểm %)", rowspan=2)] if block.has_lineage else []),
            Cell("Nhóm", rowspan=2),
            Cell("Xếp loại người đứng đầu", rowspan=2),
        ],
        [Cell(f"{a.code} ({fmt.plain_number(a.max_points)})") for a in areas],
    ]
    lineage = block.has_lineage
    rows = [
        [
            Cell(str(u.rank), align="center"),
            Cell(u.code, align="center"),
            Cell(u.name),
            *[Cell(fmt.points(line.score), align="num") for line in u.areas],
            Cell(fmt.points(u.total), align="num"),
            Cell(fmt.percent(u.index), align="num"),
            Cell(rank_change_words(u.rank_change), align="center"),
            *([Cell(fmt.change(u.index_change) or fmt.NEW_UNIT, align="num")] if lineage else []),
            Cell(fmt.band_cell(u.band_name, u.band, block.rules), align="center"),
            Cell(u.classification_label),
        ]
        for u in block.units
    ]
    return Table(
        caption=f"Kết quả Chỉ số CCHC năm {year} – {block.name}",
        header=header,
        rows=rows,
        widths=[5, 4, 18, *([6] * len(areas)), 7, 6, 8, *([7] if lineage else []), 7, 12],
    )


def lineage_table(block: BlockReport, year: int) -> Table:
    """DOMAIN §8: each unit's index and area changes, with the units compared with named."""
    areas = block.areas
    return Table(
        caption=f"Thay đổi Chỉ số CCHC năm {year} so với đơn vị tiền thân – {block.name}",
        header=[
            [
                Cell("Hạng", rowspan=2),
                Cell("Cơ quan, đơn vị", rowspan=2),
                Cell("So sánh với", rowspan=2),
                Cell("Thay đổi chỉ số (điểm %)", rowspan=2),
                Cell("Thay đổi chỉ số theo lĩnh vực (điểm %)", colspan=len(areas)),
            ],
            [Cell(a.code) for a in areas],
        ],
        rows=[
            [
                Cell(str(u.rank), align="center"),
                Cell(u.name),
                Cell(comparison_words(u)),
                Cell(fmt.change(u.index_change) or "–", align="num"),
                *[Cell(fmt.change(line.change) or "–", align="num") for line in u.areas],
            ]
            for u in block.units
        ],
        widths=[5, 18, 26, 8, *([6] * len(areas))],
    )


def comparison_words(unit) -> str:
    """`Sở Tài chính (2024: A3); Sở Kế hoạch và Đầu tư (2024: A4)`, or `Đơn vị mới`."""
    if unit.index_change is None:
        return fmt.NEW_UNIT
    parts = [
        f"{p.get('name') or p.get('code')} ({p.get('year')}: {p.get('code')})"
        for p in unit.predecessors
    ]
    return "; ".join(parts) or "–"


def sipas_table(block: BlockReport, year: int) -> Table:
    """The block's satisfaction index per unit, by SIPAS rank, with the block's pooled one."""
    rows = [
        [
            Cell(str(u.sipas.rank or ""), align="center"),
            Cell(u.name),
            Cell(fmt.percent(u.sipas.index), align="num"),
            Cell(fmt.interval(u.sipas.low, u.sipas.high), align="center"),
            Cell(fmt.thousands(u.sipas.counted), align="num"),
        ]
        for u in block.sipas_units
    ]
    if block.sipas is not None:
        rows.append(
            [
                Cell(""),
                Cell(f"Cả khối: {block.name}"),
                Cell(fmt.percent(block.sipas.index), align="num"),
                Cell(fmt.interval(block.sipas.low, block.sipas.high), align="center"),
                Cell(fmt.thousands(block.sipas.counted), align="num"),
            ]
        )
    return Table(
        caption=f"Chỉ số hài lòng về sự phục vụ hành chính năm {year} – {block.name}",
        header=[
            [
                Cell("Hạng"),
                Cell("Cơ quan, đơn vị"),
                Cell("Chỉ số hài lòng (%)"),
                Cell("Khoảng tin cậy 95 % (%)"),
                Cell("Số câu trả lời"),
            ]
        ],
        rows=rows,
        widths=[6, 44, 14, 20, 12],
    )


def unit_gap_table(block: BlockReport, analysis: BlockAnalysis) -> Table:
    return Table(
        caption=f"Điểm tự chấm và điểm thẩm định của từng đơn vị – {block.name}",
        header=[
            [
                Cell("Hạng"),
                Cell("Cơ quan, đơn vị"),
                Cell("Tổng điểm tự chấm"),
                Cell("Tổng điểm thẩm định"),
                Cell("Chênh lệch"),
                Cell("Thẩm định / tự chấm (%)"),
            ]
        ],
        rows=[
            [
                Cell(str(g.unit.rank), align="center"),
                Cell(g.unit.name),
                Cell(fmt.points(g.self_score), align="num"),
                Cell(fmt.points(g.appraised), align="num"),
                Cell(fmt.points(g.gap), align="num"),
                Cell(fmt.percent(g.ratio), align="num"),
            ]
            for g in sorted(analysis.unit_gaps, key=lambda g: g.unit.rank)
        ],
        widths=[6, 40, 14, 14, 12, 14],
    )
