from django.http import Http404
from django.shortcuts import get_object_or_404, render

from appraisal.models import UnitResult
from criteria.models import Year
from units.access import is_province_staff


def visible_years(user):
    years = Year.objects.filter(computation__isnull=False)
    if not is_province_staff(user):
        years = years.filter(status=Year.Status.PUBLISHED)
    return years.order_by("-year")


def home(request):
    years = list(visible_years(request.user))
    return render(request, "reports/home.html", {"years": years})


def year_results(request, year: int):
    year_obj = get_object_or_404(Year, year=year)
    if year_obj not in visible_years(request.user):
        raise Http404
    results = (
        UnitResult.objects.filter(computation__year=year_obj)
        .select_related("participation__block", "participation__unit")
        .prefetch_related("areas__criterion")
        .order_by("participation__block__code", "rank", "participation__unit__code")
    )
    blocks: dict = {}
    for result in results:
        blocks.setdefault(result.participation.block, []).append(result)
    return render(
        request,
        "reports/year_results.html",
        {"year": year_obj, "blocks": sorted(blocks.items(), key=lambda item: item[0].code)},
    )
