from django.contrib import admin

from .models import AreaResult, Computation, UnitResult


class AreaResultInline(admin.TabularInline):
    model = AreaResult
    extra = 0
    readonly_fields = ["criterion", "score", "max_points", "index"]
    can_delete = False


@admin.register(Computation)
class ComputationAdmin(admin.ModelAdmin):
    list_display = ["year", "computed_at", "fingerprint"]
    readonly_fields = ["year", "computed_at", "fingerprint"]


@admin.register(UnitResult)
class UnitResultAdmin(admin.ModelAdmin):
    list_display = ["participation", "rank", "index", "band", "classification", "rank_change"]
    list_filter = ["computation__year", "participation__block", "classification", "band"]
    inlines = [AreaResultInline]
    readonly_fields = [f.name for f in UnitResult._meta.fields]
