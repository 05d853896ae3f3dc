"""What an appraiser has to do: assigned areas × units, with progress, and each leaf's state."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from appraisal.access import assigned_areas, is_lead, own_unit_ids
from appraisal.models import AppraisalEntry, Explanation
from appraisal.services.appraisals import PENDING, LeafState, leaf_state
from appraisal.services.assignments import appraisable_areas
from criteria.models import Criterion, Participation, Year
from evidence.models import Score
from kernel.ordering import unit_code_key
from units.models import Block


@dataclass
class Cell:
    """One unit × one area: how many applicable leaves, how many appraised."""

    participation: Participation
    area: Criterion
    total: int = 0
    done: int = 0
    waiting: int = 0  # needs explanation, or explained and waiting for round 2

    @property
    def percent(self) -> int:
        return self.done * 100 // self.total if self.total else 100


@dataclass
class BlockQueue:
    block: Block
    areas: list[Criterion]
    rows: list[tuple[Participation, list[Cell]]] = field(default_factory=list)

    @property
    def percent(self) -> int:
        total = sum(c.total for _, cells in self.rows for c in cells)
        done = sum(c.done for _, cells in self.rows for c in cells)
        return done * 100 // total if total else 100


def evidence_leaves(year: Year, block: Block | None = None):
    leaves = Criterion.objects.filter(year=year, is_leaf=True, method=Criterion.Method.EVIDENCE)
    if block is not None:
        leaves = leaves.filter(block=block)
    return leaves.order_by("sort_key")


def states_for(scores: list[Score]) -> dict[int, LeafState]:
    """Score id → state, in two queries (the scores carry `not_applicable`)."""
    ids = [s.pk for s in scores]
    entries: dict[int, list[AppraisalEntry]] = defaultdict(list)
    for entry in AppraisalEntry.objects.filter(score_id__in=ids).order_by("at", "id"):
        entries[entry.score_id].append(entry)
    explanations: dict[int, list[Explanation]] = defaultdict(list)
    for explanation in Explanation.objects.filter(score_id__in=ids).order_by("at", "id"):
        explanations[explanation.score_id].append(explanation)
    return {
        s.pk: leaf_state(entries[s.pk], explanations[s.pk], not_applicable=s.not_applicable)
        for s in scores
    }


def appraisal_queue(user, year: Year) -> list[BlockQueue]:
    """The lead sees every area; an appraiser their assigned areas. Nobody sees their unit."""
    own = own_unit_ids(user)
    assigned = assigned_areas(user, year)
    lead = is_lead(user)
    participations = (
        Participation.objects.filter(year=year)
        .exclude(unit_id__in=own)
        .select_related("unit", "block")
        .order_by("unit__code")
    )
    by_block: dict[int, list[Participation]] = defaultdict(list)
    for participation in participations:
        by_block[participation.block_id].append(participation)
    leaves = list(evidence_leaves(year))
    scores = list(
        Score.objects.filter(participation__year=year, criterion__in=leaves).only(
            "id", "participation_id", "criterion_id", "not_applicable"
        )
    )
    states = states_for(scores)
    score_of = {(s.participation_id, s.criterion_id): s for s in scores}

    queues = []
    for block in Block.objects.filter(pk__in=by_block).order_by("code"):
        areas = [
            area
            for area in appraisable_areas(year, block)
            if lead or (block.pk, area.code) in assigned
        ]
        if not areas:
            continue
        queue = BlockQueue(block, areas)
        block_leaves = [leaf for leaf in leaves if leaf.block_id == block.pk]
        for participation in sorted(by_block[block.pk], key=lambda p: unit_code_key(p.unit.code)):
            cells = []
            for area in areas:
                cell = Cell(participation, area)
                for leaf in block_leaves:
                    if leaf.area_code != area.code:
                        continue
                    score = score_of.get((participation.pk, leaf.pk))
                    if score is not None and score.not_applicable:
                        continue
                    cell.total += 1
                    state = states.get(score.pk, PENDING) if score else PENDING
                    cell.done += state.is_done
                    cell.waiting += state.key in ("needs_explanation", "explained")
                cells.append(cell)
            queue.rows.append((participation, cells))
        queues.append(queue)
    return queues


@dataclass
class LeafRow:
    criterion: Criterion
    score: Score | None
    state: LeafState


def area_leaves(participation: Participation, area: Criterion) -> list[LeafRow]:
    leaves = [
        leaf
        for leaf in evidence_leaves(participation.year, participation.block)
        if leaf.area_code == area.code
    ]
    scores = {
        s.criterion_id: s
        for s in Score.objects.filter(participation=participation, criterion__in=leaves)
    }
    states = states_for(list(scores.values()))
    return [
        LeafRow(
            leaf,
            scores.get(leaf.pk),
            states[scores[leaf.pk].pk] if leaf.pk in scores else PENDING,
        )
        for leaf in leaves
    ]
