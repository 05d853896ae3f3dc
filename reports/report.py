"""The report (Báo cáo kết quả đánh giá, xác định Chỉ số CCHC) as a list of elements.

The text is generated from the results, so the PDF and the DOCX say the same thing and a
unit can appear in one band only. Section numbering follows report 27/BC-UBND (2023).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.db.models import Count
from django.utils import timezone

from appraisal.scoring import HOAN_THANH, KHONG_HOAN_THANH, TOT, XUAT_SAC
from criteria.models import Criterion
from surveys.models import Answer

from . import formatting as fmt
from .analysis import BlockAnalysis, block_analysis, mean
from .data import BlockReport, UnitReport, YearReport

# [design] Rank changes named in section V: moves of at least two places, as the 2022 report.
RANK_MOVE_NOTED = 2

ZERO = Decimal(0)
CLASS_ORDER = (XUAT_SAC, TOT, HOAN_THANH, KHONG_HOAN_THANH)
CLASS_GROUP = {
    XUAT_SAC: "Nhóm hoàn thành xuất sắc nhiệm vụ",
    TOT: "Nhóm hoàn thành tốt nhiệm vụ",
    HOAN_THANH: "Nhóm hoàn thành nhiệm vụ",
    KHONG_HOAN_THANH: "Nhóm không hoàn thành nhiệm vụ",
}

Run = tuple[str, str]  # (text, style): "" plain, "i" italic, "b" bold


@dataclass
class Heading:
    level: int  # 1: part, 2: I., 3: 1., 4: 1.1. / a), 5: italic lead
    text: str


@dataclass
class Para:
    runs: list[Run]
    style: str = ""  # "item" for a "- …" line, "note" for a small italic remark

    @property
    def text(self) -> str:
        return "".join(text for text, _style in self.runs)


@dataclass
class Cell:
    text: str
    colspan: int = 1
    rowspan: int = 1
    align: str = ""  # "num", "center" or ""


@dataclass
class Table:
    caption: str
    header: list[list[Cell]]
    rows: list[list[Cell]]
    widths: list[int] = field(default_factory=list)  # relative column widths

    @property
    def percents(self) -> list[str]:
        total = sum(self.widths)
        return [f"{w * 100 / total:.2f}" for w in self.widths]


Element = Heading | Para | Table


@dataclass
class ReportDocument:
    title: str
    subject: str
    place_date: str
    body: list[Element]
    appendix: list[tuple[str, list[Element]]]  # (heading, elements), landscape pages
    recipients: list[str]
    signature: list[str]
    draft: bool


def p(*runs: str | Run, style: str = "") -> Para:
    return Para([(run, "") if isinstance(run, str) else run for run in runs], style=style)


def italic(text: str) -> Run:
    return (text, "i")


def bold(text: str) -> Run:
    return (text, "b")


def names(units: list[UnitReport]) -> str:
    return "; ".join(unit.name for unit in units)


def by_rank(units: list[UnitReport]) -> list[UnitReport]:
    return sorted(units, key=lambda u: u.rank)


def block_phrase(block: BlockReport) -> str:
    """`các sở, ban, ngành tỉnh` from the block's name `Sở, ban, ngành tỉnh`."""
    name = block.name
    if name[:1].isupper() and not name.isupper() and not name.startswith("UBND"):
        name = name[0].lower() + name[1:]
    return name if name.startswith(("các ", "UBND")) else f"các {name}"


def areas_text(areas: list[Criterion]) -> str:
    return ", ".join(area.name for area in areas)


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


def local_date(moment) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y") if moment else "…"


def closing(moment):
    """A window closing at 00:00 on the 11th closes "at 24:00 on the 10th"."""
    return moment - timedelta(seconds=1) if moment else None


def band_section(block: BlockReport) -> list[Element]:
    """Section III for one block: every non-empty band, highest first."""
    bands = [int(b) for b in block.rules.bands] + [0]
    filled = [(band, [u for u in block.units if u.band == band]) for band in bands]
    filled = [(band, units) for band, units in filled if units]  # empty bands are not printed
    elements: list[Element] = [
        p(
            f"Kết quả Chỉ số CCHC của {block_phrase(block)} được xác định thành "
            f"{fmt.count(len(filled))} nhóm điểm:"
        )
    ]
    for band, units in filled:
        elements.append(
            p(
                f"- Nhóm đạt Chỉ số tổng hợp {fmt.band_label(band, block.rules)} so với điểm "
                f"tối đa: Có {fmt.count(len(units))} đơn vị (",
                italic(f"gồm: {names(by_rank(units))}"),
                ").",
                style="item",
            )
        )
    return elements


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


