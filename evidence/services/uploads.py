"""Evidence files: every file is stored by `evidence_store` (the type sniffed from the
content and the SHA-256 by `evidence_check` first, the name cleaned), then attached to leaves,
reused, detached or replaced by a new version."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from criteria.models import Criterion, Participation
from evidence.access import leaf_scope
from evidence.files import evidence_check
from evidence.models import EvidenceFile, Score
from kernel.audit import audit_record
from kernel.text import size_text

from .common import editable_check, leaf_check, score_locked, unit_audit


class UploadRateExceeded(ValidationError):
    """More uploads by one person than EVIDENCE_UPLOAD_RATE allows (the page answers 429)."""

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


def quota_usage(participation: Participation) -> tuple[int, int]:
    """(bytes the unit stores for the year, its quota): identical files count once."""
    stored = dict(
        EvidenceFile.objects.filter(participation=participation).values_list("sha256", "size")
    )
    return sum(stored.values()), settings.EVIDENCE_QUOTA_BYTES


def quota_check(*, participation: Participation, sha256: str, size: int, name: str) -> None:
    """Refuse a file that would take the unit past its yearly quota (taken under a lock on
    the unit's participation, so two uploads cannot both pass)."""
    # Only the participation's own row (`of`, no ordering joins): a join to the year would
    # lock the year's row FOR UPDATE and deadlock with the writes sharing it.
    Participation.objects.select_for_update(of=("self",), no_key=True).filter(
        pk=participation.pk
    ).order_by().first()
    if EvidenceFile.objects.filter(participation=participation, sha256=sha256).exists():
        return  # stored already: costs nothing more
    used, quota = quota_usage(participation)
    if used + size > quota:
        raise ValidationError(
            f"Không lưu được '{name}' ({size_text(size)}): đơn vị đã dùng {size_text(used)} / "
            f"{size_text(quota)} dung lượng tài liệu kiểm chứng của năm "
            f"{participation.year.year}. Gỡ bớt tệp không còn dùng hoặc liên hệ Sở Nội vụ."
        )


def upload_rate_check(*, by, at: datetime | None = None) -> None:
    """Refuse a person's upload past EVIDENCE_UPLOAD_RATE = (files, seconds), sliding."""
    limit, seconds = settings.EVIDENCE_UPLOAD_RATE
    since = (at or timezone.now()) - timedelta(seconds=seconds)
    recent = list(
        EvidenceFile.objects.filter(uploaded_by=by, uploaded_at__gte=since)
        .order_by("-uploaded_at")
        .values_list("uploaded_at", flat=True)[:limit]
    )
    if len(recent) >= limit:
        retry_after = max(int((recent[-1] - since).total_seconds()) + 1, 1)
        raise UploadRateExceeded(
            f"Anh/chị đã tải lên {limit} tệp trong {seconds // 60} phút gần đây, mức tối đa "
            f"cho phép; vui lòng chờ khoảng {-(-retry_after // 60)} phút rồi tải tiếp.",
            retry_after,
        )


def evidence_store(
    *, participation: Participation, uploaded_file, checked: tuple[str, str, int], by, replaces=None
) -> EvidenceFile:
    """Write one upload that `evidence_check` has passed (`checked` is its result), within
    the unit's quota and the person's upload rate. Bytes the unit already stores (any year,
    any version) are not written again: the new row points to the same stored file."""
    kind, sha256, size = checked
    # Shown in pages and sent back in Content-Disposition: printable characters only.
    name = "".join(ch for ch in os.path.basename(uploaded_file.name or "") if ch.isprintable())
    name = name.strip()[-255:] or f"tai-lieu.{kind}"
    upload_rate_check(by=by)
    quota_check(participation=participation, sha256=sha256, size=size, name=name)
    return EvidenceFile.objects.create(
        participation=participation,
        file=stored_bytes(participation, sha256, size) or uploaded_file,
        original_name=name,
        kind=kind,
        size=size,
        sha256=sha256,
        uploaded_by=by,
        replaces=replaces,
    )


def stored_bytes(participation: Participation, sha256: str, size: int) -> str | None:
    """The stored name of bytes identical to these that the unit already keeps, if any."""
    storage = EvidenceFile._meta.get_field("file").storage
    names = (
        EvidenceFile.objects.filter(
            participation__unit_id=participation.unit_id, sha256=sha256, size=size
        )
        .exclude(file="")
        .order_by("pk")
        .values_list("file", flat=True)
    )
    return next((name for name in names if storage.exists(name)), None)


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
    upload_rate_check(by=by, at=at)  # before the file is read and hashed
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
    upload_rate_check(by=by, at=at)
    checked = evidence_check(uploaded_file)
    if checked[1] == evidence_file.sha256:
        raise ValidationError(
            f"Tệp '{uploaded_file.name}' giống hệt phiên bản hiện tại; không cần thay."
        )
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


def quota_summary(participation: Participation) -> dict:
    """What the leaf page shows: `Đã dùng 1,2 GB / 2,0 GB`."""
    used, quota = quota_usage(participation)
    return {
        "used": size_text(used),
        "quota": size_text(quota),
        "percent": min(100, used * 100 // quota) if quota else 100,
        "full": used >= quota,
    }


@dataclass(frozen=True)
class Orphans:
    """Evidence rows nothing refers to (whole version chains) and stored files no row names."""

    rows: list[EvidenceFile]
    files: list[tuple[str, int]]  # (stored name, bytes)

    @property
    def bytes(self) -> int:
        return sum(size for _name, size in self.files)


def _referenced_ids() -> set[int]:
    """Files some other row points to: a leaf (Score.evidence), an explanation, anything a
    later app adds; found from the model's relations, so evidence imports none of them."""
    ids: set[int] = set()
    for relation in EvidenceFile._meta.related_objects:
        if relation.related_model is EvidenceFile:
            continue  # `replaces`: versions are judged as a chain below
        if relation.many_to_many:
            through = relation.through
            column = next(
                f.attname
                for f in through._meta.fields
                if f.is_relation and f.related_model is EvidenceFile
            )
            ids.update(through.objects.values_list(column, flat=True))
        else:
            ids.update(
                relation.related_model.objects.filter(
                    **{f"{relation.field.name}__isnull": False}
                ).values_list(relation.field.attname, flat=True)
            )
    return ids


def _orphan_rows(queryset) -> list[EvidenceFile]:
    """Rows of version chains none of whose versions is referenced, newest first."""
    rows = list(queryset.select_related("participation__year", "participation__unit"))
    successor = {row.replaces_id: row.pk for row in rows if row.replaces_id}
    referenced = _referenced_ids()

    def newest(pk: int) -> int:
        while pk in successor:
            pk = successor[pk]
        return pk

    kept_chains = {newest(pk) for pk in referenced}
    return sorted(
        (row for row in rows if newest(row.pk) not in kept_chains),
        key=lambda row: -row.pk,
    )


def _unnamed_files(grace: timedelta, named: set[str]) -> list[tuple[str, int]]:
    """Files under MEDIA_ROOT/evidence/ that no row names, older than `grace` (an upload
    writes its file just before its row commits)."""
    root = Path(settings.MEDIA_ROOT)
    cutoff = timezone.now().timestamp() - grace.total_seconds()
    found = []
    for path in sorted((root / "evidence").rglob("*")):
        name = path.relative_to(root).as_posix()
        if path.is_file() and name not in named and path.stat().st_mtime < cutoff:
            found.append((name, path.stat().st_size))
    return found


def evidence_orphans_find(*, grace: timedelta = timedelta(hours=1)) -> Orphans:
    rows = _orphan_rows(EvidenceFile.objects.all())
    gone = {row.pk for row in rows}
    named = set(EvidenceFile.objects.exclude(pk__in=gone).values_list("file", flat=True))
    orphan_names = {row.file.name for row in rows} - named
    sizes = {row.file.name: row.size for row in rows}
    files = sorted((name, sizes[name]) for name in orphan_names)
    return Orphans(rows=rows, files=files + _unnamed_files(grace, named | orphan_names))


def evidence_orphans_delete(*, by=None, grace: timedelta = timedelta(hours=1)) -> Orphans:
    """Delete the orphan rows (audited, one event each) and then, once that committed, the
    stored files no remaining row names."""
    storage = EvidenceFile._meta.get_field("file").storage
    with transaction.atomic():
        list(EvidenceFile.objects.select_for_update().values_list("pk", flat=True))
        orphans = evidence_orphans_find(grace=grace)
        for row in orphans.rows:  # newest first: a version goes before the one it replaced
            unit_audit(
                by=by,
                action="evidence_orphan_delete",
                participation=row.participation,
                obj=row,
                changes={"sha256": (row.sha256, None), "size": (row.size, None)},
                note=f"{row.original_name}: không tiêu chí, phiên bản hay giải trình nào dùng",
            )
            row.delete()
        if orphans.files:
            audit_record(
                actor=by,
                action="evidence_orphan_delete",
                note=f"Xóa {len(orphans.files)} tệp đã lưu không còn bản ghi nào dùng "
                f"({size_text(orphans.bytes)})",
            )
        transaction.on_commit(lambda: [storage.delete(name) for name, _size in orphans.files])
    return orphans
