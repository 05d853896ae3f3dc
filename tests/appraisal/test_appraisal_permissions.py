"""Who may open which appraisal, explanation and council page: every view, every persona.

Anonymous → login; unit people → 403 on staff pages and 404 on other units; an appraiser
→ 404 on areas not assigned and on the unit that sent them; the secretariat lead → 200
except on their own unit; the council → council pages only.
"""

from decimal import Decimal

import pytest
from django.core.files.base import ContentFile

from appraisal.models import AppraisalEntry
from appraisal.services.appraisals import appraisal_save
from appraisal.services.compute import results_compute
from criteria.models import Year
from evidence.models import EvidenceFile
from kernel.models import Job

from .personas import *  # noqa: F403 - fixtures
from .personas import IN_APPRAISAL, person

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def scene(
    world, settings, tmp_path, appraiser, lead, officer, head, council, noivu, during_explanation
):
    """Sở Y tế's 2.1 sent for explanation; a PDF on 2.1 of A1, A8 and A18; results computed."""
    settings.MEDIA_ROOT = tmp_path
    appraisal_save(
        participation=world.participations["A18"],
        criterion=world.criteria["2.1"],
        status=AppraisalEntry.Status.NEEDS_EXPLANATION,
        appraised_score=Decimal("1.5"),
        comment="Chưa có văn bản thẩm định.",
        by=appraiser,
        at=IN_APPRAISAL,
    )
    files = {}
    for unit in ("A1", "A8", "A18"):
        evidence = EvidenceFile(
            participation=world.participations[unit],
            original_name=f"{unit}.pdf",
            kind="pdf",
            size=len(PDF),
            sha256="0" * 64,
        )
        evidence.file.save("x", ContentFile(PDF))
        world.score(unit, "2.1").evidence.add(evidence)
        files[unit] = evidence.pk
    results_compute(year=world.year)
    job = Job.objects.create(kind=Job.Kind.COMPUTE, year=2023)
    people = {
        "anonymous": None,
        "officer": officer,
        "head": head,
        "other_officer": person("canbo.gtvt"),
        "appraiser": appraiser,
        "lead": lead,
        "council": council,
        "noivu": noivu,
    }
    return {"files": files, "job": job.pk, "people": people}


Y = "/tham-dinh/2023"
PAGES = {
    "queue": f"{Y}/",
    "area_assigned": f"{Y}/don-vi/A1/linh-vuc/2/",
    "area_not_assigned": f"{Y}/don-vi/A1/linh-vuc/1/",
    "area_own_unit": f"{Y}/don-vi/A8/linh-vuc/2/",
    "area_lead_own_unit": f"{Y}/don-vi/A2/linh-vuc/2/",
    "leaf_assigned": f"{Y}/don-vi/A1/tieu-chi/2.1/",
    "leaf_not_assigned": f"{Y}/don-vi/A1/tieu-chi/1.1/",
    "leaf_own_unit": f"{Y}/don-vi/A8/tieu-chi/2.1/",
    "assignments": f"{Y}/phan-cong/",
    "file_A1": "/tham-dinh/tep/{A1}/",
    "file_A8": "/tham-dinh/tep/{A8}/",
    "file_A18": "/tham-dinh/tep/{A18}/",
    "explanations": "/tham-dinh/giai-trinh/2023/",
    "explanation_A18": "/tham-dinh/giai-trinh/2023/A18/2.1/",
    "council": "/tham-dinh/hoi-dong/2023/",
    "publish": "/tham-dinh/hoi-dong/2023/cong-bo/",
    "job": "/tham-dinh/tac-vu/{job}/",
}
LOGIN = 302
# Expected status per page, per persona (anonymous is always sent to the login page).
MATRIX = {
    #                      officer head other_officer appraiser lead council noivu
    "queue": (403, 403, 403, 200, 200, 403, 403),
    "area_assigned": (403, 403, 403, 200, 200, 403, 403),
    "area_not_assigned": (403, 403, 403, 404, 200, 403, 403),
    "area_own_unit": (403, 403, 403, 404, 200, 403, 403),
    "area_lead_own_unit": (403, 403, 403, 200, 404, 403, 403),
    "leaf_assigned": (403, 403, 403, 200, 200, 403, 403),
    "leaf_not_assigned": (403, 403, 403, 404, 200, 403, 403),
    "leaf_own_unit": (403, 403, 403, 404, 200, 403, 403),
    "assignments": (403, 403, 403, 403, 200, 403, 200),
    # One rule for evidence files through either URL (test_evidence_file_access): the
    # council and Sở Nội vụ read them as they do through the unit's download URL.
    "file_A1": (404, 404, 200, 200, 200, 200, 200),
    "file_A8": (404, 404, 404, 404, 200, 200, 200),
    "file_A18": (200, 200, 404, 200, 200, 200, 200),
    "explanations": (200, 200, 200, 403, 403, 403, 403),
    "explanation_A18": (200, 200, 404, 403, 403, 403, 403),
    "council": (403, 403, 403, 403, 200, 200, 200),
    "publish": (403, 403, 403, 403, 403, 200, 200),
    "job": (403, 403, 403, 403, 200, 200, 200),
}
PERSONAS = ("officer", "head", "other_officer", "appraiser", "lead", "council", "noivu")
CASES = [
    (page, persona, expected)
    for page, row in MATRIX.items()
    for persona, expected in zip(("anonymous", *PERSONAS), (LOGIN, *row), strict=True)
]


@pytest.mark.parametrize(("page", "persona", "expected"), CASES)
def test_permission_matrix(client, scene, page, persona, expected):
    url = PAGES[page].format(job=scene["job"], **scene["files"])
    user = scene["people"][persona]
    if user is not None:
        client.force_login(user)
    response = client.get(url)
    assert response.status_code == expected, f"{persona} → {url}"
    if expected == LOGIN:
        assert response["Location"].startswith("/dang-nhap/?next=")


@pytest.mark.parametrize(
    ("url", "persona"),
    [
        ("/tham-dinh/2023/don-vi/A8/tieu-chi/2.1/", "appraiser"),
        ("/tham-dinh/2023/don-vi/A1/tieu-chi/1.1/", "appraiser"),
        ("/tham-dinh/2023/don-vi/A2/tieu-chi/2.1/", "lead"),
        ("/tham-dinh/giai-trinh/2023/A18/2.1/", "other_officer"),
    ],
)
def test_posting_where_one_may_not_look_is_404_and_writes_nothing(client, scene, url, persona):
    client.force_login(scene["people"][persona])
    response = client.post(url, {"status": "agreed", "note": "x", "comment": "x"})
    assert response.status_code == 404
    assert AppraisalEntry.objects.count() == 1


@pytest.mark.parametrize("persona", ["officer", "appraiser", "lead"])
def test_only_the_council_and_home_affairs_publish(client, scene, persona):
    client.force_login(scene["people"][persona])
    response = client.post("/tham-dinh/hoi-dong/2023/cong-bo/", {"confirm": "2023"})
    assert response.status_code == 403
    assert not Year.objects.get(year=2023).is_published


@pytest.mark.parametrize("persona", ["officer", "appraiser"])
def test_unit_people_and_appraisers_cannot_start_the_compute_job(client, scene, persona):
    client.force_login(scene["people"][persona])
    assert client.post("/tham-dinh/hoi-dong/2023/tinh-lai/").status_code == 403
    assert Job.objects.count() == 1
