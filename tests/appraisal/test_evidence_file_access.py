"""One rule for who reads an evidence file, the same through the unit's URL
(`evidence:download`) and the appraisers' (`appraisal:evidence_file`), with the same headers.

The rule: the unit's own people; Sở Nội vụ, the council and the secretariat lead; an
appraiser for files on leaves of their assigned areas (their own or an explanation's), never
of the unit that sent them. Anyone else gets 404, so file ids cannot be probed.
"""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from appraisal.models import Explanation
from evidence.models import EvidenceFile

from .personas import *  # noqa: F403 - fixtures
from .personas import person

PDF = b"%PDF-1.4\n%%EOF\n"
URLS = ("evidence:download", "appraisal:evidence_file")


def stored(world, unit: str, leaf: str, name: str) -> EvidenceFile:
    """A PDF on one leaf of one unit."""
    evidence = EvidenceFile(
        participation=world.participations[unit],
        original_name=name,
        kind="pdf",
        size=len(PDF),
        sha256="0" * 64,
    )
    evidence.file.save("x", ContentFile(PDF))
    world.score(unit, leaf).evidence.add(evidence)
    return evidence


@pytest.fixture
def files(world, settings, tmp_path, officer):
    """Sở GTVT's files on 2.1 (area 2, assigned to the appraiser) and 1.1 (not assigned), an
    explanation's file on its 2.1, Sở Tư pháp's (the appraiser's unit) and Sở Nội vụ's (the
    lead's unit) on 2.1, and Sở Y tế's on 2.1."""
    settings.MEDIA_ROOT = tmp_path
    made = {
        "A1 assigned": stored(world, "A1", "2.1", "gtvt-2-1.pdf"),
        "A1 not assigned": stored(world, "A1", "1.1", "gtvt-1-1.pdf"),
        "A8 appraiser's own unit": stored(world, "A8", "2.1", "tuphap.pdf"),
        "A2 lead's own unit": stored(world, "A2", "2.1", "noivu.pdf"),
        "A18 officer's own unit": stored(world, "A18", "2.1", "yte.pdf"),
    }
    explained = EvidenceFile(
        participation=world.participations["A1"],
        original_name="giai-trinh.pdf",
        kind="pdf",
        size=len(PDF),
        sha256="1" * 64,
    )
    explained.file.save("x", ContentFile(PDF))
    explanation = Explanation.objects.create(score=world.score("A1", "2.1"), note="Bổ sung.")
    explanation.files.add(explained)
    made["A1 explanation on assigned"] = explained
    return made


@pytest.fixture
def people(world, officer, appraiser, lead, council, noivu):
    return {
        "anonymous": None,
        "officer of Sở Y tế": officer,
        "officer of Sở GTVT": person("canbo.gtvt"),
        "appraiser from Sở Tư pháp": appraiser,
        "lead from Sở Nội vụ": lead,
        "council": council,
        "Sở Nội vụ": noivu,
    }


# (persona, file, status): the same through both URLs.
CASES = [
    ("anonymous", "A18 officer's own unit", 302),
    ("officer of Sở Y tế", "A18 officer's own unit", 200),
    ("officer of Sở Y tế", "A1 assigned", 404),
    ("officer of Sở GTVT", "A1 not assigned", 200),
    ("officer of Sở GTVT", "A18 officer's own unit", 404),
    ("appraiser from Sở Tư pháp", "A1 assigned", 200),
    ("appraiser from Sở Tư pháp", "A1 explanation on assigned", 200),
    ("appraiser from Sở Tư pháp", "A1 not assigned", 404),
    ("appraiser from Sở Tư pháp", "A8 appraiser's own unit", 404),
    ("lead from Sở Nội vụ", "A1 not assigned", 200),
    ("lead from Sở Nội vụ", "A8 appraiser's own unit", 200),
    # The lead reads every unit's files as the province's staff do, their own included;
    # appraising their own unit stays refused (test_appraisal_permissions).
    ("lead from Sở Nội vụ", "A2 lead's own unit", 200),
    ("council", "A1 not assigned", 200),
    ("Sở Nội vụ", "A18 officer's own unit", 200),
]


@pytest.mark.parametrize("url_name", URLS)
@pytest.mark.parametrize(("persona", "file", "expected"), CASES)
def test_one_rule_for_both_urls(client, files, people, url_name, persona, file, expected):
    user = people[persona]
    if user is not None:
        client.force_login(user)
    url = reverse(url_name, args=[files[file].pk])
    response = client.get(url)
    assert response.status_code == expected, f"{persona} → {file} ({url})"
    if expected == 302:
        assert response["Location"].startswith(reverse("login") + "?next=")


@pytest.mark.parametrize("url_name", URLS)
def test_a_file_that_does_not_exist_is_404_even_for_the_lead(client, files, lead, url_name):
    client.force_login(lead)
    assert client.get(reverse(url_name, args=[999999])).status_code == 404


def test_both_urls_answer_with_the_same_headers(client, files, officer):
    client.force_login(officer)
    pk = files["A18 officer's own unit"].pk
    headers = [
        {
            name: client.get(reverse(url_name, args=[pk])).headers.get(name)
            for name in (
                "Content-Type",
                "Content-Disposition",
                "X-Content-Type-Options",
                "X-Frame-Options",
                "Cache-Control",
                "Content-Security-Policy",
            )
        }
        for url_name in URLS
    ]
    assert headers[0] == headers[1]
    assert headers[0]["Content-Type"] == "application/pdf"
    assert headers[0]["Content-Disposition"].startswith("inline;")
    assert headers[0]["X-Content-Type-Options"] == "nosniff"
    assert headers[0]["X-Frame-Options"] == "SAMEORIGIN"
    assert headers[0]["Cache-Control"] == "private, no-store"
    assert "object-src 'self'" in headers[0]["Content-Security-Policy"]
