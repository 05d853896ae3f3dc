"""A bonus leaf (điểm thưởng, DOMAIN §8) from the self-assessment to the stored results: its
self score is 0…max_points, it adds nothing to any maximum, nothing to the leaves a unit
must score, and its points to its area.

Sở Y tế (A18) in 2023: area 1 (4) = 1.1 (2) + 1.2 (2) by evidence, 1.3 a bonus (1), 1.4 a
deduction (1); area 2 (5) = 2.1 by evidence.
"""

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from appraisal.models import AreaResult, UnitResult
from appraisal.services.compute import results_compute
from appraisal.services.publication import publication_gaps
from criteria.models import Criterion, Participation, Year
from evidence import services
from evidence.models import Score
from evidence.selectors import leaf_rows, self_assessment_progress, submission_summary
from tests.personas import Y_TE, Node, local, person, year_build

OPENS, CLOSES, DURING = local(2022, 12, 25), local(2023, 1, 11), local(2023, 1, 5, 9, 30)
TREE = [
    Node("1", "4"),
    Node("1.1", "2", "evidence"),
    Node("1.2", "2", "evidence"),
    Node("1.3", "1", "evidence", kind=Criterion.Kind.BONUS),
    Node("1.4", "1", "evidence", kind=Criterion.Kind.DEDUCTION),
    Node("2", "5"),
    Node("2.1", "5", "evidence"),
]


@pytest.fixture
def yte(db, time_machine) -> Participation:
    time_machine.move_to(DURING, tick=False)
    built = year_build(
        2023,
        units=[Y_TE],
        tree=TREE,
        status=Year.Status.SELF_ASSESSMENT,
        self_assessment_opens=OPENS,
        self_assessment_closes=CLOSES,
    )
    return built.participations[Y_TE]


@pytest.fixture
def officer(yte):
    """Trần Văn Minh, CCHC officer of Sở Y tế."""
    return person("canbo.yte")


def leaf(yte, code: str) -> Criterion:
    return Criterion.objects.get(year_id=yte.year_id, code=code)


def save(yte, officer, code: str, score: str):
    return services.score_save(
        participation=yte, criterion=leaf(yte, code), by=officer, score=score
    )


def refusal(call) -> str:
    with pytest.raises(ValidationError) as error:
        call()
    return " ".join(error.value.messages)


def test_a_bonus_self_score_above_its_points_is_refused_and_nothing_written(yte, officer):
    assert refusal(lambda: save(yte, officer, "1.3", "1,5")) == "Điểm tự chấm phải từ 0 đến 1."
    assert not Score.objects.filter(self_score__isnull=False).exists()


def test_a_bonus_cannot_be_requested_not_applicable(yte, officer):
    words = refusal(
        lambda: services.not_applicable_request(
            participation=yte,
            criterion=leaf(yte, "1.3"),
            by=officer,
            requested=True,
            reason="Không có sáng kiến nào trong năm.",
        )
    )

    assert words == "Không thể đề nghị không áp dụng một tiêu chí điểm thưởng."
    assert not Score.objects.filter(not_applicable_requested=True).exists()


def test_the_self_assessment_adds_a_bonus_to_its_area_and_to_no_maximum(yte, officer):
    save(yte, officer, "1.1", "2")
    save(yte, officer, "1.2", "1,5")
    save(yte, officer, "1.3", "1")
    save(yte, officer, "1.4", "0,5")

    area = next(row for row in leaf_rows(yte) if row.criterion.code == "1")
    assert (area.points, area.bonus, area.deducted, area.evidence_max) == (
        D("4.5"),  # 2 + 1,5 + 1 bonus
        D(1),
        D("0.5"),
        D(4),  # 2 + 2: neither the bonus nor the deduction adds to the maximum
    )
    # The leaves to score: 1.1, 1.2 and 2.1; the bonus and the deduction are optional.
    assert (area.leaves_done, area.leaves_total) == (2, 2)
    assert self_assessment_progress(yte) == (2, 3)
    summary = submission_summary(yte)
    assert (summary.points, summary.evidence_max, summary.leaves_total) == (D(4), D(9), 3)
    assert [row.criterion.code for row in summary.without_score] == ["2.1"]


def test_an_appraised_bonus_adds_to_its_area_in_the_stored_results(yte):
    for code, points in [("1.1", "2"), ("1.2", "1.5"), ("1.3", "1"), ("2.1", "4")]:
        Score.objects.create(
            participation=yte, criterion=leaf(yte, code), appraised_score=D(points)
        )
    # No deduction recorded: nothing to deduct, and no gap before publication.
    assert publication_gaps(yte.year) == []

    results_compute(year=yte.year)

    result = UnitResult.objects.get(participation=yte)
    areas = {
        a.criterion.code: (a.score, a.max_points, a.index)
        for a in AreaResult.objects.filter(unit_result=result).select_related("criterion")
    }
    # Area 1: 2 + 1,5 + 1 = 4,5, clamped to its maximum 4; area 2: 4 of 5.
    assert areas == {"1": (D(4), D(4), D(100)), "2": (D(4), D(5), D(80))}
    assert (result.total, result.max_points, result.warnings) == (D(8), D(9), [])
    assert result.index.quantize(D("0.0001")) == D("88.8889")


def test_the_unit_sees_a_bonus_leaf_named_as_such_with_its_points_in_the_area(yte, officer, client):
    """The tree page words a bonus leaf as one ("điểm thưởng tối đa", "Điểm thưởng tự chấm")
    and the area's progress shows the bonus beside the points."""
    save(yte, officer, "1.1", "2")
    save(yte, officer, "1.3", "1")
    client.force_login(officer)
    page = client.get(reverse("evidence:home")).content.decode()
    bonus = page.split(f'id="leaf-{leaf(yte, "1.3").pk}"', 1)[1].split("</article>", 1)[0]
    assert "điểm thưởng tối đa 1" in bonus and "Điểm thưởng tự chấm" in bonus
    assert "điểm thưởng 1" in page.split(f'id="progress-{leaf(yte, "1").pk}"', 1)[1][:600]
    detail = client.get(reverse("evidence:leaf", args=[leaf(yte, "1.3").pk])).content.decode()
    assert "điểm thưởng tối đa (cộng vào lĩnh vực, không cộng vào điểm tối đa)" in detail


def test_the_annex_counts_a_bonus_in_its_area_and_not_in_the_maximum(yte):
    """The annex's rows (reports/data.py): the bonus leaf's maximum is shown as (+1) and the
    area's applicable maximum stays 4, its appraised points 2 + 1,5 + 1."""
    from reports.data import year_report

    for code, points in [("1.1", "2"), ("1.2", "1.5"), ("1.3", "1"), ("2.1", "4")]:
        Score.objects.create(
            participation=yte, criterion=leaf(yte, code), appraised_score=D(points)
        )
    results_compute(year=yte.year)
    report = year_report(yte.year, unit_codes={yte.unit.code})
    _block, unit = report.unit(yte.unit.code)
    rows = {row.code: row for row in unit.rows}
    assert rows["1.3"].is_bonus and not rows["1.3"].is_deduction
    assert (rows["1"].max_points, rows["1"].appraised) == (D(4), D("4.5"))
    assert rows["2"].max_points == D(5)
