"""Sở Nội vụ's page to start a year from the one before (issue 15, Build 5): choose the
year to copy and the new year's number and name, see what will be copied, confirm; the
copy is exchange/next_year.py's, the same as `start_year`."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path

from appraisal.models import Assignment
from criteria.models import Criterion, Year
from surveys.models import Question
from units.access import role_required
from units.models import Membership

from .next_year import year_start_from


def copy_counts(previous: Year) -> list[tuple[str, int]]:
    participations = previous.participations
    return [
        ("khối", participations.values("block").distinct().count()),
        ("đơn vị tham gia", participations.count()),
        ("tiêu chí", Criterion.objects.filter(year=previous).count()),
        ("câu hỏi điều tra", Question.objects.filter(criterion__year=previous).count()),
        ("phân công thẩm định", Assignment.objects.filter(year=previous).count()),
    ]


def _read(post) -> tuple[Year | None, int | None, str, list[str]]:
    errors = []
    previous = (
        Year.objects.filter(year=post.get("previous") or 0).first()
        if (str(post.get("previous", "")).isdigit())
        else None
    )
    if previous is None:
        errors.append("Hãy chọn năm nguồn có trong hệ thống.")
    text = str(post.get("year", "")).strip()
    number = int(text) if text.isdigit() and len(text) == 4 else None
    if number is None:
        errors.append(f"Năm mới “{text}” không hợp lệ: nhập 4 chữ số, ví dụ 2026.")
    elif Year.objects.filter(year=number).exists():
        errors.append(f"Năm {number} đã có: không tạo lại.")
    elif previous is not None and number <= previous.year:
        errors.append(f"Năm mới ({number}) phải sau năm {previous.year}.")
    name = str(post.get("name", "")).strip()
    if len(name) > Year._meta.get_field("name").max_length:
        errors.append("Tên đợt đánh giá dài quá 300 ký tự.")
    return previous, number, name, errors


@role_required(Membership.Role.HOME_AFFAIRS)
def start_year(request):
    years = list(Year.objects.order_by("-year"))
    context = {"years": years, "data": request.POST or {}}
    if request.method == "POST":
        previous, number, name, errors = _read(request.POST)
        if errors:
            context["errors"] = errors
            return render(request, "exchange/start_year.html", context, status=400)
        if request.POST.get("step") == "confirm":
            try:
                new = year_start_from(previous=previous, year=number, name=name, by=request.user)
            except ValidationError as error:
                context["errors"] = error.messages
                return render(request, "exchange/start_year.html", context, status=400)
            messages.success(
                request,
                f"Đã tạo năm {new.year} từ năm {previous.year}. Hãy điều chỉnh bộ chỉ số và "
                "đặt thời gian trước khi mở tự đánh giá.",
            )
            return redirect("criteria:tree_home", year=new.year)
        context.update(
            preview=True,
            previous=previous,
            number=number,
            name=name or previous.name.replace(str(previous.year), str(number)),
            counts=copy_counts(previous),
        )
    return render(request, "exchange/start_year.html", context)


urlpatterns = [path("bat-dau/", start_year, name="start_year")]
