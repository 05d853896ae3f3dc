"""The scoring engine: DOMAIN.md §2, §4, §5 and §8 (bonus leaves) as pure functions.

Plain dataclasses in, plain dataclasses out, `Decimal` arithmetic only, no ORM and no
settings. Ranking and classification use full precision; rounding is for display only
(`display`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, localcontext

from criteria.rules import rubric_points
from kernel.ordering import unit_code_key

ZERO = Decimal(0)
HUNDRED = Decimal(100)

EVIDENCE = "evidence"
SURVEY = "survey"
NORMAL = "normal"
DEDUCTION = "deduction"
BONUS = "bonus"
# Leaves that move their area's score but add nothing to any maximum (DOMAIN §2, §8).
ADJUSTMENTS = (DEDUCTION, BONUS)

XUAT_SAC = "xuat_sac"
TOT = "tot"
HOAN_THANH = "hoan_thanh"
KHONG_HOAN_THANH = "khong_hoan_thanh"


@dataclass(frozen=True)
class Leaf:
    code: str
    max_points: Decimal
    method: str = EVIDENCE
    kind: str = NORMAL
    # (threshold, points) pairs, highest threshold first: value >= threshold earns points.
    rubric: tuple[tuple[Decimal, Decimal], ...] = ()

    @property
    def area(self) -> str:
        return self.code.split(".")[0]


@dataclass(frozen=True)
class Area:
    code: str
    counts_for_classification: bool = True


@dataclass(frozen=True)
class CriteriaSet:
    """One (year, block) tree, flattened to its top-level areas and its leaves."""

    areas: tuple[Area, ...]
    leaves: tuple[Leaf, ...]


@dataclass(frozen=True)
class ClassRule:
    key: str
    min_total: Decimal
    min_every_area: Decimal


@dataclass(frozen=True)
class Rules:
    # Lower bounds of the percentage bands, highest first, as configured (72,5 stays 72,5).
    # DOMAIN §8: a band is its position in this list; below the last threshold, one more.
    bands: tuple[Decimal, ...] = (Decimal(90), Decimal(80), Decimal(70))
    # QĐ 13/2016 and 29/2018 of UBND tỉnh Hải Dương: highest class first.
    classes: tuple[ClassRule, ...] = (
        ClassRule(XUAT_SAC, Decimal(90), Decimal(80)),
        ClassRule(TOT, Decimal(80), Decimal(70)),
        ClassRule(HOAN_THANH, Decimal(65), Decimal(50)),
    )
    # Nghị quyết of the Provincial Standing Committee (2021): TTHC or e-government below 75 %.
    self_review: tuple[tuple[str, Decimal], ...] = (("3", Decimal(75)), ("7", Decimal(75)))
    # DOMAIN §8: a band may have a name ("Xuất sắc"), one per threshold, by position.
    band_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class LeafEntry:
    """A unit's appraised entry on an evidence leaf."""

    appraised_score: Decimal | None = None
    appraised_value: Decimal | None = None
    not_applicable: bool = False


@dataclass(frozen=True)
class SurveyTally:
    """Counted answers about one unit to one survey leaf: Σ coefficient and their number."""

    coefficient_sum: Decimal = ZERO
    counted: int = 0


@dataclass(frozen=True)
class UnitInput:
    code: str
    entries: Mapping[str, LeafEntry] = field(default_factory=dict)
    tallies: Mapping[str, SurveyTally] = field(default_factory=dict)


@dataclass(frozen=True)
class AreaScore:
    code: str
    score: Decimal
    max_points: Decimal
    index: Decimal | None  # None when every leaf of the area is not applicable


