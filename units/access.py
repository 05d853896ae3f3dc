"""Who may see what: one place for the role checks views share."""

from .models import Membership

STAFF_ROLES = {
    Membership.Role.APPRAISER,
    Membership.Role.SECRETARIAT_LEAD,
    Membership.Role.HOME_AFFAIRS,
    Membership.Role.COUNCIL,
}


def roles_of(user) -> set[str]:
    if not user.is_authenticated:
        return set()
    return set(user.memberships.values_list("role", flat=True))


def is_province_staff(user) -> bool:
    """Sở Nội vụ, the secretariat and the council see unpublished results."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or bool(roles_of(user) & STAFF_ROLES)
