"""The scoring engine, leaf by leaf: evidence, measured, deduction and survey leaves, areas,
the index and its display (DOMAIN §2, §4, §5)."""

from decimal import Decimal as D

from appraisal import scoring
from criteria.rules import rubric_points

from .scoring_inputs import (
    NOT_APPLICABLE,
    RULES,
    area_of,
    criteria_set,
    leaf,
    measured,
    unit,
)

# Evidence leaves


def test_evidence_leaf_scores_its_appraised_score():
    criteria = criteria_set(leaf("1.1", 2), leaf("1.2", "1.5"))

    result = scoring.score_unit(criteria, RULES, unit(scores={"1.1": "1.75", "1.2": "0.5"}))

    assert result.leaf_scores == {"1.1": D("1.75"), "1.2": D("0.5")}
    assert area_of(result, "1").score == D("2.25")
    assert area_of(result, "1").max_points == D("3.5")
    assert result.warnings == ()


def test_area_and_total_sum_three_decimal_scores_exactly():
    # 2020 record: a department scored 9,229 of 16 on TTHC.
    criteria = criteria_set(leaf("3.1", 10), leaf("3.2", 6), leaf("7.1", 9))

    result = scoring.score_unit(
        criteria, RULES, unit(scores={"3.1": "6.117", "3.2": "3.112", "7.1": "8.001"})
    )

    assert area_of(result, "3").score == D("9.229")
    assert area_of(result, "3").index == D("57.68125")
    assert result.total == D("17.230")
    assert result.max_points == D(25)
    assert result.index == D("68.92")


def test_leaf_without_appraised_score_counts_zero_with_a_warning():
    criteria = criteria_set(leaf("1.1", 2), leaf("1.2", 3))

    result = scoring.score_unit(criteria, RULES, unit(scores={"1.1": "2"}))

    assert result.leaf_scores["1.2"] == D(0)
    assert area_of(result, "1").score == D(2)
    assert area_of(result, "1").max_points == D(5)
    assert len(result.warnings) == 1
    assert "1.2" in result.warnings[0]


def test_empty_entry_counts_zero_with_a_warning_like_a_missing_one():
    criteria = criteria_set(leaf("1.1", 2))

    result = scoring.score_unit(criteria, RULES, unit(scores={"1.1": scoring.LeafEntry()}))

    assert result.leaf_scores["1.1"] == D(0)
    assert len(result.warnings) == 1


def test_not_applicable_leaf_is_left_out_of_score_and_maximum():
    criteria = criteria_set(leaf("1.1", 4), leaf("1.2", 6), leaf("2.1", 16))

    result = scoring.score_unit(
        criteria, RULES, unit(scores={"1.1": "3", "1.2": NOT_APPLICABLE, "2.1": "14"})
    )

    assert result.leaf_scores["1.2"] is None
    assert area_of(result, "1").score == D(3)
    assert area_of(result, "1").max_points == D(4)
    assert area_of(result, "1").index == D(75)
    assert result.max_points == D(20)
    # [design] index = score / applicable maximum: 17 / 20, not 17 / 26
    assert result.index == D(85)
    assert result.warnings == ()


def test_not_applicable_wins_over_a_recorded_score():
    criteria = criteria_set(leaf("1.1", 4), leaf("1.2", 6))
    entry = scoring.LeafEntry(appraised_score=D(6), not_applicable=True)

    result = scoring.score_unit(criteria, RULES, unit(scores={"1.1": "4", "1.2": entry}))

    assert result.leaf_scores["1.2"] is None
    assert result.total == D(4)
    assert result.max_points == D(4)


def test_area_with_every_leaf_not_applicable_has_max_zero_and_no_index():
    criteria = criteria_set(leaf("1.1", 10), leaf("6.1", 3), leaf("6.2", 3))

    result = scoring.score_unit(
        criteria, RULES, unit(scores={"1.1": "9", "6.1": NOT_APPLICABLE, "6.2": NOT_APPLICABLE})
    )

    area = area_of(result, "6")
    assert (area.score, area.max_points, area.index) == (D(0), D(0), None)
    assert [a.code for a in result.areas] == ["1", "6"]
    assert result.index == D(90)


def test_unit_with_nothing_applicable_gets_index_zero_and_a_warning():
    criteria = criteria_set(leaf("1.1", 10))

    result = scoring.score_unit(criteria, RULES, unit(scores={"1.1": NOT_APPLICABLE}))

    assert result.max_points == D(0)
    assert result.index == D(0)
    assert len(result.warnings) == 1


# Measured leaves (rubric)

ON_TIME = ((D(100), D(1)), (D(80), D("0.5")), (D(0), D(0)))


