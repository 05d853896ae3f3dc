"""A year started from the one before (issue 15, Build 5): its blocks, the units taking part,
the criteria trees, the rules, the questionnaire (groups, scales, questions, the survey
plan) and the appraisers' assignments are copied; no score, ballot, evidence, window or
result is. Sở Nội vụ then adjusts the copy while it is a draft.

The copy goes through the year workbook (INTERFACES §2): the previous year's sheets, less
its scores and ballots and with the new year's number and name, are validated and written
by the same code as `import_year`, all or nothing. Units keep their codes, so each unit of
the new year is compared with itself in the year before (DOMAIN §8, lineage by code).
"""

from __future__ import annotations

import io

from django.core.exceptions import ValidationError
from django.db import transaction

from appraisal.models import Assignment
from criteria.models import Year
from kernel.audit import audit_record
from surveys.models import RespondentGroup, SurveyPlan
from units.models import Block

from .workbook import workbook_check, year_data_write
from .workbook.columns import COLUMNS
from .workbook.export import _sheets, _year_rows

NOT_COPIED = ("scores", "ballots")
PREDECESSORS = COLUMNS["units"].index("predecessors")
WINDOW_KEYS = {
    "self_assessment_opens",
    "self_assessment_closes",
    "appraisal_opens",
    "appraisal_closes",
    "explanation_opens",
    "explanation_closes",
    "published_on",
}


def next_year_workbook(*, previous: Year, year: int, name: str) -> bytes:
    """The previous year's workbook as the new year starts it."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for sheet, rows in _sheets(previous):
        worksheet = book.create_sheet(sheet)
        worksheet.append(COLUMNS[sheet])
        if sheet in NOT_COPIED:
            continue
        if sheet == "year":
            rows = [
                ["year", year] if key == "year" else ["name", name] if key == "name" else [key, v]
                for key, v in _year_rows(previous)
                if key not in WINDOW_KEYS
            ]
        if sheet == "units":
            # Lineage by code: each unit is compared with itself in the previous year.
            rows = [[*row[:PREDECESSORS], "", *row[PREDECESSORS + 1 :]] for row in rows]
        for row in rows:
            worksheet.append(["" if value is None else value for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def year_start_from(*, previous: Year, year: int, name: str = "", by=None) -> Year:
    """Create `year` from `previous`; raises ValidationError (Vietnamese) and writes nothing
    when the year exists, is not later, or the copy does not validate."""
    if year <= previous.year:
        raise ValidationError(f"Năm mới ({year}) phải sau năm {previous.year}.")
    if Year.objects.filter(year=year).exists():
        raise ValidationError(f"Năm {year} đã có: không tạo lại từ năm {previous.year}.")
    name = name.strip() or previous.name.replace(str(previous.year), str(year))
    data, errors = workbook_check(
        source=io.BytesIO(next_year_workbook(previous=previous, year=year, name=name))
    )
    if errors:
        raise ValidationError([f"Không sao chép được năm {previous.year}: {e}" for e in errors])
    with transaction.atomic():
        new, counts = year_data_write(data=data, source=f"năm {previous.year}")
        groups = {g.code: g for g in RespondentGroup.objects.filter(year=new)}
        plans = SurveyPlan.objects.filter(year=previous).select_related("group")
        SurveyPlan.objects.bulk_create(
            SurveyPlan(
                year=new,
                block_id=plan.block_id,
                group=groups[plan.group.code],
                planned=plan.planned,
                rates_every_unit=plan.rates_every_unit,
            )
            for plan in plans
        )
        blocks = set(Block.objects.filter(participation__year=new).values_list("pk", flat=True))
        assignments = [
            Assignment(
                year=new,
                block_id=a.block_id,
                area_code=a.area_code,
                appraiser_id=a.appraiser_id,
                assigned_by=by,
            )
            for a in Assignment.objects.filter(year=previous, block_id__in=blocks)
        ]
        Assignment.objects.bulk_create(assignments)
        audit_record(
            actor=by,
            action="year_start_from",
            obj=new,
            year=new.year,
            note=(
                f"tạo từ năm {previous.year}: {counts.get('units', 0)} đơn vị, "
                f"{counts.get('criteria', 0)} tiêu chí, {len(assignments)} phân công"
            ),
        )
    return new
