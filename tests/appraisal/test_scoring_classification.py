"""Head-of-unit classification and the self-review flag (DOMAIN §5)."""

from decimal import Decimal as D

from appraisal import scoring

RULES = scoring.Rules()
NOT_APPLICABLE = scoring.LeafEntry(not_applicable=True)


def classify(total, *areas, rules=RULES):
    return scoring.classify_head(D(total), [D(area) for area in areas], rules)


def hundred_point_areas(*codes, not_counting=()):
    """One 100-point leaf per area, so that a leaf's score is its area's index."""
    return scoring.CriteriaSet(
        areas=tuple(scoring.Area(code, code not in not_counting) for code in codes),
        leaves=tuple(scoring.Leaf(f"{code}.1", D(100)) for code in codes),
    )


def unit_with(**area_scores):
    """`unit_with(a3="74.99")` scores leaf 3.1; a value of None makes it not applicable."""
    entries = {
        f"{key[1:]}.1": NOT_APPLICABLE
        if value is None
        else scoring.LeafEntry(appraised_score=D(value))
        for key, value in area_scores.items()
    }
    return scoring.UnitInput("A1", entries)


def area_score(code, index):
    index = None if index is None else D(index)
    return scoring.AreaScore(code=code, score=D(0), max_points=D(0), index=index)


# Head classification: QĐ 13/2016 and 29/2018, the highest class whose two conditions hold


def test_head_with_total_exactly_90_and_every_area_exactly_80_is_xuat_sac():
    assert classify("90", "80", "80", "100") == scoring.XUAT_SAC


def test_head_with_total_90_and_one_area_at_79_99_is_only_tot():
    # QĐ 29/2018: every area >= 80 % for "xuất sắc"
    assert classify("90", "79.99", "100") == scoring.TOT


def test_head_just_below_90_total_is_tot():
    assert classify("89.999", "100", "100") == scoring.TOT


def test_head_with_total_exactly_80_and_every_area_exactly_70_is_tot():
    assert classify("80", "70", "70") == scoring.TOT


def test_head_with_one_area_below_70_is_only_hoan_thanh():
    # QĐ 29/2018: every area >= 70 % for "tốt"
    assert classify("80", "69.9", "100") == scoring.HOAN_THANH


def test_head_with_total_90_and_one_area_below_70_is_only_hoan_thanh():
    assert classify("95", "69.99", "100") == scoring.HOAN_THANH


def test_head_just_below_80_total_is_hoan_thanh():
    assert classify("79.99", "100") == scoring.HOAN_THANH


def test_head_with_total_exactly_65_and_every_area_exactly_50_is_hoan_thanh():
    assert classify("65", "50", "50") == scoring.HOAN_THANH


def test_head_just_below_65_total_does_not_complete_the_task():
    assert classify("64.99", "100") == scoring.KHONG_HOAN_THANH


def test_head_with_one_area_below_50_does_not_complete_the_task_whatever_the_total():
    # QĐ 29/2018: every area >= 50 % for "hoàn thành"
    assert classify("85", "49.9", "100") == scoring.KHONG_HOAN_THANH


def test_head_without_counted_areas_is_classified_on_the_total_alone():
    assert classify("90") == scoring.XUAT_SAC
    assert classify("64") == scoring.KHONG_HOAN_THANH


def test_custom_class_thresholds_come_from_the_rules():
    rules = scoring.Rules(
        classes=(
            scoring.ClassRule(scoring.XUAT_SAC, D(95), D(85)),
            scoring.ClassRule(scoring.TOT, D(85), D(75)),
            scoring.ClassRule(scoring.HOAN_THANH, D(70), D(55)),
        )
    )

    assert classify("92", "90", rules=RULES) == scoring.XUAT_SAC
    assert classify("92", "90", rules=rules) == scoring.TOT
    assert classify("95", "85", rules=rules) == scoring.XUAT_SAC
    assert classify("84", "90", rules=rules) == scoring.HOAN_THANH
    assert classify("80", "54", rules=rules) == scoring.KHONG_HOAN_THANH


