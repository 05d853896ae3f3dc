"""No lost work on the appraisal and explanation forms (DOMAIN §9): a save made on a form
loaded before someone else appraised or explained the leaf is refused with who did it and
when, nothing is written, and the typed input comes back for the merge."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client

from appraisal.models import AppraisalEntry, Explanation
from appraisal.services.appraisals import appraisal_save, appraisal_version, not_applicable_decide
from appraisal.services.explanations import explanation_submit
from evidence.services.scores import StaleVersion

from .personas import *  # noqa: F403 - fixtures
from .personas import IN_APPRAISAL

S = AppraisalEntry.Status
LEAF = "/tham-dinh/2023/don-vi/A1/tieu-chi/2.1/"
EXPLAIN = "/tham-dinh/giai-trinh/2023/A18/2.1/"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def later(time_machine):
    """Let the frozen clock move on between two people's actions."""
    return lambda: time_machine.shift(timedelta(minutes=3))


@pytest.fixture
def clock(time_machine):
    """A clock that moves on only when told (`later`), starting in the appraisal window."""
    time_machine.move_to(IN_APPRAISAL, tick=False)


@pytest.fixture
def explaining(world, appraiser, settings, tmp_path, time_machine):
    """2.1 of Sở Y tế sent for explanation in round 1; the clock in the explanation window."""
    settings.MEDIA_ROOT = tmp_path
    time_machine.move_to(IN_APPRAISAL, tick=False)
    appraisal_save(
        participation=world.participations["A18"],
        criterion=world.criteria["2.1"],
        status=S.NEEDS_EXPLANATION,
        appraised_score=Decimal("1.5"),
        comment="Chưa có văn bản thẩm định dự thảo.",
        by=appraiser,
    )
    time_machine.move_to(world.year.explanation_opens + timedelta(hours=10), tick=False)
    return world.score("A18", "2.1")


