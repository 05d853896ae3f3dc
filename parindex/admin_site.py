"""The admin site (/quan-tri/): raw tables, so only Sở Nội vụ officers may enter.

Appraisers, unit officers and the council work through the application's own screens, which
check windows, assignments and units; the admin checks none of that. A user needs `is_staff`
and either the home-affairs role or superuser status.
"""

from django.contrib import admin


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
