import hashlib

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from criteria.models import Criterion, Year
from criteria.phase import year_refuse_if_frozen
from kernel.previews import inline_document
from units.access import STAFF_ROLES, role_required
from units.models import Block, Membership

from .blank_ballot import blank_ballot_render
from .confidence import ranking_noise, survey_confidence
from .forms import (
    BallotUploadForm,
    ConfirmForm,
    GroupFormSet,
    OptionFormSet,
    PlanFormSet,
    QuestionForm,
    ScaleForm,
    forms_disable,
)
from .jobs import ballot_upload_start_check, ballot_upload_start_import
from .models import (
    Answer,
    BallotUpload,
    Question,
    RespondentGroup,
    Scale,
    ScaleOption,
    SurveyPlan,
)
from .questionnaire import question_save, survey_leaf_get
from .tallies import (
    MIN_COUNTED,
    ballot_lookalikes,
    repeated_patterns,
    survey_receipts,
    survey_tally_table,
)
from .uploads import (
    ballot_upload_cancel,
    ballot_upload_create,
    ballot_upload_previous,
    ballot_uploads_settle,
)

home_affairs = role_required(Membership.Role.HOME_AFFAIRS)
staff = role_required(*STAFF_ROLES)


@staff
def index(request):
    return render(request, "surveys/index.html", {"years": Year.objects.order_by("-year")})


