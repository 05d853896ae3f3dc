"""Self-assessment pages: the unit's tree, a leaf, files, submission.

Files are downloaded through appraisal.views.files, whose one access rule also knows the
appraisers' assignments (wired as `evidence:download` in parindex/urls.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from criteria.models import Criterion
from kernel.body_limits import refusal_page
from units.models import Membership

from . import services
from .access import (
    files_for_user,
    leaf_scope,
    participation_for_user,
    unit_roles,
)
from .files import MAX_EVIDENCE_BYTES
from .forms import (
    MAX_FILES_PER_UPLOAD,
    DelegateForm,
    LeafForm,
    LinkForm,
    NotApplicableForm,
    ReplaceForm,
    UploadForm,
)
from .models import EvidenceFile
from .selectors import leaf_rows, person_name, submission_summary
from .services.scores import StaleVersion, score_version
from .services.uploads import UploadRateExceeded, quota_summary, upload_rate_check

R = Membership.Role


def _leaf_for_user(request, criterion_id: int):
    """The user's participation and one leaf of its tree they may work on, else 404."""
    participation = participation_for_user(request)
    criterion = get_object_or_404(
        Criterion,
        pk=criterion_id,
        year_id=participation.year_id,
        block_id=participation.block_id,
        is_leaf=True,
    )
    scope = leaf_scope(request.user, participation)
    if scope is not None and criterion.pk not in scope:
        raise Http404
    return participation, criterion


def _state(request, participation) -> dict:
    """Whether the unit may still edit, and why not."""
    try:
        services.editable_check(participation=participation)
        locked = ""
    except ValidationError as error:
        locked = error.messages[0]
    roles = unit_roles(request.user, participation.unit_id)
    scope = leaf_scope(request.user, participation)
    return {
        "participation": participation,
        "year": participation.year,
        "locked": locked,
        "editable": not locked,
        "submission": getattr(participation, "submission", None),
        "is_head": R.UNIT_HEAD in roles,
        "is_focal_officer": R.UNIT_OFFICER in roles and scope is None,
        "scope": scope,
        "deadline": services.deadline_text(participation.year.self_assessment_closes)
        if participation.year.self_assessment_closes
        else "",
    }


def _back(request, criterion) -> str:
    if request.POST.get("back") == "leaf":
        return reverse("evidence:leaf", args=[criterion.pk])
    return reverse("evidence:home") + f"#leaf-{criterion.pk}"


