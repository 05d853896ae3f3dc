"""Self-assessment services: self scores, evidence files, delegation, submission.

Every function validates, writes and records an audit event; refusals are Vietnamese
ValidationErrors. Nothing changes outside the self-assessment window, after submission,
or in a published year (DOMAIN §3).
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from criteria.models import Criterion, Participation
from criteria.phase import year_refuse_if_frozen
from criteria.rules import format_decimal, parse_decimal, rubric_points
from kernel.audit import audit_record
from units.models import Membership

from .access import leaf_scope, unit_roles
from .files import evidence_check
from .models import EvidenceFile, Score, Submission

R = Membership.Role
MAX_VALUE = Decimal("1e11")


def _local(moment: datetime) -> datetime:
    return timezone.localtime(moment)


def deadline_text(closes: datetime) -> str:
    """`24:00 ngày 10/01/2023` for an exclusive midnight close, else `HH:MM ngày dd/mm/yyyy`."""
    local = _local(closes)
    if (local.hour, local.minute) == (0, 0):
        return f"24:00 ngày {local - timedelta(days=1):%d/%m/%Y}"
    return f"{local:%H:%M} ngày {local:%d/%m/%Y}"


def opening_text(opens: datetime) -> str:
    local = _local(opens)
    return f"{local:%H:%M} ngày {local:%d/%m/%Y}"


def window_check(*, participation: Participation, at: datetime | None = None) -> None:
    """Refuse any change unless the self-assessment window is open (to the minute)."""
    at = at or timezone.now()
    year = participation.year
    year_refuse_if_frozen(year)
    opens, closes = year.self_assessment_opens, year.self_assessment_closes
    if opens is None or closes is None:
        raise ValidationError(f"Năm {year.year} chưa có thời hạn tự đánh giá.")
    if at < opens:
        raise ValidationError(f"Chưa đến thời hạn tự đánh giá (bắt đầu {opening_text(opens)}).")
    if not year.window_is_open("self_assessment", at):
        raise ValidationError(f"Đã hết thời hạn tự đánh giá ({deadline_text(closes)}).")


def editable_check(*, participation: Participation, at: datetime | None = None) -> None:
    """The window is open and the unit has not submitted."""
    window_check(participation=participation, at=at)
    submission = Submission.objects.filter(participation=participation).first()
    if submission is not None:
        raise ValidationError(
            "Đơn vị đã gửi bản tự đánh giá lúc "
            f"{_local(submission.submitted_at):%H:%M ngày %d/%m/%Y}; "
            "thủ trưởng đơn vị rút lại bản đã gửi để sửa."
        )


def _leaf_check(*, participation: Participation, criterion: Criterion, by) -> None:
    if (
        criterion.year_id != participation.year_id
        or criterion.block_id != participation.block_id
        or not criterion.is_leaf
    ):
        raise ValidationError("Tiêu chí không thuộc bộ chỉ số của đơn vị.")
    if criterion.method != Criterion.Method.EVIDENCE:
        raise ValidationError(
            f"Tiêu chí {criterion.code} chấm qua điều tra xã hội học; đơn vị không tự chấm."
        )
    scope = leaf_scope(by, participation)
    if scope is not None and criterion.pk not in scope:
        raise ValidationError(f"Anh/chị không được giao tiêu chí {criterion.code}.")


def _score_for(participation: Participation, criterion: Criterion) -> Score:
    score, _ = Score.objects.select_for_update().get_or_create(
        participation=participation, criterion=criterion
    )
    return score


def _audit(*, by, action: str, participation: Participation, obj, changes=None, note=""):
    audit_record(
        actor=by,
        action=action,
        obj=obj,
        year=participation.year.year,
        unit_code=participation.unit.code,
        changes=changes,
        note=note,
    )


def _number(text, label: str, *, places: int = 3) -> Decimal | None:
    """A user-typed number with `,` or `.` as decimal separator; blank is None."""
    if text is None or (isinstance(text, str) and not text.strip()):
        return None
    try:
        number = parse_decimal(text)
    except ValueError:
        raise ValidationError(f"{label} '{text}' không phải là số.") from None
    if -number.normalize().as_tuple().exponent > places:
        raise ValidationError(f"{label} chỉ được có tối đa {places} chữ số thập phân.")
    return number


def score_save(
    *,
    participation: Participation,
    criterion: Criterion,
    by,
    score=None,
    value=None,
    note: str = "",
    at: datetime | None = None,
) -> Score:
    """Save a leaf's self score (or, on a measured leaf, its value) and explanation.

    On a measured leaf the score is the rubric's for the value; a typed score is ignored.
    """
    _leaf_check(participation=participation, criterion=criterion, by=by)
    if criterion.rubric:
        number = _number(value, "Giá trị")
        if number is not None and not (0 <= number < MAX_VALUE):
            raise ValidationError("Giá trị phải là số không âm.")
        rubric = tuple((Decimal(t), Decimal(p)) for t, p in criterion.rubric)
        new_value = number
        new_score = rubric_points(rubric, number) if number is not None else None
    else:
        new_value = None
        new_score = _number(score, "Điểm tự chấm")
        if new_score is not None and not (0 <= new_score <= criterion.max_points):
            raise ValidationError(
                f"Điểm tự chấm phải từ 0 đến {format_decimal(criterion.max_points)}."
            )
    note = (note or "").strip()
    with transaction.atomic():
        editable_check(participation=participation, at=at)
        current = _score_for(participation, criterion)
        changes = {
            "self_score": (current.self_score, new_score),
            "self_value": (current.self_value, new_value),
            "self_note": (current.self_note, note),
        }
        if all(old == new for old, new in changes.values()):
            return current
        current.self_score, current.self_value, current.self_note = new_score, new_value, note
        current.save(update_fields=["self_score", "self_value", "self_note", "updated_at"])
        _audit(
            by=by,
            action="self_score_save",
            participation=participation,
            obj=current,
            changes=changes,
            note=criterion.code,
        )
    return current


def not_applicable_request(
    *,
    participation: Participation,
    criterion: Criterion,
    by,
    requested: bool,
    reason: str = "",
    at: datetime | None = None,
) -> Score:
    """Ask the appraisers to treat a leaf as not applicable to the unit, with a reason."""
    _leaf_check(participation=participation, criterion=criterion, by=by)
    reason = (reason or "").strip()
    if requested and not reason:
        raise ValidationError("Cần nêu lý do đề nghị không áp dụng tiêu chí.")
    if requested and criterion.kind == Criterion.Kind.DEDUCTION:
        raise ValidationError("Không thể đề nghị không áp dụng một tiêu chí điểm trừ.")
    if not requested:
        reason = ""
    with transaction.atomic():
        editable_check(participation=participation, at=at)
        current = _score_for(participation, criterion)
        changes = {
            "not_applicable_requested": (current.not_applicable_requested, requested),
            "not_applicable_reason": (current.not_applicable_reason, reason),
        }
        current.not_applicable_requested, current.not_applicable_reason = requested, reason
        current.save(
            update_fields=["not_applicable_requested", "not_applicable_reason", "updated_at"]
        )
        _audit(
            by=by,
            action="not_applicable_request",
            participation=participation,
            obj=current,
            changes=changes,
            note=criterion.code,
        )
    return current


def colleagues_of(participation: Participation, by):
    """Who a leaf may be delegated to: the unit's other officers."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(
            memberships__unit_id=participation.unit_id,
            memberships__role=R.UNIT_OFFICER,
            is_active=True,
        )
        .exclude(pk=by.pk)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def leaf_delegate(
    *,
    participation: Participation,
    criterion: Criterion,
    by,
    to=None,
    at: datetime | None = None,
) -> Score:
    """The unit's focal officer gives a leaf to a colleague of the unit (`to=None` takes it back)."""
    _leaf_check(participation=participation, criterion=criterion, by=by)
    if R.UNIT_OFFICER not in unit_roles(by, participation.unit_id) or (
        leaf_scope(by, participation) is not None
    ):
        raise ValidationError("Chỉ cán bộ đầu mối CCHC của đơn vị được giao tiêu chí.")
    if to is not None and not colleagues_of(participation, by).filter(pk=to.pk).exists():
        raise ValidationError("Chỉ giao được cho cán bộ khác của cùng đơn vị.")
    with transaction.atomic():
        editable_check(participation=participation, at=at)
        current = _score_for(participation, criterion)
        changes = {"delegated_to": (current.delegated_to_id, to.pk if to else None)}
        current.delegated_to = to
        current.save(update_fields=["delegated_to", "updated_at"])
        _audit(
            by=by,
            action="leaf_delegate",
            participation=participation,
            obj=current,
            changes=changes,
            note=f"{criterion.code} → {to.username if to else '(thu hồi)'}",
        )
    return current


