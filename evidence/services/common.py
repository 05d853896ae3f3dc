"""What every self-assessment service checks before writing: the window, the unit's
submission, the leaf; and how each records its audit event."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from criteria.models import Criterion, Participation
from criteria.phase import year_lock_for_write, year_refuse_if_frozen
from evidence.access import leaf_scope
from evidence.models import Score, Submission
from kernel.audit import audit_record


def local(moment: datetime) -> datetime:
    return timezone.localtime(moment)


def deadline_text(closes: datetime) -> str:
    """`24:00 ngày 10/01/2023` for an exclusive midnight close, else `HH:MM ngày dd/mm/yyyy`."""
    moment = local(closes)
    if (moment.hour, moment.minute) == (0, 0):
        return f"24:00 ngày {moment - timedelta(days=1):%d/%m/%Y}"
    return f"{moment:%H:%M} ngày {moment:%d/%m/%Y}"


def opening_text(opens: datetime) -> str:
    moment = local(opens)
    return f"{moment:%H:%M} ngày {moment:%d/%m/%Y}"


def window_check(*, participation: Participation, at: datetime | None = None) -> None:
    """Refuse any change unless the self-assessment window is open (to the minute)."""
    at = at or timezone.now()
    # Inside the write's transaction the check holds the year's lock (criteria.phase).
    year = (
        year_lock_for_write(participation.year)
        if connection.in_atomic_block
        else participation.year
    )
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
            f"{local(submission.submitted_at):%H:%M ngày %d/%m/%Y}; "
            "thủ trưởng đơn vị rút lại bản đã gửi để sửa."
        )


def leaf_check(*, participation: Participation, criterion: Criterion, by) -> None:
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


def score_locked(*, participation: Participation, criterion: Criterion) -> Score:
    """The unit's row for one leaf, created if missing, locked until the transaction ends."""
    score, _ = Score.objects.select_for_update().get_or_create(
        participation=participation, criterion=criterion
    )
    return score


def unit_audit(*, by, action: str, participation: Participation, obj, changes=None, note=""):
    audit_record(
        actor=by,
        action=action,
        obj=obj,
        year=participation.year.year,
        unit_code=participation.unit.code,
        changes=changes,
        note=note,
    )
