from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404

from appraisal.results import results_document
from appraisal.revisions import computation_shown, revision_param
from criteria.models import Year
from units.access import is_province_staff


def results_api(request, year: int):
    """The results document: public once the year is published, staff only before.
    `?revision=N` serves an earlier published revision (DOMAIN §9)."""
    year_obj = get_object_or_404(Year, year=year)
    decides = is_province_staff(request.user)
    if not year_obj.is_published and not decides:
        raise Http404
    computation = computation_shown(year_obj, decides=decides, revision=revision_param(request))
    if computation is None or not computation.fingerprint:
        raise Http404
    return JsonResponse(
        results_document(year_obj, computation), json_dumps_params={"ensure_ascii": False}
    )
