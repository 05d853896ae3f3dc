"""The thin layer around the engine: load a year from the database, score it, store it."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from appraisal import lineage, scoring, sipas
from appraisal.models import AreaResult, BlockResult, Computation, UnitResult
from appraisal.services.basis import (  # noqa: F401 (previous_ranks_for: the callers' name)
    YearBasis,
    kind_of,
    previous_ranks_for,
    shown_computation,
    year_basis,
)
from criteria.models import BlockRules, Criterion, Participation, Year
from criteria.phase import frozen_message, year_lock_shared
from criteria.rules import DEFAULT_RULES, parse_bands, parse_class_rule, parse_self_review
from evidence.models import Score
from kernel.models import Job
from surveys.models import Answer, ScaleOption

STORED = Decimal("1e-15")
# The columns of a change keep 6 decimals. Cut toward zero, never rounded: every display
# boundary (x.xx5) has fewer decimals, so the 2-decimal display of the cut value is the
# half-up display of the full-precision change (DOMAIN §8), and no -0.004 becomes -0.01.
CHANGE = Decimal("1e-6")


def rules_for(block_rules: BlockRules | None) -> scoring.Rules:
    values = dict(DEFAULT_RULES)
    if block_rules is not None:
        values.update(
            bands=block_rules.bands,
            xuat_sac=block_rules.xuat_sac,
            tot=block_rules.tot,
            hoan_thanh=block_rules.hoan_thanh,
            self_review=block_rules.self_review,
        )
    band_names = block_rules.band_names if block_rules is not None else ""
    return scoring.Rules(
        bands=parse_bands(values["bands"]),
        classes=tuple(
            scoring.ClassRule(key, *parse_class_rule(values[key]))
            for key in (scoring.XUAT_SAC, scoring.TOT, scoring.HOAN_THANH)
        ),
        self_review=parse_self_review(values["self_review"]),
        band_names=parse_band_names(band_names),
    )


def parse_band_names(text: str) -> tuple[str, ...]:
    """`Xuất sắc;Tốt;Khá` (INTERFACES §2 `band_names`): one name per threshold, by position;
    blank: no names."""
    if not (text or "").strip():
        return ()
    return tuple(name.strip() for name in text.split(";"))


def criteria_set_for(criteria: list[Criterion]) -> scoring.CriteriaSet:
    """Flatten one (year, block) tree, given in sort-key order, for the engine."""
    leaves_below: dict[str, list[Criterion]] = defaultdict(list)
    for criterion in criteria:
        if criterion.is_leaf:
            leaves_below[criterion.area_code].append(criterion)
    areas = []
    for criterion in criteria:
        if criterion.parent_id is not None:
            continue
        counts = criterion.counts_for_classification
        if counts is None:
            # INTERFACES §2: blank means 1 when every leaf below is by evidence.
            counts = all(
                leaf.method == Criterion.Method.EVIDENCE for leaf in leaves_below[criterion.code]
            )
        areas.append(scoring.Area(code=criterion.code, counts_for_classification=counts))
    leaves = tuple(
        scoring.Leaf(
            code=c.code,
            max_points=c.max_points,
            method=c.method,
            kind=c.kind,
            rubric=tuple((Decimal(t), Decimal(p)) for t, p in c.rubric),
        )
        for c in criteria
        if c.is_leaf
    )
    return scoring.CriteriaSet(areas=tuple(areas), leaves=leaves)


def survey_tallies(year: Year) -> dict[tuple[int, int], scoring.SurveyTally]:
    """(participation id, criterion id) → counted answers, summed exactly in Decimal.

    Counting per option in the database and multiplying here keeps the sum exact
    (SQLite would add the coefficients as floats).
    """
    coefficients = {
        option.pk: (option.coefficient, option.counted)
        for option in ScaleOption.objects.filter(scale__year=year)
    }
    sums: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    counts: dict[tuple[int, int], int] = defaultdict(int)
    rows = (
        Answer.objects.filter(ballot__year=year)
        .values_list("participation_id", "criterion_id", "option_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for participation_id, criterion_id, option_id, n in rows:
        coefficient, counted = coefficients[option_id]
        if counted:
            key = (participation_id, criterion_id)
            sums[key] += coefficient * n
            counts[key] += n
    return {
        key: scoring.SurveyTally(coefficient_sum=sums[key], counted=counts[key]) for key in counts
    }


def year_inputs(year: Year, only_units: set[str] | None = None):
    """Everything the engine needs for a year, block by block.

    With `only_units` (unit codes), only their blocks, and the scores and tallies of those
    units, are loaded: an annex need not read every unit's entries.
    """
    participations = list(
        Participation.objects.filter(year=year)
        .select_related("unit", "block")
        .order_by("unit__code")
    )
    wanted = {p.pk: p for p in participations if only_units is None or p.unit.code in only_units}
    block_ids = {p.block_id for p in wanted.values()}
    criteria = list(
        Criterion.objects.filter(year=year, block_id__in=block_ids)
        .select_related("block")
        .order_by("sort_key")
    )
    rules = {r.block_id: r for r in BlockRules.objects.filter(year=year, block_id__in=block_ids)}
    entries: dict[int, dict[str, scoring.LeafEntry]] = defaultdict(dict)
    scores = Score.objects.filter(participation__year=year).select_related("criterion")
    if only_units is not None:
        scores = scores.filter(participation_id__in=wanted)
    for score in scores:
        entries[score.participation_id][score.criterion.code] = scoring.LeafEntry(
            appraised_score=score.appraised_score,
            appraised_value=score.appraised_value,
            not_applicable=score.not_applicable,
        )
    criterion_codes = {c.pk: c.code for c in criteria}
    tallies: dict[int, dict[str, scoring.SurveyTally]] = defaultdict(dict)
    for (participation_id, criterion_id), tally in survey_tallies(year).items():
        if participation_id in wanted:
            tallies[participation_id][criterion_codes[criterion_id]] = tally

    blocks = []
    for block in sorted({p.block for p in wanted.values()}, key=lambda b: b.code):
        block_criteria = [c for c in criteria if c.block_id == block.pk]
        units = [
            scoring.UnitInput(code=p.unit.code, entries=entries[p.pk], tallies=tallies[p.pk])
            for p in participations
            if p.block_id == block.pk
        ]
        blocks.append(
            (
                block,
                block_criteria,
                criteria_set_for(block_criteria),
                rules_for(rules.get(block.pk)),
                units,
            )
        )
    return participations, blocks


def fingerprint_of(blocks, basis: YearBasis) -> str:
    digest = hashlib.sha256()
    for block, _criteria, criteria_set, rules, units in blocks:
        digest.update(repr((block.code, criteria_set, rules)).encode())
        for unit in units:
            digest.update(
                repr(
                    (unit.code, sorted(unit.entries.items()), sorted(unit.tallies.items()))
                ).encode()
            )
    digest.update(basis.digest_text().encode())
    return digest.hexdigest()


def stored(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(STORED, rounding=ROUND_HALF_UP)


def change_stored(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(CHANGE, rounding=ROUND_DOWN)


def refuse_if_frozen(year: Year) -> None:
    """Publication freezes results; a correction computes its own new revision. A published
    year imported from history, with no results yet, may still be computed once."""
    if year.correction_is_open:
        return
    if year.is_published and Computation.objects.filter(year=year).exists():
        raise ValidationError(frozen_message(year.year), code="year_frozen")


def _working_revision(year: Year, fingerprint: str) -> Computation:
    """The one unpublished revision, emptied for new results (created if there is none).

    A published year computed for the first time (a history year) is published at once: it
    came published."""
    now = timezone.now()
    working = (
        Computation.objects.filter(year=year, published_at__isnull=True)
        .order_by("-revision")
        .first()
    )
    if working is None:
        working = Computation(year=year, revision=1)
        if year.is_published:
            working.published_on = year.published_on or timezone.localdate(now)
            working.published_at = now
    else:
        UnitResult.objects.filter(computation=working).delete()
        BlockResult.objects.filter(computation=working).delete()
    working.computed_at = now
    working.fingerprint = fingerprint
    working.save()
    return working


def results_compute(*, year: Year, job: Job | None = None) -> Computation:
    """Score every block of a year and replace its working results in one transaction."""
    from kernel.jobs import job_progress

    refuse_if_frozen(year)
    participations, blocks = year_inputs(year)
    if not participations:
        raise ValidationError(f"Năm {year.year} chưa có đơn vị nào tham gia đánh giá.")
    basis = year_basis(year, participations)
    total_units = len(participations)
    if job is not None:
        job_progress(job, 0, total_units, "Đang tính chỉ số…")

    by_code = {p.unit.code: p for p in participations}
    scored = []
    done = 0
    for block_scored in blocks_scored(year, blocks, basis):
        scored.append(block_scored)
        done += len(block_scored[1])
        if job is not None:
            job_progress(job, done, total_units)
    satisfaction = sipas.sipas_year(basis.satisfaction)
    sipas_units = {unit.code: unit for b in satisfaction.blocks for unit in b.units}

    with transaction.atomic():
        locked = year_lock_shared(year)
        refuse_if_frozen(locked)
        computation = _working_revision(locked, fingerprint_of(blocks, basis))
        areas_to_create = []
        for block_criteria, results, comparisons in scored:
            area_ids = {c.code: c.pk for c in block_criteria if c.parent_id is None}
            unit_results = UnitResult.objects.bulk_create(
                unit_result_row(
                    computation,
                    by_code[result.code],
                    result,
                    comparisons[result.code],
                    sipas_units[result.code],
                )
                for result in results
            )
            for unit_result, result in zip(unit_results, results, strict=True):
                changes = comparisons[result.code].area_changes
                areas_to_create.extend(
                    AreaResult(
                        unit_result=unit_result,
                        criterion_id=area_ids[area.code],
                        score=stored(area.score),
                        max_points=stored(area.max_points),
                        index=stored(area.index),
                        change=change_stored(changes.get(area.code)),
                    )
                    for area in result.unit.areas
                )
        AreaResult.objects.bulk_create(areas_to_create)
        block_ids = {block.code: block.pk for block, *_rest in blocks}
        BlockResult.objects.bulk_create(
            [
                block_result_row(computation, block_ids[b.code], b.pooled)
                for b in satisfaction.blocks
            ]
            + [block_result_row(computation, None, satisfaction.pooled)]
        )
    return computation


def blocks_scored(year: Year, blocks, basis: YearBasis):
    """Each block scored by the engine and compared with the earlier years (DOMAIN §8):
    (its criteria, the engine's unit results, unit code → comparison), block by block."""
    for block, block_criteria, criteria_set, rules, _units in blocks:
        results = scoring.score_block(criteria_set, rules, _units)
        comparisons = lineage.compare_year(
            (unit_record(year, block, result, basis) for result in results),
            basis.lineages,
            basis.history,
            basis.closest_earlier,
        )
        yield block_criteria, results, comparisons


def unit_record(
    year: Year, block, result: scoring.UnitResult, basis: YearBasis
) -> lineage.UnitRecord:
    return lineage.UnitRecord(
        year=year.year,
        code=result.code,
        kind=basis.kinds[result.code],
        block=block.code,
        index=result.unit.index,
        rank=result.rank,
        areas={area.code: area.index for area in result.unit.areas},
    )


def unit_result_row(
    computation: Computation,
    participation: Participation,
    result: scoring.UnitResult,
    comparison: lineage.Comparison,
    satisfaction: sipas.SipasUnit,
) -> UnitResult:
    index = satisfaction.sipas
    return UnitResult(
        computation=computation,
        participation=participation,
        total=stored(result.unit.total),
        max_points=stored(result.unit.max_points),
        index=stored(result.unit.index),
        rank=result.rank,
        band=result.band,
        band_name=result.band_name,
        classification=result.unit.classification,
        self_review=list(result.unit.self_review),
        **comparison_fields(result, comparison),
        sipas_index=stored(index.index) if index else None,
        sipas_rank=satisfaction.rank,
        sipas_counted=index.counted if index else None,
        sipas_low=stored(index.low) if index else None,
        sipas_high=stored(index.high) if index else None,
    )


def comparison_fields(result: scoring.UnitResult, comparison: lineage.Comparison) -> dict:
    """A stored unit result's fields that compare it with earlier years (DOMAIN §8)."""
    return {
        "rank_change": comparison.rank_change,
        "index_change": change_stored(comparison.index_change),
        "predecessors": [
            {"year": p.year, "code": p.code, "name": p.name} for p in comparison.predecessors
        ],
        "warnings": [
            *result.unit.warnings,
            *(
                f"đơn vị tiền thân {ref}: không có kết quả đã tính, không so sánh"
                for ref in comparison.missing
            ),
        ],
    }


def block_result_row(computation: Computation, block_id, pooled) -> BlockResult:
    """A block's pooled SIPAS figures (block_id None: the province's)."""
    return BlockResult(
        computation=computation,
        block_id=block_id,
        sipas_index=stored(pooled.index) if pooled else None,
        sipas_counted=pooled.counted if pooled else 0,
        sipas_low=stored(pooled.low) if pooled else None,
        sipas_high=stored(pooled.high) if pooled else None,
    )


def year_for_compute(year_number: int) -> Year:
    try:
        return Year.objects.get(year=year_number)
    except Year.DoesNotExist:
        raise ValidationError(f"Không có năm đánh giá {year_number}.") from None
