"""The appraiser's pages: queue, one unit's area, the leaf screen, assignments."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from appraisal.access import (
    APPRAISAL_ROLES,
    ASSIGN_ROLES,
    current_year,
    has_role,
    own_unit_ids,
    participation_for_appraiser,
    year_or_404,
)
from appraisal.forms import AppraisalForm, AssignmentForm
from appraisal.history import evidence_files_of, history_of
from appraisal.models import AppraisalEntry, Assignment
from appraisal.queue import appraisal_queue, area_leaves
from appraisal.services.appraisals import (
    appraisal_round,
    appraisal_save,
    appraisal_version,
    awaiting_explanation,
    leaf_state,
    local_time,
    not_applicable_decide,
    rubric_of,
)
from appraisal.services.assignments import (
    appraisable_areas,
    assignment_coverage,
    assignment_create,
    assignment_delete,
    assignment_reassign,
)
from criteria.models import Criterion
from criteria.phase import frozen_message
from evidence.files import PREVIEWABLE_KINDS
from evidence.models import EvidenceFile, Score
from evidence.services.scores import StaleVersion
from units.access import role_required
from units.models import Block


@role_required(*APPRAISAL_ROLES)
def queue_home(request):
    year = current_year()
    if year is None:
        return render(request, "appraisal/queue.html", {"year": None, "queues": []})
    return redirect("appraisal:queue_year", year=year.year)


@role_required(*APPRAISAL_ROLES)
def queue(request, year: int):
    year_obj = year_or_404(year)
    queues = appraisal_queue(request.user, year_obj)
    # Each unit's submission (sent by its head, or not yet): one query for the whole queue.
    prefetch_related_objects([p for q in queues for p, _cells in q.rows], "submission")
    return render(
        request,
        "appraisal/queue.html",
        {
            "year": year_obj,
            "queues": queues,
            "window_open": year_obj.window_is_open("appraisal"),
            "may_assign": has_role(request.user, *ASSIGN_ROLES),
        },
    )


@role_required(*APPRAISAL_ROLES)
def unit_area(request, year: int, unit: str, area: str):
    year_obj = year_or_404(year)
    participation, area_obj = participation_for_appraiser(request.user, year_obj, unit, area)
    return render(
        request,
        "appraisal/unit_area.html",
        {
            "year": year_obj,
            "participation": participation,
            "area": area_obj,
            "rows": area_leaves(participation, area_obj),
        },
    )


def leaf_or_404(request, year: int, unit: str, criterion: str):
    year_obj = year_or_404(year)
    area_code = criterion.split(".")[0]
    participation, area = participation_for_appraiser(request.user, year_obj, unit, area_code)
    leaf = get_object_or_404(
        Criterion,
        year=year_obj,
        block_id=participation.block_id,
        code=criterion,
        is_leaf=True,
        method=Criterion.Method.EVIDENCE,
    )
    score = Score.objects.filter(participation=participation, criterion=leaf).first()
    return year_obj, participation, area, leaf, score


@role_required(*APPRAISAL_ROLES)
def leaf(request, year: int, unit: str, criterion: str):
    year_obj, participation, area, leaf_obj, score = leaf_or_404(request, year, unit, criterion)
    now = timezone.now()
    round_ = appraisal_round(year=year_obj, score=score, at=now)
    final_round = round_ == AppraisalEntry.Round.FINAL
    closed_reason = read_only_reason(year_obj, participation, score, round_, request.user, now)
    options = {"rubric": bool(leaf_obj.rubric), "final_round": final_round}
    conflict, status = None, 200
    if request.method == "POST":
        form = AppraisalForm(request.POST, **options)
        if closed_reason is not None:
            form.add_error(None, "Không thể thẩm định tiêu chí này lúc này.")
        elif form.is_valid():
            try:
                appraisal_save(
                    participation=participation,
                    criterion=leaf_obj,
                    status=form.cleaned_data["status"],
                    appraised_score=form.cleaned_data.get("appraised_score"),
                    appraised_value=form.cleaned_data.get("appraised_value"),
                    comment=form.cleaned_data["comment"],
                    by=request.user,
                    version=request.POST.get("version"),
                )
            except StaleVersion as refusal:
                # 409: the typed input stays in the form, the stored appraisal beside it and
                # the form now carries the stored version, for a deliberate resave.
                conflict, status = " ".join(refusal.messages), 409
                score = refusal.current
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"Đã lưu kết quả thẩm định tiêu chí {leaf_obj.code}.")
                return _saved_redirect(
                    request, next_leaf_url(participation, area, leaf_obj) or request.path
                )
    else:
        form = AppraisalForm(initial=appraisal_initial(score, final_round), **options)
    version = appraisal_version(score) if conflict or request.method != "POST" else None
    context = {
        **leaf_context(request, participation, area, leaf_obj, score),
        "form": form,
        "may_save": closed_reason is None,
        "closed_reason": closed_reason,
        "final_round": final_round,
        "conflict": conflict,
        "version": version if version is not None else request.POST.get("version", ""),
    }
    return render(request, "appraisal/leaf.html", context, status=status)


def _saved_redirect(request, url: str):
    """After a save: htmx follows the redirect as a page load (the message shows there)."""
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


def appraisal_initial(score, final_round: bool) -> dict:
    """The form as loaded: the latest appraisal, else the unit's own figures."""
    entries = list(score.appraisal_entries.order_by("at", "id")) if score else []
    latest = entries[-1] if entries else None
    initial = {"status": latest.status if latest else AppraisalEntry.Status.AGREED}
    if latest:
        initial.update(
            appraised_score=latest.appraised_score,
            appraised_value=latest.appraised_value,
            # The final round answers the explanation: a fresh comment.
            comment="" if final_round and latest.round == 1 else latest.comment,
        )
    elif score:
        initial.update(appraised_score=score.self_score, appraised_value=score.self_value)
    if final_round and initial["status"] == AppraisalEntry.Status.NEEDS_EXPLANATION:
        initial["status"] = AppraisalEntry.Status.ADJUSTED
    return initial


