from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404

from appraisal.models import Computation
from appraisal.results import results_document
from criteria.models import Year
from units.access import is_province_staff


def results_api(request, year: int):
    """The results document: public once the year is published, staff only before."""
    year_obj = get_object_or_404(Year, year=year)
    if not year_obj.is_published and not is_province_staff(request.user):
        raise Http404
    if not Computation.objects.filter(year=year_obj).exists():
        raise Http404
    return JsonResponse(results_document(year_obj), json_dumps_params={"ensure_ascii": False})
