"""Build the demo province: years, trees, ballots and scores that reproduce DOMAIN.md §6.

Everything is deterministic (seeded). Ballots are generated first and their survey points
computed exactly with the engine; the evidence scores then make up the rest of each
unit's target index, area by area and leaf by leaf, so that the engine, run on the
stored data, gives back the published record.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.db import transaction

from appraisal import scoring
from criteria.models import BlockRules, Criterion, Participation, Year
from criteria.rules import DEFAULT_RULES, parse_rubric, rubric_points
from evidence.models import Score
from surveys.models import Answer, Ballot, Question, RespondentGroup, Scale, ScaleOption
from units.models import Block, Unit

from .province import BALLOT_PLAN, BLOCKS, GROUPS, UNIT_BY_KEY, UNITS, Target
from .trees import Node, department_tree, district_tree

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
MILLI = Decimal("0.001")
ZERO = Decimal(0)
HUNDRED = Decimal(100)

SCALES = {
    "muc_do": [
        ("A", "Rất tốt", "1", True),
        ("B", "Tốt", "0.75", True),
        ("C", "Trung bình", "0.5", True),
        ("D", "Kém", "0", True),
        ("E", "Không biết / không trả lời", "0", False),
    ],
    "hai_long": [
        ("A", "Rất hài lòng", "1", True),
        ("B", "Hài lòng", "0.75", True),
        ("C", "Bình thường", "0.5", True),
        ("D", "Không hài lòng", "0", True),
        ("E", "Không trả lời", "0", False),
    ],
}
ORGANISATION_GROUPS = {
    "A": ["hdnd", "mttq", "lanh_dao_huyen"],
    "B": ["hdnd", "mttq", "lanh_dao_so"],
}


def q(value: Decimal) -> Decimal:
    return value.quantize(MILLI, rounding=ROUND_HALF_UP)


def local(day: date, *, end_of_day: bool = False) -> datetime:
    moment = datetime(day.year, day.month, day.day, tzinfo=TZ)
    return moment + timedelta(days=1) if end_of_day else moment


def tree_for(block: str, year: int) -> list[Node]:
    return department_tree(year) if block == "A" else district_tree(year)


@dataclass
class LeafPlan:
    node: Node
    rubric: tuple[tuple[Decimal, Decimal], ...]


def leaves_of(tree: list[Node]) -> list[Node]:
    codes = {node.code for node in tree}
    parents = {code.rpartition(".")[0] for code in codes if "." in code}
    return [node for node in tree if node.code not in parents]


# ---------------------------------------------------------------------------- structure


def create_structure(year: Year) -> dict:
    blocks = {}
    for code, name in BLOCKS.items():
        blocks[code], _ = Block.objects.update_or_create(code=code, defaults={"name": name})
    participations = {}
    for demo_unit in UNITS:
        block = blocks[demo_unit.code[0]]
        unit, _ = Unit.objects.update_or_create(
            code=demo_unit.code,
            defaults={"name": demo_unit.name, "block": block, "head_title": demo_unit.head_title},
        )
        participations[demo_unit.key] = Participation.objects.create(
            year=year,
            unit=unit,
            block=block,
            name=demo_unit.name,
            head_title=demo_unit.head_title,
        )
    criteria: dict[str, dict[str, Criterion]] = {}
    for block_code, block in blocks.items():
        BlockRules.objects.create(year=year, block=block, **DEFAULT_RULES)
        tree = tree_for(block_code, year.year)
        leaf_codes = {node.code for node in leaves_of(tree)}
        by_code: dict[str, Criterion] = {}
        maxima = _maxima(tree, leaf_codes)
        for node in tree:
            parent_code = node.code.rpartition(".")[0]
            is_leaf = node.code in leaf_codes
            by_code[node.code] = Criterion.objects.create(
                year=year,
                block=block,
                code=node.code,
                parent=by_code.get(parent_code),
                name=node.name,
                max_points=maxima[node.code],
                method=(
                    (Criterion.Method.SURVEY if node.survey else Criterion.Method.EVIDENCE)
                    if is_leaf
                    else ""
                ),
                kind=Criterion.Kind.DEDUCTION if node.deduction else Criterion.Kind.NORMAL,
                counts_for_classification=node.counts,
                rubric=[[str(t), str(p)] for t, p in parse_rubric(node.rubric)],
                is_leaf=is_leaf,
            )
        criteria[block_code] = by_code
    return {"blocks": blocks, "participations": participations, "criteria": criteria}


def _maxima(tree: list[Node], leaf_codes: set[str]) -> dict[str, Decimal]:
    maxima: dict[str, Decimal] = defaultdict(Decimal)
    for node in reversed(tree):
        if node.code in leaf_codes:
            maxima[node.code] = node.max_points
        parent = node.code.rpartition(".")[0]
        if parent and not node.deduction:
            maxima[parent] += maxima[node.code]
    return maxima


def create_survey_setup(year: Year, criteria: dict[str, dict[str, Criterion]]):
    groups = {
        code: RespondentGroup.objects.create(year=year, code=code, name=name)
        for code, name in GROUPS.items()
    }
    options = {}
    for scale_code, rows in SCALES.items():
        scale = Scale.objects.create(year=year, code=scale_code)
        options[scale_code] = {
            code: ScaleOption.objects.create(
                scale=scale,
                code=code,
                label=label,
                coefficient=Decimal(coefficient),
                counted=counted,
                position=position,
            )
            for position, (code, label, coefficient, counted) in enumerate(rows)
        }
    for block_code, by_code in criteria.items():
        for criterion in by_code.values():
            if criterion.method != Criterion.Method.SURVEY:
                continue
            citizens = criterion.code.split(".")[1] == "2"
            question = Question.objects.create(
                criterion=criterion,
                scale=Scale.objects.get(year=year, code="hai_long" if citizens else "muc_do"),
                text=f"Ông/bà đánh giá thế nào về: {criterion.name.lower()}?",
            )
            allowed = ["nguoi_dan"] if citizens else ORGANISATION_GROUPS[block_code]
            question.groups.set([groups[code] for code in allowed])
    return groups, options


# ------------------------------------------------------------------------------ ballots


def pick_option(rng: random.Random, mean: float) -> str:
    if rng.random() < 0.03:
        return "E"  # không biết: not counted
    x = rng.gauss(mean, 0.13)
    if x >= 0.875:
        return "A"
    if x >= 0.625:
        return "B"
    if x >= 0.25:
        return "C"
    return "D"


def create_ballots(year: Year, structure: dict, groups, options, targets: dict[str, Target]):
    """Ballots in the counts of DOMAIN §3; returns the engine's tallies per unit key."""
    rng = random.Random(f"ballots-{year.year}")
    coefficients = {
        scale: {code: (option.coefficient, option.counted) for code, option in by_code.items()}
        for scale, by_code in options.items()
    }
    tallies: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(lambda: [ZERO, 0]))
    ballots: list[Ballot] = []
    answers: list[
        tuple[int, str, str, str, str]
    ] = []  # ballot index, unit key, leaf, scale, option
    for block_code, plan in BALLOT_PLAN.items():
        units = [u for u in UNITS if u.code[0] == block_code]
        satisfaction = {
            u.key: float(targets[u.key].index) / 100 + rng.uniform(-0.02, 0.015) for u in units
        }
        criteria = structure["criteria"][block_code]
        organisation_leaves = [
            c.code
            for c in criteria.values()
            if c.method == "survey" and c.code.split(".")[1] == "1"
        ]
        citizen_leaves = [
            c.code
            for c in criteria.values()
            if c.method == "survey" and c.code.split(".")[1] == "2"
        ]
        for group_code, count in plan.items():
            for number in range(1, count + 1):
                ballots.append(
                    Ballot(
                        year=year,
                        code=f"{year.year}-{block_code}-{group_code}-{number:04d}",
                        group=groups[group_code],
                    )
                )
                index = len(ballots) - 1
                if group_code == "nguoi_dan":
                    # A citizen rates the one unit whose service they used.
                    rated, leaves, scale = [units[number % len(units)]], citizen_leaves, "hai_long"
                else:
                    # A delegate or leader rates every unit of the block.
                    rated, leaves, scale = units, organisation_leaves, "muc_do"
                for unit in rated:
                    for leaf in leaves:
                        option = pick_option(rng, satisfaction[unit.key])
                        answers.append((index, unit.key, leaf, scale, option))
                        coefficient, counted = coefficients[scale][option]
                        if counted:
                            tally = tallies[unit.key][leaf]
                            tally[0] += coefficient
                            tally[1] += 1
    Ballot.objects.bulk_create(ballots, batch_size=2000)
    ballot_ids = list(Ballot.objects.filter(year=year).order_by("id").values_list("id", flat=True))
    participations = structure["participations"]
    criterion_ids = {
        (block, code): c.pk
        for block, by_code in structure["criteria"].items()
        for code, c in by_code.items()
    }
    Answer.objects.bulk_create(
        (
            Answer(
                ballot_id=ballot_ids[index],
                participation=participations[key],
                criterion_id=criterion_ids[(UNIT_BY_KEY[key].code[0], leaf)],
                option=options[scale][option],
            )
            for index, key, leaf, scale, option in answers
        ),
        batch_size=5000,
    )
    return {
        key: {leaf: scoring.SurveyTally(total, count) for leaf, (total, count) in leaves.items()}
        for key, leaves in tallies.items()
    }