def leaf_context(request, participation, area, leaf_obj, score) -> dict:
    """What the leaf screen shows besides the form: the unit's side, history, files."""
    entries = list(score.appraisal_entries.select_related("appraiser")) if score else []
    explanations = list(score.explanations.prefetch_related("files")) if score else []
    files = evidence_files_of(score, explanations)
    siblings = [row.criterion for row in area_leaves(participation, area)]
    return {
        "year": participation.year,
        "participation": participation,
        "area": area,
        "leaf": leaf_obj,
        "rubric": rubric_of(leaf_obj),
        "score": score,
        "latest": entries[-1] if entries else None,
        "history": history_of(entries, explanations),
        "state": leaf_state(
            entries, explanations, not_applicable=bool(score and score.not_applicable)
        ),
        "files": files,
        "preview": pick_preview(files, request.GET.get("tep")),
        "previous_url": sibling_url(participation, siblings, leaf_obj, -1),
        "next_url": sibling_url(participation, siblings, leaf_obj, 1),
    }


@role_required(*APPRAISAL_ROLES)
@require_POST
def leaf_not_applicable(request, year: int, unit: str, criterion: str):
    """The appraiser's decision on a unit's not-applicable request."""
    _year, participation, _area, leaf_obj, _score = leaf_or_404(request, year, unit, criterion)
    comment = request.POST.get("comment", "")
    try:
        not_applicable_decide(
            participation=participation,
            criterion=leaf_obj,
            approve=request.POST.get("decision") == "approve",
            comment=comment,
            by=request.user,
            version=request.POST.get("version"),
        )
    except StaleVersion as error:
        typed = f" Ý kiến anh/chị vừa nhập: “{comment.strip()}”." if comment.strip() else ""
        messages.error(request, " ".join(error.messages) + typed)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"Đã ghi quyết định về đề nghị không áp dụng {leaf_obj.code}.")
    return redirect(leaf_url(participation, leaf_obj))


