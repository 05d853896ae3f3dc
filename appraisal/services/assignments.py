"""Assigning appraisers to areas (DOMAIN §3 [design]): the secretariat lead and Sở Nội vụ
assign each area of each block to members of the secretariat, and may reassign it."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from appraisal.access import APPRAISAL_ROLES, ASSIGN_ROLES, has_role
from appraisal.models import Assignment
from criteria.models import Criterion, Year
from criteria.phase import year_lock_for_write, year_refuse_if_frozen
from kernel.audit import audit_record
from units.models import Block, Membership

R = Membership.Role


def appraisable_areas(year: Year, block: Block) -> list[Criterion]:
    """Top-level areas with at least one leaf scored by evidence."""
    area_codes = {
        c.area_code
        for c in Criterion.objects.filter(
            year=year, block=block, is_leaf=True, method=Criterion.Method.EVIDENCE
        ).only("code")
    }
    return [
        area
        for area in Criterion.objects.filter(year=year, block=block, parent=None).order_by(
            "sort_key"
        )
        if area.code in area_codes
    ]


def appraisers():
    """People who may be assigned: members of the secretariat and its lead."""
    return (
        get_user_model()
        .objects.filter(memberships__role__in=APPRAISAL_ROLES, is_active=True)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def _check(*, year: Year, block: Block, area_code: str, appraiser, by) -> None:
    year_refuse_if_frozen(year)
    if not has_role(by, *ASSIGN_ROLES):
        raise ValidationError("Chỉ Tổ trưởng Tổ thư ký hoặc Sở Nội vụ được phân công thẩm định.")
    if area_code not in {a.code for a in appraisable_areas(year, block)}:
        raise ValidationError(
            f"Khối {block.code} năm {year.year} không có lĩnh vực {area_code} chấm qua tài liệu "
            "kiểm chứng."
        )
    if not appraiser.memberships.filter(role__in=APPRAISAL_ROLES).exists():
        raise ValidationError(f"{appraiser} không phải thành viên Tổ thư ký.")


def assignment_create(*, year: Year, block: Block, area_code: str, appraiser, by) -> Assignment:
    _check(year=year, block=block, area_code=area_code, appraiser=appraiser, by=by)
    if Assignment.objects.filter(
        year=year, block=block, area_code=area_code, appraiser=appraiser
    ).exists():
        raise ValidationError(
            f"{appraiser} đã được phân công lĩnh vực {area_code} của khối {block.code}."
        )
    with transaction.atomic():
        year_lock_for_write(year)
        assignment = Assignment.objects.create(
            year=year, block=block, area_code=area_code, appraiser=appraiser, assigned_by=by
        )
        audit_record(
            actor=by,
            action="assignment_create",
            obj=assignment,
            year=year.year,
            changes={"appraiser": (None, appraiser.username)},
            note=f"khối {block.code}, lĩnh vực {area_code}",
        )
    return assignment


def assignment_reassign(*, assignment: Assignment, appraiser, by) -> Assignment:
    """Hand an area over to another member; the entries already made keep their author."""
    _check(
        year=assignment.year,
        block=assignment.block,
        area_code=assignment.area_code,
        appraiser=appraiser,
        by=by,
    )
    if appraiser.pk == assignment.appraiser_id:
        return assignment
    if Assignment.objects.filter(
        year=assignment.year,
        block=assignment.block,
        area_code=assignment.area_code,
        appraiser=appraiser,
    ).exists():
        raise ValidationError(f"{appraiser} đã được phân công lĩnh vực này.")
    with transaction.atomic():
        year_lock_for_write(assignment.year)
        previous = assignment.appraiser.username
        assignment.appraiser = appraiser
        assignment.assigned_by = by
        assignment.save(update_fields=["appraiser", "assigned_by"])
        audit_record(
            actor=by,
            action="assignment_reassign",
            obj=assignment,
            year=assignment.year.year,
            changes={"appraiser": (previous, appraiser.username)},
            note=f"khối {assignment.block.code}, lĩnh vực {assignment.area_code}",
        )
    return assignment


def assignment_delete(*, assignment: Assignment, by) -> None:
    year_refuse_if_frozen(assignment.year)
    if not has_role(by, *ASSIGN_ROLES):
        raise ValidationError("Chỉ Tổ trưởng Tổ thư ký hoặc Sở Nội vụ được phân công thẩm định.")
    with transaction.atomic():
        year_lock_for_write(assignment.year)
        audit_record(
            actor=by,
            action="assignment_delete",
            obj=assignment,
            year=assignment.year.year,
            changes={"appraiser": (assignment.appraiser.username, None)},
            note=f"khối {assignment.block.code}, lĩnh vực {assignment.area_code}",
        )
        assignment.delete()


# Which department's member appraises which area in the demo (DOMAIN §3: Tư pháp for
# institutions); areas with no demo member go to the secretariat lead.
DEMO_AREA_APPRAISERS = {"2": "thamdinh.tuphap"}
DEMO_LEAD = "totruong"


def demo_assignments_create(year: Year) -> int:
    """Assign every area of every block of a demo year; idempotent. Returns the count made."""
    User = get_user_model()
    users = {
        u.username: u
        for u in User.objects.filter(username__in=[DEMO_LEAD, *DEMO_AREA_APPRAISERS.values()])
    }
    lead = users.get(DEMO_LEAD)
    made = 0
    blocks = Block.objects.filter(participation__year=year).distinct()
    for block in blocks:
        for area in appraisable_areas(year, block):
            appraiser = users.get(DEMO_AREA_APPRAISERS.get(area.code, DEMO_LEAD)) or lead
            if appraiser is None:
                continue
            _, created = Assignment.objects.get_or_create(
                year=year, block=block, area_code=area.code, appraiser=appraiser
            )
            made += created
    return made
