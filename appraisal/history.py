"""What the appraiser and the unit both see of one leaf: its appraisals and explanations in
one time line, and every file on it (the unit's evidence, then what explanations added)."""

from __future__ import annotations

from evidence.models import EvidenceFile


def history_of(entries, explanations) -> list[tuple[str, object]]:
    """Entries and explanations in one time line."""
    items = [("entry", e) for e in entries] + [("explanation", x) for x in explanations]
    return sorted(items, key=lambda item: (item[1].at, item[0] == "explanation"))


def evidence_files_of(score, explanations) -> list[EvidenceFile]:
    files = list(score.evidence.order_by("uploaded_at", "pk")) if score else []
    for explanation in explanations:
        files.extend(f for f in explanation.files.all() if f not in files)
    return files
