"""Storing a validated year workbook: one transaction, bulk inserts, no per-row queries."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from criteria.models import BlockRules, Criterion, Participation, Year, code_sort_key
from criteria.phase import year_refuse_if_frozen
from criteria.rules import DEFAULT_RULES, OPTIONAL_RULES
from evidence.models import Score
from kernel.audit import audit_record
from surveys.ballots import ballot_rows_write
from surveys.models import (
    Question,
    RespondentGroup,
    Scale,
    ScaleOption,
)
from units.models import Block, Unit

from .delete import year_data_delete
from .replace import Carried, replace_refusals, replace_status
from .year_data import YearData

BATCH_SIZE = 2000
REPLACE_ACTION = "Nhập lại năm"
# The year's own fields a replace may change, recorded old → new in the audit trail.
YEAR_FACTS = (
    "name",
    "status",
    "self_assessment_opens",
    "self_assessment_closes",
    "appraisal_opens",
    "appraisal_closes",
    "explanation_opens",
    "explanation_closes",
    "published_on",
    "province",
)


def year_data_write(
    *,
    data: YearData,
    replace: bool = False,
    carried: Carried | None = None,
    source: str = "tệp Excel",
) -> tuple[Year, dict[str, int]]:
    """Write a validated workbook; returns the year and the rows stored per sheet.

    Replacing checks again, under the lock on the year, that no work would be lost
    (`replace.py`); the year keeps its phase, and the replace is audited."""
    with transaction.atomic():
        existing = Year.objects.select_for_update().filter(year=data.year).first()
        status, before = data.status, None
        if existing is not None:
            year_refuse_if_frozen(existing)
            if not replace:
                raise ValidationError(f"Năm {data.year} đã có trong hệ thống.")
            refusals = replace_refusals(existing=existing, data=data, carried=carried)
            if refusals:
                raise ValidationError(refusals)
            status, before = replace_status(existing=existing, data=data), _year_facts(existing)
            year_data_delete(year=existing)

        blocks = _blocks_save(data)
        year = _year_create(data, status)
        BlockRules.objects.bulk_create(
            BlockRules(
                year=year,
                block_id=blocks[code],
                **{**DEFAULT_RULES, **OPTIONAL_RULES, **data.rules.get(code, {})},
            )
            for code in data.blocks
        )
        participations = _participations_save(data, year, blocks)
        criteria = _criteria_save(data, year, blocks)
        _scores_save(data, participations, criteria)
        _surveys_save(data, year, criteria)
        _ballots, answers = ballot_rows_write(year=year, answers=data.answers)
        counts = _counts(data, answers)
        if before is not None:
            _replace_audit(year, before, counts, source)
    return year, counts


def _year_create(data: YearData, status: str) -> Year:
    return Year.objects.create(
        year=data.year,
        name=data.name,
        status=status,
        self_assessment_opens=data.self_assessment_opens,
        self_assessment_closes=data.self_assessment_closes,
        appraisal_opens=data.appraisal_opens,
        appraisal_closes=data.appraisal_closes,
        explanation_opens=data.explanation_opens,
        explanation_closes=data.explanation_closes,
        published_on=data.published_on,
        province=data.province,
    )


def _year_facts(year: Year) -> dict[str, str]:
    """The year's own fields in words, as the audit trail shows them (verbose name → text)."""
    facts = {}
    for name in YEAR_FACTS:
        field = Year._meta.get_field(name)
        value = getattr(year, name)
        if name == "status":
            text = year.get_status_display()
        elif isinstance(value, datetime.datetime):
            text = timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
        elif isinstance(value, datetime.date):
            text = value.strftime("%d/%m/%Y")
        else:
            text = "" if value is None else str(value)
        facts[str(field.verbose_name).capitalize()] = text
    return facts


def _replace_audit(year: Year, before: dict[str, str], counts: dict[str, int], source: str):
    after = _year_facts(year)
    audit_record(
        actor=None,
        action=REPLACE_ACTION,
        obj=year,
        year=year.year,
        changes={field: (old, after[field]) for field, old in before.items()},
        note=(
            f"Thay toàn bộ dữ liệu năm {year.year} từ {source}: {counts['units']} đơn vị, "
            f"{counts['criteria']} tiêu chí, {counts['scores']} điểm, "
            f"{counts['questions']} câu hỏi, {counts['ballots']} câu trả lời phiếu."
        ),
    )


def _counts(data: YearData, answers: int) -> dict[str, int]:
    return {
        "year": 1,
        "blocks": len(data.blocks),
        "rules": sum(len(rules) for rules in data.rules.values()),
        "units": len(data.units),
        "criteria": len(data.criteria),
        "scores": len(data.scores),
        "groups": len(data.groups),
        "scales": sum(len(options) for options in data.scales.values()),
        "questions": len(data.questions),
        "ballots": answers,
    }


def _scores_save(
    data: YearData, participations: dict[str, int], criteria: dict[tuple[str, str], int]
) -> None:
    Score.objects.bulk_create(
        (
            Score(
                participation_id=participations[s.unit],
                criterion_id=criteria[s.block, s.criterion],
                self_score=s.self_score,
                appraised_score=s.appraised_score,
                not_applicable=s.not_applicable,
                self_value=s.self_value,
                appraised_value=s.appraised_value,
                self_note=s.self_note,
                appraisal_note=s.appraisal_note,
            )
            for s in data.scores
        ),
        batch_size=BATCH_SIZE,
    )


