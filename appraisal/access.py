"""Who may see and do what in the appraisal, explanation and council pages.

The rule that shapes everything: nobody appraises their own unit (DOMAIN §3). An
appraiser's membership unit is the department that sent them (Sở Tư pháp sends the
member who appraises institutions); that unit is invisible to them in every appraisal
screen, whatever their assignment.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from appraisal.models import Assignment, Explanation
from criteria.models import Criterion, Participation, Year
from evidence.access import leaf_scope, unit_or_oversight_may_read
from evidence.models import EvidenceFile
from units.access import roles_of, units_of
from units.models import Membership

R = Membership.Role
APPRAISAL_ROLES = (R.APPRAISER, R.SECRETARIAT_LEAD)
ASSIGN_ROLES = (R.SECRETARIAT_LEAD, R.HOME_AFFAIRS)
COUNCIL_ROLES = (R.COUNCIL, R.HOME_AFFAIRS, R.SECRETARIAT_LEAD)
COMPUTE_ROLES = COUNCIL_ROLES
PUBLISH_ROLES = (R.COUNCIL, R.HOME_AFFAIRS)
UNIT_ROLES = (R.UNIT_OFFICER, R.UNIT_HEAD)


def has_role(user, *roles: str) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_superuser or bool(roles_of(user) & set(roles))


def is_lead(user) -> bool:
    """The secretariat lead sees every unit but their own, and may appraise any area."""
    return has_role(user, R.SECRETARIAT_LEAD)


def own_unit_ids(user) -> set[int]:
    """Every unit the person belongs to, in any role: all are off limits for appraisal."""
    return units_of(user)


def assigned_areas(user, year: Year) -> set[tuple[int, str]]:
    """(block id, area code) pairs assigned to the person in that year."""
    return set(
        Assignment.objects.filter(year=year, appraiser=user).values_list("block_id", "area_code")
    )


def may_appraise(user, participation: Participation, area_code: str) -> bool:
    if not user.is_authenticated or participation.unit_id in own_unit_ids(user):
        return False
    if is_lead(user):
        return True
    return Assignment.objects.filter(
        year_id=participation.year_id,
        block_id=participation.block_id,
        area_code=area_code,
        appraiser=user,
    ).exists()


def current_year() -> Year | None:
    """The year in progress (the latest not yet published), else the latest year."""
    return (
        Year.objects.exclude(status=Year.Status.PUBLISHED).order_by("-year").first()
        or Year.objects.order_by("-year").first()
    )


def year_or_404(year: int) -> Year:
    return get_object_or_404(Year, year=year)


def area_or_404(participation: Participation, area_code: str) -> Criterion:
    return get_object_or_404(
        Criterion,
        year_id=participation.year_id,
        block_id=participation.block_id,
        code=area_code,
        parent=None,
    )


def participation_for_appraiser(user, year: Year, unit_code: str, area_code: str):
    """The unit and area an appraiser asks for, or 404 (own unit, area not assigned)."""
    participation = get_object_or_404(
        Participation.objects.select_related("unit", "block", "year"),
        year=year,
        unit__code=unit_code,
    )
    area = area_or_404(participation, area_code)
    if not may_appraise(user, participation, area.code):
        raise Http404
    return participation, area


def participation_for_unit_member(user, year: Year, unit_code: str) -> Participation:
    """A unit's own officer or head, for the explanation round; anyone else gets 404."""
    participation = get_object_or_404(
        Participation.objects.select_related("unit", "block", "year"),
        year=year,
        unit__code=unit_code,
    )
    if participation.unit_id not in units_of(user, *UNIT_ROLES):
        raise Http404
    return participation


def appraiser_may_read(user, evidence_file: EvidenceFile) -> bool:
    """The appraisers' half of who reads a file: an appraiser for files on leaves of their
    assigned areas, the lead for any unit; neither for a unit they belong to."""
    participation = evidence_file.participation
    if not has_role(user, *APPRAISAL_ROLES) or participation.unit_id in own_unit_ids(user):
        return False
    if is_lead(user):
        return True
    leaves = Criterion.objects.filter(
        Q(scores__evidence=evidence_file) | Q(scores__explanations__files=evidence_file),
        scores__participation=participation,
    ).distinct()
    return any(may_appraise(user, participation, leaf.area_code) for leaf in leaves)


def colleague_may_read_explanation_file(user, evidence_file: EvidenceFile) -> bool:
    """A colleague given some leaves also reads the files of the explanations on those
    leaves (whoever attached them); evidence's half knows only the leaves' own files."""
    participation = evidence_file.participation
    if participation.unit_id not in units_of(user, *UNIT_ROLES):
        return False
    scope = leaf_scope(user, participation)
    return (
        bool(scope)
        and Explanation.objects.filter(
            score__participation=participation, score__criterion_id__in=scope, files=evidence_file
        ).exists()
    )


def evidence_file_for_user(user, pk: int) -> EvidenceFile:
    """The one rule for reading an evidence file, whichever URL asks: the unit's own people
    (a colleague given some leaves: only those leaves' files);
    Sở Nội vụ, the council and the secretariat lead; an appraiser for their assigned areas,
    never their own unit. Anyone else, or a file that does not exist, gets 404."""
    evidence_file = (
        EvidenceFile.objects.select_related("participation__year", "participation__unit")
        .filter(pk=pk)
        .first()
    )
    if evidence_file is None or not (
        unit_or_oversight_may_read(user, evidence_file)
        or colleague_may_read_explanation_file(user, evidence_file)
        or appraiser_may_read(user, evidence_file)
    ):
        raise Http404
    return evidence_file
