"""One assessment year as one archive, to move it between installations (issue 6).

    archive_export(year, path)              → ArchiveSummary
    archive_import(path, *, replace=False)  → ImportSummary

The archive is a zip: `manifest.json` (format, year, every other member's SHA-256 and size),
`year.xlsx` (the year workbook, written by the year workbook export), `results.json` (the
results document, when the year has results), `evidence.json` (what each evidence file
belongs to) and the files themselves as `evidence/<n>.<kind>`.

Import checks the whole archive first (member names, sizes, every checksum, the workbook,
the evidence metadata) and writes nothing until everything passed; then one transaction
imports the workbook, re-creates the files and their links, recomputes the results and
compares them with `results.json`. Files copied into MEDIA_ROOT are removed again if
anything fails.
"""

from __future__ import annotations

import datetime
import hashlib
import importlib.metadata
import io
import json
import os
import re
import shutil
import tempfile
import uuid
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from criteria.models import Criterion, Participation, Year
from evidence.files import MAX_EVIDENCE_BYTES, sniff_kind
from evidence.models import EvidenceFile, Score

from .models import Computation, Explanation, UnitResult
from .results import results_document
from .services import results_compute
from .services_council import results_are_current
from .workbook import YearData, workbook_check, year_data_write, year_workbook_export

FORMAT = "parindex-year-archive"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
WORKBOOK = "year.xlsx"
RESULTS = "results.json"
EVIDENCE = "evidence.json"
KINDS = tuple(EvidenceFile.Kind.values)
EVIDENCE_MEMBER = re.compile(r"evidence/([1-9][0-9]{0,8})\.(" + "|".join(KINDS) + r")")
SHA256 = re.compile(r"[0-9a-f]{64}")
CHUNK = 1024 * 1024
# Bounds on what an archive may declare: a crafted archive must not fill the disk or memory.
MAX_MANIFEST_BYTES = 64 * 1024 * 1024
MAX_JSON_BYTES = 512 * 1024 * 1024
MAX_WORKBOOK_BYTES = 2 * 1024 * 1024 * 1024
MAX_MEMBERS = 1_000_000
MAX_ERRORS_SHOWN = 50
MISSING = object()


@dataclass(frozen=True)
class ArchiveSummary:
    path: Path
    year: int
    members: int  # manifest.json included
    files: int  # evidence files
    bytes: int  # uncompressed, every member
    archive_bytes: int


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


def app_version() -> str:
    try:
        return importlib.metadata.version("parindex")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


# ---------------------------------------------------------------------------- export


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
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
            info.external_attr = 0o644 << 16
            digest, written = hashlib.sha256(), 0
            with archive.open(info, "w", force_zip64=size > zipfile.ZIP64_LIMIT) as member:
                while chunk := stream.read(CHUNK):
                    digest.update(chunk)
                    written += len(chunk)
                    member.write(chunk)
            members[name] = (digest.hexdigest(), written)
            return digest.hexdigest()

        workbook = year_workbook_export(year=year, out=scratch / WORKBOOK)
        with workbook.open("rb") as stream:
            add(WORKBOOK, stream, compress=False, size=workbook.stat().st_size)

        has_results = Computation.objects.filter(year=year).exists()
        if has_results:
            # As export_results writes it.
            document = json.dumps(results_document(year), ensure_ascii=False, indent=1)
            add(RESULTS, io.BytesIO(document.encode()), compress=True)

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
        text = json.dumps(metadata, ensure_ascii=False, indent=1)
        add(EVIDENCE, io.BytesIO(text.encode()), compress=True)

        earlier = _rank_change_base(year)
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
            "members": [
                {"name": name, "sha256": digest, "size": size}
                for name, (digest, size) in members.items()
            ],
        }
        encoded = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
        info = zipfile.ZipInfo(MANIFEST, date_time=stamp)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        archive.writestr(info, encoded)
    sizes = {name: size for name, (_digest, size) in members.items()}
    sizes[MANIFEST] = len(encoded)
    return sizes, len(records)


