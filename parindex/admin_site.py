"""The admin site (/quan-tri/): raw tables, so only Sở Nội vụ officers may enter.

Appraisers, unit officers and the council work through the application's own screens, which
check windows, assignments and units; the admin checks none of that. A user needs `is_staff`
and either the home-affairs role or superuser status.

Every ModelAdmin registered here (ours, auth's, axes') gets the year's lifecycle and the
audit trail mixed in (parindex/admin_lifecycle.py), so no admin can forget either.
"""

from django.contrib import admin

from .admin_lifecycle import lifecycle_admin


class ParindexAdminSite(admin.AdminSite):
    site_header = "parindex – Chỉ số cải cách hành chính"
    site_title = "parindex"
    index_title = "Quản trị hệ thống"

    def has_permission(self, request) -> bool:
        from units.access import roles_of
        from units.models import Membership

        user = request.user
        if not (user.is_active and user.is_staff):
            return False
        return user.is_superuser or Membership.Role.HOME_AFFAIRS in roles_of(user)

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = lifecycle_admin(admin_class or admin.ModelAdmin)
        super().register(model_or_iterable, admin_class, **options)