def _refused(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
def home(request):
    participation = participation_for_user(request)
    state = _state(request, participation)
    rows = leaf_rows(participation, state["scope"])
    return render(
        request,
        "evidence/home.html",
        {**state, "rows": rows, "areas": [row for row in rows if row.is_area]},
    )


@login_required
def leaf(request, criterion_id: int):
    participation, criterion = _leaf_for_user(request, criterion_id)
    state = _state(request, participation)
    row = next(r for r in leaf_rows(participation, frozenset([criterion.pk])) if r.leaf)
    linked = [f.pk for f in row.leaf.files]
    # A colleague given some leaves reuses only files of their own leaves.
    visible = files_for_user(request.user, participation)
    reusable = services.current_files(participation).filter(pk__in=visible).exclude(pk__in=linked)
    colleagues = services.colleagues_of(participation, request.user)
    for evidence_file in row.leaf.files:
        evidence_file.older_versions = _versions(evidence_file)
    return render(
        request,
        "evidence/leaf.html",
        {
            **state,
            "row": row,
            "leaf": row.leaf,
            "criterion": criterion,
            "link_form": LinkForm(files_queryset=reusable),
            "has_reusable": reusable.exists(),
            "na_form": NotApplicableForm(
                initial={
                    "requested": row.leaf.not_applicable_requested,
                    "reason": row.leaf.score.not_applicable_reason if row.leaf.score else "",
                }
            ),
            "delegate_form": DelegateForm(
                colleagues=colleagues, initial={"to": row.leaf.delegated_to}
            ),
            "has_colleagues": colleagues.exists(),
            "upload_form": UploadForm(),
            "replace_form": ReplaceForm(),
            "quota": quota_summary(participation),
        },
    )


def _versions(evidence_file: EvidenceFile) -> list[EvidenceFile]:
    """The earlier versions of a file, newest first."""
    older = []
    current = evidence_file.replaces
    while current is not None:
        older.append(current)
        current = current.replaces
    return older


@login_required
@require_POST
def leaf_save(request, criterion_id: int):
    participation, criterion = _leaf_for_user(request, criterion_id)
    form = LeafForm(request.POST)
    error = None
    stale = False
    if not form.is_valid():
        error = "; ".join(m for messages_ in form.errors.values() for m in messages_)
    else:
        try:
            services.score_save(
                participation=participation,
                criterion=criterion,
                by=request.user,
                score=form.cleaned_data["score"],
                value=form.cleaned_data["value"],
                note=form.cleaned_data["note"],
                version=request.POST.get("version"),
            )
        except StaleVersion as refusal:
            error, stale = " ".join(refusal.messages), True
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
    if request.htmx:
        rows = leaf_rows(participation, leaf_scope(request.user, participation))
        row = next(r for r in rows if r.criterion.pk == criterion.pk)
        area = next(r for r in rows if r.is_area and r.criterion.code == criterion.area_code)
        # 409 for a stale version: the typed input stays in the form, the fragment shows
        # the stored version beside it and hands over its version for a deliberate resave.
        return render(
            request,
            "evidence/_saved.html",
            {
                "error": error,
                "stale": stale,
                "saved_at": timezone.now(),
                "leaf": row.leaf,
                "area": area,
                "version": score_version(row.leaf.score),
            },
            status=409 if stale else 200,
        )
    if stale:
        messages.error(request, f"{error} {_typed(form)}")
    elif error:
        messages.error(request, f"{criterion.code}: {error}")
    else:
        messages.success(request, f"Đã lưu tiêu chí {criterion.code}.")
    return redirect(_back(request, criterion))


def _typed(form) -> str:
    """What the user typed, quoted back after a refusal the page cannot keep in the form."""
    data = form.cleaned_data if form.is_valid() else form.data
    parts = [
        f"{label}: “{data.get(name)}”"
        for name, label in (("score", "điểm"), ("value", "giá trị"), ("note", "giải thích"))
        if data.get(name)
    ]
    return ("Nội dung anh/chị vừa nhập – " + "; ".join(parts) + ".") if parts else ""


@login_required
@require_POST
def upload(request, criterion_id: int):
    participation, criterion = _leaf_for_user(request, criterion_id)
    limit = MAX_FILES_PER_UPLOAD * MAX_EVIDENCE_BYTES + 1024 * 1024
    if int(request.META.get("CONTENT_LENGTH") or 0) > limit:
        messages.error(request, "Dung lượng tải lên quá lớn (tối đa 20 MB mỗi tệp).")
        return redirect(_back(request, criterion))
    try:
        upload_rate_check(by=request.user)
    except UploadRateExceeded as refusal:
        return _too_many_uploads(request, criterion, refusal)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        for message in form.errors.get("files", []):
            messages.error(request, message)
        return redirect(_back(request, criterion))
    for uploaded in form.cleaned_data["files"]:
        try:
            stored = services.evidence_upload(
                participation=participation,
                criterion=criterion,
                uploaded_file=uploaded,
                by=request.user,
            )
        except UploadRateExceeded as refusal:
            return _too_many_uploads(request, criterion, refusal)
        except ValidationError as error:
            _refused(request, error)
        else:
            messages.success(request, f"Đã tải lên '{stored.original_name}' ({criterion.code}).")
    return redirect(_back(request, criterion))


def _too_many_uploads(request, criterion, refusal: UploadRateExceeded):
    """429 with the reason and when to try again (files stored before it stay stored)."""
    response = refusal_page(
        429,
        "Tải lên quá nhiều tệp",
        refusal.messages[0],
        request=request,
        back=reverse("evidence:leaf", args=[criterion.pk]),
    )
    response["Retry-After"] = str(refusal.retry_after)
    return response


@login_required
@require_POST
def link(request, criterion_id: int):
    participation, criterion = _leaf_for_user(request, criterion_id)
    visible = files_for_user(request.user, participation)
    form = LinkForm(
        request.POST, files_queryset=services.current_files(participation).filter(pk__in=visible)
    )
    if not form.is_valid():
        messages.error(request, "Chọn một tệp của đơn vị để dùng lại.")
        return redirect(_back(request, criterion))
    try:
        services.evidence_link(
            participation=participation,
            criterion=criterion,
            evidence_file=form.cleaned_data["evidence_file"],
            by=request.user,
        )
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, "Đã gắn tệp vào tiêu chí.")
    return redirect(_back(request, criterion))


