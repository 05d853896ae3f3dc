"""Validating a year workbook's rows into a plain structure, collecting every error.

Nothing here touches the database except the final look at the year being replaced; the
result (`YearData`) is what `write.py` stores.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from criteria.models import Criterion, Year, code_sort_key
from criteria.phase import frozen_message
from criteria.rules import (
    DEFAULT_RULES,
    parse_bands,
    parse_class_rule,
    parse_rubric,
    parse_self_review,
    rubric_points,
)
from surveys.ballots import (
    AnswerRow,
    SurveyCodes,
    SurveyQuestion,
    ballot_rows_validate,
    cell_text,
    location,
)

from .cells import RowCells, parse_day, plain, shown, window_end, window_start
from .read import Rows

ZERO = Decimal(0)
ONE = Decimal(1)
YEAR_KEYS = (
    "year",
    "name",
    "self_assessment_opens",
    "self_assessment_closes",
    "appraisal_opens",
    "appraisal_closes",
    # Optional, beyond INTERFACES §2 (which ignores nothing here): the explanation round.
    "explanation_opens",
    "explanation_closes",
    "published_on",
)
RULE_PARSERS = {
    "bands": parse_bands,
    "xuat_sac": parse_class_rule,
    "tot": parse_class_rule,
    "hoan_thanh": parse_class_rule,
    "self_review": parse_self_review,
}
RULE_LENGTHS = {"bands": 60, "xuat_sac": 20, "tot": 20, "hoan_thanh": 20, "self_review": 200}
METHODS = tuple(Criterion.Method.values)
KINDS = tuple(Criterion.Kind.values)


@dataclass
class UnitData:
    block: str
    code: str
    name: str
    head_title: str = ""
    head_name: str = ""


@dataclass
class CriterionData:
    block: str
    code: str
    name: str
    max_points: Decimal | None  # as given; `total` is the effective maximum
    method: str = ""
    counts_for_classification: bool | None = None
    kind: str = Criterion.Kind.NORMAL
    rubric: list[list[str]] = field(default_factory=list)
    row: int = 0
    parent: str | None = None
    is_leaf: bool = True
    total: Decimal | None = None

    @property
    def sort_key(self) -> str:
        return code_sort_key(self.code)

    @property
    def depth(self) -> int:
        return self.code.count(".")


@dataclass
class ScoreData:
    unit: str
    block: str
    criterion: str
    self_score: Decimal | None = None
    appraised_score: Decimal | None = None
    not_applicable: bool = False
    self_value: Decimal | None = None
    appraised_value: Decimal | None = None
    self_note: str = ""
    appraisal_note: str = ""


@dataclass
class OptionData:
    code: str
    label: str
    coefficient: Decimal
    counted: bool = True


@dataclass
class QuestionData:
    block: str
    criterion: str
    scale: str
    groups: tuple[str, ...]
    text: str = ""


@dataclass
class YearData:
    year: int = 0
    name: str = ""
    self_assessment_opens: datetime.datetime | None = None
    self_assessment_closes: datetime.datetime | None = None
    appraisal_opens: datetime.datetime | None = None
    appraisal_closes: datetime.datetime | None = None
    explanation_opens: datetime.datetime | None = None
    explanation_closes: datetime.datetime | None = None
    published_on: datetime.date | None = None
    year_row: int = 1
    blocks: dict[str, str] = field(default_factory=dict)  # code → name
    rules: dict[str, dict[str, str]] = field(default_factory=dict)  # block → key → text
    units: dict[str, UnitData] = field(default_factory=dict)
    # Units whose row names an unknown block: rows about them are not checked further.
    faulty_units: set[str] = field(default_factory=set)
    criteria: dict[tuple[str, str], CriterionData] = field(default_factory=dict)
    scores: list[ScoreData] = field(default_factory=list)
    groups: dict[str, str] = field(default_factory=dict)
    scales: dict[str, list[OptionData]] = field(default_factory=dict)
    questions: list[QuestionData] = field(default_factory=list)
    answers: list[AnswerRow] = field(default_factory=list)

    @property
    def status(self) -> str:
        return Year.Status.PUBLISHED if self.published_on else Year.Status.DRAFT


def workbook_validate(sheets: dict[str, Rows]) -> tuple[YearData, list[str]]:
    """Every sheet checked, in dependency order; every error collected."""
    data = YearData()
    errors: list[str] = []
    _year(sheets.get("year", []), data, errors)
    _blocks(sheets.get("blocks", []), data, errors)
    _rules(sheets.get("rules", []), data, errors)
    _units(sheets.get("units", []), data, errors)
    _criteria(sheets.get("criteria", []), data, errors)
    _scores(sheets.get("scores", []), data, errors)
    _groups(sheets.get("groups", []), data, errors)
    _scales(sheets.get("scales", []), data, errors)
    _questions(sheets.get("questions", []), data, errors)
    data.answers, ballot_errors = ballot_rows_validate(
        rows=sheets.get("ballots", []), codes=survey_codes_of(data)
    )
    errors.extend(ballot_errors)
    return data, errors


def year_target_check(*, data: YearData, replace: bool) -> list[str]:
    """A published year is never replaced; an existing one only with `replace`."""
    if not data.year:
        return []
    existing = Year.objects.filter(year=data.year).first()
    if existing is None:
        return []
    where = ("year", data.year_row, "value")
    if existing.is_published:
        return [location(*where, frozen_message(data.year))]
    if not replace:
        return [
            location(
                *where,
                f"năm {data.year} đã có trong hệ thống; nhập với --replace để thay thế "
                "toàn bộ dữ liệu của năm",
            )
        ]
    return []


def survey_codes_of(data: YearData) -> SurveyCodes:
    return SurveyCodes(
        year=data.year,
        groups=frozenset(data.groups),
        unit_blocks={code: unit.block for code, unit in data.units.items()},
        criteria={
            key: (node.method if node.is_leaf else "") for key, node in data.criteria.items()
        },
        questions={
            (q.block, q.criterion): SurveyQuestion(scale=q.scale, groups=frozenset(q.groups))
            for q in data.questions
        },
        options={
            scale: frozenset(option.code for option in options)
            for scale, options in data.scales.items()
        },
        unchecked_units=frozenset(data.faulty_units),
    )


def _year(rows: Rows, data: YearData, errors: list[str]) -> None:
    seen: dict[str, int] = {}
    for number, row in rows:
        cells = RowCells("year", number, row, errors)
        key = cells.text("key", required=True)
        if not key:
            continue
        if key not in YEAR_KEYS:
            cells.error("key", f"khóa '{key}' không hợp lệ; các khóa: {', '.join(YEAR_KEYS)}")
            continue
        if key in seen:
            cells.error("key", f"khóa '{key}' lặp lại (dòng {seen[key]})")
            continue
        seen[key] = number
        raw = row.get("value")
        if key == "year":
            data.year_row = number
            value = cells.decimal("value", required=True, places=0, digits=4, minimum=Decimal(1900))
            if value is not None:
                data.year = int(value)
        elif key == "name":
            data.name = cells.text("value", required=True, max_length=300)
        elif cell_text(raw):
            parse = {"published_on": parse_day}.get(
                key, window_start if key.endswith("_opens") else window_end
            )
            try:
                setattr(data, key, parse(raw))
            except ValueError as error:
                cells.error("value", str(error))
    for key in ("year", "name"):
        if key not in seen:
            errors.append(location("year", 1, "key", f"thiếu khóa bắt buộc '{key}'"))
    for window in ("self_assessment", "appraisal", "explanation"):
        opens = getattr(data, f"{window}_opens")
        closes = getattr(data, f"{window}_closes")
        if opens and closes and closes <= opens:
            errors.append(
                location(
                    "year",
                    seen[f"{window}_closes"],
                    "value",
                    f"{window}_closes phải sau {window}_opens",
                )
            )


def _blocks(rows: Rows, data: YearData, errors: list[str]) -> None:
    first: dict[str, int] = {}
    for number, row in rows:
        cells = RowCells("blocks", number, row, errors)
        code = cells.code("code", max_length=8)
        name = cells.text("name", required=True, max_length=200)
        if code in first:
            cells.error("code", f"mã khối '{code}' lặp lại (dòng {first[code]})")
        elif code and "code" not in cells.failed:
            first[code] = number
            data.blocks[code] = name


def _block_of(cells: RowCells, data: YearData) -> str:
    block = cells.text("block", required=True)
    if block and block not in data.blocks:
        cells.error("block", f"khối '{block}' không có trong trang blocks")
        return ""
    return block


def _rules(rows: Rows, data: YearData, errors: list[str]) -> None:
    first: dict[tuple[str, str], int] = {}
    for number, row in rows:
        cells = RowCells("rules", number, row, errors)
        block = _block_of(cells, data)
        key = cells.text("key", required=True)
        value = cells.text("value", required=True)
        if key and key not in RULE_PARSERS:
            cells.error(
                "key", f"quy tắc '{key}' không hợp lệ; các quy tắc: {', '.join(DEFAULT_RULES)}"
            )
            continue
        if value and key:
            try:
                RULE_PARSERS[key](value)
            except ValueError as error:
                cells.error("value", str(error))
            if len(value) > RULE_LENGTHS[key]:
                cells.error("value", f"dài quá {RULE_LENGTHS[key]} ký tự")
        if block and key:
            if (block, key) in first:
                cells.error(
                    "key", f"quy tắc '{key}' của khối {block} lặp lại (dòng {first[block, key]})"
                )
            else:
                first[block, key] = number
        if cells.ok:
            data.rules.setdefault(block, {})[key] = value


def _units(rows: Rows, data: YearData, errors: list[str]) -> None:
    first: dict[str, int] = {}
    for number, row in rows:
        cells = RowCells("units", number, row, errors)
        block = _block_of(cells, data)
        code = cells.code("code", max_length=16)
        unit = UnitData(
            block=block,
            code=code,
            name=cells.text("name", required=True, max_length=200),
            head_title=cells.text("head_title", max_length=200),
            head_name=cells.text("head_name", max_length=200),
        )
        if code in first:
            cells.error("code", f"mã đơn vị '{code}' lặp lại (dòng {first[code]})")
        elif code and "code" not in cells.failed:
            first[code] = number
            # Registered even with other faults, so later sheets do not repeat the error.
            if block:
                data.units[code] = unit
            else:
                data.faulty_units.add(code)


def _criteria(rows: Rows, data: YearData, errors: list[str]) -> None:
    nodes = data.criteria
    given: dict[tuple[str, str], dict] = {}
    for number, row in rows:
        cells = RowCells("criteria", number, row, errors)
        block = _block_of(cells, data)
        code = cells.code("code", max_length=32)
        if code and not all(code.split(".")):
            cells.error("code", f"mã '{code}' không đúng dạng mã phân cấp, ví dụ 3.2.1")
        name = cells.text("name", required=True)
        max_points = cells.decimal("max_points", minimum=ZERO)
        method = cells.text("method")
        if method and method not in METHODS:
            cells.error("method", f"'{method}' không hợp lệ; dùng evidence hoặc survey")
        counts = cells.flag("counts_for_classification")
        kind = cells.text("kind") or Criterion.Kind.NORMAL
        if kind not in KINDS:
            cells.error("kind", f"'{kind}' không hợp lệ; dùng normal hoặc deduction")
        rubric_text = cells.text("rubric")
        rubric: tuple = ()
        if rubric_text:
            try:
                rubric = parse_rubric(rubric_text)
                if not rubric:
                    raise ValueError("thang chấm trống")
            except ValueError as error:
                cells.error("rubric", f"thang chấm '{rubric_text}' sai: {error}")
        if not block or not code or {"code", "block"} & cells.failed:
            continue
        if (block, code) in nodes:
            cells.error(
                "code",
                f"mã tiêu chí '{code}' lặp lại trong khối {block} (dòng {nodes[block, code].row})",
            )
            continue
        nodes[block, code] = CriterionData(
            block=block,
            code=code,
            name=name,
            max_points=max_points,
            method=method if method in METHODS else "",
            counts_for_classification=counts,
            kind=kind if kind in KINDS else Criterion.Kind.NORMAL,
            rubric=[[plain(t), plain(p)] for t, p in rubric],
            row=number,
        )
        given[block, code] = {
            "failed": set(cells.failed),
            "method": method,
            "kind": kind,
            "rubric": rubric_text,
            "counts": cells.row.get("counts_for_classification"),
        }

    def error(node: CriterionData, column: str, reason: str) -> None:
        errors.append(location("criteria", node.row, column, reason))

    for (block, code), node in nodes.items():
        if "." in code:
            node.parent = code.rsplit(".", 1)[0]
            parent = nodes.get((block, node.parent))
            if parent is None:
                error(node, "code", f"tiêu chí cha '{node.parent}' không có trong khối {block}")
            else:
                parent.is_leaf = False
    for key, node in nodes.items():
        failed = given[key]["failed"]
        if node.is_leaf:
            if node.max_points is None and "max_points" not in failed:
                error(node, "max_points", "bắt buộc với tiêu chí lá")
            if not given[key]["method"]:
                error(node, "method", "bắt buộc với tiêu chí lá (evidence hoặc survey)")
            if node.rubric and node.method == Criterion.Method.SURVEY:
                error(node, "rubric", "tiêu chí chấm qua điều tra xã hội học không có thang chấm")
            if node.rubric and node.max_points is not None:
                top = max(Decimal(points) for _, points in node.rubric)
                if top > node.max_points:
                    error(
                        node,
                        "rubric",
                        f"điểm {shown(top)} của thang chấm lớn hơn điểm tối đa "
                        f"{shown(node.max_points)}",
                    )
            node.total = node.max_points
        else:
            if given[key]["method"]:
                error(node, "method", "chỉ tiêu chí lá mới có phương pháp chấm")
            if given[key]["kind"] == Criterion.Kind.DEDUCTION:
                error(node, "kind", "chỉ tiêu chí lá mới là điểm trừ")
            if given[key]["rubric"]:
                error(node, "rubric", "chỉ tiêu chí lá mới có thang chấm")
        if node.parent is not None and cell_text(given[key]["counts"]):
            error(node, "counts_for_classification", "chỉ dùng cho lĩnh vực (cấp cao nhất)")

    children: dict[tuple[str, str], list[CriterionData]] = defaultdict(list)
    for node in nodes.values():
        if node.parent is not None:
            children[node.block, node.parent].append(node)
    # Deepest first, so every child's maximum is known before its parent's.
    for node in sorted(nodes.values(), key=lambda n: n.depth, reverse=True):
        if node.is_leaf:
            continue
        below = [c for c in children[node.block, node.code] if c.kind != Criterion.Kind.DEDUCTION]
        if any(child.total is None for child in below):
            continue
        total = sum((child.total for child in below), ZERO)
        if node.max_points is not None and node.max_points != total:
            error(
                node,
                "max_points",
                f"điểm tối đa {shown(node.max_points)} khác tổng điểm tối đa các tiêu chí con "
                f"{shown(total)}",
            )
        node.total = total


def _scores(rows: Rows, data: YearData, errors: list[str]) -> None:
    first: dict[tuple[str, str], int] = {}
    for number, row in rows:
        cells = RowCells("scores", number, row, errors)
        unit_code = cells.text("unit", required=True)
        code = cells.text("criterion", required=True)
        unit = data.units.get(unit_code)
        node = None
        if unit_code in data.faulty_units:
            continue
        if unit_code and unit is None:
            cells.error("unit", f"đơn vị '{unit_code}' không có trong trang units")
        elif unit is not None and code:
            node = data.criteria.get((unit.block, code))
            if node is None:
                cells.error("criterion", f"tiêu chí '{code}' không có trong khối {unit.block}")
            elif not node.is_leaf:
                cells.error("criterion", f"tiêu chí '{code}' không phải tiêu chí lá")
                node = None
            elif node.method == Criterion.Method.SURVEY:
                cells.error(
                    "criterion",
                    f"tiêu chí '{code}' chấm qua điều tra xã hội học, không nhập điểm",
                )
                node = None
            elif (unit_code, code) in first:
                cells.error(
                    "criterion",
                    f"điểm của đơn vị '{unit_code}' cho tiêu chí '{code}' lặp lại "
                    f"(dòng {first[unit_code, code]})",
                )
                node = None
            else:
                first[unit_code, code] = number
        maximum = node.max_points if node is not None else None
        score = ScoreData(
            unit=unit_code,
            block=unit.block if unit else "",
            criterion=code,
            self_score=cells.decimal("self_score", minimum=ZERO, maximum=maximum),
            appraised_score=cells.decimal("appraised_score", minimum=ZERO, maximum=maximum),
            not_applicable=bool(cells.flag("not_applicable")),
            self_value=cells.decimal("self_value", digits=14),
            appraised_value=cells.decimal("appraised_value", digits=14),
            self_note=cells.text("self_note"),
            appraisal_note=cells.text("appraisal_note"),
        )
        if node is not None and node.rubric:
            rubric = tuple((Decimal(t), Decimal(p)) for t, p in node.rubric)
            for side in ("self", "appraised"):
                value = getattr(score, f"{side}_value")
                given = getattr(score, f"{side}_score")
                if value is None or f"{side}_score" in cells.failed:
                    continue
                expected = rubric_points(rubric, value)
                if given is None:
                    # The score follows from the rubric (INTERFACES §2).
                    setattr(score, f"{side}_score", expected)
                elif given != expected:
                    cells.error(
                        f"{side}_score",
                        f"điểm {shown(given)} trái với thang chấm: giá trị {shown(value)} "
                        f"cho {shown(expected)} điểm",
                    )
        if cells.ok and node is not None:
            data.scores.append(score)


def _groups(rows: Rows, data: YearData, errors: list[str]) -> None:
    first: dict[str, int] = {}
    for number, row in rows:
        cells = RowCells("groups", number, row, errors)
        code = cells.code("code", max_length=40)
        name = cells.text("name", required=True, max_length=300)
        if code in first:
            cells.error("code", f"mã nhóm '{code}' lặp lại (dòng {first[code]})")
        elif code and "code" not in cells.failed:
            first[code] = number
            data.groups[code] = name


def _scales(rows: Rows, data: YearData, errors: list[str]) -> None:
    first: dict[tuple[str, str], int] = {}
    for number, row in rows:
        cells = RowCells("scales", number, row, errors)
        scale = cells.code("scale", max_length=40)
        option = OptionData(
            code=cells.code("option", max_length=20),
            label=cells.text("label", required=True, max_length=200),
            coefficient=cells.decimal(
                "coefficient", required=True, places=4, digits=6, minimum=ZERO, maximum=ONE
            ),
        )
        counted = cells.flag("counted")
        option.counted = True if counted is None else counted
        if {"scale", "option"} & cells.failed:
            continue
        key = (scale, option.code)
        if key in first:
            cells.error(
                "option",
                f"phương án '{option.code}' của thang đo '{scale}' lặp lại (dòng {first[key]})",
            )
            continue
        first[key] = number
        # Registered even when another cell is wrong, so ballots do not repeat the error.
        data.scales.setdefault(scale, []).append(option)


def _questions(rows: Rows, data: YearData, errors: list[str]) -> None:
    first: dict[tuple[str, str], int] = {}
    for number, row in rows:
        cells = RowCells("questions", number, row, errors)
        block = _block_of(cells, data)
        code = cells.text("criterion", required=True)
        scale = cells.text("scale", required=True)
        groups_text = cells.text("groups", required=True)
        text = cells.text("text")
        if block and code:
            node = data.criteria.get((block, code))
            if node is None:
                cells.error("criterion", f"tiêu chí '{code}' không có trong khối {block}")
            elif not node.is_leaf or node.method != Criterion.Method.SURVEY:
                cells.error(
                    "criterion",
                    f"tiêu chí '{code}' không phải tiêu chí lá chấm qua điều tra xã hội học",
                )
            elif (block, code) in first:
                cells.error(
                    "criterion",
                    f"câu hỏi cho tiêu chí '{code}' của khối {block} lặp lại "
                    f"(dòng {first[block, code]})",
                )
            else:
                first[block, code] = number
        if scale and scale not in data.scales:
            cells.error("scale", f"thang đo '{scale}' không có trong trang scales")
        groups = tuple(dict.fromkeys(g.strip() for g in groups_text.split(";") if g.strip()))
        unknown = [g for g in groups if g not in data.groups]
        if unknown:
            cells.error(
                "groups",
                "nhóm đối tượng "
                + ", ".join(f"'{g}'" for g in unknown)
                + " không có trong trang groups",
            )
        elif groups_text and not groups:
            cells.error("groups", "cần ít nhất một mã nhóm, cách nhau bởi ';'")
        if cells.ok:
            data.questions.append(QuestionData(block, code, scale, groups, text))
