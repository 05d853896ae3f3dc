"""Issue 15, Build 5: a year started from the one before, by `start_year` — blocks, units,
criteria trees, rules, questionnaire, survey plan and assignments copied; no score, ballot,
window or result; all or nothing, audited."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from appraisal.models import Assignment
from criteria.models import BlockRules, Criterion, Participation, Year
from evidence.models import Score
from kernel.models import AuditEvent
from surveys.models import Question, RespondentGroup, Scale, ScaleOption, SurveyPlan
from tests.appraisal.personas import build_world
from tests.personas import person

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = build_world()
    year = world.year
    BlockRules.objects.update_or_create(
        year=year, block=world.block, defaults={"bands": "93;80;72,5", "band_names": "A;B;C"}
    )
    group = RespondentGroup.objects.create(year=year, code="hdnd", name="Đại biểu HĐND")
    scale = Scale.objects.create(year=year, code="muc4")
    for code, coefficient in [("A", "1"), ("B", "0.5"), ("C", "0")]:
        ScaleOption.objects.create(scale=scale, code=code, label=code, coefficient=coefficient)
    question = Question.objects.create(
        criterion=world.criteria["3.1"], scale=scale, text="Hài lòng?", sipas=True
    )
    question.groups.set([group])
    SurveyPlan.objects.create(year=year, block=world.block, group=group, planned=40)
    Participation.objects.filter(year=year).update(predecessors="-")
    Assignment.objects.create(
        year=year, block=world.block, area_code="2", appraiser=person("thamdinh.tuphap")
    )
    return world


def test_a_year_is_started_from_the_one_before(world):
    out = StringIO()
    call_command("start_year", "--from", "2023", "--year", "2024", stdout=out)
    assert "Đã tạo năm 2024 từ năm 2023: 4 đơn vị" in out.getvalue()

    old, new = world.year, Year.objects.get(year=2024)
    assert new.name == old.name.replace("2023", "2024")
    assert new.status == Year.Status.DRAFT and not new.is_published
    assert new.self_assessment_opens is None and new.appraisal_closes is None

    def tree(year):
        return list(
            Criterion.objects.filter(year=year)
            .order_by("block__code", "sort_key")
            .values_list("block__code", "code", "name", "max_points", "method", "kind", "rubric")
        )

    assert tree(new) == tree(old)
    units = Participation.objects.filter(year=new)
    assert sorted(units.values_list("unit__code", flat=True)) == sorted(
        Participation.objects.filter(year=old).values_list("unit__code", flat=True)
    )
    assert set(units.values_list("predecessors", flat=True)) == {""}  # compared by code
    rules = BlockRules.objects.get(year=new, block=world.block)
    assert (rules.bands, rules.band_names) == ("93;80;72,5", "A;B;C")
    question = Question.objects.get(criterion__year=new, criterion__code="3.1")
    assert (question.text, question.sipas, question.scale.code) == ("Hài lòng?", True, "muc4")
    assert [g.code for g in question.groups.all()] == ["hdnd"]
    assert list(SurveyPlan.objects.filter(year=new).values_list("group__code", "planned")) == [
        ("hdnd", 40)
    ]
    assignment = Assignment.objects.get(year=new)
    assert (assignment.area_code, assignment.appraiser.username) == ("2", "thamdinh.tuphap")
    assert not Score.objects.filter(participation__year=new).exists()
    event = AuditEvent.objects.get(action="year_start_from")
    assert event.year == 2024 and "tạo từ năm 2023" in event.note
    # The source year is untouched.
    assert Score.objects.filter(participation__year=old).count() > 0


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--from", "2023", "--year", "2023"], "Năm mới (2023) phải sau năm 2023."),
        (["--from", "2023", "--year", "2020"], "Năm mới (2020) phải sau năm 2023."),
        (["--from", "1999", "--year", "2024"], "Không có năm 1999."),
    ],
)
def test_a_bad_request_is_refused_in_vietnamese_and_writes_nothing(world, arguments, message):
    before = Year.objects.count()
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call_command("start_year", *arguments)
    assert Year.objects.count() == before


def test_an_existing_year_is_not_started_again(world):
    call_command("start_year", "--from", "2023", "--year", "2024", stdout=StringIO())
    criteria = Criterion.objects.filter(year__year=2024).count()
    with pytest.raises(CommandError, match="Năm 2024 đã có"):
        call_command("start_year", "--from", "2023", "--year", "2024")
    assert Criterion.objects.filter(year__year=2024).count() == criteria
