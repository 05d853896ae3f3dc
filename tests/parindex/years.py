"""A tiny assessment year built with the ORM, enough for the compute job to chew on."""

from decimal import Decimal

from criteria.models import Criterion, Participation, Year
from evidence.models import Score
from units.models import Block, Unit

# (code, max_points, kind); a parent's max is the sum of its non-deduction children.
TREE = [
    ("1", "10", None),
    ("1.1", "4", "normal"),
    ("1.2", "6", None),
    ("1.2.1", "3", "normal"),
    ("1.2.2", "3", "normal"),
    ("2", "5", None),
    ("2.1", "5", "normal"),
    ("2.2", "1", "deduction"),
]
UNITS = {
    "A": ("Sở, ban, ngành tỉnh", ["Sở Tư pháp", "Sở Y tế", "Sở Nội vụ"]),
    "B": ("UBND cấp huyện", ["UBND huyện Đông Anh", "UBND huyện Sóc Sơn"]),
}


def build_year(number: int = 2022, *, units: bool = True) -> Year:
    """Two blocks (3 + 2 units) with appraised scores that give distinct ranks."""
    year = Year.objects.create(year=number, name=f"Chỉ số CCHC năm {number}")
    if not units:
        return year
    for block_code, (block_name, names) in UNITS.items():
        block, _ = Block.objects.get_or_create(code=block_code, defaults={"name": block_name})
        nodes: dict[str, Criterion] = {}
        for code, max_points, kind in TREE:
            parent_code = code.rpartition(".")[0]
            nodes[code] = Criterion.objects.create(
                year=year,
                block=block,
                code=code,
                parent=nodes.get(parent_code),
                name=f"Tiêu chí {code}",
                max_points=Decimal(max_points),
                method=Criterion.Method.EVIDENCE if kind else "",
                kind=kind or Criterion.Kind.NORMAL,
                is_leaf=kind is not None,
            )
        leaves = [c for c in nodes.values() if c.is_leaf]
        for position, name in enumerate(names, start=1):
            unit, _ = Unit.objects.get_or_create(
                code=f"{block_code}{position}", defaults={"name": name, "block": block}
            )
            participation = Participation.objects.create(
                year=year, unit=unit, block=block, name=name
            )
            for leaf_number, leaf in enumerate(leaves):
                # Deterministic, different per unit and leaf: 100 %, 75 %, 50 % … of the max.
                share = Decimal(4 - (position + leaf_number) % 3) / 4
                Score.objects.create(
                    participation=participation,
                    criterion=leaf,
                    self_score=leaf.max_points,
                    appraised_score=(leaf.max_points * share).quantize(Decimal("0.001")),
                )
    return year
