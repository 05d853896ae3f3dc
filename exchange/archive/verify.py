"""Everything an import checks before it writes: the archive against its manifest (names,
sizes, every SHA-256, what each evidence member's content is), the workbook, evidence.json
(evidence.py) and the shape of results.json. Nothing here writes to the database or
MEDIA_ROOT."""

from __future__ import annotations

import hashlib
import io
import json
import logging
import shutil
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError

from criteria.models import Year
from evidence.files import MAX_UNZIPPED_BYTES, sniff_kind
from kernel.zipguard import zip_refusal

from ..workbook import YearData, workbook_check, year_target_check
from .carried import archive_carries
from .evidence import EvidencePlan, evidence_plan
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
from .stored import StoredResults, stored_results_check

logger = logging.getLogger(__name__)


@dataclass
class Verified:
    """An archive whose manifest, names, sizes and checksums all passed."""

    manifest: dict
    members: dict[str, tuple[str, int]]  # name → (sha256, size)
    evidence: dict
    results: dict | None
    manifest_size: int
    stored: StoredResults | None = None  # None: an archive written before DOMAIN §8


def archive_check(
    archive: zipfile.ZipFile, *, scratch: Path, replace: bool
) -> tuple[Verified, YearData, EvidencePlan]:
    """The whole archive checked, its workbook read from a copy in `scratch`; raises
    ValidationError listing every error."""
    verified = archive_verify(archive)
    workbook = scratch / WORKBOOK
    with archive.open(WORKBOOK) as source, workbook.open("wb") as target:
        shutil.copyfileobj(source, target, CHUNK)
    data, workbook_errors = workbook_check(source=workbook, replace=replace, target=False)
    errors = [f"{WORKBOOK}: {line}" for line in workbook_errors]
    year = verified.manifest["year"]
    if data.year and data.year != year:
        errors.append(f"{WORKBOOK}: năm {data.year} khác năm {year} trong {MANIFEST}.")
    plan = EvidencePlan([], [])
    if not workbook_errors:
        plan, plan_errors = evidence_plan(
            verified.evidence, year=year, members=verified.members, data=data
        )
        errors += plan_errors + status_check(verified, data) + results_check(verified, data)
        verified.stored, stored_errors = stored_results_check(verified.manifest, data.units)
        errors += stored_errors
        if not plan_errors:
            target = year_target_check(data=data, replace=replace, carried=archive_carries(plan))
            errors += [f"{WORKBOOK}: {line}" for line in target]
    if errors:
        raise ValidationError(errors)
    return verified, data, plan


def archive_verify(archive: zipfile.ZipFile) -> Verified:
    """Every name, size and SHA-256 against the manifest; nothing is written anywhere."""
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise ValidationError(f"Kho lưu trữ có {len(infos)} thành phần, quá {MAX_MEMBERS}.")
    errors = _names_check(infos)
    manifest, manifest_info = _manifest_read(archive, errors)
    declared = {m["name"]: (m["sha256"], m["size"]) for m in manifest["members"]}
    present = {info.filename: info for info in infos if info.filename != MANIFEST}
    errors += _listing_check(declared, present)
    for name, (expected, size) in declared.items():
        problem = _member_check(archive, name, present.get(name), expected, size)
        if problem:
            errors.append(problem)
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


def _names_check(infos: list[zipfile.ZipInfo]) -> list[str]:
    """Only the names export writes, each once."""
    errors = []
    seen: set[str] = set()
    for info in infos:
        problem = member_name_problem(info.filename)
        if problem:
            errors.append(f"Thành phần '{info.filename}': {problem}.")
        if info.filename in seen:
            errors.append(f"Thành phần '{info.filename}' xuất hiện hai lần.")
        seen.add(info.filename)
    return errors


