"""Who may see and edit a unit's self-assessment."""

from __future__ import annotations

from django.db.models import Q
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


def _with_versions(files) -> set[int]:
    """Ids of `files` and of every earlier version of them (a version chain is one document)."""
    ids = set(files.values_list("pk", flat=True))
    frontier = ids
    while frontier:
        older = set(
            EvidenceFile.objects.filter(replaced_by__in=frontier).values_list("pk", flat=True)
        )
        frontier = older - ids
        ids |= frontier
    return ids


def file_ids_in_scope(user, participation: Participation) -> frozenset[int] | None:
    """Ids of the unit's files the user may see, or None for every file of the unit.

    A colleague given some leaves sees the files on those leaves (with their earlier
    versions) and the files they uploaded themselves; never another leaf's file, whose id
    they could guess (ids are sequential). The head and the focal officer see all."""
    scope = leaf_scope(user, participation)
    if scope is None:
        return None
    files = EvidenceFile.objects.filter(participation=participation)
    mine = files.filter(Q(scores__criterion_id__in=scope) | Q(uploaded_by=user))
    return frozenset(_with_versions(mine.distinct()))


def files_for_user(user, participation: Participation):
    """The unit's files the user may see (for reuse lists and the file actions of a leaf)."""
    files = EvidenceFile.objects.filter(participation=participation)
    ids = file_ids_in_scope(user, participation)
    return files if ids is None else files.filter(pk__in=ids)


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
    participation = evidence_file.participation
    if participation.unit_id not in units_of(user, *UNIT_ROLES):
        return False
    ids = file_ids_in_scope(user, participation)
    return ids is None or evidence_file.pk in ids