# ------------------------------------------------------------------------------- scores


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
        leaf for leaf in leaves if not leaf.deduction and leaf.code not in target.not_applicable
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
    """Leaf scores (and measured values) adding up exactly to the area's score."""
    area_max = sum((leaf.node.max_points for leaf in leaves), ZERO)
    ratio = area_score / area_max if area_max else ZERO
    measured = [leaf for leaf in leaves if leaf.rubric]
    plain = [leaf for leaf in leaves if not leaf.rubric]
    levels: dict[str, int] = {}
    for leaf in measured:
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
    plain_max = sum((leaf.node.max_points for leaf in plain), ZERO)

    def remaining() -> Decimal:
        return area_score - sum((leaf.rubric[levels[leaf.node.code]][1] for leaf in measured), ZERO)

    # Move measured leaves a level up or down until the plain leaves can carry the rest.
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
    rest = remaining()
    if not ZERO <= rest <= plain_max:
        raise ValueError(
            f"demo: cannot split {area_score} over {[plan.node.code for plan in leaves]}"
        )

    result: dict[str, tuple[Decimal, Decimal | None]] = {}
    for leaf in measured:
        level = levels[leaf.node.code]
        value = pinned_values.get(leaf.node.code) or rubric_value(leaf.rubric, level, rng)
        result[leaf.node.code] = (leaf.rubric[level][1], value)

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
    for code, score in rounded.items():
        result[code] = (score, None)
    return result


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
) -> None:
    rng = random.Random(f"scores-{year.year}")
    rows: list[Score] = []
    for demo_unit in UNITS:
        block_code = demo_unit.code[0]
        tree = tree_for(block_code, year.year)
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
            if leaf.survey or leaf.deduction or leaf.code in target.not_applicable:
                continue
            by_area[leaf.code.split(".")[0]].append(LeafPlan(leaf, parse_rubric(leaf.rubric)))
        leaf_scores: dict[str, tuple[Decimal, Decimal | None]] = {}
        for area_code, plans in by_area.items():
            extra = target.deduction if area_code == "5" else ZERO
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


