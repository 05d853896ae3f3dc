"""The demo year's structure: blocks, units taking part, their rules and criteria trees
(demo/trees.py), and the survey setup (groups, scales, one question per survey leaf)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from criteria.models import BlockRules, Criterion, Participation, Year
from criteria.rules import DEFAULT_RULES, parse_rubric
from surveys.models import Question, RespondentGroup, Scale, ScaleOption
from units.models import Block, Unit

from .province import BLOCK_KINDS, BLOCKS, GROUPS, PROVINCE, UNITS
from .spec import DemoProvince
from .trees import Node, department_tree, district_tree

SCALES = {
    "muc_do": [
        ("A", "Rất tốt", "1", True),
        ("B", "Tốt", "0.75", True),
        ("C", "Trung bình", "0.5", True),
        ("D", "Kém", "0", True),
        ("E", "Không biết / không trả lời", "0", False),
    ],
    "hai_long": [
        ("A", "Rất hài lòng", "1", True),
        ("B", "Hài lòng", "0.75", True),
        ("C", "Bình thường", "0.5", True),
        ("D", "Không hài lòng", "0", True),
        ("E", "Không trả lời", "0", False),
    ],
}
ORGANISATION_GROUPS = {
    "A": ["hdnd", "mttq", "lanh_dao_huyen"],
    "B": ["hdnd", "mttq", "lanh_dao_so"],
}


def tree_for(block: str, year: int) -> list[Node]:
    return department_tree(year) if block == "A" else district_tree(year)


HAI_DUONG = DemoProvince(
    name=PROVINCE,
    blocks=BLOCKS,
    block_kinds=BLOCK_KINDS,
    units=UNITS,
    groups=GROUPS,
    organisation_groups=ORGANISATION_GROUPS,
    tree_for=tree_for,
)


def leaves_of(tree: list[Node]) -> list[Node]:
    codes = {node.code for node in tree}
    parents = {code.rpartition(".")[0] for code in codes if "." in code}
    return [node for node in tree if node.code not in parents]


def create_structure(
    year: Year, province: DemoProvince = HAI_DUONG, *, lineage: bool = True
) -> dict:
    """`lineage`: the units name the predecessors they were formed from (the first year
    after a merger); otherwise none is given and each compares with its own code."""
    blocks = {}
    for code, name in province.blocks.items():
        blocks[code], _ = Block.objects.update_or_create(
            code=code, defaults={"name": name, "kind": province.block_kinds.get(code, "")}
        )
    participations = {}
    for demo_unit in province.units:
        block = blocks[demo_unit.block]
        unit, _ = Unit.objects.update_or_create(
            code=demo_unit.code,
            defaults={"name": demo_unit.name, "block": block, "head_title": demo_unit.head_title},
        )
        participations[demo_unit.key] = Participation.objects.create(
            year=year,
            unit=unit,
            block=block,
            name=demo_unit.name,
            head_title=demo_unit.head_title,
            kind=demo_unit.kind,
            predecessors=demo_unit.predecessors if lineage else "",
        )
    criteria: dict[str, dict[str, Criterion]] = {}
    for block_code, block in blocks.items():
        rules = DEFAULT_RULES | province.rules.get(block_code, {})
        BlockRules.objects.create(year=year, block=block, **rules)
        tree = province.tree_for(block_code, year.year)
        leaf_codes = {node.code for node in leaves_of(tree)}
        by_code: dict[str, Criterion] = {}
        maxima = _maxima(tree, leaf_codes)
        for node in tree:
            parent_code = node.code.rpartition(".")[0]
            is_leaf = node.code in leaf_codes
            by_code[node.code] = Criterion.objects.create(
                year=year,
                block=block,
                code=node.code,
                parent=by_code.get(parent_code),
                name=node.name,
                max_points=maxima[node.code],
                method=(
                    (Criterion.Method.SURVEY if node.survey else Criterion.Method.EVIDENCE)
                    if is_leaf
                    else ""
                ),
                kind=(
                    Criterion.Kind.DEDUCTION
                    if node.deduction
                    else Criterion.Kind.BONUS
                    if node.bonus
                    else Criterion.Kind.NORMAL
                ),
                counts_for_classification=node.counts,
                rubric=[[str(t), str(p)] for t, p in parse_rubric(node.rubric)],
                is_leaf=is_leaf,
            )
        criteria[block_code] = by_code
    return {"blocks": blocks, "participations": participations, "criteria": criteria}


def _maxima(tree: list[Node], leaf_codes: set[str]) -> dict[str, Decimal]:
    maxima: dict[str, Decimal] = defaultdict(Decimal)
    for node in reversed(tree):
        if node.code in leaf_codes:
            maxima[node.code] = node.max_points
        parent = node.code.rpartition(".")[0]
        if parent and not (node.deduction or node.bonus):
            maxima[parent] += maxima[node.code]
    return maxima


def create_survey_setup(
    year: Year, criteria: dict[str, dict[str, Criterion]], province: DemoProvince = HAI_DUONG
):
    groups = {
        code: RespondentGroup.objects.create(year=year, code=code, name=name)
        for code, name in province.groups.items()
    }
    options = {}
    for scale_code, rows in SCALES.items():
        scale = Scale.objects.create(year=year, code=scale_code)
        options[scale_code] = {
            code: ScaleOption.objects.create(
                scale=scale,
                code=code,
                label=label,
                coefficient=Decimal(coefficient),
                counted=counted,
                position=position,
            )
            for position, (code, label, coefficient, counted) in enumerate(rows)
        }
    for block_code, by_code in criteria.items():
        for criterion in by_code.values():
            if criterion.method != Criterion.Method.SURVEY:
                continue
            citizens = criterion.code.split(".")[1] == "2"
            question = Question.objects.create(
                criterion=criterion,
                scale=Scale.objects.get(year=year, code="hai_long" if citizens else "muc_do"),
                text=f"Ông/bà đánh giá thế nào về: {criterion.name.lower()}?",
                # DOMAIN §8: the citizens' questions make the satisfaction index (SIPAS).
                sipas=citizens and province.sipas,
            )
            allowed = ["nguoi_dan"] if citizens else province.organisation_groups[block_code]
            question.groups.set([groups[code] for code in allowed])
    return groups, options
