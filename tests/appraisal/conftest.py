import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from criteria.models import Year
from tests.exchange.workbook_factory import write_year_workbook
from units.models import Membership, Unit


@pytest.fixture
def small_year(transactional_db, tmp_path) -> Year:
    """The workbook factory's 2022 year (block A: A1, A2), imported through import_year.

    Committed for real (transactional_db): jobs are enqueued on commit, as in production.
    """
    call_command("import_year", str(write_year_workbook(tmp_path / "2022.xlsx")), stdout=None)
    return Year.objects.get(year=2022)


def person(username: str, role: str | None = None, unit_code: str | None = None):
    user = get_user_model().objects.create_user(username=username, password="x")
    if role:
        unit = Unit.objects.get(code=unit_code) if unit_code else None
        Membership.objects.create(user=user, role=role, unit=unit)
    return user


@pytest.fixture
def home_affairs_officer(small_year):
    return person("noivu", Membership.Role.HOME_AFFAIRS)


@pytest.fixture
def council_member(small_year):
    return person("hoidong", Membership.Role.COUNCIL)


@pytest.fixture
def unit_officer(small_year):
    """The CCHC officer of Sở Y tế (A2)."""
    return person("canbo.yte", Membership.Role.UNIT_OFFICER, "A2")
