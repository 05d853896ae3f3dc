"""The unit's side of the explanation round: its adjusted and disputed leaves, and answers."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from appraisal.access import UNIT_ROLES, current_year, participation_for_unit_member, year_or_404
from appraisal.forms import ExplanationForm
from appraisal.history import evidence_files_of, history_of
from appraisal.models import AppraisalEntry
from appraisal.queue import states_for
from appraisal.services.explanations import explanation_open_for, explanation_submit
from criteria.models import Participation, Year
from evidence.files import MAX_EVIDENCE_BYTES
from evidence.models import Score
from units.access import role_required, units_of


def results_visible(year: Year) -> bool:
    """Units see the appraisal of their leaves once the explanation round has opened."""
    opens = year.explanation_opens
    return year.is_published or (opens is not None and timezone.now() >= opens)


def disputed_scores(participation: Participation):
    """Leaves with an adjustment or a request for explanation, in any round."""
    return (
        Score.objects.filter(participation=participation)
        .filter(
            appraisal_entries__status__in=[
                AppraisalEntry.Status.ADJUSTED,
                AppraisalEntry.Status.NEEDS_EXPLANATION,
            ]
        )
        .select_related("criterion")
        .distinct()
        .order_by("criterion__sort_key")
    )


@role_required(*UNIT_ROLES)
def explanations_home(request):
    year = current_year()
    if year is None:
        raise Http404
    return redirect("appraisal:explanations", year=year.year)


@role_required(*UNIT_ROLES)
def explanations(request, year: int):
    year_obj = year_or_404(year)
    visible = results_visible(year_obj)
    sections = []
    participations = Participation.objects.filter(
        year=year_obj, unit_id__in=units_of(request.user, *UNIT_ROLES)
    ).select_related("unit")
    for participation in participations:
        scores = list(disputed_scores(participation)) if visible else []
        states = states_for(scores)
        sections.append((participation, [(s, states[s.pk]) for s in scores]))
    return render(
        request,
        "appraisal/explanations.html",
        {
            "year": year_obj,
            "visible": visible,
            "window_open": year_obj.window_is_open("explanation"),
            "sections": sections,
        },
    )


@role_required(*UNIT_ROLES)
def explanation(request, year: int, unit: str, criterion: str):
    year_obj = year_or_404(year)
    participation = participation_for_unit_member(request.user, year_obj, unit)
    if not results_visible(year_obj):
        raise Http404
    score = get_object_or_404(
        disputed_scores(participation).select_related("participation__year", "participation__unit"),
        criterion__code=criterion,
    )
    may_explain = year_obj.window_is_open("explanation") and explanation_open_for(score)
    form = ExplanationForm()
    # Refuse an oversized body before its files are spooled to disk (20 MB a file, 10 files).
    too_large = int(request.META.get("CONTENT_LENGTH") or 0) > 10 * MAX_EVIDENCE_BYTES + 1048576
    if request.method == "POST" and too_large:
        messages.error(request, "Dung lượng tải lên quá lớn (tối đa 20 MB mỗi tệp).")
        return redirect(request.path)
    if request.method == "POST":
        form = ExplanationForm(request.POST, request.FILES)
        if not may_explain:
            form.add_error(None, "Không thể giải trình tiêu chí này lúc này.")
        elif form.is_valid():
            try:
                explanation_submit(
                    score=score,
                    note=form.cleaned_data["note"],
                    files=form.cleaned_data["files"],
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"Đã gửi giải trình tiêu chí {score.criterion.code}.")
                return redirect("appraisal:explanations", year=year_obj.year)
    entries = list(score.appraisal_entries.all())
    explanations_ = list(score.explanations.prefetch_related("files"))
    return render(
        request,
        "appraisal/explanation.html",
        {
            "year": year_obj,
            "participation": participation,
            "score": score,
            "leaf": score.criterion,
            "history": history_of(entries, explanations_),
            "files": evidence_files_of(score, explanations_),
            "form": form,
            "may_explain": may_explain,
        },
    )
