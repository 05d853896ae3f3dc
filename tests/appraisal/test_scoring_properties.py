"""Properties of the scoring engine over small random criteria sets and blocks."""

from dataclasses import replace
from decimal import Decimal as D

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from appraisal import scoring

RULES = scoring.Rules()
FAST = settings(max_examples=150, deadline=None)
CLASS_ORDER = [scoring.KHONG_HOAN_THANH, scoring.HOAN_THANH, scoring.TOT, scoring.XUAT_SAC]


def decimals(low, high, places=3):
    return st.decimals(
        min_value=low, max_value=high, places=places, allow_nan=False, allow_infinity=False
    )


@st.composite
def criteria_sets(draw):
    """1–4 areas of 1–3 leaves each: evidence, measured, survey, deduction or bonus."""
    areas, leaves = [], []
    for area in range(1, draw(st.integers(1, 4)) + 1):
        areas.append(scoring.Area(str(area), counts_for_classification=draw(st.booleans())))
        for number in range(1, draw(st.integers(1, 3)) + 1):
            code = f"{area}.{number}"
            maximum = draw(decimals(D("0.5"), D(20)))
            kind = "evidence" if number == 1 else draw(st.sampled_from(LEAF_KINDS))
            if kind == "survey":
                leaves.append(scoring.Leaf(code, maximum, method=scoring.SURVEY))
            elif kind == "deduction":
                leaves.append(scoring.Leaf(code, maximum, kind=scoring.DEDUCTION))
            elif kind == "bonus":
                leaves.append(scoring.Leaf(code, maximum, kind=scoring.BONUS))
            elif kind == "measured":
                middle = draw(decimals(D(0), maximum))
                rubric = ((D(100), maximum), (D(80), middle), (D(50), D(0)))
                leaves.append(scoring.Leaf(code, maximum, rubric=rubric))
            else:
                leaves.append(scoring.Leaf(code, maximum))
    return scoring.CriteriaSet(tuple(areas), tuple(leaves))


LEAF_KINDS = ["evidence", "evidence", "measured", "survey", "deduction", "bonus"]
ENTRY_STATES = ["scored", "scored", "scored", "missing", "not_applicable"]


@st.composite
def unit_inputs(draw, criteria, code):
    """Scores within [0, max], rubric values in [0, 120], coefficients within [0, 1]."""
    entries, tallies = {}, {}
    for leaf in criteria.leaves:
        if leaf.method == scoring.SURVEY:
            counted = draw(st.integers(0, 30))
            tallies[leaf.code] = scoring.SurveyTally(draw(decimals(D(0), D(counted))), counted)
            continue
        state = draw(st.sampled_from(ENTRY_STATES))
        if state == "not_applicable":
            entries[leaf.code] = scoring.LeafEntry(not_applicable=True)
        elif state == "scored" and leaf.rubric:
            entries[leaf.code] = scoring.LeafEntry(appraised_value=draw(decimals(D(0), D(120))))
        elif state == "scored":
            score = draw(decimals(D(0), leaf.max_points))
            entries[leaf.code] = scoring.LeafEntry(appraised_score=score)
    return scoring.UnitInput(code, entries, tallies)


@st.composite
def blocks(draw):
    """A criteria set and 1–6 units; some units copy another's entries to force ties."""
    criteria = draw(criteria_sets())
    numbers = draw(st.lists(st.integers(1, 30), min_size=1, max_size=6, unique=True))
    units = []
    for number in numbers:
        if units and draw(st.booleans()):
            units.append(replace(draw(st.sampled_from(units)), code=f"A{number}"))
        else:
            units.append(draw(unit_inputs(criteria, f"A{number}")))
    return criteria, units


@FAST
@given(blocks())
def test_index_and_area_indices_stay_within_0_and_100(block):
    criteria, units = block
    for result in scoring.score_block(criteria, RULES, units):
        score = result.unit
        assert D(0) <= score.total <= score.max_points
        assert D(0) <= score.index <= D(100)
        for area in score.areas:
            assert D(0) <= area.score
            if area.index is None:
                assert area.max_points == D(0)
            else:
                assert area.score <= area.max_points
                assert D(0) <= area.index <= D(100)
        assert score.index >= result.band
        assert all(score.index < bound for bound in RULES.bands if bound > result.band)


@FAST
@given(st.data())
def test_raising_one_appraised_score_never_lowers_the_index_nor_the_class(data):
    criteria = data.draw(criteria_sets())
    unit = data.draw(unit_inputs(criteria, "A1"))
    raisable = [
        leaf
        for leaf in criteria.leaves
        if leaf.method == scoring.EVIDENCE
        and leaf.kind == scoring.NORMAL
        and not leaf.rubric
        and not unit.entries.get(leaf.code, scoring.LeafEntry()).not_applicable
    ]
    assume(raisable)
    leaf = data.draw(st.sampled_from(raisable))
    current = unit.entries.get(leaf.code, scoring.LeafEntry()).appraised_score
    raised = data.draw(decimals(D(0) if current is None else current, leaf.max_points))
    better = replace(
        unit, entries={**unit.entries, leaf.code: scoring.LeafEntry(appraised_score=raised)}
    )

    before = scoring.score_unit(criteria, RULES, unit)
    after = scoring.score_unit(criteria, RULES, better)

    assert after.index >= before.index
    assert after.total >= before.total
    assert CLASS_ORDER.index(after.classification) >= CLASS_ORDER.index(before.classification)
    for old, new in zip(before.areas, after.areas, strict=True):
        if old.code == leaf.area:
            assert new.index >= old.index
        else:
            assert new == old


@FAST
@given(blocks(), st.data())
def test_results_do_not_depend_on_the_order_of_the_units(block, data):
    criteria, units = block
    previous = data.draw(
        st.dictionaries(st.sampled_from([u.code for u in units]), st.integers(1, 30))
    )
    shuffled = data.draw(st.permutations(units))

    results = scoring.score_block(criteria, RULES, units, previous)

    assert scoring.score_block(criteria, RULES, shuffled, previous) == results


@FAST
@given(blocks())
def test_ranks_are_consistent_with_indices(block):
    criteria, units = block
    results = scoring.score_block(criteria, RULES, units)

    for a in results:
        assert a.rank == 1 + sum(b.unit.index > a.unit.index for b in results)
        for b in results:
            if a.unit.index > b.unit.index:
                assert a.rank < b.rank
            elif a.unit.index == b.unit.index:
                assert a.rank == b.rank
    assert [r.rank for r in results] == sorted(r.rank for r in results)
    assert sorted(r.code for r in results) == sorted(u.code for u in units)


@FAST
@given(
    st.dictionaries(
        st.integers(1, 200).map(lambda n: f"B{n}"),
        st.sampled_from([D("85.86"), D("85.860"), D("85.8601"), D(90), D(70), D(0)]),
        max_size=12,
    )
)
def test_competition_rank_is_one_plus_the_number_of_strictly_higher_indices(indices):
    ranks = scoring.competition_ranks(indices)

    assert ranks.keys() == indices.keys()
    for code, index in indices.items():
        assert ranks[code] == 1 + sum(other > index for other in indices.values())


@FAST
@given(st.one_of(st.sampled_from([D(90), D(80), D(65)]), decimals(D(0), D(100), places=4)))
def test_with_every_area_full_the_class_follows_the_total_alone(index):
    classification = scoring.classify_head(index, [D(100)], RULES)

    expected = scoring.KHONG_HOAN_THANH
    for rule in reversed(RULES.classes):
        if index >= rule.min_total:
            expected = rule.key
    assert classification == expected
