"""A correction of a published year (DOMAIN §9): opened by the council with a written
reason, the appraised figures adjusted leaf by leaf (each with its reason), recomputed and
published as the next revision. The published revisions stay as they were."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from appraisal.models import AppraisalEntry, Computation
from appraisal.revisions import published_computation, working_computation
from criteria.models import Criterion, Participation, Year
from criteria.phase import year_lock_for_publication, year_lock_shared
from criteria.rules import measured_value_check, rubric_points
from evidence.services import score_appraised_set
from evidence.services.common import score_locked
from kernel.audit import audit_record

REASON_MIN = 20
THOUSANDTH = Decimal("0.001")


def correction_open(*, year: Year, reason: str, by, at: datetime | None = None) -> Computation:
    """Open the next revision of a published year. Its documents must be stored first."""
    at = at or timezone.now()
    reason = " ".join((reason or "").split())
    with transaction.atomic():
        locked = year_lock_for_publication(year)
        if locked.correction_is_open:
            raise ValidationError(
                f"Năm {locked.year} đang đính chính: công bố hoặc hủy lần đó trước."
            )
        last = published_computation(locked)
        if not locked.is_published or last is None:
            raise ValidationError(
                f"Năm {locked.year} chưa công bố: chưa có gì để đính chính, hãy sửa trực tiếp."
            )
        if len(reason) < REASON_MIN:
            raise ValidationError(
                f"Ghi rõ lý do đính chính (ít nhất {REASON_MIN} ký tự): sẽ hiện trên trang "
                "công khai."
            )
        if last.published_at is None:  # published before revisions were recorded
            last.published_at = at
            last.published_on = locked.published_on
            last.save(update_fields=["published_at", "published_on"])
        if last.documents_rendered_at is None:
            raise ValidationError(
                f"Tài liệu của lần công bố {last.revision} chưa kết xuất đủ: hãy kết xuất "
                "trọn bộ trước, để bản đã công bố được giữ nguyên."
            )
        computation = Computation.objects.create(
            year=locked,
            revision=last.revision + 1,
            computed_at=at,
            fingerprint="",
            correction_reason=reason,
            correction_opened_at=at,
            correction_opened_by=by if by is not None and by.is_authenticated else None,
        )
        old_status = locked.status
        locked.status = Year.Status.CORRECTION
        locked.save(update_fields=["status"])
        audit_record(
            actor=by,
            action="correction_open",
            obj=locked,
            year=locked.year,
            changes={
                "status": (old_status, locked.status),
                "revision": (last.revision, computation.revision),
            },
            note=reason,
        )
    year.status = locked.status
    return computation


def correction_cancel(*, year: Year, by) -> None:
    """Close an open correction without publishing: only while the scores are exactly those
    of the last published revision (nothing changed, or every change undone)."""
    from .compute import fingerprint_of, previous_ranks_for, year_inputs

    with transaction.atomic():
        locked = year_lock_for_publication(year)
        if not locked.correction_is_open:
            raise ValidationError(f"Năm {locked.year} không có lần đính chính nào đang mở.")
        last = published_computation(locked)
        _participations, blocks = year_inputs(locked)
        if fingerprint_of(blocks, previous_ranks_for(locked)) != last.fingerprint:
            raise ValidationError(
                "Điểm đã khác lần công bố "
                f"{last.revision}: không thể hủy; hãy công bố lần đính chính (hoặc trả lại "
                "điểm như cũ)."
            )
        working = working_computation(locked)
        revision = working.revision
        working.delete()
        locked.status = Year.Status.PUBLISHED
        locked.save(update_fields=["status"])
        audit_record(
            actor=by,
            action="correction_cancel",
            obj=locked,
            year=locked.year,
            changes={
                "status": (Year.Status.CORRECTION, locked.status),
                "revision": (revision, None),
            },
        )
    year.status = locked.status


def _figures(criterion: Criterion, score_text: str, value_text: str):
    """(appraised score, appraised value) typed in the correction form."""

    def number(text: str, label: str) -> Decimal:
        text = (text or "").strip().replace(",", ".")
        try:
            value = Decimal(text)
        except ArithmeticError:
            raise ValidationError(f"{label} phải là một số, ví dụ 1,5.") from None
        if not value.is_finite() or value != value.quantize(THOUSANDTH):
            raise ValidationError(f"{label} có tối đa 3 chữ số thập phân.")
        return value

    if criterion.rubric:
        value = number(value_text, "Giá trị sau đính chính")
        rubric = tuple((Decimal(t), Decimal(p)) for t, p in criterion.rubric)
        try:
            measured_value_check(rubric, value)
        except ValueError as error:
            raise ValidationError(f"Giá trị sau đính chính {error}.") from None
        return rubric_points(rubric, value), value
    points = number(score_text, "Điểm sau đính chính")
    if not Decimal(0) <= points <= criterion.max_points:
        raise ValidationError(
            f"Điểm sau đính chính phải từ 0 đến {criterion.max_points.normalize():f}."
        )
    return points, None


def correction_score_set(
    *,
    participation: Participation,
    criterion: Criterion,
    appraised_score: str = "",
    appraised_value: str = "",
    reason: str,
    by,
    at: datetime | None = None,
) -> AppraisalEntry:
    """Correct one leaf's appraised figure during an open correction, with its reason."""
    at = at or timezone.now()
    reason = " ".join((reason or "").split())
    if (
        criterion.year_id != participation.year_id
        or criterion.block_id != participation.block_id
        or not criterion.is_leaf
        or criterion.method != Criterion.Method.EVIDENCE
    ):
        raise ValidationError("Chỉ đính chính được tiêu chí thành phần chấm qua tài liệu.")
    if not reason:
        raise ValidationError("Ghi lý do đính chính tiêu chí này.")
    figures = _figures(criterion, appraised_score, appraised_value)
    with transaction.atomic():
        year = year_lock_shared(participation.year)
        if not year.correction_is_open:
            raise ValidationError(
                f"Năm {year.year} không có lần đính chính nào đang mở: Hội đồng mở đính chính "
                "trước, với lý do."
            )
        score = score_locked(participation=participation, criterion=criterion)
        if score.not_applicable:
            raise ValidationError("Tiêu chí này không áp dụng với đơn vị: không có điểm để sửa.")
        differs = figures[0] != score.self_score or (
            bool(criterion.rubric) and figures[1] != score.self_value
        )
        status = AppraisalEntry.Status.ADJUSTED if differs else AppraisalEntry.Status.AGREED
        previous = score.appraisal_entries.order_by("at", "id").last()
        entry = AppraisalEntry.objects.create(
            score=score,
            round=AppraisalEntry.Round.CORRECTION,
            appraiser=by,
            appraised_score=figures[0],
            appraised_value=figures[1],
            status=status,
            comment=reason,
            at=at,
        )
        changes = score_appraised_set(
            score=score, appraised_score=figures[0], appraised_value=figures[1], note=reason
        )
        audit_record(
            actor=by,
            action="correction_score",
            obj=score,
            year=year.year,
            unit_code=participation.unit.code,
            changes={**changes, "status": (previous.status if previous else None, status)},
            note=f"{criterion.code}, đính chính: {reason}",
        )
    return entry
