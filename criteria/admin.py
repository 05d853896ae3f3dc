from django.contrib import admin

from .models import BlockRules, Criterion, Participation, Year


class BlockRulesInline(admin.TabularInline):
    model = BlockRules
    extra = 0


@admin.register(Year)
class YearAdmin(admin.ModelAdmin):
    list_display = [
        "year",
        "name",
        "status",
        "self_assessment_opens",
        "self_assessment_closes",
        "appraisal_opens",
        "appraisal_closes",
        "published_on",
    ]
    list_filter = ["status"]
    inlines = [BlockRulesInline]


@admin.register(Participation)
class ParticipationAdmin(admin.ModelAdmin):
    list_display = ["year", "unit", "block", "name", "head_title"]
    list_filter = ["year", "block"]
    search_fields = ["unit__code", "name"]


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "year", "block", "max_points", "method", "kind", "is_leaf"]
    list_filter = ["year", "block", "method", "kind", "is_leaf"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]
    readonly_fields = ["is_leaf"]
