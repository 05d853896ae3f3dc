"""The Content-Security-Policy holds on every page each role can reach, and the admin is
open to Sở Nội vụ officers only.

The policy (settings.CONTENT_SECURITY_POLICY) allows scripts and styles from our own origin
only, so a page with an inline <script>, a <style> element or a style="" attribute would
break in the browser. The crawl below starts at each demo role's home, follows every link
inside the site (not downloads, not logout) and checks each HTML page it reaches.
"""

from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from demo.users import DEMO_PASSWORD, DEMO_USERS
from units.models import Membership, Unit

pytestmark = pytest.mark.django_db

PAGES_PER_ROLE = 80
# Files, not pages: they carry no HTML (and some render documents on the way).
NOT_PAGES = ("/tep/", "/tai-ve", ".pdf", ".xlsx", ".docx", ".zip", ".csv", "/dang-xuat/")


class InlineCode(HTMLParser):
    """Collects what a strict policy would block: inline scripts, style elements, style=""."""

    def __init__(self):
        super().__init__()
        self.blocked: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and not attributes.get("src"):
            self.blocked.append("<script> inline")
        if tag == "style":
            self.blocked.append("<style>")
        if "style" in attributes:
            self.blocked.append(f'<{tag} style="{attributes["style"]}">')
        self.blocked += [f"<{tag} {name}=…>" for name in attributes if name.startswith("on")]
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])


def policy_of(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    directives = [part.split() for part in header.split(";") if part.strip()]
    return {name: sources for name, *sources in directives}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_demo", stdout=open("/dev/null", "w"))
        yield
        from criteria.models import Year
        from exchange.workbook import year_data_delete
        from units.models import Block

        for year in Year.objects.all():
            year_data_delete(year=year)
        Membership.objects.all().delete()
        get_user_model().objects.all().delete()
        Unit.objects.all().delete()
        Block.objects.all().delete()


def crawl(client: Client, start: str = "/") -> dict[str, list[str]]:
    """Every HTML page reachable from `start` (up to PAGES_PER_ROLE) → what it would block."""
    seen, queue, found = {start}, deque([start]), {}
    while queue and len(found) < PAGES_PER_ROLE:
        url = queue.popleft()
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.headers["Content-Type"]:
            continue
        assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"], url
        parser = InlineCode()
        parser.feed(response.content.decode())
        found[url] = parser.blocked
        for href in parser.links:
            link = urldefrag(href).url
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            if link in seen or any(marker in link for marker in NOT_PAGES):
                continue
            if link.startswith("/quan-tri/"):
                continue
            seen.add(link)
            queue.append(link)
    return found


def test_the_policy_allows_only_our_own_scripts_and_styles(client, demo):
    policy = policy_of(client.get("/"))

    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["base-uri"] == ["'self'"]


@pytest.mark.parametrize("username", [None] + [row[0] for row in DEMO_USERS])
def test_no_page_of_any_role_carries_inline_script_or_style(client, demo, username):
    if username:
        assert client.login(username=username, password=DEMO_PASSWORD)

    pages = crawl(client)

    assert len(pages) >= 3, pages.keys()
    assert {url: blocked for url, blocked in pages.items() if blocked} == {}


def test_htmx_is_told_not_to_inject_its_indicator_style(client, demo):
    page = client.get("/").content.decode()

    assert '<meta name="htmx-config" content=\'{"includeIndicatorStyles": false}\'>' in page


def test_a_previewed_document_may_use_the_browsers_pdf_viewer(client, demo):
    """object-src 'self' on inline documents only: Chromium's PDF viewer is an embed."""
    assert client.login(username="noivu", password=DEMO_PASSWORD)
    from surveys.models import RespondentGroup

    group = RespondentGroup.objects.filter(year__year=2026).first()
    response = client.get(reverse("surveys:blank_ballot", args=[2026, "S", group.code]))

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert policy_of(response)["object-src"] == ["'self'"]
    assert policy_of(response)["script-src"] == ["'self'"]


# ------------------------------------------------------------------------------- the admin


def staff_user(username: str, role: str | None, *, superuser: bool = False):
    user = get_user_model().objects.create_user(
        username=username, password="x", is_staff=True, is_superuser=superuser
    )
    if role:
        Membership.objects.create(user=user, role=role)
    return user


@pytest.mark.parametrize(
    "role",
    [
        Membership.Role.APPRAISER,
        Membership.Role.SECRETARIAT_LEAD,
        Membership.Role.COUNCIL,
        Membership.Role.UNIT_OFFICER,
        None,
    ],
)
def test_the_admin_refuses_staff_who_are_not_home_affairs_officers(client, role):
    client.force_login(staff_user("nhanvien", role))

    response = client.get("/quan-tri/")

    assert response.status_code == 302
    assert response.url.startswith("/quan-tri/login/")
    assert client.get("/quan-tri/units/unit/").status_code == 302


def test_the_admin_opens_to_a_home_affairs_officer_and_a_superuser(client):
    client.force_login(staff_user("noivu2", Membership.Role.HOME_AFFAIRS))
    assert client.get("/quan-tri/").status_code == 200

    client.force_login(staff_user("root", None, superuser=True))
    assert client.get("/quan-tri/").status_code == 200
    assert client.get("/quan-tri/units/unit/").status_code == 200


def test_the_admin_refuses_a_home_affairs_officer_without_staff_status(client):
    user = get_user_model().objects.create_user(username="noivu3", password="x")
    Membership.objects.create(user=user, role=Membership.Role.HOME_AFFAIRS)
    client.force_login(user)

    assert client.get("/quan-tri/").status_code == 302
