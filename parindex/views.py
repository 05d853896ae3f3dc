"""The audit trail for Sở Nội vụ: filter, read, export."""

import csv
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from kernel.models import AuditEvent
from units.access import role_required
from units.models import Membership

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value) -> str:
    """Spreadsheet programs run cells starting with = + - @ as formulas: quote them."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def audit_events(request):
    events = AuditEvent.objects.select_related("actor").order_by("-at", "-id")
    filters = {
        "year": request.GET.get("year", "").strip(),
        "unit": request.GET.get("unit", "").strip(),
        "action": request.GET.get("action", "").strip(),
    }
    if filters["year"].isdigit():
        events = events.filter(year=int(filters["year"]))
    if filters["unit"]:
        events = events.filter(unit_code__iexact=filters["unit"])
    if filters["action"]:
        events = events.filter(action=filters["action"])
    return events, filters


@role_required(Membership.Role.HOME_AFFAIRS)
def audit_log(request):
    events, filters = audit_events(request)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    actions = AuditEvent.objects.order_by("action").values_list("action", flat=True).distinct()
    query = urlencode({key: value for key, value in filters.items() if value})
    return render(
        request,
        "parindex/audit_log.html",
        {"page": page, "filters": filters, "actions": actions, "query": query},
    )


@role_required(Membership.Role.HOME_AFFAIRS)
def audit_export(request):
    events, _ = audit_events(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="nhat-ky-{stamp}.csv"'
    response.write("\ufeff")  # Excel reads UTF-8 with a byte-order mark
    writer = csv.writer(response)
    writer.writerow(
        [
            "Thời điểm",
            "Người thực hiện",
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
    )
    for event in events.iterator(chunk_size=2000):
        changes = event.changes.items() or [("", ["", ""])]
        for field, (old, new) in changes:
            writer.writerow(
                csv_safe(value)
                for value in (
                    timezone.localtime(event.at).strftime("%d/%m/%Y %H:%M:%S"),
                    event.actor.get_username() if event.actor else "",
                    event.action,
                    event.year or "",
                    event.unit_code,
                    event.object_type,
                    event.object_id,
                    field,
                    old,
                    new,
                    event.note,
                )
            )
    return response
