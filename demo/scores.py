"""The demo's evidence scores: what each unit's target index leaves after the survey,
split area by area and leaf by leaf (measured leaves on their rubric levels), so that the
engine, run on the stored data, gives back the published record."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from appraisal import scoring
from criteria.models import Year
from criteria.rules import parse_rubric, rubric_points
from evidence.models import Score

from .province import Target
from .spec import DemoProvince
from .structure import HAI_DUONG, leaves_of
from .trees import Node

MILLI = Decimal("0.001")
ZERO = Decimal(0)
HUNDRED = Decimal(100)


def q(value: Decimal) -> Decimal:
    return value.quantize(MILLI, rounding=ROUND_HALF_UP)


@dataclass
class LeafPlan:
    node: Node
    rubric: tuple[tuple[Decimal, Decimal], ...]


def area_targets(
    key: str,
    target: Target,
    leaves: list[Node],
    survey_points: Decimal,
    rng: random.Random,
) -> dict[str, Decimal]:
    """Evidence area scores (3 decimals) adding up to what the target index leaves after
    the survey, with the record's pinned areas and a little variety in the others."""
    applicable = [
        leaf
        for leaf in leaves
        if not (leaf.deduction or leaf.bonus) and leaf.code not in target.not_applicable
    ]
    area_max: dict[str, Decimal] = defaultdict(Decimal)
    for leaf in applicable:
        if not leaf.survey:
            area_max[leaf.code.split(".")[0]] += leaf.max_points
    total_max = sum((leaf.max_points for leaf in applicable), ZERO)
    evidence_needed = q(target.index * total_max / HUNDRED - survey_points)

    pinned = dict(target.areas)
    for code in ("3", "7"):
        # Outside the record's self-review list, TTHC and e-government stay above 75 %.
        pinned.setdefault(code, min(Decimal("97.5"), max(Decimal(76), target.index + 1)))
    scores = {code: q(area_max[code] * pinned[code] / HUNDRED) for code in pinned}
    free = [code for code in area_max if code not in pinned]
    free_max = sum((area_max[code] for code in free), ZERO)
    remaining = evidence_needed - sum(scores.values(), ZERO)
    level = remaining / free_max
    offsets = {code: Decimal(str(round(rng.uniform(-0.025, 0.025), 4))) for code in free}
    shift = sum((area_max[c] * offsets[c] for c in free), ZERO) / free_max
    for code in free:
        ratio = min(Decimal("0.995"), max(ZERO, level + offsets[code] - shift))
        scores[code] = q(area_max[code] * ratio)
    # The last free area absorbs the rounding so the evidence total is exact.
    last = free[-1]
    scores[last] += evidence_needed - sum(scores.values(), ZERO)
    for code, score in scores.items():
        if not ZERO <= score <= area_max[code]:
            raise ValueError(f"demo {key}: area {code} score {score} outside 0…{area_max[code]}")
    return scores


def rubric_value(
    rubric: tuple[tuple[Decimal, Decimal], ...], level: int, rng: random.Random
) -> Decimal:
    """A measured value that falls on the given rubric level."""
    threshold = rubric[level][0]
    ceiling = HUNDRED if level == 0 else rubric[level - 1][0]
    if ceiling <= threshold:
        return threshold
    share = Decimal(str(round(rng.uniform(0.1, 0.9), 2)))
    value = (threshold + (ceiling - threshold) * share).quantize(Decimal("0.1"), ROUND_DOWN)
    return min(value, ceiling - Decimal("0.1")) if level else value


def split_area(
    area_score: Decimal,
    leaves: list[LeafPlan],
    pinned_values: dict[str, Decimal],
    rng: random.Random,
) -> dict[str, tuple[Decimal, Decimal | None]]:
    """Leaf scores (and measured values) adding up exactly to the area's score: measured
    leaves on rubric levels near the area's ratio, the plain leaves carrying the rest."""
    measured = [leaf for leaf in leaves if leaf.rubric]
    plain = [leaf for leaf in leaves if not leaf.rubric]
    plain_max = sum((leaf.node.max_points for leaf in plain), ZERO)
    levels = _rubric_levels(area_score, leaves, pinned_values)
    rest = _levels_fit(levels, area_score, measured, plain_max, pinned_values)
    if not ZERO <= rest <= plain_max:
        raise ValueError(
            f"demo: cannot split {area_score} over {[plan.node.code for plan in leaves]}"
        )
    result: dict[str, tuple[Decimal, Decimal | None]] = {}
    for leaf in measured:
        level = levels[leaf.node.code]
        value = pinned_values.get(leaf.node.code) or rubric_value(leaf.rubric, level, rng)
        result[leaf.node.code] = (leaf.rubric[level][1], value)
    for code, score in _plain_scores(plain, rest, plain_max, rng).items():
        result[code] = (score, None)
    return result


