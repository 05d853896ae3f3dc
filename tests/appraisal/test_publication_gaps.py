"""Complete before published (DOMAIN §9): every gap listed, publication refused until none
is left, survey leaves without answers accepted by the council in writing."""

from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from appraisal import scoring
from appraisal.completeness import (
    NO_SURVEY_ANSWER,
    NOT_APPLICABLE_UNDECIDED,
    UNAPPRAISED,
    LeafGap,
    unit_gaps,
)
from appraisal.models import SurveyGapAcknowledgement
from appraisal.services.compute import results_compute
from appraisal.services.publication import (
    publication_gaps,
    survey_gap_acknowledge,
    year_publish,
)
from criteria.models import Year
from kernel.models import AuditEvent

from .personas import *  # noqa: F403 - fixtures
from .personas import AFTER_ALL, appraise_everything

D = Decimal
PUBLISH = "/tham-dinh/hoi-dong/2023/cong-bo/"
ACKNOWLEDGE = "/tham-dinh/hoi-dong/2023/cong-bo/ghi-nhan/"

TREE = scoring.CriteriaSet(
    areas=(),
    leaves=(
        scoring.Leaf("1.1", D(2)),
        scoring.Leaf("1.2", D(1), rubric=((D(100), D(1)), (D(0), D(0)))),
        scoring.Leaf("1.3", D(1), kind=scoring.DEDUCTION),
        scoring.Leaf("2.1", D(3), method=scoring.SURVEY),
    ),
)


def gaps_of(entries=None, tallies=None, **options):
    unit = scoring.UnitInput("A18", entries=entries or {}, tallies=tallies or {})
    return [(gap.leaf, gap.kind) for gap in unit_gaps(TREE, unit, **options)]


def test_a_unit_with_nothing_appraised_has_every_evidence_and_survey_leaf_as_a_gap():
    assert gaps_of() == [("1.1", UNAPPRAISED), ("1.2", UNAPPRAISED), ("2.1", NO_SURVEY_ANSWER)]


def test_an_appraised_score_a_measured_value_or_an_approved_exclusion_completes_a_leaf():
    entries = {
        "1.1": scoring.LeafEntry(appraised_score=D(0)),
        "1.2": scoring.LeafEntry(appraised_value=D(80)),
    }
    tallies = {"2.1": scoring.SurveyTally(D("0.5"), 1)}
    assert gaps_of(entries, tallies) == []
    assert gaps_of({"1.1": scoring.LeafEntry(not_applicable=True)})[0] == ("1.2", UNAPPRAISED)


def test_a_deduction_with_nothing_recorded_deducts_nothing_and_is_no_gap():
    assert ("1.3", UNAPPRAISED) not in gaps_of()


def test_an_undecided_not_applicable_request_is_its_own_gap():
    assert gaps_of(requested_not_applicable={"1.1"})[0] == ("1.1", NOT_APPLICABLE_UNDECIDED)


def test_answers_that_all_do_not_count_leave_the_survey_leaf_open_until_acknowledged():
    tallies = {"2.1": scoring.SurveyTally(D(0), 0)}
    assert ("2.1", NO_SURVEY_ANSWER) in gaps_of(tallies=tallies)
    assert ("2.1", NO_SURVEY_ANSWER) not in gaps_of(tallies=tallies, acknowledged={"2.1"})
    assert LeafGap("A18", "2.1", NO_SURVEY_ANSWER).words.startswith("không có phiếu")


def test_publication_is_refused_with_every_gap_named(world, council):
    results_compute(year=world.year)
    gaps = publication_gaps(world.year)
    # 4 units × (1.1, 1.2, 2.1, 2.2 unappraised + 3.1 without answers); 1.3 deducts nothing.
    assert len(gaps) == 20
    assert [(g.participation.unit.code, g.criterion.code) for g in gaps[:5]] == [
        ("A1", "1.1"),
        ("A1", "1.2"),
        ("A1", "2.1"),
        ("A1", "2.2"),
        ("A1", "3.1"),
    ]
    with pytest.raises(ValidationError) as refused:
        year_publish(year=world.year, by=council, at=AFTER_ALL)
    lines = refused.value.messages
    assert lines[0] == "Chưa thể công bố: còn 20 tiêu chí chưa hoàn tất thẩm định."
    assert "A18 Sở Y tế, tiêu chí 2.1: chưa có điểm thẩm định" in lines
    assert (
        "A8 Sở Tư pháp, tiêu chí 3.1: không có phiếu điều tra hợp lệ, chưa được Hội đồng ghi nhận"
        in lines
    )
    assert not Year.objects.get(pk=world.year.pk).is_published


