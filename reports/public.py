"""Public pages (published rankings, each unit's page) and every role's home page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from appraisal.models import UnitResult
from criteria.models import Criterion, Participation, Year
from evidence.models import Score, Submission
from surveys.confidence import ranking_noise
from units.access import is_province_staff, roles_of, units_of
from units.models import Membership

from .public_charts import history_line, ranking_bars

R = Membership.Role


def visible_years(user):
    years = Year.objects.filter(computation__isnull=False)
    if not is_province_staff(user):
        years = years.filter(status=Year.Status.PUBLISHED)
    return years.order_by("-year")


@dataclass
class Task:
    """One thing a person must do next, with its deadline."""

    title: str
    detail: str
    url: str | None = None
    deadline: datetime | None = None

    @property
    def deadline_text(self) -> str:
        """'24:00 ngày 10/01/2023', as the regulations write a window that ends at midnight."""
        if self.deadline is None:
            return ""
        local = timezone.localtime(self.deadline)
        if (local.hour, local.minute) == (0, 0):
            return f"24:00 ngày {local - timedelta(days=1):%d/%m/%Y}"
        return f"{local:%H:%M} ngày {local:%d/%m/%Y}"

    @property
    def time_left(self) -> str:
        """'10 ngày 3 giờ', '5 giờ 12 phút', '8 phút' (Django's vi locale has no weeks)."""
        if self.deadline is None or self.is_late:
            return ""
        minutes = int((self.deadline - timezone.now()).total_seconds() // 60)
        days, rest = divmod(minutes, 24 * 60)
        hours, minutes = divmod(rest, 60)
        if days:
            return f"{days} ngày {hours} giờ" if hours else f"{days} ngày"
        if hours:
            return f"{hours} giờ {minutes} phút"
        return f"{max(minutes, 1)} phút"

    @property
    def is_late(self) -> bool:
        return self.deadline is not None and self.deadline <= timezone.now()


def url_or_none(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def unit_tasks(user, year: Year) -> list[Task]:
    tasks = []
    participations = Participation.objects.filter(
        year=year, unit_id__in=units_of(user, R.UNIT_OFFICER, R.UNIT_HEAD)
    ).select_related("unit")
    leaves = Criterion.objects.filter(
        year=year, is_leaf=True, method=Criterion.Method.EVIDENCE, kind=Criterion.Kind.NORMAL
    )
    for participation in participations:
        total = leaves.filter(block=participation.block).count()
        scored = (
            Score.objects.filter(participation=participation, criterion__in=leaves)
            .filter(Q(self_score__isnull=False) | Q(not_applicable_requested=True))
            .count()
        )
        submitted = Submission.objects.filter(participation=participation).exists()
        if submitted:
            detail = "Đã gửi bản tự đánh giá; có thể rút lại để sửa khi còn thời hạn."
        else:
            detail = (
                f"Đã chấm {scored}/{total} tiêu chí thành phần; thủ trưởng đơn vị gửi khi hoàn tất."
            )
        tasks.append(
            Task(
                f"Tự đánh giá, chấm điểm: {participation.name}",
                detail,
                url_or_none("evidence:home"),
                year.self_assessment_closes,
            )
        )
    return tasks


def staff_tasks(roles: set[str], year: Year) -> list[Task]:
    tasks = []
    if roles & {R.APPRAISER, R.SECRETARIAT_LEAD}:
        tasks.append(
            Task(
                "Thẩm định kết quả tự đánh giá",
                "Các lĩnh vực được phân công, đối chiếu với tài liệu kiểm chứng.",
                url_or_none("appraisal:queue"),
                year.appraisal_closes,
            )
        )
    if roles & {R.COUNCIL, R.HOME_AFFAIRS, R.SECRETARIAT_LEAD}:
        tasks.append(
            Task(
                "Xem xét, phê duyệt và công bố kết quả",
                f"Năm {year.year}: {year.get_status_display().lower()}.",
                url_or_none("appraisal:council"),
            )
        )
    if R.HOME_AFFAIRS in roles:
        ballots = year.ballots.count()
        tasks.append(
            Task(
                "Nhập phiếu điều tra xã hội học",
                f"Đã nhập {ballots} phiếu cho năm {year.year}.",
                url_or_none("surveys:dashboard", year.year),
            )
        )
    return tasks


def home(request):
    years = list(visible_years(request.user))
    roles = roles_of(request.user)
    current = Year.objects.exclude(status=Year.Status.PUBLISHED).order_by("-year").first()
    tasks: list[Task] = []
    if current is not None and roles:
        tasks = unit_tasks(request.user, current) + staff_tasks(roles, current)
    return render(
        request,
        "reports/home.html",
        {"years": years, "current": current, "tasks": tasks, "now": timezone.now()},
    )


def year_or_404(user, year: int) -> Year:
    year_obj = get_object_or_404(Year, year=year)
    if year_obj not in visible_years(user):
        raise Http404
    return year_obj


def survey_noise(year: Year, blocks: dict) -> set[str]:
    """Codes of units whose gap to the unit ranked just above lies within the survey's
    95 % noise (surveys/confidence.py), cached per results fingerprint."""
    fingerprint = year.computation.fingerprint
    key = f"ranking-noise:{year.year}:{fingerprint}"
    marked = cache.get(key)
    if marked is None:
        ranking = {
            block.code: [
                (r.participation.unit.code, r.index, Decimal(100) / r.max_points)
                for r in block_results
                if r.max_points
            ]
            for block, block_results in blocks.items()
        }
        marked = {
            pair.lower
            for pairs in ranking_noise(year, ranking=ranking).values()
            for pair in pairs
            if pair.within_noise
        }
        cache.set(key, marked, 24 * 3600)
    return marked


def year_results(request, year: int):
    year_obj = year_or_404(request.user, year)
    results = (
        UnitResult.objects.filter(computation__year=year_obj)
        .select_related("participation__block", "participation__unit")
        .order_by("participation__block__code", "rank", "participation__unit__code")
    )
    blocks: dict = {}
    for result in results:
        blocks.setdefault(result.participation.block, []).append(result)
    within_noise = survey_noise(year_obj, blocks)
    for block_results in blocks.values():
        for result in block_results:
            result.within_noise = result.participation.unit.code in within_noise
    sections = [
        (
            block,
            block_results,
            mark_safe(  # noqa: S308 - built by ranking_bars, which escapes every label
                ranking_bars(
                    [(r.participation.name, r.index, r.band) for r in block_results],
                    title=f"Chỉ số CCHC năm {year_obj.year} – khối {block.code}",
                )
            ),
        )
        for block, block_results in sorted(blocks.items(), key=lambda item: item[0].code)
    ]
    return render(request, "reports/year_results.html", {"year": year_obj, "blocks": sections})


def unit_results(request, year: int, code: str):
    year_obj = year_or_404(request.user, year)
    result = get_object_or_404(
        UnitResult.objects.select_related("participation__block", "participation__unit"),
        computation__year=year_obj,
        participation__unit__code=code,
    )
    areas = result.areas.select_related("criterion").order_by("criterion__sort_key")
    history = (
        UnitResult.objects.filter(
            participation__unit=result.participation.unit,
            computation__year__in=visible_years(request.user),
        )
        .select_related("computation__year")
        .order_by("computation__year__year")
    )
    block_size = UnitResult.objects.filter(
        computation__year=year_obj, participation__block=result.participation.block
    ).aggregate(n=Count("id"))["n"]
    chart = history_line(
        [(h.computation.year.year, h.index, h.rank) for h in history],
        title=f"{result.participation.name}: chỉ số qua các năm",
    )
    return render(
        request,
        "reports/unit_results.html",
        {
            "year": year_obj,
            "result": result,
            "areas": areas,
            "history": history,
            "block_size": block_size,
            "history_chart": mark_safe(chart),  # noqa: S308 - escaped by history_line
        },
    )
