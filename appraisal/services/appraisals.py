"""Appraisal (thẩm định): an appraiser records the appraised score of one leaf for one unit.

Every save adds an AppraisalEntry (round 1, or round 2 after the explanation round) and
copies the result onto evidence.Score, which the engine reads, through evidence's services.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from appraisal.access import may_appraise, own_unit_ids
from appraisal.models import AppraisalEntry, Explanation
from criteria.models import Criterion, Participation, Year
from criteria.phase import year_lock_for_write, year_refuse_if_frozen
from criteria.rules import measured_value_check, rubric_points
from evidence.models import Score
from evidence.services import score_appraised_set, score_locked, score_not_applicable_set
from evidence.services.scores import (
    LastChange,
    leaf_version_check,
    person_words,
    score_last_change,
    score_version,
)
from kernel.audit import audit_record

S = AppraisalEntry.Status
THOUSANDTH = Decimal("0.001")


def local_time(moment: datetime | None) -> str:
    return timezone.localtime(moment).strftime("%H:%M %d/%m/%Y") if moment else "?"


def refuse_if_window_closed(year: Year, window: str, label: str, at: datetime) -> None:
    if not year.window_is_open(window, at):
        opens = getattr(year, f"{window}_opens")
        closes = getattr(year, f"{window}_closes")
        if opens is None or closes is None:
            raise ValidationError(f"Năm {year.year} chưa đặt thời gian {label}.")
        raise ValidationError(
            f"Ngoài thời gian {label} (từ {local_time(opens)} đến trước {local_time(closes)})."
        )


def rubric_of(criterion: Criterion) -> tuple[tuple[Decimal, Decimal], ...]:
    return tuple((Decimal(t), Decimal(p)) for t, p in criterion.rubric)


@dataclass(frozen=True)
class LeafState:
    key: str
    label: str
    round: int | None = None

    @property
    def is_done(self) -> bool:
        return self.key != "pending"


PENDING = LeafState("pending", "Chưa thẩm định")
NOT_APPLICABLE = LeafState("not_applicable", "Không áp dụng (đã chấp nhận)")


def leaf_state(
    entries: list[AppraisalEntry],
    explanations: list[Explanation],
    *,
    not_applicable: bool = False,
) -> LeafState:
    """Where a leaf stands, from its entries and explanations (both in time order); an
    approved not-applicable request settles the leaf whatever came before."""
    if not_applicable:
        return NOT_APPLICABLE
    if not entries:
        return PENDING
    latest = entries[-1]
    if latest.round == AppraisalEntry.Round.FINAL:
        return LeafState(f"final_{latest.status}", f"Vòng 2: {latest.get_status_display()}", 2)
    if latest.status != S.AGREED and any(e.at >= latest.at for e in explanations):
        return LeafState("explained", "Đơn vị đã giải trình, chờ chấm vòng 2", 1)
    return LeafState(latest.status, latest.get_status_display(), 1)


def appraisal_round(*, year: Year, score: Score | None, at: datetime) -> int | None:
    """Which round an appraisal given now belongs to; None when appraisal is closed.

    Round 1 inside the appraisal window. Once the unit has explained a leaf the next score is
    the final one (round 2). After the appraisal window, from the opening of the explanation
    round until publication, only the leaves disputed in round 1 (adjusted, or sent for
    explanation) get their final score: a leaf never appraised stays closed.
    """
    if year.is_published:
        return None
    saved = score is not None and score.pk is not None
    explained = saved and score.explanations.exists()
    if year.window_is_open("appraisal", at):
        return AppraisalEntry.Round.FINAL if explained else AppraisalEntry.Round.FIRST
    disputed = saved and score.appraisal_entries.exclude(status=S.AGREED).exists()
    if disputed and year.explanation_opens is not None and at >= year.explanation_opens:
        return AppraisalEntry.Round.FINAL
    return None


def awaiting_explanation(year: Year, score: Score, at: datetime) -> bool:
    """During the explanation window a disputed leaf waits for the unit's answer."""
    if not year.window_is_open("explanation", at) or score.explanations.exists():
        return False
    latest = score.appraisal_entries.order_by("at", "id").last()
    return (
        latest is not None
        and latest.round == AppraisalEntry.Round.FIRST
        and latest.status != S.AGREED
    )


