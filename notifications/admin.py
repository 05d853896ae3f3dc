from django.contrib import admin

from .models import Notice, NoticePreference


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    """What was told, to whom, and whether the email left: read only (the job writes it)."""

    list_display = ["title", "person", "kind", "created", "read_at", "email_to", "email_sent_at"]
    list_filter = ["kind", "year", "in_app"]
    search_fields = ["title", "person__username", "person__last_name", "email_to"]
    readonly_fields = [f.name for f in Notice._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(NoticePreference)
class NoticePreferenceAdmin(admin.ModelAdmin):
    list_display = ["person", "channel"]
    list_filter = ["channel"]
    search_fields = ["person__username", "person__last_name"]
    raw_id_fields = ["person"]
