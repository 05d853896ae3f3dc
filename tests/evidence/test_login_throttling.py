"""Login throttling (django-axes): 5 failures for a username from one address lock it out."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from tests.personas import person

START = datetime(2023, 1, 5, 8, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


@pytest.fixture(autouse=True)
def axes_on(settings, time_machine):
    settings.AXES_ENABLED = True
    time_machine.move_to(START, tick=False)


@pytest.fixture
def minh(db):
    return person("canbo.yte")


def login(client, password, ip="203.0.113.7", username="canbo.yte"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_five_failures_lock_the_username_from_that_address(client, minh):
    for _ in range(4):
        assert login(client, "sai").status_code == 200
    response = login(client, "sai")
    assert response.status_code == 429
    text = response.content.decode()
    assert "Tạm khóa đăng nhập" in text and "trong 15 phút" in text
    # Even the right password is refused while locked out.
    assert login(client, "mat-khau-thu").status_code == 429


def test_lockout_is_per_username_and_address(client, minh):
    person("canbo.tuphap")
    for _ in range(5):
        login(client, "sai")
    assert login(client, "mat-khau-thu", ip="198.51.100.9").status_code == 302
    client.logout()
    assert login(client, "mat-khau-thu", username="canbo.tuphap").status_code == 302


def test_lockout_ends_15_minutes_after_the_last_failure(client, minh, time_machine):
    for _ in range(5):
        login(client, "sai")
    time_machine.move_to(START + timedelta(minutes=16), tick=False)
    assert login(client, "mat-khau-thu").status_code == 302


@pytest.mark.parametrize("minutes, status", [(16, 429), (26, 302)])
def test_trying_while_locked_out_restarts_the_15_minutes(
    client, minh, time_machine, minutes, status
):
    for _ in range(5):
        login(client, "sai")
    time_machine.move_to(START + timedelta(minutes=10), tick=False)
    assert login(client, "mat-khau-thu").status_code == 429
    time_machine.move_to(START + timedelta(minutes=minutes), tick=False)
    assert login(client, "mat-khau-thu").status_code == status


def test_a_successful_login_resets_the_count(client, minh):
    for _ in range(4):
        login(client, "sai")
    assert login(client, "mat-khau-thu").status_code == 302
    client.logout()
    for _ in range(4):
        assert login(client, "sai").status_code == 200
    assert login(client, "mat-khau-thu").status_code == 302


def test_force_login_is_not_throttled(client, minh):
    for _ in range(5):
        login(client, "sai")
    client.force_login(minh)
    assert client.get(reverse("home")).status_code == 200
