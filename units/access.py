"""Who may see what: one place for the role checks views share."""

from .models import Membership

# Those who decide see a year's results before publication: the ranking, a unit's total,
# the annexes, the results API, the survey tallies. An appraiser is not among them: they see
# the leaves of the areas assigned to them (appraisal/access.py), never a unit's total.
STAFF_ROLES = {
    Membership.Role.SECRETARIAT_LEAD,
    Membership.Role.HOME_AFFAIRS,
    Membership.Role.COUNCIL,
}


def roles_of(user) -> set[str]:
    if not user.is_authenticated:
        return set()
    return set(user.memberships.values_list("role", flat=True))


def is_province_staff(user) -> bool:
    """Sở Nội vụ, the secretariat lead and the council see unpublished results."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or bool(roles_of(user) & STAFF_ROLES)


def role_required(*roles: str):
    """A view decorator: the user must hold one of `roles` (anonymous users go to login).

    Others get 403: pages of the province's staff are not secret, but they are not theirs.
    """
    from functools import wraps

    from django.contrib.auth.views import redirect_to_login
    from django.core.exceptions import PermissionDenied

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not (request.user.is_superuser or roles_of(request.user) & set(roles)):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def units_of(user, *roles: str) -> set[int]:
    """Ids of the units where the user holds one of `roles` (all roles if none given)."""
    if not user.is_authenticated:
        return set()
    memberships = user.memberships.exclude(unit=None)
    if roles:
        memberships = memberships.filter(role__in=roles)
    return set(memberships.values_list("unit_id", flat=True))
