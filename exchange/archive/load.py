"""Import: one transaction writes the checked year, re-creates its evidence files and their
links, recomputes the results and requires them to equal results.json. Files copied into
MEDIA_ROOT are removed again if anything fails."""

from __future__ import annotations

import json
import logging
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction

from appraisal.models import Explanation, UnitResult
from appraisal.results import results_document, results_json
from appraisal.revisions import computed_revision
from appraisal.services.comparisons import later_comparisons_refresh
from appraisal.services.compute import results_compute
from criteria.models import Criterion, Participation, Year
from evidence.models import EvidenceFile, Score

from ..workbook import YearData, year_data_write
from .carried import archive_carries
from .evidence import EvidencePlan, ExplanationRecord, FileRecord
from .format import MANIFEST, RESULTS, HashingReader, rank_change_base
from .stored import comparisons_restore, stored_differences
from .verify import Verified, archive_check

logger = logging.getLogger(__name__)

MAX_ERRORS_SHOWN = 50
MISSING = object()


@dataclass
class ImportSummary:
    year: Year
    counts: dict[str, int]
    members: int
    files: int
    bytes: int
    explanations: int = 0
    results_units: int | None = None
    results_note: str = ""
    unknown_users: list[str] = field(default_factory=list)


def archive_import(path: str | Path, *, replace: bool = False) -> ImportSummary:
    """Import a year archive, all or nothing; raises ValidationError listing every error."""
    path = Path(path)
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise ValidationError(f"Không tìm thấy tệp {path}.") from None
    except (zipfile.BadZipFile, OSError) as error:
        logger.info("archive_import: %s: %s", path, error)
        raise ValidationError(
            f"{path.name}: không phải tệp lưu trữ .zip đọc được (tệp hỏng, bị cắt cụt hoặc "
            "không phải .zip); hãy chép lại tệp từ nơi lưu gốc."
        ) from None
    infos = archive.infolist()
    if infos and min(info.header_offset for info in infos) > 0:
        # What zipfile found is a zip inside ours (the stored year.xlsx): the end is missing.
        archive.close()
        raise ValidationError(
            f"{path.name}: tệp lưu trữ bị cắt cụt hoặc hỏng (phần cuối tệp .zip không khớp phần "
            "đầu); hãy chép lại tệp từ nơi lưu gốc."
        )
    with archive, tempfile.TemporaryDirectory() as scratch:
        verified, data, plan = archive_check(archive, scratch=Path(scratch), replace=replace)
        return _import_write(archive, verified, data, plan, replace=replace, source=path.name)


def _import_write(
    archive: zipfile.ZipFile,
    verified: Verified,
    data: YearData,
    plan: EvidencePlan,
    *,
    replace: bool,
    source: str,
) -> ImportSummary:
    """The one transaction: the workbook, the evidence files copied in and linked, the
    explanations, the results checked. Files copied are removed again if anything fails."""
    manifest, records, explanations = verified.manifest, plan.files, plan.explanations
    written: list[str] = []
    storage = EvidenceFile._meta.get_field("file").storage
    usernames = {r.uploaded_by for r in records} | {e.by for e in explanations}
    usernames.discard(None)
    try:
        with transaction.atomic():
            # The replaced year's files leave the disk once this commits (year_data_delete).
            year, counts = year_data_write(
                data=data,
                replace=replace,
                carried=archive_carries(plan),
                source=f"kho lưu trữ {source}",
            )
            if year.status != manifest["year_status"]:
                # The workbook knows only draft and published; the archive keeps the rest.
                year.status = manifest["year_status"]
                year.save(update_fields=["status"])
            users = {u.username: u for u in get_user_model().objects.filter(username__in=usernames)}
            participations = {
                p.unit.code: p
                for p in Participation.objects.filter(year=year).select_related("unit", "year")
            }
            created = _files_create(archive, records, participations, users, written)
            _links_create(year, participations, plan, created, users)
            summary = ImportSummary(
                year=year,
                counts=counts,
                members=len(verified.members) + 1,
                files=len(records),
                bytes=verified.manifest_size
                + sum(size for _sha, size in verified.members.values()),
                explanations=len(explanations),
                unknown_users=sorted(usernames - set(users)),
            )
            _results_import(year, verified, summary)
    except BaseException:
        for name in written:
            storage.delete(name)
        raise
    return summary


