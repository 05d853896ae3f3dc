"""The scoring engine across units: ranking, rank change, bands, and a whole department
shaped like the 2022 block A set (DOMAIN §5)."""

from decimal import Decimal as D

from appraisal import scoring
from kernel.ordering import unit_code_key

from .scoring_inputs import (
    NOT_APPLICABLE,
    RULES,
    area_of,
    criteria_set,
    indices,
    leaf,
    measured,
    unit,
)

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
    # 2022: ≥ 90 %, 80 % to < 90 %, 70 % to < 80 %, < 70 %; a band is its position.
    assert scoring.band_of(D(100), RULES.bands) == 0
    assert scoring.band_of(D(90), RULES.bands) == 0
    assert scoring.band_of(D("89.99999999"), RULES.bands) == 1
    assert scoring.band_of(D(80), RULES.bands) == 1
    assert scoring.band_of(D("79.999"), RULES.bands) == 2
    assert scoring.band_of(D(70), RULES.bands) == 2


def test_index_below_the_lowest_band_is_the_band_after_the_last_and_lower_bound_zero():
    assert scoring.band_of(D("69.999"), RULES.bands) == 3
    assert scoring.band_of(D(0), RULES.bands) == 3
    assert scoring.band_lower(3, RULES.bands) == 0


def test_custom_bands():
    bands = (D(95), D(85), D(60))

    assert [scoring.band_lower(scoring.band_of(D(i), bands), bands) for i in (95, 94, 60, 59)] == [
        95,
        85,
        60,
        0,
    ]


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
