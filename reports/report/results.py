"""Parts III and IV of the report: the units in each band of the index, and their heads in
each class of task completion (report 27/BC-UBND, III–IV)."""

from __future__ import annotations

from appraisal import results
from appraisal.scoring import HOAN_THANH, KHONG_HOAN_THANH, TOT, XUAT_SAC

from .. import formatting as fmt
from ..data import BlockReport, UnitReport, YearReport
from .elements import Cell, Element, Heading, Table, italic, p
from .words import annex_range, block_phrase, by_rank, names

CLASS_ORDER = (XUAT_SAC, TOT, HOAN_THANH, KHONG_HOAN_THANH)
CLASS_GROUP = {
    XUAT_SAC: "Nhóm hoàn thành xuất sắc nhiệm vụ",
    TOT: "Nhóm hoàn thành tốt nhiệm vụ",
    HOAN_THANH: "Nhóm hoàn thành nhiệm vụ",
    KHONG_HOAN_THANH: "Nhóm không hoàn thành nhiệm vụ",
}


def results_section(report: YearReport) -> list[Element]:
    """III. Each block's units by band."""
    body: list[Element] = [
        Heading(2, "III. KẾT QUẢ XÁC ĐỊNH CHỈ SỐ CCHC"),
        p(
            "Chỉ số CCHC của các cơ quan, đơn vị được tổng hợp trên cơ sở kết quả điểm thẩm định "
            "của Tổ thư ký (",
            italic("qua các tài liệu kiểm chứng"),
            ") và kết quả tổng hợp các Phiếu điều tra xã hội học. Kết quả cụ thể như sau:",
        ),
    ]
    for position, block in enumerate(report.blocks, start=1):
        body.append(Heading(3, f"{position}. Chỉ số CCHC của {block_phrase(block)}"))
        body += band_section(block)
    return body


def band_section(block: BlockReport) -> list[Element]:
    """Section III for one block: every non-empty band, highest first."""
    filled = band_groups(block)
    elements: list[Element] = [
        p(
            f"Kết quả Chỉ số CCHC của {block_phrase(block)} được xác định thành "
            f"{fmt.count(len(filled))} nhóm điểm:"
        )
    ]
    for position, units in filled:
        label = results.band_label(position, block.rules.bands)
        name = next((u.band_name for u in units if u.band_name), "")
        lead = (
            f"- Nhóm “{name}” (Chỉ số tổng hợp {label} so với điểm tối đa)"
            if name
            else f"- Nhóm đạt Chỉ số tổng hợp {label} so với điểm tối đa"
        )
        elements.append(
            p(
                f"{lead}: Có {fmt.count(len(units))} đơn vị (",
                italic(f"gồm: {names(by_rank(units))}"),
                ").",
                style="item",
            )
        )
    return elements


def band_groups(block: BlockReport) -> list[tuple[int, list[UnitReport]]]:
    """(band position, its units) for every non-empty band, highest first: a band is told
    apart by its position in the block's thresholds, never by a rounded threshold."""
    groups: dict[int, list[UnitReport]] = {}
    for unit in block.units:
        groups.setdefault(fmt.band_position(unit.band, block.rules), []).append(unit)
    return sorted(groups.items())  # empty bands are not printed


def heads_section(report: YearReport) -> list[Element]:
    """IV. The classes' rules, then each block's heads by class, then where the annexes are."""
    body: list[Element] = [
        Heading(
            2, "IV. ĐÁNH GIÁ TRÁCH NHIỆM CỦA NGƯỜI ĐỨNG ĐẦU CƠ QUAN HÀNH CHÍNH VỀ CÔNG TÁC CCHC"
        ),
        p(
            "Theo Quyết định số 13/2016/QĐ-UBND ngày 17/6/2016 và Quyết định số 29/2018/QĐ-UBND "
            "ngày 29/11/2018 của UBND tỉnh quy định trách nhiệm người đứng đầu cơ quan hành chính "
            "nhà nước về thực hiện công tác CCHC; có 04 nhóm về mức độ hoàn thành nhiệm vụ, cụ thể:"
        ),
        *class_rules_text(report),
    ]
    for position, block in enumerate(report.blocks, start=1):
        body.append(Heading(3, f"{position}. Đối với người đứng đầu {block_phrase(block)}"))
        body += class_section(block)
    body.append(
        p(
            italic(
                "(Kết quả cụ thể của từng cơ quan, đơn vị có các biểu kèm theo báo cáo, cụ thể: "
                + "; ".join(f"đối với {block_phrase(b)} {annex_range(b)}" for b in report.blocks)
                + ")"
            )
        )
    )
    return body


