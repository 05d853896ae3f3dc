import pytest
from django.core.management import call_command

from criteria.models import Year
from tests.exchange.workbook_factory import write_year_workbook
from tests.personas import member as person
from units.models import Membership


@pytest.fixture
def small_year(transactional_db, tmp_path) -> Year:
    """The workbook factory's 2022 year (block A: A1, A18), imported through import_year.

    Committed for real (transactional_db): jobs are enqueued on commit, as in production.
    """
    call_command("import_year", str(write_year_workbook(tmp_path / "2022.xlsx")), stdout=None)
    return Year.objects.get(year=2022)


@pytest.fixture
def home_affairs_officer(small_year):
    return person("noivu", Membership.Role.HOME_AFFAIRS)


@pytest.fixture
def council_member(small_year):
    return person("hoidong", Membership.Role.COUNCIL)


@pytest.fixture
def unit_officer(small_year):
    """The CCHC officer of Sở Y tế (A18)."""
    return person("canbo.yte", Membership.Role.UNIT_OFFICER, "A18")
