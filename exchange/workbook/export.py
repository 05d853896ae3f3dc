"""Writing a year as its workbook (INTERFACES.md §2), streamed with openpyxl write_only.

Numbers are numeric cells, dates ISO text, codes text: importing the file gives back the
same year, and exporting that again gives the same cells.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO

from openpyxl import Workbook

from criteria.models import BlockRules, Criterion, Participation, Year
from criteria.rules import DEFAULT_RULES, OPTIONAL_RULES, format_rubric
from evidence.models import Score
from kernel.ordering import unit_code_key
from kernel.sheets import write_only_cell
from surveys.models import Answer, Question, RespondentGroup, ScaleOption
from units.models import Block

from .cells import LOCAL
from .columns import COLUMNS

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RULE_FIELDS = (*DEFAULT_RULES, *OPTIONAL_RULES)


def year_workbook_render(*, year: Year) -> tuple[str, str, bytes]:
    """(filename, content type, bytes) of the year's workbook."""
    buffer = io.BytesIO()
    year_workbook_write(year=year, out=buffer)
    return f"nam-{year.year}.xlsx", CONTENT_TYPE, buffer.getvalue()


def year_workbook_export(*, year: Year, out: str | Path) -> Path:
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as stream:
        year_workbook_write(year=year, out=stream)
    return path


def year_workbook_write(*, year: Year, out: BinaryIO) -> None:
    workbook = Workbook(write_only=True)
    for sheet, rows in _sheets(year):
        worksheet = workbook.create_sheet(sheet)
        worksheet.append(COLUMNS[sheet])
        for row in rows:
            worksheet.append([_cell(worksheet, value) for value in row])
    workbook.save(out)


def _cell(worksheet, value):
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        # 5.000 → 5, 0.500 → 0.5: the number, not its stored precision.
        normal = value.normalize()
        return int(normal) if normal == normal.to_integral_value() else normal
    # User text that looks like a formula stays text (kernel/sheets.py); it reads back as
    # the same text, so the round trip is unchanged.
    return write_only_cell(worksheet, value)


def _flag(value: bool | None) -> int | None:
    return None if value is None else int(value)


def _opens(value: datetime.datetime | None) -> str | None:
    if value is None:
        return None
    local = value.astimezone(LOCAL)
    if local.time() == datetime.time.min:
        return local.date().isoformat()
    return local.replace(tzinfo=None).isoformat()


def _closes(value: datetime.datetime | None) -> str | None:
    """Stored as 00:00 of the next day: written as the day itself (INTERFACES §2)."""
    if value is None:
        return None
    local = value.astimezone(LOCAL)
    if local.time() == datetime.time.min:
        return (local.date() - datetime.timedelta(days=1)).isoformat()
    return local.replace(tzinfo=None).isoformat()


def _sheets(year: Year) -> Iterable[tuple[str, Iterable[list]]]:
    """Every sheet's rows, in the order of COLUMNS; the largest are streamed."""
    participations = sorted(
        Participation.objects.filter(year=year).select_related("unit", "block"),
        key=lambda p: (p.block.code, unit_code_key(p.unit.code)),
    )
    criteria = list(
        Criterion.objects.filter(year=year)
        .select_related("block")
        .order_by("block__code", "sort_key")
    )
    rules = list(
        BlockRules.objects.filter(year=year).select_related("block").order_by("block__code")
    )
    block_ids = (
        {p.block_id for p in participations}
        | {c.block_id for c in criteria}
        | {r.block_id for r in rules}
    )
    blocks = list(Block.objects.filter(pk__in=block_ids).order_by("code"))

    yield "year", _year_rows(year)
    yield (
        "rules",
        [
            [rule.block.code, key, getattr(rule, key)]
            for rule in rules
            for key in RULE_FIELDS
            if key not in OPTIONAL_RULES or getattr(rule, key)
        ],
    )
    yield "blocks", [[block.code, block.name, block.kind] for block in blocks]
    yield (
        "units",
        [
            [p.block.code, p.unit.code, p.name, p.head_title, p.head_name, p.kind, p.predecessors]
            for p in participations
        ],
    )
    yield "criteria", [_criterion_row(c) for c in criteria]
    yield "scores", _score_rows(year)
    yield (
        "groups",
        RespondentGroup.objects.filter(year=year).order_by("code").values_list("code", "name"),
    )
    yield "scales", _scale_rows(year)
    yield "questions", _questions(year)
    yield "ballots", _ballot_rows(year)


def _year_rows(year: Year) -> list[list]:
    province = [["province", year.province]] if year.province else []
    return [
        ["year", year.year],
        ["name", year.name],
        ["self_assessment_opens", _opens(year.self_assessment_opens)],
        ["self_assessment_closes", _closes(year.self_assessment_closes)],
        ["appraisal_opens", _opens(year.appraisal_opens)],
        ["appraisal_closes", _closes(year.appraisal_closes)],
        ["explanation_opens", _opens(year.explanation_opens)],
        ["explanation_closes", _closes(year.explanation_closes)],
        ["published_on", year.published_on.isoformat() if year.published_on else None],
        *province,
    ]


def _criterion_row(c: Criterion) -> list:
    return [
        c.block.code,
        c.code,
        c.name,
        c.max_points,
        c.method if c.is_leaf else None,
        _flag(c.counts_for_classification) if c.parent_id is None else None,
        c.kind,
        format_rubric(c.rubric) if c.rubric else None,
    ]


def _score_rows(year: Year) -> Iterable[list]:
    return (
        [
            unit_code,
            criterion_code,
            s.self_score,
            s.appraised_score,
            1 if s.not_applicable else None,
            s.self_value,
            s.appraised_value,
            s.self_note,
            s.appraisal_note,
        ]
        for s, unit_code, criterion_code in _scores(year)
    )


def _scale_rows(year: Year) -> Iterable[list]:
    return (
        [scale, code, label, coefficient, int(counted)]
        for scale, code, label, coefficient, counted in ScaleOption.objects.filter(scale__year=year)
        .order_by("scale__code", "position", "pk")
        .values_list("scale__code", "code", "label", "coefficient", "counted")
    )


def _ballot_rows(year: Year) -> Iterable[tuple]:
    return (
        Answer.objects.filter(ballot__year=year)
        .order_by("pk")
        .values_list(
            "ballot__code",
            "ballot__group__code",
            "participation__unit__code",
            "criterion__code",
            "option__code",
        )
        .iterator(chunk_size=5000)
    )


def _scores(year: Year):
    scores = Score.objects.filter(participation__year=year).select_related(
        "participation__unit", "criterion"
    )
    for score in sorted(
        scores,
        key=lambda s: (unit_code_key(s.participation.unit.code), s.criterion.sort_key),
    ):
        yield score, score.participation.unit.code, score.criterion.code


def _questions(year: Year) -> list[list]:
    groups: dict[int, list[str]] = {}
    for question_id, code in (
        Question.groups.through.objects.filter(question__criterion__year=year)
        .order_by("respondentgroup__code")
        .values_list("question_id", "respondentgroup__code")
    ):
        groups.setdefault(question_id, []).append(code)
    return [
        [block, code, scale, ";".join(groups.get(pk, [])), text, 1 if sipas else None]
        for pk, block, code, scale, text, sipas in Question.objects.filter(criterion__year=year)
        .order_by("criterion__block__code", "criterion__sort_key")
        .values_list(
            "pk", "criterion__block__code", "criterion__code", "scale__code", "text", "sipas"
        )
    ]