def test_measured_value_on_the_top_threshold_earns_the_top_points():
    # "100 % → 1 điểm; 80 % đến dưới 100 % → 0,5 điểm; dưới 80 % → 0"
    assert rubric_points(ON_TIME, D(100)) == D(1)


def test_measured_value_exactly_on_a_lower_threshold_earns_that_thresholds_points():
    assert rubric_points(ON_TIME, D(80)) == D("0.5")


def test_measured_value_just_below_a_threshold_falls_to_the_next_one():
    assert rubric_points(ON_TIME, D("99.999")) == D("0.5")
    assert rubric_points(ON_TIME, D("79.999")) == D(0)


def test_measured_value_above_the_top_threshold_earns_the_top_points():
    assert rubric_points(ON_TIME, D(120)) == D(1)


def test_measured_value_below_the_lowest_threshold_earns_zero():
    rubric = ((D(100), D(1)), (D(80), D("0.5")))

    assert rubric_points(rubric, D("79.99")) == D(0)
    assert rubric_points(rubric, D(-5)) == D(0)


def test_empty_rubric_earns_zero():
    assert rubric_points((), D(100)) == D(0)


def test_measured_leaf_scores_from_its_rubric():
    criteria = criteria_set(leaf("3.1", 1, rubric=ON_TIME), leaf("3.2", 1, rubric=ON_TIME))

    result = scoring.score_unit(
        criteria, RULES, unit(scores={"3.1": measured("80"), "3.2": measured("79.5")})
    )

    assert result.leaf_scores == {"3.1": D("0.5"), "3.2": D(0)}
    assert result.warnings == ()


def test_rubric_takes_precedence_over_appraised_score_when_a_value_is_given():
    criteria = criteria_set(leaf("3.1", 1, rubric=ON_TIME))
    entry = scoring.LeafEntry(appraised_score=D(1), appraised_value=D(85))

    result = scoring.score_unit(criteria, RULES, unit(scores={"3.1": entry}))

    assert result.leaf_scores["3.1"] == D("0.5")


def test_measured_leaf_without_value_uses_its_appraised_score():
    criteria = criteria_set(leaf("3.1", 1, rubric=ON_TIME))

    result = scoring.score_unit(criteria, RULES, unit(scores={"3.1": "0.5"}))

    assert result.leaf_scores["3.1"] == D("0.5")
    assert result.warnings == ()


def test_measured_leaf_without_value_or_score_counts_zero_with_a_warning():
    criteria = criteria_set(leaf("3.1", 1, rubric=ON_TIME))

    result = scoring.score_unit(criteria, RULES, unit())

    assert result.leaf_scores["3.1"] == D(0)
    assert "3.1" in result.warnings[0]


# Deduction leaves


def test_deduction_is_subtracted_from_its_area_and_adds_nothing_to_the_maximum():
    criteria = criteria_set(
        leaf("5.1", 6), leaf("5.2", 3), leaf("5.3", 2, kind=scoring.DEDUCTION), leaf("1.1", 10)
    )

    result = scoring.score_unit(
        criteria, RULES, unit(scores={"5.1": "6", "5.2": "3", "5.3": "1.5", "1.1": "10"})
    )

    area = area_of(result, "5")
    assert area.score == D("7.5")
    assert area.max_points == D(9)
    assert area_of(result, "1").score == D(10)
    assert result.total == D("17.5")
    assert result.max_points == D(19)


def test_deduction_bigger_than_its_area_clamps_the_area_at_zero_and_the_total_uses_it():
    # [design] an area's score never goes below 0
    criteria = criteria_set(leaf("5.1", 4), leaf("5.2", 5, kind=scoring.DEDUCTION), leaf("1.1", 6))

    result = scoring.score_unit(criteria, RULES, unit(scores={"5.1": "2", "5.2": "5", "1.1": "6"}))

    assert area_of(result, "5").score == D(0)
    assert area_of(result, "5").index == D(0)
    assert result.total == D(6)
    assert result.index == D(60)


def test_deduction_exactly_equal_to_its_area_leaves_zero():
    criteria = criteria_set(leaf("5.1", 4), leaf("5.2", 4, kind=scoring.DEDUCTION))

    result = scoring.score_unit(criteria, RULES, unit(scores={"5.1": "3", "5.2": "3"}))

    assert area_of(result, "5").score == D(0)


def test_unrecorded_deduction_subtracts_nothing_and_warns_nothing():
    criteria = criteria_set(leaf("5.1", 4), leaf("5.2", 2, kind=scoring.DEDUCTION))

    result = scoring.score_unit(criteria, RULES, unit(scores={"5.1": "4"}))

    assert result.leaf_scores["5.2"] == D(0)
    assert area_of(result, "5").score == D(4)
    assert result.warnings == ()


