"""`make demo-logins` (`load_demo --logins-only`) only prints the demo logins: no password is
reset and nobody is logged out. Resetting them is `--reset-passwords`, said so by its name."""

import io

import pytest
from django.contrib.auth import get_user, get_user_model
from django.core.management import call_command
from django.http import HttpRequest
from django.test import Client

from demo.haiphong.units import BLOCKS, UNITS
from demo.users import ADMIN_USERNAME, DEMO_PASSWORD, DEMO_USERS, demo_users_create
from units.models import Block, Unit

USERNAMES = [row[0] for row in DEMO_USERS]


def load_demo(*args) -> str:
    out = io.StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def logged_in(client: Client) -> bool:
    """Whether the client's session still authenticates its user (a password change ends it)."""
    request = HttpRequest()
    request.session = client.session
    return get_user(request).is_authenticated


def password_hashes() -> dict[str, str]:
    return dict(get_user_model().objects.values_list("username", "password"))


@pytest.fixture
def demo_clients(db) -> dict[str, Client]:
    """The demo logins, each logged in once with the demo password."""
    blocks = {code: Block.objects.create(code=code, name=name) for code, name in BLOCKS.items()}
    wanted = {row[3] for row in DEMO_USERS}
    for unit in UNITS:
        if unit.code in wanted:
            Unit.objects.create(code=unit.code, name=unit.name, block=blocks[unit.block])
    demo_users_create()
    clients = {}
    for username in USERNAMES:
        clients[username] = Client()
        assert clients[username].login(username=username, password=DEMO_PASSWORD)
    return clients


def test_logins_only_prints_every_login_and_changes_no_password_or_session(demo_clients):
    noivu = get_user_model().objects.get(username="noivu")
    noivu.set_password("doi-mat-khau-rieng")
    noivu.save()
    assert demo_clients["noivu"].login(username="noivu", password="doi-mat-khau-rieng")
    before = password_hashes()

    out = load_demo("--logins-only")

    assert password_hashes() == before
    assert all(logged_in(client) for client in demo_clients.values())
    assert get_user_model().objects.get(username="noivu").check_password("doi-mat-khau-rieng")
    for username in USERNAMES:
        assert username in out
    assert "Sở Y tế" in out and "chưa có tài khoản" not in out
    assert "canbo.phuong" in out and "UBND phường Ngô Quyền" in out
    assert "chutich.xa" in out and "UBND xã An Lão" in out


def test_logins_only_on_an_empty_database_creates_nothing(db):
    out = load_demo("--logins-only")

    assert not get_user_model().objects.exists()
    assert out.count("chưa có tài khoản") == len(USERNAMES)


def test_reset_passwords_restores_the_demo_password_and_ends_sessions(demo_clients):
    noivu = get_user_model().objects.get(username="noivu")
    noivu.set_password("doi-mat-khau-rieng")
    noivu.save()
    assert demo_clients["noivu"].login(username="noivu", password="doi-mat-khau-rieng")

    load_demo("--reset-passwords")

    assert get_user_model().objects.get(username="noivu").check_password(DEMO_PASSWORD)
    assert not any(logged_in(client) for client in demo_clients.values())


def test_no_demo_officer_is_a_superuser_and_the_admin_has_a_login_of_its_own(demo_clients):
    users = {user.username: user for user in get_user_model().objects.all()}
    noivu, admin = users["noivu"], users[ADMIN_USERNAME]

    assert [u for u in users.values() if u.is_superuser] == [admin]
    assert admin.is_staff and not admin.memberships.exists()
    assert not noivu.is_staff
    # Sở Nội vụ's officer keeps her own pages, and no longer passes the appraisers' checks.
    assert demo_clients["noivu"].get("/nhat-ky/").status_code == 200
    assert demo_clients["noivu"].get("/tham-dinh/").status_code == 403
    assert demo_clients["noivu"].get("/quan-tri/").status_code == 302
    assert demo_clients[ADMIN_USERNAME].get("/quan-tri/").status_code == 200
    assert "Quản trị hệ thống" in load_demo("--logins-only")