def _rank_change_base(year: Year) -> int | None:
    """The closest earlier year with results: what rank changes are computed against."""
    return (
        Year.objects.filter(year__lt=year.year, computation__isnull=False)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )


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


# ---------------------------------------------------------------------------- import


@dataclass
class Verified:
    """An archive whose manifest, names, sizes and checksums all passed."""

    manifest: dict
    members: dict[str, tuple[str, int]]  # name → (sha256, size)
    evidence: dict
    results: dict | None
    manifest_size: int


def archive_import(path: str | Path, *, replace: bool = False) -> ImportSummary:
    """Import a year archive, all or nothing; raises ValidationError listing every error."""
    path = Path(path)
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise ValidationError(f"Không tìm thấy tệp {path}.") from None
    except (zipfile.BadZipFile, OSError) as error:
        raise ValidationError(
            f"{path.name}: không phải tệp lưu trữ .zip đọc được ({error})."
        ) from None
    with archive, tempfile.TemporaryDirectory() as scratch:
        verified = archive_verify(archive)
        workbook = Path(scratch) / WORKBOOK
        with archive.open(WORKBOOK) as source, workbook.open("wb") as target:
            shutil.copyfileobj(source, target, CHUNK)
        data, workbook_errors = workbook_check(source=workbook, replace=replace)
        errors = [f"{WORKBOOK}: {line}" for line in workbook_errors]
        year = verified.manifest["year"]
        if data.year and data.year != year:
            errors.append(f"{WORKBOOK}: năm {data.year} khác năm {year} trong {MANIFEST}.")
        plan = EvidencePlan([], [])
        if not workbook_errors:
            plan, plan_errors = evidence_plan(verified, data)
            errors += plan_errors + status_check(verified, data) + results_check(verified, data)
        if errors:
            raise ValidationError(errors)
        return _import_write(archive, verified, data, plan, replace=replace)


def archive_verify(archive: zipfile.ZipFile) -> Verified:
    """Every name, size and SHA-256 against the manifest; nothing is written anywhere."""
    infos = archive.infolist()
    errors: list[str] = []
    if len(infos) > MAX_MEMBERS:
        raise ValidationError(f"Kho lưu trữ có {len(infos)} thành phần, quá {MAX_MEMBERS}.")
    seen: set[str] = set()
    for info in infos:
        problem = member_name_problem(info.filename)
        if problem:
            errors.append(f"Thành phần '{info.filename}': {problem}.")
        if info.filename in seen:
            errors.append(f"Thành phần '{info.filename}' xuất hiện hai lần.")
        seen.add(info.filename)
    if MANIFEST not in seen:
        errors.append(f"Thiếu {MANIFEST}: không phải kho lưu trữ một năm đánh giá của parindex.")
        raise ValidationError(errors)
    manifest_info = archive.getinfo(MANIFEST)
    if manifest_info.file_size > MAX_MANIFEST_BYTES:
        errors.append(f"{MANIFEST} lớn {manifest_info.file_size} byte, quá giới hạn.")
        raise ValidationError(errors)
    problem, _digest, raw = _member_read(archive, manifest_info, keep=True)
    manifest, manifest_errors = manifest_parse(None if problem else raw)
    errors += manifest_errors
    if manifest is None:
        raise ValidationError(errors)

    declared = {m["name"]: (m["sha256"], m["size"]) for m in manifest["members"]}
    present = {info.filename: info for info in infos if info.filename != MANIFEST}
    for name in declared:
        if name not in present:
            errors.append(f"Thiếu thành phần '{name}' (có trong {MANIFEST}).")
    for name in present:
        if name not in declared:
            errors.append(f"Thành phần '{name}' không có trong {MANIFEST}.")
    for name in (WORKBOOK, EVIDENCE):
        if name not in declared:
            errors.append(f"{MANIFEST} không khai báo thành phần bắt buộc '{name}'.")

    for name, (expected, size) in declared.items():
        info = present.get(name)
        if info is None or member_name_problem(name):
            continue
        limit = _size_limit(name)
        if size > limit:
            errors.append(f"Thành phần '{name}': {size} byte, quá giới hạn {limit} byte.")
            continue
        if info.file_size != size:
            errors.append(
                f"Thành phần '{name}': kích thước {info.file_size} byte, "
                f"{MANIFEST} ghi {size} byte."
            )
            continue
        evidence = EVIDENCE_MEMBER.fullmatch(name)
        problem, actual, content = _member_read(archive, info, keep=evidence is not None)
        if problem:
            errors.append(f"Thành phần '{name}' hỏng: {problem} (SHA-256 mong đợi {expected}).")
        elif actual != expected:
            errors.append(
                f"Thành phần '{name}': SHA-256 {actual} khác {MANIFEST} ({expected}); "
                "tệp đã bị sửa hoặc hỏng."
            )
        elif evidence is not None:
            # As on upload, the type is read from the content (one file in memory at a time).
            sniffed = sniff_kind(content[:16], content)
            if sniffed != evidence.group(2):
                errors.append(
                    f"Thành phần '{name}': nội dung không phải tệp {evidence.group(2).upper()} "
                    f"(nhận dạng theo nội dung: {sniffed or 'không rõ'})."
                )
    if errors:
        raise ValidationError(errors)

    evidence = _json_member(archive, EVIDENCE, errors)
    results = _json_member(archive, RESULTS, errors) if RESULTS in declared else None
    if errors:
        raise ValidationError(errors)
    return Verified(
        manifest=manifest,
        members=declared,
        evidence=evidence,
        results=results,
        manifest_size=manifest_info.file_size,
    )


