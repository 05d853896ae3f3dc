"""The council's pages: results per block, recompute with a progress bar, approve and publish."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from appraisal.access import (
    COMPUTE_ROLES,
    COUNCIL_ROLES,
    PUBLISH_ROLES,
    current_year,
    has_role,
    year_or_404,
)
from appraisal.jobs import compute_start
from appraisal.lineage import display_change
from appraisal.models import UnitResult
from appraisal.revisions import computed_revision, published_revisions, working_computation
from appraisal.services.publication import (
    publication_gaps,
    results_are_current,
    survey_gap_acknowledge,
    year_publish,
)
from criteria.models import Criterion, Participation, Year
from kernel.jobs import job_fail_stale
from kernel.models import Job
from units.access import role_required


def block_results(year: Year, computation) -> list[tuple]:
    """(block, areas, [(unit result, {area code: area result})]) per block, by rank."""
    results = (
        UnitResult.objects.filter(computation=computation)
        .select_related("participation__block", "participation__unit")
        .prefetch_related("areas__criterion")
        .order_by("participation__block__code", "rank", "participation__unit__code")
    )
    grouped: dict = {}
    for result in results:
        grouped.setdefault(result.participation.block, []).append(result)
        result.lineage = change_words(result)
    areas_of: dict = {}
    for area in Criterion.objects.filter(year=year, block__in=list(grouped), parent=None).order_by(
        "sort_key"
    ):
        areas_of.setdefault(area.block_id, []).append(area)
    sections = []
    for block, rows in sorted(grouped.items(), key=lambda item: item[0].code):
        areas = areas_of.get(block.pk, [])
        block.has_lineage = any(r.index_change is not None or r.predecessors for r in rows)
        sections.append(
            (
                block,
                areas,
                [
                    (
                        r,
                        [
                            next((a for a in r.areas.all() if a.criterion_id == area.pk), None)
                            for area in areas
                        ],
                    )
                    for r in rows
                ],
            )
        )
    return sections


def change_words(result: UnitResult) -> str:
    """`+1,20 (so với Sở Tài chính năm 2024)` or `Đơn vị mới` (DOMAIN §8)."""
    if result.index_change is None:
        return "Đơn vị mới"
    text = display_change(result.index_change, 2, signed=True).replace("-", "−")
    names = [str(p.get("name") or p.get("code")) for p in result.predecessors or []]
    if not names:
        return text.replace(".", ",")
    lead = "so với" if len(names) == 1 else "hợp nhất từ"
    return f"{text.replace('.', ',')} ({lead} {'; '.join(names)})"


def running_job(year: Year) -> Job | None:
    job_fail_stale(kind=Job.Kind.COMPUTE)  # a job whose worker was lost is shown failed
    job = Job.objects.filter(kind=Job.Kind.COMPUTE, year=year.year).order_by("-created_at").first()
    return job if job is not None and not job.is_finished else None


@role_required(*COUNCIL_ROLES)
def council_home(request):
    year = current_year()
    if year is None:
        return render(request, "appraisal/council.html", {"year": None})
    return redirect("appraisal:council_year", year=year.year)


@role_required(*COUNCIL_ROLES)
def council(request, year: int):
    year_obj = year_or_404(year)
    computation = computed_revision(year_obj)
    open_to_change = not year_obj.is_published or year_obj.correction_is_open
    return render(
        request,
        "appraisal/council.html",
        {
            "year": year_obj,
            "years": Year.objects.order_by("-year"),
            "computation": computation,
            "current": computation is not None and results_are_current(year_obj),
            "sections": block_results(year_obj, computation),
            "job": running_job(year_obj),
            "may_compute": has_role(request.user, *COMPUTE_ROLES) and open_to_change,
            "may_publish": has_role(request.user, *PUBLISH_ROLES) and open_to_change,
            "may_correct": year_obj.is_published,
        },
    )


@require_POST
@role_required(*COMPUTE_ROLES)
def compute(request, year: int):
    year_obj = year_or_404(year)
    try:
        job = compute_start(year=year_obj, by=request.user)
    except ValidationError as error:
        if request.htmx:
            return render(request, "appraisal/_job.html", {"job": None, "errors": error.messages})
        for message in error.messages:
            messages.error(request, message)
        return redirect("appraisal:council_year", year=year_obj.year)
    if request.htmx:
        return render(request, "appraisal/_job.html", {"job": job})
    return redirect("appraisal:council_year", year=year_obj.year)


@role_required(*COMPUTE_ROLES)
def job_progress(request, pk: int):
    job_fail_stale(kind=Job.Kind.COMPUTE)
    job = get_object_or_404(Job, pk=pk, kind=Job.Kind.COMPUTE)
    return render(request, "appraisal/_job.html", {"job": job})


@role_required(*PUBLISH_ROLES)
def publish(request, year: int):
    year_obj = year_or_404(year)
    error_messages: list[str] = []
    if request.method == "POST":
        if request.POST.get("confirm") != str(year_obj.year):
            error_messages = [f"Gõ {year_obj.year} vào ô xác nhận để công bố."]
        else:
            try:
                year_publish(year=year_obj, by=request.user)
            except ValidationError as error:
                error_messages = error.messages
            else:
                messages.success(
                    request,
                    f"Đã phê duyệt và công bố kết quả năm {year_obj.year}. Các tài liệu của "
                    "lần công bố này đang được kết xuất.",
                )
                return redirect("appraisal:council_year", year=year_obj.year)
    computation = working_computation(year_obj)
    open_to_change = not year_obj.is_published or year_obj.correction_is_open
    gaps = publication_gaps(year_obj) if open_to_change else []
    return render(
        request,
        "appraisal/publish.html",
        {
            "year": year_obj,
            "computation": computation,
            "current": computation is not None and results_are_current(year_obj),
            "units": UnitResult.objects.filter(computation=computation).count(),
            "open_to_change": open_to_change,
            "revisions": published_revisions(year_obj),
            "open_windows": [
                label
                for window, label in (("appraisal", "thẩm định"), ("explanation", "giải trình"))
                if year_obj.window_is_open(window)
            ],
            "errors": error_messages[:1] if gaps else error_messages,
            "gaps_by_unit": _gaps_by_unit(gaps),
            "gap_count": len(gaps),
        },
        status=400 if error_messages else 200,
    )


def _posted_id(request, name: str) -> int:
    value = request.POST.get(name, "")
    return int(value) if value.isdigit() else 0


def _gaps_by_unit(gaps) -> list[tuple]:
    """(participation, its gaps) in the order the gaps come (unit code order)."""
    grouped: dict[int, tuple] = {}
    for gap in gaps:
        grouped.setdefault(gap.participation.pk, (gap.participation, []))[1].append(gap)
    return list(grouped.values())


@require_POST
@role_required(*PUBLISH_ROLES)
def survey_gap(request, year: int):
    """The council accepts that a unit's survey leaf has no counted answer (scores 0)."""
    year_obj = year_or_404(year)
    participation = get_object_or_404(
        Participation, year=year_obj, pk=_posted_id(request, "participation")
    )
    criterion = get_object_or_404(Criterion, year=year_obj, pk=_posted_id(request, "criterion"))
    try:
        survey_gap_acknowledge(
            participation=participation,
            criterion=criterion,
            note=request.POST.get("note", ""),
            by=request.user,
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, f"{participation.name}, tiêu chí {criterion.code}: {message}")
    else:
        messages.success(
            request,
            f"Đã ghi nhận: {participation.name}, tiêu chí {criterion.code} không có phiếu "
            "điều tra hợp lệ (tính 0 điểm).",
        )
    return redirect("appraisal:publish", year=year_obj.year)
