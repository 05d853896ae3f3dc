"""Which revision of a year's results a reader sees (DOMAIN §9).

A year has one computation per revision. The public sees the last published revision (or
an earlier one it names); those who decide see the working revision, published or not.
"""

from __future__ import annotations

from django.http import Http404

from appraisal.models import Computation
from criteria.models import Year


def working_computation(year: Year) -> Computation | None:
    """The latest revision: the results a compute replaces, or the last published ones."""
    return (
        Computation.objects.select_related("year").filter(year=year).order_by("-revision").first()
    )


def computed_revision(year: Year) -> Computation | None:
    """The latest revision that has results: a correction just opened has none yet, so the
    last published revision stands until it is computed."""
    return (
        Computation.objects.select_related("year")
        .filter(year=year)
        .exclude(fingerprint="")
        .order_by("-revision")
        .first()
    )


def published_computation(year: Year, revision: int | None = None) -> Computation | None:
    """The last published revision, or the published revision numbered `revision`."""
    published = Computation.objects.published().select_related("year").filter(year=year)
    if revision is not None:
        return published.filter(revision=revision).first()
    return published.order_by("-revision").first()


def published_revisions(year: Year) -> list[Computation]:
    return list(
        Computation.objects.published()
        .select_related("year")
        .filter(year=year)
        .order_by("revision")
    )


def computation_shown(year: Year, *, decides: bool, revision: int | None = None):
    """What one reader sees of a year: `decides` for those who see unpublished results.

    Everyone else sees only published revisions (the last one by default); a revision that
    does not exist, or is not published for them to see, is a 404."""
    if revision is not None:
        found = (
            Computation.objects.select_related("year").filter(year=year, revision=revision).first()
        )
        if found is None or not (found.is_published or decides):
            raise Http404
        return found
    if decides:
        return working_computation(year)
    return published_computation(year)


def revision_param(request) -> int | None:
    """`?revision=1` as a number; anything else that is not a number is a 404."""
    value = request.GET.get("revision", "").strip()
    if not value:
        return None
    if not value.isdigit() or len(value) > 4:
        raise Http404
    return int(value)
