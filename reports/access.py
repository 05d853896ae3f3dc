"""Who may download what (DOMAIN §3.6: the report and its annexes are published).

Before publication only the province's staff see a year's documents. Once published, the
report, the summaries and every unit's annex are public — which covers each unit's own
officers and head downloading their annex. Anyone else gets 404, not 403: an unpublished
year's documents are not acknowledged to exist.
"""

from django.http import Http404

from criteria.models import Participation, Year
from units.access import is_province_staff


def year_for_download(user, number: int) -> Year:
    year = Year.objects.filter(year=number, computation__isnull=False).first()
    if year is None or not (year.is_published or is_province_staff(user)):
        raise Http404
    return year


def annex_for_download(user, number: int, code: str) -> tuple[Year, Participation]:
    year = year_for_download(user, number)
    participation = (
        Participation.objects.filter(year=year, unit__code=code, result__isnull=False)
        .select_related("unit")
        .first()
    )
    if participation is None:
        raise Http404
    return year, participation


def staff_year(user, number: int) -> Year:
    if not is_province_staff(user):
        raise Http404
    return year_for_download(user, number)