def read_only_reason(year, participation, score, round_, user, now) -> str | None:
    """Why the leaf screen is read-only, or None when the appraiser may save."""
    if year.is_published:
        return frozen_message(year.year)
    if participation.unit_id in own_unit_ids(user):
        return "Không được thẩm định đơn vị của mình."
    if score is not None and score.not_applicable:
        return "Tiêu chí không áp dụng với đơn vị này."
    if round_ is None:
        return (
            f"Ngoài thời gian thẩm định ({local_time(year.appraisal_opens)} – "
            f"{local_time(year.appraisal_closes)}): chỉ xem."
        )
    if score is not None and awaiting_explanation(year, score, now):
        return (
            "Đơn vị đang trong thời gian giải trình tiêu chí này: chấm điểm cuối cùng sau khi "
            "đơn vị giải trình hoặc hết thời gian giải trình."
        )
    return None


def leaf_url(participation, criterion) -> str:
    return reverse(
        "appraisal:leaf",
        args=[participation.year.year, participation.unit.code, criterion.code],
    )


def sibling_url(participation, siblings: list, current, step: int) -> str | None:
    position = next(i for i, c in enumerate(siblings) if c.pk == current.pk) + step
    if 0 <= position < len(siblings):
        return leaf_url(participation, siblings[position])
    return None


def next_leaf_url(participation, area, current) -> str | None:
    """After saving, go to the next leaf of the area not yet appraised."""
    rows = area_leaves(participation, area)
    position = next(i for i, r in enumerate(rows) if r.criterion.pk == current.pk)
    for row in rows[position + 1 :] + rows[:position]:
        if not row.state.is_done and not (row.score and row.score.not_applicable):
            return leaf_url(participation, row.criterion)
    return None


def pick_preview(files: list[EvidenceFile], wanted: str | None) -> EvidenceFile | None:
    if wanted and wanted.isdigit():
        for file in files:
            if file.pk == int(wanted) and file.kind in PREVIEWABLE_KINDS:
                return file
    return next((f for f in files if f.kind in PREVIEWABLE_KINDS), None)


@role_required(*ASSIGN_ROLES)
def assignments(request, year: int):
    year_obj = year_or_404(year)
    if request.method == "POST":
        assignment_change(request, year_obj)
        return redirect("appraisal:assignments", year=year_obj.year)
    blocks = Block.objects.filter(participation__year=year_obj).distinct().order_by("code")
    coverage = assignment_coverage(year_obj)
    current = {}
    for assignment in Assignment.objects.filter(year=year_obj).select_related("appraiser"):
        block_coverage = coverage.get(assignment.block_id)
        own = block_coverage.own_units.get(assignment.pk, []) if block_coverage else []
        current.setdefault((assignment.block_id, assignment.area_code), []).append(
            (assignment, own)
        )
    sections = [
        (
            block,
            [
                (area, current.get((block.pk, area.code), []))
                for area in appraisable_areas(year_obj, block)
            ],
            coverage.get(block.pk),
        )
        for block in blocks
    ]
    return render(
        request,
        "appraisal/assignments.html",
        {
            "year": year_obj,
            "sections": sections,
            "unappraisable": sum(c.unappraisable for c in coverage.values()),
            "form": AssignmentForm(auto_id=False),
            "editable": not year_obj.is_published,
        },
    )


def assignment_change(request, year_obj) -> None:
    """Add, reassign or remove, as the posted `action` says; errors become messages."""
    action = request.POST.get("action")
    try:
        if action in ("reassign", "delete"):
            assignment = get_object_or_404(
                Assignment, pk=request.POST.get("assignment"), year=year_obj
            )
            if action == "delete":
                assignment_delete(assignment=assignment, by=request.user)
                messages.success(request, "Đã bỏ phân công.")
                return
        form = AssignmentForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Chọn thành viên Tổ thư ký.")
            return
        if action == "reassign":
            assignment_reassign(
                assignment=assignment, appraiser=form.cleaned_data["appraiser"], by=request.user
            )
            messages.success(request, "Đã giao lại lĩnh vực.")
        else:
            block = get_object_or_404(Block, code=form.cleaned_data["block"])
            assignment_create(
                year=year_obj,
                block=block,
                area_code=form.cleaned_data["area_code"],
                appraiser=form.cleaned_data["appraiser"],
                by=request.user,
            )
            messages.success(request, "Đã phân công.")
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