@home_affairs
def upload_new(request, year: int):
    year_obj = get_object_or_404(Year, year=year)
    form = BallotUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            upload = ballot_upload_create(
                year=year_obj,
                uploaded=form.cleaned_data["file"],
                mode=form.cleaned_data["mode"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            ballot_upload_start_check(upload=upload, by=request.user)
            return redirect("surveys:upload", pk=upload.pk)
    ballot_uploads_settle()
    uploads = BallotUpload.objects.filter(year=year_obj).select_related("created_by")[:20]
    return render(
        request,
        "surveys/upload_new.html",
        {"year": year_obj, "form": form, "uploads": uploads},
    )


@home_affairs
def upload_detail(request, pk: int):
    ballot_uploads_settle()
    upload = get_object_or_404(BallotUpload.objects.select_related("year", "job"), pk=pk)
    previous = ballot_upload_previous(year=upload.year, sha256=upload.sha256, exclude=upload.pk)
    return render(
        request,
        "surveys/upload_detail.html",
        {
            "upload": upload,
            "previous": previous,
            "form": ConfirmForm(),
            "busy": upload.status
            in (
                BallotUpload.Status.PENDING,
                BallotUpload.Status.CHECKING,
                BallotUpload.Status.IMPORTING,
            ),
        },
    )


@home_affairs
def upload_progress(request, pk: int):
    """The polled fragment; once the job is over the page reloads to show the outcome."""
    ballot_uploads_settle()
    upload = get_object_or_404(BallotUpload.objects.select_related("job"), pk=pk)
    response = render(request, "surveys/_progress.html", {"upload": upload, "job": upload.job})
    if request.htmx and (upload.job is None or upload.job.is_finished):
        response["HX-Refresh"] = "true"
    return response


@require_POST
@home_affairs
def upload_confirm(request, pk: int):
    upload = get_object_or_404(BallotUpload.objects.select_related("year"), pk=pk)
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Hãy đánh dấu ô xác nhận trước khi nhập.")
        return redirect("surveys:upload", pk=pk)
    try:
        ballot_upload_start_import(upload=upload, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("surveys:upload", pk=pk)


@require_POST
@home_affairs
def upload_cancel(request, pk: int):
    upload = get_object_or_404(BallotUpload, pk=pk)
    try:
        ballot_upload_cancel(upload=upload)
        messages.info(request, "Đã hủy tệp; không có phiếu nào được ghi.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("surveys:upload", pk=pk)


@staff
def dashboard(request, year: int):
    year_obj = get_object_or_404(Year, year=year)
    analysis = cache.get_or_set(
        f"survey-dashboard:{year_obj.pk}:{survey_data_key(year_obj)}",
        lambda: survey_dashboard_analysis(year_obj),
        DASHBOARD_CACHE_SECONDS,
    )
    return render(request, "surveys/dashboard.html", {"year": year_obj, **analysis})


# The analysis reads every answer: cache it while the survey data stays the same (the key
# follows answers, options, questions and the plan); the timeout is only a safety net.
DASHBOARD_CACHE_SECONDS = 600


def survey_data_key(year: Year) -> str:
    answers = Answer.objects.filter(ballot__year=year).aggregate(n=Count("id"), last=Max("id"))
    options = list(
        ScaleOption.objects.filter(scale__year=year)
        .order_by("pk")
        .values_list("pk", "coefficient", "counted")
    )
    questions = list(
        Question.objects.filter(criterion__year=year)
        .order_by("pk")
        .values_list("pk", "scale_id", "groups")
    )
    plan = list(SurveyPlan.objects.filter(year=year).order_by("pk").values_list("pk", "planned"))
    digest = hashlib.sha256(repr((answers, options, questions, plan)).encode()).hexdigest()
    return digest[:32]


def survey_dashboard_analysis(year: Year) -> dict:
    block_receipts, unit_receipts = survey_receipts(year=year)
    tallies = survey_tally_table(year=year)
    return {
        "block_receipts": block_receipts,
        "unit_receipts": unit_receipts,
        "low": [t for t in tallies if t.low],
        "min_counted": MIN_COUNTED,
        "lookalikes": ballot_lookalikes(year=year),
        "repeats": repeated_patterns(year=year),
        "confidence": sorted(survey_confidence(year).values(), key=lambda c: (c.block, -c.score)),
        "noise": sorted(ranking_noise(year).items()),
    }


@staff
def tallies(request, year: int, block: str):
    year_obj = get_object_or_404(Year, year=year)
    table = survey_tally_table(year=year_obj, block=block)
    return render(
        request,
        "surveys/tallies.html",
        {"year": year_obj, "block": block, "table": table, "min_counted": MIN_COUNTED},
    )


def _published_post(request, year: Year) -> bool:
    """A published year's questionnaire is read-only: POSTs are refused."""
    if request.method != "POST":
        return False
    try:
        year_refuse_if_frozen(year)
    except ValidationError as error:
        raise PermissionDenied(*error.messages) from None
    return True


@home_affairs
def questionnaire(request, year: int):
    year_obj = get_object_or_404(Year, year=year)
    leaves = (
        Criterion.objects.filter(year=year_obj, is_leaf=True, method=Criterion.Method.SURVEY)
        .select_related("block", "question__scale")
        .prefetch_related("question__groups")
        .order_by("block__code", "sort_key")
    )
    groups = RespondentGroup.objects.filter(year=year_obj)
    blocks = sorted({leaf.block.code for leaf in leaves})
    return render(
        request,
        "surveys/questionnaire.html",
        {
            "year": year_obj,
            "leaves": leaves,
            "groups": groups,
            "scales": Scale.objects.filter(year=year_obj).prefetch_related("options"),
            "plans": SurveyPlan.objects.filter(year=year_obj).select_related("block", "group"),
            "ballot_links": [(block, group) for block in blocks for group in groups],
        },
    )


@home_affairs
def groups_edit(request, year: int):
    year_obj = get_object_or_404(Year, year=year)
    queryset = RespondentGroup.objects.filter(year=year_obj)
    formset = GroupFormSet(request.POST or None, queryset=queryset)
    if _published_post(request, year_obj) and formset.is_valid():
        with transaction.atomic():
            for group in formset.save(commit=False):
                group.year = year_obj
                group.save()
            for group in formset.deleted_objects:
                group.delete()
        messages.success(request, "Đã lưu nhóm đối tượng.")
        return redirect("surveys:questionnaire", year=year)
    if year_obj.is_published:
        forms_disable(formset)
    return render(request, "surveys/groups_edit.html", {"year": year_obj, "formset": formset})


@home_affairs
def scale_edit(request, year: int, pk: int | None = None):
    year_obj = get_object_or_404(Year, year=year)
    scale = get_object_or_404(Scale, year=year_obj, pk=pk) if pk else Scale(year=year_obj)
    form = ScaleForm(request.POST or None, instance=scale)
    formset = OptionFormSet(request.POST or None, instance=scale)
    if _published_post(request, year_obj) and form.is_valid() and formset.is_valid():
        with transaction.atomic():
            scale = form.save()
            formset.instance = scale
            formset.save()
        messages.success(request, f"Đã lưu thang đo {scale.code}.")
        return redirect("surveys:questionnaire", year=year)
    if year_obj.is_published:
        forms_disable(form, formset)
    return render(
        request,
        "surveys/scale_edit.html",
        {"year": year_obj, "scale": scale, "form": form, "formset": formset},
    )


@home_affairs
def question_edit(request, year: int, criterion: int):
    year_obj = get_object_or_404(Year, year=year)
    try:
        leaf = survey_leaf_get(year=year_obj, pk=criterion)
    except ValidationError:
        raise Http404 from None
    question = Question.objects.filter(criterion=leaf).first()
    initial = {}
    if question is not None:
        initial = {
            "scale": question.scale,
            "groups": question.groups.all(),
            "text": question.text,
            "sipas": question.sipas,
        }
    form = QuestionForm(request.POST or None, initial=initial, year=year_obj)
    if _published_post(request, year_obj) and form.is_valid():
        try:
            question_save(year=year_obj, criterion=leaf, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Đã lưu câu hỏi của tiêu chí {leaf.code}.")
            return redirect("surveys:questionnaire", year=year)
    if year_obj.is_published:
        forms_disable(form)
    return render(
        request, "surveys/question_edit.html", {"year": year_obj, "leaf": leaf, "form": form}
    )


@home_affairs
def plan_edit(request, year: int):
    year_obj = get_object_or_404(Year, year=year)
    formset = PlanFormSet(request.POST or None, queryset=SurveyPlan.objects.filter(year=year_obj))
    blocks = Block.objects.filter(participation__year=year_obj).distinct()
    for form in formset.forms:
        form.fields["block"].queryset = blocks
        form.fields["group"].queryset = RespondentGroup.objects.filter(year=year_obj)
    if _published_post(request, year_obj) and formset.is_valid():
        try:
            with transaction.atomic():
                for plan in formset.save(commit=False):
                    plan.year = year_obj
                    plan.save()
                for plan in formset.deleted_objects:
                    plan.delete()
        except IntegrityError:
            formset._non_form_errors = formset.error_class(
                ["Mỗi khối và nhóm đối tượng chỉ có một dòng kế hoạch."]
            )
        else:
            messages.success(request, "Đã lưu kế hoạch phát phiếu.")
            return redirect("surveys:questionnaire", year=year)
    if year_obj.is_published:
        forms_disable(formset)
    return render(request, "surveys/plan_edit.html", {"year": year_obj, "formset": formset})


@inline_document
@home_affairs
def blank_ballot(request, year: int, block: str, group: str):
    year_obj = get_object_or_404(Year, year=year)
    try:
        filename, content_type, content = blank_ballot_render(
            year=year_obj, block=block, group=group
        )
    except ValidationError:
        raise Http404 from None
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
