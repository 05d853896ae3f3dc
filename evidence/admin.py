from django.contrib import admin

from .models import Score


@admin.register(Score)
class ScoreAdmin(admin.ModelAdmin):
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
