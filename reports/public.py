"""Public pages (published rankings, each unit's page) and every role's home page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from appraisal.models import AppraisalEntry, BlockResult, UnitResult
from appraisal.revisions import computation_shown, published_revisions, revision_param
from appraisal.services.explanations import explanation_open_for
from appraisal.services.publication import publication_gaps
from criteria.models import Participation, Year
from evidence.models import Score, Submission
from evidence.selectors import self_assessment_progress
from kernel.ordering import unit_code_key
from surveys.confidence import ranking_noise
from units.access import is_province_staff, roles_of, units_of
from units.models import Membership

from . import formatting as fmt
from .public_charts import history_line, ranking_bars, sipas_bars

R = Membership.Role


def visible_years(user):
    years = Year.objects.filter(computation__isnull=False)
    if not is_province_staff(user):
        years = years.filter(status__in=Year.PUBLISHED_STATUSES)
    return years.distinct().order_by("-year")


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


P = Year.Phase


def unit_tasks(user, year: Year, phase: str) -> list[Task]:
    """What a unit's officer or head does next, in every phase of the year."""
    participations = Participation.objects.filter(
        year=year, unit_id__in=units_of(user, R.UNIT_OFFICER, R.UNIT_HEAD)
    ).select_related("unit", "block")
    return [_unit_task(participation, year, phase) for participation in participations]


def _unit_task(participation: Participation, year: Year, phase: str) -> Task:
    if phase == P.EXPLANATION:
        disputed = sum(
            explanation_open_for(score)
            for score in Score.objects.filter(participation=participation)
        )
        detail = (
            f"{disputed} tiêu chí được Tổ thư ký điều chỉnh hoặc đề nghị giải trình."
            if disputed
            else "Không có tiêu chí nào cần giải trình."
        )
        return Task(
            f"Giải trình kết quả thẩm định: {participation.name}",
            detail,
            url_or_none("appraisal:explanations_home"),
            year.explanation_closes,
        )
    if phase in (P.APPRAISAL, P.REVIEW):
        detail = (
            "Tổ thư ký đang thẩm định bản tự đánh giá của đơn vị."
            if phase == P.APPRAISAL
            else "Hội đồng đang xem xét kết quả; đơn vị chờ công bố."
        )
        return Task(f"Chờ kết quả: {participation.name}", detail, url_or_none("evidence:home"))
    return _self_assessment_task(participation, year)


def _self_assessment_task(participation: Participation, year: Year) -> Task:
    scored, total = self_assessment_progress(participation)
    if Submission.objects.filter(participation=participation).exists():
        detail = "Đã gửi bản tự đánh giá; có thể rút lại để sửa khi còn thời hạn."
    else:
        detail = (
            f"Đã chấm {scored}/{total} tiêu chí thành phần; thủ trưởng đơn vị gửi khi hoàn tất."
        )
    return Task(
        f"Tự đánh giá, chấm điểm: {participation.name}",
        detail,
        url_or_none("evidence:home"),
        year.self_assessment_closes,
    )


def awaiting_final_score(year: Year) -> int:
    """Leaves a unit explained that have no round-2 (final) appraisal yet."""
    return (
        Score.objects.filter(participation__year=year, explanations__isnull=False)
        .exclude(appraisal_entries__round=AppraisalEntry.Round.FINAL)
        .distinct()
        .count()
    )


