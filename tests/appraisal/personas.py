"""A small province year for the appraisal workflow, and the people who work on it.

Block A, four units: A1 Sở Giao thông vận tải, A2 Sở Nội vụ, A8 Sở Tư pháp, A18 Sở Y tế.
Criteria: area 1 (1.1 plain, 1.2 measured with a rubric, 1.3 deduction), area 2 (2.1, 2.2,
institutions: Tư pháp's area), area 3 by survey (not appraised).

Windows of the 2023 year (Asia/Ho_Chi_Minh), closes exclusive:
self-assessment 25/12/2023 – 10/01/2024 24:00, appraisal 11/01 – 16/01/2024 24:00,
explanation 17/01 – 19/01/2024 24:00.

People: Lê Thu Hà, appraiser sent by Sở Tư pháp (A8) and assigned area 2; Vũ Đức Anh, the
secretariat lead from Sở Nội vụ (A2); Trần Văn Minh, CCHC officer of Sở Y tế (A18), and
Phạm Quốc Hùng, its head; Đỗ Mạnh Cường of the council; Nguyễn Thị Lan of Sở Nội vụ.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest
import time_machine

from appraisal.models import Assignment
from criteria.models import Criterion, Participation, Year
from evidence.models import Score
from tests.personas import GTVT, NOI_VU, TU_PHAP, Y_TE, Node, local, person, year_build
from units.models import Block, Membership, Unit

# The fixtures, for `from .personas import *` in test modules.
__all__ = [
    "after_all",
    "after_explanation",
    "appraiser",
    "council",
    "during_appraisal",
    "during_explanation",
    "head",
    "lead",
    "noivu",
    "officer",
    "other_appraiser",
    "world",
]

R = Membership.Role


SELF_OPENS = local(2023, 12, 25)
SELF_CLOSES = local(2024, 1, 11)
APPRAISAL_OPENS = local(2024, 1, 11)
APPRAISAL_CLOSES = local(2024, 1, 17)
EXPLANATION_OPENS = local(2024, 1, 17)
EXPLANATION_CLOSES = local(2024, 1, 20)
IN_APPRAISAL = local(2024, 1, 12, 9, 30)
IN_EXPLANATION = local(2024, 1, 18, 10, 0)
AFTER_EXPLANATION = local(2024, 1, 21, 8, 0)
AFTER_ALL = local(2024, 2, 20, 9, 0)

UNITS = [GTVT, NOI_VU, TU_PHAP, Y_TE]
CRITERIA = [
    Node("1", "4", name="Công tác chỉ đạo, điều hành cải cách hành chính"),
    Node("1.1", "2", "evidence", name="Ban hành kế hoạch CCHC năm"),
    Node(
        "1.2",
        "2",
        "evidence",
        rubric=[["100", "2"], ["80", "1"], ["0", "0"]],
        name="Tỷ lệ nhiệm vụ hoàn thành",
    ),
    Node("1.3", "0.5", "evidence", kind="deduction", name="Vi phạm kỷ luật hành chính"),
    Node("2", "5", name="Cải cách thể chế"),
    Node("2.1", "3", "evidence", name="Thực hiện quy trình xây dựng văn bản QPPL"),
    Node("2.2", "2", "evidence", name="Rà soát, hệ thống hóa văn bản QPPL"),
    Node("3", "1", name="Đánh giá qua điều tra xã hội học"),
    Node("3.1", "1", "survey", name="Sự hài lòng của tổ chức"),
]
# Self scores of every unit: 1.1 → 2, 1.2 → value 100 (2 points), 2.1 → 3, 2.2 → 2.
SELF = {"1.1": ("2", None), "1.2": ("2", "100"), "2.1": ("3", None), "2.2": ("2", None)}


@dataclass
class World:
    year: Year
    block: Block
    units: dict[str, Unit]
    participations: dict[str, Participation]
    criteria: dict[str, Criterion]

    def score(self, unit: str, code: str) -> Score:
        return Score.objects.get(
            participation=self.participations[unit], criterion=self.criteria[code]
        )


def build_world() -> World:
    built = year_build(
        2023,
        units=UNITS,
        tree=CRITERIA,
        status=Year.Status.APPRAISAL,
        self_assessment_opens=SELF_OPENS,
        self_assessment_closes=SELF_CLOSES,
        appraisal_opens=APPRAISAL_OPENS,
        appraisal_closes=APPRAISAL_CLOSES,
        explanation_opens=EXPLANATION_OPENS,
        explanation_closes=EXPLANATION_CLOSES,
    )
    criteria = {code: criterion for (_, code), criterion in built.criteria.items()}
    for participation in built.participations.values():
        for code, (score, value) in SELF.items():
            Score.objects.create(
                participation=participation,
                criterion=criteria[code],
                self_score=Decimal(score),
                self_value=Decimal(value) if value else None,
                self_note="Đơn vị đã thực hiện đầy đủ.",
            )
    return World(built.year, built.blocks["A"], built.units, built.participations, criteria)


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def lead(world):
    """Vũ Đức Anh, secretariat lead, from Sở Nội vụ (A2)."""
    return person("totruong")


@pytest.fixture
def appraiser(world, lead):
    """Lê Thu Hà, sent by Sở Tư pháp (A8), assigned area 2 (institutions) of block A."""
    user = person("thamdinh.tuphap")
    Assignment.objects.create(
        year=world.year, block=world.block, area_code="2", appraiser=user, assigned_by=lead
    )
    return user


@pytest.fixture
def other_appraiser(world):
    """An appraiser from Sở Giao thông vận tải (A1) with no assignment yet."""
    return person("thamdinh.gtvt")


@pytest.fixture
def officer(world):
    """Trần Văn Minh, CCHC officer of Sở Y tế (A18)."""
    return person("canbo.yte")


@pytest.fixture
def head(world):
    """Phạm Quốc Hùng, head of Sở Y tế (A18)."""
    return person("thutruong.yte")


@pytest.fixture
def council(world):
    """Đỗ Mạnh Cường, member of the council."""
    return person("hoidong")


@pytest.fixture
def noivu(world):
    """Nguyễn Thị Lan, officer of Sở Nội vụ (A2)."""
    return person("noivu")


@pytest.fixture
def during_appraisal():
    with time_machine.travel(IN_APPRAISAL, tick=False):
        yield IN_APPRAISAL


@pytest.fixture
def during_explanation():
    with time_machine.travel(IN_EXPLANATION, tick=False):
        yield IN_EXPLANATION


@pytest.fixture
def after_all():
    with time_machine.travel(AFTER_ALL, tick=False):
        yield AFTER_ALL


@pytest.fixture
def after_explanation():
    with time_machine.travel(AFTER_EXPLANATION, tick=False):
        yield AFTER_EXPLANATION


def appraise_everything(world: World, *, acknowledge_surveys: bool = True) -> None:
    """Give every evidence leaf still without one the unit's own score as its appraised
    score, and (by default) record the council's acceptance of every survey leaf without
    answers, so that nothing keeps the year from publication (DOMAIN §9)."""
    from appraisal.models import SurveyGapAcknowledgement

    for score in Score.objects.filter(
        participation__year=world.year, appraised_score__isnull=True, not_applicable=False
    ).select_related("criterion"):
        score.appraised_score = score.self_score
        score.appraised_value = score.self_value
        score.save(update_fields=["appraised_score", "appraised_value"])
    if acknowledge_surveys:
        for participation in world.participations.values():
            SurveyGapAcknowledgement.objects.get_or_create(
                participation=participation,
                criterion=world.criteria["3.1"],
                defaults={"note": "Không tổ chức điều tra đơn vị này trong năm thử."},
            )