def member_name_problem(name: str) -> str | None:
    """Why a member name is refused, or None. Only the names export writes are accepted."""
    parts = name.replace("\\", "/").split("/")
    if name.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", name):
        return "đường dẫn tuyệt đối, bị từ chối"
    if ".." in parts:
        return "chứa '..' (ra ngoài thư mục), bị từ chối"
    if "\\" in name or any(ord(ch) < 32 for ch in name):
        return "tên chứa ký tự không hợp lệ"
    if name in (MANIFEST, WORKBOOK, RESULTS, EVIDENCE) or EVIDENCE_MEMBER.fullmatch(name):
        return None
    return "tên không thuộc định dạng kho lưu trữ"


def manifest_parse(raw: bytes | None) -> tuple[dict | None, list[str]]:
    """The manifest, checked field by field; (None, errors) when it cannot be used."""
    if raw is None:
        return None, [f"{MANIFEST}: không đọc được."]
    try:
        manifest = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        return None, [f"{MANIFEST}: không phải JSON hợp lệ ({error})."]
    if not isinstance(manifest, dict):
        return None, [f"{MANIFEST}: phải là một đối tượng JSON."]
    errors = []
    if manifest.get("format") != FORMAT:
        errors.append(f"{MANIFEST}: format '{manifest.get('format')}', cần '{FORMAT}'.")
    version = manifest.get("format_version")
    if version != FORMAT_VERSION:
        errors.append(
            f"{MANIFEST}: format_version {version!r} không được hỗ trợ (phiên bản này đọc "
            f"{FORMAT_VERSION})."
        )
    if not (isinstance(manifest.get("year"), int) and 1900 < manifest["year"] < 3000):
        errors.append(f"{MANIFEST}: year {manifest.get('year')!r} không hợp lệ.")
    if manifest.get("year_status") not in Year.Status.values:
        errors.append(f"{MANIFEST}: year_status {manifest.get('year_status')!r} không hợp lệ.")
    base = manifest.get("rank_change_base")
    if base is not None and not isinstance(base, int):
        errors.append(f"{MANIFEST}: rank_change_base {base!r} không hợp lệ.")
    if manifest.get("results_current") not in (True, False, None):
        errors.append(f"{MANIFEST}: results_current phải là true, false hoặc null.")
    members = manifest.get("members")
    if not isinstance(members, list):
        errors.append(f"{MANIFEST}: thiếu danh sách members.")
        return None, errors
    names: set[str] = set()
    for number, member in enumerate(members, start=1):
        where = f"{MANIFEST}: members[{number}]"
        if not isinstance(member, dict) or not isinstance(member.get("name"), str):
            errors.append(f"{where}: thiếu name.")
            continue
        name = member["name"]
        if name in names or name == MANIFEST:
            errors.append(f"{where}: '{name}' khai báo trùng.")
        names.add(name)
        if not (isinstance(member.get("sha256"), str) and SHA256.fullmatch(member["sha256"])):
            errors.append(f"{where} ('{name}'): sha256 không hợp lệ.")
        size = member.get("size")
        if not (isinstance(size, int) and not isinstance(size, bool) and size >= 0):
            errors.append(f"{where} ('{name}'): size không hợp lệ.")
    return (None if errors else manifest), errors


