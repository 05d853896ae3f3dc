"""What the documents show, read once from the stored results and the scores behind them.

The unit, area and rank figures are the stored results (the same rows as the results
document); the per-node figures of an annex come from the engine run on the same inputs,
which the computation's fingerprint guarantees are unchanged.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError

from appraisal import scoring
from appraisal.models import AreaResult, BlockResult, Computation, UnitResult
from appraisal.revisions import working_computation
from appraisal.services.compute import (
    fingerprint_of,
    previous_ranks_for,
    year_inputs,
)
from criteria.models import Criterion, Participation, Year
from criteria.rules import rubric_points
from evidence.models import Score
from kernel.ordering import unit_code_key

from . import formatting as fmt

ZERO = Decimal(0)


@dataclass
class Row:
    """One row of an annex: a node of the criteria tree as one unit scored it."""

    code: str
    name: str
    depth: int
    is_leaf: bool
    method: str  # leaves only
    is_deduction: bool
    max_points: Decimal  # inner nodes: applicable maximum; leaves: declared maximum
    self_score: Decimal | None = None
    appraised: Decimal | None = None  # evidence points
    survey: Decimal | None = None  # survey points
    not_applicable: bool = False
    note: str = ""
    index: Decimal | None = None  # areas only
    is_bonus: bool = False  # DOMAIN §8: adds to its area, nothing to any maximum


@dataclass
class AreaLine:
    code: str
    name: str
    score: Decimal
    max_points: Decimal
    index: Decimal | None
    counts_for_classification: bool
    change: Decimal | None = None  # DOMAIN §8: percentage points against the predecessors
    self_score: Decimal = ZERO  # Σ self scores of its evidence leaves
    appraised_on_self: Decimal = ZERO  # Σ appraised points of those same leaves


@dataclass(frozen=True)
class Sipas:
    """A satisfaction index (DOMAIN §8) with its 95 % interval; rank for a unit only."""

    index: Decimal
    counted: int
    low: Decimal | None
    high: Decimal | None
    rank: int | None = None


def unit_sipas(result: UnitResult) -> Sipas | None:
    if result.sipas_index is None:
        return None
    return Sipas(
        result.sipas_index,
        result.sipas_counted or 0,
        result.sipas_low,
        result.sipas_high,
        result.sipas_rank,
    )


def pooled_sipas(row: BlockResult | None) -> Sipas | None:
    if row is None or row.sipas_index is None:
        return None
    return Sipas(row.sipas_index, row.sipas_counted, row.sipas_low, row.sipas_high)


@dataclass
class UnitReport:
    code: str
    name: str
    head_title: str
    head_name: str
    total: Decimal
    max_points: Decimal
    index: Decimal
    rank: int
    rank_change: int | None
    band: int
    classification: str
    classification_label: str
    self_review: list[str]
    warnings: list[str]
    areas: list[AreaLine]
    rows: list[Row] = field(default_factory=list)
    leaf_points: dict[str, Decimal | None] = field(default_factory=dict)
    # DOMAIN §8: the unit's kind, its band's configured name, its changes against its
    # predecessors ({"year", "code", "name"}) and its SIPAS figures (None: no answer).
    kind: str = ""
    band_name: str = ""
    index_change: Decimal | None = None
    predecessors: list[dict] = field(default_factory=list)
    sipas: Sipas | None = None

    @property
    def self_total(self) -> Decimal:
        return sum((area.self_score for area in self.areas), ZERO)

    @property
    def appraised_on_self(self) -> Decimal:
        return sum((area.appraised_on_self for area in self.areas), ZERO)


@dataclass
class BlockReport:
    code: str
    name: str
    criteria: list[Criterion]
    rules: scoring.Rules
    units: list[UnitReport]  # by rank, then code
    sipas: Sipas | None = None  # pooled over the block's counted SIPAS answers
    kind: str = ""  # the default kind of its units (blank: not said)

    @property
    def sipas_units(self) -> list[UnitReport]:
        """The units with a SIPAS index, by SIPAS rank, then code."""
        ranked = [u for u in self.units if u.sipas is not None]
        return sorted(ranked, key=lambda u: (u.sipas.rank or 0, unit_code_key(u.code)))

    @property
    def has_lineage(self) -> bool:
        return any(u.index_change is not None or u.predecessors for u in self.units)

    @property
    def areas(self) -> list[Criterion]:
        return [c for c in self.criteria if c.parent_id is None]

    def area_name(self, code: str) -> str:
        return next((c.name for c in self.areas if c.code == code), code)


@dataclass
class YearReport:
    year: Year
    computation: Computation
    previous_year: int | None
    blocks: list[BlockReport]
    sipas: Sipas | None = None  # the province's, pooled

    @property
    def province(self) -> str:
        return fmt.province_of(self.year)

    @property
    def has_sipas(self) -> bool:
        """Whether the year has SIPAS figures at all (none before DOMAIN §8)."""
        return (
            self.sipas is not None
            or any(b.sipas is not None for b in self.blocks)
            or any(u.sipas is not None for u in self.units)
        )

    def unit(self, code: str) -> tuple[BlockReport, UnitReport]:
        for block in self.blocks:
            for unit in block.units:
                if unit.code == code:
                    return block, unit
        raise KeyError(code)

    @property
    def units(self) -> list[UnitReport]:
        return [unit for block in self.blocks for unit in block.units]


def computation_of(year: Year) -> Computation:
    """The working revision's results (the last published ones, unless a correction is
    being prepared): what a render prints."""
    computation = working_computation(year)
    if computation is None or not computation.fingerprint:
        raise ValidationError(f"Năm {year.year} chưa được tính chỉ số: chưa có gì để xuất báo cáo.")
    return computation


STALE = "Dữ liệu năm {year} đã thay đổi sau lần tính chỉ số gần nhất: tính lại chỉ số trước khi xuất báo cáo."
# Stored results are exact to 1e-15 on PostgreSQL; SQLite keeps about 15 significant digits.
AGREES = Decimal("1e-9")


def units_inputs(year: Year, codes: set[str]):
    """The engine's inputs for the blocks of `codes`, with those units' entries only."""
    return year_inputs(year, only_units=codes)


def agrees(scored: scoring.UnitScore, result: UnitResult, areas: dict[str, AreaResult]) -> bool:
    pairs = [(scored.total, result.total), (scored.index, result.index)]
    pairs += [(area.score, areas[area.code].score) for area in scored.areas]
    return all(abs(mine - kept) <= AGREES for mine, kept in pairs)


def year_report(year: Year, *, unit_codes: set[str] | None = None) -> YearReport:
    """Everything the documents of a year show.

    With `unit_codes`, only those units' annex rows are built, from their own inputs,
    and only their blocks are read.
    """
    computation = computation_of(year)
    participations, blocks = report_inputs(year, computation, unit_codes)
    by_code: dict[str, Participation] = {p.unit.code: p for p in participations}
    results, areas_of = stored_results(computation, [block.pk for block, *_rest in blocks])
    scores = stored_scores(year, unit_codes)
    pooled = {row.block_id: row for row in BlockResult.objects.filter(computation=computation)}
    block_reports = []
    for block, criteria, criteria_set, rules, inputs in blocks:
        counting = {area.code: area.counts_for_classification for area in criteria_set.areas}
        units = []
        for unit_input in inputs:
            participation = by_code[unit_input.code]
            result = results[participation.pk]
            areas = areas_of[result.pk]
            unit = unit_report(unit_input.code, participation, result, areas, criteria, counting)
            if unit_codes is None or unit.code in unit_codes:
                scored = scoring.score_unit(criteria_set, rules, unit_input)
                # Without the year's fingerprint, the unit's own figures must still agree.
                if unit_codes is not None and not agrees(scored, result, areas):
                    raise ValidationError(STALE.format(year=year.year))
                unit.leaf_points = dict(scored.leaf_scores)
                unit.rows = annex_rows(criteria, scored, scores[participation.pk], unit)
            units.append(unit)
        units.sort(key=lambda u: (u.rank, unit_code_key(u.code)))
        block_reports.append(
            BlockReport(
                code=block.code,
                name=block.name,
                criteria=criteria,
                rules=rules,
                units=units,
                sipas=pooled_sipas(pooled.get(block.pk)),
                kind=block.kind,
            )
        )
    return YearReport(
        year=year,
        computation=computation,
        previous_year=previous_computed_year(year),
        blocks=block_reports,
        sipas=pooled_sipas(pooled.get(None)),
    )


def report_inputs(year: Year, computation: Computation, unit_codes: set[str] | None):
    """The engine's inputs: the whole year's, checked against the computation's
    fingerprint, or those of `unit_codes`' blocks."""
    if unit_codes is not None:
        return units_inputs(year, unit_codes)
    participations, blocks = year_inputs(year)
    # The annex rows are recomputed: they must come from the inputs the results came from.
    if fingerprint_of(blocks, previous_ranks_for(year)) != computation.fingerprint:
        raise ValidationError(STALE.format(year=year.year))
    return participations, blocks


