"""The council's correction of a published year (DOMAIN §9): open it with a reason, correct
leaves with theirs, then recompute and publish the next revision on the publish page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from appraisal.access import COUNCIL_ROLES, PUBLISH_ROLES, has_role, year_or_404
from appraisal.models import AppraisalEntry
from appraisal.revisions import published_revisions, working_computation
from appraisal.services.corrections import (
    REASON_MIN,
    correction_cancel,
    correction_open,
    correction_score_set,
)
from criteria.models import Criterion, Participation
from kernel.ordering import unit_code_key
from units.access import role_required


def _page(request, year_obj, *, errors=(), posted=None, status=200):
    participations = sorted(
        Participation.objects.filter(year=year_obj).select_related("unit"),
        key=lambda p: unit_code_key(p.unit.code),
    )
    corrected = (
        AppraisalEntry.objects.filter(
            score__participation__year=year_obj, round=AppraisalEntry.Round.CORRECTION
        )
        .select_related("score__participation__unit", "score__criterion", "appraiser")
        .order_by("-at")
    )
    working = working_computation(year_obj)
    return render(
        request,
        "appraisal/correction.html",
        {
            "year": year_obj,
            "revisions": published_revisions(year_obj),
            "working": working if year_obj.correction_is_open else None,
            "participations": participations,
            "corrected": corrected,
            "may_open": has_role(request.user, *PUBLISH_ROLES),
            "reason_min": REASON_MIN,
            "errors": list(errors),
            "posted": posted or {},
        },
        status=status,
    )


@role_required(*COUNCIL_ROLES)
def correction(request, year: int):
    return _page(request, year_or_404(year))


@require_POST
@role_required(*PUBLISH_ROLES)
def correction_start(request, year: int):
    year_obj = year_or_404(year)
    if request.POST.get("confirm") != str(year_obj.year):
        return _page(
            request,
            year_obj,
            errors=[f"Gõ {year_obj.year} vào ô xác nhận để mở đính chính."],
            posted=request.POST,
            status=400,
        )
    try:
        computation = correction_open(
            year=year_obj, reason=request.POST.get("reason", ""), by=request.user
        )
    except ValidationError as error:
        return _page(request, year_obj, errors=error.messages, posted=request.POST, status=400)
    messages.success(
        request,
        f"Đã mở đính chính năm {year_obj.year} (lần công bố {computation.revision}). Kết quả "
        "đã công bố vẫn hiển thị cho đến khi công bố bản đính chính.",
    )
    return redirect("appraisal:correction", year=year_obj.year)


@require_POST
@role_required(*COUNCIL_ROLES)
def correction_score(request, year: int):
    year_obj = year_or_404(year)
    code = request.POST.get("unit", "").strip()
    criterion_code = request.POST.get("criterion", "").strip()
    participation = (
        Participation.objects.filter(year=year_obj, unit__code=code).select_related("unit").first()
    )
    criterion = None
    if participation is not None:
        criterion = Criterion.objects.filter(
            year=year_obj, block_id=participation.block_id, code=criterion_code
        ).first()
    if participation is None:
        errors = ["Chọn đơn vị cần đính chính."]
    elif criterion is None:
        errors = [
            f"Khối của {participation.name} không có tiêu chí “{criterion_code[:20]}”: "
            "ghi mã tiêu chí thành phần, ví dụ 2.3.1."
        ]
    else:
        try:
            correction_score_set(
                participation=participation,
                criterion=criterion,
                appraised_score=request.POST.get("score", ""),
                appraised_value=request.POST.get("value", ""),
                reason=request.POST.get("reason", ""),
                by=request.user,
            )
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(
                request,
                f"Đã đính chính tiêu chí {criterion.code} của {participation.name}. Tính lại "
                "chỉ số trước khi công bố bản đính chính.",
            )
            return redirect("appraisal:correction", year=year_obj.year)
    return _page(request, year_obj, errors=errors, posted=request.POST, status=400)


@require_POST
@role_required(*PUBLISH_ROLES)
def correction_stop(request, year: int):
    year_obj = year_or_404(year)
    try:
        correction_cancel(year=year_obj, by=request.user)
    except ValidationError as error:
        return _page(request, year_obj, errors=error.messages, status=400)
    messages.success(
        request, f"Đã hủy đính chính năm {year_obj.year}: kết quả đã công bố giữ nguyên."
    )
    return redirect("appraisal:correction", year=year_obj.year)
