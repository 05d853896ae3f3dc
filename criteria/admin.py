from django import forms
from django.contrib import admin
from django.utils import timezone

from kernel.text import text_clean

from .models import BlockRules, Criterion, Participation, Year
from .rules import LineageError, format_lineage, parse_band_names, parse_bands, parse_lineage

# The year's windows in order (DOMAIN §3): each opens when the one before has closed.
WINDOWS = {"self_assessment": "tự đánh giá", "appraisal": "thẩm định", "explanation": "giải trình"}


def _moment(value) -> str:
    return timezone.localtime(value).strftime("%H:%M %d/%m/%Y")


class YearForm(forms.ModelForm):
    """The windows are checked here as the workbook import checks them."""

    def clean(self):
        cleaned = super().clean()
        previous = None
        for window, words in WINDOWS.items():
            opens_key, closes_key = f"{window}_opens", f"{window}_closes"
            if opens_key in self.errors or closes_key in self.errors:
                continue
            opens, closes = cleaned.get(opens_key), cleaned.get(closes_key)
            if (opens is None) != (closes is None):
                missing = opens_key if opens is None else closes_key
                self.add_error(missing, f"Nhập cả thời điểm mở và thời điểm đóng {words}.")
                continue
            if opens is None:
                continue
            if closes <= opens:
                self.add_error(
                    closes_key,
                    f"Thời điểm đóng {words} phải sau thời điểm mở ({_moment(opens)}).",
                )
                continue
            if previous is not None and opens < previous[1]:
                self.add_error(
                    opens_key,
                    f"Đợt {words} chỉ mở khi đợt {previous[0]} đã đóng ({_moment(previous[1])}): "
                    "các đợt không được chồng lên nhau.",
                )
            previous = (words, closes)
        return cleaned


class BlockRulesForm(forms.ModelForm):
    """The thresholds and their names, checked as the workbook's rules sheet checks them."""

    def clean(self):
        cleaned = super().clean()
        bands = cleaned.get("bands")
        if bands is None or "bands" in self.errors:
            return cleaned
        try:
            parse_bands(bands)
        except ValueError as error:
            self.add_error("bands", f"Ngưỡng nhóm: {error}.")
            return cleaned
        try:
            cleaned["band_names"] = ";".join(parse_band_names(cleaned.get("band_names"), bands))
        except ValueError as error:
            self.add_error("band_names", f"Tên nhóm: {error}.")
        return cleaned


class BlockRulesInline(admin.TabularInline):
    model = BlockRules
    form = BlockRulesForm
    extra = 0


@admin.register(Year)
class YearAdmin(admin.ModelAdmin):
    form = YearForm
    year_path = ""
    list_display = [
        "year",
        "name",
        "status",
        "self_assessment_opens",
        "self_assessment_closes",
        "appraisal_opens",
        "appraisal_closes",
        "published_on",
        "province",
    ]
    list_filter = ["status"]
    # Only the services move a year along (publication is the council's page, publish_year),
    # so the council's checks cannot be skipped here.
    readonly_fields = ["status", "published_on"]
    inlines = [BlockRulesInline]


class ParticipationForm(forms.ModelForm):
    """The predecessors checked as the workbook import checks them (DOMAIN §8): the
    notation, earlier years only, and in a year stored here one of its units."""

    def clean(self):
        cleaned = super().clean()
        year, text = cleaned.get("year"), cleaned.get("predecessors")
        if year is None or text is None:
            return cleaned
        try:
            lineage = parse_lineage(text, year=year.year)
        except LineageError as error:
            self.add_error("predecessors", str(error))
            return cleaned
        unknown = [
            reference
            for reference in lineage or ()
            if Year.objects.filter(year=reference.year).exists()
            and not Participation.objects.filter(
                year__year=reference.year, unit__code=reference.code
            ).exists()
        ]
        if unknown:
            self.add_error(
                "predecessors",
                " ".join(
                    f"Đơn vị tiền thân “{r}”: năm {r.year} không có đơn vị mã “{r.code}”."
                    for r in unknown
                ),
            )
        cleaned["predecessors"] = format_lineage(lineage)
        return cleaned


@admin.register(Participation)
class ParticipationAdmin(admin.ModelAdmin):
    form = ParticipationForm
    year_path = "year"
    unit_path = "unit__code"
    list_display = ["year", "unit", "block", "name", "kind", "head_title", "predecessors"]
    list_filter = ["year", "block", "kind"]
    search_fields = ["unit__code", "name"]


class CriterionForm(forms.ModelForm):
    def clean_name(self):
        name = text_clean(self.cleaned_data["name"])
        if len(name) > Criterion.NAME_MAX_LENGTH:
            raise forms.ValidationError(
                f"Tên tiêu chí dài {len(name)} ký tự, tối đa {Criterion.NAME_MAX_LENGTH}."
            )
        return name


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    form = CriterionForm
    year_path = "year"
    list_display = ["code", "name", "year", "block", "max_points", "method", "kind", "is_leaf"]
    list_filter = ["year", "block", "method", "kind", "is_leaf"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]
    readonly_fields = ["is_leaf"]
