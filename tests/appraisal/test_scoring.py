"""The scoring engine: leaves, areas, index, ranking, bands and display (DOMAIN §2, §4, §5)."""

from decimal import Decimal as D

from appraisal import scoring
from criteria.rules import rubric_points
from kernel.ordering import unit_code_key

RULES = scoring.Rules()
NOT_APPLICABLE = scoring.LeafEntry(not_applicable=True)


def leaf(code, max_points, **kwargs):
    return scoring.Leaf(code, D(max_points), **kwargs)


def criteria_set(*leaves, not_counting=()):
    """Top-level areas in the order their leaves first appear."""
    codes = dict.fromkeys(item.area for item in leaves)
    return scoring.CriteriaSet(
        areas=tuple(scoring.Area(code, code not in not_counting) for code in codes),
        leaves=leaves,
    )


def unit(code="A1", scores=None, tallies=None):
    """`scores` maps leaf codes to an appraised score (str) or to a ready LeafEntry."""
    entries = {
        leaf_code: entry
        if isinstance(entry, scoring.LeafEntry)
        else scoring.LeafEntry(appraised_score=D(entry))
        for leaf_code, entry in (scores or {}).items()
    }
    return scoring.UnitInput(code, entries, tallies or {})


def measured(value):
    return scoring.LeafEntry(appraised_value=D(value))


def area_of(result, code):
    return next(area for area in result.areas if area.code == code)


def indices(*values):
    """One unit per value, each on a single 100-point leaf, so that score = index."""
    criteria = criteria_set(leaf("1.1", 100))
    units = [unit(code, {"1.1": value}) for code, value in values]
    return criteria, units


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


# Ranking


def test_ranks_units_by_index_highest_first():
    criteria, units = indices(("A1", "70"), ("A2", "95"), ("A3", "82.5"))

    results = scoring.score_block(criteria, RULES, units)

    assert [(r.code, r.rank) for r in results] == [("A2", 1), ("A3", 2), ("A1", 3)]


def test_equal_indices_share_a_rank_and_the_next_rank_is_skipped():
    # [design] competition ranking 1, 2, 2, 4
    criteria, units = indices(("B1", "90"), ("B2", "85"), ("B3", "85"), ("B4", "80"))

    results = scoring.score_block(criteria, RULES, units)

    assert [r.rank for r in results] == [1, 2, 2, 4]


def test_indices_that_display_alike_but_differ_in_full_precision_get_different_ranks():
    # 2021: TP. Hải Dương and Nam Sách "cùng đạt 85,86", yet ranked 1st and 2nd
    criteria = criteria_set(leaf("1.1", 1000))
    units = [unit("B2", {"1.1": "858.612"}), unit("B10", {"1.1": "858.649"})]

    results = scoring.score_block(criteria, RULES, units)

    assert [scoring.display(r.unit.index, 2) for r in results] == ["85.86", "85.86"]
    assert [(r.code, r.rank) for r in results] == [("B10", 1), ("B2", 2)]


def test_equal_indices_from_different_applicable_maxima_share_a_rank():
    criteria = criteria_set(leaf("1.1", 10), leaf("1.2", 10))
    units = [
        unit("A1", {"1.1": "8", "1.2": NOT_APPLICABLE}),
        unit("A2", {"1.1": "8", "1.2": "8"}),
    ]

    results = scoring.score_block(criteria, RULES, units)

    assert [r.rank for r in results] == [1, 1]


def test_survey_totals_that_are_mathematically_equal_share_a_rank():
    criteria = criteria_set(*(leaf(f"8.{n}", 10, method=scoring.SURVEY) for n in (1, 2, 3)))
    thirds = {code: scoring.SurveyTally(D(1), 3) for code in ("8.1", "8.2", "8.3")}
    mixed = {
        "8.1": scoring.SurveyTally(D(2), 3),
        "8.2": scoring.SurveyTally(D(1), 3),
        "8.3": scoring.SurveyTally(D(0), 3),
    }

    results = scoring.score_block(
        criteria, RULES, [unit("B1", tallies=thirds), unit("B2", tallies=mixed)]
    )

    assert [r.rank for r in results] == [1, 1]


def test_competition_ranks_treat_equal_decimals_of_different_exponent_as_equal():
    ranks = scoring.competition_ranks({"A1": D("85.86"), "A2": D("85.860"), "A3": D("90")})

    assert ranks == {"A3": 1, "A1": 2, "A2": 2}


def test_competition_ranks_of_no_unit_are_empty():
    assert scoring.competition_ranks({}) == {}


def test_units_of_equal_rank_are_sorted_by_natural_code():
    criteria, units = indices(("A10", "80"), ("A2", "80"), ("A1", "80"), ("A9", "95"))

    results = scoring.score_block(criteria, RULES, units)

    assert [r.code for r in results] == ["A9", "A1", "A2", "A10"]


def test_natural_code_order_puts_a2_before_a10():
    codes = ["A10", "B1", "A2", "A1", "B12", "B3"]

    assert sorted(codes, key=unit_code_key) == ["A1", "A2", "A10", "B1", "B3", "B12"]


def test_block_without_units_has_no_results():
    assert scoring.score_block(criteria_set(leaf("1.1", 10)), RULES, []) == []


# Rank change


