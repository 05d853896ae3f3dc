"""Where a block's points were lost, and how far appraisal moved the units' own scores.

Plain functions over the report data (no ORM); they feed section V of the report.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, localcontext

from appraisal.scoring import percent as ratio_percent

from .data import BlockReport, UnitReport

ZERO = Decimal(0)
LOWEST = 3  # units named as the lowest of an area or a sub-criterion
MOST_LOST = 5  # sub-criteria named as where most points were lost


def mean(values: list[Decimal]) -> Decimal | None:
    if not values:
        return None
    with localcontext() as ctx:
        ctx.prec = 34
        return sum(values, ZERO) / len(values)


@dataclass
class AreaStats:
    code: str
    name: str
    max_points: Decimal  # declared maximum
    average_score: Decimal | None
    average_index: Decimal | None
    lowest: list[tuple[UnitReport, Decimal]]  # (unit, area index), lowest first
    points_lost: Decimal  # Σ over units of applicable maximum − score
    share_lost: Decimal | None  # % of all the block's lost points


@dataclass
class CriterionStats:
    code: str
    name: str
    area_code: str
    max_points: Decimal
    average_points: Decimal | None
    average_percent: Decimal | None  # of the maximum, over units where it applies
    full_marks: int
    units: int
    points_lost: Decimal
    lowest: list[tuple[UnitReport, Decimal]]  # (unit, points), lowest first


@dataclass
class SelfGap:
    """A unit's (or an area's) self scores against the appraised points on the same leaves."""

    unit: UnitReport
    self_score: Decimal
    appraised: Decimal
    gap: Decimal  # self − appraised
    ratio: Decimal | None  # appraised as % of self


def area_stats(block: BlockReport) -> list[AreaStats]:
    lost_by_area: dict[str, Decimal] = {}
    stats = []
    for area in block.areas:
        lines = [(unit, next(a for a in unit.areas if a.code == area.code)) for unit in block.units]
        applicable = [(unit, line) for unit, line in lines if line.index is not None]
        lost = sum((line.max_points - line.score for _unit, line in applicable), ZERO)
        lost_by_area[area.code] = lost
        stats.append(
            AreaStats(
                code=area.code,
                name=area.name,
                max_points=area.max_points,
                average_score=mean([line.score for _unit, line in applicable]),
                average_index=mean([line.index for _unit, line in applicable]),
                lowest=sorted(
                    ((unit, line.index) for unit, line in applicable),
                    key=lambda pair: (pair[1], pair[0].rank),
                )[:LOWEST],
                points_lost=lost,
                share_lost=None,
            )
        )
    all_lost = sum(lost_by_area.values(), ZERO)
    for item in stats:
        item.share_lost = ratio_percent(item.points_lost, all_lost)
    return stats


def criterion_stats(block: BlockReport) -> list[CriterionStats]:
    """Per sub-criterion (leaf, deductions and bonuses aside) across the units whose rows were
    built."""
    units = [unit for unit in block.units if unit.leaf_points]
    stats = []
    for criterion in block.criteria:
        if not criterion.is_leaf or criterion.kind != criterion.Kind.NORMAL:
            continue
        scored = [
            (unit, unit.leaf_points[criterion.code])
            for unit in units
            if unit.leaf_points.get(criterion.code) is not None
        ]
        values = [value for _unit, value in scored]
        average = mean(values)
        stats.append(
            CriterionStats(
                code=criterion.code,
                name=criterion.name,
                area_code=criterion.area_code,
                max_points=criterion.max_points,
                average_points=average,
                average_percent=(
                    None if average is None else ratio_percent(average, criterion.max_points)
                ),
                full_marks=sum(1 for value in values if value >= criterion.max_points),
                units=len(values),
                points_lost=sum((criterion.max_points - value for value in values), ZERO),
                lowest=sorted(scored, key=lambda pair: (pair[1], pair[0].rank))[:LOWEST],
            )
        )
    return stats


def most_lost(block: BlockReport, limit: int = MOST_LOST) -> list[CriterionStats]:
    """The evidence sub-criteria that lost the most points (survey areas are read whole)."""
    evidence = {c.code for c in block.criteria if c.method == c.Method.EVIDENCE}
    ranked = [s for s in criterion_stats(block) if s.points_lost > 0 and s.code in evidence]
    return sorted(ranked, key=lambda s: (-s.points_lost, s.code))[:limit]


def self_gaps(block: BlockReport) -> list[SelfGap]:
    """Per unit, largest gap first: appraisal against the unit's own scores (evidence)."""
    gaps = [
        SelfGap(
            unit=unit,
            self_score=unit.self_total,
            appraised=unit.appraised_on_self,
            gap=unit.self_total - unit.appraised_on_self,
            ratio=ratio_percent(unit.appraised_on_self, unit.self_total),
        )
        for unit in block.units
        if unit.leaf_points
    ]
    return sorted(gaps, key=lambda g: (-g.gap, g.unit.rank))


@dataclass
class AreaGap:
    code: str
    name: str
    self_score: Decimal
    appraised: Decimal
    gap: Decimal
    ratio: Decimal | None


def area_gaps(block: BlockReport) -> list[AreaGap]:
    """Per area, summed over the block's units: where appraisal cut most."""
    result = []
    for area in block.areas:
        lines = [
            next(a for a in unit.areas if a.code == area.code)
            for unit in block.units
            if unit.leaf_points
        ]
        own = sum((line.self_score for line in lines), ZERO)
        appraised = sum((line.appraised_on_self for line in lines), ZERO)
        if own == ZERO and appraised == ZERO:
            continue  # survey areas: nothing self-scored
        result.append(
            AreaGap(
                code=area.code,
                name=area.name,
                self_score=own,
                appraised=appraised,
                gap=own - appraised,
                ratio=ratio_percent(appraised, own),
            )
        )
    return result


@dataclass
class BlockAnalysis:
    areas: list[AreaStats]
    weakest_areas: list[AreaStats]  # counting areas by average index, lowest first
    most_lost: list[CriterionStats]
    unit_gaps: list[SelfGap]
    area_gaps: list[AreaGap]
    appraised_share: Decimal | None  # Σ appraised / Σ self × 100 over the block


def block_analysis(block: BlockReport) -> BlockAnalysis:
    areas = area_stats(block)
    counting = {
        line.code
        for line in (block.units[0].areas if block.units else [])
        if line.counts_for_classification
    }
    gaps = self_gaps(block)
    return BlockAnalysis(
        areas=areas,
        weakest_areas=sorted(
            (a for a in areas if a.code in counting and a.average_index is not None),
            key=lambda a: (a.average_index, a.code),
        )[:2],
        most_lost=most_lost(block),
        unit_gaps=gaps,
        area_gaps=area_gaps(block),
        appraised_share=ratio_percent(
            sum((g.appraised for g in gaps), ZERO), sum((g.self_score for g in gaps), ZERO)
        ),
    )
