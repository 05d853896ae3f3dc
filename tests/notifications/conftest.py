"""The appraisal world of tests/appraisal/personas.py (year 2023, block A: Sở Giao thông vận
tải A1, Sở Nội vụ A2, Sở Tư pháp A8, Sở Y tế A18), everyone with an email address.

Windows: self-assessment 25/12/2023 – 10/01/2024 24:00, appraisal 11/01 – 16/01/2024 24:00,
explanation 17/01 – 19/01/2024 24:00 (Asia/Ho_Chi_Minh)."""

import pytest

from evidence.models import EvidenceFile
from tests.appraisal.personas import *  # noqa: F403 - fixtures
from tests.personas import person


def email_of(user) -> str:
    return f"{user.username}@cchc.example.vn"


@pytest.fixture
def people(world, officer, head, appraiser, lead, council, noivu):
    """The personas of the world plus the CCHC officers of Sở Tư pháp and Sở Giao thông
    vận tải, each with an address (username@cchc.example.vn)."""
    found = {
        "canbo.yte": officer,
        "thutruong.yte": head,
        "thamdinh.tuphap": appraiser,
        "totruong": lead,
        "hoidong": council,
        "noivu": noivu,
        "canbo.tuphap": person("canbo.tuphap"),
        "canbo.gtvt": person("canbo.gtvt"),
    }
    for user in found.values():
        user.email = email_of(user)
        user.save(update_fields=["email"])
    return found


@pytest.fixture
def complete_unit(world, people):
    """Sở Tư pháp (A8) has a file on every leaf: nothing to remind it of."""
    participation = world.participations["A8"]
    for code in ("1.1", "1.2", "2.1", "2.2"):
        evidence = EvidenceFile.objects.create(
            participation=participation,
            file=f"evidence/2023/A8/{code}.pdf",
            original_name=f"ke-hoach-{code}.pdf",
            kind=EvidenceFile.Kind.PDF,
            size=100,
            sha256=code.replace(".", "").ljust(64, "0"),
            uploaded_by=people["canbo.tuphap"],
        )
        world.score("A8", code).evidence.add(evidence)
    return participation


BASE_URL = "https://chisocchc.haiduong.gov.vn"


@pytest.fixture(autouse=True)
def base_url(settings):
    settings.PARINDEX_BASE_URL = BASE_URL
    return BASE_URL


def run(at: str) -> str:
    """`manage.py send_reminders --at AT`, its output."""
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("send_reminders", "--at", at, stdout=out)
    return out.getvalue()
