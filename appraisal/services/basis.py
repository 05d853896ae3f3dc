"""What a year's results are compared with and depend on beyond the engine's inputs
(DOMAIN §8): the earlier years' records of the units named as predecessors or matched by
code and kind, the lineages as written, and the SIPAS answers. The compute job stores the
comparisons and the fingerprint covers all of it (appraisal/services/compute.py)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count

from appraisal import lineage, sipas
from appraisal.models import AreaResult, Computation, UnitResult
from appraisal.revisions import computed_revision, published_computation
from criteria.models import Participation, Year
from surveys.models import Answer


def kind_of(participation: Participation) -> str:
    """A unit's kind that year: its own, else its block's; "" when neither says (old years)."""
    return participation.kind or participation.block.kind


@dataclass(frozen=True)
class YearBasis:
    """What a year's results depend on beyond the engine's inputs (DOMAIN §8): the units
    they are compared with and the SIPAS answers, all in one place so that the fingerprint
    covers them."""

    kinds: Mapping[str, str] = field(default_factory=dict)  # unit code → kind
    lineages: Mapping[str, lineage.Lineage] = field(default_factory=dict)
    history: Mapping[lineage.Reference, lineage.UnitRecord] = field(default_factory=dict)
    closest_earlier: Mapping[str, lineage.UnitRecord] = field(default_factory=dict)
    # block code → its units' counted SIPAS answers, ballot by ballot
    satisfaction: Mapping[str, tuple[sipas.SipasInput, ...]] = field(default_factory=dict)

    def digest_text(self) -> str:
        return repr(
            (
                sorted(self.kinds.items()),
                sorted(self.lineages.items(), key=lambda item: item[0]),
                sorted(self.history.items()),
                sorted(self.closest_earlier.items()),
                sorted(self.satisfaction.items()),
            )
        )


def shown_computation(year: Year) -> Computation | None:
    """The revision an earlier year is compared with: the one shown publicly once published
    (appraisal/revisions.py), else its latest computed results."""
    return published_computation(year) or computed_revision(year)


def unit_records(wanted: Mapping[int, set[str]]) -> dict[lineage.Reference, lineage.UnitRecord]:
    """Year → unit codes, to the stored results of those units in each year's shown
    revision: a query per year for its revision, then two for all the units."""
    computations = {}
    for number in sorted(wanted):
        year = Year.objects.filter(year=number).first()
        computation = shown_computation(year) if year is not None else None
        if computation is not None:
            computations[computation.pk] = number
    if not computations:
        return {}
    codes = set().union(*wanted.values())
    results = list(
        UnitResult.objects.filter(
            computation_id__in=computations, participation__unit__code__in=codes
        ).select_related("participation__unit", "participation__block")
    )
    results = [
        r for r in results if r.participation.unit.code in wanted[computations[r.computation_id]]
    ]
    areas: dict[int, dict[str, Decimal | None]] = defaultdict(dict)
    for result_id, code, index in (
        AreaResult.objects.filter(unit_result__in=[r.pk for r in results])
        .values_list("unit_result_id", "criterion__code", "index")
        .order_by()
    ):
        areas[result_id][code] = index
    records = {}
    for result in results:
        participation = result.participation
        record = lineage.UnitRecord(
            year=computations[result.computation_id],
            code=participation.unit.code,
            kind=kind_of(participation),
            block=participation.block.code,
            index=result.index,
            rank=result.rank,
            areas=dict(sorted(areas[result.pk].items())),
            name=participation.name,
        )
        records[record.reference] = record
    return records


def lineages_of(year: Year, participations: list[Participation]) -> dict[str, lineage.Lineage]:
    """Unit code → its parsed `predecessors`; a malformed one refuses the compute."""
    lineages = {}
    for participation in participations:
        try:
            lineages[participation.unit.code] = lineage.parse_lineage(
                participation.predecessors, year=year.year
            )
        except lineage.LineageError as error:
            raise ValidationError(
                f"Đơn vị {participation.unit.code}, đơn vị tiền thân: {error}"
            ) from None
    return lineages


def sipas_inputs(
    year: Year, participations: list[Participation]
) -> dict[str, tuple[sipas.SipasInput, ...]]:
    """Block code → every unit's counted answers to the SIPAS questions, per ballot.

    One query counts answers per (ballot, unit, option); the coefficients are multiplied
    here so that the sums stay exact Decimals (SQLite would add them as floats)."""
    sums: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    counts: dict[tuple[int, int], int] = defaultdict(int)
    groups: dict[int, int] = {}
    rows = (
        Answer.objects.filter(
            ballot__year=year, criterion__question__sipas=True, option__counted=True
        )
        .values_list("ballot_id", "ballot__group_id", "participation_id", "option__coefficient")
        .annotate(n=Count("id"))
        .order_by()
    )
    for ballot_id, group_id, participation_id, coefficient, n in rows:
        key = (participation_id, ballot_id)
        sums[key] += coefficient * n
        counts[key] += n
        groups[ballot_id] = group_id
    ballots: dict[int, list[sipas.BallotTally]] = defaultdict(list)
    for (participation_id, ballot_id), counted in sorted(counts.items()):
        ballots[participation_id].append(
            sipas.BallotTally(
                ballot=ballot_id,
                group=groups[ballot_id],
                coefficient_sum=sums[participation_id, ballot_id],
                counted=counted,
            )
        )
    blocks: dict[str, list[sipas.SipasInput]] = defaultdict(list)
    for participation in sorted(participations, key=lambda p: p.unit.code):
        blocks[participation.block.code].append(
            sipas.SipasInput(participation.unit.code, tuple(ballots[participation.pk]))
        )
    return {code: tuple(units) for code, units in sorted(blocks.items())}


def year_basis(year: Year, participations: list[Participation] | None = None) -> YearBasis:
    """The comparisons' and the SIPAS index's inputs for a year's units (DOMAIN §8).

    A unit naming predecessors is compared with them; one naming none with the unit of its
    code in the closest earlier year with computed results. The number of queries depends
    on the years named, never on the number of units."""
    if participations is None:
        participations = list(
            Participation.objects.filter(year=year).select_related("unit", "block")
        )
    lineages = lineages_of(year, participations)
    wanted: dict[int, set[str]] = defaultdict(set)
    for named in lineages.values():
        for reference in named or ():
            wanted[reference.year].add(reference.code)
    earlier = (
        Year.objects.filter(year__lt=year.year, computation__isnull=False)
        .distinct()
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
    by_code = {code for code, named in lineages.items() if named is None}
    if earlier is not None and by_code:
        wanted[earlier] |= by_code
    records = unit_records(wanted)
    history = {
        ref: records[ref] for named in lineages.values() for ref in named or () if ref in records
    }
    closest = {
        code: records[lineage.Reference(earlier, code)]
        for code in by_code
        if earlier is not None and lineage.Reference(earlier, code) in records
    }
    return YearBasis(
        kinds={p.unit.code: kind_of(p) for p in participations},
        lineages=lineages,
        history=history,
        closest_earlier=closest,
        satisfaction=sipas_inputs(year, participations),
    )


def previous_ranks_for(year: Year) -> YearBasis:
    """The name the publication, correction and report checks call with `fingerprint_of`:
    since DOMAIN §8 what a year is compared with is more than earlier ranks."""
    return year_basis(year)
