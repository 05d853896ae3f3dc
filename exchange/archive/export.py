"""Export: a year's workbook, results document and evidence files into one archive, each
member with its SHA-256 in the manifest."""

from __future__ import annotations

import importlib.metadata
import io
import json
import os
import shutil
import tempfile
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.utils import timezone

from appraisal.models import Explanation
from appraisal.results import results_document, results_json
from appraisal.revisions import computed_revision
from appraisal.services.publication import results_are_current
from criteria.models import Year
from evidence.models import EvidenceFile, Score

from ..workbook import year_workbook_export
from .format import (
    CHUNK,
    EVIDENCE,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    RESULTS,
    WORKBOOK,
    HashingReader,
    rank_change_base,
)
from .stored import KEY as STORED_RESULTS
from .stored import stored_results_of


@dataclass(frozen=True)
class ArchiveSummary:
    path: Path
    year: int
    members: int  # manifest.json included
    files: int  # evidence files
    bytes: int  # uncompressed, every member
    archive_bytes: int


def app_version() -> str:
    try:
        return importlib.metadata.version("parindex")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def archive_export(year: Year | int, path: str | Path) -> ArchiveSummary:
    """Write the year's archive to `path` (atomically: a failed export leaves no file)."""
    if not isinstance(year, Year):
        number = year
        year = Year.objects.filter(year=number).first()
        if year is None:
            raise ValidationError(f"Không có năm đánh giá {number}.")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        with tempfile.TemporaryDirectory() as scratch:
            members, files = _archive_write(year, partial, Path(scratch))
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return ArchiveSummary(
        path=path,
        year=year.year,
        members=len(members),
        files=files,
        bytes=sum(members.values()),
        archive_bytes=path.stat().st_size,
    )


def _archive_write(year: Year, out: Path, scratch: Path) -> tuple[dict[str, int], int]:
    """Write the members, then the manifest; returns (name → size, evidence files)."""
    created_at = timezone.now()
    stamp = timezone.localtime(created_at).timetuple()[:6]
    members: dict[str, tuple[str, int]] = {}
    errors: list[str] = []
    with zipfile.ZipFile(out, "w", allowZip64=True) as archive:

        def add(name: str, stream: BinaryIO, *, compress: bool, size: int = 0) -> str:
            info = _member_info(name, stamp, compress=compress)
            reader = HashingReader(stream)
            with archive.open(info, "w", force_zip64=size > zipfile.ZIP64_LIMIT) as member:
                shutil.copyfileobj(reader, member, CHUNK)
            members[name] = (reader.digest.hexdigest(), reader.size)
            return reader.digest.hexdigest()

        workbook = year_workbook_export(year=year, out=scratch / WORKBOOK)
        with workbook.open("rb") as stream:
            add(WORKBOOK, stream, compress=False, size=workbook.stat().st_size)

        has_results = computed_revision(year) is not None
        if has_results:
            # Byte for byte as export_results writes it.
            add(RESULTS, io.BytesIO(results_json(results_document(year))), compress=True)

        records, explanations = _evidence_records(year)
        for record, evidence_file in records:
            try:
                stream = evidence_file.file.storage.open(evidence_file.file.name, "rb")
            except (FileNotFoundError, OSError) as error:
                errors.append(
                    f"Tệp kiểm chứng '{evidence_file.original_name}' của {record['unit']} "
                    f"(mã {evidence_file.pk}) không đọc được trong MEDIA_ROOT: "
                    f"{evidence_file.file.name} ({error.__class__.__name__})."
                )
                continue
            with stream:
                digest = add(record["member"], stream, compress=False, size=evidence_file.size)
            if digest != evidence_file.sha256:
                errors.append(
                    f"Tệp kiểm chứng '{evidence_file.original_name}' của {record['unit']} "
                    f"(mã {evidence_file.pk}, {evidence_file.file.name}) đã bị thay đổi trên đĩa: "
                    f"SHA-256 {digest}, cơ sở dữ liệu ghi {evidence_file.sha256}."
                )
        if errors:
            raise ValidationError(errors)
        metadata = {
            "year": year.year,
            "files": [record for record, _file in records],
            "explanations": explanations,
        }
        add(EVIDENCE, io.BytesIO(_encoded(metadata)), compress=True)

        earlier = rank_change_base(year)
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "year": year.year,
            "year_status": year.status,
            "created_at": created_at.isoformat(),
            "app_version": app_version(),
            # What results.json's rank changes were computed against, and whether the
            # results still match the scores (an open year may have changed since).
            "rank_change_base": earlier,
            "results_current": results_are_current(year) if has_results else None,
            # The stored results beyond results.json, at full precision (stored.py).
            STORED_RESULTS: stored_results_of(computed_revision(year)) if has_results else None,
            "members": [
                {"name": name, "sha256": digest, "size": size}
                for name, (digest, size) in members.items()
            ],
        }
        encoded = _encoded(manifest)
        archive.writestr(_member_info(MANIFEST, stamp, compress=True), encoded)
    sizes = {name: size for name, (_digest, size) in members.items()}
    sizes[MANIFEST] = len(encoded)
    return sizes, len(records)


def _member_info(name: str, stamp: tuple[int, ...], *, compress: bool) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=stamp)
    info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    info.external_attr = 0o644 << 16
    return info


def _encoded(value: dict) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=1).encode()


def _evidence_records(year: Year) -> tuple[list[tuple[dict, EvidenceFile]], list[dict]]:
    files = list(
        EvidenceFile.objects.filter(participation__year=year)
        .select_related("participation__unit", "uploaded_by")
        .order_by("pk")
    )
    number = {f.pk: n for n, f in enumerate(files, start=1)}
    criteria: dict[int, list[str]] = {}
    for file_id, code in (
        Score.evidence.through.objects.filter(score__participation__year=year)
        .values_list("evidencefile_id", "score__criterion__code")
        .order_by("score__criterion__sort_key")
    ):
        criteria.setdefault(file_id, []).append(code)
    records = [
        (
            {
                "id": number[f.pk],
                "member": f"evidence/{number[f.pk]}.{f.kind}",
                "unit": f.participation.unit.code,
                "original_name": f.original_name,
                "kind": f.kind,
                "size": f.size,
                "sha256": f.sha256,
                "uploaded_by": f.uploaded_by.username if f.uploaded_by else None,
                "uploaded_at": f.uploaded_at.isoformat(),
                "replaces": number.get(f.replaces_id),
                "criteria": criteria.get(f.pk, []),
            },
            f,
        )
        for f in files
    ]
    explanation_files: dict[int, list[int]] = {}
    for explanation_id, file_id in (
        Explanation.files.through.objects.filter(explanation__score__participation__year=year)
        .values_list("explanation_id", "evidencefile_id")
        .order_by("evidencefile_id")
    ):
        explanation_files.setdefault(explanation_id, []).append(number[file_id])
    explanations = [
        {
            "unit": e.score.participation.unit.code,
            "criterion": e.score.criterion.code,
            "note": e.note,
            "by": e.by.username if e.by else None,
            "at": e.at.isoformat(),
            "files": explanation_files.get(e.pk, []),
        }
        for e in Explanation.objects.filter(score__participation__year=year)
        .select_related("score__participation__unit", "score__criterion", "by")
        .order_by("at", "pk")
    ]
    return records, explanations