def _blocks_save(data: YearData) -> dict[str, int]:
    """Blocks are shared by the years: the name is the workbook's; the kind too when given
    (a history workbook without kinds leaves a block's kind as it is)."""
    stored = {block.code: block for block in Block.objects.filter(code__in=data.blocks)}
    changed = []
    for code, name in data.blocks.items():
        block = stored.get(code)
        kind = data.block_kinds.get(code, block.kind if block is not None else "")
        if block is not None and (block.name, block.kind) != (name, kind):
            block.name, block.kind = name, kind
            changed.append(block)
    Block.objects.bulk_update(changed, ["name", "kind"])
    created = Block.objects.bulk_create(
        Block(code=code, name=name, kind=data.block_kinds.get(code, ""))
        for code, name in data.blocks.items()
        if code not in stored
    )
    return {block.code: block.pk for block in (*stored.values(), *created)}


def _participations_save(data: YearData, year: Year, blocks: dict[str, int]) -> dict[str, int]:
    stored = {unit.code: unit for unit in Unit.objects.filter(code__in=data.units)}
    # A unit's name and head are the latest known: an older year does not overwrite them.
    latest = dict(
        Participation.objects.filter(unit__code__in=data.units)
        .values_list("unit__code")
        .annotate(last=Max("year__year"))
        .order_by()
    )
    fields = ("name", "head_title", "head_name")
    changed = []
    for code, row in data.units.items():
        unit = stored.get(code)
        if unit is None or latest.get(code, 0) > data.year:
            continue
        values = {"block_id": blocks[row.block], **{f: getattr(row, f) for f in fields}}
        if any(getattr(unit, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(unit, key, value)
            changed.append(unit)
    Unit.objects.bulk_update(changed, ["block_id", *fields], batch_size=BATCH_SIZE)
    created = Unit.objects.bulk_create(
        (
            Unit(
                code=code,
                block_id=blocks[row.block],
                **{f: getattr(row, f) for f in fields},
            )
            for code, row in data.units.items()
            if code not in stored
        ),
        batch_size=BATCH_SIZE,
    )
    units = {unit.code: unit.pk for unit in (*stored.values(), *created)}
    Participation.objects.bulk_create(
        (
            Participation(
                year=year,
                unit_id=units[code],
                block_id=blocks[row.block],
                kind=row.kind,
                predecessors=row.predecessors,
                **{f: getattr(row, f) for f in fields},
            )
            for code, row in data.units.items()
        ),
        batch_size=BATCH_SIZE,
    )
    return dict(Participation.objects.filter(year=year).values_list("unit__code", "pk"))


def _criteria_save(
    data: YearData, year: Year, blocks: dict[str, int]
) -> dict[tuple[str, str], int]:
    """Level by level, so every parent has its id before its children are inserted."""
    ids: dict[tuple[str, str], int] = {}
    by_depth: dict[int, list] = {}
    for node in data.criteria.values():
        by_depth.setdefault(node.depth, []).append(node)
    for depth in sorted(by_depth):
        nodes = by_depth[depth]
        created = Criterion.objects.bulk_create(
            (
                Criterion(
                    year=year,
                    block_id=blocks[node.block],
                    code=node.code,
                    sort_key=code_sort_key(node.code),
                    parent_id=ids[node.block, node.parent] if node.parent else None,
                    name=node.name,
                    max_points=node.total,
                    method=node.method if node.is_leaf else "",
                    kind=node.kind,
                    counts_for_classification=node.counts_for_classification,
                    rubric=node.rubric,
                    is_leaf=node.is_leaf,
                )
                for node in nodes
            ),
            batch_size=BATCH_SIZE,
        )
        for node, criterion in zip(nodes, created, strict=True):
            ids[node.block, node.code] = criterion.pk
    return ids


def _surveys_save(data: YearData, year: Year, criteria: dict[tuple[str, str], int]) -> None:
    groups = {
        group.code: group.pk
        for group in RespondentGroup.objects.bulk_create(
            RespondentGroup(year=year, code=code, name=name) for code, name in data.groups.items()
        )
    }
    scales = {
        scale.code: scale.pk
        for scale in Scale.objects.bulk_create(Scale(year=year, code=code) for code in data.scales)
    }
    ScaleOption.objects.bulk_create(
        ScaleOption(
            scale_id=scales[code],
            code=option.code,
            label=option.label,
            coefficient=option.coefficient,
            counted=option.counted,
            position=position,
        )
        for code, options in data.scales.items()
        for position, option in enumerate(options, start=1)
    )
    questions = Question.objects.bulk_create(
        Question(
            criterion_id=criteria[q.block, q.criterion],
            scale_id=scales[q.scale],
            text=q.text,
            sipas=q.sipas,
        )
        for q in data.questions
    )
    Through = Question.groups.through
    Through.objects.bulk_create(
        (
            Through(question_id=question.pk, respondentgroup_id=groups[code])
            for question, q in zip(questions, data.questions, strict=True)
            for code in q.groups
        ),
        batch_size=BATCH_SIZE,
    )
