from decimal import Decimal as D

from appraisal import scoring


def test_two_units_rank_and_classify():
    criteria = scoring.CriteriaSet(
        areas=(scoring.Area("1"), scoring.Area("2", counts_for_classification=False)),
        leaves=(scoring.Leaf("1.1", D(10)), scoring.Leaf("2.1", D(10), method=scoring.SURVEY)),
    )
    units = [
        scoring.UnitInput(
            "A1",
            {"1.1": scoring.LeafEntry(appraised_score=D(9))},
            {"2.1": scoring.SurveyTally(D("9.5"), 10)},
        ),
        scoring.UnitInput(
            "A2",
            {"1.1": scoring.LeafEntry(appraised_score=D(7))},
            {"2.1": scoring.SurveyTally(D(5), 10)},
        ),
    ]
    results = scoring.score_block(criteria, scoring.Rules(), units, {"A1": 2, "A2": 1})
    assert [r.code for r in results] == ["A1", "A2"]
    assert results[0].unit.total == D("18.5")
    assert results[0].unit.index == D("92.5")
    assert results[0].unit.classification == scoring.XUAT_SAC
    assert results[0].rank_change == 1
    assert results[1].unit.classification == scoring.KHONG_HOAN_THANH  # 60 % < 65 %