def test_not_applicable_deduction_subtracts_nothing():
    criteria = criteria_set(leaf("5.1", 4), leaf("5.2", 2, kind=scoring.DEDUCTION))

    result = scoring.score_unit(criteria, RULES, unit(scores={"5.1": "4", "5.2": NOT_APPLICABLE}))

    assert result.leaf_scores["5.2"] is None
    assert area_of(result, "5").score == D(4)
    assert area_of(result, "5").max_points == D(4)


# Survey leaves


def test_survey_points_are_max_times_coefficient_sum_over_counted_answers():
    # Rất tốt 1 · Tốt 0,75 · Trung bình 0,5 · Kém 0
    tally = scoring.SurveyTally(D(1) + D("0.75") + D("0.5") + D(0) + D("0.75"), 5)

    assert scoring.survey_points(D("18.5"), tally) == D("11.1")


def test_survey_points_are_exact_decimals_without_float_error():
    tally = scoring.SurveyTally(D("0.6") + D("0.2"), 2)

    assert scoring.survey_points(D(1), tally) == D("0.4")
    assert scoring.survey_points(D(10), tally) == D(4)


def test_survey_points_of_an_unanswered_leaf_are_none():
    assert scoring.survey_points(D(10), scoring.SurveyTally()) is None
    assert scoring.survey_points(D(10), scoring.SurveyTally(D(0), 0)) is None


def test_survey_leaf_scores_from_its_tally():
    criteria = criteria_set(
        leaf("8.1", "18.5", method=scoring.SURVEY), leaf("8.2", 10, method=scoring.SURVEY)
    )
    tallies = {
        "8.1": scoring.SurveyTally(D("0.6") + D("0.2"), 2),
        "8.2": scoring.SurveyTally(D(612), 640),
    }

    result = scoring.score_unit(criteria, RULES, unit(tallies=tallies))

    assert result.leaf_scores["8.1"] == D("7.4")
    assert result.leaf_scores["8.2"] == D("9.5625")
    assert area_of(result, "8").max_points == D("28.5")
    assert result.warnings == ()


def test_survey_leaf_without_tally_scores_zero_with_a_warning_and_keeps_its_maximum():
    # DOMAIN §4: a leaf with no counted answer scores 0 and is reported
    criteria = criteria_set(leaf("8.1", 10, method=scoring.SURVEY), leaf("1.1", 10))

    result = scoring.score_unit(criteria, RULES, unit(scores={"1.1": "10"}))

    assert result.leaf_scores["8.1"] == D(0)
    assert result.max_points == D(20)
    assert result.index == D(50)
    assert len(result.warnings) == 1
    assert "8.1" in result.warnings[0]


def test_survey_leaf_with_no_counted_answer_scores_zero_with_a_warning():
    criteria = criteria_set(leaf("8.1", 10, method=scoring.SURVEY))
    tallies = {"8.1": scoring.SurveyTally(D(0), 0)}

    result = scoring.score_unit(criteria, RULES, unit(tallies=tallies))

    assert result.leaf_scores["8.1"] == D(0)
    assert "8.1" in result.warnings[0]


def test_survey_leaf_ignores_an_evidence_entry():
    criteria = criteria_set(leaf("8.1", 10, method=scoring.SURVEY))

    result = scoring.score_unit(
        criteria,
        RULES,
        unit(scores={"8.1": "10"}, tallies={"8.1": scoring.SurveyTally(D(1), 2)}),
    )

    assert result.leaf_scores["8.1"] == D(5)


# Percent and display


def test_percent_of_a_zero_maximum_is_none():
    assert scoring.percent(D(0), D(0)) is None


def test_percent_keeps_twenty_decimals_far_beyond_display():
    value = scoring.percent(D(1), D(3))

    assert value == D("33.33333333333333333333")
    assert scoring.percent(D("85.86"), D(100)) == D("85.86")


def test_display_rounds_half_up():
    assert scoring.display(D("91.525"), 2) == "91.53"
    assert scoring.display(D("85.865"), 2) == "85.87"  # banker's rounding would say 85.86
    assert scoring.display(D("2.0005"), 3) == "2.001"
    assert scoring.display(D("91.5249999"), 2) == "91.52"


def test_display_pads_to_the_requested_places():
    assert scoring.display(D(100), 2) == "100.00"
    assert scoring.display(D("14.25"), 3) == "14.250"
    assert scoring.display(D(0), 3) == "0.000"


def test_display_of_none_is_none():
    assert scoring.display(None, 2) is None
