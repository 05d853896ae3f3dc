"""The questionnaire editor: scales, questions on survey leaves, groups, plan, blank ballots."""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from criteria.models import Criterion, Year
from surveys.models import Question, RespondentGroup, Scale, ScaleOption, SurveyPlan
from surveys.questionnaire import survey_plan_save

pytestmark = pytest.mark.django_db


def leaf(code: str) -> Criterion:
    return Criterion.objects.get(year__year=2022, code=code)


def option_rows(*rows, existing=()):
    """Management form and rows of the options formset (prefix `options`)."""
    data = {
        "options-TOTAL_FORMS": str(len(rows)),
        "options-INITIAL_FORMS": str(len(existing)),
        "options-MIN_NUM_FORMS": "0",
        "options-MAX_NUM_FORMS": "1000",
    }
    for n, (code, label, coefficient, counted) in enumerate(rows):
        data.update(
            {
                f"options-{n}-code": code,
                f"options-{n}-label": label,
                f"options-{n}-coefficient": coefficient,
                f"options-{n}-position": str(n),
            }
        )
        if counted:
            data[f"options-{n}-counted"] = "on"
        if n < len(existing):
            data[f"options-{n}-id"] = str(existing[n])
    return data


def test_overview_lists_survey_leaves_and_the_one_without_a_question(client, home_affairs):
    client.force_login(home_affairs)
    page = client.get(reverse("surveys:questionnaire", args=[2022])).content.decode()
    assert "2.1.1" in page and "2.1.2" in page
    assert page.count("chưa có câu hỏi") == 1  # 2.2


def test_new_scale_with_options(client, home_affairs):
    client.force_login(home_affairs)
    data = {
        "code": "hai_long",
        **option_rows(("1", "Hài lòng", "1", True), ("0", "Không", "0", True)),
    }
    response = client.post(reverse("surveys:scale_new", args=[2022]), data)
    assert response.status_code == 302
    scale = Scale.objects.get(code="hai_long")
    assert list(scale.options.values_list("code", "coefficient")) == [("1", 1), ("0", 0)]


def test_scale_refuses_coefficients_outside_0_1_and_no_counted_option(client, home_affairs):
    client.force_login(home_affairs)
    url = reverse("surveys:scale_new", args=[2022])
    page = client.post(url, {"code": "x", **option_rows(("A", "A", "1,5", True))}).content.decode()
    assert "Đảm bảo giá trị này nhỏ hơn hoặc bằng 1" in page or "từ 0 đến 1" in page
    page = client.post(url, {"code": "x", **option_rows(("E", "Không biết", "0", False))})
    assert "ít nhất một phương án được tính" in page.content.decode()
    assert not Scale.objects.filter(code="x").exists()


def test_option_with_answers_cannot_be_deleted(client, home_affairs):
    client.force_login(home_affairs)
    scale = Scale.objects.get(code="muc4")
    ids = list(scale.options.order_by("position").values_list("pk", flat=True))
    rows = [
        (o.code, o.label, str(o.coefficient), o.counted) for o in scale.options.order_by("position")
    ]
    data = {"code": "muc4", **option_rows(*rows, existing=ids)}
    data["options-0-DELETE"] = "on"  # A, chosen by stored ballots
    page = client.post(reverse("surveys:scale_edit", args=[2022, scale.pk]), data).content.decode()
    assert "Phương án A đã được chọn trong" in page
    assert ScaleOption.objects.filter(scale=scale, code="A").exists()


def test_question_on_a_survey_leaf_is_saved(client, home_affairs):
    client.force_login(home_affairs)
    hdnd = RespondentGroup.objects.get(code="hdnd")
    scale = Scale.objects.get(code="muc4")
    response = client.post(
        reverse("surveys:question_edit", args=[2022, leaf("2.2").pk]),
        {"scale": scale.pk, "groups": [hdnd.pk], "text": "SIPAS?"},
    )
    assert response.status_code == 302
    question = Question.objects.get(criterion=leaf("2.2"))
    assert (question.text, list(question.groups.all())) == ("SIPAS?", [hdnd])
    assert not question.sipas


def test_a_question_is_marked_for_the_satisfaction_index_and_unmarked(client, home_affairs):
    """DOMAIN §8: the questions of the SIPAS index are marked on the question's page."""
    client.force_login(home_affairs)
    url = reverse("surveys:question_edit", args=[2022, leaf("2.2").pk])
    form = {"scale": Scale.objects.get(code="muc4").pk, "text": "Hài lòng?"}
    form["groups"] = [RespondentGroup.objects.get(code="hdnd").pk]
    assert client.post(url, {**form, "sipas": "on"}).status_code == 302
    assert Question.objects.get(criterion=leaf("2.2")).sipas
    page = client.get(url).content.decode()
    assert re.search(r'<input type="checkbox" name="sipas"[^>]* checked', page)
    assert "<legend>Nhóm đối tượng được hỏi</legend>" in page
    assert client.post(url, form).status_code == 302
    assert not Question.objects.get(criterion=leaf("2.2")).sipas


def test_question_on_an_evidence_leaf_is_not_found(client, home_affairs):
    client.force_login(home_affairs)
    response = client.get(reverse("surveys:question_edit", args=[2022, leaf("1.1").pk]))
    assert response.status_code == 404