def staff_tasks(roles: set[str], year: Year, phase: str) -> list[Task]:
    tasks = []
    if roles & {R.APPRAISER, R.SECRETARIAT_LEAD}:
        tasks.append(_appraisal_task(year, phase))
    if roles & {R.COUNCIL, R.HOME_AFFAIRS, R.SECRETARIAT_LEAD}:
        if phase == P.REVIEW:
            gaps = len(publication_gaps(year))
            detail = (
                f"Còn {gaps} tiêu chí chưa hoàn tất: chưa thể công bố."
                if gaps
                else "Đã thẩm định đủ: tính lại chỉ số, xem xét và công bố."
            )
        else:
            detail = f"Năm {year.year}: {year.phase_label().lower()}."
        tasks.append(
            Task("Xem xét, phê duyệt và công bố kết quả", detail, url_or_none("appraisal:council"))
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


def _appraisal_task(year: Year, phase: str) -> Task:
    url = url_or_none("appraisal:queue")
    if phase == P.EXPLANATION:
        return Task(
            "Thẩm định: chờ đơn vị giải trình",
            "Vòng 2 (điểm cuối cùng) mở khi thời gian giải trình kết thúc.",
            url,
            year.explanation_closes,
        )
    if phase == P.REVIEW:
        waiting = awaiting_final_score(year)
        detail = (
            f"{waiting} tiêu chí đơn vị đã giải trình chờ chấm điểm cuối cùng."
            if waiting
            else "Không còn tiêu chí nào chờ chấm vòng 2."
        )
        return Task("Thẩm định vòng 2 (sau giải trình)", detail, url)
    if phase in (P.DRAFT, P.SELF_ASSESSMENT):
        return Task(
            "Thẩm định kết quả tự đánh giá",
            "Mở khi đơn vị đã tự đánh giá xong.",
            url,
            year.appraisal_closes,
        )
    return Task(
        "Thẩm định kết quả tự đánh giá",
        "Các lĩnh vực được phân công, đối chiếu với tài liệu kiểm chứng.",
        url,
        year.appraisal_closes,
    )


def home(request):
    years = list(visible_years(request.user))
    roles = roles_of(request.user)
    current = Year.objects.exclude(status__in=Year.PUBLISHED_STATUSES).order_by("-year").first()
    tasks: list[Task] = []
    phase = current.phase() if current is not None else None
    if current is not None and roles:
        tasks = unit_tasks(request.user, current, phase) + staff_tasks(roles, current, phase)
    return render(
        request,
        "reports/home.html",
        {
            "years": years,
            "current": current,
            "phase": Year.Phase(phase).label if phase else "",
            "tasks": tasks,
            "now": timezone.now(),
        },
    )


def year_or_404(user, year: int) -> Year:
    year_obj = get_object_or_404(Year, year=year)
    if year_obj not in visible_years(user):
        raise Http404
    return year_obj


def survey_noise(year: Year, fingerprint: str, blocks: dict) -> set[str]:
    """Codes of units whose gap to the unit ranked just above lies within the survey's
    95 % noise (surveys/confidence.py), cached per results fingerprint."""
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


def shown_revision(request, year_obj: Year):
    """(the computation this reader sees, the revisions published, the one that replaced
    it if it is an earlier one) — DOMAIN §9: an earlier revision stays readable."""
    computation = computation_shown(
        year_obj, decides=is_province_staff(request.user), revision=revision_param(request)
    )
    if computation is None:
        raise Http404
    revisions = published_revisions(year_obj)
    later = [r for r in revisions if r.revision > computation.revision]
    return computation, revisions, later[-1] if later else None


def year_results(request, year: int):
    year_obj = year_or_404(request.user, year)
    computation, revisions, replaced_by = shown_revision(request, year_obj)
    results = (
        UnitResult.objects.filter(computation=computation)
        .select_related("participation__block", "participation__unit")
        .order_by("participation__block__code", "rank", "participation__unit__code")
    )
    blocks: dict = {}
    for result in results:
        blocks.setdefault(result.participation.block, []).append(result)
    within_noise = survey_noise(year_obj, computation.fingerprint, blocks)
    for block_results in blocks.values():
        for result in block_results:
            result.within_noise = result.participation.unit.code in within_noise
            result.lineage = change_words(result)
    sections = [
        (
            block,
            block_results,
            mark_safe(  # noqa: S308 - built by ranking_bars, which escapes every label
                ranking_bars(
                    [(r.participation.name, r.index, r.band, r.band_name) for r in block_results],
                    title=f"Chỉ số CCHC năm {year_obj.year} – khối {block.code}: {block.name}",
                )
            ),
        )
        for block, block_results in sorted(blocks.items(), key=lambda item: item[0].code)
    ]
    shown = [r for rows in blocks.values() for r in rows]
    return render(
        request,
        "reports/year_results.html",
        {
            "year": year_obj,
            "province": fmt.province_title(fmt.province_of(year_obj)),
            "blocks": sections,
            "has_lineage": fmt.has_lineage(shown),
            "has_sipas": any(r.sipas_index is not None for r in shown),
            "computation": computation,
            "revisions": revisions,
            "replaced_by": replaced_by,
        },
    )


def change_words(result: UnitResult) -> str:
    """`+1,20 điểm (hợp nhất từ … (năm 2022))`, or `Đơn vị mới`: a ranking's cell."""
    if result.index_change is None:
        return fmt.NEW_UNIT
    phrase = fmt.predecessors_phrase(result.predecessors or [])
    words = f"{fmt.change(result.index_change)} điểm"
    return f"{words} ({phrase})" if phrase else words


def sipas_results(request, year: int):
    """The satisfaction index (SIPAS, DOMAIN §8) per block beside the PAR ranking, with the
    blocks' and the province's pooled figures and their 95 % intervals."""
    year_obj = year_or_404(request.user, year)
    computation, revisions, replaced_by = shown_revision(request, year_obj)
    results = (
        UnitResult.objects.filter(computation=computation, sipas_index__isnull=False)
        .select_related("participation__block", "participation__unit")
        .order_by("participation__block__code", "sipas_rank", "participation__unit__code")
    )
    pooled = {
        row.block_id: row
        for row in BlockResult.objects.filter(computation=computation).select_related("block")
    }
    grouped: dict = {
        row.block: []
        for row in pooled.values()
        if row.block is not None and row.sipas_index is not None
    }
    for result in results:
        grouped.setdefault(result.participation.block, []).append(result)
    province = pooled.get(None)
    if not grouped and (province is None or province.sipas_index is None):
        raise Http404  # a year before DOMAIN §8: no SIPAS figures to show
    sections = []
    for block, rows in sorted(grouped.items(), key=lambda item: item[0].code):
        rows.sort(key=lambda r: (r.sipas_rank or 0, unit_code_key(r.participation.unit.code)))
        figure = pooled.get(block.pk)
        whole = (
            ("Cả khối", figure.sipas_index, figure.sipas_low, figure.sipas_high)
            if figure is not None and figure.sipas_index is not None
            else None
        )
        chart = sipas_bars(
            [(r.participation.name, r.sipas_index, r.sipas_low, r.sipas_high) for r in rows],
            title=f"Chỉ số hài lòng năm {year_obj.year} – khối {block.code}: {block.name}",
            pooled=whole,
        )
        sections.append((block, figure, rows, mark_safe(chart)))  # noqa: S308 - escaped
    return render(
        request,
        "reports/sipas_results.html",
        {
            "year": year_obj,
            "province": fmt.province_title(fmt.province_of(year_obj)),
            "province_figure": province if province and province.sipas_index is not None else None,
            "blocks": sections,
            "computation": computation,
            "revisions": revisions,
            "replaced_by": replaced_by,
        },
    )


def unit_results(request, year: int, code: str):
    year_obj = year_or_404(request.user, year)
    computation, revisions, replaced_by = shown_revision(request, year_obj)
    result = get_object_or_404(
        UnitResult.objects.select_related("participation__block", "participation__unit"),
        computation=computation,
        participation__unit__code=code,
    )
    areas = result.areas.select_related("criterion").order_by("criterion__sort_key")
    decides = is_province_staff(request.user)
    shown = [computation_shown(y, decides=decides) for y in visible_years(request.user)]
    history = (
        UnitResult.objects.filter(
            participation__unit=result.participation.unit,
            computation__in=[c for c in shown if c is not None and c.year_id != year_obj.pk]
            + [computation],
        )
        .select_related("computation__year")
        .order_by("computation__year__year")
    )
    block_size = UnitResult.objects.filter(
        computation=computation, participation__block=result.participation.block
    ).aggregate(n=Count("id"))["n"]
    area_rows = list(areas)
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
            "areas": area_rows,
            "province": fmt.province_title(fmt.province_of(year_obj)),
            "head_title": fmt.head_title(result.participation, "thủ trưởng"),
            "band_text": result.band_name,
            # a unit with nothing to compare with is "new" only in a year that compares
            "has_lineage": fmt.has_lineage([result])
            or UnitResult.objects.filter(
                computation=computation, index_change__isnull=False
            ).exists(),
            "lineage": fmt.lineage_text(
                result.participation.name, result.predecessors or [], result.index_change
            ),
            "history": history,
            "block_size": block_size,
            "history_chart": mark_safe(chart),  # noqa: S308 - escaped by history_line
            "computation": computation,
            "revisions": revisions,
            "replaced_by": replaced_by,
        },
    )