def test_one_missing_leaf_is_enough_to_refuse(world, council):
    appraise_everything(world)
    score = world.score("A18", "2.2")
    score.appraised_score = None
    score.save()
    results_compute(year=world.year)
    with pytest.raises(ValidationError, match="còn 1 tiêu chí"):
        year_publish(year=world.year, by=council, at=AFTER_ALL)
    appraise_everything(world)
    results_compute(year=world.year)
    year_publish(year=world.year, by=council, at=AFTER_ALL)
    assert Year.objects.get(pk=world.year.pk).is_published


def test_the_publish_page_lists_each_gap_with_a_link_to_the_leaf(client, world, council, after_all):
    appraise_everything(world, acknowledge_surveys=False)
    results_compute(year=world.year)
    client.force_login(council)

    page = client.get(PUBLISH).content.decode()

    assert "Còn 4 tiêu chí chưa hoàn tất ở 4 đơn vị: chưa thể công bố." in page
    assert 'href="/tham-dinh/2023/don-vi/A18/tieu-chi/3.1/"' in page
    assert "Ghi nhận tiêu chí 3.1 của A18" in page
    response = client.post(PUBLISH, {"confirm": "2023"})
    assert response.status_code == 400
    assert "Chưa thể công bố: còn 4 tiêu chí" in response.content.decode()
    assert not Year.objects.get(pk=world.year.pk).is_published


def test_the_council_accepts_a_survey_leaf_without_answers_in_writing(
    client, world, council, after_all
):
    appraise_everything(world, acknowledge_surveys=False)
    results_compute(year=world.year)
    client.force_login(council)
    leaf = world.criteria["3.1"]

    for participation in world.participations.values():
        data = {"participation": participation.pk, "criterion": leaf.pk, "note": "Chưa điều tra."}
        assert client.post(ACKNOWLEDGE, data)["Location"] == PUBLISH

    assert SurveyGapAcknowledgement.objects.count() == 4
    event = AuditEvent.objects.filter(action="survey_gap_acknowledge").first()
    assert event.actor == council and event.changes == {"note": ["", "Chưa điều tra."]}
    assert "Mọi đơn vị đã được thẩm định đủ mọi tiêu chí." in client.get(PUBLISH).content.decode()
    assert client.post(PUBLISH, {"confirm": "2023"})["Location"] == "/tham-dinh/hoi-dong/2023/"
    assert Year.objects.get(pk=world.year.pk).is_published


def test_an_acknowledgement_needs_a_reason_and_a_survey_leaf_and_writes_nothing_otherwise(
    client, world, council, after_all
):
    client.force_login(council)
    a18 = world.participations["A18"]
    empty = {"participation": a18.pk, "criterion": world.criteria["3.1"].pk, "note": "  "}
    page = client.post(ACKNOWLEDGE, empty, follow=True).content.decode()
    assert "Ghi lý do Hội đồng chấp nhận tiêu chí không có phiếu." in page
    evidence_leaf = {"participation": a18.pk, "criterion": world.criteria["2.1"].pk, "note": "x"}
    page = client.post(ACKNOWLEDGE, evidence_leaf, follow=True).content.decode()
    assert "Chỉ ghi nhận được tiêu chí điều tra xã hội học của năm này." in page
    assert client.post(ACKNOWLEDGE, {"participation": "x", "criterion": "1"}).status_code == 404
    assert not SurveyGapAcknowledgement.objects.exists()
    assert not AuditEvent.objects.filter(action="survey_gap_acknowledge").exists()


def test_only_the_council_and_home_affairs_acknowledge(client, world, officer, appraiser):
    data = {"participation": world.participations["A18"].pk, "criterion": world.criteria["3.1"].pk}
    for user in (officer, appraiser):
        client.force_login(user)
        assert client.post(ACKNOWLEDGE, {**data, "note": "x"}).status_code == 403
    assert not SurveyGapAcknowledgement.objects.exists()


def test_a_published_year_takes_no_acknowledgement(world, council):
    appraise_everything(world)
    results_compute(year=world.year)
    year_publish(year=world.year, by=council, at=AFTER_ALL)
    with pytest.raises(ValidationError, match="đã công bố"):
        survey_gap_acknowledge(
            participation=world.participations["A1"],
            criterion=world.criteria["2.1"],
            note="x",
            by=council,
        )


def test_publish_year_prints_every_gap(world):
    results_compute(year=world.year)
    with time_machine.travel(AFTER_ALL, tick=False), pytest.raises(CommandError) as refused:
        call_command("publish_year", "--year", "2023", stdout=StringIO())
    lines = str(refused.value).splitlines()
    assert lines[0] == "Chưa thể công bố: còn 20 tiêu chí chưa hoàn tất thẩm định."
    assert (
        len(lines) == 21
        and "A1 Sở Giao thông vận tải, tiêu chí 1.1: chưa có điểm thẩm định" in lines
    )
