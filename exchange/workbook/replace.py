"""What a `--replace` would destroy, and what it keeps (INTERFACES §2: never silently).

The workbook holds a year's data (units, criteria, scores and notes, surveys, ballots), not
the work people do on its pages: evidence files and their links, submissions, requests,
delegations, assignments, appraisal rounds, explanations, the council's acknowledgements.
A replace that would delete any of that is refused, unless the source carries it over
intact (an archive carries its evidence files and explanations: `carried`).
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Q, QuerySet

from appraisal.models import AppraisalEntry, Assignment, Explanation, SurveyGapAcknowledgement
from criteria.models import Year
from evidence.models import EvidenceFile, Score, Submission
from surveys.ballots import location

from .year_data import YearData

# Kind → the words the refusal counts it in, in the order of the year's work.
WORK_WORDS = {
    "evidence_files": "tài liệu kiểm chứng",
    "evidence_links": "liên kết tài liệu với tiêu chí",
    "submissions": "bản tự đánh giá đã gửi",
    "not_applicable_requests": "đề nghị không áp dụng",
    "delegations": "tiêu chí đã giao cho cán bộ",
    "assignments": "phân công thẩm định",
    "appraisal_entries": "lượt thẩm định",
    "explanations": "giải trình",
    "survey_gaps": "ghi nhận tiêu chí điều tra không có phiếu",
}

# The stored year → how many of each kind the source carries over intact.
Carried = Callable[[Year], dict[str, int]]


def _work_querysets(year: Year) -> dict[str, QuerySet]:
    scores = Score.objects.filter(participation__year=year)
    return {
        "evidence_files": EvidenceFile.objects.filter(participation__year=year),
        "evidence_links": Score.evidence.through.objects.filter(score__participation__year=year),
        "submissions": Submission.objects.filter(participation__year=year),
        "not_applicable_requests": scores.filter(
            Q(not_applicable_requested=True) | ~Q(not_applicable_reason="")
        ),
        "delegations": scores.filter(delegated_to__isnull=False),
        "assignments": Assignment.objects.filter(year=year),
        "appraisal_entries": AppraisalEntry.objects.filter(score__participation__year=year),
        "explanations": Explanation.objects.filter(score__participation__year=year),
        "survey_gaps": SurveyGapAcknowledgement.objects.filter(participation__year=year),
    }


def year_work(year: Year) -> dict[str, int]:
    """How much of each kind of page work the year holds (kinds with none left out)."""
    counts = {kind: queryset.count() for kind, queryset in _work_querysets(year).items()}
    return {kind: count for kind, count in counts.items() if count}


def work_words(counts: dict[str, int]) -> str:
    """`12 tài liệu kiểm chứng, 15 phân công thẩm định`."""
    return ", ".join(
        f"{counts[kind]} {words}" for kind, words in WORK_WORDS.items() if kind in counts
    )


def replace_refusals(
    *, existing: Year, data: YearData, carried: Carried | None = None
) -> list[str]:
    """Why `existing` may not be replaced by `data`, as error lines (none: it may)."""
    errors = []
    lost = year_work(existing)
    if lost and carried is not None:
        kept = carried(existing)
        lost = {kind: n - kept.get(kind, 0) for kind, n in lost.items() if n > kept.get(kind, 0)}
    if lost:
        errors.append(
            location(
                "year",
                data.year_row,
                "value",
                f"năm {existing.year} đã có công việc mà tệp nhập không mang theo nguyên vẹn: "
                f"{work_words(lost)}; --replace sẽ xóa mất nên bị từ chối",
            )
        )
    if existing.status != Year.Status.DRAFT and data.status == Year.Status.PUBLISHED:
        errors.append(
            location(
                "year",
                data.key_rows.get("published_on", data.year_row),
                "value",
                f"năm {existing.year} đang ở giai đoạn '{existing.get_status_display()}': "
                "nhập lại không công bố được năm; Hội đồng công bố bằng nút Công bố "
                "(hoặc publish_year)",
            )
        )
    return errors


def replace_status(*, existing: Year, data: YearData) -> str:
    """A replace keeps the year's phase: the workbook knows only draft and published, so it
    decides only for a year still in draft (as a first import would)."""
    if existing.status == Year.Status.DRAFT:
        return data.status
    return existing.status