# -------------------------------------------------------------------------------- years


@dataclass(frozen=True)
class YearPlan:
    year: int
    targets: dict[str, Target]
    self_assessment: tuple[date, date]
    appraisal: tuple[date, date]
    published_on: date | None


def year_name(year: int) -> str:
    return (
        f"Đánh giá, xác định Chỉ số CCHC năm {year} của các sở, ban, ngành tỉnh "
        f"và UBND các huyện, thị xã, thành phố tỉnh Hải Dương"
    )


@transaction.atomic
def build_assessed_year(plan: YearPlan) -> Year:
    year = Year.objects.create(
        year=plan.year,
        name=year_name(plan.year),
        status=Year.Status.REVIEW,
        self_assessment_opens=local(plan.self_assessment[0]),
        self_assessment_closes=local(plan.self_assessment[1], end_of_day=True),
        appraisal_opens=local(plan.appraisal[0]),
        appraisal_closes=local(plan.appraisal[1], end_of_day=True),
    )
    structure = create_structure(year)
    groups, options = create_survey_setup(year, structure["criteria"])
    tallies = create_ballots(year, structure, groups, options, plan.targets)
    create_scores(year, structure, plan.targets, tallies)
    return year


# ------------------------------------------------------------------------- year in progress


@transaction.atomic
def build_year_in_progress(year_number: int, today: date) -> Year:
    """The current year: self-assessment open around today, some units part-way through."""
    year = Year.objects.create(
        year=year_number,
        name=year_name(year_number),
        status=Year.Status.SELF_ASSESSMENT,
        self_assessment_opens=local(today - timedelta(days=10)),
        self_assessment_closes=local(today + timedelta(days=10), end_of_day=True),
        appraisal_opens=local(today + timedelta(days=11)),
        appraisal_closes=local(today + timedelta(days=17), end_of_day=True),
        explanation_opens=local(today + timedelta(days=18)),
        explanation_closes=local(today + timedelta(days=20), end_of_day=True),
    )
    structure = create_structure(year)
    create_survey_setup(year, structure["criteria"])
    rng = random.Random(f"progress-{year_number}")
    rows = []
    for position, demo_unit in enumerate(UNITS):
        # A few units are nearly done, most part-way, some have not started.
        share = [0.9, 0.6, 0.4, 0.2, 0.0][position % 5]
        criteria = structure["criteria"][demo_unit.code[0]]
        for criterion in criteria.values():
            if not criterion.is_leaf or criterion.method != Criterion.Method.EVIDENCE:
                continue
            if criterion.kind == Criterion.Kind.DEDUCTION or rng.random() >= share:
                continue
            rubric = tuple((Decimal(t), Decimal(p)) for t, p in criterion.rubric)
            if rubric:
                value = rubric_value(rubric, rng.choice(range(min(2, len(rubric)))), rng)
                self_score = rubric_points(rubric, value)
            else:
                value = None
                self_score = q(
                    criterion.max_points * Decimal(rng.choice(["1", "1", "0.75", "0.5"]))
                )
            rows.append(
                Score(
                    participation=structure["participations"][demo_unit.key],
                    criterion=criterion,
                    self_score=self_score,
                    self_value=value,
                    self_note=rng.choice(SELF_NOTES),
                )
            )
    Score.objects.bulk_create(rows, batch_size=2000)
    return year
