from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from kernel.jobs import job_fail_stale
from kernel.models import Job
from units.access import is_province_staff

from .access import annex_for_download, staff_year, year_for_download
from .jobs import render_start
from .models import RenderedFile
from .services import bundle_name, document_refresh, stale_specs


def _download(request, rendered: RenderedFile) -> FileResponse:
    return FileResponse(
        rendered.file.open("rb"),
        as_attachment=True,
        filename=f"{rendered.year.year}-{rendered.filename}",
        content_type=rendered.content_type,
    )


def _serve(request, year, kind: str, key: str = ""):
    if year.is_published and not is_province_staff(request.user):
        # A published year's figures are frozen, so a stored document is right even if a newer
        # template would lay it out differently: visitors never start a render (the staff's
        # render button refreshes the layout). Only a document never rendered is drawn now.
        stored = RenderedFile.objects.filter(year=year, kind=kind, key=key).exclude(file="").first()
        if stored is not None:
            return _download(request, stored)
    try:
        rendered, _fresh = document_refresh(year=year, kind=kind, key=key)
    except ValidationError as error:
        return render(
            request,
            "reports/unavailable.html",
            {"year": year, "message": " ".join(error.messages)},
            status=409,
        )
    return _download(request, rendered)


@require_GET
def annex(request, year: int, code: str):
    year_obj, participation = annex_for_download(request.user, year, code)
    return _serve(request, year_obj, RenderedFile.Kind.ANNEX, participation.unit.code)


@require_GET
def summary(request, year: int):
    return _serve(request, year_for_download(request.user, year), RenderedFile.Kind.SUMMARY)


@require_GET
def report_pdf(request, year: int):
    return _serve(request, year_for_download(request.user, year), RenderedFile.Kind.REPORT)


@require_GET
def report_docx(request, year: int):
    return _serve(request, year_for_download(request.user, year), RenderedFile.Kind.REPORT_DOCX)


@require_GET
def bundle(request, year: int):
    """The zip of everything; if some document changed, a render job is started first."""
    year_obj = year_for_download(request.user, year)
    try:
        _specs, stale = stale_specs(year_obj)
    except ValidationError as error:
        return render(
            request,
            "reports/unavailable.html",
            {"year": year_obj, "message": " ".join(error.messages)},
            status=409,
        )
    current = RenderedFile.objects.filter(
        year=year_obj, kind=RenderedFile.Kind.BUNDLE, filename=bundle_name(year_obj)
    ).first()
    if stale or current is None or not current.file:
        # A render job whose worker died for good would otherwise block a new one for ever.
        job_fail_stale(kind=Job.Kind.RENDER)
        running = Job.objects.filter(
            kind=Job.Kind.RENDER,
            year=year_obj.year,
            status__in=[Job.Status.PENDING, Job.Status.RUNNING],
        ).exists()
        if not running:
            render_start(year=year_obj)
        current = RenderedFile.objects.filter(year=year_obj, kind=RenderedFile.Kind.BUNDLE).first()
        _specs, stale = stale_specs(year_obj)
        if stale or current is None or not current.file:
            response = render(
                request,
                "reports/unavailable.html",
                {
                    "year": year_obj,
                    "message": "Bộ tài liệu đang được kết xuất; vui lòng tải lại sau ít phút.",
                },
                status=503,
            )
            response["Retry-After"] = "60"
            return response
    return _download(request, current)


@require_GET
def documents(request, year: int):
    year_obj = year_for_download(request.user, year)
    staff = is_province_staff(request.user)
    units = (
        year_obj.participations.filter(result__isnull=False)
        .select_related("unit", "block", "result")
        .order_by("block__code", "result__rank", "unit__code")
    )
    blocks: dict = {}
    for participation in units:
        blocks.setdefault(participation.block, []).append(participation)
    job = None
    if staff:
        job_fail_stale(kind=Job.Kind.RENDER)
        job = Job.objects.filter(kind=Job.Kind.RENDER, year=year_obj.year).first()
    return render(
        request,
        "reports/documents.html",
        {
            "year": year_obj,
            "blocks": sorted(blocks.items(), key=lambda item: item[0].code),
            "staff": staff,
            "job": job,
        },
    )


@require_POST
def render_all(request, year: int):
    year_obj = staff_year(request.user, year)
    try:
        job = render_start(year=year_obj, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("reports:documents", year=year_obj.year)
    return redirect("reports:job", job_id=job.pk)


@require_GET
def job_status(request, job_id: int):
    if not is_province_staff(request.user):
        raise Http404
    job_fail_stale(kind=Job.Kind.RENDER)
    job = get_object_or_404(Job, pk=job_id, kind=Job.Kind.RENDER)
    template = "reports/_job.html" if request.htmx else "reports/job.html"
    return render(request, template, {"job": job})