def _store(
    *, participation: Participation, uploaded_file, checked, by, replaces=None
) -> EvidenceFile:
    kind, sha256, size = checked
    # Shown in pages and sent back in Content-Disposition: printable characters only.
    name = "".join(ch for ch in os.path.basename(uploaded_file.name or "") if ch.isprintable())
    name = name.strip()[-255:] or f"tai-lieu.{kind}"
    return EvidenceFile.objects.create(
        participation=participation,
        file=uploaded_file,
        original_name=name,
        kind=kind,
        size=size,
        sha256=sha256,
        uploaded_by=by,
        replaces=replaces,
    )


def current_files(participation: Participation):
    """The unit's files that have not been replaced by a newer version."""
    return EvidenceFile.objects.filter(participation=participation, replaced_by__isnull=True)


def evidence_upload(
    *,
    participation: Participation,
    criterion: Criterion,
    uploaded_file,
    by,
    at: datetime | None = None,
) -> EvidenceFile:
    """Store an uploaded file (type sniffed from content, ≤ 20 MB) and attach it to a leaf.

    A file with the same content already uploaded by the unit is reused, not stored twice.
    """
    _leaf_check(participation=participation, criterion=criterion, by=by)
    editable_check(participation=participation, at=at)
    checked = kind, sha256, size = evidence_check(uploaded_file)
    with transaction.atomic():
        editable_check(participation=participation, at=at)
        score = _score_for(participation, criterion)
        existing = current_files(participation).filter(sha256=sha256, size=size).first()
        if existing is not None:
            score.evidence.add(existing)
            _audit(
                by=by,
                action="evidence_link",
                participation=participation,
                obj=existing,
                note=f"{criterion.code}: {existing.original_name} (tệp đã có, dùng lại)",
            )
            return existing
        stored = _store(
            participation=participation, uploaded_file=uploaded_file, checked=checked, by=by
        )
        score.evidence.add(stored)
        _audit(
            by=by,
            action="evidence_upload",
            participation=participation,
            obj=stored,
            changes={"sha256": (None, sha256), "size": (None, size), "kind": (None, kind)},
            note=f"{criterion.code}: {stored.original_name}",
        )
    return stored