def appraisal_marks(score: Score) -> tuple[str, str]:
    """What the appraisal adds to a leaf's version (DOMAIN §9, no lost work): the latest
    appraisal entry and the latest explanation, rows of their own that leave the unit's
    row untouched. Any new one makes a form loaded before it stale."""
    entry = score.appraisal_entries.order_by("-id").values_list("id", flat=True).first()
    explanation = score.explanations.order_by("-id").values_list("id", flat=True).first()
    return f"e{entry or 0}", f"x{explanation or 0}"


def appraisal_version(score: Score | None) -> str:
    """The version the appraisal and explanation forms of a leaf are loaded from."""
    if score is None or score.pk is None:
        return ""
    return score_version(score, *appraisal_marks(score))


def appraisal_last_change(score: Score, *, for_unit: bool = False) -> LastChange | None:
    """Who changed the leaf last and when: an appraisal, an explanation or the unit's row.
    The unit sees the secretariat, not the appraiser by name (as in the history)."""
    changes: list[LastChange] = []
    entry = score.appraisal_entries.select_related("appraiser").order_by("-at", "-id").first()
    if entry is not None:
        named = entry.appraiser is not None and not for_unit
        changes.append((person_words(entry.appraiser) if named else "Tổ thẩm định", entry.at))
    explanation = score.explanations.select_related("by").order_by("-at", "-id").first()
    if explanation is not None:
        who = person_words(explanation.by) if explanation.by else "đơn vị"
        changes.append((who, explanation.at))
    if not for_unit and (row := score_last_change(score)) is not None:
        changes.append(row)
    return max(changes, key=lambda change: change[1], default=None)


def appraisal_version_check(
    *, participation: Participation, criterion: Criterion, version: str | None, for_unit=False
) -> None:
    """Refuse (StaleVersion) a save on a leaf changed since its form was loaded."""
    leaf_version_check(
        participation=participation,
        criterion=criterion,
        version=version,
        marks=appraisal_marks,
        last_change=lambda score: appraisal_last_change(score, for_unit=for_unit),
    )


def _points(value: Decimal | None, field: str) -> Decimal | None:
    if value is None:
        return None
    if value != value.quantize(THOUSANDTH):
        raise ValidationError(f"{field} có tối đa 3 chữ số thập phân.")
    return value


def _assignment_check(*, participation: Participation, criterion: Criterion, by) -> None:
    """Nobody appraises their own unit (DOMAIN §3); others only their assigned areas."""
    if participation.unit_id in own_unit_ids(by):
        raise ValidationError("Không được thẩm định đơn vị của mình.")
    if not may_appraise(by, participation, criterion.area_code):
        raise ValidationError(
            f"Bạn không được phân công thẩm định lĩnh vực {criterion.area_code} "
            f"của khối {participation.block.code}."
        )


def _round_open(*, year: Year, score: Score, status: str, at: datetime) -> int:
    """The round this appraisal of the leaf belongs to, or why it cannot be given now."""
    if score.not_applicable:
        raise ValidationError("Tiêu chí này không áp dụng với đơn vị: không thẩm định.")
    round_ = appraisal_round(year=year, score=score, at=at)
    if round_ is None:
        refuse_if_window_closed(year, "appraisal", "thẩm định", at)
    if awaiting_explanation(year, score, at):
        raise ValidationError(
            "Đơn vị đang trong thời gian giải trình tiêu chí này: chấm điểm cuối cùng sau "
            "khi đơn vị giải trình hoặc hết thời gian giải trình."
        )
    if round_ == AppraisalEntry.Round.FINAL and status == S.NEEDS_EXPLANATION:
        raise ValidationError(
            "Vòng giải trình đã qua: chỉ còn chấm điểm cuối cùng (thống nhất hoặc điều chỉnh)."
        )
    if (
        status == S.NEEDS_EXPLANATION
        and year.explanation_closes is not None
        and at >= year.explanation_closes
    ):
        raise ValidationError("Thời gian giải trình đã kết thúc.")
    return round_


