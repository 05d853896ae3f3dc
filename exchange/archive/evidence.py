"""evidence.json, checked before anything is written: each file against the manifest and
the workbook (its member, checksum, unit, the leaves it is linked to, the file it replaces),
each explanation against the files and the leaves. Gives the files in the order they can be
re-created (every replaced version before its successor)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from criteria.models import Criterion

from ..workbook import YearData
from .format import EVIDENCE, EVIDENCE_MEMBER, MANIFEST, WORKBOOK


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


def evidence_plan(
    meta: dict, *, year: int, members: dict[str, tuple[str, int]], data: YearData
) -> tuple[EvidencePlan, list[str]]:
    """evidence.json (`meta`) checked against the manifest's year and members and the
    workbook."""
    errors: list[str] = []
    if meta.get("year") != year:
        errors.append(f"{EVIDENCE}: year {meta.get('year')!r} khác {MANIFEST}.")
    files, explanations = meta.get("files"), meta.get("explanations", [])
    if not isinstance(files, list) or not isinstance(explanations, list):
        return EvidencePlan([], []), [
            *errors,
            f"{EVIDENCE}: files và explanations phải là danh sách.",
        ]
    records, members_used = _file_records(files, members, data, errors)
    for name in members:
        if name.startswith("evidence/") and name not in members_used:
            errors.append(f"Thành phần '{name}' không được mô tả trong {EVIDENCE}.")
    ordered = _versions_check(records, errors)
    return EvidencePlan(ordered, _explanation_records(explanations, records, data, errors)), errors


def _leaf_problem(data: YearData, unit: str, code) -> str | None:
    """Why (unit, code) is not an evidence leaf of the unit's block, or None."""
    row = data.units.get(unit)
    if row is None:
        return f"đơn vị '{unit}' không có trong {WORKBOOK}"
    node = data.criteria.get((row.block, code)) if isinstance(code, str) else None
    if node is None:
        return f"tiêu chí {code!r} không có trong bộ chỉ số khối {row.block}"
    if not node.is_leaf or node.method != Criterion.Method.EVIDENCE:
        return f"tiêu chí {code} không phải tiêu chí lá chấm qua tài liệu kiểm chứng"
    return None


def _file_records(
    files: list, members: dict[str, tuple[str, int]], data: YearData, errors: list[str]
) -> tuple[dict[int, FileRecord], set[str]]:
    """The files that passed, by id, and the members they use; every problem in `errors`."""
    records: dict[int, FileRecord] = {}
    members_used: set[str] = set()
    for number, item in enumerate(files, start=1):
        where = f"{EVIDENCE}: files[{number}]"
        if not isinstance(item, dict):
            errors.append(f"{where}: phải là một đối tượng.")
            continue
        record, problems = _file_record(item, records, members, members_used, data)
        if problems:
            errors += [f"{where}: {problem}." for problem in problems]
        else:
            records[record.id] = record
    return records, members_used


