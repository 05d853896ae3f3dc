"""Issue 12: a colleague given only some leaves sees and answers, in the explanation round,
only the disputed leaves given to them; the unit's focal officer and head keep them all."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from appraisal.models import AppraisalEntry, Explanation
from appraisal.services.appraisals import appraisal_save
from appraisal.services.explanations import explanation_submit
from evidence.services import leaf_delegate
from tests.personas import person

from .personas import *  # noqa: F403 - fixtures
from .personas import IN_APPRAISAL, SELF_OPENS, R

S = AppraisalEntry.Status
LIST = "/tham-dinh/giai-trinh/2023/"
GIVEN = "/tham-dinh/giai-trinh/2023/A18/2.1/"
NOT_GIVEN = "/tham-dinh/giai-trinh/2023/A18/2.2/"


@pytest.fixture
def colleague(world, officer, time_machine):
    """Ngô Thị Mai, another officer of Sở Y tế, given leaf 2.1 by the focal officer during
    the self-assessment."""
    mai = person("canbo2.yte", name="Ngô Thị Mai", role=R.UNIT_OFFICER, unit="A18")
    time_machine.move_to(SELF_OPENS + timedelta(days=1), tick=False)
    leaf_delegate(
        participation=world.participations["A18"],
        criterion=world.criteria["2.1"],
        by=officer,
        to=mai,
    )
    return mai


@pytest.fixture
def disputed(world, appraiser, colleague, settings, tmp_path, time_machine):
    """Round 1 disputes 2.1 (explanation asked) and 2.2 (adjusted); then the round opens."""
    settings.MEDIA_ROOT = tmp_path
    time_machine.move_to(IN_APPRAISAL, tick=False)
    for code, status, comment in (
        ("2.1", S.NEEDS_EXPLANATION, "Chưa có văn bản thẩm định dự thảo."),
        ("2.2", S.ADJUSTED, "Báo cáo rà soát chưa đủ."),
    ):
        appraisal_save(
            participation=world.participations["A18"],
            criterion=world.criteria[code],
            status=status,
            appraised_score=Decimal("1"),
            comment=comment,
            by=appraiser,
        )
    time_machine.move_to(world.year.explanation_opens + timedelta(hours=10), tick=False)


def tab(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def answer(client, url: str, note: str):
    """Open the leaf's explanation page and send the form with the version it carries."""
    page = client.get(url).content.decode()
    version = re.search(r'id="explanation-version" value="([^"]*)"', page).group(1)
    return client.post(url, {"note": note, "version": version})


def test_the_colleague_sees_only_the_disputed_leaf_given_to_them(colleague, disputed):
    page = tab(colleague).get(LIST).content.decode()
    assert GIVEN in page and "Thực hiện quy trình xây dựng văn bản QPPL" in page
    assert NOT_GIVEN not in page and "Rà soát, hệ thống hóa" not in page


def test_the_colleague_gets_404_on_another_leaf_and_cannot_answer_it(colleague, disputed):
    mai = tab(colleague)
    assert mai.get(NOT_GIVEN).status_code == 404
    assert mai.post(NOT_GIVEN, {"note": "Giải trình hộ.", "version": ""}).status_code == 404
    assert not Explanation.objects.exists()


def test_the_colleague_answers_the_leaf_given_to_them(colleague, disputed):
    mai = tab(colleague)
    assert "Chưa có văn bản thẩm định dự thảo." in mai.get(GIVEN).content.decode()
    response = answer(mai, GIVEN, "Bổ sung văn bản số 15.")
    assert response.status_code == 302
    assert Explanation.objects.get().by == colleague


@pytest.mark.parametrize("who", ["officer", "head"])
def test_the_focal_officer_and_the_head_see_and_answer_every_disputed_leaf(
    request, who, colleague, disputed
):
    client = tab(request.getfixturevalue(who))
    page = client.get(LIST).content.decode()
    assert GIVEN in page and NOT_GIVEN in page
    assert client.get(NOT_GIVEN).status_code == 200
    assert answer(client, NOT_GIVEN, "Đã bổ sung báo cáo.").status_code == 302
    assert Explanation.objects.get().score.criterion.code == "2.2"


def test_the_service_refuses_the_colleague_on_another_leaf(world, colleague, disputed):
    with pytest.raises(ValidationError, match="Anh/chị không được giao tiêu chí 2.2."):
        explanation_submit(score=world.score("A18", "2.2"), note="Giải trình hộ.", by=colleague)
    assert not Explanation.objects.exists()