def _rubric_levels(
    area_score: Decimal, leaves: list[LeafPlan], pinned_values: dict[str, Decimal]
) -> dict[str, int]:
    """Each measured leaf's rubric level: the pinned value's, else the level whose points
    are nearest the area's ratio of the leaf's maximum."""
    area_max = sum((leaf.node.max_points for leaf in leaves), ZERO)
    ratio = area_score / area_max if area_max else ZERO
    levels: dict[str, int] = {}
    for leaf in leaves:
        if not leaf.rubric:
            continue
        if leaf.node.code in pinned_values:
            value = pinned_values[leaf.node.code]
            levels[leaf.node.code] = next(
                (i for i, (t, _) in enumerate(leaf.rubric) if value >= t), len(leaf.rubric) - 1
            )
            continue
        wanted = leaf.node.max_points * ratio
        levels[leaf.node.code] = min(
            range(len(leaf.rubric)), key=lambda i: (abs(leaf.rubric[i][1] - wanted), i)
        )
    return levels


def _levels_fit(
    levels: dict[str, int],
    area_score: Decimal,
    measured: list[LeafPlan],
    plain_max: Decimal,
    pinned_values: dict[str, Decimal],
) -> Decimal:
    """Move unpinned measured leaves a level up or down (in `levels`) until the plain
    leaves can carry the rest; returns that rest."""

    def remaining() -> Decimal:
        return area_score - sum((leaf.rubric[levels[leaf.node.code]][1] for leaf in measured), ZERO)

    for _ in range(20):
        rest = remaining()
        if rest > plain_max:
            movable = [
                leaf
                for leaf in measured
                if levels[leaf.node.code] > 0 and leaf.node.code not in pinned_values
            ]
            if not movable:
                break
            levels[movable[0].node.code] -= 1
        elif rest < 0:
            movable = [
                leaf
                for leaf in measured
                if levels[leaf.node.code] < len(leaf.rubric) - 1
                and leaf.node.code not in pinned_values
            ]
            if not movable:
                break
            levels[movable[0].node.code] += 1
        else:
            break
    return remaining()


def _plain_scores(
    plain: list[LeafPlan], rest: Decimal, plain_max: Decimal, rng: random.Random
) -> dict[str, Decimal]:
    """`rest` shared over the plain leaves in proportion to their maxima, with some variety,
    rounded down to 3 decimals and the leftover handed to the leaves with room."""
    share = rest / plain_max if plain_max else ZERO
    scores = {leaf.node.code: leaf.node.max_points * share for leaf in plain}
    # Some variety: move points between pairs of plain leaves, keeping the sum.
    for _ in range(len(plain)):
        if len(plain) < 2:
            break
        giver, taker = rng.sample(plain, 2)
        room = min(scores[giver.node.code], taker.node.max_points - scores[taker.node.code])
        moved = room * Decimal(str(round(rng.uniform(0, 0.5), 3)))
        scores[giver.node.code] -= moved
        scores[taker.node.code] += moved
    rounded = {code: value.quantize(MILLI, ROUND_DOWN) for code, value in scores.items()}
    leftover = rest - sum(rounded.values(), ZERO)
    for leaf in sorted(plain, key=lambda plan: rounded[plan.node.code] - plan.node.max_points):
        if leftover <= 0:
            break
        room = leaf.node.max_points - rounded[leaf.node.code]
        moved = min(room, leftover)
        rounded[leaf.node.code] += moved
        leftover -= moved
    return rounded


SELF_NOTES = [
    "Đã ban hành văn bản, kèm tài liệu kiểm chứng.",
    "Hoàn thành đầy đủ, đúng thời hạn theo kế hoạch.",
    "Đơn vị tự đánh giá đạt điểm tối đa theo hướng dẫn.",
    "Có báo cáo kết quả thực hiện kèm theo.",
]
APPRAISAL_NOTES = [
    "Tài liệu kiểm chứng chưa đầy đủ, chưa thể hiện kết quả thực hiện.",
    "Thực hiện chưa đúng thời hạn quy định.",
    "Nội dung chưa đáp ứng yêu cầu của tiêu chí.",
]


