"""The unit's side of the explanation round: its adjusted and disputed leaves, and answers."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django_htmx.http import HttpResponseClientRedirect

from appraisal.access import UNIT_ROLES, current_year, participation_for_unit_member, year_or_404
from appraisal.forms import ExplanationForm
from appraisal.history import evidence_files_of, history_of
from appraisal.models import AppraisalEntry
from appraisal.queue import states_for
from appraisal.services.appraisals import appraisal_version
from appraisal.services.explanations import (
    explanation_may_answer,
    explanation_open_for,
    explanation_submit,
)
from criteria.models import Participation, Year
from evidence.access import leaf_scope
from evidence.files import MAX_EVIDENCE_BYTES
from evidence.models import Score
from evidence.services.scores import StaleVersion
from units.access import role_required, units_of

TOO_LARGE = "Dung lượng tải lên quá lớn (tối đa 20 MB mỗi tệp)."


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
        # A colleague given some leaves sees only those (issue 12); officer and head all.
        scope = leaf_scope(request.user, participation)
        scores = [s for s in scores if scope is None or s.criterion_id in scope]
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


def explanation_or_404(request, year_obj: Year, unit: str, criterion: str) -> Score:
    """A disputed leaf of the user's unit once the round has opened, within their leaves."""
    participation = participation_for_unit_member(request.user, year_obj, unit)
    if not results_visible(year_obj):
        raise Http404
    score = get_object_or_404(
        disputed_scores(participation).select_related("participation__year", "participation__unit"),
        criterion__code=criterion,
    )
    if not explanation_may_answer(request.user, score):
        raise Http404
    return score


@role_required(*UNIT_ROLES)
def explanation(request, year: int, unit: str, criterion: str):
    year_obj = year_or_404(year)
    score = explanation_or_404(request, year_obj, unit, criterion)
    may_explain = year_obj.window_is_open("explanation") and explanation_open_for(score)
    form, conflict, status = ExplanationForm(), None, 200
    # Refuse an oversized body before its files are spooled to disk (20 MB a file, 10 files).
    too_large = int(request.META.get("CONTENT_LENGTH") or 0) > 10 * MAX_EVIDENCE_BYTES + 1048576
    if request.method == "POST" and too_large:
        if request.htmx:  # told in the form's status line (static/js/leaf-save.js)
            return HttpResponse(TOO_LARGE, status=413, content_type="text/plain; charset=utf-8")
        messages.error(request, TOO_LARGE)
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
                    version=request.POST.get("version"),
                )
            except StaleVersion as refusal:
                # 409: the typed note (and, through htmx, the chosen files) stay in the form,
                # the stored history beside it; the form now carries the stored version.
                conflict, status = " ".join(refusal.messages), 409
                score.refresh_from_db()
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"Đã gửi giải trình tiêu chí {score.criterion.code}.")
                url = reverse("appraisal:explanations", args=[year_obj.year])
                return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    posted = request.method == "POST" and conflict is None
    return render(
        request,
        "appraisal/explanation.html",
        {
            **explanation_context(score),
            "form": form,
            "may_explain": may_explain,
            "conflict": conflict,
            "version": request.POST.get("version", "") if posted else appraisal_version(score),
        },
        status=status,
    )


def explanation_context(score: Score) -> dict:
    entries = list(score.appraisal_entries.all())
    explanations_ = list(score.explanations.select_related("by").prefetch_related("files"))
    return {
        "year": score.participation.year,
        "participation": score.participation,
        "score": score,
        "leaf": score.criterion,
        "history": history_of(entries, explanations_),
        "latest_explanation": explanations_[-1] if explanations_ else None,
        "files": evidence_files_of(score, explanations_),
    }
