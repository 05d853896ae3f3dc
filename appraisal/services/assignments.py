"""Assigning appraisers to areas (DOMAIN §3 [design]): the secretariat lead and Sở Nội vụ
assign each area of each block to members of the secretariat, and may reassign it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from appraisal.access import APPRAISAL_ROLES, ASSIGN_ROLES, has_role
from appraisal.models import Assignment
from criteria.models import Criterion, Participation, Year
from criteria.phase import year_lock_for_write, year_refuse_if_frozen
from kernel.audit import audit_record
from kernel.ordering import unit_code_key
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


@dataclass
class AreaGap:
    """An area of a block and the units of it that no one may appraise (`units`), or that
    only the secretariat lead may, no member assigned being outside them (`lead_only`)."""

    area: Criterion
    assigned: bool
    block_units: int = 0
    units: list[Participation] = field(default_factory=list)
    lead_only: list[Participation] = field(default_factory=list)

    @property
    def all_units(self) -> bool:
        return len(self.units) == self.block_units

    @property
    def all_lead_only(self) -> bool:
        return len(self.lead_only) == self.block_units


@dataclass
class BlockCoverage:
    gaps: list[AreaGap] = field(default_factory=list)
    # Assignment id → the units of the block the appraiser belongs to (never appraised by them).
    own_units: dict[int, list[Participation]] = field(default_factory=dict)

    @property
    def unappraisable(self) -> int:
        return sum(len(gap.units) for gap in self.gaps)


def assignment_coverage(year: Year) -> dict[int, BlockCoverage]:
    """For each block of the year (by id): every area × unit without an eligible appraiser,
    and every assignment that includes the appraiser's own unit.

    Eligible is what appraisal.access.may_appraise allows: a member assigned the area, or
    the secretariat lead (who sees every area), in both cases not from the unit."""
    participations: dict[int, list[Participation]] = defaultdict(list)
    for participation in Participation.objects.filter(year=year).select_related("unit"):
        participations[participation.block_id].append(participation)
    for rows in participations.values():
        rows.sort(key=lambda p: unit_code_key(p.unit.code))
    assignments = list(Assignment.objects.filter(year=year).select_related("appraiser"))
    leads = list(
        get_user_model()
        .objects.filter(memberships__role=R.SECRETARIAT_LEAD, is_active=True)
        .distinct()
        .values_list("pk", flat=True)
    )
    people = {a.appraiser_id for a in assignments} | set(leads)
    units_of: dict[int, set[int]] = defaultdict(set)
    for user_id, unit_id in Membership.objects.filter(
        user_id__in=people, unit__isnull=False
    ).values_list("user_id", "unit_id"):
        units_of[user_id].add(unit_id)

    coverage: dict[int, BlockCoverage] = {}
    for block in Block.objects.filter(pk__in=participations):
        rows = participations[block.pk]
        found = coverage[block.pk] = BlockCoverage()
        for area in appraisable_areas(year, block):
            assigned = [
                a for a in assignments if a.block_id == block.pk and a.area_code == area.code
            ]
            gap = AreaGap(area, assigned=bool(assigned), block_units=len(rows))
            for participation in rows:
                unit = participation.unit_id
                by_member = any(unit not in units_of[a.appraiser_id] for a in assigned)
                by_lead = any(unit not in units_of[lead] for lead in leads)
                if not by_member and not by_lead:
                    gap.units.append(participation)
                elif not by_member:
                    gap.lead_only.append(participation)
            if gap.units or gap.lead_only:
                found.gaps.append(gap)
        for a in assignments:
            if a.block_id == block.pk:
                own = [p for p in rows if p.unit_id in units_of[a.appraiser_id]]
                if own:
                    found.own_units[a.pk] = own
    return coverage


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
