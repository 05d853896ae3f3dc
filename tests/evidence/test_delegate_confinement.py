"""A colleague given one leaf reaches that leaf's files and nothing else of the unit
(issue 12, hole 4): another leaf's file is 404 at both file URLs (its id guessed), cannot be
attached to their leaf, unlinked or replaced, and is not offered for reuse; its versions
are not theirs either. The focal officer and the head keep every file.

Also: a file is served under a name whose extension follows its sniffed type (hole 10).
"""

import pytest
from django.urls import reverse

from evidence import services
from evidence.models import EvidenceFile, Score

from .conftest import pdf_file

pytestmark = pytest.mark.usefixtures("during_window")

FILE_URLS = ("/tu-danh-gia/tep/{}/", "/tham-dinh/tep/{}/")


@pytest.fixture
def files(yte, officer, colleague, leaf):
    """1.1 delegated to the colleague, with a plan that has an older version; 1.3, not
    delegated, with a report of its own and its older version."""

    def upload(code: str, name: str, body: bytes) -> EvidenceFile:
        return services.evidence_upload(
            participation=yte, criterion=leaf(code), uploaded_file=pdf_file(name, body), by=officer
        )

    def replace(old: EvidenceFile, name: str, body: bytes) -> EvidenceFile:
        return services.evidence_replace(
            participation=yte, evidence_file=old, uploaded_file=pdf_file(name, body), by=officer
        )

    plan_v1 = upload("1.1", "ke-hoach-v1.pdf", b"plan 1")
    plan = replace(plan_v1, "ke-hoach.pdf", b"plan 2")
    report_v1 = upload("1.3", "bao-cao-v1.pdf", b"report 1")
    report = replace(report_v1, "bao-cao.pdf", b"report 2")
    services.leaf_delegate(participation=yte, criterion=leaf("1.1"), by=officer, to=colleague)
    return {"plan": plan, "plan_v1": plan_v1, "report": report, "report_v1": report_v1}


def test_another_leafs_file_and_its_versions_are_404_at_both_urls(client, colleague, files):
    client.force_login(colleague)
    for url in FILE_URLS:
        assert client.get(url.format(files["report"].pk)).status_code == 404
        assert client.get(url.format(files["report_v1"].pk)).status_code == 404
        assert client.get(url.format(files["plan"].pk)).status_code == 200
        assert client.get(url.format(files["plan_v1"].pk)).status_code == 200


@pytest.mark.parametrize("who", ["officer", "head"])
def test_the_focal_officer_and_the_head_keep_every_file(client, request, files, who):
    client.force_login(request.getfixturevalue(who))
    for url in FILE_URLS:
        for evidence_file in files.values():
            assert client.get(url.format(evidence_file.pk)).status_code == 200


def test_another_leafs_file_cannot_be_attached_to_the_colleagues_leaf(
    client, colleague, files, leaf
):
    client.force_login(colleague)

    response = client.post(
        reverse("evidence:link", args=[leaf("1.1").pk]),
        {"evidence_file": files["report"].pk, "back": "leaf"},
        follow=True,
    )

    assert "Chọn một tệp của đơn vị để dùng lại." in response.content.decode()
    plan_leaf = Score.objects.get(criterion=leaf("1.1"))
    assert list(plan_leaf.evidence.all()) == [files["plan"]]


def test_the_colleagues_leaf_page_shows_no_other_leafs_file_or_version(
    client, colleague, files, leaf
):
    client.force_login(colleague)

    page = client.get(reverse("evidence:leaf", args=[leaf("1.1").pk])).content.decode()

    assert "ke-hoach.pdf" in page and "ke-hoach-v1.pdf" in page
    assert "bao-cao" not in page


def test_another_leafs_file_cannot_be_unlinked_or_replaced_by_the_colleague(
    client, colleague, files, leaf
):
    client.force_login(colleague)
    report = files["report"]

    for action in ("evidence:unlink", "evidence:replace"):
        url = reverse(action, args=[leaf("1.1").pk, report.pk])
        assert client.post(url, {"file": pdf_file("moi.pdf", b"new")}).status_code == 404
    assert list(Score.objects.get(criterion=leaf("1.3")).evidence.all()) == [report]
    assert not EvidenceFile.objects.filter(replaces=report).exists()


def test_the_focal_officer_still_reuses_any_file_of_the_unit(client, officer, files, leaf):
    client.force_login(officer)

    client.post(
        reverse("evidence:link", args=[leaf("1.2").pk]), {"evidence_file": files["report"].pk}
    )

    assert files["report"] in Score.objects.get(criterion=leaf("1.2")).evidence.all()


@pytest.mark.parametrize(
    ("uploaded_as", "served_as"),
    [
        ("bao-cao.html", "bao-cao.pdf"),
        ("cai-dat.exe", "cai-dat.pdf"),
        ("khong-duoi", "khong-duoi.pdf"),
        ("Ke-Hoach.PDF", "Ke-Hoach.PDF"),
    ],
)
def test_the_served_name_follows_the_sniffed_type(
    client, yte, officer, leaf, uploaded_as, served_as
):
    stored = services.evidence_upload(
        participation=yte, criterion=leaf("1.1"), uploaded_file=pdf_file(uploaded_as), by=officer
    )
    client.force_login(officer)

    for url in FILE_URLS:
        response = client.get(url.format(stored.pk))
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == f'inline; filename="{served_as}"'
        assert response["Cache-Control"] == "private, no-store"
