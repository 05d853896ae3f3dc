"""Everything an import checks before it writes: the archive against its manifest (names,
sizes, every SHA-256, what each evidence member's content is), the workbook, evidence.json and
the shape of results.json. Nothing here writes to the database or MEDIA_ROOT."""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import shutil
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError

from criteria.models import Criterion, Year
from evidence.files import sniff_kind

from ..workbook import YearData, workbook_check
from .format import (
    CHUNK,
    EVIDENCE,
    EVIDENCE_MEMBER,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    MAX_MANIFEST_BYTES,
    MAX_MEMBERS,
    RESULTS,
    SHA256,
    WORKBOOK,
    member_name_problem,
    member_size_limit,
)


@dataclass
class Verified:
    """An archive whose manifest, names, sizes and checksums all passed."""

    manifest: dict
    members: dict[str, tuple[str, int]]  # name → (sha256, size)
    evidence: dict
    results: dict | None
    manifest_size: int


@dataclass(frozen=True)
class FileRecord:
    """One of evidence.json's files, checked."""

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


@dataclass(frozen=True)
class ExplanationRecord:
    """One of evidence.json's explanations, checked."""

    unit: str
    criterion: str
    note: str
    by: str | None
    at: datetime.datetime
    files: tuple[int, ...]


@dataclass
class EvidencePlan:
    files: list[FileRecord]  # every replaced version before its successor
    explanations: list[ExplanationRecord]


def archive_check(
    archive: zipfile.ZipFile, *, scratch: Path, replace: bool
) -> tuple[Verified, YearData, EvidencePlan]:
    """The whole archive checked, its workbook read from a copy in `scratch`; raises
    ValidationError listing every error."""
    verified = archive_verify(archive)
    workbook = scratch / WORKBOOK
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
    return verified, data, plan


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
        limit = member_size_limit(name)
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

    records: dict[int, FileRecord] = {}
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
        records[file_id] = FileRecord(
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
        record_errors = []
        unit, code, at = item.get("unit"), item.get("criterion"), _moment(item.get("at"))
        problem = leaf_problem(unit, code) if isinstance(unit, str) else "thiếu đơn vị"
        if problem:
            record_errors.append(problem)
        if not isinstance(item.get("note"), str) or at is None:
            record_errors.append("note hoặc at không hợp lệ")
        if item.get("by") is not None and not isinstance(item.get("by"), str):
            record_errors.append("by phải là tên đăng nhập hoặc null")
        file_ids = item.get("files", [])
        if not isinstance(file_ids, list) or any(
            not isinstance(i, int) or i not in records or records[i].unit != unit for i in file_ids
        ):
            record_errors.append(f"files phải là mã các tệp của cùng đơn vị trong {EVIDENCE}")
        if record_errors:
            errors += [f"{where}: {problem}." for problem in record_errors]
            continue
        parsed_explanations.append(
            ExplanationRecord(
                unit=unit,
                criterion=code,
                note=item["note"],
                by=item.get("by"),
                at=at,
                files=tuple(file_ids),
            )
        )
    return EvidencePlan(ordered, parsed_explanations), errors


def _versions_ordered(records: dict[int, FileRecord]) -> list[FileRecord]:
    """Predecessors before successors (each replaced file exists before its new version)."""
    done: set[int] = set()
    ordered: list[FileRecord] = []
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