def _appraised_figures(
    *,
    criterion: Criterion,
    score: Score,
    status: str,
    appraised_score: Decimal | None,
    appraised_value: Decimal | None,
    previous: AppraisalEntry | None,
) -> tuple[Decimal, Decimal | None]:
    """The appraised (score, value): on a measured leaf the score follows from the value."""
    if status == S.AGREED and previous is not None:
        # The form still shows the figure of the last appraisal (round 1's, in round 2):
        # agreeing gives it up for the unit's own, without retyping. A new figure is not.
        if appraised_score == previous.appraised_score:
            appraised_score = None
        if appraised_value == previous.appraised_value:
            appraised_value = None
    if status in (S.AGREED, S.NEEDS_EXPLANATION):
        # Pending the explanation the unit's own figure stands unless the appraiser says.
        if appraised_value is None:
            appraised_value = score.self_value
        if appraised_score is None:
            appraised_score = score.self_score
    rubric = rubric_of(criterion)
    if rubric:
        appraised_value = _points(appraised_value, "Giá trị thẩm định")
        if appraised_value is None:
            raise ValidationError("Nhập giá trị thẩm định: điểm tính theo thang chấm.")
        try:
            measured_value_check(rubric, appraised_value)
        except ValueError as error:
            raise ValidationError(f"Giá trị thẩm định {error}.") from None
        return rubric_points(rubric, appraised_value), appraised_value
    appraised_score = _points(appraised_score, "Điểm thẩm định")
    if appraised_score is None:
        raise ValidationError("Nhập điểm thẩm định.")
    if not Decimal(0) <= appraised_score <= criterion.max_points:
        raise ValidationError(f"Điểm thẩm định phải từ 0 đến {criterion.max_points.normalize():f}.")
    return appraised_score, None


def _status_check(
    *,
    criterion: Criterion,
    score: Score,
    status: str,
    figures: tuple[Decimal, Decimal | None],
    comment: str,
) -> None:
    """The status says whether the figures differ from the unit's, and a difference or a
    request for explanation is explained."""
    appraised_score, appraised_value = figures
    differs = appraised_score != score.self_score or (
        bool(criterion.rubric) and appraised_value != score.self_value
    )
    if status == S.AGREED and differs:
        raise ValidationError(
            "Điểm thẩm định khác điểm tự chấm: chọn “Điều chỉnh” hoặc “Đề nghị giải trình”."
        )
    if status == S.ADJUSTED and not differs:
        raise ValidationError("Điểm thẩm định bằng điểm tự chấm: chọn “Thống nhất”.")
    # Tied to the comment field, so the form shows the message beside it.
    if differs and not comment:
        raise ValidationError({"comment": "Nhập ý kiến thẩm định khi điểm khác điểm tự chấm."})
    if status == S.NEEDS_EXPLANATION and not comment:
        raise ValidationError({"comment": "Nêu rõ nội dung đơn vị cần giải trình."})


def _appraisal_record(
    *,
    score: Score,
    round_: int,
    status: str,
    figures: tuple[Decimal, Decimal | None],
    comment: str,
    previous: AppraisalEntry | None,
    by,
    at: datetime,
) -> AppraisalEntry:
    """Add the entry, copy it onto the unit's row (through evidence) and audit both."""
    appraised_score, appraised_value = figures
    entry = AppraisalEntry.objects.create(
        score=score,
        round=round_,
        appraiser=by,
        appraised_score=appraised_score,
        appraised_value=appraised_value,
        status=status,
        comment=comment,
        at=at,
    )
    changes = score_appraised_set(
        score=score, appraised_score=appraised_score, appraised_value=appraised_value, note=comment
    )
    participation = score.participation
    audit_record(
        actor=by,
        action="appraisal_save",
        obj=score,
        year=participation.year.year,
        unit_code=participation.unit.code,
        changes={**changes, "status": (previous.status if previous else None, status)},
        note=f"{score.criterion.code}, vòng {round_}",
    )
    return entry