def _files_create(
    archive: zipfile.ZipFile,
    records: list[FileRecord],
    participations: dict[str, Participation],
    users: dict,
    written: list[str],
) -> dict[int, EvidenceFile]:
    """Each file copied into MEDIA_ROOT (its name noted in `written`) and its row created,
    replaced versions first; archive id → the new row."""
    storage_field = EvidenceFile._meta.get_field("file")
    created: dict[int, EvidenceFile] = {}
    for record in records:
        evidence_file = EvidenceFile(
            participation=participations[record.unit],
            original_name=record.original_name,
            kind=record.kind,
            size=record.size,
            sha256=record.sha256,
            uploaded_by=users.get(record.uploaded_by),
            replaces=created.get(record.replaces),
        )
        # A new random name under evidence/<year>/<unit>/, as uploads get; noted
        # before writing, so that a copy failing half-way is removed too.
        name = storage_field.generate_filename(evidence_file, record.member)
        written.append(name)
        with archive.open(record.member) as member:
            reader = HashingReader(member)
            evidence_file.file.name = written[-1] = storage_field.storage.save(
                name, File(reader), max_length=storage_field.max_length
            )
        if reader.digest.hexdigest() != record.sha256 or reader.size != record.size:
            raise ValidationError(
                f"Thành phần '{record.member}' thay đổi trong khi nhập: SHA-256 "
                f"{reader.digest.hexdigest()}, {MANIFEST} ghi {record.sha256}."
            )
        evidence_file.save()
        created[record.id] = evidence_file
    kept_times = []
    for record in records:
        if record.uploaded_at is not None:
            created[record.id].uploaded_at = record.uploaded_at
            kept_times.append(created[record.id])
    EvidenceFile.objects.bulk_update(kept_times, ["uploaded_at"], batch_size=1000)
    return created


def _links_create(
    year: Year,
    participations: dict[str, Participation],
    plan: EvidencePlan,
    created: dict[int, EvidenceFile],
    users: dict,
) -> None:
    """Each file on the leaves it was linked to, and the explanations with their files."""
    scores = _scores_for(year, participations, plan.files, plan.explanations)
    Through = Score.evidence.through
    Through.objects.bulk_create(
        (
            Through(score_id=scores[r.unit, code], evidencefile_id=created[r.id].pk)
            for r in plan.files
            for code in r.criteria
        ),
        batch_size=1000,
    )
    for item in plan.explanations:
        explanation = Explanation.objects.create(
            score_id=scores[item.unit, item.criterion],
            note=item.note,
            by=users.get(item.by),
            at=item.at,
        )
        explanation.files.set([created[i] for i in item.files])


def _scores_for(
    year: Year,
    participations: dict[str, Participation],
    records: list[FileRecord],
    explanations: list[ExplanationRecord],
) -> dict[tuple[str, str], int]:
    """(unit, criterion) → score id for every link, creating the empty scores a link needs."""
    wanted = {(r.unit, code) for r in records for code in r.criteria}
    wanted |= {(e.unit, e.criterion) for e in explanations}
    scores = {
        (unit, code): pk
        for unit, code, pk in Score.objects.filter(participation__year=year).values_list(
            "participation__unit__code", "criterion__code", "pk"
        )
    }
    missing = wanted - set(scores)
    if missing:
        leaves = {
            (c.block_id, c.code): c
            for c in Criterion.objects.filter(year=year, code__in={c for _u, c in missing})
        }
        for unit, code in sorted(missing):
            participation = participations[unit]
            score = Score.objects.create(
                participation=participation, criterion=leaves[participation.block_id, code]
            )
            scores[unit, code] = score.pk
    return scores


