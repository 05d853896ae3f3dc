"""Sở Nội vụ's edits of a (year, block) criteria tree (issue 15, Build 5): add a child,
rename, re-weight, move among siblings, delete. Only while the year is a draft (no window
opened, not published); each edit under the year's lock, audited.

Codes stay hierarchical (INTERFACES §2: a node's parent is its code less the last segment):
moving a node swaps its code, and its subtree's, with the neighbouring sibling's. Area codes
(top level) are named by assignments and rules, so areas are not moved.

The maxima check mirrors the workbook's (exchange/workbook/validate_criteria.py,
_criteria_maxima), which criteria may not import: an inner node's maximum is the sum of its
`normal` children's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction

from criteria.models import Criterion, Year
from criteria.phase import year_lock_for_write
from kernel.audit import audit_record
from kernel.text import text_clean

ZERO = Decimal(0)
MAX = Decimal("99999.999")


def draft_refusal(year: Year) -> str | None:
    """Why the year's trees may not be edited, or None."""
    phase = year.phase()
    if phase == Year.Phase.DRAFT and not year.is_published:
        return None
    return (
        f"Năm {year.year} đang ở giai đoạn “{Year.Phase(phase).label}”: bộ chỉ số chỉ sửa "
        "được khi năm còn ở giai đoạn chuẩn bị (chưa mở tự đánh giá); sau đó bộ chỉ số "
        "được giữ nguyên."
    )


def _locked(year: Year) -> Year:
    locked = year_lock_for_write(year)
    refusal = draft_refusal(locked)
    if refusal:
        raise ValidationError(refusal, code="not_draft")
    return locked


def parse_points(text) -> Decimal:
    text = str(text or "").strip().replace(",", ".")
    if not text:
        raise ValidationError("Chưa nhập điểm tối đa.")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValidationError(f"Điểm tối đa “{text}” không phải là số.") from None
    if not value.is_finite() or value < ZERO or value > MAX:
        raise ValidationError("Điểm tối đa phải từ 0 đến 99999,999.")
    if value.as_tuple().exponent < -3:
        raise ValidationError("Điểm tối đa có nhiều nhất 3 chữ số thập phân.")
    return value


def clean_name(text) -> str:
    name = text_clean(str(text or ""))
    if not name:
        raise ValidationError("Chưa nhập tên tiêu chí.")
    if len(name) > Criterion.NAME_MAX_LENGTH:
        raise ValidationError(f"Tên tiêu chí dài quá {Criterion.NAME_MAX_LENGTH} ký tự.")
    return name


def _audit(by, action: str, node: Criterion, year: Year, changes=None, note="") -> None:
    audit_record(
        actor=by,
        action=action,
        obj=node,
        year=year.year,
        changes=changes,
        note=note or f"khối {node.block.code}, tiêu chí {node.code}",
    )


def _node(year: Year, pk) -> Criterion:
    node = Criterion.objects.select_related("block").filter(year=year, pk=pk).first()
    if node is None:
        raise ValidationError("Không có tiêu chí này trong năm.")
    return node


def _has_data(node: Criterion) -> bool:
    """Anything but its children and its survey question hanging on the node (scores,
    answers, results…)."""
    for relation in Criterion._meta.related_objects:
        if relation.related_model is Criterion or relation.name == "question":
            continue
        model = relation.related_model
        if model._base_manager.filter(**{relation.field.name: node}).exists():
            return True
    return False


def node_add(*, year: Year, block, parent_pk=None, name, max_points, kind="normal", by=None):
    name, points = clean_name(name), parse_points(max_points)
    if kind not in Criterion.Kind.values:
        raise ValidationError("Loại tiêu chí không hợp lệ.")
    with transaction.atomic():
        year = _locked(year)
        parent = _node(year, parent_pk) if parent_pk else None
        if parent is not None and parent.block_id != block.pk:
            raise ValidationError("Tiêu chí cha thuộc khối khác.")
        if parent is not None and parent.kind != Criterion.Kind.NORMAL:
            raise ValidationError("Không thêm tiêu chí con vào tiêu chí điểm trừ, điểm thưởng.")
        if (
            parent is not None
            and parent.is_leaf
            and (_has_data(parent) or hasattr(parent, "question"))
        ):
            raise ValidationError(
                f"Tiêu chí {parent.code} đã có điểm hoặc câu hỏi điều tra: không thêm tiêu "
                "chí con vào được."
            )
        if parent is None and kind != Criterion.Kind.NORMAL:
            raise ValidationError("Lĩnh vực không là điểm trừ, điểm thưởng.")
        siblings = Criterion.objects.filter(year=year, block=block, parent=parent)
        numbers = [
            int(c.code.rsplit(".", 1)[-1]) for c in siblings if c.code.rsplit(".", 1)[-1].isdigit()
        ]
        number = max(numbers, default=0) + 1
        code = f"{parent.code}.{number}" if parent else str(number)
        if parent is not None and parent.is_leaf:
            parent.is_leaf, parent.method, parent.rubric = False, "", []
            parent.save()
        node = Criterion.objects.create(
            year=year,
            block=block,
            parent=parent,
            code=code,
            name=name,
            max_points=points,
            kind=kind,
            method=Criterion.Method.EVIDENCE,
            is_leaf=True,
        )
        _audit(
            by,
            "criterion_add",
            node,
            year,
            changes={"code": ("", code), "max_points": ("", points)},
        )
    return node


