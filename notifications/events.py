"""Which events of a year's lifecycle (DOMAIN §3, §9) are due at a moment, and to whom.

An event is due only while it still matters: the opening of self-assessment while its
window is open, "3 days left" from 3 days to 1 day before the close, "1 day left" in the
last day, the appraisers' queue while appraisal is open, leaves to explain while the
explanation window is open, a publication in the week after it. A job that did not run
for a while therefore never sends a stale reminder, and one that runs every few minutes
finds the same events again: each is told once per person (Notice.key is unique per person).

Each event says what it would tell (`compose`), computed only for the people not yet told.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.urls import reverse

from appraisal.access import UNIT_ROLES
from appraisal.models import AppraisalEntry, Assignment, Computation
from appraisal.queue import appraisal_queue
from appraisal.services.explanations import explanation_open_for
from criteria.models import Participation, Year
from evidence.models import Score, Submission
from evidence.selectors import submission_summary
from evidence.services.common import deadline_text, opening_text
from kernel.ordering import unit_code_key
from units.models import Membership

from .models import Notice

R = Membership.Role
K = Notice.Kind
DAY = timedelta(days=1)
# Self-assessment reminders: days before the close (issue 15 item 4), latest first.
SELF_ASSESSMENT_REMINDERS = (1, 3)
PUBLICATION_TOLD_FOR = timedelta(days=7)
LISTED_AT_MOST = 30


@dataclass(frozen=True)
class Message:
    title: str
    lines: list[str]
    link: str


@dataclass
class Event:
    year: Year
    kind: str
    key: str
    people: list
    compose: Callable[[], Message | None] = field(repr=False)


def due_events(at: datetime) -> Iterator[Event]:
    """Every event due at `at`, in every year (each event checks its own window)."""
    for year in Year.objects.order_by("year"):
        yield from _self_assessment_events(year, at)
        yield from _appraisal_events(year, at)
        yield from _explanation_events(year, at)
        yield from _publication_events(year, at)


def listed(lines: list[str]) -> list[str]:
    """At most LISTED_AT_MOST lines, and how many more there are."""
    if len(lines) <= LISTED_AT_MOST:
        return lines
    rest = len(lines) - LISTED_AT_MOST
    return [*lines[:LISTED_AT_MOST], f"… và {rest} mục khác."]


def active_people(**filters):
    users = get_user_model().objects.filter(is_active=True, **filters).distinct()
    return list(users.order_by("id"))


def unit_people(participation: Participation) -> list:
    return active_people(
        memberships__unit_id=participation.unit_id, memberships__role__in=UNIT_ROLES
    )


def participations_of(year: Year) -> list[Participation]:
    found = Participation.objects.filter(year=year).select_related("unit", "block")
    return sorted(found, key=lambda p: unit_code_key(p.unit.code))


def _self_assessment_events(year: Year, at: datetime) -> Iterator[Event]:
    if not year.window_is_open("self_assessment", at):
        return
    closes = year.self_assessment_closes
    reminder = next((days for days in SELF_ASSESSMENT_REMINDERS if at >= closes - days * DAY), None)
    submitted = set(
        Submission.objects.filter(participation__year=year).values_list(
            "participation_id", flat=True
        )
    )
    for participation in participations_of(year):
        people = unit_people(participation)
        code = participation.unit.code
        yield Event(
            year,
            K.WINDOW_OPENED,
            f"{year.year}:self_assessment_opened:{code}",
            people,
            lambda p=participation: _opened_message(year, p),
        )
        if reminder is not None and participation.pk not in submitted:
            yield Event(
                year,
                K.SELF_ASSESSMENT_DUE,
                f"{year.year}:self_assessment_due:{reminder}d:{code}",
                people,
                lambda p=participation, d=reminder: _gaps_message(year, p, d),
            )


def _opened_message(year: Year, participation: Participation) -> Message:
    return Message(
        f"Mở tự đánh giá, chấm điểm Chỉ số CCHC năm {year.year}: {participation.name}",
        [
            f"Thời gian tự đánh giá, chấm điểm của {participation.name}: từ "
            f"{opening_text(year.self_assessment_opens)} đến "
            f"{deadline_text(year.self_assessment_closes)}.",
            "Đơn vị chấm điểm từng tiêu chí thành phần, giải thích và tải lên tài liệu "
            "kiểm chứng; thủ trưởng đơn vị gửi bản tự đánh giá khi hoàn tất.",
        ],
        reverse("evidence:home"),
    )


def _gaps_message(year: Year, participation: Participation, days: int) -> Message | None:
    summary = submission_summary(participation)
    if not summary.without_score and not summary.without_evidence:
        return None
    lines = [
        f"Còn {days} ngày: thời gian tự đánh giá của {participation.name} kết thúc lúc "
        f"{deadline_text(year.self_assessment_closes)}. Đơn vị chưa gửi bản tự đánh giá.",
    ]
    if summary.without_score:
        lines.append(f"Tiêu chí chưa chấm điểm ({len(summary.without_score)}):")
        lines += listed([f"– {leaf.criterion}" for leaf in summary.without_score])
    if summary.without_evidence:
        lines.append(f"Tiêu chí chưa có tài liệu kiểm chứng ({len(summary.without_evidence)}):")
        lines += listed([f"– {leaf.criterion}" for leaf in summary.without_evidence])
    return Message(
        f"Còn {days} ngày tự đánh giá Chỉ số CCHC năm {year.year}: {participation.name}",
        lines,
        reverse("evidence:home"),
    )


def appraisers_of(year: Year) -> list:
    """The people assigned an area of the year, and the secretariat leads (every area)."""
    assigned = Assignment.objects.filter(year=year).values("appraiser_id")
    by_assignment = active_people(pk__in=assigned)
    leads = active_people(memberships__role=R.SECRETARIAT_LEAD)
    return sorted({user.pk: user for user in by_assignment + leads}.values(), key=lambda u: u.pk)


def _appraisal_events(year: Year, at: datetime) -> Iterator[Event]:
    if not year.window_is_open("appraisal", at):
        return
    # In the last day the reminder says all the queue's notice would: one message, not two.
    last_day = at >= year.appraisal_closes - DAY
    kind, key = (
        (K.APPRAISAL_DUE, "appraisal_due:1d")
        if last_day
        else (K.APPRAISAL_QUEUE, "appraisal_queue")
    )
    for user in appraisers_of(year):
        yield Event(
            year,
            kind,
            f"{year.year}:{key}",
            [user],
            lambda u=user: _queue_message(year, u, last_day=last_day),
        )


def _queue_message(year: Year, user, *, last_day: bool) -> Message | None:
    lines = []
    pending_total = 0
    for queue in appraisal_queue(user, year):
        for participation, cells in queue.rows:
            for cell in cells:
                pending = cell.total - cell.done
                if pending > 0:
                    pending_total += pending
                    lines.append(
                        f"– {participation.name}, lĩnh vực {cell.area.code}. {cell.area.name}: "
                        f"{pending}/{cell.total} tiêu chí"
                    )
    if not pending_total:
        return None
    closes = deadline_text(year.appraisal_closes)
    if last_day:
        title = f"Còn 1 ngày thẩm định Chỉ số CCHC năm {year.year}"
        first = f"Thời gian thẩm định kết thúc lúc {closes}; còn {pending_total} tiêu chí chưa thẩm định:"
    else:
        title = f"Có {pending_total} tiêu chí chờ thẩm định (Chỉ số CCHC năm {year.year})"
        first = f"Thời gian thẩm định: đến {closes}. Các tiêu chí được phân công chờ thẩm định:"
    return Message(title, [first, *listed(lines)], reverse("appraisal:queue"))


def disputed_scores(year: Year) -> dict[int, list[Score]]:
    """Participation id → its leaves open to explanation (explanation_open_for)."""
    candidates = (
        Score.objects.filter(
            participation__year=year, appraisal_entries__round=AppraisalEntry.Round.FIRST
        )
        .exclude(appraisal_entries__status=AppraisalEntry.Status.AGREED)
        .select_related("criterion")
        .distinct()
    )
    found: dict[int, list[Score]] = {}
    for score in candidates:
        if explanation_open_for(score):
            found.setdefault(score.participation_id, []).append(score)
    return found


def _explanation_events(year: Year, at: datetime) -> Iterator[Event]:
    if not year.window_is_open("explanation", at):
        return
    disputed = disputed_scores(year)
    for participation in participations_of(year):
        scores = disputed.get(participation.pk)
        if not scores:
            continue
        yield Event(
            year,
            K.EXPLANATION_NEEDED,
            f"{year.year}:explanation_needed:{participation.unit.code}",
            unit_people(participation),
            lambda p=participation, s=scores: _explanation_message(year, p, s),
        )


def _explanation_message(year: Year, participation: Participation, scores) -> Message:
    scores = sorted(scores, key=lambda s: s.criterion.sort_key)
    return Message(
        f"{participation.name}: {len(scores)} tiêu chí cần giải trình (năm {year.year})",
        [
            f"Tổ thư ký đã điều chỉnh điểm hoặc đề nghị giải trình {len(scores)} tiêu chí của "
            f"{participation.name}. Thời gian giải trình: đến "
            f"{deadline_text(year.explanation_closes)}.",
            *listed([f"– {score.criterion}" for score in scores]),
        ],
        reverse("appraisal:explanations_home"),
    )


def _publication_events(year: Year, at: datetime) -> Iterator[Event]:
    if not year.is_published:
        return
    computation = (
        Computation.objects.filter(year=year, published_at__isnull=False)
        .order_by("-revision")
        .first()
    )
    if computation is None or not (at - PUBLICATION_TOLD_FOR <= computation.published_at <= at):
        return
    people = active_people(memberships__isnull=False)
    yield Event(
        year,
        K.PUBLISHED,
        f"{year.year}:published:{computation.revision}",
        people,
        lambda: _published_message(year, computation),
    )


def _published_message(year: Year, computation: Computation) -> Message:
    day = f"{computation.published_on:%d/%m/%Y}" if computation.published_on else ""
    if computation.revision == 1:
        title = f"Công bố Chỉ số CCHC năm {year.year}"
        lines = [f"Hội đồng đã công bố kết quả Chỉ số CCHC năm {year.year} ngày {day}."]
    else:
        title = (
            f"Công bố kết quả đính chính Chỉ số CCHC năm {year.year} (lần {computation.revision})"
        )
        lines = [
            f"Hội đồng đã công bố kết quả đính chính lần {computation.revision} ngày {day}.",
            f"Lý do đính chính: {computation.correction_reason}",
        ]
    lines.append("Bảng xếp hạng, kết quả từng đơn vị và các biểu mẫu xem tại trang kết quả.")
    return Message(title, lines, reverse("year_results", args=[year.year]))
