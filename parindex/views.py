"""The audit trail for Sở Nội vụ: filter, read, export."""

import csv
import io
from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from appraisal.models import AppraisalEntry, Explanation, SurveyGapAcknowledgement
from appraisal.templatetags.appraisal_format import vi_name
from criteria.models import Criterion
from evidence.models import Score
from kernel.models import AuditEvent
from kernel.sheets import csv_safe, write_only_cell
from surveys.models import Answer, Question
from units.access import role_required
from units.models import Membership, Unit

from .audit_words import ACTIONS, action_words, event_rows

FILTERS = ("year", "unit", "person", "criterion", "action", "date_from", "date_to")

# The objects that belong to one criterion, and the path from each to its code.
CRITERION_OBJECTS = {
    Score: "criterion__code",
    Criterion: "code",
    AppraisalEntry: "score__criterion__code",
    Explanation: "score__criterion__code",
    SurveyGapAcknowledgement: "criterion__code",
    Answer: "criterion__code",
    Question: "criterion__code",
}


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _criterion_filter(code: str) -> Q:
    """Events about a criterion: its own rows (scores, appraisals…) and the evidence events,
    whose note starts with the criterion's code."""
    match = Q(note=code) | Q(note__startswith=f"{code}:") | Q(note__startswith=f"{code},")
    for model, path in CRITERION_OBJECTS.items():
        ids = model.objects.filter(**{path: code}).annotate(audit_object_id=Cast("pk", CharField()))
        match |= Q(object_type=model._meta.label, object_id__in=ids.values("audit_object_id"))
    return match


def audit_events(request):
    events = AuditEvent.objects.select_related("actor").order_by("-at", "-id")
    filters = {key: request.GET.get(key, "").strip() for key in FILTERS}
    if filters["year"].isdigit():
        events = events.filter(year=int(filters["year"]))
    if filters["unit"]:
        events = events.filter(unit_code__iexact=filters["unit"])
    if filters["person"].isdigit():
        events = events.filter(actor_id=int(filters["person"]))
    if filters["criterion"]:
        events = events.filter(_criterion_filter(filters["criterion"]))
    if filters["action"]:
        events = events.filter(action=filters["action"])
    if day := _day(filters["date_from"]):
        events = events.filter(at__gte=_day_start(day))
    if day := _day(filters["date_to"]):
        events = events.filter(at__lt=_day_start(day + timedelta(days=1)))
    return events, filters


def _choices():
    """What the filters offer: the actions, people and units the trail holds."""
    recorded = AuditEvent.objects.order_by().values_list("action", flat=True).distinct()
    actions = sorted(
        ((code, action_words(code)) for code in set(recorded) | set(ACTIONS)),
        key=lambda item: item[1],
    )
    actor_ids = AuditEvent.objects.order_by().values("actor_id").distinct()
    people = sorted(
        (
            (str(person.pk), vi_name(person))
            for person in get_user_model().objects.filter(pk__in=actor_ids)
        ),
        key=lambda item: item[1],
    )
    units = Unit.objects.order_by("code").values_list("code", "name")
    return {"actions": actions, "people": people, "units": units}


@role_required(Membership.Role.HOME_AFFAIRS)
def audit_log(request):
    events, filters = audit_events(request)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = urlencode({key: value for key, value in filters.items() if value})
    context = {"page": page, "rows": event_rows(page.object_list), "filters": filters}
    return render(request, "parindex/audit_log.html", context | {"query": query} | _choices())


CSV_HEADER = [
    "Thời điểm",
    "Người thực hiện",
    "Tài khoản",
    "Hành động",
    "Năm",
    "Đơn vị",
    "Đối tượng",
    "Mã",
    "Trường",
    "Cũ",
    "Mới",
    "Ghi chú",
]


def _csv_lines(events, *, safe: bool = True):
    for start in range(0, events.count(), 500):
        for row in event_rows(events[start : start + 500]):
            event = row.event
            head = [
                timezone.localtime(event.at).strftime("%d/%m/%Y %H:%M:%S"),
                row.actor,
                event.actor.get_username() if event.actor else "",
                row.action,
                event.year or "",
                event.unit_code,
                row.subject,
                event.object_id,
            ]
            for change in row.changes or [None]:
                values = [change.field, change.old, change.new] if change else ["", "", ""]
                line = [*head, *values, event.note]
                yield [csv_safe(value) for value in line] if safe else line


@role_required(Membership.Role.HOME_AFFAIRS)
def audit_export(request):
    """The filtered trail as CSV for a Vietnamese Excel: `;` between fields (a vi-VN list
    separator: values keep their decimal comma, 1,5), UTF-8 with a byte-order mark."""
    events, _ = audit_events(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="nhat-ky-{stamp}.csv"'
    response.write("\ufeff")  # Excel reads UTF-8 with a byte-order mark
    writer = csv.writer(response, delimiter=";")
    writer.writerow(CSV_HEADER)
    writer.writerows(_csv_lines(events))
    return response


@role_required(Membership.Role.HOME_AFFAIRS)
def audit_export_xlsx(request):
    """The filtered trail as an .xlsx workbook: text cells (never a formula), times as times."""
    from openpyxl import Workbook

    events, _ = audit_events(request)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Nhật ký")
    sheet.append([write_only_cell(sheet, title) for title in CSV_HEADER])
    for line in _csv_lines(events, safe=False):
        moment = datetime.strptime(line[0], "%d/%m/%Y %H:%M:%S")
        sheet.append([moment, *(write_only_cell(sheet, value) for value in line[1:])])
    buffer = io.BytesIO()
    workbook.save(buffer)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="nhat-ky-{stamp}.xlsx"'
    return response