def node_rename(*, year: Year, pk, name, by=None) -> Criterion:
    name = clean_name(name)
    with transaction.atomic():
        year = _locked(year)
        node = _node(year, pk)
        old, node.name = node.name, name
        node.save()
        _audit(by, "criterion_rename", node, year, changes={"name": (old, name)})
    return node


def node_reweight(*, year: Year, pk, max_points, by=None) -> Criterion:
    points = parse_points(max_points)
    with transaction.atomic():
        year = _locked(year)
        node = _node(year, pk)
        if node.rubric:
            top = max(Decimal(str(p)) for _, p in node.rubric)
            if top > points:
                raise ValidationError(
                    f"Điểm tối đa {points} nhỏ hơn điểm cao nhất {top} của thang chấm."
                )
        old, node.max_points = node.max_points, points
        node.save()
        _audit(by, "criterion_reweight", node, year, changes={"max_points": (old, points)})
    return node


def _descendants(node: Criterion) -> list[Criterion]:
    found, frontier = [], [node]
    while frontier:
        children = list(Criterion.objects.filter(parent__in=frontier))
        found += children
        frontier = children
    return found


def node_move(*, year: Year, pk, direction: str, by=None) -> Criterion:
    if direction not in ("up", "down"):
        raise ValidationError("Hướng di chuyển không hợp lệ.")
    with transaction.atomic():
        year = _locked(year)
        node = _node(year, pk)
        if node.parent_id is None:
            raise ValidationError(
                "Lĩnh vực giữ nguyên mã (phân công thẩm định và quy tắc xếp loại dùng mã "
                "lĩnh vực): chỉ di chuyển được tiêu chí bên trong lĩnh vực."
            )
        siblings = sorted(
            Criterion.objects.filter(year=year, block=node.block, parent_id=node.parent_id),
            key=lambda c: c.sort_key,
        )
        index = [c.pk for c in siblings].index(node.pk)
        other_index = index - 1 if direction == "up" else index + 1
        if not 0 <= other_index < len(siblings):
            raise ValidationError(
                f"Tiêu chí {node.code} đã ở {'đầu' if direction == 'up' else 'cuối'} danh sách."
            )
        other = siblings[other_index]
        mine, theirs = node.code, other.code
        moved = [node, *_descendants(node), other, *_descendants(other)]
        olds = {item.pk: item.code for item in moved}
        for item in moved:  # two steps, so that unique codes never collide
            item.code = f"~{item.pk}"
            item.save()
        for item in moved:
            old = olds[item.pk]
            if old == mine or old.startswith(mine + "."):
                item.code = theirs + old[len(mine) :]
            else:
                item.code = mine + old[len(theirs) :]
            item.save()
        node.refresh_from_db()
        _audit(
            by,
            "criterion_move",
            node,
            year,
            changes={"code": (mine, theirs)},
            note=f"khối {node.block.code}: {mine} ↔ {theirs}",
        )
    return node


def node_delete(*, year: Year, pk, by=None) -> None:
    with transaction.atomic():
        year = _locked(year)
        node = _node(year, pk)
        subtree = [node, *_descendants(node)]
        if any(_has_data(item) for item in subtree):
            raise ValidationError(
                f"Tiêu chí {node.code} (hoặc tiêu chí con) đã có điểm hoặc dữ liệu: không xóa được."
            )
        parent = node.parent
        code, name = node.code, node.name
        _audit(
            by,
            "criterion_delete",
            node,
            year,
            changes={"code": (code, "")},
            note=f"khối {node.block.code}, xóa {code}. {name}",
        )
        node.delete()
        if parent is not None and not parent.children.exists():
            parent.is_leaf, parent.method = True, Criterion.Method.EVIDENCE
            parent.save()


@dataclass
class TreeNode:
    node: Criterion
    children: list["TreeNode"] = field(default_factory=list)
    children_sum: Decimal | None = None

    @property
    def differs(self) -> bool:
        return self.children_sum is not None and self.children_sum != self.node.max_points


@dataclass
class Tree:
    block: object
    areas: list[TreeNode]
    total: Decimal
    mismatches: int


