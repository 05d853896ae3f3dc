"""No lost work (DOMAIN §9): a leaf saved from a form loaded before someone else changed it
is refused with who changed it and when, and nothing is overwritten."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from evidence.models import Score

pytestmark = pytest.mark.usefixtures("during_window")

HTMX = {"HTTP_HX_REQUEST": "true"}


def tab(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def version_in(html: str, criterion_pk: int, prefix: str = "version") -> str:
    """The version a form (or an answer's out-of-band update) carries for one leaf."""
    match = re.search(rf'id="{prefix}-{criterion_pk}" value="([^"]*)"', html)
    assert match, f"no {prefix} for leaf {criterion_pk}"
    return match.group(1)


def load(client, url: str, criterion_pk: int) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return version_in(response.content.decode(), criterion_pk)


@pytest.fixture
def later(time_machine):
    """Let the frozen clock move on between two people's actions."""
    return lambda: time_machine.shift(timedelta(minutes=3))


def test_second_tab_saving_an_old_version_is_refused_and_names_who_changed_it(
    officer, head, yte, leaf, later
):
    criterion = leaf("1.1")
    page = reverse("evidence:leaf", args=[criterion.pk])
    save = reverse("evidence:leaf_save", args=[criterion.pk])
    minh, hung = tab(officer), tab(head)
    minh_version = load(minh, page, criterion.pk)
    hung_version = load(hung, page, criterion.pk)

    later()
    first = minh.post(
        save, {"score": "1,5", "note": "Kế hoạch 12/KH-SYT", "version": minh_version}, **HTMX
    )
    assert first.status_code == 200 and "Đã lưu lúc" in first.content.decode()

    later()
    second = hung.post(save, {"score": "2", "note": "", "version": hung_version}, **HTMX)
    assert second.status_code == 409
    text = second.content.decode()
    assert "Tiêu chí 1.1 vừa được Trần Văn Minh sửa lúc 09:33 ngày 05/01/2023" in text
    assert "Kế hoạch 12/KH-SYT" in text  # the stored version, shown for the merge
    assert "Đã lưu" not in text
    score = Score.objects.get(participation=yte, criterion=criterion)
    assert (str(score.self_score), score.self_note) == ("1.500", "Kế hoạch 12/KH-SYT")


def test_the_same_tab_saving_twice_with_the_returned_version_saves_both(officer, yte, leaf, later):
    criterion = leaf("1.1")
    save = reverse("evidence:leaf_save", args=[criterion.pk])
    minh = tab(officer)
    version = load(minh, reverse("evidence:leaf", args=[criterion.pk]), criterion.pk)
    assert version == ""  # nothing stored yet

    later()
    first = minh.post(save, {"score": "1", "note": "Lần 1", "version": version}, **HTMX)
    assert first.status_code == 200
    version = version_in(first.content.decode(), criterion.pk)
    assert version and 'hx-swap-oob="true"' in first.content.decode()

    later()
    second = minh.post(save, {"score": "2", "note": "Lần 2", "version": version}, **HTMX)
    assert second.status_code == 200 and "Đã lưu lúc" in second.content.decode()
    assert version_in(second.content.decode(), criterion.pk) != version
    score = Score.objects.get(participation=yte, criterion=criterion)
    assert (str(score.self_score), score.self_note) == ("2.000", "Lần 2")


def test_the_criteria_tree_form_carries_its_version_too(officer, head, yte, leaf, later):
    criterion = leaf("1.3")
    home = reverse("evidence:home")
    save = reverse("evidence:leaf_save", args=[criterion.pk])
    minh, hung = tab(officer), tab(head)
    tree_version = load(minh, home, criterion.pk)
    leaf_version = load(hung, reverse("evidence:leaf", args=[criterion.pk]), criterion.pk)

    later()
    assert (
        hung.post(
            save, {"score": "1", "note": "Từ trang tiêu chí", "version": leaf_version}, **HTMX
        )
    ).status_code == 200

    later()
    refused = minh.post(save, {"score": "0,5", "note": "", "version": tree_version}, **HTMX)
    assert refused.status_code == 409
    assert "vừa được Phạm Quốc Hùng sửa" in refused.content.decode()
    score = Score.objects.get(participation=yte, criterion=criterion)
    assert (str(score.self_score), score.self_note) == ("1.000", "Từ trang tiêu chí")

    # The refusal hands over the stored version: a deliberate resave after merging goes in.
    merged = version_in(refused.content.decode(), criterion.pk)
    later()
    resave = minh.post(
        save, {"score": "0,5", "note": "Từ trang tiêu chí; đã hợp nhất", "version": merged}, **HTMX
    )
    assert resave.status_code == 200
    assert Score.objects.get(pk=score.pk).self_note == "Từ trang tiêu chí; đã hợp nhất"


def test_a_measured_value_saved_on_an_old_version_is_refused(officer, head, yte, leaf, later):
    criterion = leaf("1.2")
    page = reverse("evidence:leaf", args=[criterion.pk])
    save = reverse("evidence:leaf_save", args=[criterion.pk])
    minh, hung = tab(officer), tab(head)
    old = load(minh, page, criterion.pk)
    later()
    hung.post(save, {"value": "85", "version": load(hung, page, criterion.pk)}, **HTMX)
    later()
    refused = minh.post(save, {"value": "100", "version": old}, **HTMX)
    assert refused.status_code == 409 and "giá trị “85”" in refused.content.decode()
    assert str(Score.objects.get(participation=yte, criterion=criterion).self_value) == "85.000"


def test_plain_post_on_an_old_version_is_refused_and_quotes_what_was_typed(
    officer, head, yte, leaf, later
):
    criterion = leaf("1.1")
    page = reverse("evidence:leaf", args=[criterion.pk])
    save = reverse("evidence:leaf_save", args=[criterion.pk])
    minh, hung = tab(officer), tab(head)
    old = load(minh, page, criterion.pk)
    later()
    hung.post(save, {"score": "1", "note": "Bản của anh Hùng", "version": old}, **HTMX)
    later()
    response = minh.post(
        save,
        {"score": "2", "note": "Bản của anh Minh", "version": old, "back": "leaf"},
        follow=True,
    )
    text = response.content.decode()
    assert "vừa được Phạm Quốc Hùng sửa" in text and "“Bản của anh Minh”" in text
    assert Score.objects.get(participation=yte, criterion=criterion).self_note == "Bản của anh Hùng"


def test_not_applicable_request_on_an_old_version_is_refused(officer, head, yte, leaf, later):
    criterion = leaf("1.3")
    page = reverse("evidence:leaf", args=[criterion.pk])
    minh, hung = tab(officer), tab(head)
    old = version_in(minh.get(page).content.decode(), criterion.pk, prefix="na-version")
    later()
    hung.post(
        reverse("evidence:leaf_save", args=[criterion.pk]),
        {"score": "1", "note": "Đã có", "version": old},
        **HTMX,
    )
    later()
    response = minh.post(
        reverse("evidence:not_applicable", args=[criterion.pk]),
        {"requested": "on", "reason": "Không có đơn vị trực thuộc", "version": old, "back": "leaf"},
        follow=True,
    )
    text = response.content.decode()
    assert "vừa được Phạm Quốc Hùng sửa" in text and "“Không có đơn vị trực thuộc”" in text
    assert not Score.objects.get(participation=yte, criterion=criterion).not_applicable_requested


def test_not_applicable_request_after_an_autosave_in_the_same_tab_is_accepted(
    officer, yte, leaf, later
):
    criterion = leaf("1.3")
    minh = tab(officer)
    page = minh.get(reverse("evidence:leaf", args=[criterion.pk])).content.decode()
    later()
    saved = minh.post(
        reverse("evidence:leaf_save", args=[criterion.pk]),
        {"score": "", "note": "Chưa có", "version": version_in(page, criterion.pk)},
        **HTMX,
    )
    later()
    minh.post(
        reverse("evidence:not_applicable", args=[criterion.pk]),
        {
            "requested": "on",
            "reason": "Không có đơn vị trực thuộc",
            "version": version_in(saved.content.decode(), criterion.pk, prefix="na-version"),
        },
    )
    assert Score.objects.get(participation=yte, criterion=criterion).not_applicable_requested
