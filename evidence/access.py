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


def unit_or_oversight_may_read(user, evidence_file: EvidenceFile) -> bool:
    """Evidence's half of who reads a file: the unit's own people, and Sở Nội vụ, the council
    and the secretariat lead for any unit. The appraisers' half (assigned areas, never their
    own unit) is appraisal's, which combines both (appraisal.access.evidence_file_for_user)."""
    if roles_of(user) & OVERSIGHT_ROLES:
        return True
    return evidence_file.participation.unit_id in units_of(user, *UNIT_ROLES)