def self_review_text(report: YearReport) -> list[Element]:
    flagged = [
        (block, unit)
        for block in report.blocks
        for unit in by_rank(block.units)
        if unit.self_review
    ]
    rules = report.blocks[0].rules
    areas = "; ".join(
        f"{report.blocks[0].area_name(code)} dưới {fmt.plain_number(threshold)}%"
        for code, threshold in rules.self_review
    )
    intro = (
        "Theo Nghị quyết của Ban Thường vụ Tỉnh ủy năm 2021, những cơ quan, đơn vị có chỉ số "
        f"thuộc một trong các trường hợp ({areas}) phải tổ chức kiểm điểm"
    )
    if not flagged:
        return [p(f"{intro}; năm {report.year.year} không có cơ quan, đơn vị nào thuộc diện này.")]
    listed = ", ".join(
        f"{unit.name} (lĩnh vực {', '.join(block.area_name(code) for code in unit.self_review)})"
        for block, unit in flagged
    )
    return [
        p(
            f"{intro}; kết quả năm {report.year.year} có {fmt.count(len(flagged))} cơ quan, đơn vị "
            f"thuộc diện phải kiểm điểm, gồm: {listed}."
        )
    ]


def rank_moves(report: YearReport, rising: bool) -> list[UnitReport]:
    moved = [
        unit
        for unit in report.units
        if unit.rank_change is not None
        and (unit.rank_change if rising else -unit.rank_change) >= RANK_MOVE_NOTED
    ]
    return moved


def moves_text(units: list[UnitReport]) -> str:
    return ", ".join(f"{unit.name} ({fmt.rank_change(unit.rank_change)})" for unit in units)


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


def analysis_text(report: YearReport, analyses: dict[str, BlockAnalysis]) -> list[Element]:
    elements: list[Element] = []
    for block in report.blocks:
        analysis = analyses[block.code]
        weakest = "; ".join(
            f"{a.name} (bình quân {fmt.percent(a.average_index)}%)" for a in analysis.weakest_areas
        )
        lost = "; ".join(
            f"{s.code} {s.name} (mất {fmt.points(s.points_lost)} điểm, bình quân đạt "
            f"{fmt.percent(s.average_percent)}% điểm tối đa; thấp nhất: "
            f"{', '.join(u.name for u, _points in s.lowest)})"
            for s in analysis.most_lost
        )
        elements.append(
            p(
                f"- Đối với {block_phrase(block)}: lĩnh vực có chỉ số bình quân thấp nhất là "
                f"{weakest}. Các tiêu chí thành phần bị mất nhiều điểm nhất: {lost or 'không có'}.",
                style="item",
            )
        )
        elements.append(area_table(block, analysis))
    return elements


