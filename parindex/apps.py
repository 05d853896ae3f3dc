from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class ParindexConfig(AppConfig):
    name = "parindex"
    verbose_name = "Hệ thống"
    default = True


class AdminConfig(admin_apps.AdminConfig):
    """The admin, open only to Sở Nội vụ officers (and superusers): see ParindexAdminSite."""

    default = False
    default_site = "parindex.admin_site.ParindexAdminSite"