def _file_record(
    item: dict,
    records: dict[int, FileRecord],
    members: dict[str, tuple[str, int]],
    members_used: set[str],
    data: YearData,
) -> tuple[FileRecord | None, list[str]]:
    """One of evidence.json's files, or the problems with it."""
    problems: list[str] = []
    file_id, member, unit = item.get("id"), item.get("member"), item.get("unit")
    if type(file_id) is not int or file_id in records:
        problems.append(f"id {file_id!r} thiếu hoặc trùng")
    problems += _member_problems(item, members, members_used)
    if not isinstance(unit, str) or unit not in data.units:
        problems.append(f"đơn vị {unit!r} không có trong {WORKBOOK}")
    name = item.get("original_name")
    if not isinstance(name, str) or not name.strip() or len(name) > 255:
        problems.append("original_name thiếu hoặc dài quá 255 ký tự")
    elif not name.isprintable() or "/" in name or "\\" in name:
        problems.append(f"original_name {name!r} chứa ký tự không hợp lệ")
    uploaded_by = item.get("uploaded_by")
    if uploaded_by is not None and not isinstance(uploaded_by, str):
        problems.append("uploaded_by phải là tên đăng nhập hoặc null")
    uploaded_at = _moment(item.get("uploaded_at"))
    if item.get("uploaded_at") is not None and uploaded_at is None:
        problems.append(f"uploaded_at {item.get('uploaded_at')!r} không hợp lệ")
    criteria = item.get("criteria", [])
    if not isinstance(criteria, list):
        problems.append("criteria phải là danh sách mã tiêu chí")
        criteria = []
    if isinstance(unit, str) and unit in data.units:
        for code in criteria:
            problem = _leaf_problem(data, unit, code)
            if problem:
                problems.append(problem)
    replaces = item.get("replaces")
    if replaces is not None and not isinstance(replaces, int):
        problems.append(f"replaces {replaces!r} không hợp lệ")
    if problems:
        return None, problems
    record = FileRecord(
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
    return record, []


def _member_problems(
    item: dict, members: dict[str, tuple[str, int]], members_used: set[str]
) -> list[str]:
    """The file's member: declared in the manifest, used once, with the manifest's checksum
    and size and the kind its name says. A member used here is marked in `members_used`."""
    member = item.get("member")
    if not isinstance(member, str) or member not in members:
        return [f"member {member!r} không có trong {MANIFEST}"]
    if member in members_used:
        return [f"member '{member}' đã dùng cho tệp khác"]
    members_used.add(member)
    problems = []
    expected = members[member]
    if (item.get("sha256"), item.get("size")) != expected:
        problems.append(
            f"sha256/size ({item.get('sha256')}, {item.get('size')}) khác {MANIFEST} "
            f"({expected[0]}, {expected[1]})"
        )
    match = EVIDENCE_MEMBER.fullmatch(member)
    if match is None or match.group(2) != item.get("kind"):
        problems.append(f"kind {item.get('kind')!r} không khớp tên '{member}'")
    return problems


def _versions_check(records: dict[int, FileRecord], errors: list[str]) -> list[FileRecord]:
    """Each replaced file is of the same unit and replaced once, the chains have no loop:
    the files in the order they can be created; empty once anything is wrong."""
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
    return ordered


def _explanation_records(
    explanations: list, records: dict[int, FileRecord], data: YearData, errors: list[str]
) -> list[ExplanationRecord]:
    """The explanations that passed: each on an evidence leaf of its unit, with files of
    that unit; every problem in `errors`."""
    parsed = []
    for number, item in enumerate(explanations, start=1):
        where = f"{EVIDENCE}: explanations[{number}]"
        if not isinstance(item, dict):
            errors.append(f"{where}: phải là một đối tượng.")
            continue
        problems = []
        unit, code, at = item.get("unit"), item.get("criterion"), _moment(item.get("at"))
        problem = _leaf_problem(data, unit, code) if isinstance(unit, str) else "thiếu đơn vị"
        if problem:
            problems.append(problem)
        if not isinstance(item.get("note"), str) or at is None:
            problems.append("note hoặc at không hợp lệ")
        if item.get("by") is not None and not isinstance(item.get("by"), str):
            problems.append("by phải là tên đăng nhập hoặc null")
        file_ids = item.get("files", [])
        if not isinstance(file_ids, list) or any(
            not isinstance(i, int) or i not in records or records[i].unit != unit for i in file_ids
        ):
            problems.append(f"files phải là mã các tệp của cùng đơn vị trong {EVIDENCE}")
        if problems:
            errors += [f"{where}: {problem}." for problem in problems]
            continue
        parsed.append(
            ExplanationRecord(
                unit=unit,
                criterion=code,
                note=item["note"],
                by=item.get("by"),
                at=at,
                files=tuple(file_ids),
            )
        )
    return parsed


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