def test_question_cannot_drop_a_group_that_answered_it(client, home_affairs):
    client.force_login(home_affairs)
    hdnd = RespondentGroup.objects.get(code="hdnd")
    page = client.post(
        reverse("surveys:question_edit", args=[2022, leaf("2.1.1").pk]),
        {"scale": Scale.objects.get(code="muc4").pk, "groups": [hdnd.pk]},
    ).content.decode()
    assert "Nhóm nguoi_dan đã trả lời tiêu chí 2.1.1" in page
    assert Question.objects.get(criterion=leaf("2.1.1")).groups.count() == 2


def test_question_cannot_change_scale_once_answered(client, home_affairs):
    client.force_login(home_affairs)
    other = Scale.objects.create(year=Year.objects.get(year=2022), code="khac")
    ScaleOption.objects.create(scale=other, code="A", label="A", coefficient=1)
    page = client.post(
        reverse("surveys:question_edit", args=[2022, leaf("2.1.1").pk]),
        {"scale": other.pk, "groups": list(RespondentGroup.objects.values_list("pk", flat=True))},
    ).content.decode()
    assert "không thể đổi thang đo" in page


def test_published_year_is_read_only(client, home_affairs):
    Year.objects.filter(year=2022).update(status=Year.Status.PUBLISHED)
    client.force_login(home_affairs)
    url = reverse("surveys:question_edit", args=[2022, leaf("2.1.2").pk])
    page = client.get(url).content.decode()
    assert "disabled" in page and "Lưu</button>" not in page
    assert client.post(url, {"text": "x"}).status_code == 403
    assert client.post(reverse("surveys:groups_edit", args=[2022]), {}).status_code == 403


def test_groups_formset_adds_a_group(client, home_affairs):
    client.force_login(home_affairs)
    groups = list(RespondentGroup.objects.order_by("pk"))
    data = {
        "form-TOTAL_FORMS": str(len(groups) + 1),
        "form-INITIAL_FORMS": str(len(groups)),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
    }
    for n, group in enumerate(groups):
        data.update(
            {f"form-{n}-id": group.pk, f"form-{n}-code": group.code, f"form-{n}-name": group.name}
        )
    data.update({f"form-{len(groups)}-code": "mttq", f"form-{len(groups)}-name": "MTTQ tỉnh"})
    assert client.post(reverse("surveys:groups_edit", args=[2022]), data).status_code == 302
    assert RespondentGroup.objects.get(code="mttq").year.year == 2022


def test_plan_is_stored_as_data(year):
    survey_plan_save(
        year=year, plan={"A": {"hdnd": 20, "nguoi_dan": 640}}, one_unit_groups={"nguoi_dan"}
    )
    survey_plan_save(
        year=year, plan={"A": {"hdnd": 20, "nguoi_dan": 640}}, one_unit_groups={"nguoi_dan"}
    )
    assert sorted(SurveyPlan.objects.values_list("group__code", "planned", "rates_every_unit")) == [
        ("hdnd", 20, True),
        ("nguoi_dan", 640, False),
    ]


def test_blank_ballots_as_pdf(client, home_affairs):
    client.force_login(home_affairs)
    response = client.get(reverse("surveys:blank_ballot", args=[2022, "A", "hdnd"]))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "PHIẾU ĐIỀU TRA XÃ HỘI HỌC" in text
    assert "Văn bản của đơn vị có rõ ràng, kịp thời?" in text
    assert "Sở Giao thông vận tải" in text and "Sở Y tế" in text  # a delegate rates every unit
    assert "Không biết / không trả lời" in text

    survey_plan_save(
        year=Year.objects.get(year=2022),
        plan={"A": {"nguoi_dan": 5}},
        one_unit_groups={"nguoi_dan"},
    )
    response = client.get(reverse("surveys:blank_ballot", args=[2022, "A", "nguoi_dan"]))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "đánh dấu (X)" in text and "Sở Y tế" not in text
    assert (
        client.get(reverse("surveys:blank_ballot", args=[2022, "A", "khong_co"])).status_code == 404
    )


def test_blank_ballots_load_only_static_files_through_the_kernels_fetcher(
    client, home_affairs, monkeypatch
):
    """The blank ballot renders through kernel.pdf's one locked-down fetcher: a question
    that names an outside image is printed as text and nothing but static/ is fetched."""
    from kernel import pdf

    question = Question.objects.filter(criterion__year__year=2022).first()
    question.text = '<img src="http://127.0.0.1:9/x.png"> Có rõ ràng?'
    question.save()
    fetched = []
    original = pdf.StaticOnlyFetcher.fetch

    def recording(self, url, headers=None):
        fetched.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(pdf.StaticOnlyFetcher, "fetch", recording)
    client.force_login(home_affairs)

    response = client.get(reverse("surveys:blank_ballot", args=[2022, "A", "hdnd"]))

    assert response.status_code == 200
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert 'src="http://127.0.0.1:9/x.png"' in text
    assert fetched and all(url.startswith(pdf.STATIC_DIR.as_uri() + "/") for url in fetched)
