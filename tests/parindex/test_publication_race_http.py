"""Publication and saves race through the real entry points (issue 11, DOMAIN §9): gunicorn
on PostgreSQL, the council pressing "Phê duyệt và công bố" while appraisers keep saving
final-round scores. No save lands after publication begins (the year's row lock), every
answer says what happened, and the published results equal a recompute from the scores."""

import re
import threading
import time
from datetime import timedelta
from decimal import Decimal

import httpx
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import Argon2PasswordHasher, make_password
from django.utils import timezone

from appraisal.models import AppraisalEntry, Assignment
from appraisal.services.appraisals import appraisal_save
from appraisal.services.compute import results_compute
from appraisal.services.publication import results_are_current
from criteria.models import Year
from kernel.models import AuditEvent
from tests.appraisal.personas import appraise_everything, build_world
from tests.personas import PASSWORD, person

from .servers import gunicorn_server  # noqa: F401

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
S = AppraisalEntry.Status
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version"[^>]*value="([^"]*)"')
UNITS = ("A1", "A2", "A18")
BURST_SECONDS = 2.5


class Officer:
    """One person's browser behind the TLS proxy (X-Forwarded-Proto), as in bench/."""

    def __init__(self, base_url: str, username: str):
        self.origin = "https://" + httpx.URL(base_url).netloc.decode()
        self.client = httpx.Client(
            base_url=base_url, headers={"X-Forwarded-Proto": "https"}, timeout=60
        )
        self.token = ""
        page = self.get("/dang-nhap/")
        answer = self.post(
            "/dang-nhap/", {"username": username, "password": PASSWORD, "next": ""}, page
        )
        errors = re.findall(r"class=\"error[^>]*>([^<]+)", answer.text)
        assert answer.status_code == 302, (
            f"{username}: login answered {answer.status_code} {errors}"
        )

    def _insecure(self):
        for cookie in self.client.cookies.jar:
            cookie.secure = False

    def get(self, path: str) -> httpx.Response:
        response = self.client.get(path)
        self._insecure()
        return response

    def post(self, path: str, data: dict, page: httpx.Response) -> httpx.Response:
        token = CSRF.search(page.text).group(1)
        response = self.client.post(
            path,
            data={"csrfmiddlewaretoken": token, **data},
            headers={"Origin": self.origin, "Referer": self.origin + path},
        )
        self._insecure()
        return response


def world_after_explanation():
    """Every leaf appraised, 2.1 of three units adjusted in round 1 and already given its
    final score (1,5) once; the windows all closed an hour ago, on the real clock (gunicorn's),
    so the final round is open until the council publishes."""
    world = build_world()
    now = timezone.now()
    Year.objects.filter(pk=world.year.pk).update(
        self_assessment_opens=now - timedelta(days=30),
        self_assessment_closes=now - timedelta(days=20),
        appraisal_opens=now - timedelta(days=20),
        appraisal_closes=now - timedelta(days=10),
        explanation_opens=now - timedelta(days=10),
        explanation_closes=now - timedelta(hours=1),
    )
    world.year.refresh_from_db()
    lead = person("totruong")
    appraiser = person("thamdinh.tuphap")
    council = person("hoidong")
    # gunicorn runs production's hashers (the tests' own is MD5).
    hashed = make_password(PASSWORD, hasher=Argon2PasswordHasher())
    get_user_model().objects.filter(pk__in=[appraiser.pk, council.pk]).update(password=hashed)
    Assignment.objects.create(
        year=world.year, block=world.block, area_code="2", appraiser=appraiser, assigned_by=lead
    )
    appraise_everything(world)
    for code in UNITS:
        score = world.score(code, "2.1")
        AppraisalEntry.objects.create(
            score=score,
            round=AppraisalEntry.Round.FIRST,
            appraiser=appraiser,
            appraised_score=Decimal(2),
            status=S.ADJUSTED,
            comment="Thiếu văn bản.",
            at=now - timedelta(days=12),
        )
        appraisal_save(
            participation=world.participations[code],
            criterion=world.criteria["2.1"],
            status=S.ADJUSTED,
            appraised_score=Decimal("1.5"),
            comment="Chấp nhận một phần giải trình.",
            by=appraiser,
        )
    # The burst saves the same figures again: the results stay current, so publication can
    # succeed whichever save it meets.
    results_compute(year=world.year)
    return world


def test_a_publication_amid_a_burst_of_saves_through_gunicorn(gunicorn_server):  # noqa: F811
    world = world_after_explanation()
    base = gunicorn_server.url
    council = Officer(base, "hoidong")
    appraisers = {code: Officer(base, "thamdinh.tuphap") for code in UNITS}
    start = threading.Barrier(len(UNITS) + 1)
    answers: dict[str, list[tuple[float, int, str]]] = {code: [] for code in UNITS}
    unexplained_pages: list[str] = []  # checked below, in the test's own thread
    published: dict[str, object] = {}

    def publish():
        page = council.get("/tham-dinh/hoi-dong/2023/cong-bo/")
        start.wait()
        time.sleep(BURST_SECONDS / 3)  # saves are under way by now
        published["sent"] = time.time()
        published["answer"] = council.post(
            "/tham-dinh/hoi-dong/2023/cong-bo/", {"confirm": "2023"}, page
        )

    def save(code: str):
        officer = appraisers[code]
        path = f"/tham-dinh/2023/don-vi/{code}/tieu-chi/2.1/"
        start.wait()
        until = time.time() + BURST_SECONDS
        while time.time() < until:
            page = officer.get(path)
            version = VERSION.search(page.text)
            if version is None and "đã công bố" not in page.text:
                unexplained_pages.append(page.text)  # read-only without saying why
            answer = officer.post(
                path,
                {
                    "status": S.ADJUSTED,
                    "appraised_score": "1,5",
                    "comment": "Chấp nhận một phần giải trình.",
                    "version": version.group(1) if version else "",
                },
                page,
            )
            answers[code].append((time.time(), answer.status_code, answer.text))

    threads = [threading.Thread(target=publish)] + [
        threading.Thread(target=save, args=(code,)) for code in UNITS
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert not any(thread.is_alive() for thread in threads)
    assert not unexplained_pages, unexplained_pages[0][-2000:]
    assert published["answer"].status_code == 302, published["answer"].text[-2000:]
    year = Year.objects.get(pk=world.year.pk)
    assert year.is_published
    every = [answer for code in UNITS for answer in answers[code]]
    assert all(status < 500 for _at, status, _text in every), gunicorn_server.log()[-3000:]
    saved = [a for a in every if a[1] == 302]
    refused = [a for a in every if a[1] != 302]
    # The burst straddles the publication: some saves before it, some refused after it.
    assert saved and refused
    assert all("Không thể thẩm định" in text or "đã công bố" in text for _a, _s, text in refused)
    # Every save answered "saved" is stored; none was stored after publication's event.
    final_saves = AuditEvent.objects.filter(year=2023, action="appraisal_save")
    publication = AuditEvent.objects.get(year=2023, action="year_publish")
    assert final_saves.count() == len(saved) + len(UNITS)  # + the fixture's own saves
    assert max(final_saves.values_list("pk", flat=True)) < publication.pk
    entries = AppraisalEntry.objects.filter(round=AppraisalEntry.Round.FINAL)
    assert entries.count() == len(saved) + len(UNITS)
    assert all(entry.at <= publication.at for entry in entries)
    # The published results are a recompute of the stored scores.
    assert results_are_current(year)
