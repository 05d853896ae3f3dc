"""Build the demo province: years, trees, ballots and scores that reproduce DOMAIN.md §6.

Everything is deterministic (seeded). Ballots are generated first and their survey points
computed exactly with the engine; the evidence scores then make up the rest of each
unit's target index, area by area and leaf by leaf, so that the engine, run on the
stored data, gives back the published record.

    province.py   the units, the record's targets, groups and ballot counts
    trees.py      the criteria trees
    structure.py  blocks, units, rules, criteria and the survey setup of a year
    ballots.py    the ballots and the tallies they give
    scores.py     the evidence scores that make up each target
    users.py      one demo login per role
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction

from criteria.models import Criterion, Year
from criteria.rules import rubric_points
from evidence.models import Score

from .ballots import create_ballots
from .province import PROVINCE, Target
from .scores import SELF_NOTES, create_scores, q, rubric_value
from .spec import DemoProvince
from .structure import HAI_DUONG, create_structure, create_survey_setup

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def local(day: date, *, end_of_day: bool = False) -> datetime:
    moment = datetime(day.year, day.month, day.day, tzinfo=TZ)
    return moment + timedelta(days=1) if end_of_day else moment


@dataclass(frozen=True)
class YearPlan:
    year: int
    targets: dict[str, Target]
    self_assessment: tuple[date, date]
    appraisal: tuple[date, date]
    published_on: date | None


def year_name(year: int, province: str = PROVINCE) -> str:
    if province != PROVINCE:
        return (
            f"Đánh giá, xác định Chỉ số CCHC năm {year} của các sở, ban, ngành và UBND "
            f"các xã, phường, đặc khu thành phố {province}"
        )
    return (
        f"Đánh giá, xác định Chỉ số CCHC năm {year} của các sở, ban, ngành tỉnh "
        f"và UBND các huyện, thị xã, thành phố tỉnh {PROVINCE}"
    )


@transaction.atomic
def build_assessed_year(plan: YearPlan) -> Year:
    year = Year.objects.create(
        year=plan.year,
        name=year_name(plan.year),
        province=PROVINCE,
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


@transaction.atomic
def build_year_in_progress(
    year_number: int, today: date, province: DemoProvince = HAI_DUONG
) -> Year:
    """The current year: self-assessment open around today, some units part-way through."""
    year = Year.objects.create(
        year=year_number,
        name=year_name(year_number, province.name),
        province=province.name,
        status=Year.Status.SELF_ASSESSMENT,
        self_assessment_opens=local(today - timedelta(days=10)),
        self_assessment_closes=local(today + timedelta(days=10), end_of_day=True),
        appraisal_opens=local(today + timedelta(days=11)),
        appraisal_closes=local(today + timedelta(days=17), end_of_day=True),
        explanation_opens=local(today + timedelta(days=18)),
        explanation_closes=local(today + timedelta(days=20), end_of_day=True),
    )
    # A year after the first compares each unit with its own code the year before.
    structure = create_structure(year, province, lineage=False)
    create_survey_setup(year, structure["criteria"], province)
    rng = random.Random(f"progress-{year_number}")
    rows = []
    for position, demo_unit in enumerate(province.units):
        # A few units are nearly done, most part-way, some have not started.
        share = [0.9, 0.6, 0.4, 0.2, 0.0][position % 5]
        criteria = structure["criteria"][demo_unit.block]
        for criterion in criteria.values():
            if not criterion.is_leaf or criterion.method != Criterion.Method.EVIDENCE:
                continue
            if criterion.kind != Criterion.Kind.NORMAL or rng.random() >= share:
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
