"""The people and units every test folder means the same thing by: the demo's.

Units carry the demo province's codes and names (demo/province.py): A1 Sở Giao thông vận
tải, A2 Sở Nội vụ, A8 Sở Tư pháp, A18 Sở Y tế, B1 UBND huyện Nam Sách… People are the demo
logins as they were in Hải Dương (demo/users.py has since moved them to Hải Phòng's units)
with their roles and units, plus a few test-only colleagues:

- canbo.yte, Trần Văn Minh: CCHC officer of Sở Y tế (A18); thutruong.yte, Phạm Quốc Hùng,
  its head; chuyenvien.yte, Hoàng Thị Mai, a colleague who may be delegated leaves;
- canbo.tuphap, Đinh Văn Long: CCHC officer of Sở Tư pháp (A8), a stranger to Sở Y tế;
  canbo.gtvt, Hoàng Văn Nam: CCHC officer of Sở Giao thông vận tải (A1);
- thamdinh.tuphap, Lê Thu Hà: appraiser sent by Sở Tư pháp (A8); thamdinh.gtvt, Ngô Văn
  Bình, an appraiser from Sở Giao thông vận tải (A1);
- totruong, Vũ Đức Anh: secretariat lead from Sở Nội vụ (A2);
- noivu, Nguyễn Thị Lan: officer of Sở Nội vụ (A2); hoidong, Đỗ Mạnh Cường: the council.

`year_build` makes a demo-like year with the ORM: blocks and units by code, a criteria tree,
windows, and the units taking part.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from criteria.models import Criterion, Participation, Year
from demo.province import BLOCKS, UNITS
from units.models import Block, Membership, Unit

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
R = Membership.Role
PASSWORD = "mat-khau-thu"

GTVT, NOI_VU, TU_PHAP, Y_TE = "A1", "A2", "A8", "A18"
NAM_SACH, KIM_THANH, CHI_LINH = "B1", "B2", "B3"

UNIT_NAMES = {unit.code: unit.name for unit in UNITS}
HEAD_TITLES = {unit.code: unit.head_title for unit in UNITS}
BLOCK_NAMES = dict(BLOCKS)

# username → (full name, role, unit code): the demo logins as they were in Hải Dương (a
# frozen copy: the demo itself has moved to Hải Phòng, demo/users.py), then test-only people.
PEOPLE = {
    "noivu": ("Nguyễn Thị Lan", R.HOME_AFFAIRS, NOI_VU),
    "canbo.yte": ("Trần Văn Minh", R.UNIT_OFFICER, Y_TE),
    "thutruong.yte": ("Phạm Quốc Hùng", R.UNIT_HEAD, Y_TE),
    "thamdinh.tuphap": ("Lê Thu Hà", R.APPRAISER, TU_PHAP),
    "totruong": ("Vũ Đức Anh", R.SECRETARIAT_LEAD, NOI_VU),
    "hoidong": ("Đỗ Mạnh Cường", R.COUNCIL, None),
    "quantri": ("Đào Minh Tuấn", None, None),
} | {
    "chuyenvien.yte": ("Hoàng Thị Mai", R.UNIT_OFFICER, Y_TE),
    "canbo.tuphap": ("Đinh Văn Long", R.UNIT_OFFICER, TU_PHAP),
    "thamdinh.gtvt": ("Ngô Văn Bình", R.APPRAISER, GTVT),
    "canbo.gtvt": ("Hoàng Văn Nam", R.UNIT_OFFICER, GTVT),
}


def local(*args) -> datetime:
    """A moment in Asia/Ho_Chi_Minh, where windows are kept."""
    return datetime(*args, tzinfo=TZ)


def block_get(code: str) -> Block:
    block, _ = Block.objects.get_or_create(code=code, defaults={"name": BLOCK_NAMES[code]})
    return block


def unit_get(code: str) -> Unit:
    """The demo unit of that code (created on first use)."""
    unit, _ = Unit.objects.get_or_create(
        code=code,
        defaults={
            "name": UNIT_NAMES[code],
            "block": block_get(code.rstrip("0123456789")),
            "head_title": HEAD_TITLES[code],
        },
    )
    return unit


OWN_UNIT = object()


def person(
    username: str,
    *,
    name: str | None = None,
    role: str | None = None,
    unit: Unit | str | None = OWN_UNIT,
):
    """A persona by username, with its name, role and unit; the keywords override them
    (`unit=None`: no unit, for a year whose units do not include the persona's)."""
    full_name, default_role, unit_code = PEOPLE.get(username, (username, None, None))
    full_name = name or full_name
    role = role or default_role
    if unit is OWN_UNIT:
        unit = unit_code if role and unit_code else None
    if isinstance(unit, str):
        unit = unit_get(unit)
    last_name, _, first_name = full_name.rpartition(" ")
    user = get_user_model().objects.create_user(
        username=username, password=PASSWORD, first_name=first_name, last_name=last_name
    )
    if role:
        Membership.objects.create(user=user, role=role, unit=unit)
    return user


@dataclass(frozen=True)
class Node:
    """A node of a test criteria tree; a node with a method is a leaf."""

    code: str
    max_points: str
    method: str = ""
    kind: str = Criterion.Kind.NORMAL
    rubric: list = field(default_factory=list)
    name: str = ""


@dataclass
class YearBuilt:
    year: Year
    blocks: dict[str, Block]
    units: dict[str, Unit]
    participations: dict[str, Participation]
    criteria: dict[tuple[str, str], Criterion]

    def leaf(self, code: str, block: str = "A") -> Criterion:
        return self.criteria[(block, code)]


def year_build(
    number: int,
    *,
    units: list[str],
    tree: list[Node],
    status: str = Year.Status.DRAFT,
    **windows: datetime,
) -> YearBuilt:
    """A year with the demo units of `units` taking part and `tree` in each of their blocks.

    `windows` are Year fields (self_assessment_opens=…, appraisal_closes=…).
    """
    year = Year.objects.create(
        year=number, name=f"Chỉ số CCHC năm {number}", status=status, **windows
    )
    unit_objs = {code: unit_get(code) for code in units}
    blocks = {unit.block.code: unit.block for unit in unit_objs.values()}
    criteria: dict[tuple[str, str], Criterion] = {}
    for block_code, block in blocks.items():
        for node in tree:
            parent_code = node.code.rpartition(".")[0]
            criteria[(block_code, node.code)] = Criterion.objects.create(
                year=year,
                block=block,
                code=node.code,
                parent=criteria.get((block_code, parent_code)),
                name=node.name or f"Tiêu chí {node.code}",
                max_points=Decimal(node.max_points),
                method=node.method,
                kind=node.kind,
                rubric=node.rubric,
                is_leaf=bool(node.method),
            )
    participations = {
        code: Participation.objects.create(year=year, unit=unit, block=unit.block, name=unit.name)
        for code, unit in unit_objs.items()
    }
    return YearBuilt(year, blocks, unit_objs, participations, criteria)


def member(username: str, role: str | None = None, unit_code: str | None = None):
    """A persona with exactly this role and unit (None: none), for years built from a
    workbook whose units are not the persona's."""
    return person(username, role=role, unit=unit_code)
