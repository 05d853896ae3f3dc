"""publish_year --year Y: the council's button, from the command line."""

from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command

from appraisal.services.compute import results_compute
from kernel.models import AuditEvent

from .personas import *  # noqa: F403 - fixtures
from .personas import AFTER_ALL, IN_APPRAISAL, appraise_everything


def test_publish_year_freezes_the_year(world):
    appraise_everything(world)
    results_compute(year=world.year)
    out = StringIO()
    with time_machine.travel(AFTER_ALL, tick=False):
        call_command("publish_year", "--year", "2023", stdout=out)
    world.year.refresh_from_db()
    assert world.year.is_published
    assert "Đã công bố năm 2023 ngày 20/02/2024" in out.getvalue()
    assert AuditEvent.objects.filter(action="year_publish", actor=None).count() == 1


def test_publish_year_refuses_a_year_without_results(world):
    with time_machine.travel(AFTER_ALL, tick=False), pytest.raises(CommandError, match="chưa tính"):
        call_command("publish_year", "--year", "2023")


def test_publish_year_refuses_while_appraisal_is_open(world):
    results_compute(year=world.year)
    with time_machine.travel(IN_APPRAISAL, tick=False):
        with pytest.raises(CommandError, match="chưa kết thúc"):
            call_command("publish_year", "--year", "2023")


def test_publish_year_refuses_an_unknown_year(db):
    with pytest.raises(CommandError, match="Không có năm đánh giá 1999"):
        call_command("publish_year", "--year", "1999")


def test_publish_year_refuses_a_published_year(world):
    appraise_everything(world)
    results_compute(year=world.year)
    with time_machine.travel(AFTER_ALL, tick=False):
        call_command("publish_year", "--year", "2023", stdout=StringIO())
        with pytest.raises(CommandError, match="đã công bố"):
            call_command("publish_year", "--year", "2023")
