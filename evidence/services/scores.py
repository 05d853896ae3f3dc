"""A leaf's self score, the not-applicable request, delegation inside the unit; and the
appraisers' figures on the same row, which the appraisal services write through here."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from criteria.models import Criterion, Participation
from criteria.rules import format_decimal, measured_value_check, parse_decimal, rubric_points
from evidence.access import leaf_scope, unit_roles
from evidence.models import Score
from kernel.models import AuditEvent
from units.models import Membership

from .common import editable_check, leaf_check, score_locked, unit_audit

R = Membership.Role
MAX_VALUE = Decimal("1e11")


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


class StaleVersion(ValidationError):
    """A save made on a form loaded before someone else changed the leaf (DOMAIN §9: no lost
    work). Carries the row as it now is, so the page can show what changed and by whom."""

    def __init__(self, message: str, *, current: Score | None):
        super().__init__(message)
        self.current = current


def score_version(score: Score | None, *marks: object) -> str:
    """The version a leaf form is loaded from: its row's last change, "" when no row yet.

    A later step keeping rows of its own on the leaf passes their latest ids as `marks`
    (the appraisal: its entries and the unit's explanations), so a new one makes it stale.
    """
    if score is None or score.pk is None:
        return ""
    return "|".join([score.updated_at.isoformat(), *(str(mark) for mark in marks)])


# Who changed a leaf last and when, worded for the reader: ("Trần Văn Minh", moment).
LastChange = tuple[str, datetime]


def leaf_version_check(
    *,
    participation: Participation,
    criterion: Criterion,
    version: str | None,
    marks: Callable[[Score], Sequence[object]] = lambda score: (),
    last_change: Callable[[Score], LastChange | None] | None = None,
) -> None:
    """Refuse a save whose form was loaded from another version than the stored one.

    `version=None` (a client that sends none) is not checked; every page we render sends one.
    `marks` and `last_change` let a later step (appraisal) put its own rows in the version
    and name who added them. Runs inside the caller's transaction and locks the row, so no
    save slips in between.
    """
    if version is None:
        return
    current = (
        Score.objects.select_for_update()
        .filter(participation=participation, criterion=criterion)
        .first()
    )
    version = version.strip()
    if current is None:
        return
    stored = score_version(current, *marks(current))
    if stored == version:
        return
    moment, _, rest = version.partition("|")
    if moment and rest == stored.partition("|")[2]:
        try:
            if datetime.fromisoformat(moment) == current.updated_at:
                return
        except ValueError:
            pass
    change = (last_change or score_last_change)(current)
    if not version and change is None:
        return  # the row was only created empty: nobody's work is in it
    raise StaleVersion(_stale_message(criterion, current, change), current=current)


def score_last_change(score: Score) -> LastChange | None:
    """The last audited change of the leaf's row (self scores, requests, appraisals)."""
    event = (
        AuditEvent.objects.filter(object_type=Score._meta.label, object_id=str(score.pk))
        .select_related("actor")
        .order_by("-at", "-id")
        .first()
    )
    if event is None:
        return None
    return (person_words(event.actor) if event.actor else "người khác"), event.at


def _stale_message(criterion: Criterion, current: Score, change: LastChange | None) -> str:
    who, at = change or ("người khác", current.updated_at)
    when = timezone.localtime(at)
    return (
        f"Tiêu chí {criterion.code} vừa được {who} sửa lúc {when:%H:%M ngày %d/%m/%Y}, "
        "sau khi anh/chị mở trang này; nội dung anh/chị vừa nhập chưa được lưu."
    )


def person_words(user) -> str:
    """Vietnamese order, family name first: `Trần Văn Minh`; else the username."""
    return f"{user.last_name} {user.first_name}".strip() or user.username


def score_save(
    *,
    participation: Participation,
    criterion: Criterion,
    by,
    score=None,
    value=None,
    note: str = "",
    version: str | None = None,
    at: datetime | None = None,
) -> Score:
    """Save a leaf's self score (or, on a measured leaf, its value) and explanation.

    On a measured leaf the score is the rubric's for the value; a typed score is ignored.
    `version` is the one the form was loaded from (`score_version`); a stale one raises
    StaleVersion and nothing is written.
    """
    leaf_check(participation=participation, criterion=criterion, by=by)
    if criterion.rubric:
        number = _number(value, "Giá trị")
        rubric = tuple((Decimal(t), Decimal(p)) for t, p in criterion.rubric)
        if number is not None:
            try:
                measured_value_check(rubric, number)
            except ValueError as error:
                raise ValidationError(f"Giá trị {error}.") from None
            if number >= MAX_VALUE:
                raise ValidationError("Giá trị quá lớn.")
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
        leaf_version_check(participation=participation, criterion=criterion, version=version)
        current = score_locked(participation=participation, criterion=criterion)
        changes = {
            "self_score": (current.self_score, new_score),
            "self_value": (current.self_value, new_value),
            "self_note": (current.self_note, note),
        }
        if all(old == new for old, new in changes.values()):
            return current
        current.self_score, current.self_value, current.self_note = new_score, new_value, note
        current.save(update_fields=["self_score", "self_value", "self_note", "updated_at"])
        unit_audit(
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
    version: str | None = None,
    at: datetime | None = None,
) -> Score:
    """Ask the appraisers to treat a leaf as not applicable to the unit, with a reason.
    A stale `version` (see score_save) raises StaleVersion."""
    leaf_check(participation=participation, criterion=criterion, by=by)
    reason = (reason or "").strip()
    if requested and not reason:
        raise ValidationError("Cần nêu lý do đề nghị không áp dụng tiêu chí.")
    if requested and criterion.kind == Criterion.Kind.DEDUCTION:
        raise ValidationError("Không thể đề nghị không áp dụng một tiêu chí điểm trừ.")
    if requested and criterion.kind == Criterion.Kind.BONUS:
        # A bonus adds to no maximum: there is nothing to take out (DOMAIN §8).
        raise ValidationError("Không thể đề nghị không áp dụng một tiêu chí điểm thưởng.")
    if not requested:
        reason = ""
    with transaction.atomic():
        editable_check(participation=participation, at=at)
        leaf_version_check(participation=participation, criterion=criterion, version=version)
        current = score_locked(participation=participation, criterion=criterion)
        changes = {
            "not_applicable_requested": (current.not_applicable_requested, requested),
            "not_applicable_reason": (current.not_applicable_reason, reason),
        }
        current.not_applicable_requested, current.not_applicable_reason = requested, reason
        current.save(
            update_fields=["not_applicable_requested", "not_applicable_reason", "updated_at"]
        )
        unit_audit(
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
    leaf_check(participation=participation, criterion=criterion, by=by)
    if R.UNIT_OFFICER not in unit_roles(by, participation.unit_id) or (
        leaf_scope(by, participation) is not None
    ):
        raise ValidationError("Chỉ cán bộ đầu mối CCHC của đơn vị được giao tiêu chí.")
    if to is not None and not colleagues_of(participation, by).filter(pk=to.pk).exists():
        raise ValidationError("Chỉ giao được cho cán bộ khác của cùng đơn vị.")
    with transaction.atomic():
        editable_check(participation=participation, at=at)
        current = score_locked(participation=participation, criterion=criterion)
        changes = {"delegated_to": (current.delegated_to_id, to.pk if to else None)}
        current.delegated_to = to
        current.save(update_fields=["delegated_to", "updated_at"])
        unit_audit(
            by=by,
            action="leaf_delegate",
            participation=participation,
            obj=current,
            changes=changes,
            note=f"{criterion.code} → {to.username if to else '(thu hồi)'}",
        )
    return current


def score_appraised_set(
    *,
    score: Score,
    appraised_score: Decimal | None,
    appraised_value: Decimal | None,
    note: str,
) -> dict[str, tuple]:
    """Copy the latest appraisal onto the unit's row, which the engine reads. The caller
    (appraisal) holds the rules and the lock; returns the changes, old → new."""
    changes = {
        "appraised_score": (score.appraised_score, appraised_score),
        "appraised_value": (score.appraised_value, appraised_value),
        "appraisal_note": (score.appraisal_note, note),
    }
    score.appraised_score, score.appraised_value, score.appraisal_note = (
        appraised_score,
        appraised_value,
        note,
    )
    score.save(update_fields=["appraised_score", "appraised_value", "appraisal_note"])
    return changes


def score_not_applicable_set(*, score: Score, not_applicable: bool, note: str) -> dict[str, tuple]:
    """The appraisers' decision on a not-applicable request (DOMAIN §2): an excluded leaf
    carries no appraised figure. Returns the changes, old → new."""
    before = (score.not_applicable, score.appraised_score, score.appraisal_note)
    score.not_applicable = not_applicable
    if not_applicable:
        score.appraised_score = None
        score.appraised_value = None
    score.appraisal_note = note
    score.save(
        update_fields=[
            "not_applicable",
            "appraised_score",
            "appraised_value",
            "appraisal_note",
            "updated_at",
        ]
    )
    return {
        "not_applicable": (before[0], score.not_applicable),
        "appraised_score": (before[1], score.appraised_score),
        "appraisal_note": (before[2], score.appraisal_note),
    }