def create_scores(
    year: Year,
    structure: dict,
    targets: dict[str, Target],
    tallies: dict[str, dict[str, scoring.SurveyTally]],
    *,
    appraised: bool = True,
    province: DemoProvince = HAI_DUONG,
) -> None:
    rng = random.Random(f"scores-{year.year}")
    rows: list[Score] = []
    for demo_unit in province.units:
        block_code = demo_unit.block
        tree = province.tree_for(block_code, year.year)
        leaves = leaves_of(tree)
        criteria = structure["criteria"][block_code]
        participation = structure["participations"][demo_unit.key]
        target = targets[demo_unit.key]
        survey_total = sum(
            (
                scoring.survey_points(
                    leaf.max_points, tallies[demo_unit.key].get(leaf.code, scoring.SurveyTally())
                )
                or ZERO
                for leaf in leaves
                if leaf.survey
            ),
            ZERO,
        )
        areas = area_targets(demo_unit.key, target, leaves, survey_total, rng)
        by_area: dict[str, list[LeafPlan]] = defaultdict(list)
        for leaf in leaves:
            if leaf.survey or leaf.deduction or leaf.bonus or leaf.code in target.not_applicable:
                continue
            by_area[leaf.code.split(".")[0]].append(LeafPlan(leaf, parse_rubric(leaf.rubric)))
        bonus_area = next((leaf.code.split(".")[0] for leaf in leaves if leaf.bonus), None)
        leaf_scores: dict[str, tuple[Decimal, Decimal | None]] = {}
        for area_code, plans in by_area.items():
            # What the area's adjustments move, its earned points make up.
            extra = target.deduction if area_code == "5" else ZERO
            if area_code == bonus_area:
                extra -= target.bonus
            leaf_scores.update(split_area(areas[area_code] + extra, plans, target.values, rng))
        for leaf in leaves:
            if leaf.survey:
                continue
            criterion = criteria[leaf.code]
            if leaf.code in target.not_applicable:
                rows.append(
                    Score(
                        participation=participation,
                        criterion=criterion,
                        not_applicable=True,
                        self_note="Đơn vị không có đơn vị sự nghiệp công lập trực thuộc.",
                    )
                )
                continue
            if leaf.bonus:
                if target.bonus:
                    rows.append(
                        Score(
                            participation=participation,
                            criterion=criterion,
                            self_score=target.bonus,
                            self_note="Mô hình, sáng kiến CCHC được thành phố công nhận.",
                            appraised_score=target.bonus if appraised else None,
                        )
                    )
                continue
            if leaf.deduction:
                if target.deduction:
                    rows.append(
                        Score(
                            participation=participation,
                            criterion=criterion,
                            self_score=target.deduction,
                            appraised_score=target.deduction if appraised else None,
                            appraisal_note="Có lãnh đạo, quản lý bị xử lý kỷ luật trong năm."
                            if appraised
                            else "",
                        )
                    )
                continue
            score, value = leaf_scores[leaf.code]
            rows.append(_score_row(participation, criterion, leaf, score, value, rng, appraised))
    Score.objects.bulk_create(rows, batch_size=2000)


def _score_row(participation, criterion, leaf: Node, score, value, rng, appraised) -> Score:
    """Self scores sit at or above the appraised ones, as in practice."""
    rubric = parse_rubric(leaf.rubric)
    self_value = value
    if rubric:
        level = next(i for i, (t, _) in enumerate(rubric) if value >= t)
        if level > 0 and rng.random() < 0.3:
            self_value = rubric_value(rubric, level - 1, rng)
        self_score = rubric_points(rubric, self_value)
    else:
        gap = leaf.max_points * Decimal(rng.choice(["0", "0", "0", "0.1", "0.25", "0.5"]))
        self_score = min(leaf.max_points, q(score + gap))
        if rng.random() < 0.35:
            self_score = leaf.max_points
    adjusted = self_score != score
    return Score(
        participation=participation,
        criterion=criterion,
        self_score=self_score,
        self_value=self_value,
        self_note=rng.choice(SELF_NOTES),
        appraised_score=(None if rubric else score) if appraised else None,
        appraised_value=value if appraised and rubric else None,
        appraisal_note=rng.choice(APPRAISAL_NOTES) if appraised and adjusted else "",
    )
