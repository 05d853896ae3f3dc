"""What the ballots say: tallies per unit × question × group, receipt against the plan, and
the data-quality lists (thin questions, look-alike ballot ids, repeated answer patterns).

Points follow DOMAIN §4 exactly in Decimal: max_points × Σ coefficient / counted answers.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count

from criteria.models import Participation, Year
from kernel.ordering import unit_code_key

from .models import Answer, Ballot, Question, RespondentGroup, ScaleOption, SurveyPlan

MIN_COUNTED = 30  # fewer counted answers than this on a unit's question: flagged for review
# A repeated pattern is flagged when chance alone would produce that many copies with a
# probability below this (Poisson tail, option frequencies of the same unit and question).
REPEAT_P_VALUE = 1e-6
REPEAT_MIN_COPIES = 3


def survey_points(max_points: Decimal, coefficient_sum: Decimal, counted: int) -> Decimal | None:
    if not counted:
        return None
    return max_points * coefficient_sum / Decimal(counted)


@dataclass
class Tally:
    """Answers of one group (None: every group) about one unit to one question."""

    group: str | None
    counts: dict[str, int] = field(default_factory=dict)  # option code → answers
    counted: int = 0
    coefficient_sum: Decimal = Decimal(0)
    points: Decimal | None = None

    @property
    def answers(self) -> int:
        return sum(self.counts.values())


@dataclass
class QuestionTallies:
    block: str
    unit: str
    unit_name: str
    criterion: str
    criterion_name: str
    max_points: Decimal
    options: list[str]  # the scale's option codes, in order
    total: Tally
    by_group: list[Tally]

    @property
    def low(self) -> bool:
        return self.total.counted < MIN_COUNTED


OptionInfo = tuple[str, Decimal, bool]  # code, coefficient, counted


def _scale_options(year: Year) -> tuple[dict[int, OptionInfo], dict[int, list[str]]]:
    """Every option of the year's scales by id, and each scale's option codes in order."""
    options = {
        pk: (code, coefficient, counted)
        for pk, code, coefficient, counted in ScaleOption.objects.filter(
            scale__year=year
        ).values_list("pk", "code", "coefficient", "counted")
    }
    scale_options: dict[int, list[str]] = defaultdict(list)
    for scale_id, code in (
        ScaleOption.objects.filter(scale__year=year)
        .order_by("scale_id", "position", "code")
        .values_list("scale_id", "code")
    ):
        scale_options[scale_id].append(code)
    return options, scale_options


def _answer_counts(year: Year, block: str | None) -> dict[tuple[int, int], dict[int, Counter]]:
    """(participation, criterion) → group → option → answers, counted by the database."""
    answers = Answer.objects.filter(ballot__year=year)
    if block:
        answers = answers.filter(participation__block__code=block)
    counts: dict[tuple[int, int], dict[int, Counter]] = defaultdict(lambda: defaultdict(Counter))
    for participation_id, criterion_id, group_id, option_id, n in (
        answers.values_list("participation_id", "criterion_id", "ballot__group_id", "option_id")
        .annotate(n=Count("id"))
        .order_by()
    ):
        counts[(participation_id, criterion_id)][group_id][option_id] += n
    return counts


def _tally(
    group: str | None, by_option: Counter, max_points: Decimal, options: dict[int, OptionInfo]
) -> Tally:
    result = Tally(group=group)
    for option_id, n in by_option.items():
        code, coefficient, counted = options[option_id]
        result.counts[code] = result.counts.get(code, 0) + n
        if counted:
            result.counted += n
            result.coefficient_sum += coefficient * n
    result.points = survey_points(max_points, result.coefficient_sum, result.counted)
    return result


def survey_tally_table(*, year: Year, block: str | None = None) -> list[QuestionTallies]:
    """Every (unit, survey question) of the year, with its tallies per group and overall.

    Questions nobody answered about a unit are listed too, with nothing counted.
    """
    options, scale_options = _scale_options(year)
    groups = dict(RespondentGroup.objects.filter(year=year).values_list("pk", "code"))
    questions = (
        Question.objects.filter(criterion__year=year)
        .select_related("criterion__block")
        .order_by("criterion__block__code", "criterion__sort_key")
    )
    participations = Participation.objects.filter(year=year).select_related("unit", "block")
    if block:
        questions = questions.filter(criterion__block__code=block)
        participations = participations.filter(block__code=block)
    counts = _answer_counts(year, block)
    by_block: dict[int, list[Participation]] = defaultdict(list)
    for participation in sorted(participations, key=lambda p: unit_code_key(p.unit.code)):
        by_block[participation.block_id].append(participation)
    table = []
    for question in questions:
        criterion = question.criterion
        for participation in by_block.get(criterion.block_id, []):
            per_group = counts.get((participation.pk, criterion.pk), {})
            overall: Counter = Counter()
            for by_option in per_group.values():
                overall.update(by_option)
            by_group = [
                _tally(groups[group_id], by_option, criterion.max_points, options)
                for group_id, by_option in per_group.items()
            ]
            table.append(
                QuestionTallies(
                    block=criterion.block.code,
                    unit=participation.unit.code,
                    unit_name=participation.name,
                    criterion=criterion.code,
                    criterion_name=criterion.name,
                    max_points=criterion.max_points,
                    options=scale_options[question.scale_id],
                    total=_tally(None, overall, criterion.max_points, options),
                    by_group=sorted(by_group, key=lambda t: t.group),
                )
            )
    return table


@dataclass
class Receipt:
    """Ballots received against the plan, for a block (unit None) or one unit."""

    block: str
    group: str
    group_name: str
    unit: str | None
    unit_name: str
    planned: Decimal | None  # per unit: the share a unit should get
    received: int

    @property
    def ratio(self) -> Decimal | None:
        if not self.planned:
            return None
        return Decimal(self.received) * 100 / self.planned

    @property
    def short(self) -> bool:
        # A shared plan (35,6 per unit) is met by 35 ballots.
        return self.planned is not None and self.received < int(self.planned)


def survey_receipts(*, year: Year) -> tuple[list[Receipt], list[Receipt]]:
    """(per block and group, per unit and group): distinct ballots against the plan.

    A group whose ballots each rate every unit of the block plans its whole count for every
    unit; otherwise (citizens rate the unit that served them) the plan is shared equally.
    """
    plans = {
        (plan.block.code, plan.group.code): plan
        for plan in SurveyPlan.objects.filter(year=year).select_related("block", "group")
    }
    group_names = dict(RespondentGroup.objects.filter(year=year).values_list("code", "name"))
    participations = sorted(
        Participation.objects.filter(year=year).select_related("unit", "block"),
        key=lambda p: unit_code_key(p.unit.code),
    )
    units_in_block = Counter(p.block.code for p in participations)
    answers = Answer.objects.filter(ballot__year=year).order_by()
    per_block = {
        (block, group): n
        for block, group, n in answers.values_list(
            "participation__block__code", "ballot__group__code"
        ).annotate(n=Count("ballot_id", distinct=True))
    }
    per_unit = {
        (unit, group): n
        for unit, group, n in answers.values_list(
            "participation__unit__code", "ballot__group__code"
        ).annotate(n=Count("ballot_id", distinct=True))
    }
    blocks = sorted(units_in_block)
    block_rows = []
    for block in blocks:
        groups = sorted(
            {g for b, g in plans if b == block} | {g for b, g in per_block if b == block}
        )
        for group in groups:
            plan = plans.get((block, group))
            block_rows.append(
                Receipt(
                    block=block,
                    group=group,
                    group_name=group_names.get(group, group),
                    unit=None,
                    unit_name="",
                    planned=Decimal(plan.planned) if plan else None,
                    received=per_block.get((block, group), 0),
                )
            )
    unit_rows = []
    for participation in participations:
        block = participation.block.code
        for row in (r for r in block_rows if r.block == block):
            plan = plans.get((block, row.group))
            planned = None
            if plan:
                planned = Decimal(plan.planned)
                if not plan.rates_every_unit:
                    planned = planned / units_in_block[block]
            unit_rows.append(
                Receipt(
                    block=block,
                    group=row.group,
                    group_name=row.group_name,
                    unit=participation.unit.code,
                    unit_name=participation.name,
                    planned=planned,
                    received=per_unit.get((participation.unit.code, row.group), 0),
                )
            )
    return block_rows, unit_rows


def normalized_ballot_code(code: str) -> str:
    """P-0012, p12 and P 12 are the same paper ballot typed three ways."""
    parts = re.findall(r"[A-Za-z]+|\d+", code.upper())
    return "-".join(part.lstrip("0") or "0" if part.isdigit() else part for part in parts)


def ballot_lookalikes(*, year: Year) -> list[list[str]]:
    """Stored ballot ids that differ only by case, separators or leading zeros.

    Ids are unique as typed; the same paper entered twice under two spellings is not.
    """
    by_key: dict[str, list[str]] = defaultdict(list)
    for code in Ballot.objects.filter(year=year).values_list("code", flat=True).iterator():
        by_key[normalized_ballot_code(code)].append(code)
    return sorted(sorted(codes) for codes in by_key.values() if len(codes) > 1)


@dataclass
class RepeatedPattern:
    group: str
    ballots: list[str]
    answers: int  # answers on each ballot
    expected: float  # copies expected by chance
    p_value: float


def poisson_tail(k: int, mean: float) -> float:
    """P(X ≥ k) for X ~ Poisson(mean), summed in log space."""
    if mean <= 0:
        return 0.0 if k > 0 else 1.0
    below = sum(math.exp(i * math.log(mean) - mean - math.lgamma(i + 1)) for i in range(k))
    return max(0.0, 1.0 - below)


def repeated_patterns(*, year: Year) -> list[RepeatedPattern]:
    """Groups of ballots with identical answers, more than chance would give.

    A ballot's pattern is its set of (unit, question, option). For each repeated pattern,
    the copies expected by chance are: ballots of the same group answering the same
    questions about the same units × Π frequency of each chosen option among all answers
    to that unit and question. Statistics for review only, in floats: no score depends on it.
    """
    option_counts: dict[tuple[int, int], Counter] = defaultdict(Counter)
    for participation_id, criterion_id, option_id, n in (
        Answer.objects.filter(ballot__year=year)
        .values_list("participation_id", "criterion_id", "option_id")
        .annotate(n=Count("id"))
        .order_by()
    ):
        option_counts[(participation_id, criterion_id)][option_id] += n
    patterns: dict[tuple, list[int]] = defaultdict(list)
    shapes: Counter = Counter()
    current, items, group = None, [], None

    def close():
        if current is not None:
            pattern = (group, tuple(sorted(items)))
            patterns[pattern].append(current)
            shapes[(group, tuple(sorted((p, c) for p, c, _ in items)))] += 1

    for ballot_id, group_id, participation_id, criterion_id, option_id in (
        Answer.objects.filter(ballot__year=year)
        .order_by("ballot_id")
        .values_list(
            "ballot_id", "ballot__group_id", "participation_id", "criterion_id", "option_id"
        )
        .iterator(chunk_size=10000)
    ):
        if ballot_id != current:
            close()
            current, items, group = ballot_id, [], group_id
        items.append((participation_id, criterion_id, option_id))
    close()

    flagged = []
    for (group_id, items), ballot_ids in patterns.items():
        copies = len(ballot_ids)
        if copies < REPEAT_MIN_COPIES:
            continue
        probability = 1.0
        for participation_id, criterion_id, option_id in items:
            by_option = option_counts[(participation_id, criterion_id)]
            probability *= by_option[option_id] / sum(by_option.values())
        shape = (group_id, tuple(sorted((p, c) for p, c, _ in items)))
        expected = shapes[shape] * probability
        p_value = poisson_tail(copies, expected)
        if p_value < REPEAT_P_VALUE:
            flagged.append((group_id, ballot_ids, len(items), expected, p_value))
    if not flagged:
        return []
    codes = dict(
        Ballot.objects.filter(pk__in=[pk for f in flagged for pk in f[1]]).values_list("pk", "code")
    )
    groups = dict(RespondentGroup.objects.filter(year=year).values_list("pk", "code"))
    return sorted(
        (
            RepeatedPattern(
                group=groups[group_id],
                ballots=sorted(codes[pk] for pk in ballot_ids),
                answers=answers,
                expected=expected,
                p_value=p_value,
            )
            for group_id, ballot_ids, answers, expected, p_value in flagged
        ),
        key=lambda r: (r.p_value, r.group),
    )
