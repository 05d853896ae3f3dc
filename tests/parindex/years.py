"""A tiny assessment year built with the ORM, enough for the compute job to chew on.

Its units are the demo's (tests/personas.py): Sở Tư pháp (A8), Sở Y tế (A18) and Sở Nội vụ
(A2) in block A; UBND huyện Nam Sách (B1) and Kim Thành (B2) in block B.
"""

from decimal import Decimal

from criteria.models import Criterion, Year
from evidence.models import Score
from tests.personas import KIM_THANH, NAM_SACH, NOI_VU, TU_PHAP, Y_TE, Node, year_build

# A parent's max is the sum of its non-deduction children.
TREE = [
    Node("1", "10"),
    Node("1.1", "4", "evidence"),
    Node("1.2", "6"),
    Node("1.2.1", "3", "evidence"),
    Node("1.2.2", "3", "evidence"),
    Node("2", "5"),
    Node("2.1", "5", "evidence"),
    Node("2.2", "1", "evidence", kind=Criterion.Kind.DEDUCTION),
]
# Per block, in the order that sets each unit's scores.
UNITS = {"A": [TU_PHAP, Y_TE, NOI_VU], "B": [NAM_SACH, KIM_THANH]}


def build_year(number: int = 2022, *, units: bool = True) -> Year:
    """Two blocks (3 + 2 units) with appraised scores that give distinct ranks."""
    if not units:
        return Year.objects.create(year=number, name=f"Chỉ số CCHC năm {number}")
    built = year_build(
        number, units=[code for codes in UNITS.values() for code in codes], tree=TREE
    )
    for block_code, codes in UNITS.items():
        leaves = [c for (b, _), c in built.criteria.items() if b == block_code and c.is_leaf]
        for position, code in enumerate(codes, start=1):
            for leaf_number, leaf in enumerate(leaves):
                # Deterministic, different per unit and leaf: 100 %, 75 %, 50 % … of the max.
                share = Decimal(4 - (position + leaf_number) % 3) / 4
                Score.objects.create(
                    participation=built.participations[code],
                    criterion=leaf,
                    self_score=leaf.max_points,
                    appraised_score=(leaf.max_points * share).quantize(Decimal("0.001")),
                )
    return built.year
