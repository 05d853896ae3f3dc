"""Build Hải Phòng's years: 2025 assessed (to be computed and published as DOMAIN §8's
record) and 2026 in progress."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from criteria.models import Year
from surveys.questionnaire import survey_plan_save

from ..build import YearPlan, build_year_in_progress, local, year_name
from ..scores import create_scores
from ..spec import DemoProvince
from ..structure import create_structure, create_survey_setup
from .ballots import create_ballots
from .trees import tree_for
from .units import (
    BLOCK_KINDS,
    BLOCKS,
    CITY,
    GROUPS,
    ORGANISATION_GROUPS,
    RULES,
    TARGETS_2025,
    UNITS,
)

HAI_PHONG = DemoProvince(
    name=CITY,
    blocks=BLOCKS,
    block_kinds=BLOCK_KINDS,
    units=UNITS,
    groups=GROUPS,
    organisation_groups=ORGANISATION_GROUPS,
    tree_for=tree_for,
    rules={block: RULES for block in BLOCKS},
    sipas=True,
)

PLAN_2025 = YearPlan(
    2025,
    TARGETS_2025,
    (date(2025, 11, 24), date(2025, 12, 8)),
    (date(2025, 12, 9), date(2025, 12, 19)),
    date(2026, 1, 9),  # DOMAIN §8: published 9 January 2026
)


@transaction.atomic
def build_2025(plan: YearPlan = PLAN_2025) -> Year:
    year = Year.objects.create(
        year=plan.year,
        name=year_name(plan.year, CITY),
        province=CITY,
        status=Year.Status.REVIEW,
        self_assessment_opens=local(plan.self_assessment[0]),
        self_assessment_closes=local(plan.self_assessment[1], end_of_day=True),
        appraisal_opens=local(plan.appraisal[0]),
        appraisal_closes=local(plan.appraisal[1], end_of_day=True),
    )
    structure = create_structure(year, HAI_PHONG)
    groups, options = create_survey_setup(year, structure["criteria"], HAI_PHONG)
    survey_plan, tallies = create_ballots(year, structure, groups, options, plan.targets)
    create_scores(year, structure, plan.targets, tallies, province=HAI_PHONG)
    survey_plan_save(year=year, plan=survey_plan, one_unit_groups={"nguoi_dan"})
    return year


def build_2026(today: date) -> Year:
    return build_year_in_progress(2026, today, HAI_PHONG)
