"""Who may see and edit a unit's self-assessment."""

from __future__ import annotations

from django.http import Http404

from criteria.models import Participation, Year
from units.access import roles_of, units_of
from units.models import Membership

from .models import EvidenceFile, Score

R = Membership.Role
UNIT_ROLES = (R.UNIT_OFFICER, R.UNIT_HEAD)


def unit_roles(user, unit_id: int) -> set[str]:
    """The user's roles inside one unit."""
    if not user.is_authenticated:
        return set()
    return set(user.memberships.filter(unit_id=unit_id).values_list("role", flat=True))


def leaf_scope(user, participation: Participation) -> frozenset[int] | None:
    """Criterion ids the user may see and edit, or None for every leaf.

    The head sees everything. A unit officer to whom leaves are delegated is a colleague
    helping on those leaves only; the officer with no delegated leaf is the unit's focal
    point (cán bộ đầu mối) and sees everything.
    """
    roles = unit_roles(user, participation.unit_id)
    if R.UNIT_HEAD in roles:
        return None
    if R.UNIT_OFFICER not in roles:
        return frozenset()
    delegated = frozenset(
        Score.objects.filter(participation=participation, delegated_to=user).values_list(
            "criterion_id", flat=True
        )
    )
    return delegated or None


def participation_for_user(request) -> Participation:
    """The current year's participation of the user's own unit, else 404.

    "Current" is the latest year, not in draft, in which the unit takes part.
    """
    unit_ids = units_of(request.user, *UNIT_ROLES)
    participation = (
        Participation.objects.filter(unit_id__in=unit_ids)
        .exclude(year__status=Year.Status.DRAFT)
        .select_related("year", "unit", "block")
        .order_by("-year__year", "unit__code")
        .first()
    )
    if participation is None:
        raise Http404
    return participation


OVERSIGHT_ROLES = {
    Membership.Role.HOME_AFFAIRS,
    Membership.Role.COUNCIL,
    Membership.Role.SECRETARIAT_LEAD,
}


def evidence_file_for_user(request, file_id: int) -> EvidenceFile:
    """A file the user may download: their own unit's, or any for Sở Nội vụ, the council and
    the secretariat lead. Appraisers open files through the appraisal screens, which allow
    only their assigned areas and never their own unit (appraisal:evidence_file)."""
    evidence_file = (
        EvidenceFile.objects.select_related("participation__year", "participation__unit")
        .filter(pk=file_id)
        .first()
    )
    if evidence_file is None:
        raise Http404
    if roles_of(request.user) & OVERSIGHT_ROLES:
        return evidence_file
    if evidence_file.participation.unit_id in units_of(request.user, *UNIT_ROLES):
        return evidence_file
    raise Http404
