"""How much of a unit's survey score is sampling noise: a 95 % interval, and which
neighbours in a ranking are closer than that noise.

Method (analytic, no random numbers). A unit's survey score is a sum of ratios,

    score = Σ_leaf max_leaf × S_leaf / C_leaf

(S: sum of coefficients of the counted answers, C: their number; DOMAIN §4). Ballots are
the sampled units: one ballot answers several leaves, so its answers are not independent,
and the variance is taken over ballots, not answers. Linearising the ratios (the Taylor
method of survey sampling), each ballot b contributes

    z_b = Σ_leaf max_leaf × (s_b,leaf − m_leaf × c_b,leaf) / C_leaf,   m_leaf = S_leaf / C_leaf

and, with the ballots of each respondent group treated as a sample drawn with
replacement inside that group (the plan fixes how many ballots each group returns),

    Var(score) = Σ_group n_g / (n_g − 1) × Σ_{b in g} (z_b − z̄_g)²

where a group's sample is every ballot of that group rating some unit of the block (a
ballot that did not rate this unit has z_b = 0). The interval is score ± 1,96 × √Var,
clipped to [0, maximum]. For a single leaf answered once per ballot this is the textbook
standard error of a mean, max × s/√n. For two units the same sum over ballots of
z_b(unit 1) − z_b(unit 2) gives the variance of their difference, which accounts for
delegates who rate both units on the same ballot.

All arithmetic is Decimal (28 digits); the square root is Decimal.sqrt.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from criteria.models import Criterion, Participation, Year

from .models import Answer, ScaleOption

Z95 = Decimal("1.96")
ZERO = Decimal(0)


@dataclass(frozen=True)
class SurveyConfidence:
    unit: str
    block: str
    score: Decimal  # survey points
    max_points: Decimal  # survey maximum of the unit's block
    std_error: Decimal
    low: Decimal
    high: Decimal
    ballots: int


@dataclass(frozen=True)
class NeighbourNoise:
    """Two units next to each other in a ranking and whether survey noise could swap them."""

    upper: str
    lower: str
    difference: Decimal  # upper − lower, in the ranking's measure
    margin: Decimal  # 1,96 × standard error of that difference
    within_noise: bool


@dataclass
class _Block:
    group_sizes: dict[int, int]  # group id → ballots rating some unit of the block
    z: dict[int, dict[int, Decimal]]  # participation id → ballot id → z
    ballot_groups: dict[int, int]


def _influences(year: Year):
    """Per unit: the score, and per ballot its linearised contribution z_b."""
    options = {
        pk: (coefficient, counted)
        for pk, coefficient, counted in ScaleOption.objects.filter(scale__year=year).values_list(
            "pk", "coefficient", "counted"
        )
    }
    leaves = {
        pk: (block_id, max_points)
        for pk, block_id, max_points in Criterion.objects.filter(
            year=year, is_leaf=True, method=Criterion.Method.SURVEY
        ).values_list("pk", "block_id", "max_points")
    }
    participations = {
        pk: (code, block_id, block_code)
        for pk, code, block_id, block_code in Participation.objects.filter(year=year).values_list(
            "pk", "unit__code", "block_id", "block__code"
        )
    }
    answers = Answer.objects.filter(ballot__year=year).values_list(
        "participation_id", "criterion_id", "ballot_id", "ballot__group_id", "option_id"
    )
    sums: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    counts: dict[tuple[int, int], int] = defaultdict(int)
    for participation_id, criterion_id, _b, _g, option_id in answers.order_by().iterator(
        chunk_size=20000
    ):
        coefficient, counted = options[option_id]
        if counted:
            sums[(participation_id, criterion_id)] += coefficient
            counts[(participation_id, criterion_id)] += 1

    blocks: dict[int, _Block] = defaultdict(lambda: _Block({}, defaultdict(dict), {}))
    seen: dict[int, set[int]] = defaultdict(set)  # block id → ballot ids
    for participation_id, criterion_id, ballot_id, group_id, option_id in answers.order_by(
        "ballot_id"
    ).iterator(chunk_size=20000):
        block_id = participations[participation_id][1]
        block = blocks[block_id]
        if ballot_id not in seen[block_id]:
            seen[block_id].add(ballot_id)
            block.group_sizes[group_id] = block.group_sizes.get(group_id, 0) + 1
            block.ballot_groups[ballot_id] = group_id
        coefficient, counted = options[option_id]
        key = (participation_id, criterion_id)
        if not counted or criterion_id not in leaves:
            block.z[participation_id].setdefault(ballot_id, ZERO)
            continue
        max_points = leaves[criterion_id][1]
        mean = sums[key] / counts[key]
        contribution = max_points * (coefficient - mean) / counts[key]
        block.z[participation_id][ballot_id] = (
            block.z[participation_id].get(ballot_id, ZERO) + contribution
        )

    survey_max: dict[int, Decimal] = defaultdict(Decimal)
    for block_id, max_points in leaves.values():
        survey_max[block_id] += max_points
    scores: dict[int, Decimal] = {}
    for participation_id in participations:
        scores[participation_id] = ZERO
    for (participation_id, criterion_id), total in sums.items():
        if criterion_id in leaves:
            scores[participation_id] += (
                leaves[criterion_id][1] * total / counts[(participation_id, criterion_id)]
            )
    return participations, blocks, scores, survey_max


def _variance(block: _Block, z: Mapping[int, Decimal]) -> Decimal:
    """Σ_g n_g/(n_g − 1) × Σ_b (z_b − z̄_g)², ballots of the group without z counting 0."""
    sums: dict[int, Decimal] = defaultdict(Decimal)
    squares: dict[int, Decimal] = defaultdict(Decimal)
    for ballot_id, value in z.items():
        group = block.ballot_groups[ballot_id]
        sums[group] += value
        squares[group] += value * value
    variance = ZERO
    for group, total in sums.items():
        n = block.group_sizes[group]
        if n > 1:
            variance += Decimal(n) / (n - 1) * (squares[group] - total * total / n)
    return max(variance, ZERO)


def survey_confidence(year: Year) -> dict[str, SurveyConfidence]:
    """Unit code → its survey score with a 95 % interval (method: module docstring)."""
    participations, blocks, scores, survey_max = _influences(year)
    result = {}
    for participation_id, (code, block_id, block_code) in participations.items():
        block = blocks.get(block_id)
        z = block.z.get(participation_id, {}) if block else {}
        std_error = _variance(block, z).sqrt() if block else ZERO
        score, maximum = scores[participation_id], survey_max[block_id]
        result[code] = SurveyConfidence(
            unit=code,
            block=block_code,
            score=score,
            max_points=maximum,
            std_error=std_error,
            low=max(ZERO, score - Z95 * std_error),
            high=min(maximum, score + Z95 * std_error),
            ballots=len(z),
        )
    return result


def ranking_noise(
    year: Year, *, ranking: Mapping[str, Sequence[tuple[str, Decimal, Decimal]]] | None = None
) -> dict[str, list[NeighbourNoise]]:
    """Block code → each pair of neighbours and whether survey noise covers their gap.

    `ranking`: block code → [(unit code, value, scale)] in rank order, where value is what
    the ranking sorts on and a unit's survey points move it by points × scale (for the
    index, scale = 100 / applicable maximum). By default units are ranked on their survey
    score (scale 1).
    """
    participations, blocks, scores, _max = _influences(year)
    by_code = {code: (pk, block_id) for pk, (code, block_id, _b) in participations.items()}
    if ranking is None:
        ranking = defaultdict(list)
        ordered = sorted(
            participations.items(), key=lambda item: (item[1][2], -scores[item[0]], item[1][0])
        )
        for pk, (code, _block_id, block_code) in ordered:
            ranking[block_code].append((code, scores[pk], Decimal(1)))
    noise: dict[str, list[NeighbourNoise]] = {}
    for block_code, units in ranking.items():
        pairs = []
        for (upper, upper_value, upper_scale), (lower, lower_value, lower_scale) in zip(
            units, units[1:], strict=False
        ):
            (upper_pk, block_id), (lower_pk, _) = by_code[upper], by_code[lower]
            block = blocks.get(block_id)
            margin = ZERO
            if block is not None:
                z_upper = block.z.get(upper_pk, {})
                z_lower = block.z.get(lower_pk, {})
                difference_z = {
                    ballot: z_upper.get(ballot, ZERO) * upper_scale
                    - z_lower.get(ballot, ZERO) * lower_scale
                    for ballot in z_upper.keys() | z_lower.keys()
                }
                margin = Z95 * _variance(block, difference_z).sqrt()
            difference = upper_value - lower_value
            pairs.append(
                NeighbourNoise(
                    upper=upper,
                    lower=lower,
                    difference=difference,
                    margin=margin,
                    within_noise=abs(difference) <= margin,
                )
            )
        noise[block_code] = pairs
    return noise
