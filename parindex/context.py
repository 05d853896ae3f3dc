"""Navigation for the signed-in user's roles, shared by every page."""

from django.urls import NoReverseMatch, reverse

from units.access import roles_of
from units.models import Membership

R = Membership.Role

# (label, url name, roles that see it); links whose page does not exist yet are skipped.
NAVIGATION = [
    ("Tự đánh giá", "evidence:home", {R.UNIT_OFFICER, R.UNIT_HEAD}),
    ("Giải trình", "appraisal:explanations_home", {R.UNIT_OFFICER, R.UNIT_HEAD}),
    ("Thẩm định", "appraisal:queue", {R.APPRAISER, R.SECRETARIAT_LEAD}),
    ("Hội đồng", "appraisal:council", {R.COUNCIL, R.HOME_AFFAIRS, R.SECRETARIAT_LEAD}),
    ("Điều tra XHH", "surveys:index", {R.HOME_AFFAIRS}),
    ("Báo cáo", "reports:documents", {R.HOME_AFFAIRS, R.COUNCIL, R.SECRETARIAT_LEAD}),
    ("Bộ chỉ số", "criteria:tree_home", {R.HOME_AFFAIRS}),
    ("Năm mới", "exchange:start_year", {R.HOME_AFFAIRS}),
    ("Nhật ký", "audit_log", {R.HOME_AFFAIRS}),
]


def latest_computed_year() -> int | None:
    from criteria.models import Year

    return (
        Year.objects.filter(computation__isnull=False)
        .distinct()
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )


def latest_year() -> int | None:
    from criteria.models import Year

    return Year.objects.order_by("-year").values_list("year", flat=True).first()


def navigation(request):
    roles = roles_of(request.user)
    links = []
    for label, name, allowed in NAVIGATION:
        if roles & allowed:
            try:
                if name == "reports:documents":
                    # The documents of the latest computed year.
                    latest = latest_computed_year()
                    if latest is None:
                        continue
                    links.append((label, reverse(name, args=[latest])))
                    continue
                if name == "criteria:tree_home":
                    # The tree of the newest year (the one being prepared, when there is one).
                    newest = latest_year()
                    if newest is None:
                        continue
                    links.append((label, reverse(name, args=[newest])))
                    continue
                links.append((label, reverse(name)))
            except NoReverseMatch:
                continue
    from django.contrib import admin

    return {
        "nav_links": links,
        "user_roles": roles,
        "admin_allowed": admin.site.has_permission(request),
    }
