"""Publication and saves race for the year's lock (DOMAIN §9, issue 11): on PostgreSQL, a
publication fired in the middle of a burst of final-round appraisal saves never ends with
a save landing in the published year; the published results always equal a recompute from
the stored scores."""

import threading
import time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from appraisal.models import AppraisalEntry, Assignment
from appraisal.services import publication
from appraisal.services.appraisals import appraisal_save
from appraisal.services.compute import results_compute
from appraisal.services.publication import results_are_current, year_publish
from criteria.models import Year
from evidence.models import Score
from tests.appraisal.personas import AFTER_ALL, appraise_everything, build_world
from tests.personas import person

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
S = AppraisalEntry.Status
ROUNDS = 6


def disputed_world():
    """Every leaf appraised; 2.1 of three units adjusted in round 1, so its final score
    (round 2) may still be given after the explanation round, while the council publishes."""
    world = build_world()
    lead = person("totruong")
    appraiser = person("thamdinh.tuphap")
    Assignment.objects.create(
        year=world.year, block=world.block, area_code="2", appraiser=appraiser, assigned_by=lead
    )
    appraise_everything(world)
    for code in ("A1", "A2", "A18"):
        score = world.score(code, "2.1")
        score.appraised_score = Decimal(2)
        score.save()
        AppraisalEntry.objects.create(
            score=score,
            round=AppraisalEntry.Round.FIRST,
            appraiser=appraiser,
            appraised_score=Decimal(2),
            status=S.ADJUSTED,
            comment="Thiếu văn bản.",
        )
    results_compute(year=world.year)
    return world, appraiser


@pytest.fixture
def slow_publication(monkeypatch):
    """Publication's checks take 0,3 s once they have found the results current: the saves
    of the burst arrive while it decides (a wide version of the 5–60 ms race that was seen)."""
    current = publication.results_are_current

    def slowly(year):
        answer = current(year)
        time.sleep(0.3)
        return answer

    monkeypatch.setattr(publication, "results_are_current", slowly)


@pytest.mark.parametrize("round_number", range(ROUNDS))
def test_no_save_lands_after_publication_begins(round_number, slow_publication):
    if connection.vendor != "postgresql":
        pytest.skip("the year's row lock is PostgreSQL's (SQLite has one writer at a time)")
    world, appraiser = disputed_world()
    council = person("hoidong")
    start = threading.Barrier(4)
    outcome: dict[str, object] = {}

    def publish():
        try:
            start.wait()
            year_publish(year=Year.objects.get(pk=world.year.pk), by=council, at=AFTER_ALL)
            outcome["published"] = True
        except ValidationError as error:
            outcome["published"] = error.messages
        finally:
            connections.close_all()

    def save(code: str):
        try:
            start.wait()
            time.sleep(0.02 * (1 + round_number % 3))  # publication is under way by now
            appraisal_save(
                participation=world.participations[code],
                criterion=world.criteria["2.1"],
                status=S.ADJUSTED,
                appraised_score=Decimal("1.5"),
                comment="Chấp nhận một phần giải trình.",
                by=appraiser,
                at=AFTER_ALL,
            )
            outcome[code] = "saved"
        except ValidationError as error:
            outcome[code] = error.messages
        finally:
            connections.close_all()

    threads = [threading.Thread(target=publish)] + [
        threading.Thread(target=save, args=(code,)) for code in ("A1", "A2", "A18")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    year = Year.objects.get(pk=world.year.pk)
    final_entries = AppraisalEntry.objects.filter(round=AppraisalEntry.Round.FINAL).count()
    saved = [code for code in ("A1", "A2", "A18") if outcome[code] == "saved"]
    assert final_entries == len(saved)
    if year.is_published:
        assert outcome["published"] is True
        assert saved == [], outcome  # every save after publication began was refused
        assert results_are_current(year)
        assert all("đã công bố" in " ".join(outcome[code]) for code in ("A1", "A2", "A18")), outcome
    else:
        # A save landed first: the stored results no longer match, publication refused.
        assert saved, outcome
        assert "tính lại" in " ".join(outcome["published"])
        assert Score.objects.filter(appraised_score=Decimal("1.5")).count() == len(saved)