def test_rank_change_is_previous_rank_minus_this_rank():
    criteria, units = indices(("A1", "95"), ("A2", "90"), ("A3", "85"))

    results = scoring.score_block(
        criteria, RULES, units, previous_ranks={"A1": 8, "A2": 2, "A3": 1}
    )

    # 2022: Giáo dục và Đào tạo "tăng 7 bậc" is +7; Tư pháp "giảm 2 bậc" is -2
    assert {r.code: r.rank_change for r in results} == {"A1": 7, "A2": 0, "A3": -2}


def test_rank_change_of_a_new_unit_is_none():
    criteria, units = indices(("A1", "95"), ("A19", "90"))

    results = scoring.score_block(criteria, RULES, units, previous_ranks={"A1": 1})

    assert {r.code: r.rank_change for r in results} == {"A1": 0, "A19": None}


def test_rank_change_without_a_previous_year_is_none():
    criteria, units = indices(("A1", "95"), ("A2", "90"))

    results = scoring.score_block(criteria, RULES, units)

    assert [r.rank_change for r in results] == [None, None]


# Bands


def test_default_bands_include_their_lower_bound():
    # 2022: ≥ 90 %, 80 % to < 90 %, 70 % to < 80 %, < 70 %
    assert scoring.band_of(D(100), RULES.bands) == 90
    assert scoring.band_of(D(90), RULES.bands) == 90
    assert scoring.band_of(D("89.99999999"), RULES.bands) == 80
    assert scoring.band_of(D(80), RULES.bands) == 80
    assert scoring.band_of(D("79.999"), RULES.bands) == 70
    assert scoring.band_of(D(70), RULES.bands) == 70


def test_index_below_the_lowest_band_is_band_zero():
    assert scoring.band_of(D("69.999"), RULES.bands) == 0
    assert scoring.band_of(D(0), RULES.bands) == 0


def test_custom_bands():
    bands = (D(95), D(85), D(60))

    assert scoring.band_of(D(95), bands) == 95
    assert scoring.band_of(D(94), bands) == 85
    assert scoring.band_of(D(60), bands) == 60
    assert scoring.band_of(D(59), bands) == 0


def test_block_results_carry_the_band_of_each_index():
    criteria, units = indices(("A1", "90"), ("A2", "89.999"), ("A3", "70"), ("A4", "69.999"))

    results = scoring.score_block(criteria, RULES, units)

    assert {r.code: r.band for r in results} == {"A1": 90, "A2": 80, "A3": 70, "A4": 0}


def test_block_results_use_the_blocks_custom_bands():
    criteria, units = indices(("A1", "90"), ("A2", "75"))
    rules = scoring.Rules(bands=(D(85), D(75)))

    results = scoring.score_block(criteria, rules, units)

    assert {r.code: r.band for r in results} == {"A1": 85, "A2": 75}


# A whole department, shaped like the 2022 block A set (DOMAIN §2)

BLOCK_A_2022 = criteria_set(
    leaf("1.1", "14.5"),
    leaf("2.1", 10),
    leaf("3.1", 15, rubric=((D(100), D(15)), (D(80), D(11)), (D(0), D(0)))),
    leaf("3.2", 1),
    leaf("4.1", "6.5"),
    leaf("5.1", "9.5"),
    leaf("5.2", 2, kind=scoring.DEDUCTION),
    leaf("6.1", 6),
    leaf("7.1", 9),
    leaf("8.1", "18.5", method=scoring.SURVEY),
    leaf("8.2", 10, method=scoring.SURVEY),
    not_counting=("8",),
)


def test_block_a_2022_set_has_a_maximum_of_100():
    result = scoring.score_unit(BLOCK_A_2022, RULES, unit())

    assert result.max_points == D(100)
    assert [area.max_points for area in result.areas] == [
        D("14.5"),
        D(10),
        D(16),
        D("6.5"),
        D("9.5"),
        D(6),
        D(9),
        D("28.5"),
    ]


def test_department_in_the_80_band_with_tthc_below_70_is_only_hoan_thanh_and_reviews_tthc():
    # 2022 record: Ban Quản lý các KCN sat in the 80–90 % band, head only "hoàn thành",
    # and had to hold a self-review for TTHC.
    kcn = unit(
        "A18",
        scores={
            "1.1": "14",
            "2.1": "9.5",
            "3.1": measured("85.2"),
            "3.2": "0",
            "4.1": "6",
            "5.1": "9.5",
            "5.2": "0.5",
            "6.1": "5.5",
            "7.1": "7",
        },
        tallies={
            "8.1": scoring.SurveyTally(D("608.00"), 760),
            "8.2": scoring.SurveyTally(D(544), 640),
        },
    )

    [result] = scoring.score_block(BLOCK_A_2022, RULES, [kcn], previous_ranks={"A18": 17})

    score = result.unit
    assert area_of(score, "3").score == D(11)
    assert area_of(score, "3").index == D("68.75")
    assert area_of(score, "5").score == D(9)
    assert score.total == D("85.3")
    assert score.index == D("85.3")
    assert result.band == 80
    assert score.classification == scoring.HOAN_THANH
    assert score.self_review == ("3",)
    assert result.rank == 1
    assert result.rank_change == 16
    assert score.warnings == ()
