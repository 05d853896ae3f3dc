"""Validating the criteria tree and the scores given on its leaves."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from criteria.models import Criterion
from criteria.rules import measured_value_check, parse_rubric, rubric_points
from surveys.ballots import cell_text, location

from .cells import RowCells, plain, shown
from .read import Rows
from .year_data import CriterionData, ScoreData, YearData, block_of

ZERO = Decimal(0)
METHODS = tuple(Criterion.Method.values)
KINDS = tuple(Criterion.Kind.values)


@dataclass
class Written:
    """What a criteria row wrote, beyond what CriterionData keeps: the later checks need it."""

    failed: set[str]
    method: str
    kind: str
    rubric: str
    counts: object


def criteria_validate(rows: Rows, data: YearData, errors: list[str]) -> None:
    """The tree: its rows, then who is whose parent, what each node may carry, the maxima."""
    written = _criteria_rows(rows, data, errors)
    _criteria_link(data.criteria, errors)
    for key, node in data.criteria.items():
        _criterion_columns_check(node, written[key], errors)
    _criteria_maxima(data.criteria, errors)


def _criteria_rows(rows: Rows, data: YearData, errors: list[str]) -> dict[tuple[str, str], Written]:
    """Each row read into `data.criteria`; a row without a usable block and code is left out."""
    nodes = data.criteria
    written: dict[tuple[str, str], Written] = {}
    for number, row in rows:
        cells = RowCells("criteria", number, row, errors)
        block = block_of(cells, data)
        code = cells.code("code", max_length=32)
        if code and not all(code.split(".")):
            cells.error("code", f"mã '{code}' không đúng dạng mã phân cấp, ví dụ 3.2.1")
        name = cells.text("name", required=True, max_length=Criterion.NAME_MAX_LENGTH)
        max_points = cells.decimal("max_points", minimum=ZERO)
        method = cells.text("method")
        if method and method not in METHODS:
            cells.error("method", f"'{method}' không hợp lệ; dùng evidence hoặc survey")
        counts = cells.flag("counts_for_classification")
        kind = cells.text("kind") or Criterion.Kind.NORMAL
        if kind not in KINDS:
            cells.error("kind", f"'{kind}' không hợp lệ; dùng {', '.join(KINDS)}")
        rubric_text = cells.text("rubric")
        rubric = _rubric_read(cells, rubric_text)
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
        written[block, code] = Written(
            failed=set(cells.failed),
            method=method,
            kind=kind,
            rubric=rubric_text,
            counts=cells.row.get("counts_for_classification"),
        )
    return written


def _rubric_read(cells: RowCells, text: str) -> tuple:
    if not text:
        return ()
    try:
        rubric = parse_rubric(text)
        if not rubric:
            raise ValueError("thang chấm trống")
    except ValueError as error:
        cells.error("rubric", f"thang chấm '{text}' sai: {error}")
        return ()
    return rubric


def _node_error(errors: list[str], node: CriterionData, column: str, reason: str) -> None:
    errors.append(location("criteria", node.row, column, reason))


def _criteria_link(nodes: dict[tuple[str, str], CriterionData], errors: list[str]) -> None:
    """A node's parent is its code without the last segment; a parent is no leaf."""
    for (block, code), node in nodes.items():
        if "." in code:
            node.parent = code.rsplit(".", 1)[0]
            parent = nodes.get((block, node.parent))
            if parent is None:
                _node_error(
                    errors,
                    node,
                    "code",
                    f"tiêu chí cha '{node.parent}' không có trong khối {block}",
                )
            else:
                parent.is_leaf = False


def _criterion_columns_check(node: CriterionData, written: Written, errors: list[str]) -> None:
    """What a leaf must carry (a maximum, a method) and what only a leaf or an area may."""
    if node.is_leaf:
        if node.max_points is None and "max_points" not in written.failed:
            _node_error(errors, node, "max_points", "bắt buộc với tiêu chí lá")
        if not written.method:
            _node_error(errors, node, "method", "bắt buộc với tiêu chí lá (evidence hoặc survey)")
        if node.rubric and node.method == Criterion.Method.SURVEY:
            _node_error(
                errors, node, "rubric", "tiêu chí chấm qua điều tra xã hội học không có thang chấm"
            )
        if node.rubric and node.max_points is not None:
            top = max(Decimal(points) for _, points in node.rubric)
            if top > node.max_points:
                _node_error(
                    errors,
                    node,
                    "rubric",
                    f"điểm {shown(top)} của thang chấm lớn hơn điểm tối đa "
                    f"{shown(node.max_points)}",
                )
        node.total = node.max_points
    else:
        if written.method:
            _node_error(errors, node, "method", "chỉ tiêu chí lá mới có phương pháp chấm")
        if written.kind == Criterion.Kind.DEDUCTION:
            _node_error(errors, node, "kind", "chỉ tiêu chí lá mới là điểm trừ")
        elif written.kind == Criterion.Kind.BONUS:
            _node_error(errors, node, "kind", "chỉ tiêu chí lá mới là điểm thưởng")
        if written.rubric:
            _node_error(errors, node, "rubric", "chỉ tiêu chí lá mới có thang chấm")
    if node.parent is not None and cell_text(written.counts):
        _node_error(
            errors, node, "counts_for_classification", "chỉ dùng cho lĩnh vực (cấp cao nhất)"
        )


def _criteria_maxima(nodes: dict[tuple[str, str], CriterionData], errors: list[str]) -> None:
    """An inner node's maximum is the sum of its `normal` children's (deduction and bonus
    leaves add to no maximum, DOMAIN §8); a maximum written on it must equal that sum."""
    children: dict[tuple[str, str], list[CriterionData]] = defaultdict(list)
    for node in nodes.values():
        if node.parent is not None:
            children[node.block, node.parent].append(node)
    # Deepest first, so every child's maximum is known before its parent's.
    for node in sorted(nodes.values(), key=lambda n: n.depth, reverse=True):
        if node.is_leaf:
            continue
        below = [c for c in children[node.block, node.code] if c.kind == Criterion.Kind.NORMAL]
        if any(child.total is None for child in below):
            continue
        total = sum((child.total for child in below), ZERO)
        if node.max_points is not None and node.max_points != total:
            _node_error(
                errors,
                node,
                "max_points",
                f"điểm tối đa {shown(node.max_points)} khác tổng điểm tối đa các tiêu chí con "
                f"{shown(total)}",
            )
        node.total = total


def scores_validate(rows: Rows, data: YearData, errors: list[str]) -> None:
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
                try:
                    measured_value_check(rubric, value)
                except ValueError as error:
                    cells.error(f"{side}_value", f"giá trị {error}")
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
