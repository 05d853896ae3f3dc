"""What the self-assessment pages show: the unit's tree with its entries and progress."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from criteria.models import Criterion, Participation
from criteria.rules import format_decimal

from .models import EvidenceFile, Score

ZERO = Decimal(0)


def person_name(user) -> str:
    """Vietnamese order, family name first: `Trần Văn Minh`; else the username."""
    name = f"{user.last_name} {user.first_name}".strip()
    return name or user.username


@dataclass
class LeafRow:
    criterion: Criterion
    score: Score | None
    files: list[EvidenceFile]

    @property
    def is_evidence(self) -> bool:
        return self.criterion.method == Criterion.Method.EVIDENCE

    @property
    def is_deduction(self) -> bool:
        return self.criterion.kind == Criterion.Kind.DEDUCTION

    @property
    def is_bonus(self) -> bool:
        return self.criterion.kind == Criterion.Kind.BONUS

    @property
    def is_adjustment(self) -> bool:
        """A deduction or bonus leaf (DOMAIN §2, §8): it moves its area's points, adds
        nothing to any maximum, and is optional (nothing recorded moves nothing)."""
        return self.is_deduction or self.is_bonus

    @property
    def is_measured(self) -> bool:
        return bool(self.criterion.rubric)

    @property
    def self_score(self) -> Decimal | None:
        return self.score.self_score if self.score else None

    @property
    def score_text(self) -> str:
        value = self.self_score
        return "" if value is None else format_decimal(value)

    @property
    def value_text(self) -> str:
        value = self.score.self_value if self.score else None
        return "" if value is None else format_decimal(value)

    @property
    def note(self) -> str:
        return self.score.self_note if self.score else ""

    @property
    def not_applicable_requested(self) -> bool:
        return bool(self.score and self.score.not_applicable_requested)

    @property
    def delegated_to(self):
        return self.score.delegated_to if self.score else None

    @property
    def is_done(self) -> bool:
        return self.self_score is not None or self.not_applicable_requested

    @property
    def rubric_text(self) -> str:
        return "; ".join(
            f"≥ {format_decimal(Decimal(t))} → {format_decimal(Decimal(p))} điểm"
            for t, p in self.criterion.rubric
        )


@dataclass
class NodeRow:
    criterion: Criterion
    leaf: LeafRow | None = None
    # Areas only: progress over their evidence leaves.
    leaves_done: int = 0
    leaves_total: int = 0
    points: Decimal = ZERO
    deducted: Decimal = ZERO
    bonus: Decimal = ZERO
    evidence_max: Decimal = ZERO
    children: list = field(default_factory=list)

    @property
    def is_area(self) -> bool:
        return self.criterion.parent_id is None

    @property
    def percent_done(self) -> int:
        return int(self.leaves_done * 100 / self.leaves_total) if self.leaves_total else 100


def leaf_rows(participation: Participation, scope: frozenset[int] | None = None) -> list[NodeRow]:
    """Every node of the unit's tree in order (areas first in their group), with the leaves'
    entries; with a `scope`, only those leaves and the nodes above them."""
    criteria = list(
        Criterion.objects.filter(year_id=participation.year_id, block_id=participation.block_id)
        .order_by("sort_key")
        .only(
            "id",
            "code",
            "name",
            "parent_id",
            "max_points",
            "method",
            "kind",
            "rubric",
            "is_leaf",
            "sort_key",
        )
    )
    scores = {
        s.criterion_id: s
        for s in Score.objects.filter(participation=participation)
        .select_related("delegated_to")
        .prefetch_related("evidence")
    }
    by_id = {c.pk: c for c in criteria}
    visible: set[int] | None = None
    if scope is not None:
        visible = set()
        for criterion_id in scope:
            node = by_id.get(criterion_id)
            while node is not None:
                visible.add(node.pk)
                node = by_id.get(node.parent_id)
    rows: list[NodeRow] = []
    areas: dict[str, NodeRow] = {}
    for criterion in criteria:
        if visible is not None and criterion.pk not in visible:
            continue
        row = NodeRow(criterion=criterion)
        if criterion.parent_id is None:
            areas[criterion.code] = row
        if criterion.is_leaf:
            score = scores.get(criterion.pk)
            files = sorted(score.evidence.all(), key=lambda f: f.uploaded_at) if score else []
            row.leaf = LeafRow(criterion=criterion, score=score, files=files)
            area = areas.get(criterion.area_code)
            if area is not None and row.leaf.is_evidence:
                _count(area, row.leaf)
        rows.append(row)
    return rows


def _count(area: NodeRow, leaf: LeafRow) -> None:
    if leaf.is_deduction:
        area.deducted += leaf.self_score or ZERO
        return
    if leaf.is_bonus:
        # DOMAIN §8: a bonus adds to its area's points, never to its maximum.
        area.bonus += leaf.self_score or ZERO
        area.points += leaf.self_score or ZERO
        return
    area.leaves_total += 1
    area.leaves_done += leaf.is_done
    if not leaf.not_applicable_requested:
        area.evidence_max += leaf.criterion.max_points
        area.points += leaf.self_score or ZERO


def counted_leaves(rows: list[NodeRow]) -> list[LeafRow]:
    """The leaves a unit's progress counts: its evidence leaves that earn points (not the
    optional deduction and bonus leaves)."""
    return [r.leaf for r in rows if r.leaf and r.leaf.is_evidence and not r.leaf.is_adjustment]


def self_assessment_progress(participation: Participation) -> tuple[int, int]:
    """(done, total): the one count of "Đã chấm N/M" on the unit's home, the areas and the
    submit page; a leaf requested not applicable is done, as in the area progress."""
    leaves = counted_leaves(leaf_rows(participation))
    return sum(leaf.is_done for leaf in leaves), len(leaves)


@dataclass
class Summary:
    without_score: list[LeafRow]
    without_evidence: list[LeafRow]
    not_applicable: list[LeafRow]
    leaves_total: int
    scored: int  # done: self-scored or requested not applicable (self_assessment_progress)
    points: Decimal
    evidence_max: Decimal
    files_count: int


def submission_summary(participation: Participation) -> Summary:
    """What the head is about to submit, with the gaps as warnings."""
    rows = leaf_rows(participation)
    leaves = [r.leaf for r in rows if r.leaf and r.leaf.is_evidence]
    normal = counted_leaves(rows)
    applicable = [leaf for leaf in normal if not leaf.not_applicable_requested]
    deducted = sum((leaf.self_score or ZERO for leaf in leaves if leaf.is_deduction), ZERO)
    bonus = sum((leaf.self_score or ZERO for leaf in leaves if leaf.is_bonus), ZERO)
    return Summary(
        without_score=[leaf for leaf in applicable if leaf.self_score is None],
        without_evidence=[leaf for leaf in applicable if not leaf.files],
        not_applicable=[leaf for leaf in normal if leaf.not_applicable_requested],
        leaves_total=len(normal),
        scored=sum(leaf.is_done for leaf in normal),
        points=sum((leaf.self_score or ZERO for leaf in applicable), ZERO) + bonus - deducted,
        evidence_max=sum((leaf.criterion.max_points for leaf in applicable), ZERO),
        files_count=EvidenceFile.objects.filter(
            participation=participation, replaced_by__isnull=True
        ).count(),
    )
