"""What an archive carries over intact when it replaces a stored year: its evidence files
(unit, name, type, size, SHA-256), their links to leaves, and its explanations (leaf, note,
time, files). Everything else of the year's work no archive holds (`workbook/replace.py`)."""

from __future__ import annotations

from collections import Counter

from appraisal.models import Explanation
from criteria.models import Year
from evidence.models import EvidenceFile, Score

from ..workbook import Carried
from .evidence import EvidencePlan


def archive_carries(plan: EvidencePlan) -> Carried:
    """The stored year → how many of its files, links and explanations `plan` re-creates."""
    sha = {record.id: record.sha256 for record in plan.files}
    files = Counter((r.unit, r.original_name, r.kind, r.size, r.sha256) for r in plan.files)
    links = Counter((r.unit, r.sha256, code) for r in plan.files for code in r.criteria)
    explanations = Counter(
        (e.unit, e.criterion, e.note, e.at, tuple(sorted(sha[i] for i in e.files)))
        for e in plan.explanations
    )

    def carried(year: Year) -> dict[str, int]:
        return {
            "evidence_files": _common(files, _stored_files(year)),
            "evidence_links": _common(links, _stored_links(year)),
            "explanations": _common(explanations, _stored_explanations(year)),
        }

    return carried


def _common(archived: Counter, stored: Counter) -> int:
    return sum((archived & stored).values())


def _stored_files(year: Year) -> Counter:
    return Counter(
        EvidenceFile.objects.filter(participation__year=year).values_list(
            "participation__unit__code", "original_name", "kind", "size", "sha256"
        )
    )


def _stored_links(year: Year) -> Counter:
    return Counter(
        Score.evidence.through.objects.filter(score__participation__year=year).values_list(
            "score__participation__unit__code", "evidencefile__sha256", "score__criterion__code"
        )
    )


def _stored_explanations(year: Year) -> Counter:
    files: dict[int, list[str]] = {}
    for explanation_id, sha256 in Explanation.files.through.objects.filter(
        explanation__score__participation__year=year
    ).values_list("explanation_id", "evidencefile__sha256"):
        files.setdefault(explanation_id, []).append(sha256)
    return Counter(
        (unit, code, note, at, tuple(sorted(files.get(pk, []))))
        for pk, unit, code, note, at in Explanation.objects.filter(
            score__participation__year=year
        ).values_list(
            "pk", "score__participation__unit__code", "score__criterion__code", "note", "at"
        )
    )