def _manifest_read(archive: zipfile.ZipFile, errors: list[str]) -> tuple[dict, zipfile.ZipInfo]:
    """The manifest and its entry; raises ValidationError with `errors` and its own when
    there is none that can be used."""
    try:
        info = archive.getinfo(MANIFEST)
    except KeyError:
        errors.append(f"Thiếu {MANIFEST}: không phải kho lưu trữ một năm đánh giá của parindex.")
        raise ValidationError(errors) from None
    if info.file_size > MAX_MANIFEST_BYTES:
        errors.append(f"{MANIFEST} lớn {info.file_size} byte, quá giới hạn.")
        raise ValidationError(errors)
    problem, _digest, raw = _member_read(archive, info, keep=True)
    manifest, manifest_errors = manifest_parse(None if problem else raw)
    errors += manifest_errors
    if manifest is None:
        raise ValidationError(errors)
    return manifest, info


def _listing_check(declared: dict[str, tuple[str, int]], present: dict) -> list[str]:
    """The members present are those declared, and the required ones are declared."""
    errors = [
        f"Thiếu thành phần '{name}' (có trong {MANIFEST})."
        for name in declared
        if name not in present
    ]
    errors += [
        f"Thành phần '{name}' không có trong {MANIFEST}."
        for name in present
        if name not in declared
    ]
    errors += [
        f"{MANIFEST} không khai báo thành phần bắt buộc '{name}'."
        for name in (WORKBOOK, EVIDENCE)
        if name not in declared
    ]
    return errors


def _member_check(
    archive: zipfile.ZipFile, name: str, info: zipfile.ZipInfo | None, expected: str, size: int
) -> str | None:
    """Why a declared member does not match the manifest (size, SHA-256, and for evidence
    the type its content shows), or None. Read once, one member in memory at a time."""
    if info is None or member_name_problem(name):
        return None  # already reported
    limit = member_size_limit(name)
    if size > limit:
        return f"Thành phần '{name}': {size} byte, quá giới hạn {limit} byte."
    if info.file_size != size:
        return f"Thành phần '{name}': kích thước {info.file_size} byte, {MANIFEST} ghi {size} byte."
    evidence = EVIDENCE_MEMBER.fullmatch(name)
    problem, actual, content = _member_read(archive, info, keep=evidence is not None)
    if problem:
        return f"Thành phần '{name}' hỏng: {problem} (SHA-256 mong đợi {expected})."
    if actual != expected:
        return (
            f"Thành phần '{name}': SHA-256 {actual} khác {MANIFEST} ({expected}); "
            "tệp đã bị sửa hoặc hỏng."
        )
    if evidence is not None and evidence.group(2) in ("docx", "xlsx"):
        # An office file is a zip: measured by what it inflates to, not what it declares.
        refusal = zip_refusal(
            content, limit=MAX_UNZIPPED_BYTES, what=f"Thành phần '{name}' (tệp {evidence.group(2)})"
        )
        if refusal:
            return refusal
    if evidence is not None:
        # As on upload, the type is read from the content (one file in memory at a time).
        sniffed = sniff_kind(content[:16], content)
        if sniffed != evidence.group(2):
            return (
                f"Thành phần '{name}': nội dung không phải tệp {evidence.group(2).upper()} "
                f"(nhận dạng theo nội dung: {sniffed or 'không rõ'})."
            )
    return None


def manifest_parse(raw: bytes | None) -> tuple[dict | None, list[str]]:
    """The manifest, checked field by field; (None, errors) when it cannot be used."""
    if raw is None:
        return None, [f"{MANIFEST}: không đọc được."]
    try:
        manifest = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        where = f" (dòng {error.lineno}, cột {error.colno})" if hasattr(error, "lineno") else ""
        return None, [f"{MANIFEST}: không phải JSON hợp lệ{where}."]
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
        logger.info("archive member %s: %s", info.filename, e)
        return "không giải nén được (dữ liệu nén hỏng)", "", b""
    return None, digest.hexdigest(), b"".join(kept or [])


def _json_member(archive: zipfile.ZipFile, name: str, errors: list[str]) -> dict:
    try:
        with archive.open(name) as stream:
            value = json.load(io.TextIOWrapper(stream, encoding="utf-8"))
    except (UnicodeDecodeError, ValueError, zipfile.BadZipFile, zlib.error, EOFError) as error:
        logger.info("archive member %s: %s", name, error)
        errors.append(f"{name}: không phải JSON hợp lệ hoặc bị hỏng.")
        return {}
    if not isinstance(value, dict):
        errors.append(f"{name}: phải là một đối tượng JSON.")
        return {}
    return value


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
