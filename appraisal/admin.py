from django.contrib import admin

from appraisal.models import (
    AppraisalEntry,
    AreaResult,
    Assignment,
    BlockResult,
    Computation,
    Explanation,
    UnitResult,
)


class AreaResultInline(admin.TabularInline):
    model = AreaResult
    extra = 0
    readonly_fields = ["criterion", "score", "max_points", "index", "change"]
    can_delete = False


@admin.register(Computation)
class ComputationAdmin(admin.ModelAdmin):
    year_path = "year"
    list_display = ["year", "revision", "computed_at", "published_on", "correction_reason"]
    readonly_fields = [f.name for f in Computation._meta.fields]


@admin.register(UnitResult)
class UnitResultAdmin(admin.ModelAdmin):
    year_path = "computation__year"
    unit_path = "participation__unit__code"
    list_display = [
        "participation",
        "rank",
        "index",
        "band",
        "band_name",
        "classification",
        "rank_change",
        "index_change",
        "sipas_index",
    ]
    list_filter = [
        "computation__year",
        "computation__revision",
        "participation__block",
        "classification",
        "band",
    ]
    inlines = [AreaResultInline]
    readonly_fields = [f.name for f in UnitResult._meta.fields]


@admin.register(BlockResult)
class BlockResultAdmin(admin.ModelAdmin):
    """A block's (or, without a block, the province's) pooled SIPAS index: computed only."""

    year_path = "computation__year"
    list_display = ["computation", "block", "sipas_index", "sipas_counted"]
    list_filter = ["computation__year", "computation__revision"]
    readonly_fields = [f.name for f in BlockResult._meta.fields]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    year_path = "year"
    list_display = ["year", "block", "area_code", "appraiser"]
    list_filter = ["year", "block"]
    search_fields = ["appraiser__username", "appraiser__last_name"]


@admin.register(AppraisalEntry)
class AppraisalEntryAdmin(admin.ModelAdmin):
    year_path = "score__participation__year"
    unit_path = "score__participation__unit__code"
    list_display = ["score", "round", "status", "appraised_score", "appraiser", "at"]
    list_filter = ["round", "status", "score__participation__year"]
    raw_id_fields = ["score"]
    readonly_fields = [f.name for f in AppraisalEntry._meta.fields]


@admin.register(Explanation)
class ExplanationAdmin(admin.ModelAdmin):
    year_path = "score__participation__year"
    unit_path = "score__participation__unit__code"
    list_display = ["score", "by", "at"]
    list_filter = ["score__participation__year"]
    raw_id_fields = ["score"]
    readonly_fields = [f.name for f in Explanation._meta.fields]