def _own_current_file(participation: Participation, evidence_file: EvidenceFile) -> None:
    if evidence_file.participation_id != participation.pk:
        raise ValidationError("Tệp không thuộc đơn vị.")
    if EvidenceFile.objects.filter(replaces=evidence_file).exists():
        raise ValidationError(
            f"Tệp '{evidence_file.original_name}' đã được thay bằng phiên bản mới."
        )


def evidence_link(
    *,
    participation: Participation,
    criterion: Criterion,
    evidence_file: EvidenceFile,
    by,
    at: datetime | None = None,
) -> Score:
    """Reuse a file the unit has already uploaded as evidence for another leaf."""
    _leaf_check(participation=participation, criterion=criterion, by=by)
    _own_current_file(participation, evidence_file)
    with transaction.atomic():
        editable_check(participation=participation, at=at)
        score = _score_for(participation, criterion)
        if score.evidence.filter(pk=evidence_file.pk).exists():
            raise ValidationError(f"Tệp '{evidence_file.original_name}' đã gắn với tiêu chí này.")
        score.evidence.add(evidence_file)
        _audit(
            by=by,
            action="evidence_link",
            participation=participation,
            obj=evidence_file,
            note=f"{criterion.code}: {evidence_file.original_name}",
        )
    return score


def evidence_unlink(
    *,
    participation: Participation,
    criterion: Criterion,
    evidence_file: EvidenceFile,
    by,
    at: datetime | None = None,
) -> Score:
    """Detach a file from a leaf; the file itself is kept."""
    _leaf_check(participation=participation, criterion=criterion, by=by)
    with transaction.atomic():
        editable_check(participation=participation, at=at)
        score = _score_for(participation, criterion)
        if not score.evidence.filter(pk=evidence_file.pk).exists():
            raise ValidationError("Tệp không gắn với tiêu chí này.")
        score.evidence.remove(evidence_file)
        _audit(
            by=by,
            action="evidence_unlink",
            participation=participation,
            obj=evidence_file,
            note=f"{criterion.code}: {evidence_file.original_name}",
        )
    return score


