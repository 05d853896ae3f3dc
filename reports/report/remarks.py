"""Part V of the report, the general remarks: what went well, then where points were lost,
who must review itself, how self-scores compare with the appraisal, the heads rated
below "tốt" and the units that dropped (report 27/BC-UBND, V)."""

from __future__ import annotations

from appraisal.results import rank_change_words
from appraisal.scoring import HOAN_THANH, KHONG_HOAN_THANH

from .. import formatting as fmt
from ..analysis import BlockAnalysis
from ..data import BlockReport, UnitReport, YearReport
from .elements import Element, Heading, Para, Run, italic, p
from .tables import area_table, gap_table
from .words import block_phrase, by_rank, mean_index, names

# [design] Rank changes named in section V: moves of at least two places, as the 2022 report.
RANK_MOVE_NOTED = 2


def remarks_section(report: YearReport, analyses: dict[str, BlockAnalysis]) -> list[Element]:
    """V. Strengths, then shortcomings; rank moves against the closest earlier year."""
    since = f"so với năm {report.previous_year}" if report.previous_year else ""
    return [
        Heading(2, "V. NHẬN XÉT CHUNG"),
        *strengths_section(report, since),
        *shortcomings_section(report, analyses, since),
    ]


def strengths_section(report: YearReport, since: str) -> list[Element]:
    """V.1: each block's top band and mean index, then the units that rose."""
    body: list[Element] = [
        Heading(3, "1. Ưu điểm"),
        *[block_strengths(block) for block in report.blocks],
    ]
    rises = rank_moves(report, rising=True)
    if rises:
        body.append(
            p(
                "- Một số cơ quan, đơn vị đã có nhiều chuyển biến tích cực trong việc nâng cao "
                f"thứ hạng chỉ số CCHC {since} như: {moves_text(rises)}.",
                style="item",
            )
        )
    return body


def block_strengths(block: BlockReport) -> Para:
    top = [
        u for u in block.units if block.rules.bands and fmt.band_position(u.band, block.rules) == 0
    ]
    threshold = fmt.plain_number(block.rules.bands[0]) if block.rules.bands else ""
    named = next((f" (nhóm “{u.band_name}”)" for u in top if u.band_name), "")
    in_top_band = (
        f"{fmt.count(len(top))} đơn vị đạt Chỉ số từ {threshold}% trở lên{named} ({names(top)}); "
        if top
        else ""
    )
    return p(
        f"- {block.name}: "
        + in_top_band
        + f"Chỉ số bình quân đạt {fmt.percent(mean_index(block))}%.",
        style="item",
    )


def shortcomings_section(
    report: YearReport, analyses: dict[str, BlockAnalysis], since: str
) -> list[Element]:
    """V.2, in the order of report 27/BC-UBND."""
    return [
        Heading(3, "2. Tồn tại, hạn chế"),
        Heading(4, "2.1. Những nội dung bị mất nhiều điểm"),
        *analysis_text(report, analyses),
        Heading(4, "2.2. Các cơ quan, đơn vị thuộc diện phải kiểm điểm"),
        *self_review_text(report),
        Heading(4, "2.3. Chênh lệch giữa điểm tự chấm và điểm thẩm định"),
        *gap_text(report, analyses),
        Heading(4, "2.4. Về xếp loại mức độ hoàn thành nhiệm vụ của người đứng đầu"),
        heads_below_text(report),
        Heading(4, "2.5. Về thứ hạng"),
        rank_drops_text(report, since),
    ]


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


def heads_below_text(report: YearReport) -> Para:
    heads = [u for u in report.units if u.classification in (HOAN_THANH, KHONG_HOAN_THANH)]
    if not heads:
        return p(
            "Người đứng đầu các cơ quan, đơn vị đều được xếp loại từ hoàn thành tốt nhiệm vụ trở lên."
        )
    return p(*heads_below_runs(heads))


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


def rank_drops_text(report: YearReport, since: str) -> Para:
    drops = rank_moves(report, rising=False)
    if not drops:
        return p(f"Không có cơ quan, đơn vị nào giảm từ {RANK_MOVE_NOTED} bậc trở lên {since}.")
    return p(
        "Một số cơ quan, đơn vị chưa quyết liệt, sát sao trong chỉ đạo, tổ chức thực hiện, "
        f"nên chỉ số CCHC năm {report.year.year} giảm nhiều bậc {since} như: {moves_text(drops)}."
    )


def rank_moves(report: YearReport, rising: bool) -> list[UnitReport]:
    return [
        unit
        for unit in report.units
        if unit.rank_change is not None
        and (unit.rank_change if rising else -unit.rank_change) >= RANK_MOVE_NOTED
    ]


def moves_text(units: list[UnitReport]) -> str:
    return ", ".join(f"{unit.name} ({rank_change_words(unit.rank_change)})" for unit in units)