def gap_text(report: YearReport, analyses: dict[str, BlockAnalysis]) -> list[Element]:
    elements: list[Element] = []
    for block in report.blocks:
        analysis = analyses[block.code]
        widest = [g for g in analysis.unit_gaps if g.gap > 0][:3]
        detail = "; ".join(
            f"{g.unit.name} (tự chấm {fmt.points(g.self_score)}, thẩm định "
            f"{fmt.points(g.appraised)}, chênh lệch {fmt.points(g.gap)} điểm)"
            for g in widest
        )
        elements.append(
            p(
                f"- Đối với {block_phrase(block)}: tổng điểm thẩm định bằng "
                f"{fmt.percent(analysis.appraised_share)}% tổng điểm tự chấm (trên các tiêu chí "
                "chấm qua tài liệu kiểm chứng)"
                + (f"; chênh lệch lớn nhất: {detail}." if detail else "."),
                style="item",
            )
        )
        elements.append(gap_table(block, analysis))
    return elements


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
            Cell("Nhóm", rowspan=2),
            Cell("Xếp loại người đứng đầu", rowspan=2),
        ],
        [Cell(f"{a.code} ({fmt.plain_number(a.max_points)})") for a in areas],
    ]
    rows = [
        [
            Cell(str(u.rank), align="center"),
            Cell(u.code, align="center"),
            Cell(u.name),
            *[Cell(fmt.points(line.score), align="num") for line in u.areas],
            Cell(fmt.points(u.total), align="num"),
            Cell(fmt.percent(u.index), align="num"),
            Cell(fmt.rank_change(u.rank_change), align="center"),
            Cell(fmt.band_short(u.band, block.rules), align="center"),
            Cell(u.classification_label),
        ]
        for u in block.units
    ]
    return Table(
        caption=f"Kết quả Chỉ số CCHC năm {year} – {block.name}",
        header=header,
        rows=rows,
        widths=[5, 4, 18, *([6] * len(areas)), 7, 6, 8, 7, 12],
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


def annex_range(block: BlockReport) -> str:
    codes = sorted((u.code for u in block.units), key=lambda c: (len(c), c))
    if not codes:
        return ""
    return f"từ biểu số {codes[0]} đến {codes[-1]}" if len(codes) > 1 else f"biểu số {codes[0]}"


def report_document(report: YearReport, *, province: str) -> ReportDocument:
    year = report.year
    number = year.year
    analyses = {block.code: block_analysis(block) for block in report.blocks}
    phrases = "; ".join(block_phrase(b) for b in report.blocks)
    body: list[Element] = [
        Heading(1, "Phần thứ nhất"),
        Heading(
            1,
            f"KẾT QUẢ ĐÁNH GIÁ, XÁC ĐỊNH CHỈ SỐ CCHC CỦA {phrases.upper()} NĂM {number}",
        ),
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
    counts = ballot_counts(report)
    if counts:
        total = sum(n for groups in counts.values() for _name, n in groups)
        body += [
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
    body += [
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
    body += [
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
    rises = rank_moves(report, rising=True)
    drops = rank_moves(report, rising=False)
    since = f"so với năm {report.previous_year}" if report.previous_year else ""
    heads_below = [u for u in report.units if u.classification in (HOAN_THANH, KHONG_HOAN_THANH)]
    body += [
        Heading(2, "V. NHẬN XÉT CHUNG"),
        Heading(3, "1. Ưu điểm"),
        *[
            p(
                f"- {block.name}: "
                + (
                    f"{fmt.count(len(top))} đơn vị đạt Chỉ số từ {int(block.rules.bands[0])}% trở "
                    f"lên ({names(top)}); "
                    if (top := [u for u in block.units if u.band == int(block.rules.bands[0])])
                    else ""
                )
                + f"Chỉ số bình quân đạt {fmt.percent(mean_index(block))}%.",
                style="item",
            )
            for block in report.blocks
        ],
    ]
    if rises:
        body.append(
            p(
                "- Một số cơ quan, đơn vị đã có nhiều chuyển biến tích cực trong việc nâng cao "
                f"thứ hạng chỉ số CCHC {since} như: {moves_text(rises)}.",
                style="item",
            )
        )
    body += [
        Heading(3, "2. Tồn tại, hạn chế"),
        Heading(4, "2.1. Những nội dung bị mất nhiều điểm"),
        *analysis_text(report, analyses),
        Heading(4, "2.2. Các cơ quan, đơn vị thuộc diện phải kiểm điểm"),
        *self_review_text(report),
        Heading(4, "2.3. Chênh lệch giữa điểm tự chấm và điểm thẩm định"),
        *gap_text(report, analyses),
        Heading(4, "2.4. Về xếp loại mức độ hoàn thành nhiệm vụ của người đứng đầu"),
        p(*heads_below_runs(heads_below))
        if heads_below
        else p(
            "Người đứng đầu các cơ quan, đơn vị đều được xếp loại từ hoàn thành tốt nhiệm vụ trở lên."
        ),
        Heading(4, "2.5. Về thứ hạng"),
        p(
            "Một số cơ quan, đơn vị chưa quyết liệt, sát sao trong chỉ đạo, tổ chức thực hiện, "
            f"nên chỉ số CCHC năm {number} giảm nhiều bậc {since} như: {moves_text(drops)}."
        )
        if drops
        else p(f"Không có cơ quan, đơn vị nào giảm từ {RANK_MOVE_NOTED} bậc trở lên {since}."),
    ]
    appendix = [
        (
            f"Phụ lục {position}. {block.name.upper()}",
            [
                summary_table(block, number, report.previous_year),
                unit_gap_table(block, analyses[block.code]),
            ],
        )
        for position, block in enumerate(report.blocks, start=1)
    ]
    return ReportDocument(
        title="BÁO CÁO",
        subject=(
            f"Kết quả đánh giá, xác định Chỉ số Cải cách hành chính của {phrases} năm {number}"
        ),
        place_date=fmt.long_date(year.published_on, province),
        body=body,
        appendix=appendix,
        recipients=[
            "Vụ Cải cách hành chính, Bộ Nội vụ;",
            "Ban Thường vụ Tỉnh ủy;",
            "Thường trực HĐND tỉnh;",
            "Chủ tịch, các PCT UBND tỉnh;",
            "Các sở, ban, ngành tỉnh;",
            "UBND các huyện, thị xã, thành phố;",
            "Tổ thư ký HĐ đánh giá, xác định Chỉ số CCHC;",
            "Lưu: VT, NC.",
        ],
        signature=["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"],
        draft=not year.is_published,
    )


def heads_below_runs(heads: list[UnitReport]) -> list[str | Run]:
    """Report 27/BC-UBND, V.2.4: the heads rated only "hoàn thành" (or below)."""
    runs: list[str | Run] = ["Vẫn còn Thủ trưởng một số cơ quan, đơn vị "]
    parts = [
        (phrase, [u for u in heads if u.classification == key])
        for key, phrase in (
            (HOAN_THANH, "chỉ được đánh giá xếp loại hoàn thành nhiệm vụ"),
            (KHONG_HOAN_THANH, "bị đánh giá xếp loại không hoàn thành nhiệm vụ"),
        )
    ]
    parts = [(phrase, units) for phrase, units in parts if units]
    for position, (phrase, units) in enumerate(parts):
        if position:
            runs.append("; ")
        runs += [f"{phrase} (", italic("; ".join(u.head_title for u in units)), ")"]
    runs.append(".")
    return runs


def mean_index(block: BlockReport) -> Decimal | None:
    return mean([u.index for u in block.units])