@dataclass(frozen=True)
class UnitScore:
    """What the engine knows of a unit before it is compared with the others."""

    code: str
    areas: tuple[AreaScore, ...]
    leaf_scores: Mapping[str, Decimal | None]  # None: not applicable
    total: Decimal
    max_points: Decimal
    index: Decimal
    classification: str
    self_review: tuple[str, ...]
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class UnitResult:
    unit: UnitScore
    rank: int
    band_position: int  # 0: the highest band; len(rules.bands): below the last threshold
    band: Decimal  # its lower bound as configured, 0 below the last threshold
    rank_change: int | None
    band_name: str = ""  # the configured name of its band; "" when it has none

    @property
    def code(self) -> str:
        return self.unit.code


# Survey points such as 10 × 1/3 carry rounding noise in their last digits, so totals that
# are mathematically equal can differ around the 27th digit. Two distinct true indices of
# real data (3-decimal scores, answer counts below millions) differ by far more than 1e-20:
# rounding indices there lets equal totals share a rank and 79.999…9 reach 80 %.
INDEX_QUANTUM = Decimal("1e-20")


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    if whole == ZERO:
        return None
    with localcontext() as ctx:
        ctx.prec = 34
        return (part * HUNDRED / whole).quantize(INDEX_QUANTUM, rounding=ROUND_HALF_UP)


