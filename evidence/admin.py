from django.contrib import admin

from .models import EvidenceFile, Score, Submission


@admin.register(Score)
class ScoreAdmin(admin.ModelAdmin):
    year_path = "participation__year"
    unit_path = "participation__unit__code"
    list_display = [
        "participation",
        "criterion",
        "self_score",
        "appraised_score",
        "not_applicable",
        "updated_at",
    ]
    list_filter = ["participation__year", "participation__block", "not_applicable"]
    search_fields = ["participation__unit__code", "participation__name", "criterion__code"]
    raw_id_fields = ["participation", "criterion"]


@admin.register(EvidenceFile)
class EvidenceFileAdmin(admin.ModelAdmin):
    year_path = "participation__year"
    unit_path = "participation__unit__code"
    list_display = ["original_name", "participation", "kind", "size", "uploaded_by", "uploaded_at"]
    list_filter = ["participation__year", "kind"]
    search_fields = ["original_name", "sha256", "participation__unit__code"]
    readonly_fields = [f.name for f in EvidenceFile._meta.fields]


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    year_path = "participation__year"
    unit_path = "participation__unit__code"
    list_display = ["participation", "submitted_by", "submitted_at"]
    list_filter = ["participation__year"]