def previous_computed_year(year: Year) -> int | None:
    """The year rank changes are counted against: the closest earlier one with results."""
    return (
        Year.objects.filter(year__lt=year.year, computation__isnull=False)
        .distinct()
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )


def stored_results(
    computation: Computation, block_ids: list[int]
) -> tuple[dict[int, UnitResult], dict[int, dict[str, AreaResult]]]:
    """(participation id → unit result, unit result id → area code → area result)."""
    results = {
        r.participation_id: r
        for r in UnitResult.objects.filter(
            computation=computation, participation__block_id__in=block_ids
        ).select_related("participation__block")
    }
    areas_of: dict[int, dict[str, AreaResult]] = defaultdict(dict)
    for area in AreaResult.objects.filter(
        unit_result__computation=computation,
        unit_result__participation__block_id__in=block_ids,
    ).select_related("criterion"):
        areas_of[area.unit_result_id][area.criterion.code] = area
    return results, areas_of


def stored_scores(year: Year, unit_codes: set[str] | None) -> dict[int, dict[str, Score]]:
    """Participation id → criterion code → the unit's score row (its self score, notes)."""
    scores: dict[int, dict[str, Score]] = defaultdict(dict)
    score_rows = Score.objects.filter(participation__year=year).select_related("criterion")
    if unit_codes is not None:
        score_rows = score_rows.filter(participation__unit__code__in=unit_codes)
    for score in score_rows:
        scores[score.participation_id][score.criterion.code] = score
    return scores