def display(value: Decimal | None, places: int) -> str | None:
    """Round half up for display only: `display(Decimal("91.525"), 2) == "91.53"`."""
    if value is None:
        return None
    return str(value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def survey_points(max_points: Decimal, tally: SurveyTally) -> Decimal | None:
    """DOMAIN §4: max_points × Σ coefficient / number of counted answers."""
    if tally.counted == 0:
        return None
    with localcontext() as ctx:
        ctx.prec = 34
        return max_points * tally.coefficient_sum / Decimal(tally.counted)


def leaf_points(leaf: Leaf, unit: UnitInput) -> tuple[Decimal | None, str | None]:
    """A leaf's points for a unit (None: not applicable) and a warning if it counts 0."""
    if leaf.method == SURVEY:
        points = survey_points(leaf.max_points, unit.tallies.get(leaf.code, SurveyTally()))
        if points is None:
            return ZERO, f"{leaf.code}: không có phiếu điều tra hợp lệ (tính 0 điểm)"
        return points, None
    entry = unit.entries.get(leaf.code, LeafEntry())
    if entry.not_applicable:
        return None, None
    if leaf.rubric and entry.appraised_value is not None:
        return rubric_points(leaf.rubric, entry.appraised_value), None
    if entry.appraised_score is not None:
        return entry.appraised_score, None
    if leaf.kind in ADJUSTMENTS:
        return ZERO, None  # no deduction or bonus recorded: nothing to move
    return ZERO, f"{leaf.code}: chưa có điểm thẩm định (tính 0 điểm)"


def classify_head(index: Decimal, area_indices: Iterable[Decimal], rules: Rules) -> str:
    """The highest class whose two conditions both hold (DOMAIN §5)."""
    lowest_area = min(area_indices, default=None)
    for rule in rules.classes:
        if index >= rule.min_total and (lowest_area is None or lowest_area >= rule.min_every_area):
            return rule.key
    return KHONG_HOAN_THANH


def self_review_areas(areas: Iterable[AreaScore], rules: Rules) -> tuple[str, ...]:
    by_code = {area.code: area for area in areas}
    flagged = []
    for code, threshold in rules.self_review:
        area = by_code.get(code)
        if area is not None and area.index is not None and area.index < threshold:
            flagged.append(code)
    return tuple(flagged)


def band_of(index: Decimal, bands: Sequence[Decimal]) -> int:
    """The position of the band the index falls in: 0 for the highest, `len(bands)` below
    the last threshold. Never a rounded threshold: 72,9 and 72,1 differ under 90;72,5;72."""
    for position, lower in enumerate(bands):
        if index >= lower:
            return position
    return len(bands)


def band_lower(position: int, bands: Sequence[Decimal]) -> Decimal:
    """The lower bound of the band at `position`, as configured; 0 below the last one."""
    return bands[position] if position < len(bands) else ZERO


def band_name_of(position: int, rules: Rules) -> str:
    """The name configured for the band at `position`; "" below the last threshold or
    when the band has no name."""
    named = min(len(rules.bands), len(rules.band_names))
    return rules.band_names[position] if position < named else ""


def area_score(earned: Decimal, bonus: Decimal, deducted: Decimal, maximum: Decimal) -> Decimal:
    """DOMAIN §8: earned + bonus − deductions, then clamped to [0, the applicable maximum]."""
    return min(maximum, max(ZERO, earned + bonus - deducted))


def score_unit(criteria: CriteriaSet, rules: Rules, unit: UnitInput) -> UnitScore:
    codes = [area.code for area in criteria.areas]
    earned: dict[str, Decimal] = dict.fromkeys(codes, ZERO)
    moved: dict[str, dict[str, Decimal]] = {
        kind: dict.fromkeys(codes, ZERO) for kind in ADJUSTMENTS
    }
    maxima: dict[str, Decimal] = dict.fromkeys(codes, ZERO)
    leaf_scores: dict[str, Decimal | None] = {}
    warnings: list[str] = []
    for leaf in criteria.leaves:
        points, warning = leaf_points(leaf, unit)
        leaf_scores[leaf.code] = points
        if warning:
            warnings.append(warning)
        if points is None:
            continue
        if leaf.kind in ADJUSTMENTS:
            moved[leaf.kind][leaf.area] += points
        else:
            earned[leaf.area] += points
            maxima[leaf.area] += leaf.max_points

    areas = tuple(
        AreaScore(
            code=code,
            score=(
                score := area_score(
                    earned[code], moved[BONUS][code], moved[DEDUCTION][code], maxima[code]
                )
            ),
            max_points=maxima[code],
            index=percent(score, maxima[code]),
        )
        for code in codes
    )
    total = sum((area.score for area in areas), ZERO)
    max_points = sum((area.max_points for area in areas), ZERO)
    index = percent(total, max_points)
    if index is None:
        warnings.append("đơn vị không có tiêu chí nào được áp dụng")
        index = ZERO
    counting = {area.code for area in criteria.areas if area.counts_for_classification}
    classification = classify_head(
        index,
        (a.index for a in areas if a.code in counting and a.index is not None),
        rules,
    )
    return UnitScore(
        code=unit.code,
        areas=areas,
        leaf_scores=leaf_scores,
        total=total,
        max_points=max_points,
        index=index,
        classification=classification,
        self_review=self_review_areas(areas, rules),
        warnings=tuple(warnings),
    )


def competition_ranks(indices: Mapping[str, Decimal]) -> dict[str, int]:
    """1, 2, 2, 4: a unit's rank is 1 + the number of units with a strictly higher index."""
    ordered = sorted(indices.values(), reverse=True)
    first_position: dict[Decimal, int] = {}
    for position, value in enumerate(ordered, start=1):
        first_position.setdefault(value, position)
    return {code: first_position[value] for code, value in indices.items()}


def score_block(
    criteria: CriteriaSet,
    rules: Rules,
    units: Iterable[UnitInput],
    previous_ranks: Mapping[str, int] | None = None,
) -> list[UnitResult]:
    """Score, rank, band and classify every unit of a block; sorted by rank, then code.

    `previous_ranks` maps unit codes to their rank in the closest earlier computed year.
    """
    scores = [score_unit(criteria, rules, unit) for unit in units]
    ranks = competition_ranks({score.code: score.index for score in scores})
    previous_ranks = previous_ranks or {}
    positions = {score.code: band_of(score.index, rules.bands) for score in scores}
    results = [
        UnitResult(
            unit=score,
            rank=ranks[score.code],
            band_position=positions[score.code],
            band=band_lower(positions[score.code], rules.bands),
            band_name=band_name_of(positions[score.code], rules),
            rank_change=(
                previous_ranks[score.code] - ranks[score.code]
                if score.code in previous_ranks
                else None
            ),
        )
        for score in scores
    ]
    return sorted(results, key=lambda result: (result.rank, unit_code_key(result.code)))
