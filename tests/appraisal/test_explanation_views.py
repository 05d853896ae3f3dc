"""The explanation round through the test client: the unit answers, the appraiser sees it."""

from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from appraisal.models import AppraisalEntry, Explanation
from appraisal.services.appraisals import appraisal_save

from .personas import *  # noqa: F403 - fixtures
from .personas import AFTER_EXPLANATION, IN_APPRAISAL

PDF = b"%PDF-1.4\n%%EOF\n"
LIST = "/tham-dinh/giai-trinh/2023/"
LEAF = "/tham-dinh/giai-trinh/2023/A18/2.1/"


@pytest.fixture
def disputed(world, appraiser, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    appraisal_save(
        participation=world.participations["A18"],
        criterion=world.criteria["2.1"],
        status=AppraisalEntry.Status.NEEDS_EXPLANATION,
        appraised_score=Decimal("1.5"),
        comment="Chưa có văn bản thẩm định dự thảo.",
        by=appraiser,
        at=IN_APPRAISAL,
    )
    appraisal_save(
        participation=world.participations["A18"],
        criterion=world.criteria["2.2"],
        status=AppraisalEntry.Status.AGREED,
        by=appraiser,
        at=IN_APPRAISAL,
    )
    return world.score("A18", "2.1")


def test_before_the_round_the_unit_sees_nothing_yet(client, disputed, officer, during_appraisal):
    client.force_login(officer)
    page = client.get(LIST).content.decode()
    assert "Chưa đến thời gian giải trình" in page
    assert client.get(LEAF).status_code == 404


def test_the_unit_sees_only_its_disputed_leaves(client, disputed, officer, during_explanation):
    client.force_login(officer)
    page = client.get(LIST).content.decode()
    assert "Thực hiện quy trình xây dựng văn bản QPPL" in page  # 2.1, sent for explanation
    assert "Rà soát, hệ thống hóa" not in page  # 2.2, agreed
    leaf = client.get(LEAF).content.decode()
    assert "Chưa có văn bản thẩm định dự thảo." in leaf
    assert "Lê Thu Hà" not in leaf  # the unit sees the secretariat, not the person


def test_the_unit_answers_with_a_note_and_a_file_and_the_appraiser_sees_it(
    client, disputed, officer, appraiser, during_explanation
):
    client.force_login(officer)
    response = client.post(
        LEAF,
        {
            "note": "Bổ sung văn bản thẩm định số 15/STP.",
            "files": [SimpleUploadedFile("tham-dinh.pdf", PDF, content_type="application/pdf")],
        },
    )
    assert response["Location"] == LIST
    explanation = Explanation.objects.get()
    assert explanation.files.get().original_name == "tham-dinh.pdf"
    client.force_login(appraiser)
    page = client.get("/tham-dinh/2023/don-vi/A18/tieu-chi/2.1/").content.decode()
    assert "Bổ sung văn bản thẩm định số 15/STP." in page
    assert "tham-dinh.pdf" in page
    assert "vòng 2 (điểm cuối cùng)" in page


def test_a_bad_file_is_reported_and_nothing_saved(client, disputed, officer, during_explanation):
    client.force_login(officer)
    response = client.post(
        LEAF, {"note": "x", "files": [SimpleUploadedFile("a.pdf", b"MZ not a pdf")]}
    )
    assert response.status_code == 200
    assert "không phải PDF" in response.content.decode()
    assert not Explanation.objects.exists()


def test_after_the_window_the_history_stays_visible_but_closed(client, disputed, officer):
    client.force_login(officer)
    with time_machine.travel(AFTER_EXPLANATION, tick=False):
        page = client.get(LEAF).content.decode()
        assert "Chưa có văn bản thẩm định dự thảo." in page
        assert "Gửi giải trình</button>" not in page
        client.post(LEAF, {"note": "Muộn."})
    assert not Explanation.objects.exists()


def test_an_oversized_upload_is_refused_before_it_is_read(
    client, disputed, officer, during_explanation
):
    client.force_login(officer)
    response = client.generic(
        "POST", LEAF, b"", "multipart/form-data; boundary=x", CONTENT_LENGTH=str(300 * 2**20)
    )

    # Refused by the body-size middleware from the declared length, before anything is read.
    assert response.status_code == 413
    assert not Explanation.objects.exists()


def test_an_empty_file_is_refused_by_its_name_and_nothing_saved(
    client, disputed, officer, during_explanation
):
    client.force_login(officer)
    response = client.post(LEAF, {"note": "x", "files": [SimpleUploadedFile("rong.pdf", b"")]})
    assert response.status_code == 200
    assert "Tệp &#x27;rong.pdf&#x27; rỗng." in response.content.decode()
    assert not Explanation.objects.exists()
