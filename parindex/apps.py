from django.contrib.admin import apps as admin_apps


class AdminConfig(admin_apps.AdminConfig):
    """The admin, open only to Sở Nội vụ officers (and superusers): see ParindexAdminSite."""

    default = False
    default_site = "parindex.admin_site.ParindexAdminSite"