def _results_import(year: Year, verified: Verified, summary: ImportSummary) -> None:
    """Recompute the year and require the archived results document, value for value."""
    archived, manifest = verified.results, verified.manifest
    if archived is None:
        summary.results_note = "kho lưu trữ không có kết quả (năm chưa tính chỉ số)"
        return
    if manifest.get("results_current") is False:
        summary.results_note = (
            f"kết quả trong kho lưu trữ được tính trước lần sửa điểm cuối cùng nên không nhập; "
            f"chạy compute_results --year {year.year}"
        )
        return
    results_compute(year=year)
    base, archived_base = rank_change_base(year), manifest.get("rank_change_base")
    against = f"so với năm {archived_base}" if archived_base else "không có năm trước"
    stored, computation = verified.stored, computed_revision(year)
    differences = []
    if stored is not None:
        kept = comparisons_restore(
            year=year, computation=computation, stored=stored, same_base=base == archived_base
        )
        if kept and base != archived_base:
            summary.results_note = (
                f"thay đổi thứ hạng giữ theo kho lưu trữ ({against}; năm gần nhất đã tính ở "
                f"đây: {base or 'không có'}), cùng thay đổi chỉ số và các đơn vị so sánh "
                f"của {len(kept)} đơn vị"
            )
        elif kept:
            summary.results_note = (
                f"thay đổi thứ hạng, thay đổi chỉ số và các đơn vị so sánh của {len(kept)} "
                "đơn vị giữ theo kho lưu trữ (đơn vị tiền thân thuộc năm chưa có kết quả ở đây)"
            )
        differences = stored_differences(computation=computation, stored=stored)
    elif base != archived_base:
        # Rank changes compare with a year this installation does not have (or has another
        # of): the published ones are kept, everything else must be reproduced.
        for block in archived["blocks"]:
            for unit in block["units"]:
                UnitResult.objects.filter(
                    computation=computation, participation__unit__code=unit["code"]
                ).update(rank_change=unit.get("rank_change"))
        summary.results_note = (
            f"thay đổi thứ hạng giữ theo kho lưu trữ ({against}; "
            f"năm gần nhất đã tính ở đây: {base or 'không có'})"
        )
    # Compared as results.json would hold it, read back.
    recomputed = json.loads(results_json(results_document(year)))
    if stored is None:
        # Written before DOMAIN §8: its document has none of the keys added since.
        recomputed = trimmed_like(recomputed, archived)
    differences = results_differences(archived, recomputed) + differences
    if differences:
        shown = differences[:MAX_ERRORS_SHOWN]
        if len(differences) > len(shown):
            shown.append(f"… và {len(differences) - len(shown)} khác biệt khác.")
        raise ValidationError(
            [f"{RESULTS}: kết quả tính lại khác kết quả trong kho lưu trữ:", *shown]
        )
    summary.results_units = sum(len(block["units"]) for block in recomputed["blocks"])
    if year.is_published:
        # Later published years compare with this one now (derived data, DOMAIN §8).
        for later, units in later_comparisons_refresh(year).items():
            summary.results_note = "; ".join(
                filter(
                    None,
                    [
                        summary.results_note,
                        f"so sánh của năm {later} được tính lại "
                        f"với năm {year.year} ({units} đơn vị)",
                    ],
                )
            )


def trimmed_like(value, like):
    """`value` without the keys `like` does not have, at every level they share."""
    if isinstance(value, dict) and isinstance(like, dict):
        return {key: trimmed_like(item, like[key]) for key, item in value.items() if key in like}
    if isinstance(value, list) and isinstance(like, list) and len(value) == len(like):
        return [trimmed_like(item, other) for item, other in zip(value, like, strict=True)]
    return value


def results_differences(archived: dict, recomputed: dict) -> list[str]:
    """Every value that differs, as `blocks[A].units[A1].index: archived X, recomputed Y`."""
    if archived == recomputed:
        return []
    left, right = dict(_flatten(archived)), dict(_flatten(recomputed))
    lines = [
        f"{path}: trong kho lưu trữ {_shown(left.get(path, MISSING))}, "
        f"tính lại {_shown(right.get(path, MISSING))}"
        for path in sorted(left.keys() | right.keys())
        if left.get(path, MISSING) != right.get(path, MISSING)
    ]
    return lines or ["thứ tự các đơn vị khác nhau"]


def _flatten(value, path: str = "") -> Iterable[tuple[str, object]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _flatten(item, f"{path}.{key}" if path else str(key))
    elif (
        isinstance(value, list)
        and value
        and all(isinstance(item, dict) and "code" in item for item in value)
    ):
        for item in value:
            yield from _flatten(item, f"{path}[{item['code']}]")
    else:
        yield path, value


def _shown(value) -> str:
    return "(không có)" if value is MISSING else json.dumps(value, ensure_ascii=False)