@login_required
@require_POST
def unlink(request, criterion_id: int, file_id: int):
    participation, criterion = _leaf_for_user(request, criterion_id)
    evidence_file = get_object_or_404(files_for_user(request.user, participation), pk=file_id)
    try:
        services.evidence_unlink(
            participation=participation,
            criterion=criterion,
            evidence_file=evidence_file,
            by=request.user,
        )
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, f"Đã gỡ '{evidence_file.original_name}' khỏi tiêu chí.")
    return redirect(_back(request, criterion))


@login_required
@require_POST
def replace(request, criterion_id: int, file_id: int):
    participation, criterion = _leaf_for_user(request, criterion_id)
    evidence_file = get_object_or_404(files_for_user(request.user, participation), pk=file_id)
    form = ReplaceForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Chọn tệp phiên bản mới.")
        return redirect(_back(request, criterion))
    try:
        new = services.evidence_replace(
            participation=participation,
            evidence_file=evidence_file,
            uploaded_file=form.cleaned_data["file"],
            by=request.user,
        )
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(
            request, f"Đã thay '{evidence_file.original_name}' bằng '{new.original_name}'."
        )
    return redirect(_back(request, criterion))


@login_required
@require_POST
def not_applicable(request, criterion_id: int):
    participation, criterion = _leaf_for_user(request, criterion_id)
    form = NotApplicableForm(request.POST)
    form.is_valid()
    try:
        score = services.not_applicable_request(
            participation=participation,
            criterion=criterion,
            by=request.user,
            requested=form.cleaned_data.get("requested", False),
            reason=form.cleaned_data.get("reason", ""),
            version=request.POST.get("version"),
        )
    except StaleVersion as error:
        reason = form.cleaned_data.get("reason", "")
        typed = f" Lý do anh/chị vừa nhập: “{reason}”." if reason else ""
        messages.error(request, " ".join(error.messages) + typed)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(
            request,
            "Đã gửi đề nghị không áp dụng."
            if score.not_applicable_requested
            else "Đã bỏ đề nghị không áp dụng.",
        )
    return redirect(_back(request, criterion))


@login_required
@require_POST
def delegate(request, criterion_id: int):
    participation, criterion = _leaf_for_user(request, criterion_id)
    form = DelegateForm(
        request.POST, colleagues=services.colleagues_of(participation, request.user)
    )
    if not form.is_valid():
        messages.error(request, "Chỉ giao được cho cán bộ khác của cùng đơn vị.")
        return redirect(_back(request, criterion))
    to = form.cleaned_data["to"]
    try:
        services.leaf_delegate(
            participation=participation, criterion=criterion, by=request.user, to=to
        )
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(
            request,
            f"Đã giao tiêu chí {criterion.code} cho {person_name(to)}."
            if to
            else f"Đã thu hồi việc giao tiêu chí {criterion.code}.",
        )
    return redirect(_back(request, criterion))


@login_required
def submit(request):
    """GET: what is about to be submitted, gaps as warnings; POST: the head submits."""
    participation = participation_for_user(request)
    if leaf_scope(request.user, participation) is not None:
        raise Http404  # a colleague given some leaves does not see the whole unit's
    if request.method == "POST":
        try:
            services.self_assessment_submit(participation=participation, by=request.user)
        except ValidationError as error:
            _refused(request, error)
            return redirect("evidence:submit")
        messages.success(request, "Đã gửi bản tự đánh giá của đơn vị.")
        return redirect("evidence:home")
    return render(
        request,
        "evidence/submit.html",
        {**_state(request, participation), "summary": submission_summary(participation)},
    )


@login_required
@require_POST
def withdraw(request):
    participation = participation_for_user(request)
    try:
        services.self_assessment_withdraw(participation=participation, by=request.user)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, "Đã rút lại bản tự đánh giá; đơn vị có thể sửa và gửi lại.")
    return redirect("evidence:home")