def appraisal_save(
    *,
    participation: Participation,
    criterion: Criterion,
    status: str,
    appraised_score: Decimal | None = None,
    appraised_value: Decimal | None = None,
    comment: str = "",
    by,
    version: str | None = None,
    at: datetime | None = None,
) -> AppraisalEntry:
    """Record one appraisal of one leaf for one unit.

    - `agreed`: the self score stands (score and value default to the unit's own, as they
      do for a request for explanation);
    - `adjusted`: a different score, with a required comment;
    - `needs_explanation`: the unit must explain (round 1 only), with a required comment.
    On a measured leaf the appraiser gives the value and the score follows from the rubric.
    `version` is the one the form was loaded from (`appraisal_version`); a stale one raises
    StaleVersion naming who changed the leaf, and nothing is written.
    """
    at = at or timezone.now()
    year = participation.year
    comment = (comment or "").strip()
    year_refuse_if_frozen(year)
    if (
        criterion.year_id != participation.year_id
        or criterion.block_id != participation.block_id
        or not criterion.is_leaf
        or criterion.method != Criterion.Method.EVIDENCE
    ):
        raise ValidationError("Chỉ thẩm định tiêu chí thành phần chấm qua tài liệu kiểm chứng.")
    _assignment_check(participation=participation, criterion=criterion, by=by)
    if status not in S.values:
        raise ValidationError("Chọn kết quả thẩm định.")

    with transaction.atomic():
        year = year_lock_for_write(year)
        appraisal_version_check(participation=participation, criterion=criterion, version=version)
        score = score_locked(participation=participation, criterion=criterion)
        score.participation = participation
        score.criterion = criterion
        round_ = _round_open(year=year, score=score, status=status, at=at)
        previous = score.appraisal_entries.order_by("at", "id").last() if score.pk else None
        figures = _appraised_figures(
            criterion=criterion,
            score=score,
            status=status,
            appraised_score=appraised_score,
            appraised_value=appraised_value,
            previous=previous,
        )
        _status_check(
            criterion=criterion, score=score, status=status, figures=figures, comment=comment
        )
        return _appraisal_record(
            score=score,
            round_=round_,
            status=status,
            figures=figures,
            comment=comment,
            previous=previous,
            by=by,
            at=at,
        )


def not_applicable_decide(
    *,
    participation: Participation,
    criterion: Criterion,
    approve: bool,
    comment: str = "",
    by,
    version: str | None = None,
    at: datetime | None = None,
) -> Score:
    """Decide a unit's request to exclude a leaf (DOMAIN §2: not applicable leaves leave both
    the score and the maximum). Approving sets `not_applicable`, which the engine reads;
    refusing needs a comment and the leaf is appraised as usual. A stale `version` (see
    appraisal_save) raises StaleVersion."""
    at = at or timezone.now()
    year = participation.year
    comment = (comment or "").strip()
    year_refuse_if_frozen(year)
    _assignment_check(participation=participation, criterion=criterion, by=by)
    refuse_if_window_closed(year, "appraisal", "thẩm định", at)
    if not approve and not comment:
        raise ValidationError("Nhập lý do khi không chấp nhận đề nghị không áp dụng.")
    with transaction.atomic():
        year_lock_for_write(year)
        appraisal_version_check(participation=participation, criterion=criterion, version=version)
        score = (
            Score.objects.select_for_update()
            .filter(participation=participation, criterion=criterion)
            .first()
        )
        if score is None or not score.not_applicable_requested:
            raise ValidationError("Đơn vị không đề nghị tiêu chí này không áp dụng.")
        changes = score_not_applicable_set(score=score, not_applicable=approve, note=comment)
        audit_record(
            actor=by,
            action="not_applicable_decide",
            obj=score,
            year=year.year,
            unit_code=participation.unit.code,
            changes=changes,
            note=f"{criterion.code}: {'chấp nhận' if approve else 'không chấp nhận'}",
        )
    return score
