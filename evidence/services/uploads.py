"""Evidence files: every file is stored by `evidence_store` (the type sniffed from the
content and the SHA-256 by `evidence_check` first, the name cleaned), then attached to leaves,
reused, detached or replaced by a new version."""

from __future__ import annotations

import os
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from criteria.models import Criterion, Participation
from evidence.access import leaf_scope
from evidence.files import evidence_check
from evidence.models import EvidenceFile, Score

from .common import editable_check, leaf_check, score_locked, unit_audit


def evidence_store(
    *, participation: Participation, uploaded_file, checked: tuple[str, str, int], by, replaces=None
) -> EvidenceFile:
    """Write one upload that `evidence_check` has passed (`checked` is its result)."""
    kind, sha256, size = checked
    # Shown in pages and sent back in Content-Disposition: printable characters only.
    name = "".join(ch for ch in os.path.basename(uploaded_file.name or "") if ch.isprintable())
    name = name.strip()[-255:] or f"tai-lieu.{kind}"
    return EvidenceFile.objects.create(
        participation=participation,
        file=uploaded_file,
        original_name=name,
        kind=kind,
        size=size,
        sha256=sha256,
        uploaded_by=by,
        replaces=replaces,
    )


def current_files(participation: Participation):
    """The unit's files that have not been replaced by a newer version."""
    return EvidenceFile.objects.filter(participation=participation, replaced_by__isnull=True)


def evidence_upload(
    *,
    participation: Participation,
    criterion: Criterion,
    uploaded_file,
    by,
    at: datetime | None = None,
) -> EvidenceFile:
    """Store an uploaded file (type sniffed from content, ≤ 20 MB) and attach it to a leaf.

    A file with the same content already uploaded by the unit is reused, not stored twice.
    """
    leaf_check(participation=participation, criterion=criterion, by=by)
    editable_check(participation=participation, at=at)
    checked = kind, sha256, size = evidence_check(uploaded_file)
    with transaction.atomic():
        editable_check(participation=participation, at=at)
        score = score_locked(participation=participation, criterion=criterion)
        existing = current_files(participation).filter(sha256=sha256, size=size).first()
        if existing is not None:
            score.evidence.add(existing)
            unit_audit(
                by=by,
                action="evidence_link",
                participation=participation,
                obj=existing,
                note=f"{criterion.code}: {existing.original_name} (tệp đã có, dùng lại)",
            )
            return existing
        stored = evidence_store(
            participation=participation, uploaded_file=uploaded_file, checked=checked, by=by
        )
        score.evidence.add(stored)
        unit_audit(
            by=by,
            action="evidence_upload",
            participation=participation,
            obj=stored,
            changes={"sha256": (None, sha256), "size": (None, size), "kind": (None, kind)},
            note=f"{criterion.code}: {stored.original_name}",
        )
    return stored


def _own_current_file(participation: Participation, evidence_file: EvidenceFile) -> None:
    if evidence_file.participation_id != participation.pk:
        raise ValidationError("Tệp không thuộc đơn vị.")
    if EvidenceFile.objects.filter(replaces=evidence_file).exists():
        raise ValidationError(
            f"Tệp '{evidence_file.original_name}' đã được thay bằng phiên bản mới."
        )


def evidence_link(
    *,
    participation: Participation,
    criterion: Criterion,
    evidence_file: EvidenceFile,
    by,
    at: datetime | None = None,
) -> Score:
    """Reuse a file the unit has already uploaded as evidence for another leaf."""
    leaf_check(participation=participation, criterion=criterion, by=by)
    _own_current_file(participation, evidence_file)
    with transaction.atomic():
        editable_check(participation=participation, at=at)
        score = score_locked(participation=participation, criterion=criterion)
        if score.evidence.filter(pk=evidence_file.pk).exists():
            raise ValidationError(f"Tệp '{evidence_file.original_name}' đã gắn với tiêu chí này.")
        score.evidence.add(evidence_file)
        unit_audit(
            by=by,
            action="evidence_link",
            participation=participation,
            obj=evidence_file,
            note=f"{criterion.code}: {evidence_file.original_name}",
        )
    return score


def evidence_unlink(
    *,
    participation: Participation,
    criterion: Criterion,
    evidence_file: EvidenceFile,
    by,
    at: datetime | None = None,
) -> Score:
    """Detach a file from a leaf; the file itself is kept."""
    leaf_check(participation=participation, criterion=criterion, by=by)
    with transaction.atomic():
        editable_check(participation=participation, at=at)
        score = score_locked(participation=participation, criterion=criterion)
        if not score.evidence.filter(pk=evidence_file.pk).exists():
            raise ValidationError("Tệp không gắn với tiêu chí này.")
        score.evidence.remove(evidence_file)
        unit_audit(
            by=by,
            action="evidence_unlink",
            participation=participation,
            obj=evidence_file,
            note=f"{criterion.code}: {evidence_file.original_name}",
        )
    return score


def evidence_replace(
    *,
    participation: Participation,
    evidence_file: EvidenceFile,
    uploaded_file,
    by,
    at: datetime | None = None,
) -> EvidenceFile:
    """Upload a new version of a file: every leaf using it moves to the new version; the
    old version keeps its row and bytes."""
    _own_current_file(participation, evidence_file)
    scores = list(evidence_file.scores.select_related("criterion"))
    scope = leaf_scope(by, participation)
    # A colleague given some leaves may not version a file that is on no leaf of theirs.
    if scope is not None and (not scores or any(s.criterion_id not in scope for s in scores)):
        raise ValidationError(
            "Tệp này còn dùng cho tiêu chí không được giao cho anh/chị; "
            "đề nghị cán bộ đầu mối thay thế."
        )
    editable_check(participation=participation, at=at)
    checked = evidence_check(uploaded_file)
    with transaction.atomic():
        editable_check(participation=participation, at=at)
        new = evidence_store(
            participation=participation,
            uploaded_file=uploaded_file,
            checked=checked,
            by=by,
            replaces=evidence_file,
        )
        for score in scores:
            score.evidence.remove(evidence_file)
            score.evidence.add(new)
        unit_audit(
            by=by,
            action="evidence_replace",
            participation=participation,
            obj=new,
            changes={
                "file": (evidence_file.pk, new.pk),
                "sha256": (evidence_file.sha256, new.sha256),
            },
            note=f"{evidence_file.original_name} → {new.original_name} "
            f"({', '.join(s.criterion.code for s in scores) or 'không gắn tiêu chí'})",
        )
    return new