def unit_report(
    code: str,
    participation: Participation,
    result: UnitResult,
    areas: dict[str, AreaResult],
    criteria: list[Criterion],
    counting: dict[str, bool],
) -> UnitReport:
    """A unit's stored figures, its annex rows still to be built."""
    return UnitReport(
        code=code,
        name=participation.name,
        head_title=fmt.head_title(participation, f"Thủ trưởng {participation.name}"),
        head_name=participation.head_name,
        total=result.total,
        max_points=result.max_points,
        index=result.index,
        rank=result.rank,
        rank_change=result.rank_change,
        band=result.band,
        classification=result.classification,
        classification_label=result.get_classification_display(),
        self_review=list(result.self_review),
        warnings=list(result.warnings),
        kind=participation.kind or participation.block.kind,
        band_name=result.band_name,
        index_change=result.index_change,
        predecessors=list(result.predecessors or []),
        sipas=unit_sipas(result),
        areas=[
            AreaLine(
                code=c.code,
                name=c.name,
                score=areas[c.code].score,
                max_points=areas[c.code].max_points,
                index=areas[c.code].index,
                counts_for_classification=counting[c.code],
                change=areas[c.code].change,
            )
            for c in criteria
            if c.parent_id is None
        ],
    )


def self_points(criterion: Criterion, score: Score | None) -> Decimal | None:
    """The unit's own score on an evidence leaf (from its measured value on a rubric leaf)."""
    if score is None:
        return None
    if criterion.rubric and score.self_value is not None:
        rubric = tuple((Decimal(t), Decimal(p)) for t, p in criterion.rubric)
        return rubric_points(rubric, score.self_value)
    return score.self_score


def _add(total: Decimal | None, value: Decimal | None, sign: int) -> Decimal | None:
    if value is None:
        return total
    return (total or ZERO) + sign * value


def annex_rows(
    criteria: list[Criterion],
    scored: scoring.UnitScore,
    scores: dict[str, Score],
    unit: UnitReport,
) -> list[Row]:
    """One row per node, leaves scored, inner nodes summed bottom-up (deductions subtract)."""
    rows = {
        c.code: Row(
            code=c.code,
            name=c.name,
            depth=c.depth,
            is_leaf=c.is_leaf,
            method=c.method,
            is_deduction=c.kind == Criterion.Kind.DEDUCTION,
            is_bonus=c.kind == Criterion.Kind.BONUS,
            max_points=c.max_points if c.is_leaf else ZERO,
        )
        for c in criteria
    }
    code_of = {c.pk: c.code for c in criteria}
    parents = {c.code: code_of[c.parent_id] for c in criteria if c.parent_id is not None}
    for criterion in criteria:
        if not criterion.is_leaf:
            continue
        row = rows[criterion.code]
        points = scored.leaf_scores.get(criterion.code)
        score = scores.get(criterion.code)
        if score is not None:
            row.note = score.appraisal_note
        if points is None:
            row.not_applicable = True
            continue
        if criterion.method == Criterion.Method.SURVEY:
            row.survey = points
        else:
            row.appraised = points
            row.self_score = self_points(criterion, score)
        sign = -1 if row.is_deduction else 1
        # A deduction or a bonus (DOMAIN §8) moves its area's points, never its maximum.
        applicable = ZERO if criterion.kind != Criterion.Kind.NORMAL else row.max_points
        code = criterion.code
        while code in parents:
            code = parents[code]
            parent = rows[code]
            parent.max_points += applicable
            parent.appraised = _add(parent.appraised, row.appraised, sign)
            parent.survey = _add(parent.survey, row.survey, sign)
            parent.self_score = _add(parent.self_score, row.self_score, sign)
        if row.self_score is not None and row.appraised is not None:
            area = next(a for a in unit.areas if a.code == criterion.area_code)
            area.self_score += sign * row.self_score
            area.appraised_on_self += sign * row.appraised
    for area in unit.areas:
        rows[area.code].index = area.index
    return list(rows.values())