def evidence_replace(
    *,
    participation: Participation,
    evidence_file: EvidenceFile,
    uploaded_file,
    by,
    at: datetime | None = None,
) -> EvidenceFile:
    """Upload a new version of a file: every leaf using it moves to the new version; the
    old version keeps its row and bytes."""
    _own_current_file(participation, evidence_file)
    scores = list(evidence_file.scores.select_related("criterion"))
    scope = leaf_scope(by, participation)
    # A colleague given some leaves may not version a file that is on no leaf of theirs.
    if scope is not None and (not scores or any(s.criterion_id not in scope for s in scores)):
        raise ValidationError(
            "Tệp này còn dùng cho tiêu chí không được giao cho anh/chị; "
            "đề nghị cán bộ đầu mối thay thế."
        )
    editable_check(participation=participation, at=at)
    checked = evidence_check(uploaded_file)
    with transaction.atomic():
        editable_check(participation=participation, at=at)
        new = _store(
            participation=participation,
            uploaded_file=uploaded_file,
            checked=checked,
            by=by,
            replaces=evidence_file,
        )
        for score in scores:
            score.evidence.remove(evidence_file)
            score.evidence.add(new)
        _audit(
            by=by,
            action="evidence_replace",
            participation=participation,
            obj=new,
            changes={
                "file": (evidence_file.pk, new.pk),
                "sha256": (evidence_file.sha256, new.sha256),
            },
            note=f"{evidence_file.original_name} → {new.original_name} "
            f"({', '.join(s.criterion.code for s in scores) or 'không gắn tiêu chí'})",
        )
    return new


def _head_check(*, participation: Participation, by) -> None:
    if R.UNIT_HEAD not in unit_roles(by, participation.unit_id):
        raise ValidationError("Chỉ thủ trưởng đơn vị được gửi hoặc rút lại bản tự đánh giá.")


def self_assessment_submit(
    *, participation: Participation, by, at: datetime | None = None
) -> Submission:
    """The head submits the unit's self-assessment; it is then locked."""
    _head_check(participation=participation, by=by)
    with transaction.atomic():
        Participation.objects.select_for_update().filter(pk=participation.pk).first()
        editable_check(participation=participation, at=at)
        submission = Submission.objects.create(participation=participation, submitted_by=by)
        _audit(
            by=by,
            action="self_assessment_submit",
            participation=participation,
            obj=submission,
        )
    return submission


def self_assessment_withdraw(
    *, participation: Participation, by, at: datetime | None = None
) -> None:
    """The head takes the submission back to correct it, while the window is open."""
    _head_check(participation=participation, by=by)
    with transaction.atomic():
        Participation.objects.select_for_update().filter(pk=participation.pk).first()
        window_check(participation=participation, at=at)
        submission = Submission.objects.filter(participation=participation).first()
        if submission is None:
            raise ValidationError("Đơn vị chưa gửi bản tự đánh giá.")
        _audit(
            by=by,
            action="self_assessment_withdraw",
            participation=participation,
            obj=submission,
            note=f"gửi lúc {_local(submission.submitted_at):%H:%M %d/%m/%Y}",
        )
        submission.delete()