def tab(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def version_in(html: str, name: str) -> str:
    match = re.search(rf'id="{name}" value="([^"]*)"', html)
    assert match, f"no {name} in the page"
    return match.group(1)


def load(client, url: str, name: str = "appraisal-version") -> str:
    response = client.get(url)
    assert response.status_code == 200
    return version_in(response.content.decode(), name)


def adjust(world, by, *, version, score="2.5", comment="Thiếu văn bản thẩm định.", unit="A1"):
    return appraisal_save(
        participation=world.participations[unit],
        criterion=world.criteria["2.1"],
        status=S.ADJUSTED,
        appraised_score=Decimal(score),
        comment=comment,
        by=by,
        version=version,
    )


def test_a_second_appraiser_on_an_old_version_is_refused_and_told_who_appraised(
    world, appraiser, lead, clock, later
):
    loaded = appraisal_version(world.score("A1", "2.1"))
    later()
    adjust(world, appraiser, version=loaded)
    later()
    with pytest.raises(StaleVersion) as refusal:
        adjust(world, lead, version=loaded, score="2", comment="Theo hồ sơ bổ sung.")
    assert refusal.value.messages == [
        "Tiêu chí 2.1 vừa được Lê Thu Hà sửa lúc 09:33 ngày 12/01/2024, sau khi anh/chị mở "
        "trang này; nội dung anh/chị vừa nhập chưa được lưu."
    ]
    score = world.score("A1", "2.1")
    assert (score.appraised_score, score.appraisal_note) == (
        Decimal("2.5"),
        "Thiếu văn bản thẩm định.",
    )
    assert score.appraisal_entries.count() == 1


def test_the_version_after_a_save_lets_the_same_appraiser_save_again(
    world, appraiser, clock, later
):
    adjust(world, appraiser, version=appraisal_version(world.score("A1", "2.1")))
    later()
    adjust(world, appraiser, version=appraisal_version(world.score("A1", "2.1")), score="2")
    assert world.score("A1", "2.1").appraised_score == Decimal("2")


def test_a_leaf_never_saved_is_stale_once_someone_appraised_it(
    world, appraiser, lead, clock, later
):
    world.score("A1", "2.1").delete()
    later()
    adjust(world, appraiser, version="")
    later()
    with pytest.raises(StaleVersion, match="vừa được Lê Thu Hà sửa"):
        adjust(world, lead, version="", score="1")


def test_a_new_explanation_makes_the_round_two_form_stale(
    world, explaining, appraiser, officer, head, later
):
    explanation_submit(score=explaining, note="Bổ sung văn bản số 15.", by=officer)
    later()
    loaded = appraisal_version(world.score("A18", "2.1"))
    later()
    explanation_submit(score=explaining, note="Bổ sung thêm báo cáo quý.", by=head)
    later()
    with pytest.raises(StaleVersion, match="vừa được Phạm Quốc Hùng sửa lúc 10:06"):
        adjust(world, appraiser, version=loaded, unit="A18", score="2")
    assert world.score("A18", "2.1").appraisal_entries.count() == 1


def test_a_second_explanation_on_an_old_version_is_refused(world, explaining, officer, head, later):
    loaded = appraisal_version(explaining)
    later()
    explanation_submit(score=explaining, note="Bổ sung văn bản số 15.", by=officer, version=loaded)
    later()
    with pytest.raises(StaleVersion, match="vừa được Trần Văn Minh sửa lúc 10:03"):
        explanation_submit(score=explaining, note="Bản của thủ trưởng.", by=head, version=loaded)
    assert list(Explanation.objects.values_list("note", flat=True)) == ["Bổ sung văn bản số 15."]


def test_a_not_applicable_decision_on_an_old_version_is_refused(
    world, appraiser, lead, clock, later
):
    score = world.score("A1", "2.1")
    score.not_applicable_requested = True
    score.not_applicable_reason = "Không ban hành văn bản QPPL."
    score.save()
    loaded = appraisal_version(score)
    later()
    decision = {"participation": world.participations["A1"], "criterion": world.criteria["2.1"]}
    not_applicable_decide(**decision, approve=False, comment="Có văn bản.", by=lead, version=loaded)
    later()
    with pytest.raises(StaleVersion, match="vừa được Vũ Đức Anh sửa"):
        not_applicable_decide(**decision, approve=True, by=appraiser, version=loaded)
    assert not world.score("A1", "2.1").not_applicable


def test_the_leaf_page_refuses_an_old_version_with_409_and_keeps_what_was_typed(
    world, appraiser, lead, clock, later
):
    ha, anh = tab(appraiser), tab(lead)
    ha_version, anh_version = load(ha, LEAF), load(anh, LEAF)
    later()
    saved = ha.post(
        LEAF,
        {
            "status": "adjusted",
            "appraised_score": "2,5",
            "comment": "Thiếu hồ sơ.",
            "version": ha_version,
        },
    )
    assert saved.status_code == 302
    later()
    typed = {"status": "adjusted", "appraised_score": "1", "comment": "Bản của tổ trưởng."}
    refused = anh.post(LEAF, {**typed, "version": anh_version})
    assert refused.status_code == 409
    text = refused.content.decode()
    assert "Tiêu chí 2.1 vừa được Lê Thu Hà sửa lúc 09:33 ngày 12/01/2024" in text
    assert (
        "Vòng 1, điều chỉnh, điểm “2,5”, ý kiến “Thiếu hồ sơ.”" in text
    )  # the stored version, for the merge
    assert ">\nBản của tổ trưởng.</textarea>" in text  # the typed input stays in the form
    assert re.search(r'value="adjusted"[^>]* checked', text)
    assert world.score("A1", "2.1").appraisal_note == "Thiếu hồ sơ."

    # The refusal hands over the stored version: a deliberate resave after merging goes in.
    merged = version_in(text, "appraisal-version")
    assert merged != anh_version
    later()
    resaved = anh.post(LEAF, {**typed, "comment": "Đã đối chiếu: 1 điểm.", "version": merged})
    assert resaved.status_code == 302
    assert world.score("A1", "2.1").appraised_score == Decimal("1")


def test_through_htmx_a_refusal_is_the_form_part_and_a_save_redirects_the_page(
    world, appraiser, lead, clock, later
):
    ha, anh = tab(appraiser), tab(lead)
    old = load(anh, LEAF)
    later()
    saved = ha.post(
        LEAF,
        {"status": "agreed", "appraised_score": "3", "comment": "", "version": load(ha, LEAF)},
        **HTMX,
    )
    assert saved.status_code == 200
    assert saved["HX-Redirect"] == "/tham-dinh/2023/don-vi/A1/tieu-chi/2.2/"
    later()
    refused = anh.post(LEAF, {"status": "agreed", "appraised_score": "3", "version": old}, **HTMX)
    assert refused.status_code == 409 and "HX-Redirect" not in refused
    assert 'id="appraise"' in refused.content.decode()
    assert "vừa được Lê Thu Hà sửa" in refused.content.decode()


def test_the_not_applicable_decision_form_carries_the_version(
    client, world, appraiser, lead, clock, later
):
    score = world.score("A1", "2.1")
    score.not_applicable_requested = True
    score.not_applicable_reason = "Không ban hành văn bản QPPL."
    score.save()
    ha, anh = tab(appraiser), tab(lead)
    old = load(ha, LEAF)
    later()
    anh.post(
        f"{LEAF}khong-ap-dung/",
        {"decision": "refuse", "comment": "Có văn bản.", "version": load(anh, LEAF)},
    )
    later()
    response = ha.post(
        f"{LEAF}khong-ap-dung/",
        {"decision": "approve", "comment": "Đồng ý.", "version": old},
        follow=True,
    )
    text = response.content.decode()
    assert "vừa được Vũ Đức Anh sửa" in text and "“Đồng ý.”" in text
    assert not world.score("A1", "2.1").not_applicable


def test_the_explanation_page_refuses_an_old_version_and_keeps_the_note(
    world, explaining, officer, head, later
):
    minh, hung = tab(officer), tab(head)
    minh_version = load(minh, EXPLAIN, "explanation-version")
    hung_version = load(hung, EXPLAIN, "explanation-version")
    later()
    sent = minh.post(EXPLAIN, {"note": "Bổ sung văn bản số 15.", "version": minh_version})
    assert sent.status_code == 302
    later()
    refused = hung.post(EXPLAIN, {"note": "Bản của thủ trưởng.", "version": hung_version})
    assert refused.status_code == 409
    text = refused.content.decode()
    assert "Tiêu chí 2.1 vừa được Trần Văn Minh sửa lúc 10:03 ngày 17/01/2024" in text
    assert "giải trình đang lưu (10:03 17/01/2024): “Bổ sung văn bản số 15.”" in text
    assert ">\nBản của thủ trưởng.</textarea>" in text
    assert Explanation.objects.count() == 1

    later()
    again = hung.post(
        EXPLAIN,
        {"note": "Bản của thủ trưởng.", "version": version_in(text, "explanation-version")},
        **HTMX,
    )
    assert again.status_code == 200 and again["HX-Redirect"] == "/tham-dinh/giai-trinh/2023/"
    assert Explanation.objects.count() == 2


def test_the_forms_tie_help_and_errors_to_their_fields(world, appraiser, clock):
    client = tab(appraiser)
    page = client.get(LEAF).content.decode()
    assert "<legend>Kết quả thẩm định</legend>" in page
    assert 'aria-describedby="id_comment_helptext"' in page
    assert '<small id="id_comment_helptext">' in page

    refused = client.post(
        LEAF, {"status": "adjusted", "appraised_score": "2,5", "comment": "", "version": ""}
    ).content.decode()
    assert (
        'aria-invalid="true" aria-describedby="id_comment_helptext id_comment_error" '
        'id="id_comment"' in refused
    )
    assert (
        '<ul class="errorlist" id="id_comment_error"><li>Nhập ý kiến thẩm định khi điểm khác '
        "điểm tự chấm.</li></ul>" in refused
    )
