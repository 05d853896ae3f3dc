"""Validating the survey sheets: respondent groups, scales and their options, questions;
and the codes the ballots are checked against."""

from __future__ import annotations

from decimal import Decimal

from criteria.models import Criterion
from surveys.ballots import SurveyCodes, SurveyQuestion

from .cells import RowCells
from .read import Rows
from .year_data import OptionData, QuestionData, YearData, block_of

ZERO = Decimal(0)
ONE = Decimal(1)


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


def groups_validate(rows: Rows, data: YearData, errors: list[str]) -> None:
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


def scales_validate(rows: Rows, data: YearData, errors: list[str]) -> None:
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


def questions_validate(rows: Rows, data: YearData, errors: list[str]) -> None:
    first: dict[tuple[str, str], int] = {}
    for number, row in rows:
        cells = RowCells("questions", number, row, errors)
        block = block_of(cells, data)
        code = cells.text("criterion", required=True)
        scale = cells.text("scale", required=True)
        groups_text = cells.text("groups", required=True)
        text = cells.text("text")
        sipas = bool(cells.flag("sipas"))
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
        # A wrong `sipas` cell alone still registers the question: its ballots are checked.
        if cells.ok or cells.failed == {"sipas"}:
            data.questions.append(QuestionData(block, code, scale, groups, text, sipas))