def test_unit_classification_uses_its_total_index_and_area_indices():
    criteria = hundred_point_areas("1", "2")

    result = scoring.score_unit(criteria, RULES, unit_with(a1="80", a2="100"))

    assert result.index == D(90)
    assert result.classification == scoring.XUAT_SAC


def test_unit_classification_ignores_areas_not_counting_for_classification():
    # [design] "every area" means the areas marked as counting (the seven content areas)
    criteria = hundred_point_areas("1", "2", "8", not_counting=("8",))

    result = scoring.score_unit(criteria, RULES, unit_with(a1="100", a2="100", a8="40"))

    assert result.index == D(80)
    assert result.classification == scoring.TOT


def test_area_not_counting_for_classification_still_counts_in_the_total():
    criteria = hundred_point_areas("1", "8", not_counting=("8",))

    result = scoring.score_unit(criteria, RULES, unit_with(a1="100", a8="50"))

    assert result.index == D(75)
    assert result.classification == scoring.HOAN_THANH


def test_unit_classification_ignores_an_area_that_is_wholly_not_applicable():
    criteria = hundred_point_areas("1", "2", "6")

    result = scoring.score_unit(criteria, RULES, unit_with(a1="90", a2="95", a6=None))

    assert result.classification == scoring.XUAT_SAC


def test_unit_classification_uses_the_custom_rules():
    criteria = hundred_point_areas("1", "2")
    rules = scoring.Rules(classes=(scoring.ClassRule(scoring.TOT, D(60), D(0)),))

    result = scoring.score_unit(criteria, rules, unit_with(a1="100", a2="20"))

    assert result.classification == scoring.TOT


# Self-review: Nghị quyết of the Provincial Standing Committee (2021), TTHC or e-government < 75 %


def test_tthc_index_exactly_75_is_not_flagged():
    criteria = hundred_point_areas("3", "7")

    result = scoring.score_unit(criteria, RULES, unit_with(a3="75", a7="100"))

    assert result.self_review == ()


def test_tthc_index_below_75_is_flagged():
    criteria = hundred_point_areas("3", "7")

    result = scoring.score_unit(criteria, RULES, unit_with(a3="74.99", a7="100"))

    assert result.self_review == ("3",)


def test_e_government_index_below_75_is_flagged():
    criteria = hundred_point_areas("3", "7")

    result = scoring.score_unit(criteria, RULES, unit_with(a3="75", a7="74.99"))

    assert result.self_review == ("7",)


def test_both_areas_below_75_are_both_flagged_in_rule_order():
    # 2022: Sở Y tế reviewed both TTHC and e-government
    criteria = hundred_point_areas("7", "3")

    result = scoring.score_unit(criteria, RULES, unit_with(a3="60", a7="50"))

    assert result.self_review == ("3", "7")


def test_other_areas_below_75_are_not_flagged():
    criteria = hundred_point_areas("1", "3", "7")

    result = scoring.score_unit(criteria, RULES, unit_with(a1="10", a3="100", a7="100"))

    assert result.self_review == ()


def test_self_review_rule_is_configurable():
    areas = [area_score("2", "79"), area_score("3", "70"), area_score("7", "70")]
    rules = scoring.Rules(self_review=(("7", D(71)), ("2", D(80))))

    assert scoring.self_review_areas(areas, rules) == ("7", "2")
    assert scoring.self_review_areas(areas, scoring.Rules(self_review=())) == ()


def test_area_without_index_is_never_flagged():
    areas = [area_score("3", None), area_score("7", "74")]

    assert scoring.self_review_areas(areas, RULES) == ("7",)


def test_unit_with_tthc_wholly_not_applicable_is_not_flagged_for_it():
    criteria = hundred_point_areas("3", "7")

    result = scoring.score_unit(criteria, RULES, unit_with(a3=None, a7="80"))

    assert result.self_review == ()


def test_self_review_rule_naming_an_absent_area_flags_nothing():
    criteria = hundred_point_areas("1", "2")

    result = scoring.score_unit(criteria, RULES, unit_with(a1="0", a2="0"))

    assert result.self_review == ()