def tree_of(year: Year, block) -> Tree:
    """The (year, block) tree with each inner node's sum of `normal` children's maxima."""
    nodes = list(Criterion.objects.filter(year=year, block=block).order_by("sort_key"))
    by_pk = {n.pk: TreeNode(n) for n in nodes}
    roots = []
    for n in nodes:
        (by_pk[n.parent_id].children if n.parent_id in by_pk else roots).append(by_pk[n.pk])
    mismatches = 0
    for item in by_pk.values():
        if item.children:
            item.children_sum = sum(
                (c.node.max_points for c in item.children if c.node.kind == Criterion.Kind.NORMAL),
                ZERO,
            )
            mismatches += item.differs
    total = sum((r.node.max_points for r in roots if r.node.kind == Criterion.Kind.NORMAL), ZERO)
    return Tree(block=block, areas=roots, total=total, mismatches=mismatches)


def node_update(*, year: Year, pk, name, max_points, by=None) -> Criterion:
    """Rename and re-weight in one go: both checked before anything is written."""
    clean_name(name), parse_points(max_points)
    with transaction.atomic():
        year = _locked(year)
        node = _node(year, pk)
        if clean_name(name) != node.name:
            node = node_rename(year=year, pk=pk, name=name, by=by)
        if parse_points(max_points) != node.max_points:
            node = node_reweight(year=year, pk=pk, max_points=max_points, by=by)
    return node


def _recode(mapping: dict[Criterion, str]) -> None:
    """Give each node (and its subtree) its new code, in two steps so that unique codes
    never collide."""
    moved: dict[int, tuple[Criterion, str]] = {}
    for top, code in mapping.items():
        old = top.code
        for item in [top, *_descendants(top)]:
            moved[item.pk] = (item, code + item.code[len(old) :])
    for item, _code in moved.values():
        item.code = f"~{item.pk}"
        item.save()
    for item, code in moved.values():
        item.code = code
        item.save()


def node_reparent(*, year: Year, pk, parent_pk, by=None) -> Criterion:
    """Move a criterion (with its subtree) to the end of another parent's children; the
    siblings it leaves close the gap."""
    with transaction.atomic():
        year = _locked(year)
        node = _node(year, pk)
        if node.parent_id is None:
            raise ValidationError(
                "Lĩnh vực giữ nguyên mã (phân công thẩm định và quy tắc xếp loại dùng mã "
                "lĩnh vực): chỉ di chuyển được tiêu chí bên trong lĩnh vực."
            )
        if not str(parent_pk or "").isdigit():
            raise ValidationError("Hãy chọn tiêu chí cha mới.")
        target = _node(year, parent_pk)
        subtree = {node.pk} | {d.pk for d in _descendants(node)}
        if target.block_id != node.block_id:
            raise ValidationError("Tiêu chí cha mới thuộc khối khác.")
        if target.pk in subtree:
            raise ValidationError("Không chuyển tiêu chí vào chính nó hoặc tiêu chí con của nó.")
        if target.pk == node.parent_id:
            raise ValidationError(f"Tiêu chí {node.code} đã thuộc {target.code}.")
        if target.kind != Criterion.Kind.NORMAL:
            raise ValidationError("Không thêm tiêu chí con vào tiêu chí điểm trừ, điểm thưởng.")
        if target.is_leaf and (_has_data(target) or hasattr(target, "question")):
            raise ValidationError(
                f"Tiêu chí {target.code} đã có điểm hoặc câu hỏi điều tra: không thêm tiêu "
                "chí con vào được."
            )
        old_code, old_parent = node.code, node.parent
        numbers = [
            int(c.code.rsplit(".", 1)[-1])
            for c in target.children.all()
            if c.code.rsplit(".", 1)[-1].isdigit()
        ]
        _recode({node: f"{target.code}.{max(numbers, default=0) + 1}"})
        node.parent = target
        node.save()
        if target.is_leaf:
            target.is_leaf, target.method, target.rubric = False, "", []
            target.save()
        # The siblings left behind close the gap: 2.3 becomes 2.2 when 2.2 left.
        siblings = sorted(old_parent.children.all(), key=lambda c: c.sort_key)
        _recode(
            {
                s: f"{old_parent.code}.{i}"
                for i, s in enumerate(siblings, start=1)
                if s.code != f"{old_parent.code}.{i}"
            }
        )
        if not siblings:
            old_parent.is_leaf, old_parent.method = True, Criterion.Method.EVIDENCE
            old_parent.save()
        node.refresh_from_db()
        _audit(
            by,
            "criterion_move",
            node,
            year,
            changes={"code": (old_code, node.code)},
            note=f"khối {node.block.code}: {old_code} → {node.code} (thuộc {target.code})",
        )
    return node
