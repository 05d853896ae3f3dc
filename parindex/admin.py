from django.contrib import admin

from .models import Job

admin.site.site_header = "parindex – Chỉ số cải cách hành chính"
admin.site.site_title = "parindex"
admin.site.index_title = "Quản trị hệ thống"


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["kind", "year", "status", "done", "total", "created_at", "finished_at"]
    list_filter = ["kind", "status"]
    readonly_fields = [f.name for f in Job._meta.fields]
