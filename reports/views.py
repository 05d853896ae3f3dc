from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import content_disposition_header, http_date
from django.views.decorators.http import require_GET, require_POST

from appraisal.models import UnitResult
from appraisal.revisions import (
    computation_shown,
    published_revisions,
    revision_param,
    working_computation,
)
from kernel.jobs import job_fail_stale
from kernel.models import Job
from units.access import is_province_staff

from .access import annex_for_download, staff_year, year_for_download
from .jobs import render_start
from .models import RenderedFile
from .services import document_refresh, stale_specs

PUBLIC_MAX_AGE = 300  # seconds a proxy may keep a visitor's copy of a published document
PREPARING = "Tài liệu này đang được chuẩn bị sau khi công bố; vui lòng quay lại sau ít phút."


def stored_file_response(
    file: FieldFile, *, filename: str, content_type: str, as_attachment: bool = True
) -> HttpResponse:
    """A stored file (under MEDIA_ROOT) as an attachment, once the caller has checked who
    may have it. Behind nginx (settings.PARINDEX_ACCEL_REDIRECT) the answer is headers only,
    with `X-Accel-Redirect` to nginx's internal location over MEDIA_ROOT: nginx sends the
    bytes, and the gunicorn worker is free as soon as the headers are written (issue 12: a
    slow downloader held a sync worker for the whole file). Without nginx, Django streams it."""
    prefix = settings.PARINDEX_ACCEL_REDIRECT
    if not prefix:
        return FileResponse(
            file.open("rb"),
            as_attachment=as_attachment,
            filename=filename,
            content_type=content_type,
        )
    response = HttpResponse(content_type=content_type)
    # nginx decodes the URI it is given: a stored name is sent percent-encoded.
    response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(file.name, safe="/")
    response["Content-Disposition"] = content_disposition_header(as_attachment, filename)
    return response


def _download(request, rendered: RenderedFile):
    """The stored file, with its validators: a visitor's cache asks again for nothing."""
    etag = f'"{rendered.digest[:40]}"'
    unchanged = get_conditional_response(
        request, etag=etag, last_modified=int(rendered.rendered_at.timestamp())
    )
    if unchanged is not None:
        return unchanged
    response = stored_file_response(
        rendered.file,
        filename=f"{rendered.year.year}-{rendered.filename}",
        content_type=rendered.content_type,
    )
    response["ETag"] = etag
    response["Last-Modified"] = http_date(rendered.rendered_at.timestamp())
    if not request.user.is_authenticated and rendered.year.is_published:
        # A published revision's stored file, the same for every visitor: the proxy may keep
        # it a few minutes (a correction's new revision shows after at most that).
        patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    return response


def _preparing(request, year, message: str = PREPARING):
    response = render(
        request, "reports/unavailable.html", {"year": year, "message": message}, status=503
    )
    response["Retry-After"] = "60"
    return response


def _stored(year, revision: int, kind: str, key: str = "") -> RenderedFile | None:
    return (
        RenderedFile.objects.filter(year=year, revision=revision, kind=kind, key=key)
        .exclude(file="")
        .first()
    )


def _serve(request, year, kind: str, key: str = ""):
    """Visitors get the stored document of the revision they see, or a "being prepared"
    page: never a render (issue: anonymous render load). Staff download the working
    revision's, rendered now if its figures or layout changed; an earlier revision's
    documents are only ever the stored ones (its scores have moved on)."""
    decides = is_province_staff(request.user)
    computation = computation_shown(year, decides=decides, revision=revision_param(request))
    if computation is None:
        raise Http404
    working = working_computation(year)
    if not decides or computation.pk != working.pk:
        stored = _stored(year, computation.revision, kind, key)
        return _download(request, stored) if stored is not None else _preparing(request, year)
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
    """The zip of everything. Visitors get the stored one; for staff, if some document of the
    working revision changed, a render job is started first."""
    year_obj = year_for_download(request.user, year)
    decides = is_province_staff(request.user)
    computation = computation_shown(year_obj, decides=decides, revision=revision_param(request))
    if computation is None:
        raise Http404
    stored = _stored(year_obj, computation.revision, RenderedFile.Kind.BUNDLE)
    if not decides or computation.pk != working_computation(year_obj).pk:
        return _download(request, stored) if stored is not None else _preparing(request, year_obj)
    try:
        _specs, stale = stale_specs(year_obj)
    except ValidationError as error:
        return render(
            request,
            "reports/unavailable.html",
            {"year": year_obj, "message": " ".join(error.messages)},
            status=409,
        )
    if stale or stored is None:
        # A render job whose worker died for good would otherwise block a new one for ever.
        job_fail_stale(kind=Job.Kind.RENDER)
        running = Job.objects.filter(
            kind=Job.Kind.RENDER,
            year=year_obj.year,
            status__in=[Job.Status.PENDING, Job.Status.RUNNING],
        ).exists()
        if not running:
            render_start(year=year_obj)
        stored = _stored(year_obj, computation.revision, RenderedFile.Kind.BUNDLE)
        _specs, stale = stale_specs(year_obj)
        if stale or stored is None:
            return _preparing(
                request, year_obj, "Bộ tài liệu đang được kết xuất; vui lòng tải lại sau ít phút."
            )
    return _download(request, stored)


@require_GET
def documents(request, year: int):
    year_obj = year_for_download(request.user, year)
    staff = is_province_staff(request.user)
    computation = computation_shown(year_obj, decides=staff, revision=revision_param(request))
    if computation is None:
        raise Http404
    results = (
        UnitResult.objects.filter(computation=computation)
        .select_related("participation__unit", "participation__block")
        .order_by("participation__block__code", "rank", "participation__unit__code")
    )
    blocks: dict = {}
    for result in results:
        blocks.setdefault(result.participation.block, []).append(result)
    job = None
    if staff:
        job_fail_stale(kind=Job.Kind.RENDER)
        job = Job.objects.filter(kind=Job.Kind.RENDER, year=year_obj.year).first()
    revisions = published_revisions(year_obj)
    return render(
        request,
        "reports/documents.html",
        {
            "year": year_obj,
            "blocks": sorted(blocks.items(), key=lambda item: item[0].code),
            "staff": staff,
            "job": job,
            "computation": computation,
            "revisions": revisions,
            "query": f"?revision={computation.revision}" if len(revisions) > 1 else "",
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
