from django.contrib import admin

from .models import (
    Answer,
    Ballot,
    BallotUpload,
    Question,
    RespondentGroup,
    Scale,
    ScaleOption,
    SurveyPlan,
)


@admin.register(RespondentGroup)
class RespondentGroupAdmin(admin.ModelAdmin):
    year_path = "year"
    list_display = ["code", "name", "year"]
    list_filter = ["year"]


class ScaleOptionInline(admin.TabularInline):
    model = ScaleOption
    extra = 0


@admin.register(Scale)
class ScaleAdmin(admin.ModelAdmin):
    year_path = "year"
    list_display = ["code", "year"]
    list_filter = ["year"]
    inlines = [ScaleOptionInline]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    year_path = "criterion__year"
    list_display = ["criterion", "scale", "sipas", "text"]
    list_filter = ["criterion__year", "criterion__block", "sipas"]
    raw_id_fields = ["criterion"]
    filter_horizontal = ["groups"]


@admin.register(Ballot)
class BallotAdmin(admin.ModelAdmin):
    year_path = "year"
    list_display = ["code", "year", "group"]
    list_filter = ["year", "group"]
    search_fields = ["code"]


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    year_path = "ballot__year"
    unit_path = "participation__unit__code"
    list_display = ["ballot", "participation", "criterion", "option"]
    list_filter = ["ballot__year"]
    search_fields = ["ballot__code", "participation__unit__code"]
    raw_id_fields = ["ballot", "participation", "criterion", "option"]
    list_select_related = ["ballot", "participation__unit", "criterion", "option"]


@admin.register(BallotUpload)
class BallotUploadAdmin(admin.ModelAdmin):
    year_path = "year"
    list_display = [
        "original_name",
        "year",
        "mode",
        "status",
        "answers",
        "error_count",
        "created_at",
    ]
    list_filter = ["year", "status"]
    readonly_fields = ["sha256", "errors", "counts", "job"]


@admin.register(SurveyPlan)
class SurveyPlanAdmin(admin.ModelAdmin):
    year_path = "year"
    list_display = ["year", "block", "group", "planned", "rates_every_unit"]
    list_filter = ["year", "block"]
