"""Bonus leaves (điểm thưởng, DOMAIN §8): they add to their area and to no maximum, and an
area's score is earned + bonus − deductions, clamped to [0, its applicable maximum]."""

from dataclasses import replace
from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from appraisal import scoring

from .scoring_inputs import NOT_APPLICABLE, RULES, area_of, criteria_set, leaf, unit

FAST = settings(max_examples=150, deadline=None)


def bonus(code, max_points):
    return leaf(code, max_points, kind=scoring.BONUS)


def deduction(code, max_points):
    return leaf(code, max_points, kind=scoring.DEDUCTION)


def test_bonus_adds_its_points_to_the_area_and_nothing_to_the_maximum():
    criteria = criteria_set(leaf("1.1", 10), bonus("1.2", 2), leaf("2.1", 5))

    result = scoring.score_unit(criteria, RULES, unit(scores={"1.1": "7", "1.2": "1.5"}))

    area = area_of(result, "1")
    assert area.score == D("8.5")
    assert area.max_points == D(10)
    assert area.index == D("85")
    assert result.max_points == D(15)
    assert result.leaf_scores["1.2"] == D("1.5")


def test_bonus_never_lifts_an_area_above_its_maximum():
    criteria = criteria_set(leaf("1.1", 10), bonus("1.2", 2))

    result = scoring.score_unit(criteria, RULES, unit(scores={"1.1": "9.5", "1.2": "2"}))

    assert area_of(result, "1").score == D(10)
    assert area_of(result, "1").index == D(100)
    assert result.index == D(100)


def test_bonus_reaching_the_maximum_exactly_is_kept_whole():
    criteria = criteria_set(leaf("1.1", 10), bonus("1.2", 2))

    result = scoring.score_unit(criteria, RULES, unit(scores={"1.1": "8.75", "1.2": "1.25"}))

    assert area_of(result, "1").score == D(10)


def test_deductions_are_taken_from_earned_plus_bonus_before_the_cap():
    # In that order: 9 + 2 − 2 = 9. Capping first (10) then deducting would give 8.
    criteria = criteria_set(leaf("1.1", 10), bonus("1.2", 2), deduction("1.3", 3))

    result = scoring.score_unit(criteria, RULES, unit(scores={"1.1": "9", "1.2": "2", "1.3": "2"}))

    assert area_of(result, "1").score == D(9)


def test_an_area_full_with_a_bonus_and_an_equal_deduction_stays_full():
    criteria = criteria_set(leaf("1.1", 10), bonus("1.2", 1), deduction("1.3", 1))

    result = scoring.score_unit(criteria, RULES, unit(scores={"1.1": "10", "1.2": "1", "1.3": "1"}))

    assert area_of(result, "1").score == D(10)


def test_deductions_larger_than_earned_plus_bonus_leave_the_area_at_zero():
    criteria = criteria_set(leaf("1.1", 10), bonus("1.2", 2), deduction("1.3", 5))

    result = scoring.score_unit(
        criteria, RULES, unit(scores={"1.1": "1", "1.2": "1.5", "1.3": "5"})
    )

    assert area_of(result, "1").score == D(0)
    assert area_of(result, "1").index == D(0)


def test_a_bonus_offsets_a_deduction_below_zero():
    # 1 + 2 − 2,5 = 0,5: the bonus counts before the floor, not after it.
    criteria = criteria_set(leaf("1.1", 10), bonus("1.2", 2), deduction("1.3", 5))

    result = scoring.score_unit(
        criteria, RULES, unit(scores={"1.1": "1", "1.2": "2", "1.3": "2.5"})
    )

    assert area_of(result, "1").score == D("0.5")


def test_a_bonus_with_nothing_recorded_adds_nothing_and_warns_nothing():
    criteria = criteria_set(leaf("1.1", 10), bonus("1.2", 2))

    result = scoring.score_unit(criteria, RULES, unit(scores={"1.1": "6"}))

    assert area_of(result, "1").score == D(6)
    assert result.leaf_scores["1.2"] == D(0)
    assert result.warnings == ()


def test_a_not_applicable_bonus_is_left_out():
    criteria = criteria_set(leaf("1.1", 10), bonus("1.2", 2))

    result = scoring.score_unit(criteria, RULES, unit(scores={"1.1": "6", "1.2": NOT_APPLICABLE}))

    assert result.leaf_scores["1.2"] is None
    assert area_of(result, "1").score == D(6)
    assert area_of(result, "1").max_points == D(10)