def class_section(block: BlockReport) -> list[Element]:
    elements: list[Element] = []
    for key in CLASS_ORDER:
        heads = [u for u in block.units if u.classification == key]
        if heads:
            elements.append(
                p(
                    f"- {CLASS_GROUP[key]}: Có {fmt.count(len(heads))} đơn vị (",
                    italic("; ".join(u.head_title for u in by_rank(heads))),
                    ").",
                    style="item",
                )
            )
        else:
            elements.append(p(f"- {CLASS_GROUP[key]}: Không có.", style="item"))
    return elements


def class_rules_text(report: YearReport) -> list[Element]:
    rules = report.blocks[0].rules
    by_key = {rule.key: rule for rule in rules.classes}
    lines = []
    for position, key in enumerate(CLASS_ORDER):
        rule = by_key.get(key)
        if rule is None:
            lower = by_key.get(CLASS_ORDER[position - 1]) if position else None
            text = (
                f"có điểm chỉ số tổng hợp đạt dưới {fmt.plain_number(lower.min_total)}% so với "
                "điểm tối đa, hoặc có lĩnh vực đạt dưới "
                f"{fmt.plain_number(lower.min_every_area)}%"
                if lower
                else "còn lại"
            )
        else:
            upper = by_key.get(CLASS_ORDER[position - 1]) if position else None
            span = (
                f"từ {fmt.plain_number(rule.min_total)}% đến dưới "
                f"{fmt.plain_number(upper.min_total)}%"
                if upper
                else f"từ {fmt.plain_number(rule.min_total)}% trở lên"
            )
            text = (
                f"có điểm chỉ số tổng hợp đạt {span} so với điểm tối đa; trong đó các chỉ số ở "
                f"từng lĩnh vực đều đạt từ {fmt.plain_number(rule.min_every_area)}% trở lên"
            )
        lines.append(
            p(f"- {CLASS_GROUP[key]}: Là Thủ trưởng những cơ quan, đơn vị {text}.", style="item")
        )
    return lines


def sipas_section(report: YearReport, province: str) -> list[Element]:
    """III, last: the satisfaction index (SIPAS, DOMAIN §8) of the province, of each block
    and its first units; nothing for a year without SIPAS figures."""
    if not report.has_sipas:
        return []
    where = fmt.province_title(province)
    body: list[Element] = [
        Heading(
            3,
            f"{len(report.blocks) + 1}. Chỉ số hài lòng về sự phục vụ hành chính (SIPAS)",
        ),
    ]
    if report.sipas is not None:
        body.append(
            p(
                f"Chỉ số hài lòng chung của {where} đạt {fmt.percent(report.sipas.index)}% ",
                italic(
                    f"(khoảng tin cậy 95 %: {fmt.interval(report.sipas.low, report.sipas.high)}%; "
                    f"{fmt.thousands(report.sipas.counted)} câu trả lời được tính)"
                ),
                ".",
            )
        )
    for block in report.blocks:
        ranked = block.sipas_units
        if block.sipas is None and not ranked:
            continue
        parts = [f"- {block.name}: "]
        if block.sipas is not None:
            parts.append(f"Chỉ số hài lòng của khối đạt {fmt.percent(block.sipas.index)}%")
        first = [u for u in ranked if u.sipas.rank == 1]
        if first:
            lead = "; " if block.sipas is not None else ""
            parts.append(
                f"{lead}cao nhất: "
                + "; ".join(f"{u.name} ({fmt.percent(u.sipas.index)}%)" for u in first)
            )
        if len(ranked) > 1:
            last = ranked[-1]
            parts.append(f"; thấp nhất: {last.name} ({fmt.percent(last.sipas.index)}%)")
        parts.append(".")
        body.append(p("".join(parts), style="item"))
    body.append(sipas_overview(report, where))
    return body


def sipas_overview(report: YearReport, where: str) -> Table:
    rows = [
        [
            Cell(block.name),
            Cell(fmt.percent(block.sipas.index), align="num"),
            Cell(fmt.interval(block.sipas.low, block.sipas.high), align="center"),
            Cell(fmt.thousands(block.sipas.counted), align="num"),
        ]
        for block in report.blocks
        if block.sipas is not None
    ]
    if report.sipas is not None:
        rows.append(
            [
                Cell(f"Toàn {where}"),
                Cell(fmt.percent(report.sipas.index), align="num"),
                Cell(fmt.interval(report.sipas.low, report.sipas.high), align="center"),
                Cell(fmt.thousands(report.sipas.counted), align="num"),
            ]
        )
    return Table(
        caption=f"Chỉ số hài lòng năm {report.year.year} theo khối",
        header=[
            [
                Cell("Khối"),
                Cell("Chỉ số hài lòng (%)"),
                Cell("Khoảng tin cậy 95 % (%)"),
                Cell("Số câu trả lời"),
            ]
        ],
        rows=rows,
        widths=[46, 18, 22, 14],
    )
