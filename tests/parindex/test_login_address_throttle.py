"""Password spraying: one address guessing across many usernames is locked out too, at a
threshold an office behind one NAT address does not reach (kernel/login_throttle.py)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from axes.models import AccessFailureLog
from django.urls import reverse

from tests.personas import PASSWORD, person

START = datetime(2023, 1, 5, 8, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
SPRAYER = "203.0.113.50"
OFFICE = "198.51.100.20"
USERNAMES = [f"nguoi{n:02d}.yte" for n in range(15)]


@pytest.fixture(autouse=True)
def axes_on(settings, time_machine):
    settings.AXES_ENABLED = True
    settings.ADDRESS_FAILURE_LIMIT = 50
    time_machine.move_to(START, tick=False)


@pytest.fixture
def minh(db):
    return person("canbo.yte")


def login(client, username, password, ip):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def spray(client, guesses: int, ip=SPRAYER) -> list[int]:
    """`guesses` wrong passwords, four per username (never five: no pair is locked)."""
    return [
        login(client, USERNAMES[n // 4 % len(USERNAMES)], f"doan-{n}", ip).status_code
        for n in range(guesses)
    ]


def test_sixty_guesses_over_fifteen_usernames_lock_the_address_at_fifty(client, minh):
    statuses = spray(client, 60)
    assert statuses[:49] == [200] * 49
    assert set(statuses[49:]) == {429}
    # Every username from that address is refused now, the right password included.
    response = login(client, "canbo.yte", PASSWORD, SPRAYER)
    assert response.status_code == 429
    assert "Tạm khóa đăng nhập" in response.content.decode()
    assert response.context["by_address"] is True
    assert response.context["address_failure_limit"] == 50


def test_other_addresses_are_not_affected(client, minh):
    spray(client, 50)
    assert login(client, "canbo.yte", PASSWORD, OFFICE).status_code == 302


def test_an_office_mistyping_below_the_threshold_is_never_locked_out(client, minh):
    # 49 failures in an hour from one NAT address, spread over the office's people.
    assert set(spray(client, 49, ip=OFFICE)) == {200}
    assert login(client, "canbo.yte", PASSWORD, OFFICE).status_code == 302


def test_the_address_is_free_again_once_its_failures_leave_the_hour(client, minh, time_machine):
    spray(client, 50)
    time_machine.move_to(START + timedelta(minutes=59), tick=False)
    assert login(client, "canbo.yte", PASSWORD, SPRAYER).status_code == 429
    time_machine.move_to(START + timedelta(minutes=61), tick=False)
    response = login(client, "canbo.yte", PASSWORD, SPRAYER)
    assert response.status_code == 302


def test_a_success_does_not_clear_the_address_count(client, minh):
    spray(client, 45)
    assert login(client, "canbo.yte", PASSWORD, SPRAYER).status_code == 302
    client.logout()
    statuses = spray(client, 5)
    assert statuses[-1] == 429
    assert AccessFailureLog.objects.filter(ip_address=SPRAYER).count() == 50


def test_the_pair_lockout_still_holds_below_the_address_threshold(client, minh):
    for _ in range(4):
        assert login(client, "canbo.yte", "sai", SPRAYER).status_code == 200
    response = login(client, "canbo.yte", "sai", SPRAYER)
    assert response.status_code == 429
    assert response.context["by_address"] is False


def test_the_threshold_is_a_setting(client, minh, settings):
    settings.ADDRESS_FAILURE_LIMIT = 10
    statuses = spray(client, 11)
    assert statuses[:9] == [200] * 9 and statuses[9:] == [429, 429]