def test_a_bonus_is_capped_at_the_applicable_maximum_after_not_applicable_leaves():
    criteria = criteria_set(leaf("1.1", 6), leaf("1.2", 4), bonus("1.3", 3))

    result = scoring.score_unit(
        criteria, RULES, unit(scores={"1.1": "5", "1.2": NOT_APPLICABLE, "1.3": "3"})
    )

    assert area_of(result, "1").max_points == D(6)
    assert area_of(result, "1").score == D(6)


def test_a_bonus_in_an_area_with_every_normal_leaf_not_applicable_scores_nothing():
    criteria = criteria_set(leaf("1.1", 6), bonus("1.2", 3), leaf("2.1", 10))

    result = scoring.score_unit(
        criteria, RULES, unit(scores={"1.1": NOT_APPLICABLE, "1.2": "3", "2.1": "8"})
    )

    assert area_of(result, "1").score == D(0)
    assert area_of(result, "1").index is None
    assert result.total == D(8)
    assert result.index == D(80)


def test_a_bonus_can_lift_a_unit_into_a_higher_band_and_class():
    criteria = criteria_set(leaf("1.1", 100), bonus("1.2", 5))
    without = unit("A1", {"1.1": "88"})
    with_bonus = unit("A2", {"1.1": "88", "1.2": "2"})

    results = {r.code: r for r in scoring.score_block(criteria, RULES, [without, with_bonus])}

    assert results["A1"].band == D(80)
    assert results["A2"].band == D(90)
    assert results["A1"].unit.classification == scoring.TOT
    assert results["A2"].unit.classification == scoring.XUAT_SAC
    assert results["A2"].rank == 1


def test_area_score_clamps_in_the_stated_order():
    assert scoring.area_score(D(9), D(2), D(2), D(10)) == D(9)
    assert scoring.area_score(D(9), D(2), D(0), D(10)) == D(10)
    assert scoring.area_score(D(1), D(0), D(3), D(10)) == D(0)
    assert scoring.area_score(D(0), D(3), D(0), D(0)) == D(0)


def amounts(high):
    return st.decimals(min_value=D(0), max_value=high, places=3, allow_nan=False)


@st.composite
def bonus_areas(draw):
    """One area of two normal leaves, a bonus leaf and a deduction leaf, with scores."""
    maxima = [draw(amounts(D(20)).filter(lambda m: m > 0)) for _ in range(2)]
    bonus_max, deduction_max = draw(amounts(D(10))), draw(amounts(D(10)))
    criteria = criteria_set(
        leaf("1.1", maxima[0]),
        leaf("1.2", maxima[1]),
        bonus("1.3", bonus_max),
        deduction("1.4", deduction_max),
    )
    scores = {
        "1.1": draw(amounts(maxima[0])),
        "1.2": draw(st.one_of(st.just(NOT_APPLICABLE), amounts(maxima[1]))),
        "1.3": draw(amounts(bonus_max)),
        "1.4": draw(amounts(deduction_max)),
    }
    return criteria, {code: v if v is NOT_APPLICABLE else str(v) for code, v in scores.items()}


@FAST
@given(bonus_areas())
def test_area_score_is_earned_plus_bonus_minus_deductions_clamped(area):
    criteria, scores = area
    result = scoring.score_unit(criteria, RULES, unit(scores=scores))

    maximum = D(criteria.leaves[0].max_points)
    earned = D(scores["1.1"])
    if scores["1.2"] is not NOT_APPLICABLE:
        maximum += criteria.leaves[1].max_points
        earned += D(scores["1.2"])
    raw = earned + D(scores["1.3"]) - D(scores["1.4"])
    expected = maximum if raw > maximum else max(D(0), raw)
    assert area_of(result, "1").max_points == maximum
    assert area_of(result, "1").score == expected
    assert D(0) <= result.index <= D(100)


@FAST
@given(bonus_areas(), st.data())
def test_a_larger_bonus_never_lowers_the_index(area, data):
    criteria, scores = area
    bonus_max = criteria.leaves[2].max_points
    larger = data.draw(amounts(bonus_max).filter(lambda v: v >= D(scores["1.3"])))

    before = scoring.score_unit(criteria, RULES, unit(scores=scores))
    after = scoring.score_unit(criteria, RULES, unit(scores={**scores, "1.3": str(larger)}))

    assert after.index >= before.index
    assert after.max_points == before.max_points


@FAST
@given(bonus_areas())
def test_bonus_leaves_change_no_maximum(area):
    criteria, scores = area
    without_bonus = replace(criteria, leaves=criteria.leaves[:2] + criteria.leaves[3:])

    with_it = scoring.score_unit(criteria, RULES, unit(scores=scores))
    without_it = scoring.score_unit(without_bonus, RULES, unit(scores=scores))

    assert with_it.max_points == without_it.max_points
    assert with_it.total >= without_it.total