def _size_limit(name: str) -> int:
    if name.startswith("evidence/"):
        return MAX_EVIDENCE_BYTES
    if name == WORKBOOK:
        return MAX_WORKBOOK_BYTES
    return MAX_JSON_BYTES


def _member_read(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, *, keep: bool
) -> tuple[str | None, str, bytes]:
    """(problem, SHA-256, the content if `keep`), reading no more than the declared size."""
    digest, size = hashlib.sha256(), 0
    kept: list[bytes] | None = [] if keep else None
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > info.file_size:
                    return "dài hơn kích thước khai báo", "", b""
                digest.update(chunk)
                if kept is not None:
                    kept.append(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError) as e:
        return f"không giải nén được ({e})", "", b""
    return None, digest.hexdigest(), b"".join(kept or [])


def _json_member(archive: zipfile.ZipFile, name: str, errors: list[str]) -> dict:
    try:
        with archive.open(name) as stream:
            value = json.load(io.TextIOWrapper(stream, encoding="utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        errors.append(f"{name}: không phải JSON hợp lệ ({error}).")
        return {}
    if not isinstance(value, dict):
        errors.append(f"{name}: phải là một đối tượng JSON.")
        return {}
    return value


@dataclass(frozen=True)
class _FileRecord:
    id: int
    member: str
    unit: str
    original_name: str
    kind: str
    size: int
    sha256: str
    uploaded_by: str | None
    uploaded_at: datetime.datetime | None
    replaces: int | None
    criteria: tuple[str, ...]


@dataclass
class EvidencePlan:
    files: list[_FileRecord]  # every replaced version before its successor
    explanations: list[dict]


def evidence_plan(verified: Verified, data: YearData) -> tuple[EvidencePlan, list[str]]:
    """evidence.json checked against the manifest and the workbook."""
    meta = verified.evidence
    errors: list[str] = []
    if meta.get("year") != verified.manifest["year"]:
        errors.append(f"{EVIDENCE}: year {meta.get('year')!r} khác {MANIFEST}.")
    files, explanations = meta.get("files"), meta.get("explanations", [])
    if not isinstance(files, list) or not isinstance(explanations, list):
        return EvidencePlan([], []), [
            *errors,
            f"{EVIDENCE}: files và explanations phải là danh sách.",
        ]

    def leaf_problem(unit: str, code) -> str | None:
        row = data.units.get(unit)
        if row is None:
            return f"đơn vị '{unit}' không có trong {WORKBOOK}"
        node = data.criteria.get((row.block, code)) if isinstance(code, str) else None
        if node is None:
            return f"tiêu chí {code!r} không có trong bộ chỉ số khối {row.block}"
        if not node.is_leaf or node.method != Criterion.Method.EVIDENCE:
            return f"tiêu chí {code} không phải tiêu chí lá chấm qua tài liệu kiểm chứng"
        return None

    records: dict[int, _FileRecord] = {}
    members_used: set[str] = set()
    for number, item in enumerate(files, start=1):
        where = f"{EVIDENCE}: files[{number}]"
        if not isinstance(item, dict):
            errors.append(f"{where}: phải là một đối tượng.")
            continue
        record_errors: list[str] = []
        file_id, member, unit = item.get("id"), item.get("member"), item.get("unit")
        if type(file_id) is not int or file_id in records:
            record_errors.append(f"id {file_id!r} thiếu hoặc trùng")
        if not isinstance(member, str) or member not in verified.members:
            record_errors.append(f"member {member!r} không có trong {MANIFEST}")
        elif member in members_used:
            record_errors.append(f"member '{member}' đã dùng cho tệp khác")
        else:
            members_used.add(member)
            expected = verified.members[member]
            if (item.get("sha256"), item.get("size")) != expected:
                record_errors.append(
                    f"sha256/size ({item.get('sha256')}, {item.get('size')}) khác {MANIFEST} "
                    f"({expected[0]}, {expected[1]})"
                )
            match = EVIDENCE_MEMBER.fullmatch(member)
            if match is None or match.group(2) != item.get("kind"):
                record_errors.append(f"kind {item.get('kind')!r} không khớp tên '{member}'")
        if not isinstance(unit, str) or unit not in data.units:
            record_errors.append(f"đơn vị {unit!r} không có trong {WORKBOOK}")
        name = item.get("original_name")
        if not isinstance(name, str) or not name.strip() or len(name) > 255:
            record_errors.append("original_name thiếu hoặc dài quá 255 ký tự")
        elif not name.isprintable() or "/" in name or "\\" in name:
            record_errors.append(f"original_name {name!r} chứa ký tự không hợp lệ")
        uploaded_by = item.get("uploaded_by")
        if uploaded_by is not None and not isinstance(uploaded_by, str):
            record_errors.append("uploaded_by phải là tên đăng nhập hoặc null")
        uploaded_at = _moment(item.get("uploaded_at"))
        if item.get("uploaded_at") is not None and uploaded_at is None:
            record_errors.append(f"uploaded_at {item.get('uploaded_at')!r} không hợp lệ")
        criteria = item.get("criteria", [])
        if not isinstance(criteria, list):
            record_errors.append("criteria phải là danh sách mã tiêu chí")
            criteria = []
        if isinstance(unit, str) and unit in data.units:
            for code in criteria:
                problem = leaf_problem(unit, code)
                if problem:
                    record_errors.append(problem)
        replaces = item.get("replaces")
        if replaces is not None and not isinstance(replaces, int):
            record_errors.append(f"replaces {replaces!r} không hợp lệ")
        if record_errors:
            errors += [f"{where}: {problem}." for problem in record_errors]
            continue
        records[file_id] = _FileRecord(
            id=file_id,
            member=member,
            unit=unit,
            original_name=name,
            kind=item["kind"],
            size=item["size"],
            sha256=item["sha256"],
            uploaded_by=uploaded_by,
            uploaded_at=uploaded_at,
            replaces=replaces,
            criteria=tuple(dict.fromkeys(criteria)),
        )
    for name in verified.members:
        if name.startswith("evidence/") and name not in members_used:
            errors.append(f"Thành phần '{name}' không được mô tả trong {EVIDENCE}.")

    successors: dict[int, int] = {}
    for record in records.values():
        if record.replaces is None:
            continue
        older = records.get(record.replaces)
        where = f"{EVIDENCE}: tệp {record.id} ('{record.original_name}')"
        if older is None or older.unit != record.unit:
            errors.append(f"{where}: thay thế tệp {record.replaces} không có ở cùng đơn vị.")
        elif record.replaces in successors:
            errors.append(f"{where}: tệp {record.replaces} đã được tệp khác thay thế.")
        else:
            successors[record.replaces] = record.id
    ordered = _versions_ordered(records) if not errors else []
    if not errors and len(ordered) != len(records):
        errors.append(f"{EVIDENCE}: chuỗi phiên bản tệp bị vòng lặp.")

    parsed_explanations = []
    for number, item in enumerate(explanations, start=1):
        where = f"{EVIDENCE}: explanations[{number}]"
        if not isinstance(item, dict):
            errors.append(f"{where}: phải là một đối tượng.")
            continue
        unit, code = item.get("unit"), item.get("criterion")
        problem = leaf_problem(unit, code) if isinstance(unit, str) else "thiếu đơn vị"
        if problem:
            errors.append(f"{where}: {problem}.")
        if not isinstance(item.get("note"), str) or _moment(item.get("at")) is None:
            errors.append(f"{where}: note hoặc at không hợp lệ.")
        if item.get("by") is not None and not isinstance(item.get("by"), str):
            errors.append(f"{where}: by phải là tên đăng nhập hoặc null.")
        file_ids = item.get("files", [])
        if not isinstance(file_ids, list) or any(
            not isinstance(i, int) or i not in records or records[i].unit != unit for i in file_ids
        ):
            errors.append(f"{where}: files phải là mã các tệp của cùng đơn vị trong {EVIDENCE}.")
        parsed_explanations.append(item)
    return EvidencePlan(ordered, parsed_explanations), errors


def _versions_ordered(records: dict[int, _FileRecord]) -> list[_FileRecord]:
    """Predecessors before successors (each replaced file exists before its new version)."""
    done: set[int] = set()
    ordered: list[_FileRecord] = []
    pending = sorted(records.values(), key=lambda r: r.id)
    while pending:
        ready = [r for r in pending if r.replaces is None or r.replaces in done]
        if not ready:
            break  # a cycle: the caller reports it
        for record in ready:
            ordered.append(record)
            done.add(record.id)
        pending = [r for r in pending if r.id not in done]
    return ordered


def _moment(value) -> datetime.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def results_check(verified: Verified, data: YearData) -> list[str]:
    """The shape of results.json, before anything is written (the values are compared after
    the results are recomputed)."""
    results = verified.results
    if results is None:
        return []
    errors = []
    if results.get("year") != verified.manifest["year"]:
        errors.append(f"{RESULTS}: year {results.get('year')!r} khác {MANIFEST}.")
    blocks = results.get("blocks")
    if not isinstance(blocks, list) or not all(
        isinstance(block, dict) and isinstance(block.get("units"), list) for block in blocks
    ):
        return [*errors, f"{RESULTS}: blocks phải là danh sách các khối có units."]
    for block in blocks:
        for unit in block["units"]:
            change = unit.get("rank_change") if isinstance(unit, dict) else None
            if not isinstance(unit, dict) or unit.get("code") not in data.units:
                errors.append(f"{RESULTS}: khối {block.get('code')}: đơn vị không có trong năm.")
            elif change is not None and (isinstance(change, bool) or not isinstance(change, int)):
                errors.append(f"{RESULTS}: đơn vị {unit['code']}: rank_change {change!r}.")
    return errors


def status_check(verified: Verified, data: YearData) -> list[str]:
    """The workbook says published exactly when it has `published_on`; the manifest agrees."""
    status = verified.manifest["year_status"]
    published = Year.Status.PUBLISHED
    if (status == published) != (data.status == published):
        return [
            f"{MANIFEST}: year_status '{status}' mâu thuẫn với published_on trong {WORKBOOK} "
            f"({data.published_on or 'trống'})."
        ]
    return []


class _HashingReader:
    """Hashes what the storage reads while it copies a member into MEDIA_ROOT."""

    def __init__(self, stream: BinaryIO):
        self.stream = stream
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, n: int = -1) -> bytes:
        chunk = self.stream.read(n)
        self.digest.update(chunk)
        self.size += len(chunk)
        return chunk


def _import_write(
    archive: zipfile.ZipFile,
    verified: Verified,
    data: YearData,
    plan: EvidencePlan,
    *,
    replace: bool,
) -> ImportSummary:
    manifest, records, explanations = verified.manifest, plan.files, plan.explanations
    written: list[str] = []
    replaced_names: list[str] = []
    storage_field = EvidenceFile._meta.get_field("file")
    usernames = {r.uploaded_by for r in records} | {e.get("by") for e in explanations}
    usernames.discard(None)
    try:
        with transaction.atomic():
            if replace:
                replaced_names = list(
                    EvidenceFile.objects.filter(participation__year__year=data.year).values_list(
                        "file", flat=True
                    )
                )
            year, counts = year_data_write(data=data, replace=replace)
            if year.status != manifest["year_status"]:
                # The workbook knows only draft and published; the archive keeps the rest.
                year.status = manifest["year_status"]
                year.save(update_fields=["status"])
            users = {u.username: u for u in get_user_model().objects.filter(username__in=usernames)}
            participations = {
                p.unit.code: p
                for p in Participation.objects.filter(year=year).select_related("unit", "year")
            }
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
                    reader = _HashingReader(member)
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
            scores = _scores_for(year, participations, records, explanations)
            Through = Score.evidence.through
            Through.objects.bulk_create(
                (
                    Through(score_id=scores[r.unit, code], evidencefile_id=created[r.id].pk)
                    for r in records
                    for code in r.criteria
                ),
                batch_size=1000,
            )
            for item in explanations:
                explanation = Explanation.objects.create(
                    score_id=scores[item["unit"], item["criterion"]],
                    note=item["note"],
                    by=users.get(item.get("by")),
                    at=_moment(item["at"]),
                )
                explanation.files.set([created[i] for i in item.get("files", [])])
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
            if replaced_names:
                transaction.on_commit(lambda: _delete_unreferenced(replaced_names))
    except BaseException:
        for name in written:
            storage_field.storage.delete(name)
        raise
    return summary


def _scores_for(year, participations, records, explanations) -> dict[tuple[str, str], int]:
    """(unit, criterion) → score id for every link, creating the empty scores a link needs."""
    wanted = {(r.unit, code) for r in records for code in r.criteria}
    wanted |= {(e["unit"], e["criterion"]) for e in explanations}
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
    base, archived_base = _rank_change_base(year), manifest.get("rank_change_base")
    if base != archived_base:
        # Rank changes compare with a year this installation does not have (or has another
        # of): the published ones are kept, everything else must be reproduced.
        for block in archived["blocks"]:
            for unit in block["units"]:
                UnitResult.objects.filter(
                    computation__year=year, participation__unit__code=unit["code"]
                ).update(rank_change=unit.get("rank_change"))
        against = f"so với năm {archived_base}" if archived_base else "không có năm trước"
        summary.results_note = (
            f"thay đổi thứ hạng giữ theo kho lưu trữ ({against}; "
            f"năm gần nhất đã tính ở đây: {base or 'không có'})"
        )
    recomputed = json.loads(json.dumps(results_document(year), ensure_ascii=False))
    differences = results_differences(archived, recomputed)
    if differences:
        shown = differences[:MAX_ERRORS_SHOWN]
        if len(differences) > len(shown):
            shown.append(f"… và {len(differences) - len(shown)} khác biệt khác.")
        raise ValidationError(
            [f"{RESULTS}: kết quả tính lại khác kết quả trong kho lưu trữ:", *shown]
        )
    summary.results_units = sum(len(block["units"]) for block in recomputed["blocks"])


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


def _delete_unreferenced(names: list[str]) -> None:
    """After a --replace commits: the replaced year's files are no longer anyone's."""
    storage = EvidenceFile._meta.get_field("file").storage
    still = set(EvidenceFile.objects.filter(file__in=names).values_list("file", flat=True))
    for name in names:
        if name and name not in still:
            storage.delete(name)
